"""The stated figures (列示数), each by its claim: recomputed from its inputs (``recompute``), values a rate
cannot take (``range``), a KPI value restated as ``other``; then the checks across stated figures."""

from __future__ import annotations

from auditkit.data.model import StatedFigure
from auditkit.data.numbers import Number
from auditkit.data.schema import CLAIMS
from auditkit.reconcile.alternatives import _Alternatives
from auditkit.reconcile.findings import ERROR, WARNING, Figure
from auditkit.reconcile.judging import _satisfies
from auditkit.reconcile.kinds import _EXACT_CLAIMS, _kpi_kind
from auditkit.reconcile.kpis import _KpiChecks
from auditkit.reconcile.reading import _around
from auditkit.reconcile.restated import _RestatedChecks
from auditkit.reconcile.scores import _ScoreChecks
from auditkit.reconcile.wording import _shown

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


class _StatedChecks(_Alternatives, _RestatedChecks, _ScoreChecks, _KpiChecks):
    """Each stated figure judged by its claim; a claim about the 评分表 or every KPI is judged there."""

    def check_stated(self) -> None:
        for index, s in enumerate(self.dept.stated):
            if s.claim == "other":
                self.check_other(index, s)
            elif s.claim in CLAIMS:
                self.check_claim(index, s)
            else:
                self.check_restatement(index, s)
        self.check_duplicates()
        self.check_parts_change()

    def check_claim(self, index: int, s: StatedFigure) -> None:
        figure = Figure("stated", s.subject, s.claim, index)
        if s.claim.startswith("score."):
            self.check_score_claim(index, s)
            return
        if not isinstance(s.value, Number):
            return
        if s.claim == "kpi.overall_completion":
            self.check_goal_completion(index, s)
            return
        if self.check_range(index, s):
            return
        alts = self.alternatives(s)
        kind = self.stated_kind(s)
        exact = s.claim in _EXACT_CLAIMS
        result = self.best(s.value, kind, alts, exact) if alts else None
        if result is None:
            self.not_checkable.append(figure)
            return
        verdict, alt = result
        self.checked += 1
        if verdict.severity is None:
            self.consistent[index] = verdict.face
            return
        unit = "" if s.value.percent or not s.unit or s.unit == "%" else f" {s.unit}"
        self.add(verdict.severity, "recompute", self.explain(self.what(s), s.value, alt.how, verdict, unit, exact),
                 figure, self.stated_place(s), s.value.value, verdict.face)
        if verdict.severity == WARNING:
            self.consistent[index] = verdict.face

    def check_range(self, index: int, s: StatedFigure) -> bool:
        """Values a rate cannot take; True when the figure was judged here (nothing left to recompute)."""
        assert isinstance(s.value, Number)
        v, cmp = s.value.value, s.value.comparator
        half = s.value.half_unit
        severity, why = None, ""
        if s.claim in _NON_NEGATIVE:
            if (cmp == "≤" and v < 0) or (cmp == "<" and v <= 0) or (cmp is None and v + half < 0):
                severity, why = ERROR, "不可能小于 0"
            elif cmp == "≤" and v == 0:
                severity, why = WARNING, "不可能小于 0，「≤0」只在其分子为 0 时成立（是否指变动率？）"
        if severity is None and s.claim in _AT_MOST_100 and (
            (cmp in ("≥", "=", None) and v - (half if cmp is None else 0) > 100) or (cmp == ">" and v >= 100)
        ):
            severity, why = ERROR, "是部分占整体的比例，不可能大于 100%"
        if severity is None:
            return False
        self.checked += 1
        message = f"{self.what(s)}列示「{_shown(s.value)}」：{CLAIMS[s.claim]}{why}。请核对原报告。"
        self.add(severity, "range", message, Figure("stated", s.subject, s.claim, index), self.stated_place(s), v, None)
        return True

    def check_other(self, index: int, s: StatedFigure) -> None:
        """``other`` is free-form; one reading is checked: a KPI's value restated under its name."""
        kpi = next((k for k in self.dept.kpis if k.name == s.subject), None)
        if isinstance(s.value, Number) and kpi is not None and isinstance(kpi.actual, Number) and (
            s.unit == kpi.unit or (s.value.percent and kpi.actual.percent)
        ):
            self.checked += 1
            figure = Figure("stated", s.subject, s.claim, index)
            if s.value.comparator:
                bounds = _around(kpi.actual.value, kpi.actual.decimals)
                severity = None if _satisfies(bounds, s.value.comparator, s.value.value) else ERROR
            else:
                severity = self.compare(kpi.actual, s.value, _kpi_kind(kpi))
            if severity is not None:
                message = f"「{kpi.name}」实际值为 {_shown(kpi.actual)}，此处列示「{_shown(s.value)}」，不一致。请核对原报告。"
                self.add(severity, "restated", message, figure, self.stated_place(s), s.value.value, kpi.actual.value)
            return
        self.other += 1
