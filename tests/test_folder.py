"""auditkit.data.folder: a model written as a folder reads back equal; CSV details users meet are handled."""

from __future__ import annotations

from pathlib import Path

from auditkit import load, validate, write_folder


def test_write_folder_round_trip(department_dir: Path, tmp_path: Path) -> None:
    dept = load(department_dir)
    copy = write_folder(dept, tmp_path / "copy" / "2019" / "demo-rsj")
    assert load(copy) == dept


def test_a_byte_order_mark_is_accepted(department_dir: Path) -> None:
    path = department_dir / "kpis.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # Excel's "CSV UTF-8" writes one
    assert validate(department_dir) == []


def test_multi_line_cells_keep_row_numbers_right(department_dir: Path) -> None:
    path = department_dir / "stated.csv"
    text = path.read_text(encoding="utf-8").replace("预算调整率为3.02%", '预算调整率\n为3.02%')
    text = text.replace("kpi.completion_rate,城镇新增就业人数,101.14%", "kpi.completion_rate,城镇新增就业人数,101.1x%")
    path.write_text(text.replace("预算调整率\n", '"预算调整率\n').replace("为3.02%", '为3.02%"'), encoding="utf-8")
    [problem] = validate(department_dir)
    assert "stated.csv，第 5 行，列「数值」" in str(problem)  # the quoted line break makes the 3rd row start on line 5


def test_a_missing_department_file(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "2019" / "x"
    folder.mkdir(parents=True)
    [problem] = validate(folder)
    assert "缺少 department.yaml" in str(problem)


def test_a_path_that_is_neither_form(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_text("")
    [problem] = validate(path)
    assert "不是部门数据文件夹" in str(problem)
