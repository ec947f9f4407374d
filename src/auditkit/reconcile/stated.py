"""The stated figures (列示数), each by its claim: recomputed from its inputs (``recompute``), values a rate
cannot take (``range``), a KPI value restated as ``other``, a table cell restated (:mod:`.restated`); a claim about
the 评分表 is judged in :mod:`.scores`, one about every KPI in :mod:`.kpis`."""

from __future__ import annotations

from auditkit.data.model import StatedFigure
from auditkit.data.numbers import Number
from auditkit.data.schema import CLAIMS
from auditkit.reconcile.alternatives import alternatives
from auditkit.reconcile.context import Context
from auditkit.reconcile.findings import ERROR, WARNING, Figure, Severity
from auditkit.reconcile.judging import _satisfies, explain
from auditkit.reconcile.kinds import _EXACT_CLAIMS, _kpi_kind, _stated_kind
from auditkit.reconcile.kpis import check_goal_completion
from auditkit.reconcile.reading import _around
from auditkit.reconcile.restated import check_restatement
from auditkit.reconcile.scores import check_score_claim
from auditkit.reconcile.wording import _shown, _what

#: Claims whose value is a ratio of non-negative amounts or counts, and those that are a part of a whole.
_NON_NEGATIVE = frozenset({
    "budget.execution_rate", "budget.execution_rate_initial", "budget.carryover_rate", "budget.quarterly_average",
    "funds.special_spend_rate", "procurement.sme_share", "procurement.small_micro_share",
    "procurement.execution_rate", "cost.control_rate", "cost.per_unit", "kpi.completion_rate", "staff.control_rate",
    "assets.utilization_rate", "projects.goal_coverage", "projects.self_evaluation_rate", "score.rate",
})
_AT_MOST_100 = frozenset({
    "procurement.sme_share", "procurement.small_micro_share", "assets.utilization_rate", "projects.goal_coverage",
    "projects.self_evaluation_rate", "score.rate",
})


def check_stated(ctx: Context) -> None:
    """Each stated figure in order, by its claim: ``other``, a claim of the vocabulary, or a table cell restated."""
    for index, s in enumerate(ctx.dept.stated):
        if s.claim == "other":
            check_other(ctx, index, s)
        elif s.claim in CLAIMS:
            check_claim(ctx, index, s)
        else:
            check_restatement(ctx, index, s)


def check_claim(ctx: Context, index: int, s: StatedFigure) -> None:
    """A claim of the vocabulary (:data:`~auditkit.data.schema.CLAIMS`): a value it cannot take, else recomputed
    every way the data allows, the most favourable way judged (``recompute``)."""
    if s.claim.startswith("score."):
        check_score_claim(ctx, index, s)
        return
    if not isinstance(s.value, Number):
        return
    if s.claim == "kpi.overall_completion":
        check_goal_completion(ctx, index, s)
        return
    if check_range(ctx, index, s):
        return
    figure = Figure("stated", s.subject, s.claim, index)
    alts = alternatives(ctx.dept, s)
    exact = s.claim in _EXACT_CLAIMS
    result = ctx.best(s.value, _stated_kind(s), alts, exact) if alts else None
    if result is None:
        ctx.not_checkable.append(figure)
        return
    verdict, alt = result
    ctx.checked += 1
    if verdict.severity is None:
        ctx.consistent[index] = verdict.face
        return
    unit = "" if s.value.percent or not s.unit or s.unit == "%" else f" {s.unit}"
    ctx.record(verdict.severity, "recompute", explain(_what(s), s.value, alt.how, verdict, unit, exact),
               figure, ctx.stated_place(s), s.value.value, verdict.face)
    if verdict.severity == WARNING:
        ctx.consistent[index] = verdict.face


def _out_of_range(claim: str, value: Number) -> tuple[Severity, str] | None:
    """Whether a stated rate takes a value its claim cannot, and why."""
    v, cmp, half = value.value, value.comparator, value.half_unit
    if claim in _NON_NEGATIVE:
        if (cmp == "≤" and v < 0) or (cmp == "<" and v <= 0) or (cmp is None and v + half < 0):
            return ERROR, "不可能小于 0"
        if cmp == "≤" and v == 0:
            return WARNING, "不可能小于 0，「≤0」只在其分子为 0 时成立（是否指变动率？）"
    if claim in _AT_MOST_100 and (
        (cmp in ("≥", "=", None) and v - (half if cmp is None else 0) > 100) or (cmp == ">" and v >= 100)
    ):
        return ERROR, "是部分占整体的比例，不可能大于 100%"
    return None


def check_range(ctx: Context, index: int, s: StatedFigure) -> bool:
    """Values a rate cannot take (``range``); True when the figure was judged here (nothing left to recompute)."""
    assert isinstance(s.value, Number)
    found = _out_of_range(s.claim, s.value)
    if found is None:
        return False
    severity, why = found
    ctx.checked += 1
    message = f"{_what(s)}列示「{_shown(s.value)}」：{CLAIMS[s.claim]}{why}。请核对原报告。"
    ctx.record(severity, "range", message, Figure("stated", s.subject, s.claim, index), ctx.stated_place(s),
               s.value.value, None)
    return True


def check_other(ctx: Context, index: int, s: StatedFigure) -> None:
    """``other`` is free-form; one reading is checked: a KPI's value restated under its name (``restated``)."""
    kpi = next((k for k in ctx.dept.kpis if k.name == s.subject), None)
    if isinstance(s.value, Number) and kpi is not None and isinstance(kpi.actual, Number) and (
        s.unit == kpi.unit or (s.value.percent and kpi.actual.percent)
    ):
        ctx.checked += 1
        figure = Figure("stated", s.subject, s.claim, index)
        severity: Severity | None
        if s.value.comparator:
            bounds = _around(kpi.actual.value, kpi.actual.decimals)
            severity = None if _satisfies(bounds, s.value.comparator, s.value.value) else ERROR
        else:
            severity = ctx.compare(kpi.actual, s.value, _kpi_kind(kpi))
        if severity is not None:
            message = f"「{kpi.name}」实际值为 {_shown(kpi.actual)}，此处列示「{_shown(s.value)}」，不一致。请核对原报告。"
            ctx.record(severity, "restated", message, figure, ctx.stated_place(s), s.value.value, kpi.actual.value)
        return
    ctx.other += 1
