"""auditkit.synth: a generated department validates in folder form, loads back unchanged, and reconciles cleanly."""

from __future__ import annotations

import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditkit import load, validate, write_folder
from auditkit.data.model import DepartmentYear
from auditkit.data.numbers import Number
from auditkit.data.schema import CLAIMS
from auditkit.reconcile import reconciliation
from auditkit.scoring.framework import FRAMEWORKS_DIR, framework_ids, load_framework
from auditkit.scoring.scorecard import score
from auditkit.synth import synth_department

#: Claims no data column can recompute: the prior year's budget is not a column, per-unit costs name no count.
NOT_RECOMPUTABLE = {"budget.change_amount", "budget.change_rate", "cost.per_unit", "other"}


def _round_trip(dept: DepartmentYear) -> tuple[list[object], DepartmentYear | None]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data" / str(dept.fiscal_year) / dept.id
        write_folder(dept, folder)
        problems = validate(folder)
        return list(problems), (None if problems else load(folder))


@pytest.mark.slow  # 40 departments written, validated, loaded and reconciled
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10**9), framework=st.sampled_from(framework_ids()))
def test_any_seed_gives_a_valid_department_with_no_finding(seed: int, framework: str) -> None:
    dept = synth_department(seed, framework=framework)
    problems, loaded = _round_trip(dept)
    assert problems == []
    assert loaded == dept  # every figure is printed at its own precision, so the folder form keeps it exactly
    result = reconciliation(loaded, load_framework(framework))
    assert result.findings == ()
    assert result.not_checkable == () and result.other == 0


def test_every_recomputable_claim_is_stated() -> None:
    dept = synth_department(7)
    assert {s.claim for s in dept.stated} >= set(CLAIMS) - NOT_RECOMPUTABLE


def test_same_seed_same_department_other_seed_other_figures() -> None:
    assert synth_department(3) == synth_department(3)
    assert synth_department(3).expenditure != synth_department(4).expenditure
    assert synth_department(3).id == "synth-3"


def test_figures_are_printed_as_reports_print_them() -> None:
    """Amounts in 万元 to two decimals, rates in percent to two decimals (thresholds whole), points and counts exactly."""
    dept = synth_department(11)
    amounts = [getattr(line, a) for line in dept.expenditure for a in ("initial", "adjusted", "final")]
    assert all(isinstance(n, Number) and n.decimals == 2 and not n.percent for n in amounts)
    rates = [s.value for s in dept.stated if s.unit == "%"]
    assert all(isinstance(n, Number) and n.percent for n in rates)
    exact = [n for n in rates if isinstance(n, Number) and not n.comparator]
    assert exact and all(n.decimals == 2 for n in exact)
    thresholds = [n for n in rates if isinstance(n, Number) and n.comparator]  # 「完成率均≥95%」: a whole percent
    assert thresholds and all(n.comparator == "≥" and n.decimals == 0 for n in thresholds)
    total = next(s.value for s in dept.stated if s.claim == "score.total")
    roots = [s for s in dept.scores if s.parent is None]
    assert isinstance(total, Number) and total.value == sum((s.score.value for s in roots if s.score), Decimal(0))


@pytest.mark.parametrize("framework", framework_ids())
def test_scores_follow_the_framework_and_subtotals_add_up(framework: str) -> None:
    dept = synth_department(5, framework=framework)
    for s in dept.scores:
        kids = [k for k in dept.scores if k.parent == s.id]
        if kids:
            assert s.score is not None
            assert s.score.value == sum((k.score.value for k in kids if k.score), Decimal(0))
            assert s.max.value == sum((k.max.value for k in kids), Decimal(0))
        elif s.score is not None and s.score.value < s.max.value:
            assert s.reason  # validation requires the reason for every deduction


def _auto_rules(framework: str) -> dict[str, tuple[Decimal, dict[str, Any]]]:
    """The auto-ruled leaves of the framework file as written (read with yaml, not the engine): id → (分值, rule)."""
    document = yaml.safe_load((FRAMEWORKS_DIR / f"{framework}.yaml").read_text(encoding="utf-8"))
    rules, stack = {}, list(document["indicators"])
    while stack:
        node = stack.pop()
        stack.extend(node.get("children", []))
        if isinstance(node.get("rule"), dict):
            rules[node["id"]] = (Decimal(str(node["max"])), node["rule"])
    return rules


def _by_hand(dept: DepartmentYear, full: Decimal, rule: dict[str, Any]) -> Decimal | None:
    """What the file's rule gives, from the department's own figures, by the arithmetic the file describes.

    - band on 绩效目标覆盖率 = 设置绩效目标的项目数 ÷ 项目总数: the first band (file order, highest min first) whose min
      the rate reaches, the band without a min catching the rest (003 二（二）2.(1));
    - proportional on 预算支出率 = 决算 ÷ 调整预算 of the expenditure 合计: 分值 × rate (capped at 100%), to the cent
      half-up (002 一（二）: 10 × 96.92% = 9.69);
    - pass_fail on 政府采购执行率 = 实际采购金额 ÷ 采购计划金额: full marks when at most ``at_most`` %, else 0;
    - scaled on a sub-table's score: the synthetic department states none, so the rule has no input (None).
    """
    hundred = Decimal(100)
    if rule["kind"] == "band" and rule["input"] == "projects.goal_coverage":
        assert dept.projects.count and dept.projects.with_goals
        coverage = dept.projects.with_goals.value * hundred / dept.projects.count.value
        band = next(b for b in rule["bands"] if "min" not in b or coverage >= Decimal(str(b["min"])))
        return Decimal(str(band["score"]))
    if rule["kind"] == "proportional" and rule["input"] == "budget.execution_rate":
        (total,) = [line for line in dept.expenditure if line.row_kind == "合计"]
        assert total.final and total.adjusted
        rate = min(total.final.value * hundred / total.adjusted.value, hundred)
        return (full * rate / hundred).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if rule["kind"] == "pass_fail" and rule["input"] == "procurement.execution_rate":
        assert dept.procurement.actual and dept.procurement.planned and set(rule) >= {"at_most"}
        rate = dept.procurement.actual.value * hundred / dept.procurement.planned.value
        return full if rate <= Decimal(str(rule["at_most"])) else Decimal(0)
    if rule["kind"] == "scaled" and rule["input"] == "subtable.score":
        assert not [s for s in dept.stated if s.claim == "other"]  # no sub-table score stated: nothing to scale
        return None
    pytest.fail(f"a rule this test cannot compute by hand: {rule}")


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("framework", framework_ids())
def test_auto_scored_leaves_carry_what_the_framework_files_rule_gives_by_hand(seed: int, framework: str) -> None:
    """Each auto-ruled leaf's score is the file's rule applied by hand to the department's own figures (see
    :func:`_by_hand`); a leaf whose rule has no input is scored by the evaluator, with a reason below full marks.
    The department then scores without an override (ScoringError on an undocumented one) and without findings."""
    dept = synth_department(seed, framework=framework)
    by_id = {s.id: s for s in dept.scores}
    for indicator_id, (full, rule) in _auto_rules(framework).items():
        given = by_id[indicator_id]
        assert given.score is not None and given.max.value == full
        expected = _by_hand(dept, full, rule)
        if expected is None:
            assert Decimal(0) <= given.score.value <= full and (given.score.value == full or given.reason)
        else:
            assert given.score.value == expected, (indicator_id, rule["kind"])
    card = score(dept, load_framework(framework))
    assert not any(row.override for row in card.indicators)
    assert card.total is not None and not card.findings


@pytest.mark.parametrize(("seed", "framework", "expected"), [
    # 8 of 15 projects have goals: 53.33% < 60% → 0; 20,758.28 ÷ 21,886.37 = 94.85% → 3 × 94.85% = 2.845 → 2.85;
    # procurement 49.40 ÷ 72.84 = 67.82% ≤ 100% → 2
    (0, "gd-municipal-2019", {"A.2.1": "0", "B.1.1": "2.85", "B.1.4": "2"}),
    # 23 of 28 = 82.14% ≥ 80% → 2; 10,554.77 ÷ 11,365.24 = 92.87% → 3 × 92.87% = 2.786 → 2.79; 432.84 ÷ 440.10 ≤ 100% → 2
    (1, "gd-municipal-2024", {"A.2.1": "2", "B.1.1": "2.79", "B.1.4": "2"}),
    # 28 of 41 = 68.29%, between 60% and 80% → 1 (the band 003 二（二）2.(1) states)
    (2, "gd-municipal-2019", {"A.2.1": "1"}),
    # 10 × 94.85% (seed 0's expenditure, as above) = 9.485 → 9.48 (002 一（二）'s rule: 10 × 96.92% = 9.69)
    (0, "gd-district-2024", {"A.3": "9.48"}),
])
def test_auto_scores_of_fixed_seeds(seed: int, framework: str, expected: dict[str, str]) -> None:
    """Literal scores for fixed seeds, the arithmetic in the parameters' comments (figures as synth prints them)."""
    dept = synth_department(seed, framework=framework)
    by_id = {s.id: s.score.value for s in dept.scores if s.score is not None}
    assert {k: by_id[k] for k in expected} == {k: Decimal(v) for k, v in expected.items()}


def test_budget_chain_holds_line_by_line_before_rounding() -> None:
    """剔除后预算 = 年初预算 − 涉改调整 − 财政直接调整 on every expenditure line, within the rounding of four figures."""
    for line in synth_department(2).expenditure:
        assert line.initial and line.reform_adjustment and line.direct_adjustment and line.net_initial
        gap = line.initial.value - line.reform_adjustment.value - line.direct_adjustment.value - line.net_initial.value
        assert abs(gap) <= Decimal("0.02")


# --- with findings: what a results summary has to say ------------------------------------------------------------


@pytest.mark.parametrize("framework", framework_ids())
def test_with_findings_still_validates_and_the_clean_department_is_unchanged(framework: str) -> None:
    for seed in range(4):
        problems, loaded = _round_trip(synth_department(seed, framework=framework, with_findings=True))
        assert problems == []
        assert loaded is not None
        assert synth_department(seed, framework=framework) == synth_department(seed, framework=framework, with_findings=False)


def test_with_findings_gives_deductions_problems_errors_and_every_kind() -> None:
    """Over 30 departments: grades spread, some reports drafts (an open error), some 自评, one total unverifiable;
    each heavy deduction's reason and one 存在问题 name the indicator."""
    fw = load_framework("gd-municipal-2019")
    grades: set[str | None] = set()
    kinds: set[str] = set()
    errors = unverifiable = 0
    for seed in range(30):
        dept = synth_department(seed, framework=fw.id, with_findings=True)
        card = score(dept, fw)
        grades.add(card.grade)
        kinds.add(dept.evaluation.kind)
        result = reconciliation(dept, fw)
        errors += any(f.severity == "error" for f in result.findings)
        unverifiable += card.total is None and card.stated_total is not None
        for problem in dept.texts_of("存在问题"):
            named = [i for i in fw.leaves if i.name in problem.content]
            assert named or "满意度" in problem.content or "信息化" in problem.content, problem
    assert {"优", "良", "中"} <= grades
    assert kinds == {"自评", "第三方评价"}
    assert 3 <= errors <= 20
    assert unverifiable >= 1


def test_with_findings_the_same_department_has_other_troubles_another_year() -> None:
    """So that a summary's 同比 has something to show: seed 0 in 2023 and 2024 differs in its scores."""
    before = synth_department(0, fiscal_year=2023, with_findings=True)
    after = synth_department(0, fiscal_year=2024, with_findings=True)
    assert before.id == after.id
    assert [s.score for s in before.scores] != [s.score for s in after.scores]
