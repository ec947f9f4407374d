"""auditkit.scoring.scorecard: each seed's total, grade and level subtotals recomputed from its leaves under its framework.

Every expected figure cites the seed file (../shared/seeds/NNN_*.txt) and the section it comes from. Where a seed's
own subtotal is wrong (003 效果性), the test asserts the recomputation and says so.
"""

from __future__ import annotations

import dataclasses
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from auditkit import DepartmentYear, load, parse_number
from auditkit.cli import main
from auditkit.data.model import Procurement, Projects, Score
from auditkit.exceptions import ScoringError
from auditkit.scoring.framework import Indicator, Rule, load_framework
from auditkit.scoring.rules import RULE_INPUTS, rule_input
from auditkit.scoring.scorecard import Scorecard, format_scorecard, score
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def depts() -> dict[str, DepartmentYear]:
    return {name: load(path) for name, path in SAMPLES.items()}


def _card(dept: DepartmentYear) -> Scorecard:
    return score(dept, load_framework(dept.evaluation.framework))


def _scores(card: Scorecard, *ids: str) -> list[Decimal | None]:
    return [card.get(i).score for i in ids]


def _d(*values: str) -> list[Decimal | None]:
    return [Decimal(v) for v in values]


def _with_score(dept: DepartmentYear, indicator: str, **changes: object) -> DepartmentYear:
    scores = tuple(dataclasses.replace(s, **changes) if s.id == indicator else s for s in dept.scores)  # type: ignore[arg-type]
    return dataclasses.replace(dept, scores=scores)


def _n(text: str) -> object:
    return parse_number(text)


# --- the five seeds -----------------------------------------------------------------------------------------


def test_003_scores_83_3_good(depts: dict[str, DepartmentYear]) -> None:
    """003 摘要 and 三: 83.3 分, 良; 二（二）–（四): 预算编制情况 24, 预算执行情况 32.5, 预算使用效益 26.8."""
    card = _card(depts["shaoguan-rsj"])
    assert (card.total, card.grade) == (Decimal("83.3"), "良")
    assert _scores(card, "A", "B", "C") == _d("24", "32.5", "26.8")
    assert [card.get(i).rate for i in ("A", "B", "C")] == _d("80.00", "81.25", "89.33")
    # every 二级 as 003 二（二）–（四) gives it, 效果性 aside
    assert _scores(card, "A.1", "A.2", "A.3", "B.1", "B.2", "B.3", "B.4", "B.5", "C.1", "C.2", "C.4") == _d(
        "14", "9", "1", "21", "4", "4", "2", "1.5", "5", "7.5", "4.5")
    assert card.stated_total == _n("83.3") and card.stated_grade == "良" and not card.missing


def test_003_effectiveness_is_computed_from_its_leaves_not_copied(depts: dict[str, DepartmentYear]) -> None:
    """003 二（四）3 states 效果性 9.6 (96%), but its five items score 2 + 2 + 2 + 1.8 + 2 = 9.8: the seed's subtotal is
    wrong; 预算使用效益 26.8 and the total 83.3 agree with 9.8, not 9.6."""
    card = _card(depts["shaoguan-rsj"])
    effect = card.get("C.3")
    assert (effect.score, effect.evaluator_score, effect.scored_by) == (Decimal("9.8"), Decimal("9.6"), "sum")
    assert "C.3 效果性：报告列示得分 9.6 分，由下级指标得分合计为 9.8 分" in card.findings
    # 003 二（二）3 prints 保障措施 1 of 2 as 75%; it is 50%. 二（二）1 prints 预算编制 14 / 18 as 77.77% (truncated).
    assert "A.3 保障措施：报告列示得分率 75%，按得分 ÷ 分值计算为 50%" in card.findings
    assert "A.1 预算编制：报告列示得分率 77.77%，按得分 ÷ 分值计算为 77.78%" in card.findings


def test_003_auto_rules_and_their_draft_sentences(depts: dict[str, DepartmentYear]) -> None:
    """003 二（二）2.(1): 23 of 37 projects = 62.16%, between 60% and 80% → 1 of 2; 二（三）1.(1): 13,867.60 of 13,867.60
    → 100% → 3 of 3; 二（三）1.(4): 24.89 ≤ 35 → 2 of 2. Each agrees with the evaluator, so no override."""
    card = _card(depts["shaoguan-rsj"])
    coverage, spending, procurement = card.get("A.2.1"), card.get("B.1.1"), card.get("B.1.4")
    assert [(r.auto, r.scored_by, r.auto_score) for r in (coverage, spending, procurement)] == [
        (True, "rule", Decimal(1)), (True, "rule", Decimal(3)), (True, "rule", Decimal(2))]
    assert coverage.draft == "共37个项目，已设置绩效目标的有23个，绩效目标覆盖率为62.16%，在60%和80%之间，该项得1分。"
    assert spending.draft == ("据决算报表，调整预算数为13,867.60万元，决算数为13,867.60万元，预算支出率为100%，"
                              "按3分 × 100%计分，得3分。")
    assert procurement.draft == ("政府采购计划金额35万元，实际发生采购金额24.89万元，政府采购执行率为71.11%。"
                                 "政府采购实际金额未超过计划金额，得2分。")
    # the evaluator's own words replace the draft in the report
    assert coverage.text == coverage.reason and coverage.reason and coverage.reason.startswith("共37个项目")
    assert card.get("A.1.1").auto is False and card.get("A.1.1").draft is None


def test_001_scores_96_95_excellent(depts: dict[str, DepartmentYear]) -> None:
    """001 二（一): 96.95 分, 优; 二（二）1–2: 整体效能 23.05, 专项效能 24.44; 二（三）7: 运行成本 2.46."""
    card = _card(depts["gd-zwfw"])
    assert (card.total, card.grade) == (Decimal("96.95"), "优")
    assert _scores(card, "A.1", "A.2", "B.7") == _d("23.05", "24.44", "2.46")
    assert _scores(card, "A", "B") == _d("47.49", "49.46")  # 001 prints neither 一级 subtotal


def test_001_economic_cost_is_scaled_from_the_stated_sub_table(depts: dict[str, DepartmentYear]) -> None:
    """001 二（三）7 一是: the 部门经济成本分析自评表 scores 7.30 (of 10) → 7.30 ÷ 10 × 2 = 1.46 of 2; the table is
    not in the data, so the input is the report's stated figure, and the draft says so."""
    row = _card(depts["gd-zwfw"]).get("B.7.1")
    assert (row.auto, row.scored_by, row.score) == (True, "rule", Decimal("1.46"))
    assert row.draft is not None and "取报告列示数 7.30（001 二（三）7 一是），未能用数据复核" in row.draft
    assert row.draft.endswith("按 7.30 ÷ 10 × 2 折算，得1.46分。")


def test_002_scores_99_66(depts: dict[str, DepartmentYear]) -> None:
    """002 一（二): 99.66 分, 优; 履职效能 49.69, 管理效率 49.97; 部门预算资金支出率 96.92% → 10 × 96.92% = 9.69."""
    card = _card(depts["panyu-rsj"])
    assert (card.total, card.grade) == (Decimal("99.66"), "优")
    assert _scores(card, "A", "B") == _d("49.69", "49.97")
    rate = card.get("A.3")
    assert (rate.rule, rate.scored_by, rate.auto_score) == ("proportional", "rule", Decimal("9.69"))
    # 002 has no budget table: the rate is the one 002 states, and the draft says it could not be recomputed
    assert rate.draft == ("部门数据没有支出预决算表，预算支出率取报告列示数 96.92%（002 一（二）），未能用数据复核，"
                          "按10分 × 96.92%计分，得9.69分。")
    assert not card.findings


def test_004_scores_96_5_with_its_adjustment(depts: dict[str, DepartmentYear]) -> None:
    """004 二: 96.5 分 = 25 + 40 + 28 + 加减分项 3.5 (三（三）5); 004 states no grade: 96.5 is 优."""
    card = _card(depts["lechang-rsj"])
    assert (card.total, card.grade, card.adjustment) == (Decimal("96.5"), "优", Decimal("3.5"))
    assert _scores(card, "A", "B", "C", "X") == _d("25", "40", "28", "3.5")
    assert card.stated_total == _n("96.5") and card.stated_grade is None
    # 三（一）2.(1): 36 of 36 projects → 100% → 2 of 2; 三（二）1.(4): 19.16 ≤ 19.16 → 2 of 2
    assert [card.get(i).scored_by for i in ("A.2.1", "B.1.4")] == ["rule", "rule"]


def test_004_spending_rate_cannot_be_auto_scored_so_the_evaluators_score_stands(depts: dict[str, DepartmentYear]) -> None:
    """004 has no adjusted budget and states two contradictory rates (三（二）1.(1) 94.16%, 1.(2) 86.49%): the rule
    gives no score, the evaluator's 2 of 3 stands, and the draft names both figures."""
    row = _card(depts["lechang-rsj"]).get("B.1.1")
    assert (row.auto, row.auto_score, row.scored_by, row.score) == (True, None, "evaluator", Decimal(2))
    assert row.draft is not None and "94.16%（004 三（二）1.(1)）、86.49%（004 三（二）1.(2)），无法确定取哪一个" in row.draft
    assert row.text == row.reason  # 004's own paragraph


def test_000_has_a_total_but_no_indicator_scores(depts: dict[str, DepartmentYear]) -> None:
    """000 二（一) states 98.21 分, 优 but no indicator scores: every leaf is missing, so is the total, without a crash."""
    card = _card(depts["gd-ldgx"])
    assert (card.total, card.grade, card.rate) == (None, None, None)
    assert card.missing == ("A.1", "A.2", "B.1", "B.2", "B.3", "B.4", "B.5", "B.6", "B.7.1", "B.7.2")
    assert all(r.score is None and r.rate is None and r.scored_by is None for r in card.indicators)
    assert card.stated_total == _n("98.21") and card.stated_grade == "优"
    text = format_scorecard(card)
    assert "总分 —（满分 100），等级 —" in text and "缺少得分的指标 10 项" in text


# --- overrides and refusals ---------------------------------------------------------------------------------


def test_an_evaluator_may_override_an_auto_score_with_a_reason_and_both_are_shown(depts: dict[str, DepartmentYear]) -> None:
    """003 二（三）1.(4) with the purchases above plan: the rule gives 0, the evaluator's 2 (with 003's reason) stands."""
    dept = dataclasses.replace(depts["shaoguan-rsj"], procurement=Procurement(planned=_n("35"), actual=_n("36")))  # type: ignore[arg-type]
    card = _card(dept)
    row = card.get("B.1.4")
    assert (row.auto_score, row.evaluator_score, row.score, row.override) == (Decimal(0), Decimal(2), Decimal(2), True)
    assert row.draft is not None and row.draft.endswith("政府采购实际金额超过计划金额，得0分。")
    assert card.total == Decimal("83.3")
    assert "评价人覆盖（自动 0）" in format_scorecard(card)


def test_an_override_without_a_reason_is_refused(depts: dict[str, DepartmentYear]) -> None:
    dept = _with_score(depts["shaoguan-rsj"], "A.2.1", score=_n("2"), reason=None)
    with pytest.raises(ScoringError, match=re.escape("指标 A.2.1 绩效目标覆盖率：评价人得分 2 与自动计分 1 不同；覆盖自动得分必须写明理由")):
        _card(dept)


def test_an_auto_rule_falls_back_on_the_stated_figure_only_without_inputs(depts: dict[str, DepartmentYear]) -> None:
    """003 二（二）2.(1) also states 62.16%: used (and said) only when the project counts are missing."""
    dept = dataclasses.replace(depts["shaoguan-rsj"], projects=Projects())
    row = _card(dept).get("A.2.1")
    assert row.auto_score == 1
    assert row.draft is not None and row.draft.startswith("部门数据未列示项目总数或设置绩效目标的项目数，绩效目标覆盖率取报告列示数 62.16%")


def test_an_evaluator_score_above_full_marks_is_refused(depts: dict[str, DepartmentYear]) -> None:
    dept = _with_score(depts["shaoguan-rsj"], "A.1.1", score=_n("6"))
    with pytest.raises(ScoringError, match=r"指标 A.1.1 预算编制合理性：得分 6 超出 \[0, 5\]"):
        _card(dept)


def test_a_deduction_without_a_reason_is_refused(depts: dict[str, DepartmentYear]) -> None:
    dept = _with_score(depts["shaoguan-rsj"], "A.1.4", reason=None)
    with pytest.raises(ScoringError, match=re.escape("指标 A.1.4 预算编制科学性：得分 2 低于分值 4，必须写明扣分理由")):
        _card(dept)


def test_weights_or_ids_that_disagree_with_the_framework_are_refused(depts: dict[str, DepartmentYear]) -> None:
    dept = _with_score(depts["shaoguan-rsj"], "B.4", max=_n("3"))
    stray = Score(id="D", level=1, name="满意度", max=_n("5"))  # type: ignore[arg-type]
    dept = dataclasses.replace(dept, scores=(*dept.scores, stray))
    with pytest.raises(ScoringError) as caught:
        _card(dept)
    assert [p.indicator for p in caught.value.problems] == ["D", "B.4"]
    assert "指标 B.4 人员管理：评分表的分值 3 与指标体系 gd-municipal-2019 的分值 2 不一致" in str(caught.value)
    assert "指标 D 满意度：评分表中的指标不在指标体系 gd-municipal-2019 中" in str(caught.value)


def test_an_adjustment_may_be_negative(depts: dict[str, DepartmentYear]) -> None:
    dept = _with_score(depts["lechang-rsj"], "X", score=_n("-2"))
    card = _card(dept)
    assert (card.adjustment, card.total, card.grade) == (Decimal(-2), Decimal(91), "优")


def test_a_missing_leaf_leaves_its_parents_and_the_total_missing(depts: dict[str, DepartmentYear]) -> None:
    dept = _with_score(depts["shaoguan-rsj"], "C.3.4", score=None)
    card = _card(dept)
    assert _scores(card, "C.3", "C", "C.4") == [None, None, Decimal("4.5")]
    assert (card.total, card.grade, card.missing) == (None, None, ("C.3.4",))


@pytest.mark.parametrize("name", RULE_INPUTS)
def test_every_input_a_framework_may_name_is_computed(depts: dict[str, DepartmentYear], name: str) -> None:
    """003 gives three of the inputs (二（二）2.(1), 二（三）1.(1), 二（三）1.(4)); its data holds no sub-table score."""
    rule = Rule("scaled" if name == "subtable.score" else "proportional", name, out_of=Decimal(10), source="test")
    got = rule_input(depts["shaoguan-rsj"], Indicator("B.7.1", "测试", 3, Decimal(2), rule=rule))
    expected = {"projects.goal_coverage": Decimal("62.16"), "budget.execution_rate": Decimal(100),
                "procurement.execution_rate": Decimal("71.11"), "subtable.score": None}[name]
    assert (got.value.quantize(Decimal("0.01")) if got.value is not None else None) == expected
    assert got.facts and not got.stated


# --- the command ---------------------------------------------------------------------------------------------


def test_score_command_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(SAMPLES["shaoguan-rsj"]), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["framework"], out["total"], out["grade"]) == ("gd-municipal-2019", 83.3, "良")
    assert out["grades"] == [{"grade": "优", "min": 90}, {"grade": "良", "min": 80}, {"grade": "中", "min": 60},
                             {"grade": "差", "min": None}]  # the framework's, so that the grade can be read
    effect = next(i for i in out["indicators"] if i["id"] == "C.3")
    assert {k: effect[k] for k in ("id", "name", "level", "max", "score", "rate", "auto")} == {
        "id": "C.3", "name": "效果性", "level": 2, "max": 10, "score": 9.8, "rate": 98, "auto": False}
    coverage = next(i for i in out["indicators"] if i["id"] == "A.2.1")
    assert coverage["auto"] is True and coverage["reason"].startswith("共37个项目")


def test_score_command_prints_the_scorecard_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(SAMPLES["gd-zwfw"])]) == 0
    out = capsys.readouterr().out
    assert "总分 96.95（满分 100），等级 优" in out and "报告列示：总分 96.95，等级 优" in out


def test_score_command_names_the_indicator_of_a_bad_score(department_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The conftest department holds only part of 003's 评分表 (A, A.1, A.1.1) and 003's 表3."""
    assert main(["score", str(department_dir)]) == 0  # the rest is missing, not an error
    out = capsys.readouterr().out  # of 34 leaves, A.1.1 is scored and B.1.1 computed from 表3
    assert "缺少得分的指标 32 项" in out and "总分 —（满分 100），等级 —" in out
    assert main(["score", str(department_dir), "--framework", "gd-district-2024"]) == 1
    assert "指标 A 履职效能（评分表作「预算编制情况」）：评分表的分值 30 与指标体系 gd-district-2024 的分值 50 不一致" in capsys.readouterr().err
