"""auditkit.report.office: the Word documents read by a real office suite (LibreOffice), their PDF checked with poppler.

003 (韶关 2019, ../shared/seeds/003_28952255cfac55ab.txt): its evaluation report converts, and the PDF's text holds 003's
headings, its total 83.3 and its grade 良 (003 摘要 and 三、评价结论); the review memo, executed by papermill and written
by `jupyter nbconvert --to auditkit_docx`, converts too. `make test` installs LibreOffice and poppler-utils.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from auditkit.exceptions import OfficeError
from auditkit.report import docx as word
from auditkit.report.office import docx_to_pdf, soffice_path
from tests.conftest import ROOT
from tests.test_docx import _notebook
from tests.test_evaluation import INTERNAL

pytestmark = pytest.mark.slow


def _needs_office() -> None:
    if soffice_path() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and poppler-utils are installed by `make test`")


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def _fonts(pdf: Path) -> list[tuple[str, str]]:
    """(name, emb) of every font in the PDF (pdffonts' table)."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return [(line.split()[0], line.split()[-5]) for line in lines if line.strip()]


def test_003_evaluation_report_opens_in_libreoffice_with_its_headings_score_and_grade(tmp_path: Path) -> None:
    _needs_office()
    from auditkit.reconcile import reconciliation, review
    from auditkit.report.evaluation import document
    from auditkit.scoring.framework import load_framework
    from auditkit.scoring.scorecard import score
    from tests.conftest import seed

    dept = seed("003")
    framework = load_framework(dept.evaluation.framework)
    sections = document(dept, score(dept, framework), review(dept, reconciliation(dept, framework)), framework)
    source = tmp_path / "evaluation_report.docx"
    word.write_docx(_notebook(sections), source)
    pdf = docx_to_pdf(source, tmp_path / "pdf")
    text = _pdf_text(pdf)
    flat = re.sub(r"\s+", "", text)
    for heading in ("摘要", "一、部门基本情况", "二、绩效评价指标分析", "三、评价结论", "四、主要绩效", "五、存在问题", "六、相关建议",
                    "（一）部门主要职能。", "表2人社局部门收入预决算情况表", "表8劳动关系协调工作完成情况"):
        assert heading in flat, heading
    assert "总得分为83.3分，绩效等级为“良”" in flat  # 003 三、评价结论
    pages = _pages(pdf)
    assert 20 <= pages <= 80  # 003's own report and its 评分表 annex: tens of A4 pages, not one, not hundreds
    # the cover unnumbered (it counts as page 1); every other page 第 X 页 共 Y 页, Y the document's pages
    assert f"第2页共{pages}页" in flat and f"第{pages}页共{pages}页" in flat and "第1页共" not in flat
    assert text.count("征求意见稿") >= pages  # in every page's header (and on the cover)
    assert [m for m in INTERNAL if m in flat] == []
    fonts = _fonts(pdf)
    assert fonts and all(emb == "yes" for _, emb in fonts), fonts
    assert any("CJK" in name for name, _ in fonts), fonts  # 仿宋/宋体/黑体 found as Noto CJK (fonts.conf), no tofu


def test_an_executed_memo_converts_through_nbconvert_and_libreoffice(tmp_path: Path) -> None:
    """papermill executes review_memo for 003; `jupyter nbconvert --to auditkit_docx` writes the .docx; LibreOffice reads it."""
    _needs_office()
    import papermill

    executed = tmp_path / "review_memo.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks/review_memo.ipynb"), str(executed), cwd=str(ROOT), progress_bar=False,
                               parameters={"data_path": "data/2019/shaoguan-rsj", "framework": "gd-municipal-2019"})
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "auditkit_docx", str(executed)], check=True,
                   capture_output=True, timeout=300)
    source = tmp_path / "review_memo.docx"
    assert source.read_bytes()[:2] == b"PK"
    flat = re.sub(r"\s+", "", _pdf_text(docx_to_pdf(source, tmp_path / "pdf")))
    assert "复核意见" in flat and "一、复核结论" in flat and "二、待确认事项（错误）" in flat


def test_a_file_that_is_not_a_document_is_a_clear_error(tmp_path: Path) -> None:
    _needs_office()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(OfficeError, match="LibreOffice 转换失败"):
        docx_to_pdf(broken, tmp_path / "pdf")
