"""Load a department-year from either form, or list every problem with it."""

from __future__ import annotations

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
        return [Problem(Location(exc.path), str(exc).split(": ", 1)[1])]
    return []
