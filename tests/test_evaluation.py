"""auditkit.report.evaluation: the evaluation report an evaluator issues, checked against 003 (the third-party 韶关
report, ../shared/seeds/003_28952255cfac55ab.txt) section by section, and free of auditkit's own voice."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
from pathlib import Path

import pytest

from auditkit import DepartmentYear, load
from auditkit.data.model import Note, TextItem
from auditkit.data.schema import TEXT_CATEGORIES
from auditkit.reconcile import Review, reconciliation, review
from auditkit.report import blocks as b
from auditkit.report import memo
from auditkit.report.evaluation import (
    conclusion,
    document,
    indicator_analysis,
    note_places,
    report_title,
    score_comparison,
    scorecard_table,
)
from auditkit.scoring.framework import load_framework
from auditkit.scoring.scorecard import score
from tests.conftest import ROOT, SAMPLES, seed

#: What the issued report must never say: auditkit's files, rule codes, reviewer's remarks and jargon.
INTERNAL = ("restated", "recompute", "score_rate", "score_sum", "cross_footing", "请核对原报告", "复核提示", "数据指纹",
            "auditkit", "未找到上年数据", ".csv", "data/", "department.yaml", "下级合计", "按规则计算", "评价人评分", "—分",
            "复现")


def _report(dept: DepartmentYear) -> tuple[list[list[b.Block]], Review]:
    framework = load_framework(dept.evaluation.framework)
    checked = review(dept, reconciliation(dept, framework))
    return document(dept, score(dept, framework), checked, framework), checked


def _blocks(sections: list[list[b.Block]]) -> list[b.Block]:
    return [block for section in sections for block in section]


def _text(sections: list[list[b.Block]]) -> str:
    return b.plain(_blocks(sections))


def _headings(sections: list[list[b.Block]], level: int) -> list[str]:
    return [x.text for x in _blocks(sections) if isinstance(x, b.Heading) and x.level == level]


def _tables(sections: list[list[b.Block]]) -> list[b.Table]:
    return [x for x in _blocks(sections) if isinstance(x, b.Table)]


@pytest.fixture(scope="module")
def shaoguan() -> tuple[list[list[b.Block]], Review]:
    return _report(seed("003"))


# --- 003's structure -------------------------------------------------------------------------------------------------


def test_003_has_every_section_of_003_in_its_order_and_numbering(shaoguan: tuple[list[list[b.Block]], Review]) -> None:
    """003: 摘要; 一、部门基本情况 （一）–（四）; 二、绩效评价指标分析 （一）年度工作任务及绩效目标完成情况 （二）–（四）…指标分析;
    三、评价结论; 四、主要绩效 （一）–（五）; 五、存在问题; 六、相关建议; 附件 评分表."""
    sections, _ = shaoguan
    assert _headings(sections, 2) == ["摘要", "一、部门基本情况", "二、绩效评价指标分析", "三、评价结论", "四、主要绩效", "五、存在问题",
                                      "六、相关建议", "附件：韶关市人力资源和社会保障局部门整体支出绩效评价评分表"]
    level3 = _headings(sections, 3)
    assert level3[:4] == ["（一）部门主要职能。", "（二）年度总体工作任务及重点工作任务。", "（三）资金使用的绩效目标及指标。", "（四）部门整体收支情况。"]
    assert level3[4:8] == ["（一）年度工作任务及绩效目标完成情况。", "（二）预算编制情况指标分析。", "（三）预算执行情况指标分析。",
                           "（四）预算使用效益指标分析。"]
    assert level3[8:13] == ["（一）保持就业局势整体稳定，优化创业整体环境。", "（二）加强社会保险扩面征缴，降低企业社保成本。",
                            "（三）落实人才政策，推动人才振兴。", "（四）实施技能培养行动，充实技能人才队伍。", "（五）规范企业用工行为，推进法治建设。"]


def test_003_has_its_tables_1_to_8_where_003_prints_them(shaoguan: tuple[list[list[b.Block]], Review]) -> None:
    """表1 in 一（三）; 表2, 表3 in 一（四） with their 备注; 表4–表8 each right after its 四（一）–（五） subheading."""
    # 003 表2 "人社局部门收入预决算情况表", 表3 "人社局部门支出预决算情况表" (texts.csv 表题)
    sections, _ = shaoguan
    numbered = [(t.number, t.title) for t in _tables(sections) if t.number is not None]
    assert numbered == [(1, "绩效目标及指标计划情况表"), (2, "人社局部门收入预决算情况表"), (3, "人社局部门支出预决算情况表"),
                        (4, "就业创业工作完成情况表"), (5, "社会保险工作完成情况表"), (6, "人才队伍建设工作完成情况"),
                        (7, "技能人才培养工作完成情况表"), (8, "劳动关系协调工作完成情况")]
    blocks = _blocks(sections)
    for heading, number in (("（一）保持就业局势整体稳定，优化创业整体环境。", 4), ("（五）规范企业用工行为，推进法治建设。", 8)):
        at = next(i for i, x in enumerate(blocks) if isinstance(x, b.Heading) and x.text == heading)
        following = next(x for x in blocks[at + 1:] if isinstance(x, (b.Table, b.Heading)))
        assert isinstance(following, b.Table) and following.number == number
    tables = {t.number: t for t in _tables(sections)}
    assert tables[2].note == "备注：年初预算数，来源于市人社局提供的资金数额核对表格；调整预算数和决算数，来源于市人社局提供的决算表格。"
    assert tables[3].note is not None and tables[3].note.startswith("备注：年初预算数、各原因的预算调增或调减金额")
    assert tables[3].columns == ("支出类型", "年初预算数", "A涉改调整资金", "B财政部门直接调整资金", "剔除A和B后的预算数", "调整预算数", "决算数")


def test_003_tables_print_the_figures_as_003_states_them(shaoguan: tuple[list[list[b.Block]], Review]) -> None:
    """表4 同比去年 城镇新增就业人数 −9.19%, 表5 企业职工基本养老保险 6.63% (printed, not recomputed); 表4 has no 目标值
    column (003 prints none); 表8 prints 计划数 and 实际数, no 计划完成率; 表3 合计 调整预算 13,867.60."""
    tables = {t.number: t for t in _tables(shaoguan[0])}
    four = {row[0].text: row for row in tables[4].rows}
    assert tables[4].columns == ("指标", "实际数", "计划完成率", "同比去年")
    assert four["城镇新增就业人数"][3].text == "-9.19%" and four["城镇新增就业人数"][2].text == "101.14%"
    five = {row[0].text: row for row in tables[5].rows}
    assert five["企业职工基本养老保险（不含离退休）参保人数/万人"][4].text == "6.63%"
    assert tables[8].columns == ("指标名称", "指标解释/计算公式", "计划数", "实际数")
    total = next(row for row in tables[3].rows if row[0].text == "合  计")
    assert total[5].text == "13,867.60"
    one = tables[1]
    assert one.columns == ("指标类型", "指标名称", "本年度计划完成水平") and len(one.rows) == 5  # 003 表1: five 指标
    assert one.rows[0][2].text.splitlines()[1] == "2. 城镇新增就业3万人以上"


def test_003_prints_its_own_abstract_conclusion_and_duties(shaoguan: tuple[list[list[b.Block]], Review]) -> None:
    """摘要 and 三、评价结论 are 003's own words; 一（一） lists the duties 1.–8. (never （一）…（八）)."""
    text = _text(shaoguan[0])
    assert "为推进财政支出绩效管理的科学化、精细化水平" in text  # 003 摘要, first paragraph
    assert "本次评价采用四级细化指标评分表为工具" in text and "（详细评分见附件）" in text  # 003 三
    assert "\n1.贯彻执行国家和省有关人力资源和社会保障事业发展的方针政策" in text and "\n8.承办市人民政府" in text
    assert "等15个机构，行政编制60名" in text  # 003 一（一）, its own count
    assert "市人社局2019年以就业创业、社会保险" in text  # 003 二（一）


def test_the_indicator_analysis_prints_the_stated_scores_and_rates_in_003s_words(
    shaoguan: tuple[list[list[b.Block]], Review],
) -> None:
    """003 二（二）: 预算编制情况…指标分值30分，评价得分24分，得分率80%; 1.预算编制…得分率77.77%; （1）预算编制合理性，指标分值5分。…扣2分。"""
    text = _text(shaoguan[0])
    assert "预算编制情况包括预算编制、目标设置、保障措施3个二级指标，指标分值30分，评价得分24分，得分率80%。" in text
    assert "1.预算编制，指标分值18分，评价得分14分，得分率77.77%。" in text
    assert "（1）预算编制合理性，指标分值5分。市人社局2019年部门预算编制、分配符合部门职责" in text
    assert "3.效果性，指标分值10分，评价得分9.6分，得分率96%。" in text  # as 003 prints it; the memo recomputes 9.8


# --- the report's own voice only --------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_no_report_carries_auditkits_own_voice(number: str) -> None:
    sections, _ = _report(seed(number))
    text = _text(sections)
    assert [marker for marker in INTERNAL if marker in text] == []
    assert "工作工作" not in text and "（11）" not in text  # 004: 党建工作完成情况表; （十一）


def test_gd_zwfw_has_no_open_error_and_is_final() -> None:
    """001 (gd-zwfw): nothing to confirm: no 征求意见稿, no note."""
    sections, checked = _report(seed("001"))
    cover = _blocks(sections)[0]
    assert isinstance(cover, b.Cover) and not cover.draft and not checked.draft
    assert not any(isinstance(x, b.Notes) for x in _blocks(sections))


# --- draft → final ------------------------------------------------------------------------------------------------------


def test_003_is_a_draft_whose_contradicted_figures_carry_notes(shaoguan: tuple[list[list[b.Block]], Review]) -> None:
    """003 keeps its misprints (raw data is evidence): 保障措施 75% (1 ÷ 2 is 50%), 效果性 9.6 (the parts give 9.8),
    表5 工伤保险征缴收入 127.15% (9,160 ÷ 7,200 is 127.22%), … each awaits confirmation."""
    sections, checked = shaoguan
    cover = _blocks(sections)[0]
    assert isinstance(cover, b.Cover) and cover.draft and "征求意见稿" in b.html([cover])
    assert len(checked.open_errors) == 7
    marked = [x for x in _blocks(sections) if isinstance(x, b.Heading) and x.marks]
    assert {x.text for x in marked} >= {"3.保障措施，指标分值2分，评价得分1分，得分率75%。", "3.效果性，指标分值10分，评价得分9.6分，得分率96%。"}
    five = next(t for t in _tables(sections) if t.number == 5)
    injury = next(row for row in five.rows if row[0].text.startswith("工伤保险征缴收入"))
    assert injury[3].text == "127.15%" and injury[3].mark is not None
    notes = next(x for x in _blocks(sections) if isinstance(x, b.Notes))
    assert [n for n, _ in notes.items] == list(range(1, len(notes.items) + 1))
    assert all("待评价机构核实确认" in text and "待确认事项第" in text for _, text in notes.items)


def test_notes_are_numbered_in_reading_order(shaoguan: tuple[list[list[b.Block]], Review]) -> None:
    marks = [m for x in _blocks(shaoguan[0]) for m in _marks(x)]
    first_seen = list(dict.fromkeys(marks))
    assert first_seen == sorted(first_seen)


def _marks(block: b.Block) -> list[int]:
    if isinstance(block, (b.Paragraph, b.Heading)):
        return list(block.marks)
    if isinstance(block, b.Table):
        return [c.mark for row in block.rows for c in row if c.mark is not None]
    return []


def _decide_every_open_finding(dept: DepartmentYear, checked: Review) -> DepartmentYear:
    decisions = tuple(Note(f"决定 {i}", "经核实，报告列示数有误，以复核数为准。", finding=i, stands="复核数",
                           decided_by="广州博达管理咨询有限公司 张某", decided_on="2020-07-01")
                      for i in (checked.id_of(f) for f in checked.open))
    return dataclasses.replace(dept, notes=dept.notes + decisions)


def test_decisions_on_every_open_finding_give_a_final_report_without_notes() -> None:
    """003 with a decision (notes.csv: 发现, 采用, 决定人, 日期) on each open finding: a final report, no 征求意见稿, no mark."""
    dept = seed("003")
    _, checked = _report(dept)
    sections, after = _report(_decide_every_open_finding(dept, checked))
    assert not after.draft and len(after.decided) == len(checked.open) and after.stale == ()
    cover = _blocks(sections)[0]
    assert isinstance(cover, b.Cover) and not cover.draft
    assert [m for x in _blocks(sections) for m in _marks(x)] == []
    assert "征求意见稿" not in b.html(_blocks(sections))


# --- every text the data holds has a place ------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["003", "002"], ids=["municipal", "provincial"])
def test_a_text_of_every_category_appears_in_the_report(number: str) -> None:
    """A planted text of each texts.csv category appears in the report, in either outline (003's, 002's)."""
    dept = seed(number)
    planted = tuple(TextItem(category, f"植入的{category}文字。", order=90 + n, title=f"植入{category}")
                    for n, category in enumerate(TEXT_CATEGORIES))
    text = _text(_report(dataclasses.replace(dept, texts=dept.texts + planted))[0])
    assert [c for c in TEXT_CATEGORIES if f"植入的{c}文字。" not in text] == []


# --- the rendered pages, end to end -------------------------------------------------------------------------------------


def _run(project: Path, *params: str) -> None:
    from auditkit.batch.catalogue import catalogue
    from auditkit.batch.plan import plan
    from auditkit.batch.runner import run_batch

    notebooks = [n for n in catalogue(ROOT / "notebooks") if n.name in ("evaluation_report", "review_memo")]
    jobs = plan([project / "params" / p for p in params], notebooks, project / "outputs")
    results = run_batch(jobs, workers=2, out_root=project / "outputs")
    assert {r.key: r.error for r in results if r.status != "ok"} == {}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample project (data and params), with the shipped notebooks."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "params", tmp_path / "params")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    monkeypatch.setenv("AUDITKIT_ROOT", str(tmp_path))
    return tmp_path


def _page_text(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", page, flags=re.S))


@pytest.mark.slow
def test_the_rendered_reports_carry_no_internal_marker_and_the_memos_every_finding(project: Path) -> None:
    params = [str(p.relative_to(project / "params")) for p in sorted((project / "params").glob("*/*.yaml"))]
    _run(project, *params)
    for dept, path in SAMPLES.items():
        year = path.parent.name
        report = _page_text(project / "outputs" / year / dept / "evaluation_report.html")
        assert [m for m in INTERNAL if m in report] == [], dept
        memo = _page_text(project / "outputs" / year / dept / "review_memo.html")
        loaded = load(path)
        checked = review(loaded, reconciliation(loaded, load_framework(loaded.evaluation.framework)))
        assert [i for i in checked.ids if i not in memo] == [], dept


@pytest.mark.slow
def test_draft_to_final_end_to_end(project: Path) -> None:
    """003 renders as a draft (征求意见稿 on the cover and on every printed page); once every open finding is decided in
    notes.csv, it renders final, without marks, and the memo lists the findings as decided."""
    _run(project, "2019/shaoguan-rsj.yaml")
    out = project / "outputs/2019/shaoguan-rsj"
    draft = (out / "evaluation_report.html").read_text(encoding="utf-8")
    assert '<div class="ak-draft-stamp">征求意见稿</div>' in draft and '@top-center { content: "征求意见稿"' in draft
    assert '<sup class="ak-mark">' in draft
    dept = load(project / "data/2019/shaoguan-rsj")
    checked = review(dept, reconciliation(dept, load_framework(dept.evaluation.framework)))
    notes = project / "data/2019/shaoguan-rsj/notes.csv"
    rows = list(csv.DictReader(io.StringIO(notes.read_text(encoding="utf-8"))))
    rows += [{"对象": "勾稽复核", "解读": "经核实，以复核数为准。", "发现": checked.id_of(f), "采用": "复核数",
              "决定人": "评价机构 张某", "日期": "2020-07-01"} for f in checked.open]
    text = io.StringIO()
    writer = csv.DictWriter(text, ["对象", "解读", "理由", "发现", "采用", "决定人", "日期"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    notes.write_text(text.getvalue(), encoding="utf-8")
    _run(project, "2019/shaoguan-rsj.yaml")
    final = (out / "evaluation_report.html").read_text(encoding="utf-8")
    assert "征求意见稿" not in final and '<sup class="ak-mark">' not in final
    memo = _page_text(out / "review_memo.html")
    assert "评价报告可以定稿" in memo and all(checked.id_of(f) in memo for f in checked.open)


def _pdf_pages(pdf: Path) -> list[tuple[str, bool]]:
    """Each printed page's text and whether it is landscape (poppler's pdftotext and pdfinfo)."""
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True).stdout
    sizes = [tuple(float(x) for x in m.groups()) for m in re.finditer(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    pages = text.split("\f")[:len(sizes)]
    return [(page, w > h) for page, (w, h) in zip(pages, sizes, strict=True)]


@pytest.mark.slow
def test_the_003_report_prints_without_a_stranded_caption_and_its_annex_in_landscape(project: Path, tmp_path: Path) -> None:
    """Print (issue 14): no page ends on a table's caption or header (003 表2 stood alone at the foot of p.5); the
    评分表 (附件) prints on landscape pages, the notes and the sign-off with it; the body is portrait."""
    from auditkit.report.chromium import chromium_path, print_pdf

    if chromium_path() is None or shutil.which("pdftotext") is None:
        pytest.skip("Chromium and poppler-utils are installed by `make test`")
    _run(project, "2019/shaoguan-rsj.yaml")
    pages = _pdf_pages(print_pdf(project / "outputs/2019/shaoguan-rsj/evaluation_report.html", tmp_path / "003.pdf"))
    for n, (page, _) in enumerate(pages, start=1):
        lines = [x.strip() for x in page.splitlines() if x.strip() and not re.match(r"^第 \d+ 页", x.strip())]
        assert not re.match(r"^表\d+ ", lines[-1]) and not lines[-1].startswith(("收入类型", "支出类型", "指标")), (n, lines[-1])
    annex = [n for n, (page, _) in enumerate(pages) if "评分标准" in page and "扣分理由" in page]
    assert annex and all(pages[n][1] for n in range(annex[0], len(pages)))  # the annex to the end: landscape
    assert not any(landscape for _, landscape in pages[:annex[0]])
    assert "评价机构（盖章）" in pages[-1][0]


# --- the scoring notebook's working papers (they may say how each score was reached) ------------------------------------


def test_titles_follow_the_kind_of_evaluation() -> None:
    assert report_title(seed("003")) == "韶关市人力资源和社会保障局2019年度部门整体支出绩效评价报告"
    assert report_title(seed("004")) == "乐昌市人力资源和社会保障局2024年度部门整体支出绩效自评报告"


def test_the_working_papers_compute_effectiveness_from_its_parts() -> None:
    """003 二（四）3: the five 效果性 items sum to 9.8 (the report prints 9.6); the scoring working paper says 9.8."""
    dept = seed("003")
    card = score(dept, load_framework(dept.evaluation.framework))
    blocks = indicator_analysis(card)
    after = [x.text for x in blocks][[x.text for x in blocks].index("3. 效果性") + 1]
    assert after.startswith("指标分值10分，评价得分9.8分，得分率98.00%")
    assert "总得分为83.3分" in "".join(conclusion(dept, card))
    table = scorecard_table(card)
    assert table.iloc[-1]["指标"] == "合计" and table.iloc[-1]["得分"] == pytest.approx(83.3)


def test_a_missing_score_reads_unscored_never_dash_points() -> None:
    """000 prints no indicator scores: the working paper says 未评分 (a "—分" reads as 一分)."""
    dept = seed("000")
    card = score(dept, load_framework(dept.evaluation.framework))
    text = "".join(x.text for x in indicator_analysis(card)) + "".join(conclusion(dept, card))
    assert "—分" not in text and "履职效能（未评分/50分）" in text and "未评分（下级指标未全部评分）" in text


def test_the_score_comparison_says_what_could_not_be_compared() -> None:
    """000 states only its total (98.21 优, 二（一）) and no indicator score: nothing is said to agree, and the total
    and grade are named as not compared; 001 (96.95 优) agrees, and says with what."""
    dept = seed("000")
    said = score_comparison(dept, score(dept, load_framework(dept.evaluation.framework)))
    assert not any("一致" in x for x in said)
    assert any(x.startswith("未比较：10项指标未评分") and "报告所列总分98.21分无法与计算的总分比较" in x for x in said)
    zwfw = seed("001")
    agreed = score_comparison(zwfw, score(zwfw, load_framework(zwfw.evaluation.framework)))
    assert agreed == ["经比较，1项上级指标所列得分与其下级指标得分合计、所列总分96.95分与按各项得分计算的总分、所列等级“优”与按总分确定的等级一致。"]
    shaoguan = seed("003")
    differences = score_comparison(shaoguan, score(shaoguan, load_framework(shaoguan.evaluation.framework)))
    assert "C.3 效果性：报告列示得分 9.6 分，由下级指标得分合计为 9.8 分" in differences  # 003 二（四）3
    # and what agrees besides: 003 三 总得分为83.3分，绩效等级为“良”
    assert differences[-1].startswith("除上述差异外，经比较，") and "所列总分83.3分" in differences[-1]


def test_the_annex_total_prints_the_stated_total_and_grade() -> None:
    """000 二（一）: 自评分数为98.21分，绩效等级为“优”; no indicator score is printed, so none is computed: the 合计 row
    carries the report's own 98.21 and 优 (never 绩效等级：—)."""
    sections, _ = _report(seed("000"))
    annex = [t for t in _tables(sections) if t.landscape]
    assert len(annex) == 1
    total = annex[0].rows[-1]
    assert (total[0].text, total[6].text, total[7].text) == ("合计", "98.21", "绩效等级：优")


def test_a_machine_abstract_uses_what_the_texts_say_not_their_labels() -> None:
    """001's 存在问题 is titled "就部门整体支出绩效管理存在问题" and its 相关建议 "改进措施": labels of where the text
    stands, not what it says. A third-party report of 001 (no 摘要 of its own) states the problem and the advice in
    001's words (二（四）: 信息化项目…支出较为缓慢; 下一步…细化预算支出计划), never the labels."""
    dept = seed("001")
    third = dataclasses.replace(dept, evaluation=dataclasses.replace(dept.evaluation, kind="第三方评价"))
    sections, _ = _report(third)
    blocks = _blocks(sections)
    start = next(i for i, x in enumerate(blocks) if isinstance(x, b.Heading) and x.text == "摘要")
    end = next(i for i, x in enumerate(blocks) if isinstance(x, b.Heading) and x.level == 2 and i > start)
    abstract = b.plain(blocks[start:end])
    assert "存在的主要问题：一是2021年我中心信息化项目因涉及立项审批的原因导致支出较为缓慢" in abstract
    assert "就部门整体支出绩效管理存在问题" not in abstract and "一是改进措施" not in abstract


def test_a_completion_table_named_after_its_group_never_doubles_gongzuo() -> None:
    """004 四（五）党建工作 followed by its group's table with no printed 表题: 党建工作完成情况表 (not 党建工作工作…);
    a group without 工作 gets it: 就业 → 就业工作完成情况表."""
    dept = seed("004")
    texts = tuple(dataclasses.replace(t, group=t.title.replace("绩效指标", "")) if t.category == "主要绩效" and t.title
                  and t.title.startswith(("党建工作", "就业")) else t for t in dept.texts)
    titles = [t.title for t in _tables(_report(dataclasses.replace(dept, texts=texts))[0]) if t.number is not None]
    assert "党建工作完成情况表" in titles and "就业工作完成情况表" in titles
    assert not any("工作工作" in t for t in titles)


def test_a_self_evaluations_notes_ask_the_reporting_unit_not_an_evaluator() -> None:
    """004 is a 自评报告 by 乐昌市人社局 (004 封面 填报单位; no third party): its notes ask the 填报单位 to confirm; 003 is a
    第三方评价 (003 摘要 广州博达管理咨询有限公司): the 评价机构."""
    own = seed("004")
    sections, checked = _report(own)
    assert checked.draft
    notes = next(x for x in _blocks(sections) if isinstance(x, b.Notes))
    assert all("有待填报单位核实确认" in text and "评价机构" not in text for _, text in notes.items)
    said = "".join(memo.conclusion(own, checked))
    assert "待填报单位确认" in said and "评价机构" not in said
    assert "待评价机构确认" in "".join(memo.conclusion(seed("003"), _report(seed("003"))[1]))


def test_lead_ins_and_table_titles_are_the_sources_own(shaoguan: tuple[list[list[b.Block]], Review]) -> None:
    """003 一（三） introduces 表1 with "围绕如上…，市人社局绩效目标及指标如下表所示：" (its own words, 市人社局, not the
    full name); 003 一（四） titles 表2 "人社局部门收入预决算情况表" and 表3 "人社局部门支出预决算情况表"."""
    blocks = _blocks(shaoguan[0])
    one = next(i for i, x in enumerate(blocks) if isinstance(x, b.Table) and x.number == 1)
    lead = blocks[one - 1]
    assert isinstance(lead, b.Paragraph)
    assert lead.text == "围绕如上年度总体工作任务及重点工作任务，市人社局绩效目标及指标如下表所示："
    assert "韶关市人力资源和社会保障局绩效目标及指标如下表所示" not in _text(shaoguan[0])


def test_no_lead_in_is_written_where_the_source_has_none() -> None:
    """004 一（三）部门整体支出目标及任务 introduces no table with 003's sentence: none is printed (review B3)."""
    text = _text(_report(seed("004"))[0])
    assert "围绕如上" not in text and "如下表所示" not in text


def test_table_8_prints_003s_own_formulas(shaoguan: tuple[list[list[b.Block]], Review]) -> None:
    """003 表8 指标解释/计算公式, verbatim (kpis.csv 公式说明): 和解案件 stays in 调解成功率's numerator, and 降幅 keeps
    003's own sign (…/2018年…-1), which the data log raises (review B2)."""
    eight = next(t for t in _tables(shaoguan[0]) if t.number == 8)
    column = eight.columns.index("指标解释/计算公式")
    printed = [row[column].text for row in eight.rows]
    assert printed == ["签订率=实际签订的/应该签订的×100%",
                       "结案率=当期审结案件数/（上期未累计未结争议案件数+当期立案受理案件数）×100%",
                       "调解成功率=（调解组织达成调解协议及和解案件数+仲裁调解结案数）/（调解组织结案数+仲裁机构结案数）×100%",
                       "降幅=（2019年查处工资类违法案件数量/2018年查处工资类违法案件-1）×100%"]


def test_a_kpi_table_without_the_printed_formula_falls_back_to_the_registry() -> None:
    """A KPI whose data gives only 公式 (no 公式说明) prints the registry's wording of that formula."""
    dept = seed("003")
    kpis = tuple(dataclasses.replace(k, formula_text=None) for k in dept.kpis)
    sections, _ = _report(dataclasses.replace(dept, kpis=kpis))
    eight = next(t for t in _tables(sections) if t.number == 8)
    assert eight.rows[0][eight.columns.index("指标解释/计算公式")].text == "签订率=实际签订数/应签订数×100%"


def test_the_annex_says_its_standards_are_worked_out_from_the_text(shaoguan: tuple[list[list[b.Block]], Review]) -> None:
    """003 ends with the title of its 评分表 only (003 附件); gd-municipal-2019 works 指标解释/评分标准 out of 003
    二（二）–（四） and marks what no sentence states `assumed:` (A.1.1: 003 对所列问题合计扣 2 分，未写逐项扣分值). The
    annex keeps the columns and says so under the table; the memo lists each assumed text (review B1)."""
    annex = _tables(shaoguan[0])[-1]
    assert "评分标准" in annex.columns and "指标解释" in annex.columns
    assert annex.note is not None and "待与委托方印发的评分表核对" in annex.note
    listed = memo.assumed_table(load_framework("gd-municipal-2019"))
    assert "A.1.1" in set(listed["编号"]) and set(listed["内容"]) <= {"指标解释", "评分标准"}


def test_the_memo_lists_the_targets_inferred_from_printed_rates() -> None:
    """003 表4 prints no 目标值: kpis.csv infers 5000 / 22000 / 2200 / 1600 from 实际数 ÷ 计划完成率 (003 表4)."""
    inferred = memo.inferred_table(seed("003"))
    assert list(inferred["目标值"]) == ["5,000", "22,000", "2,200", "1,600"]


def test_the_annex_has_subtotals_and_names_every_rows_indicators(shaoguan: tuple[list[list[b.Block]], Review]) -> None:
    """003 二（二）–（四）: 预算编制 18 分 得 14 分; 预算执行情况 40 分 得 32.5 分; 效果性 10 分 得 9.6 分 (得分率 96%,
    disputed: the parts give 9.8) and 保障措施 得分率 75% (disputed: 1 ÷ 2) carry their notes on those figures (review S3)."""
    annex = _tables(shaoguan[0])[-1]
    rows = {tuple(c.text for c in r[:3]): r for r in annex.rows}
    compile_ = rows[("预算编制情况", "预算编制", "小计")]
    assert (compile_[3].text, compile_[6].text) == ("18", "14")
    execution = rows[("预算执行情况", "小计", "")]
    assert (execution[3].text, execution[6].text, execution[7].text) == ("40", "32.5", "得分率81.25%")
    effect = rows[("预算使用效益", "效果性", "小计")]
    assert effect[6].text == "9.6" and effect[6].mark is not None and effect[7].text == "得分率96%"
    guard = rows[("预算编制情况", "保障措施", "")]
    assert guard[7].text.startswith("得分率75%") and guard[7].mark is not None
    subtotals = [annex.rows[i] for i in annex.totals]
    assert all(r is annex.rows[-1] or "小计" in (r[1].text, r[2].text) for r in subtotals)
    assert all(r[0].text and r[1].text for r in annex.rows[:-1])  # 一级 and 二级 on every row


def test_budget_tables_print_003s_numbered_row_labels(shaoguan: tuple[list[list[b.Block]], Review]) -> None:
    """003 表2 一、一般公共预算财政拨款收入 … 七、其他收入, 合  计; 表3 一、基本支出 / 1、人员经费 / 2、日常公用经费 /
    二、项目支出 / 其中：基本建设类项目, the parts of 基本支出 indented under it (review S2)."""
    two, three = (next(t for t in _tables(shaoguan[0]) if t.number == n) for n in (2, 3))
    assert [r[0].text for r in two.rows][::7] == ["一、一般公共预算财政拨款收入", "合  计"]
    assert [r[0].text.strip("　") for r in three.rows][:5] == ["一、基本支出", "1、人员经费", "2、日常公用经费", "二、项目支出",
                                                              "其中：基本建设类项目"]
    assert three.rows[1][0].text.startswith("　") and not three.rows[0][0].text.startswith("　")


def test_a_decision_may_name_a_finding_by_its_short_id() -> None:
    """003's open findings (003 二（四）1.(1) 245 / 214.5, …) decided by the six-character ids the memo prints give a
    final report, as the long ids do (review S5); the memo prints 列示值 as 003 printed it (214.5, 9.6)."""
    dept = seed("003")
    _, checked = _report(dept)
    short = [checked.short_of(f) for f in checked.open]
    assert all(len(s) == 6 for s in short) and len(set(short)) == len(short)
    decisions = tuple(Note(f"决定 {s}", "经核实，以复核数为准。", finding=s, stands="复核数", decided_by="张某",
                           decided_on="2020-07-01") for s in short)
    _, after = _report(dataclasses.replace(dept, notes=dept.notes + decisions))
    assert not after.draft and after.stale == ()
    shown = set(memo.open_table(checked)["列示值"])
    assert {"214.5", "9.6"} <= shown and "214.50" not in shown


def test_the_memo_says_where_the_report_prints_each_finding_and_its_note(shaoguan: tuple[list[list[b.Block]], Review]) -> None:
    """003 二（四）1.(1) and 表3 日常公用经费 print 245 / 214.5 (finding 1 and 2): the memo's 报告位置 names both places
    and the note (注N) the report carries there, the number the report's own notes list (review S5)."""
    dept = seed("003")
    framework = load_framework(dept.evaluation.framework)
    sections, checked = shaoguan
    places = memo.open_table(checked, places=note_places(dept, score(dept, framework), checked, framework))["报告位置"]
    assert places[0].startswith("表3「2、日常公用经费」；二（四）1.（注")
    notes = next(x for x in _blocks(sections) if isinstance(x, b.Notes))
    for item, place in enumerate(places, start=1):
        number = int(re.search(r"（注(\d+)）$", place).group(1))
        assert f"第{item}项" in dict(notes.items)[number]


def test_provincial_sub_headings_keep_001s_numbering() -> None:
    """001 二（二） "1. 整体效能（满分 25 分，得分 23.05 分）", "2.专项效能…"; 二（三） "1. 预算编制（满分 5 分，得分 5 分）"
    … "7. 运行成本": each part numbers its sub-headings from 1 (review S10)."""
    fours = _headings(_report(seed("001"))[0], 4)
    assert fours[:2] == ["1.整体效能（满分 25 分，得分 23.05 分）", "2.专项效能（满分 25 分，得分 24.44 分）"]
    assert fours[2].startswith("1.预算编制") and fours[8].startswith("7.运行成本")
