"""Fuzzing the data entry (issue 16): generated folders and workbooks, each a valid department broken a few random ways
(cells, headers, YAML values, encodings; in workbooks also number formats, formulas and merged cells), go through
validation, and when they load, through the reconciliation and both writers. Nothing may raise but auditkit's own
errors (:class:`~auditkit.exceptions.AuditkitError`).

The quick variants run a few dozen examples; the slow ones (``-m slow``, run in CI) a few thousand.
"""

from __future__ import annotations

import copy
import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from auditkit import load, validate, write_workbook
from auditkit.data.folder import write_folder
from auditkit.exceptions import AuditkitError
from auditkit.reconcile import reconciliation
from tests.conftest import DEPARTMENT, TABLES

#: Texts that have broken a loader before, or sit on an edge of one.
_TRICKY = [
    "", " ", "-", "—", "/", "N/A", "0", "0.00", "-0", "012", "0x1F", "26:30", "1e5", "1e26", "9" * 40, "13,867.60¹", "①",
    "٣", "１２３", "３．０２％", "94.16%", "0.9416", "≥15", "≤3.5%", "＞90%", "+-3", "12,", "1,2345", "2020-02-30",
    "2020-13-01", "!!int x", "~", "null", "true", "是", "否", "合计", "其中", "明细", "定性", "A", "A.1", "X", "score.grade",
    "other", "=1/0", "=HYPERLINK(\"x\",\"y\")", "116. 27%", "808. 56 万元", "\ufeff", "\u3000", "'", '"', "\n", "a,b", "#",
    "{x: 1}", "[1, 2]", "&a", "*a", "|", ">",
]
_cell = st.one_of(st.sampled_from(_TRICKY), st.text(max_size=10),
                  st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**17, max_value=10**17).map(str))
_ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "latin-1"]
_FIELD_KEYS = [(section, key) for section, body in DEPARTMENT.items() for key in body] + [
    ("funds", "stock_prior"), ("department", "budget_units"), ("department", "internal_units"), ("assets", "fixed_total"),
    ("projects", "count"), ("evaluation", "report_date"), ("procurement", "planned")]


def _check(path: Path) -> None:
    """Validate; when valid, reconcile and write both forms. Only auditkit's own errors may escape, and are swallowed."""
    try:
        problems = validate(path)
        event("refused by validation" if problems else "loaded: reconciled and written in both forms")
        if problems:
            return
        dept = load(path)
        reconciliation(dept)
        with tempfile.TemporaryDirectory() as out:
            book = write_workbook(dept, Path(out) / "x.xlsx")
            assert load(book) == dept  # what loads writes back and reads the same
            write_folder(dept, Path(out) / "back")
    except AuditkitError:
        return


@st.composite
def _folder_edits(draw: st.DrawFn) -> dict[str, Any]:
    tables = copy.deepcopy(TABLES)
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3, 4]))):
        name = draw(st.sampled_from(sorted(tables)))
        rows = tables[name]
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[r])))
        value = draw(_cell)
        if c == len(rows[r]):
            rows[r].append(value)  # one cell more than the header
        else:
            rows[r][c] = value
    if draw(st.integers(0, 3)) == 0:
        name = draw(st.sampled_from(sorted(tables)))
        rows = tables[name]
        rows.insert(draw(st.integers(1, len(rows))), draw(st.lists(_cell, max_size=len(rows[0]) + 1)))
    department = copy.deepcopy(DEPARTMENT)
    yaml_lines: list[tuple[str, str, str]] = []
    for _ in range(draw(st.sampled_from([0, 0, 1, 2, 3]))):
        section, key = draw(st.sampled_from(_FIELD_KEYS))
        yaml_lines.append((section, key, draw(_cell)))
    encodings = dict.fromkeys(tables, "utf-8")
    if draw(st.integers(0, 3)) == 0:  # one file in another encoding
        encodings[draw(st.sampled_from(sorted(tables)))] = draw(st.sampled_from(_ENCODINGS))
    return {"tables": tables, "department": department, "yaml": yaml_lines, "encodings": encodings}


def _write_folder(root: Path, edits: dict[str, Any]) -> Path:
    folder = root / "data" / "2019" / "demo-rsj"
    folder.mkdir(parents=True)
    lines = yaml.safe_dump(edits["department"], allow_unicode=True, sort_keys=False).splitlines()
    for section, key, value in edits["yaml"]:  # the value written unquoted, as an evaluator types it
        line = f"  {key}: {value}" if "\n" not in value else f"  {key}: |\n    {value.strip()}"
        if f"{section}:" not in lines:
            lines += [f"{section}:", line]
            continue
        start = lines.index(f"{section}:") + 1
        end = next((i for i in range(start, len(lines)) if not lines[i].startswith(" ")), len(lines))
        at = next((i for i in range(start, end) if lines[i].startswith(f"  {key}:")), None)
        if at is None:
            lines.insert(start, line)
        else:
            lines[at] = line
    (folder / "department.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, rows in edits["tables"].items():
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        (folder / name).write_bytes(buffer.getvalue().encode(edits["encodings"][name], errors="replace"))
    return folder


def _folder_case(edits: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _check(_write_folder(Path(tmp), edits))


_quick = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
_many = settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))


@_quick
@given(_folder_edits())
def test_generated_folders_raise_only_auditkits_errors(edits: dict[str, Any]) -> None:
    _folder_case(edits)


@pytest.mark.slow  # a few thousand generated folders
@_many
@given(_folder_edits())
def test_thousands_of_generated_folders_raise_only_auditkits_errors(edits: dict[str, Any]) -> None:
    _folder_case(edits)


# --- workbooks ------------------------------------------------------------------------------------------------

_SHEETS = ["基本信息", "支出", "绩效指标", "公式数据", "评分", "报告列示数"]
_FORMATS = ["General", "@", "0", "0.00", "#,##0.00", "0%", "0.00%", "yyyy-mm-dd"]
_book_value = st.one_of(
    _cell, st.none(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["=1/0", "=13000+867.6", "=A1", '=HYPERLINK("x","y")', 0.9416, 1e26, 2.0, True]),
)


@st.composite
def _book_edits(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    edits: list[tuple[Any, ...]] = []
    for _ in range(draw(st.integers(1, 5))):
        sheet = draw(st.sampled_from(_SHEETS))
        kind = draw(st.sampled_from(["value", "value", "value", "merge", "format", "title"]))
        row, column = draw(st.integers(1, 8)), draw(st.integers(1, 10))
        if kind == "value":
            edits.append(("value", sheet, row, column, draw(_book_value), draw(st.sampled_from(_FORMATS))))
        elif kind == "merge":
            edits.append(("merge", sheet, row, column, draw(st.integers(0, 2)), draw(st.integers(0, 2))))
        elif kind == "format":
            edits.append(("format", sheet, row, column, draw(st.sampled_from(_FORMATS))))
        else:
            edits.append(("title", sheet, draw(st.text(min_size=1, max_size=6).filter(lambda t: not set(t) & set("[]:*?/\\")))))
    return edits


def _apply(book: Any, edit: tuple[Any, ...]) -> None:
    kind, name = edit[0], edit[1]
    if name not in book.sheetnames:
        return
    sheet = book[name]
    if kind == "value":
        _, _, row, column, value, fmt = edit
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = sheet.cell(row=row, column=column)
        if not isinstance(cell, type(sheet.cell(row=1, column=1))):
            return
        cell.value, cell.number_format = value, fmt
    elif kind == "merge":
        _, _, row, column, down, right = edit
        sheet.merge_cells(start_row=row, start_column=column, end_row=row + down, end_column=column + right)
    elif kind == "format":
        sheet.cell(row=edit[2], column=edit[3]).number_format = edit[4]
    elif edit[2] not in book.sheetnames:
        sheet.title = edit[2]


_BOOK: dict[str, bytes] = {}


def _book_case(edits: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if "demo" not in _BOOK:
            folder = _write_folder(Path(tmp) / "src", {"tables": TABLES, "department": DEPARTMENT, "yaml": [],
                                                         "encodings": dict.fromkeys(TABLES, "utf-8")})
            _BOOK["demo"] = write_workbook(load(folder), Path(tmp) / "demo.xlsx").read_bytes()
        path = Path(tmp) / "fuzz.xlsx"
        path.write_bytes(_BOOK["demo"])
        book = load_workbook(path)
        for edit in edits:
            try:
                _apply(book, edit)
            except (ValueError, TypeError, AttributeError):  # openpyxl refuses the edit itself: not a case
                continue
        try:
            book.save(path)
        except (ValueError, TypeError):
            return
        _check(path)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(_book_edits())
def test_generated_workbooks_raise_only_auditkits_errors(edits: list[tuple[Any, ...]]) -> None:
    _book_case(edits)


@pytest.mark.slow  # 300 generated workbooks (each written and read by openpyxl)
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(_book_edits())
def test_hundreds_of_generated_workbooks_raise_only_auditkits_errors(edits: list[tuple[Any, ...]]) -> None:
    _book_case(edits)
