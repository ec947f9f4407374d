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
notebook can mark that figure in a rendered report.

Where each thing is (the modules of this package):

- ``findings``: the finding model: severities, :data:`RULES`, :class:`Figure`, :class:`Finding`, :class:`Reconciliation`;
- ``kinds``: the kinds of printed figure and the precision the report prints each kind with;
- ``reading``: printed numbers read as intervals;
- ``judging``: a stated figure judged against its recomputation, and the message that explains the verdict;
- ``wording``: how numbers read in messages;
- ``core``: one run's state, and how a finding is recorded and addressed;
- the checks, one mixin of the core per area: ``budget_tables``; ``stated`` (each stated figure by its claim),
  ``alternatives`` (how each claim is recomputed) and ``restated`` (a quantity printed twice); ``kpis``; ``scores``
  (the 评分表); ``prior`` (the prior year);
- ``api``: the public entry points (:func:`reconciliation`, :func:`reconcile`) and the findings as text.
"""

from __future__ import annotations

from auditkit.reconcile.api import format_findings, reconcile, reconciliation
from auditkit.reconcile.findings import ERROR, RULES, WARNING, Figure, Finding, Reconciliation

__all__ = [
    "ERROR",
    "RULES",
    "WARNING",
    "Figure",
    "Finding",
    "Reconciliation",
    "format_findings",
    "reconcile",
    "reconciliation",
]
