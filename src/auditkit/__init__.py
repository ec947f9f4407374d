"""auditkit: a reproducible workbook for 部门整体支出绩效评价 (whole-budget performance evaluation of a department).

The public API: load a department-year, validate it, and write it in either form.
"""

from __future__ import annotations

from auditkit.exceptions import (
    AuditkitError,
    DataValidationError,
    Location,
    NumberFormatError,
    Problem,
    UnknownFormatError,
)
from auditkit.folder import write_folder
from auditkit.frameworks import Framework, FrameworkError, framework_ids, load_framework
from auditkit.loading import load, validate
from auditkit.model import DepartmentYear
from auditkit.numbers import Number, parse_number
from auditkit.prior_year import (
    PriorFigure,
    PriorYear,
    PriorYearError,
    framework_comparison,
    indicator_comparison,
    link_prior_year,
)
from auditkit.reconcile import Finding, Reconciliation, reconcile, reconciliation
from auditkit.scoring import Scorecard, ScoringError, score
from auditkit.synth import synth_department
from auditkit.workbook import write_template, write_workbook

__version__ = "0.1.0"

__all__ = [
    "AuditkitError",
    "DataValidationError",
    "DepartmentYear",
    "Finding",
    "Framework",
    "FrameworkError",
    "Location",
    "Number",
    "NumberFormatError",
    "PriorFigure",
    "PriorYear",
    "PriorYearError",
    "Problem",
    "Reconciliation",
    "Scorecard",
    "ScoringError",
    "UnknownFormatError",
    "__version__",
    "framework_comparison",
    "framework_ids",
    "indicator_comparison",
    "link_prior_year",
    "load",
    "load_framework",
    "parse_number",
    "reconcile",
    "reconciliation",
    "score",
    "synth_department",
    "validate",
    "write_folder",
    "write_template",
    "write_workbook",
]
