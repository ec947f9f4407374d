"""Load a department-year from either form, or list every problem with it."""

from __future__ import annotations

import os
from pathlib import Path

from auditkit.data.folder import read_folder
from auditkit.data.model import DepartmentYear
from auditkit.data.raw import RawData
from auditkit.data.validate import build
from auditkit.data.workbook import read_workbook
from auditkit.exceptions import DataValidationError, Location, Problem, UnknownFormatError
from auditkit.paths import DEPARTMENT_FILE, display

__all__ = ["load", "read_raw", "validate"]


def read_raw(path: str | Path) -> RawData:
    """Read a department folder or workbook into raw cells, without validating them."""
    if not isinstance(path, (str, os.PathLike)):  # e.g. `data_path: 123` in a parameters file (issue 16, case 16)
        raise UnknownFormatError(repr(path), f"不是路径，而是 {type(path).__name__} 值；请写部门数据的路径，如 data/2019/shaoguan-rsj"
                                              "（在参数文件中加引号）")
    p = Path(path)
    if p.is_dir():
        return read_folder(p)
    if p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm"):
        return read_workbook(p)
    if p.is_file() and p.name == DEPARTMENT_FILE:
        return read_folder(p.parent)
    raise UnknownFormatError(display(p))


def load(path: str | Path) -> DepartmentYear:
    """Load and validate one department-year from ``data/<year>/<dept_id>/`` or an ``.xlsx`` workbook.

    Raises :class:`~auditkit.exceptions.DataValidationError` listing every problem found, or
    :class:`~auditkit.exceptions.UnknownFormatError` when ``path`` is neither form.
    """
    return build(read_raw(path))


def validate(path: str | Path) -> list[Problem]:
    """Every problem with the department-year at ``path``; an empty list when it is clean."""
    try:
        load(path)
    except DataValidationError as exc:
        return exc.problems
    except UnknownFormatError as exc:
        return [Problem(Location(exc.path), exc.reason)]
    return []
