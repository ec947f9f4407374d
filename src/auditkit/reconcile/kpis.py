"""The KPIs: formula KPIs against their inputs (``kpi_formula``) and a stated overall 绩效目标完成率 against every
KPI (``kpi_overall``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from auditkit.analyses import metrics
from auditkit.data.model import StatedFigure
from auditkit.data.numbers import Number
from auditkit.data.schema import CLAIMS
from auditkit.reconcile.context import Context
from auditkit.reconcile.findings import ERROR, Figure
from auditkit.reconcile.judging import _satisfies, explain
from auditkit.reconcile.kinds import _is_count, _kpi_kind
from auditkit.reconcile.reading import _as_interval, _q, _Reading
from auditkit.reconcile.wording import _shown

#: The 效率性 indicator of the municipal frameworks (003/004 C.2.2): stated in words for all KPIs at once.
_GOAL_COMPLETION = CLAIMS["kpi.overall_completion"]


def check_kpi_formulas(ctx: Context) -> None:
    """Each formula KPI (仲裁结案率 …) whose inputs the data gives: its 实际值 against the formula (``kpi_formula``)."""
    inputs: dict[str, dict[str, Number]] = defaultdict(dict)
    for i in ctx.dept.kpi_inputs:
        inputs[i.kpi][i.variable] = i.value
    for kpi in ctx.dept.kpis:
        kpi_formula = metrics.KPI_FORMULAS.get(kpi.formula or "")
        if kpi_formula is None or not isinstance(kpi.actual, Number):
            continue
        given = inputs.get(kpi.name, {})
        variables = kpi_formula.variables
        if any(v not in given for v in variables):
            continue
        fn = kpi_formula.metric

        def formula(
            r: _Reading, fn: Callable[..., Any] = fn, g: dict[str, Number] = given, vs: tuple[str, ...] = variables
        ) -> Any:
            return fn(*[r(g[v], "", True) for v in vs])

        found = ctx.contradiction(kpi.actual, _kpi_kind(kpi), formula)
        if found is None:
            continue
        severity, verdict = found
        how = "公式 " + "、".join(f"{v} {_shown(given[v])}" for v in variables) + " "
        ctx.record(severity, "kpi_formula", explain(f"「{kpi.name}」实际值", kpi.actual, how, verdict),
                   Figure("kpis", kpi.name, "actual"), ctx.place("kpis", kpi.name, "实际值", kpi.source),
                   kpi.actual.value, verdict.face)


def check_goal_completion(ctx: Context, index: int, s: StatedFigure) -> None:
    """``kpi.overall_completion``, e.g. 004's 「完成率≥100%」 said of all KPIs at once: every quantitative KPI's
    completion rate must reach it (``kpi_overall``)."""
    assert isinstance(s.value, Number)
    printed = _Reading("printed")
    comparator = ">" if s.value.comparator == ">" else "≥"
    short: list[tuple[str, Number, Number, Decimal]] = []
    checked = 0
    for kpi in ctx.dept.kpis:
        actual, target = kpi.actual, kpi.target
        if kpi.direction == "定性" or not isinstance(actual, Number) or not isinstance(target, Number):
            continue
        kind = _kpi_kind(kpi)
        bounds = _as_interval(metrics.completion_rate(printed(actual, kind, _is_count(kpi, actual)),
                                                      printed(target, kind, _is_count(kpi, target)), kpi.direction))
        face = metrics.completion_rate(actual.value, target.value, kpi.direction)
        if bounds is None or face is None:
            continue
        checked += 1
        if not _satisfies(bounds, comparator, s.value.value):
            short.append((kpi.name, actual, target, face))
    if not checked:
        ctx.not_checkable.append(Figure("stated", s.subject, s.claim, index))
        return
    ctx.checked += 1
    if not short:
        return
    listed = "；".join(f"{name} 实际 {_shown(a)}、目标 {_shown(t)}，完成率 {_q(f, 2)}%" for name, a, t, f in short)
    message = (f"{_GOAL_COMPLETION}列示「{_shown(s.value)}」，但 {len(short)} 项指标未达到：{listed}。请核对原报告。")
    ctx.record(ERROR, "kpi_overall", message, Figure("stated", s.subject, s.claim, index), ctx.stated_place(s),
               s.value.value, min(f for *_, f in short))
