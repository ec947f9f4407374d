"""The public entry points: run every check on a department-year (:func:`reconciliation`, :func:`reconcile`) and
write the findings as text (:func:`format_findings`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from auditkit.data.model import DepartmentYear
from auditkit.reconcile.budget_tables import check_budget_tables, check_cross_table
from auditkit.reconcile.context import Context
from auditkit.reconcile.findings import ERROR, WARNING, Finding, Reconciliation
from auditkit.reconcile.kpis import check_kpi_formulas
from auditkit.reconcile.prior import check_prior_year
from auditkit.reconcile.restated import check_duplicates, check_parts_change
from auditkit.reconcile.scores import check_scores
from auditkit.reconcile.staffing import check_staffing
from auditkit.reconcile.stated import check_stated
from auditkit.scoring.framework import Framework

if TYPE_CHECKING:
    from auditkit.data.prior_year import PriorYear

__all__ = ["CHECKS", "Check", "format_findings", "reconcile", "reconciliation"]

#: A check: reads the context's department-year, records what it finds and counts in the context.
Check = Callable[[Context], None]

#: Every check, in the order its findings are reported. The order matters beyond the report: the checks of a
#: quantity stated twice (``check_duplicates``, ``check_parts_change``) read which stated figures ``check_stated``
#: flagged or found consistent.
CHECKS: tuple[Check, ...] = (
    check_budget_tables,
    check_cross_table,
    check_staffing,
    check_stated,
    check_duplicates,
    check_parts_change,
    check_scores,
    check_kpi_formulas,
    check_prior_year,
)


def reconciliation(
    dept: DepartmentYear, framework: Framework | None = None, prior: PriorYear | None = None
) -> Reconciliation:
    """Recompute every figure ``dept`` states: the findings, how many figures were checked, and which could not be.

    ``framework`` gives the grade thresholds; without one a stated grade is not checkable (load the department's own
    with ``load_framework(dept.evaluation.framework)``). ``prior`` is the prior-year link
    (:func:`auditkit.data.prior_year.link_prior_year`; ``dept`` is then usually its ``dept``, with the prior-year
    figures filled): each disagreement it records is a ``prior_year`` warning, the figures it filled make stated 同比
    checkable but are never checked as this department's own (they are the prior year's).
    """
    ctx = Context(dept, framework, prior)
    for check in CHECKS:
        check(ctx)
    return ctx.result()


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
