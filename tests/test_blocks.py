"""auditkit.report.blocks: every block survives its JSON form (the Word document is written from it) and prints escaped."""

from __future__ import annotations

import pytest

from auditkit.report.blocks import (
    Cell,
    Cover,
    Figure,
    Heading,
    ItemList,
    Notes,
    Paragraph,
    SignOff,
    Table,
    from_json,
    html,
    plain,
    to_json,
)

BLOCKS = [
    Heading(2, "一、部门基本情况"),
    Paragraph("预算调整率为3.02%。", "body", (1,)),
    Paragraph("本部门数据未列示政府采购执行情况。", "missing"),
    ItemList(("一是建立预算绩效管理制度", "二是完善部门内部管理制度")),
    Table("人社局部门支出预决算情况表", ("支出类型", "决算数"), ((Cell("合计", "label"), Cell("13,867.60", "num", mark=2)),),
          3, "万元", (0,), "备注：调整预算数和决算数，来源于市人社局提供的决算表格。"),
    Figure(1, "一级、二级指标得分率"),
    Notes(((1, "此数待评价机构确认。"), (2, "此数待评价机构确认。"))),
    Cover("韶关市人力资源和社会保障局2019年度部门整体支出绩效评价报告",
          (("委托单位", "韶关市财政局"), ("评价机构", "广州博达管理咨询有限公司")), draft=True),
    SignOff((("评价机构（盖章）：", "广州博达管理咨询有限公司"), ("日期：", "2020年6月30日"))),
    Table("评分表", ("一级指标", "得分"), ((Cell("预算编制情况", "text"), Cell("24", "num")),), widths=(80, 20), landscape=True),
]


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.kind)
def test_every_block_survives_its_json_form(block: object) -> None:
    assert from_json(to_json(block)) == block  # type: ignore[arg-type]


def test_marks_link_figures_to_their_notes() -> None:
    page = html(BLOCKS)
    assert '13,867.60<sup class="ak-mark"><a href="#note-2" id="mark-2">[注2]</a></sup>' in page
    assert '<li id="note-2"><a href="#mark-2">注2</a>：此数待评价机构确认。</li>' in page


def test_a_draft_cover_says_so_and_lists_only_the_lines_it_has() -> None:
    page = html([BLOCKS[7]])
    assert '<div class="ak-draft-stamp">征求意见稿</div>' in page and "委托单位" in page and "报告编号" not in page
    assert plain([BLOCKS[7]]).splitlines()[0] == "征求意见稿"


def test_text_from_data_is_escaped_everywhere() -> None:
    hostile = "<img src=x onerror=alert(1)>"
    page = html([Heading(3, hostile), Paragraph(hostile), ItemList((hostile,)), Notes(((1, hostile),)),
                 Cover(hostile, ((hostile, hostile),)), Table(hostile, (hostile,), ((Cell(hostile),),))])
    assert "<img" not in page and page.count("&lt;img src=x onerror=alert(1)&gt;") == 10  # one in each text: heading, paragraph, item, note, cover (3), table (3)


def test_an_unknown_block_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown block kind 'video'"):
        from_json({"kind": "video"})


def test_a_short_table_prints_whole_and_the_annex_on_landscape_pages() -> None:
    """Print layout (issue 14): a table of up to 15 rows moves whole rather than leave its caption at a page foot
    (003 表2, p.5); the 评分表 is marked for the landscape pages of report.css."""
    short, annex = BLOCKS[4], BLOCKS[-1]
    assert 'class="ak-table ak-short"' in html([short])
    assert 'class="ak-table ak-landscape ak-short"' in html([annex])
    long = Table("表", ("项目",), tuple((Cell(str(n), "label"),) for n in range(16)))
    assert 'class="ak-table"' in html([long])


def test_a_text_of_several_paragraphs_prints_as_several() -> None:
    """003 四（三）: "一是落实…\n二是了解…\n三是牵头…" are three paragraphs in 003, never run together; a mark goes on
    the last."""
    page = html([Paragraph("一是落实人才政策。\n二是了解企业人才需求。\n三是牵头推进乡村人才振兴。", marks=(3,))])
    assert page.count("<p>") == 3 and page.index("三是") < page.index("[注3]")
