"""Model values back to the cells they were read from: the inverse of :mod:`auditkit.data.validate`."""

from __future__ import annotations

from auditkit.data.model import DepartmentYear
from auditkit.data.numbers import Number, format_number
from auditkit.data.schema import FIELDS, SECTIONS, Table

__all__ = ["cell_text", "section_values", "table_rows"]


def cell_text(value: object) -> str:
    """A model value as CSV text: numbers at their printed precision, booleans as 是/否, missing as empty."""
    if value is None:
        return ""
    if isinstance(value, Number):
        return format_number(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def section_values(dept: DepartmentYear) -> list[tuple[str, dict[str, int | str]]]:
    """The department.yaml sections as plain YAML values (numbers as printed strings), missing ones left out."""
    out = []
    for section in SECTIONS:
        obj = getattr(dept, section)
        values: dict[str, int | str] = {}
        for f in FIELDS:
            if f.section != section:
                continue
            value = getattr(obj, f.attr)
            if value is None:
                continue
            values[f.attr] = value if isinstance(value, int) and not isinstance(value, bool) else cell_text(value)
        out.append((section, values))
    return out


def table_rows(dept: DepartmentYear, table: Table) -> list[list[str]]:
    """The rows of ``table`` as CSV text, in the order of the table's columns."""
    rows = getattr(dept, table.name)
    return [[cell_text(getattr(row, c.attr)) for c in table.columns] for row in rows]

