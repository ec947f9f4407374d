"""Reconciliation (勾稽校验): recompute every figure a department-year states and report each one that does not hold.

A report prints rounded figures, so each printed number stands for the interval its printed precision allows
(36,158.49 → [36,158.485, 36,158.495]). Every check carries those intervals through the formula of
:mod:`auditkit.analyses.metrics` and judges the stated figure:

- **error**: impossible even allowing for the rounding of every input;
- **warning**: possible only if a figure is read at a coarser precision than the report prints its kind
  elsewhere (``7`` 万元 where every other amount has two decimals), or only under a rounding convention other
  than round-half-up (14 ÷ 18 printed 77.77%: truncated);
- nothing: consistent.

Points (分值, 得分) and counts (人, 个, 项目数, 案件数) are exact: they are awarded or counted, not rounded. A printed
zero amount is a real zero. The same quantity printed twice at the same precision must print the same digits.

What is checked: totals against their parts within a table (``cross_footing``) and across tables
(``cross_table``), the budget chain (``budget_chain``), every stated rate, difference, change, share, completion
rate and per-capita figure that the data gives the inputs for (``recompute``), a quantity stated twice
(``restated``), changes of the parts against the change of the whole (``parts_change``), values a rate cannot
take (``range``), formula KPIs against their inputs (``kpi_formula``), a stated overall 绩效目标完成率 against
every KPI (``kpi_overall``), the 评分表: subtotals, 分值, 得分率, maxima, total and grade (``score_*``), and, given
the prior-year link (:mod:`auditkit.data.prior_year`), each 上年 figure the department states that differs from the
prior year's own (``prior_year``, a warning: departments restate prior-year figures).

:func:`reconcile` returns the findings; :func:`reconciliation` also counts what was checked and lists the stated
figures whose inputs the data does not give. Each :class:`Finding` names the :class:`Figure` it concerns, so a
notebook can mark that figure in a rendered report. The grade is judged with the framework the caller passes
(``load_framework(dept.evaluation.framework)``); nothing here reads a framework from disk, and without one a stated
grade is not checkable.

The shape: one :class:`Context` holds a run's state (the department-year, framework, prior-year link, prevailing
precision, the findings and counts so far, the 评分表 indexes) and the helpers every check shares (judge, compare,
record a finding, say where a figure is). Each check is a plain function ``check_<what>(ctx)``; :data:`CHECKS` lists
them in the order their findings are reported, and :func:`reconciliation` runs them over one context. A check can be
run alone: ``ctx = Context(dept, framework); check_scores(ctx); ctx.findings``.

Where each thing is (the modules of this package):

- ``findings``: the finding model: :data:`Severity`, :data:`Rule`, :data:`RULES`, :class:`Figure`, :class:`Finding`,
  :class:`Reconciliation`;
- ``kinds``: the kinds of printed figure and the precision the report prevailingly prints each kind with;
- ``reading``: printed numbers read as intervals;
- ``judging``: a stated figure judged against its recomputation, two printed figures compared, and the message that
  explains the verdict (plain functions over the prevailing precision);
- ``wording``: how numbers and stated figures read in messages;
- ``context``: :class:`Context`, one run's state and the shared helpers;
- ``lines``: a budget table's lines as the checks read them (parts, value printed or summed, the line a claim is
  about);
- the checks, one module per area: ``budget_tables`` (``check_budget_tables``, ``check_cross_table``); ``stated``
  (``check_stated``: each stated figure by its claim, ``range``, ``other``), with ``alternatives`` (how each claim is
  recomputed: a table by claim) and ``restated`` (a table cell restated, ``check_duplicates``,
  ``check_parts_change``); ``scores`` (``check_scores``, and the stated ``score.*`` claims); ``kpis``
  (``check_kpi_formulas``, the stated overall completion); ``prior`` (``check_prior_year``);
- ``api``: :data:`CHECKS`, the public entry points (:func:`reconciliation`, :func:`reconcile`) and the findings as
  text.
"""

from __future__ import annotations

from auditkit.reconcile.api import CHECKS, Check, format_findings, reconcile, reconciliation
from auditkit.reconcile.context import Context
from auditkit.reconcile.findings import ERROR, RULES, WARNING, Figure, Finding, Reconciliation, Rule, Severity
from auditkit.reconcile.review import Review, finding_id, review

__all__ = [
    "CHECKS",
    "ERROR",
    "RULES",
    "WARNING",
    "Check",
    "Context",
    "Figure",
    "Finding",
    "Reconciliation",
    "Review",
    "Rule",
    "Severity",
    "finding_id",
    "format_findings",
    "reconcile",
    "reconciliation",
    "review",
]
