"""The public entry points: run every check on a department-year (:func:`reconciliation`, :func:`reconcile`) and
write the findings as text (:func:`format_findings`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditkit.data.model import DepartmentYear
from auditkit.reconcile.findings import ERROR, WARNING, Finding, Reconciliation
from auditkit.reconcile.prior import _PriorYearChecks
from auditkit.reconcile.stated import _StatedChecks
from auditkit.scoring.framework import Framework

if TYPE_CHECKING:
    from auditkit.data.prior_year import PriorYear

__all__ = ["format_findings", "reconcile", "reconciliation"]


class _Reconciler(_StatedChecks, _PriorYearChecks):
    """Every check, area by area (budget tables, stated figures, 评分表, KPIs, prior year), over one state."""


def reconciliation(
    dept: DepartmentYear, framework: Framework | None = None, prior: PriorYear | None = None
) -> Reconciliation:
    """Recompute every figure ``dept`` states: the findings, how many figures were checked, and which could not be.

    ``framework`` gives the grade thresholds; by default the department's own (``evaluation.framework``). ``prior``
    is the prior-year link (:func:`auditkit.data.prior_year.link_prior_year`; ``dept`` is then usually its ``dept``, with
    the prior-year figures filled): each disagreement it records is a ``prior_year`` warning, the figures it filled
    make stated 同比 checkable but are never checked as this department's own (they are the prior year's).
    """
    r = _Reconciler(dept, framework, prior)
    r.check_budget_tables()
    r.check_stated()
    r.check_scores()
    r.check_kpi_formulas()
    r.check_prior_year()
    return Reconciliation(tuple(r.findings), r.checked, tuple(r.not_checkable), r.other)


def reconcile(
    dept: DepartmentYear, framework: Framework | None = None, prior: PriorYear | None = None
) -> list[Finding]:
    """Every stated figure of ``dept`` that does not hold, errors and warnings (see :mod:`auditkit.reconcile`)."""
    return list(reconciliation(dept, framework, prior).findings)


def format_findings(dept: DepartmentYear, result: Reconciliation) -> str:
    """The findings as plain text for the evaluator: errors first, then warnings, then the summary line."""
    head = f"{dept.origin or dept.id}（{dept.department.name} {dept.fiscal_year} 年度）"
    lines = [head]
    marks = {ERROR: "✘ 错误", WARNING: "⚠ 警告"}
    for severity in (ERROR, WARNING):
        for f in result.findings:
            if f.severity == severity:
                lines.append(f"  {marks[severity]} [{f.rule}] {f.location}")
                lines.append(f"      {f.message}")
    lines.append(f"  {result.summary()}")
    return "\n".join(lines)
