"""auditkit.synth: a generated department validates in folder form, loads back unchanged, and reconciles cleanly."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditkit import load, validate, write_folder
from auditkit.data.model import DepartmentYear
from auditkit.data.numbers import Number
from auditkit.data.schema import CLAIMS
from auditkit.reconcile import reconciliation
from auditkit.scoring.framework import framework_ids, load_framework
from auditkit.scoring.rules import auto_score
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


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("framework", framework_ids())
def test_scores_agree_with_the_auto_rules_so_the_department_scores_cleanly(seed: int, framework: str) -> None:
    fw = load_framework(framework)
    dept = synth_department(seed, framework=framework)
    card = score(dept, fw)  # raises ScoringError on an undocumented override of an auto rule
    by_id = {s.id: s for s in dept.scores}
    for indicator in fw.indicators:
        expected = auto_score(dept, indicator)
        if expected is not None:
            assert by_id[indicator.id].score.value == expected
    assert not any(row.override for row in card.indicators)
    assert card.total is not None and not card.findings


def test_budget_chain_holds_line_by_line_before_rounding() -> None:
    """剔除后预算 = 年初预算 − 涉改调整 − 财政直接调整 on every expenditure line, within the rounding of four figures."""
    for line in synth_department(2).expenditure:
        assert line.initial and line.reform_adjustment and line.direct_adjustment and line.net_initial
        gap = line.initial.value - line.reform_adjustment.value - line.direct_adjustment.value - line.net_initial.value
        assert abs(gap) <= Decimal("0.02")
