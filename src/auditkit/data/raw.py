"""Raw cells as read from a folder or a workbook, each with its location, before any parsing.

Readers (:mod:`auditkit.data.folder`, :mod:`auditkit.data.workbook`) produce a :class:`RawData`; the validator
(:mod:`auditkit.data.validate`) turns it into a :class:`~auditkit.data.model.DepartmentYear` or a list of problems.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from auditkit.exceptions import Location, Problem

#: Where a department-year is read from: a folder (department.yaml + CSV) or a workbook (.xlsx).
Form = Literal["folder", "workbook"]

__all__ = ["UNREADABLE", "Cell", "Form", "RawData", "RawTable", "Unreadable", "normalize_header"]

_UNIT_SUFFIX = re.compile(r"^(?P<base>.+?)\((?P<unit>元|万元|%|人|台)\)$")


class Unreadable:
    """The value of a cell that could not be read, its problem already recorded (a formula without a cached value):
    not empty, so a required cell is not also reported missing, and never parsed."""

    def __repr__(self) -> str:
        return "UNREADABLE"

    def __str__(self) -> str:
        return ""


UNREADABLE = Unreadable()


@dataclass(frozen=True)
class Cell:
    """One value as found (text, or a number from YAML), and where it was found."""

    value: object
    location: Location


@dataclass
class RawTable:
    """A table as found: its headers (normalized, with the unit a header names) and its rows."""

    name: str
    location: Location
    headers: list[tuple[str, str | None, Location]] = field(default_factory=list)
    rows: list[dict[str, Cell]] = field(default_factory=list)


@dataclass
class RawData:
    """Everything read from one department-year, before validation."""

    origin: str
    form: Form
    info_location: Location
    fields: dict[str, Cell] = field(default_factory=dict)
    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    info_found: bool = True
    folder_name: str | None = None
    year_folder_name: str | None = None
    #: Tables whose file could not be read at all (its problem recorded): other tables' references to them are not
    #: checked, so that one unreadable file gives one error, not a cascade.
    unreadable: set[str] = field(default_factory=set)


def normalize_header(text: str) -> tuple[str, str | None]:
    """A header without spaces, in half-width form, split from the unit it names: ``决算（元）`` → (决算, 元)."""
    clean = "".join(unicodedata.normalize("NFKC", text).split())
    match = _UNIT_SUFFIX.match(clean)
    if match:
        return match["base"], match["unit"]
    return clean, None
