"""auditkit: a reproducible workbook for 部门整体支出绩效评价 (whole-budget performance evaluation of a department).

The package follows the flow of an evaluation, one sub-package a room:

- ``auditkit.data``: a department-year's extracted data, read, validated and written (folder or workbook);
- ``auditkit.analyses``: budget variance, KPI attainment, cost structure, procurement, as plain DataFrame functions;
- ``auditkit.scoring`` and ``auditkit.reconcile``: the 评分表 under an indicator framework, and the 勾稽校验;
- ``auditkit.report``: what a reader sees: the notebooks' helpers, tables, charts, the rendered pages;
- ``auditkit.batch``: every notebook for every department-year, with papermill, in parallel.

``auditkit.exceptions`` holds every error auditkit raises; ``auditkit.paths`` every path it uses.

This module re-exports the public API, imported on first use so that ``import auditkit`` stays cheap. Notebooks
use it as ``from auditkit import Report, budget, charts``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditkit._lazy import exports

__version__ = "0.1.0"

_EXPORTS = {
    # errors
    "AuditkitError": "auditkit.exceptions:AuditkitError",
    "DataValidationError": "auditkit.exceptions:DataValidationError",
    "Location": "auditkit.exceptions:Location",
    "NumberFormatError": "auditkit.exceptions:NumberFormatError",
    "Problem": "auditkit.exceptions:Problem",
    "UnknownFormatError": "auditkit.exceptions:UnknownFormatError",
    "FrameworkError": "auditkit.exceptions:FrameworkError",
    "ScoringError": "auditkit.exceptions:ScoringError",
    "PriorYearError": "auditkit.exceptions:PriorYearError",
    "ParamsError": "auditkit.exceptions:ParamsError",
    "ChromiumError": "auditkit.exceptions:ChromiumError",
    "OfficeError": "auditkit.exceptions:OfficeError",
    "KernelError": "auditkit.exceptions:KernelError",
    # data
    "DepartmentYear": "auditkit.data.model:DepartmentYear",
    "Number": "auditkit.data.numbers:Number",
    "parse_number": "auditkit.data.numbers:parse_number",
    "load": "auditkit.data.loading:load",
    "validate": "auditkit.data.loading:validate",
    "write_folder": "auditkit.data.folder:write_folder",
    "write_template": "auditkit.data.workbook:write_template",
    "write_workbook": "auditkit.data.workbook:write_workbook",
    "PriorFigure": "auditkit.data.prior_year:PriorFigure",
    "PriorYear": "auditkit.data.prior_year:PriorYear",
    "link_prior_year": "auditkit.data.prior_year:link_prior_year",
    "synth_department": "auditkit.synth:synth_department",
    # scoring and reconciliation
    "Framework": "auditkit.scoring.framework:Framework",
    "framework_ids": "auditkit.scoring.framework:framework_ids",
    "load_framework": "auditkit.scoring.framework:load_framework",
    "Scorecard": "auditkit.scoring.scorecard:Scorecard",
    "score": "auditkit.scoring.scorecard:score",
    "framework_comparison": "auditkit.scoring.comparison:framework_comparison",
    "indicator_comparison": "auditkit.scoring.comparison:indicator_comparison",
    "prior_scorecard": "auditkit.scoring.comparison:prior_scorecard",
    "Finding": "auditkit.reconcile:Finding",
    "Reconciliation": "auditkit.reconcile:Reconciliation",
    "reconcile": "auditkit.reconcile:reconcile",
    "reconciliation": "auditkit.reconcile:reconciliation",
    "Review": "auditkit.reconcile:Review",
    "review": "auditkit.reconcile:review",
    # the notebooks' building blocks: the analyses and the report helpers, as modules
    "Report": "auditkit.report.notebook:Report",
    "YearReport": "auditkit.report.notebook:YearReport",
    "load_year": "auditkit.report.year:load_year",
    "summary": "auditkit.analyses.summary",
    "metrics": "auditkit.analyses.metrics",
    "budget": "auditkit.analyses.budget",
    "kpi": "auditkit.analyses.kpi",
    "costs": "auditkit.analyses.costs",
    "procurement": "auditkit.analyses.procurement",
    "charts": "auditkit.report.charts",
    "evaluation": "auditkit.report.evaluation",
    "memo": "auditkit.report.memo",
}

__all__ = [
    "AuditkitError",
    "ChromiumError",
    "DataValidationError",
    "DepartmentYear",
    "Finding",
    "Framework",
    "FrameworkError",
    "KernelError",
    "Location",
    "Number",
    "NumberFormatError",
    "OfficeError",
    "ParamsError",
    "PriorFigure",
    "PriorYear",
    "PriorYearError",
    "Problem",
    "Reconciliation",
    "Report",
    "Review",
    "Scorecard",
    "ScoringError",
    "UnknownFormatError",
    "YearReport",
    "__version__",
    "budget",
    "charts",
    "costs",
    "evaluation",
    "framework_comparison",
    "framework_ids",
    "indicator_comparison",
    "kpi",
    "link_prior_year",
    "load",
    "load_framework",
    "load_year",
    "memo",
    "metrics",
    "parse_number",
    "prior_scorecard",
    "procurement",
    "reconcile",
    "reconciliation",
    "review",
    "score",
    "summary",
    "synth_department",
    "validate",
    "write_folder",
    "write_template",
    "write_workbook",
]

__getattr__, _dir = exports(__name__, _EXPORTS)


def __dir__() -> list[str]:
    return [*_dir(), "__version__"]


if TYPE_CHECKING:  # what the lazy names are, for type checkers and editors
    from auditkit.analyses import budget, costs, kpi, metrics, procurement, summary
    from auditkit.data.folder import write_folder
    from auditkit.data.loading import load, validate
    from auditkit.data.model import DepartmentYear
    from auditkit.data.numbers import Number, parse_number
    from auditkit.data.prior_year import PriorFigure, PriorYear, link_prior_year
    from auditkit.data.workbook import write_template, write_workbook
    from auditkit.exceptions import (
        AuditkitError,
        ChromiumError,
        DataValidationError,
        FrameworkError,
        KernelError,
        Location,
        NumberFormatError,
        OfficeError,
        ParamsError,
        PriorYearError,
        Problem,
        ScoringError,
        UnknownFormatError,
    )
    from auditkit.reconcile import Finding, Reconciliation, Review, reconcile, reconciliation, review
    from auditkit.report import charts, evaluation, memo
    from auditkit.report.notebook import Report, YearReport
    from auditkit.report.year import load_year
    from auditkit.scoring.comparison import framework_comparison, indicator_comparison, prior_scorecard
    from auditkit.scoring.framework import Framework, framework_ids, load_framework
    from auditkit.scoring.scorecard import Scorecard, score
    from auditkit.synth import synth_department
