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
from auditkit.loading import load, validate
from auditkit.model import DepartmentYear
from auditkit.numbers import Number, parse_number
from auditkit.workbook import write_template, write_workbook

__version__ = "0.1.0"

__all__ = [
    "AuditkitError",
    "DataValidationError",
    "DepartmentYear",
    "Location",
    "Number",
    "NumberFormatError",
    "Problem",
    "UnknownFormatError",
    "__version__",
    "load",
    "parse_number",
    "validate",
    "write_folder",
    "write_template",
    "write_workbook",
]
