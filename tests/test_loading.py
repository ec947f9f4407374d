"""auditkit.data.loading: no input crashes the loaders with anything but the project's own validation error."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from auditkit import DataValidationError, load, validate, write_workbook
from auditkit.data.schema import TABLES

_settings = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_cell_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "-", "—", "合计", "其中", "定性", "≥", "12,3a", "3.02%", "１２３", "A.1", "是", "score.grade"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
)


def _fresh(department_dir: Path, name: str) -> Path:
    work = department_dir.parent / name
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(department_dir, work)
    (work / "department.yaml").write_text(
        (department_dir / "department.yaml").read_text(encoding="utf-8").replace("demo-rsj", name), encoding="utf-8"
    )
    return work


@pytest.mark.slow  # writes and validates a department folder or workbook per example
@_settings
@given(
    table=st.sampled_from(sorted(TABLES)),
    headers=st.lists(st.one_of(st.sampled_from([c.header for t in TABLES.values() for c in t.columns]), st.text(max_size=6)), min_size=1, max_size=8),
    rows=st.lists(st.lists(_cell_text, max_size=9), max_size=6),
)
def test_random_csv_tables_never_crash(department_dir: Path, table: str, headers: list[str], rows: list[list[str]]) -> None:
    import csv

    work = _fresh(department_dir, "fuzz-csv")
    with (work / TABLES[table].file).open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([headers, *rows])
    problems = validate(work)
    if problems:
        try:
            load(work)
        except DataValidationError as exc:
            assert exc.problems == problems
        else:  # pragma: no cover - validate and load must agree
            raise AssertionError("validate found problems that load did not raise")


@_settings
@given(st.binary(max_size=200))
def test_random_bytes_never_crash(department_dir: Path, blob: bytes) -> None:
    work = _fresh(department_dir, "fuzz-bytes")
    (work / "kpis.csv").write_bytes(blob)
    (work / "department.yaml").write_bytes(blob)
    assert isinstance(validate(work), list)


@_settings
@given(st.text(max_size=300))
def test_random_yaml_never_crashes(department_dir: Path, text: str) -> None:
    work = _fresh(department_dir, "fuzz-yaml")
    (work / "department.yaml").write_text(text, encoding="utf-8")
    assert validate(work)  # whatever it is, it is not a valid department


@pytest.mark.slow  # writes and validates a department folder or workbook per example
@_settings
@given(
    sheet=st.sampled_from(["支出", "绩效指标", "评分", "报告列示数", "基本信息"]),
    values=st.lists(
        st.one_of(_cell_text, st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=False, width=32), st.booleans(),
                  st.just(datetime(2020, 1, 1))),
        min_size=1, max_size=12,
    ),
)
def test_random_workbook_cells_never_crash(department_dir: Path, sheet: str, values: list[object]) -> None:
    path = department_dir.parent / "fuzz.xlsx"
    write_workbook(load(department_dir), path)
    book = load_workbook(path)
    for index, value in enumerate(values):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # Excel itself cannot hold these
        book[sheet].cell(row=2 + index % 4, column=1 + index % 5).value = value
    book.save(path)
    assert isinstance(validate(path), list)
