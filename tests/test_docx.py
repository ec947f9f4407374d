"""auditkit.report.docx: the evaluation report as a Word document, reopened with python-docx, beside its HTML page.

The notebooks here are built as the helpers build them (one output per section, its HTML and its blocks as JSON), from
the 003 sample department (韶关 2019, ../shared/seeds/003_28952255cfac55ab.txt), without starting a kernel.
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import docx
import nbformat
import pytest
from docx.oxml.ns import qn

from auditkit.reconcile import reconciliation, review
from auditkit.report import blocks as b
from auditkit.report import docx as word
from auditkit.report.evaluation import document
from auditkit.report.render import export_html
from auditkit.scoring.framework import load_framework
from auditkit.scoring.scorecard import score
from tests.conftest import seed
from tests.test_evaluation import INTERNAL

_PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==")


def _notebook(sections: Sequence[Sequence[b.Block]], meta: dict[str, object] | None = None) -> nbformat.NotebookNode:
    """An executed notebook as :meth:`auditkit.report.notebook.Report.document` leaves it: one output a section."""
    nb = nbformat.v4.new_notebook()
    for section in sections:
        cell = nbformat.v4.new_code_cell("report.document(...)")
        data = {"text/html": b.html(section), "text/plain": b.plain(section), b.BLOCK_MIME: [b.to_json(x) for x in section]}
        if any(isinstance(x, b.Figure) for x in section):
            data["image/png"] = _PNG
        cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
        nb.cells.append(cell)
    nb.metadata["auditkit"] = meta or {"document": "report", "title": "报告"}
    return nb


@pytest.fixture(scope="module")
def shaoguan() -> tuple[list[list[b.Block]], nbformat.NotebookNode, bytes]:
    dept = seed("003")
    framework = load_framework(dept.evaluation.framework)
    sections = document(dept, score(dept, framework), review(dept, reconciliation(dept, framework)), framework)
    nb = _notebook(sections)
    return sections, nb, word.docx_bytes(nb)


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _body_text(data: bytes) -> str:
    """Every text of the document's body in order (paragraphs and table cells), as Word reads it."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode()
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def _all_text(data: bytes) -> str:
    """The body, headers, footers and comments."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = [n for n in package.namelist() if n.startswith("word/") and n.endswith(".xml")]
        return "".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", package.read(n).decode())) for n in parts)


def _blocks(sections: list[list[b.Block]]) -> list[b.Block]:
    return [x for s in sections for x in s]


# --- 003 as a Word document -------------------------------------------------------------------------------------


def test_003_headings_are_word_heading_styles_in_003_order(shaoguan: tuple[list[list[b.Block]], nbformat.NotebookNode, bytes]) -> None:
    """一、 as 标题 1 (Heading 1), （一） as 标题 2, 1. as 标题 3: the navigation pane lists 003's outline (003 一–六)."""
    doc = _open(shaoguan[2])
    by_style: dict[str, list[str]] = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name if p.style is not None else "", []).append(p.text)
    assert by_style["Heading 1"][:8] == ["摘要", "一、部门基本情况", "二、绩效评价指标分析", "三、评价结论", "四、主要绩效", "五、存在问题",
                                         "六、相关建议", "附件：韶关市人力资源和社会保障局部门整体支出绩效评价评分表"]
    assert by_style["Heading 2"][:2] == ["（一）部门主要职能。", "（二）年度总体工作任务及重点工作任务。"]
    assert "1.预算编制，指标分值18分，评价得分14分，得分率77.77%。" in by_style["Heading 3"]  # 003 二（二）1.


def test_003_has_a_table_of_contents_field_and_a_cover(shaoguan: tuple[list[list[b.Block]], nbformat.NotebookNode, bytes]) -> None:
    data = shaoguan[2]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode()
        settings = package.read("word/settings.xml").decode()
    assert 'TOC \\o "1-2"' in xml and xml.count("PAGEREF _Toc") >= 8
    assert '<w:updateFields w:val="true"/>' in settings
    paragraphs = [p.text for p in _open(data).paragraphs]
    assert paragraphs[paragraphs.index("目录") + 1].startswith("摘要")
    title = next(p for p in _open(data).paragraphs if p.style is not None and p.style.name == "Title")
    assert title.text == "韶关市人力资源和社会保障局2019年度\n部门整体支出绩效评价报告"  # broken between words, as the cover block says
    assert "委托单位：韶关市财政局" in paragraphs and "评价机构：广州博达管理咨询有限公司" in paragraphs  # 003 封面


def test_003_every_table_is_a_word_table_captioned_above_with_its_unit(shaoguan: tuple[list[list[b.Block]], nbformat.NotebookNode, bytes]) -> None:
    """表1–表8 of 003 and the 评分表: each a real table, its caption (表N 标题) and 单位 line right above it, its header row
    repeated on every page, no row split across pages; amounts right-aligned as printed (表2 合计 36,158.49)."""
    sections, _, data = shaoguan
    tables = [x for x in _blocks(sections) if isinstance(x, b.Table)]
    doc = _open(data)
    assert len(doc.tables) == len(tables)
    body = list(doc.element.body)
    for block, table in zip(tables, doc.tables, strict=True):
        at = body.index(table._tbl)
        before = [docx.text.paragraph.Paragraph(e, doc) for e in body[at - 2:at] if e.tag == qn("w:p")]
        assert block.caption in [p.text for p in before]
        if block.unit:
            assert before[-1].text == f"单位：{block.unit}"
        rows = table._tbl.findall(qn("w:tr"))
        assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        kept = [r.find(qn("w:trPr")) is not None and r.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for r in rows]
        grid = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid]
        height = word._LANDSCAPE_HEIGHT if block.landscape else word._TEXT_HEIGHT
        assert kept == [True, *(word._kept_whole(r, grid, height) for r in block.rows)]  # each row up to ⅓ page kept whole
        assert [c.text for c in table.rows[0].cells] == list(block.columns)
    two = doc.tables[[t.number for t in tables].index(2)]
    total = next(r for r in two.rows if r.cells[0].text == "合  计")
    assert total.cells[1].text == "36,158.49"  # 003 表2 合计 年初预算数
    assert total.cells[1].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert total.cells[1].paragraphs[0].runs[0].bold


def test_003_prints_its_score_and_grade_and_no_internal_marker(shaoguan: tuple[list[list[b.Block]], nbformat.NotebookNode, bytes]) -> None:
    """003 摘要 and 三: 总得分为83.3分，绩效等级为“良”; nothing of auditkit's own voice anywhere (body, header, comments)."""
    text = _all_text(shaoguan[2])
    assert "83.3" in text and "良" in text
    assert "绩效等级为“良”" in text
    assert [m for m in INTERNAL if m in text] == []


def test_003_draft_says_so_in_the_header_and_comments_every_marked_figure(shaoguan: tuple[list[list[b.Block]], nbformat.NotebookNode, bytes]) -> None:
    """003 keeps its misprints, so it is a draft: 征求意见稿 on the cover and in the page header; each [注N] mark of the
    blocks is in the document, with a Word comment giving its note."""
    sections, _, data = shaoguan
    blocks = _blocks(sections)
    marks = [n for x in blocks if isinstance(x, (b.Paragraph, b.Heading)) for n in x.marks]
    marks += [c.mark for x in blocks if isinstance(x, b.Table) for row in x.rows for c in row if c.mark is not None]
    assert marks, "003 has open errors: its report carries marks"
    doc = _open(data)
    assert "征求意见稿" in doc.sections[0].header.paragraphs[0].text
    assert "征求意见稿" in doc.sections[0].first_page_header.paragraphs[0].text
    assert "（征求意见稿）" in [p.text for p in doc.paragraphs]
    body = _body_text(data)
    assert all(f"[注{n}]" in body for n in marks)
    comments = list(doc.comments)
    assert len(comments) == len(marks)
    assert all(c.text.startswith("注") and "有待评价机构核实确认" in c.text for c in comments)


def test_a_row_taller_than_a_page_may_split_and_the_others_not() -> None:
    """Word cuts off a row that may not split and does not fit a page; 003's longest 扣分理由 would be such a row."""
    rows = ((b.Cell("短"), b.Cell("短")), (b.Cell("长" * 2000), b.Cell("短")))
    doc = _open(word.docx_bytes(_notebook([[b.Table("表", ("甲", "乙"), rows, number=1)]])))
    kept = [r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit")) is not None for r in doc.tables[0].rows]
    assert kept == [True, True, False]


def test_a_row_taller_than_a_third_of_the_page_may_split_a_shorter_one_not() -> None:
    """Kept whole, a row of a third of a page or more leaves the page above it half empty (the 评分表's long 评分标准,
    review S4): it may split. Two equal columns of the portrait text width (15.6 cm) hold 20 characters a line at
    10.5 pt; 5 lines (100 characters) stay whole, 20 lines (400 characters, 20 × 10.5 pt × 1.15 ≈ 8.5 cm of the page's
    22.5 cm) may split."""
    rows = ((b.Cell("短" * 100), b.Cell("短")), (b.Cell("长" * 400), b.Cell("短")))
    doc = _open(word.docx_bytes(_notebook([[b.Table("表", ("甲", "乙"), rows, number=1, widths=(50, 50))]])))
    kept = [r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit")) is not None for r in doc.tables[0].rows]
    assert kept == [True, True, False]


def _keeps(paragraph: docx.text.paragraph.Paragraph) -> bool:
    p_pr = paragraph._p.pPr
    return p_pr is not None and p_pr.find(qn("w:keepNext")) is not None


def test_a_small_table_keeps_on_one_page_with_its_caption() -> None:
    """003 表5's last row (工伤保险征缴收入) and 表6's stood alone on the next page (review S4): a table of up to 15 rows
    keeps with the next on every paragraph of every row but its last, and its caption and 单位 keep with it; a long
    table, or a short one taller than a page, may break between rows."""
    def rows(n: int) -> tuple[tuple[b.Cell, ...], ...]:
        return tuple((b.Cell(f"指标{i}"), b.Cell(f"{i}.00", "num")) for i in range(n))

    # ten rows of 200 characters in half the text width (20 a line): 10 lines of 10.5 pt each, more than a page
    tall = tuple((b.Cell("长" * 200), b.Cell("1.00", "num")) for _ in range(10))
    doc = _open(word.docx_bytes(_notebook([[b.Table("小表", ("指标", "实际数"), rows(12), number=1, unit="万元"),
                                            b.Table("大表", ("指标", "实际数"), rows(40), number=2),
                                            b.Table("高表", ("指标", "实际数"), tall, number=3, widths=(50, 50))]])))
    small, large, high = doc.tables
    keeps = [all(_keeps(p) for c in r.cells for p in c.paragraphs) for r in small.rows]
    assert keeps == [True] * 12 + [False]  # the header row and rows 1–11 keep with the next; the last row does not
    assert not any(_keeps(p) for t in (large, high) for r in t.rows for c in r.cells for p in c.paragraphs)
    caption = next(p for p in doc.paragraphs if p.text == "表1 小表")
    unit = next(p for p in doc.paragraphs if p.text == "单位：万元")
    assert caption.paragraph_format.keep_with_next is None and caption.style.paragraph_format.keep_with_next
    assert unit.style.paragraph_format.keep_with_next


def test_a_short_header_is_never_broken_inside_its_word() -> None:
    """Review S4: "一级指/标", "计划完成/率". A header of a few characters gets at least its own width (full-width
    characters of 10.5 pt, 210 twips each) plus Word's cell margins (108 twips a side), with the block's widths (the
    评分表's 7 % for 一级指标) or without (表5's 计划完成率 beside a long 指标 name), taken from the wide columns."""
    annex = b.Table("评分表", ("一级指标", "二级指标", "三级指标", "分值", "指标解释", "评分标准", "得分", "扣分理由"),
                    ((b.Cell("预算编制情况"), b.Cell("预算编制"), b.Cell("预算编制合理性"), b.Cell("5", "num"),
                      b.Cell("解释" * 40), b.Cell("标准" * 40), b.Cell("3", "num"), b.Cell("理由" * 30)),),
                    widths=(7, 7, 10, 5, 24, 24, 5, 18))
    kpis = b.Table("社会保险工作完成情况表", ("指标", "目标值", "实际数", "计划完成率", "同比去年"),
                   tuple((b.Cell("企业职工基本养老保险（不含离退休）参保人数/万人" * 2), b.Cell("48.26", "num"),
                          b.Cell("52.90", "num"), b.Cell("109.61%", "pct"), b.Cell("6.63%", "pct")) for _ in range(3)),
                   number=5)
    doc = _open(word.docx_bytes(_notebook([[kpis]])))
    grid = [int(g.get(qn("w:w"))) for g in doc.tables[0]._tbl.tblGrid]
    assert grid[3] >= 5 * 210 + 2 * 108 and grid[1] >= 3 * 210 + 2 * 108  # 计划完成率, 目标值
    assert abs(sum(grid) - word._TEXT_WIDTH.twips) < 12
    doc = _open(word.docx_bytes(_notebook([[b.Heading(2, "附件：评分表"), annex]])))
    grid = [int(g.get(qn("w:w"))) for g in doc.tables[0]._tbl.tblGrid]
    assert grid[0] >= 4 * 210 + 2 * 108 and grid[1] >= 4 * 210 + 2 * 108 and grid[2] >= 4 * 210 + 2 * 108
    assert grid[3] >= 2 * 210 + 2 * 108 and grid[6] >= 2 * 210 + 2 * 108  # 分值, 得分
    assert abs(sum(grid) - word._LANDSCAPE_WIDTH.twips) < 12
    assert grid[4] < word._LANDSCAPE_WIDTH.twips * 24 // 100  # the width came from the long-text columns


def test_a_figure_is_never_squeezed_onto_two_lines_by_a_long_text_beside_it() -> None:
    """Without the block's widths, each figure column is at least as wide as its longest figure (the memo's 列示数 beside
    its long 说明), and the text columns share the rest."""
    rows = ((b.Cell("长" * 300), b.Cell("288,722.00", "num"), b.Cell("127.15%", "pct"), b.Cell("说明" * 80)),)
    doc = _open(word.docx_bytes(_notebook([[b.Table("表", ("说明", "列示数", "复核数", "备注"), rows, number=1)]])))
    grid = [int(g.get(qn("w:w"))) for g in doc.tables[0]._tbl.tblGrid]
    assert grid[1] >= word._text_twips("288,722.00") + 200 and grid[2] >= word._text_twips("127.15%") + 200
    assert grid[0] > 2 * grid[1] and abs(sum(grid) - word._TEXT_WIDTH.twips) < 10


def test_a_table_of_many_figure_columns_is_set_in_nine_point_type_to_fit_the_page() -> None:
    """budget_variance 表2 (11 columns of 万元 and %): at 10.5 pt its figures alone are wider than the page; at 9 pt
    (the smallest a 财政 table may use) with narrow cell margins they fit, each on one line."""
    columns = ("项目", *(f"列{i}" for i in range(6)), "执行率", "调整率")
    rows = ((b.Cell("一般公共预算财政拨款收入", "label"), *(b.Cell("36,158.49", "num") for _ in range(6)),
             b.Cell("100.00%", "pct"), b.Cell("-61.65%", "pct")),)
    doc = _open(word.docx_bytes(_notebook([[b.Table("宽表", columns, rows, number=1)]])))
    table = doc.tables[0]
    grid = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid]
    assert abs(sum(grid) - word._TEXT_WIDTH.twips) < 12
    assert all(w >= word._text_twips("36,158.49", 180) + 100 for w in grid[1:7])
    assert all(w >= word._text_twips("-61.65%", 180) + 100 for w in grid[7:])
    assert {r.font.size.pt for c in table.rows[1].cells for r in c.paragraphs[0].runs} == {9.0}
    narrow = _open(word.docx_bytes(_notebook([[b.Table("窄表", ("项目", "金额"), ((b.Cell("甲"), b.Cell("1.00", "num")),), number=1)]])))
    assert {r.font.size for r in narrow.tables[0].rows[1].cells[1].paragraphs[0].runs} == {None}  # the style's 10.5 pt


def test_the_page_is_a4_with_gongwen_margins_and_numbered_pages(shaoguan: tuple[list[list[b.Block]], nbformat.NotebookNode, bytes]) -> None:
    section = _open(shaoguan[2]).sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert [round(m.cm, 1) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [3.7, 3.5, 2.8, 2.6]
    footer = section.footer._element.xml
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer
    assert section.footer.paragraphs[0].text == "第  页 共  页"  # python-docx does not read the fields' text


def test_the_annex_is_on_landscape_pages_of_its_own(shaoguan: tuple[list[list[b.Block]], nbformat.NotebookNode, bytes]) -> None:
    """附件 评分表 (eight columns, three of long text) on A4 landscape from a new page, as the HTML prints it; the body
    before it portrait; both sections share the header (征求意见稿) and the numbered footer."""
    doc = _open(shaoguan[2])
    body, annex = doc.sections
    assert (round(body.page_width.cm, 1), round(annex.page_width.cm, 1)) == (21.0, 29.7)
    assert annex.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE
    assert annex.header.is_linked_to_previous and annex.footer.is_linked_to_previous
    score_table = doc.tables[-1]
    assert sum(int(g.get(qn("w:w"))) for g in score_table._tbl.tblGrid) > word._TEXT_WIDTH.twips  # the landscape width
    heading = next(p for p in doc.paragraphs if p.text.startswith("附件：") and p.style is not None and p.style.name == "Heading 1")
    previous = heading._p.getprevious()
    assert previous.find(qn("w:pPr")).find(qn("w:sectPr")) is not None  # the portrait section ends right before it
    # in the last paragraph of 六 (003 六（三）), not in an empty paragraph that could take a page of its own
    assert docx.text.paragraph.Paragraph(previous, doc).text.endswith("认识。")
    assert len(doc.element.body.findall(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:sectPr')}")) == 1


def test_fonts_are_named_in_the_east_asian_slot(shaoguan: tuple[list[list[b.Block]], nbformat.NotebookNode, bytes]) -> None:
    """Body 仿宋, headings 黑体, tables 宋体, as w:eastAsia (``font.name`` alone sets only the Latin font)."""
    styles = _open(shaoguan[2]).styles
    east = {name: styles[name].element.rPr.rFonts.get(qn("w:eastAsia")) for name in ("Normal", "Heading 1", "Heading 2", "表格", "表题")}
    assert east == {"Normal": "仿宋", "Heading 1": "黑体", "Heading 2": "黑体", "表格": "宋体", "表题": "黑体"}
    assert styles["Heading 1"].element.rPr.rFonts.get(qn("w:asciiTheme")) is None


def test_the_same_notebook_gives_the_same_bytes(shaoguan: tuple[list[list[b.Block]], nbformat.NotebookNode, bytes]) -> None:
    _, nb, data = shaoguan
    assert word.docx_bytes(nb) == data
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert package.namelist()[0] == "[Content_Types].xml"
        assert "docProps/thumbnail.jpeg" not in package.namelist()  # python-docx's blank-page preview
    core = _open(data).core_properties
    # 003 prints no report date (notes.csv "department.yaml report_date"): no creation date, rather than a made-up one
    assert (core.created, core.modified) == (None, None)
    assert core.title == "韶关市人力资源和社会保障局2019年度部门整体支出绩效评价报告"  # Word's 属性 shows one line
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b"w:date=" not in package.read("word/comments.xml")


def test_the_documents_date_is_the_report_date_its_cover_prints() -> None:
    """004 (乐昌 2024) 填报日期 2025年8月14日: Word's 属性 shows it as the creation date, and each comment carries it."""
    cover = b.Cover("乐昌市人力资源和社会保障局2024年度\n部门整体支出绩效自评报告",
                    (("填报单位", "乐昌市人力资源和社会保障局"), ("填报日期", "2025年8月14日")), draft=True)
    nb = _notebook([[cover, b.Paragraph("预算执行率94.16%", marks=(1,)), b.Notes(((1, "待确认"),))]])
    data = word.docx_bytes(nb)
    doc = _open(data)
    assert doc.core_properties.created.date().isoformat() == "2025-08-14"
    assert doc.core_properties.modified.date().isoformat() == "2025-08-14"
    assert [c.timestamp.date().isoformat() for c in doc.comments] == ["2025-08-14"]
    assert word.docx_bytes(nb) == data


def _numbers(text: str) -> Counter[str]:
    return Counter(re.findall(r"\d[\d,]*(?:\.\d+)?%?", text))


def test_the_docx_carries_the_same_figures_as_the_html_of_the_same_notebook(
    shaoguan: tuple[list[list[b.Block]], nbformat.NotebookNode, bytes],
) -> None:
    """Every number printed in the HTML report's body (tables, text, table of contents) is in the Word document as
    many times, and no other: both are written from the same blocks."""
    _, nb, data = shaoguan
    page = export_html(nb, {"document": "report", "title": "报告"})
    body = page[page.index("<body"):]
    body = re.sub(r"<style.*?</style>", "", body, flags=re.S)
    import html as html_lib

    html_text = html_lib.unescape(re.sub(r"<[^>]+>", "", body))
    docx_text = _body_text(data)
    assert _numbers(docx_text) == _numbers(html_text)
    assert _numbers(docx_text)["13,867.60"] >= 3  # 003 表2, 表3 调整预算 合计 and the text of 一（四）


# --- what data cannot break ---------------------------------------------------------------------------------------


def test_control_characters_from_data_are_removed_not_a_crash() -> None:
    nb = _notebook([[b.Heading(2, "一、标题\x01"), b.Paragraph("文本\x00\x0b中\x1f间\ufffe"),
                     b.Table("表", ("项目\x08", "金额"), ((b.Cell("甲\x0c"), b.Cell("1.00", "num")),), number=1)]])
    data = word.docx_bytes(nb)
    doc = _open(data)
    texts = [p.text for p in doc.paragraphs]
    assert "一、标题" in texts and "文本中间" in texts
    assert doc.tables[0].rows[1].cells[0].text == "甲" and doc.tables[0].rows[0].cells[0].text == "项目"


def test_a_text_of_several_paragraphs_prints_as_several_with_the_mark_on_the_last() -> None:
    """As the HTML does (003 四（三）: 一是… 二是… 三是… each a paragraph)."""
    nb = _notebook([[b.Paragraph("一是甲。\n\n二是乙。\n三是丙。", marks=(1,)), b.Notes(((1, "待确认"),))]])
    doc = _open(word.docx_bytes(nb))
    body = [p for p in doc.paragraphs if p.style is not None and p.style.name == "Normal"][-3:]
    assert [p.text for p in body] == ["一是甲。", "二是乙。", "三是丙。[注1]"]
    # each indented two characters (14 pt 仿宋: 28 pt) as the first, the style's indent not overridden (review N4)
    assert all(p.paragraph_format.first_line_indent is None for p in body)
    assert doc.styles["Normal"].paragraph_format.first_line_indent.pt == 28


def test_a_figure_that_failed_to_render_is_a_note() -> None:
    nb = _notebook([[b.Figure(1, "支出构成")]])
    nb.cells[0].outputs[0].data["image/png"] = base64.b64encode(b"not a png").decode()
    doc = _open(word.docx_bytes(nb))
    assert "（图1 支出构成未能生成，文档中从略。）" in [p.text for p in doc.paragraphs]
    del nb.cells[0].outputs[0].data["image/png"]
    assert "（图1 支出构成未能生成，文档中从略。）" in [p.text for p in _open(word.docx_bytes(nb)).paragraphs]


def test_a_chart_is_embedded_with_its_caption_below() -> None:
    nb = _notebook([[b.Figure(3, "绩效指标计划完成率")]])
    doc = _open(word.docx_bytes(nb))
    assert len(doc.inline_shapes) == 1
    texts = [p.text for p in doc.paragraphs]
    picture_at = next(i for i, p in enumerate(doc.paragraphs) if p._p.xpath(".//pic:pic"))
    assert texts[picture_at + 1] == "图3 绩效指标计划完成率"


def test_an_overlong_table_is_cut_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word, "MAX_ROWS", 10)
    rows = tuple((b.Cell(f"行{i}"), b.Cell(f"{i}.00", "num")) for i in range(25))
    doc = _open(word.docx_bytes(_notebook([[b.Table("长表", ("项目", "金额"), rows, number=1)]])))
    assert len(doc.tables[0].rows) == 11
    assert "（本表共 25 行，文档列出前 10 行；全表见同名 HTML 报告。）" in [p.text for p in doc.paragraphs]


def test_a_table_wider_than_word_allows_is_a_note() -> None:
    columns = tuple(f"列{i}" for i in range(70))
    doc = _open(word.docx_bytes(_notebook([[b.Table("宽表", columns, (tuple(b.Cell("1") for _ in columns),), number=1)]])))
    assert doc.tables == []
    assert any("本表共 70 列" in p.text for p in doc.paragraphs)


def test_a_working_paper_gets_its_kind_title_and_provenance() -> None:
    """The memo (not an issued report): 复核意见 and its title on top, how to reproduce it at the end, no cover."""
    nb = _notebook([[b.Paragraph("结论")]], {"document": "memo", "title": "韶关2019年度复核意见", "department": "韶关",
                                            "data_hash": "abcdef1234567890", "params_file": "params/2019/shaoguan-rsj.yaml",
                                            "notebook": "review_memo"})
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("## 一、复核结论"))
    doc = _open(word.docx_bytes(nb))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "复核意见（供评价机构核实）"  # review N8: addressed to the evaluator, not its opinion
    assert texts[1] == "韶关2019年度复核意见"
    assert any(p.style.name == "Heading 1" and p.text == "一、复核结论" for p in doc.paragraphs if p.style is not None)
    assert "复现：auditkit run params/2019/shaoguan-rsj.yaml --only review_memo" in texts
    assert not doc.sections[0].different_first_page_header_footer


def test_nbconvert_finds_the_exporter_by_its_name(tmp_path: Path) -> None:
    from nbconvert.exporters import get_exporter

    exporter = get_exporter("auditkit_docx")()
    assert exporter.file_extension == ".docx"
    body, resources = exporter.from_notebook_node(_notebook([[b.Heading(2, "一、概况"), b.Paragraph("正文")]]))
    assert isinstance(body, bytes) and resources["output_extension"] == ".docx"
    assert [p.text for p in _open(body).paragraphs if p.style is not None and p.style.name == "Heading 1"] == ["一、概况"]


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_no_evaluation_report_carries_an_internal_marker(number: str) -> None:
    """Every sample department's evaluation report as a Word document (body, header, footer, comments): none of the
    issue-14 list of auditkit's own words, and every heading of its outline."""
    dept = seed(number)
    framework = load_framework(dept.evaluation.framework)
    sections = document(dept, score(dept, framework), review(dept, reconciliation(dept, framework)), framework)
    text = _all_text(word.docx_bytes(_notebook(sections)))
    assert [m for m in INTERNAL if m in text] == []
    headings = [x.text for s in sections for x in s if isinstance(x, b.Heading)]
    assert headings and all(h in text for h in headings)
