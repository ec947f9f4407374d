"""auditkit.report.render: one self-contained page: no code, no parameter cells, no stderr, no network, a table of contents."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from auditkit.report.render import TEMPLATE_DIR, export_html


def _page() -> str:
    nb = new_notebook(cells=[
        new_code_cell('data_path = "data/x"', metadata={"tags": ["parameters"]}),
        new_code_cell('data_path = "data/y"', metadata={"tags": ["injected-parameters"]}),
        new_markdown_cell("# 标题", metadata={"tags": ["remove-cell"]}),
        new_markdown_cell("## 一、收入预决算"),
        new_code_cell("secret = 42", outputs=[
            new_output("stream", name="stdout", text="决算 13,867.60"),
            new_output("stream", name="stderr", text="UserWarning: noise"),
        ]),
        new_markdown_cell("### （一）小节"),
    ])
    meta = {"title": "韶关市人力资源和社会保障局2019年度预算执行与预决算差异分析", "department": "韶关市人力资源和社会保障局",
            "fiscal_year": 2019, "evaluator": "广州博达管理咨询有限公司", "kind": "第三方评价", "version": "0.1.0",
            "data_hash": "0123456789abcdef", "framework": "gd-municipal-2019", "parameters": {"data_path": "data/2019/shaoguan-rsj"}}
    return export_html(nb, meta)


def test_no_code_no_parameters_no_stderr() -> None:
    page = _page()
    assert "secret = 42" not in page and 'data_path = "data' not in page
    assert "UserWarning" not in page
    assert "决算 13,867.60" in page


def test_header_footer_and_table_of_contents() -> None:
    page = _page()
    assert "韶关市人力资源和社会保障局2019年度预算执行与预决算差异分析" in page
    assert "广州博达管理咨询有限公司" in page and "0123456789ab" in page and "data/2019/shaoguan-rsj" in page
    toc = page[page.index('<nav class="ak-toc"'):page.index("</nav>")]
    assert "一、收入预决算" in toc and "（一）小节" in toc
    assert page.count("<h1") == 1  # the notebook's own title cell is removed; the header holds the title


def test_no_network_request_and_small_css() -> None:
    page = _page()
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<script" not in page and "@import" not in page and "url(" not in page
    styles = sum(len(s) for s in re.findall(r"<style[^>]*>(.*?)</style>", page, re.S))
    assert styles <= 40_000  # the stock lab template carries 266 KB
    assert "Content-Security-Policy" in page


def test_the_template_ships_with_the_package() -> None:
    assert (TEMPLATE_DIR / "auditkit" / "index.html.j2").is_file()
    assert (TEMPLATE_DIR / "auditkit" / "report.css").is_file()


def test_a_long_report_stays_small_with_its_tables_styled_once_by_the_template() -> None:
    import pandas as pd

    from auditkit.report.blocks import html
    from auditkit.report.display import table

    frame = pd.DataFrame({"项目": ["合计"], "决算": [13867.6]})
    outputs = [new_output("display_data", data={"text/html": html([table(frame, n, f"第{n}张表")])}) for n in range(1, 61)]
    page = export_html(new_notebook(cells=[new_code_cell("", outputs=outputs)]), {"title": "长报告"})
    assert page.count('class="ak-table ak-short"') == 60 and "表60 第60张表" in page
    assert page.count("table.ak-table td.ak-num") == 1  # the template's one sheet, no per-table copies
    styles = sum(len(s.encode()) for s in re.findall(r"<style[^>]*>(.*?)</style>", page, re.S))
    assert styles <= 40_000


def _executed(tmp_path: Path) -> Path:
    """An executed notebook as the batch leaves it: outputs, a figure, and the report's facts in ``metadata.auditkit``."""
    nb = new_notebook(cells=[
        new_markdown_cell("## 一、收入预决算"),
        new_code_cell("", outputs=[
            new_output("display_data", data={"text/html": "<p>决算 13,867.60</p>", "text/plain": "决算 13,867.60"}),
            new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "图1 支出预算与决算对比"},
                       metadata={"auditkit": {"caption": "图1 支出预算与决算对比"}}),
        ]),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                 "auditkit": {"title": "韶关市人力资源和社会保障局2019年度预算执行与预决算差异分析", "department": "韶关市人力资源和社会保障局"}})
    path = tmp_path / "budget_variance.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("args", [["--to", "html", "--template", "auditkit"], ["--to", "auditkit"]], ids=["template", "exporter"])
def test_jupyter_nbconvert_renders_an_executed_notebook_with_auditkits_template(tmp_path: Path, args: list[str]) -> None:
    """``jupyter nbconvert --to html --template auditkit`` (the template, installed by ``make setup``) and ``--to auditkit``
    (the exporter, an ``nbconvert.exporters`` entry point) both give auditkit's page: no script, no CDN, the figure
    captioned, the header from the notebook's metadata; the exporter adds the table of contents."""
    notebook = _executed(tmp_path)
    jupyter = Path(sys.executable).with_name("jupyter")
    done = subprocess.run([str(jupyter), "nbconvert", *args, str(notebook), "--output-dir", str(tmp_path / "out")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "out" / "budget_variance.html").read_text(encoding="utf-8")
    assert "<script" not in page and not re.search(r'(src|href)="(https?:)?//', page)
    assert "韶关市人力资源和社会保障局2019年度预算执行与预决算差异分析" in page and "决算 13,867.60" in page
    assert '<img alt="图1 支出预算与决算对比"' in page and "<figcaption>图1 支出预算与决算对比</figcaption>" in page
    assert ('<nav class="ak-toc"' in page) == (args == ["--to", "auditkit"])


def test_a_figure_is_a_captioned_image_whose_caption_is_its_alternative_text() -> None:
    nb = new_notebook(cells=[new_code_cell("", outputs=[new_output(
        "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "图2 <累计> 执行率"},
        metadata={"auditkit": {"caption": "图2 <累计> 执行率"}})])])
    page = export_html(nb, {"title": "t"})
    assert '<figure class="ak-figure' in page and 'alt="图2 &lt;累计&gt; 执行率"' in page
    assert "<figcaption>图2 &lt;累计&gt; 执行率</figcaption>" in page
