"""auditkit.report.evaluation: the evaluation report's prose and tables, checked against 003 (the third-party 韶关 report)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit import DepartmentYear, load
from auditkit.analyses.budget import expenditure_chain
from auditkit.reconcile import reconciliation
from auditkit.report.evaluation import (
    abstract,
    annotate,
    budget_paragraph,
    conclusion,
    goals_table,
    indicator_analysis,
    kpi_tables,
    profile,
    report_title,
    scorecard_table,
)
from auditkit.scoring.framework import load_framework
from auditkit.scoring.scorecard import Scorecard, score

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shaoguan() -> tuple[DepartmentYear, Scorecard]:
    dept = load(ROOT / "data/2019/shaoguan-rsj")
    return dept, score(dept, load_framework(dept.evaluation.framework))


def test_titles_follow_the_kind_of_evaluation() -> None:
    assert report_title(load(ROOT / "data/2019/shaoguan-rsj")) == "韶关市人力资源和社会保障局2019年度部门整体支出绩效评价报告"
    assert report_title(load(ROOT / "data/2024/lechang-rsj")) == "乐昌市人力资源和社会保障局2024年度部门整体支出绩效自评报告"


def test_abstract_states_who_the_budget_chain_and_the_grade(shaoguan: tuple[DepartmentYear, Scorecard]) -> None:
    """003 摘要: 36,158.49 → 13,460.53 → 13,867.60 → 13,867.60, 100%; 83.3 分, 良."""
    dept, card = shaoguan
    text = "\n".join(abstract(dept, card))
    assert "广州博达管理咨询有限公司受韶关市财政局委托" in text
    for figure in ("36,158.49万元", "13,460.53万元", "13,867.60万元", "预算调整率为3.02%", "100.00%", "83.3分", "“良”"):
        assert figure in text
    assert "一是缺少预算绩效管理制度" in text


def test_budget_paragraph_is_missing_without_a_budget_table() -> None:
    assert budget_paragraph(load(ROOT / "data/2024/panyu-rsj")) is None  # 002 has no budget table


def test_profile_and_goals(shaoguan: tuple[DepartmentYear, Scorecard]) -> None:
    """003 一（一）: 15个机构, 行政编制60名, 公务用车2台; 表1 targets such as 城镇新增就业3万人以上."""
    dept, _ = shaoguan
    text = "".join(profile(dept))
    assert "等15个机构" in text and "行政编制60名" in text and "公务用车编制2台" in text
    goals = goals_table(dept)
    target = goals.loc[goals["指标名称"] == "城镇新增就业人数", "本年度计划完成水平"].item()
    assert target == "不低于30,000人"
    assert goals.loc[goals["指标名称"] == "城镇登记失业率", "本年度计划完成水平"].item() == "不高于3.5%"


def test_indicator_analysis_computes_effectiveness_from_its_parts(shaoguan: tuple[DepartmentYear, Scorecard]) -> None:
    """003 二（四）3: the five 效果性 items sum to 9.8 (the report prints 9.6); the analysis says 9.8 and 98.00%."""
    _, card = shaoguan
    blocks = indicator_analysis(card)
    headings = [b.text for b in blocks if b.level == 3]
    assert headings == ["（一）预算编制情况", "（二）预算执行情况", "（三）预算使用效益"]
    after = [b.text for b in blocks][[b.text for b in blocks].index("3. 效果性") + 1]
    assert after.startswith("指标分值10分，评价得分9.8分，得分率98.00%")
    assert any("绩效目标覆盖率为62.16%" in b.text for b in blocks)


def test_conclusion_total_and_grade(shaoguan: tuple[DepartmentYear, Scorecard]) -> None:
    dept, card = shaoguan
    text = "".join(conclusion(dept, card))
    assert "预算编制情况（24分/30分）" in text and "预算使用效益（26.8分/30分）" in text
    assert "总得分为83.3分" in text and "“良”" in text


def test_reviewer_notes_mark_the_misprinted_figures(shaoguan: tuple[DepartmentYear, Scorecard]) -> None:
    """003 表5 工伤保险征缴收入 127.15% (is 127.22%); 003 二（二）3 保障措施 75% (is 50%); 二（四）1.(1) 公用经费 245 vs 249.00."""
    dept, card = shaoguan
    findings = reconciliation(dept, load_framework(dept.evaluation.framework)).findings
    tables = dict(kpi_tables(dept, findings))
    social = tables["社会保障工作完成情况表"]
    note = social.loc[social["指标名称"] == "工伤保险征缴收入", "复核提示"].item()
    assert "127.15%" in note and "127.22%" in note
    card_table = scorecard_table(card, findings)
    assert "75%" in card_table.loc[card_table["编号"] == "A.3", "复核提示"].item()
    assert card_table.iloc[-1]["指标"] == "合计" and card_table.iloc[-1]["得分"] == pytest.approx(83.3)
    chain = annotate(expenditure_chain(dept), findings, "expenditure")
    assert "245" in chain.loc["日常公用经费", "复核提示"]
