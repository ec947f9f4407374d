"""auditkit.cli: the commands evaluators run, with their exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit import load
from auditkit.cli import main


def test_validate_clean_department_exits_0(department_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(department_dir)]) == 0
    out = capsys.readouterr().out
    assert "✔ data/2019/demo-rsj：通过" in out and "1 个通过" in out


def test_validate_without_arguments_checks_every_department_under_data(department_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert "共 1 个部门" in capsys.readouterr().out


def test_validate_broken_department_exits_1_and_lists_every_problem(department_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = department_dir / "kpis.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("30342", "3O342").replace(",≤,", ",<>,"), encoding="utf-8")
    assert main(["validate", str(department_dir)]) == 1
    out = capsys.readouterr().out
    assert "✘ data/2019/demo-rsj：2 处问题" in out
    assert "kpis.csv，第 2 行，列「实际值」: '3O342' 不是数字" in out
    assert "kpis.csv，第 3 行，列「方向」: '<>' 不是允许的取值" in out


def test_template_then_convert_both_ways(department_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", str(tmp_path / "空白.xlsx")]) == 0
    assert (tmp_path / "空白.xlsx").stat().st_size > 0
    book = tmp_path / "demo.xlsx"
    assert main(["convert", str(department_dir), str(book)]) == 0
    assert main(["convert", str(department_dir), str(book)]) == 1  # never overwrites without --force
    back = tmp_path / "back" / "2019" / "demo-rsj"
    assert main(["convert", str(book), str(back)]) == 0
    assert load(back) == load(department_dir)


def test_convert_of_broken_data_names_the_problem(department_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (department_dir / "department.yaml").write_text("department: [", encoding="utf-8")
    assert main(["convert", str(department_dir), str(tmp_path / "x.xlsx")]) == 1
    assert "department.yaml" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_run_formats_default_to_html_and_docx_and_pdf_is_added_by_either_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    """`auditkit run` writes html and docx unless told; `--formats html,docx,pdf` or `--pdf` add the PDF; html always."""
    import auditkit.batch.plan
    import auditkit.batch.runner

    seen: list[tuple[bool, bool]] = []

    def fake_plan(files: object, notebooks: object, out: object, pdf: bool = False, docx: bool = True) -> list[object]:
        seen.append((docx, pdf))
        return []

    monkeypatch.setattr(auditkit.batch.plan, "plan", fake_plan)
    monkeypatch.setattr(auditkit.batch.runner, "run_batch", lambda jobs, **kw: [])
    for args in ([], ["--formats", "html,docx,pdf"], ["--pdf"], ["--formats", "html"], ["--formats", "docx"]):
        assert main(["run", *args]) == 0
    assert seen == [(True, False), (True, True), (True, True), (False, False), (True, False)]


def test_run_rejects_an_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--formats", "html,odt"]) == 2
    assert "未知输出格式 odt；可选 html、docx、pdf" in capsys.readouterr().err
