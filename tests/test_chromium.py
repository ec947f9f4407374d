"""A real browser opens rendered reports: the headings are there, and no script from the data runs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from auditkit.report.chromium import chromium_path, dump_dom, screenshot
from auditkit.report.render import export_html

pytestmark = [pytest.mark.slow, pytest.mark.skipif(chromium_path() is None, reason="Chromium is installed by `make test`")]

PAYLOADS = [
    "<script>document.documentElement.setAttribute('data-pwned','script')</script>",
    '<img src="x" onerror="document.documentElement.setAttribute(\'data-pwned\',\'img\')">',
]


def _executed_report(tmp_path: Path) -> Path:
    """A report whose department data carries script payloads, executed for real through auditkit.report.notebook."""
    import papermill

    nb = new_notebook(cells=[
        new_code_cell(f"texts = {PAYLOADS!r}", metadata={"tags": ["parameters"]}),
        new_markdown_cell("## 一、部门基本情况"),
        new_code_cell("from auditkit.report.notebook import Report\nReport.paragraphs(texts)\nReport.findings(texts)"),
        new_markdown_cell("## 二、存在问题"),
    ])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    source, executed = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    nbformat.write(nb, source)
    papermill.execute_notebook(str(source), str(executed), kernel_name="python3", progress_bar=False)
    page = tmp_path / "report.html"
    page.write_text(export_html(nbformat.read(executed, as_version=4), {"title": "测试报告"}), encoding="utf-8")
    return page


def test_headings_render_and_no_script_from_data_runs(tmp_path: Path) -> None:
    page = _executed_report(tmp_path)
    dom = dump_dom(page)
    assert "一、部门基本情况" in dom and "二、存在问题" in dom and "目录" in dom
    assert "data-pwned" not in dom.split("<body", 1)[0]  # the <html> element was never touched
    assert "&lt;script&gt;" in dom  # the payload is shown as text


def test_even_unescaped_markup_cannot_run_a_script(tmp_path: Path) -> None:
    """Defence in depth: the page's Content-Security-Policy forbids scripts outright."""
    page = tmp_path / "raw.html"
    nb = new_notebook(cells=[new_markdown_cell("## 标题\n\n" + PAYLOADS[0])])
    page.write_text(export_html(nb, {"title": "测试"}), encoding="utf-8")
    dom = dump_dom(page)
    assert "标题" in dom and 'data-pwned="script"' not in dom


def test_a_screenshot_shows_the_page(tmp_path: Path) -> None:
    png = screenshot(_executed_report(tmp_path), tmp_path / "page.png", 1000, 700)
    assert png.stat().st_size > 5_000


def _page(tmp_path: Path, name: str) -> Path:
    page = tmp_path / f"{name}.html"
    page.write_text(f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><style>@page {{ size: A4; }}</style>"
                    f"</head><body><h1>{name}</h1><p style='page-break-before: always'>第二页</p></body></html>", encoding="utf-8")
    return page


def test_one_browser_prints_every_pdf_of_a_worker(tmp_path: Path) -> None:
    """Printer keeps one Chromium (Playwright on Debian's chromium) for many pages; each PDF is A4, two pages."""
    import subprocess

    from auditkit.report.chromium import Printer

    printer = Printer()
    try:
        pdfs = [printer.print_pdf(_page(tmp_path, f"报告{n}"), tmp_path / f"{n}.pdf") for n in range(2)]
        assert printer.mode == "playwright", printer.reason
        browser = printer._browser
        printer.print_pdf(_page(tmp_path, "报告2"), tmp_path / "2.pdf")
        assert printer._browser is browser  # the same browser, not a new one
    finally:
        printer.close()
    for pdf in pdfs:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "Pages:           2" in info and "(A4)" in info


def test_without_playwright_each_pdf_starts_its_own_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from auditkit.report.chromium import Printer

    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    printer = Printer()
    pdf = printer.print_pdf(_page(tmp_path, "报告"), tmp_path / "x.pdf")
    assert printer.mode == "process" and "ModuleNotFoundError" in (printer.reason or "")
    assert pdf.read_bytes().startswith(b"%PDF")
