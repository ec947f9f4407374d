"""auditkit.batch.params: every shipped parameters file names a department that loads, with the same framework."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditkit import load
from auditkit.batch.params import params_files, read_params
from auditkit.exceptions import ParamsError

ROOT = Path(__file__).resolve().parent.parent


def test_one_params_file_per_sample_department() -> None:
    files = params_files(ROOT / "params")
    data = sorted(p.parent for p in (ROOT / "data").glob("*/*/department.yaml"))
    assert [(f.parent.name, f.stem) for f in files] == [(d.parent.name, d.name) for d in data]


@pytest.mark.parametrize("path", params_files(ROOT / "params"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_params_point_at_their_department(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    params = read_params(path)
    dept = load(params.data_path)
    assert (str(dept.fiscal_year), dept.id) == (path.parent.name, path.stem)
    assert params.framework == dept.evaluation.framework


def test_a_params_file_without_data_path_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("framework: gd-municipal-2019\n", encoding="utf-8")
    with pytest.raises(ParamsError, match=re.escape("x.yaml: 缺少参数 data_path")):
        read_params(path)
