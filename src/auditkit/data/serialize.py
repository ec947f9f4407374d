"""Model values back to the cells they were read from: the inverse of :mod:`auditkit.data.validate`.

Written back, a figure is the text it was read from whenever that text still reads as the same figure (``36,158.49``
keeps its thousands separator, ``80`` in a 得分率 column stays without its optional %, an amount printed in 元 is
written in 元); a table keeps the columns it was read with, in their order (:attr:`DepartmentYear.layout`). So the
folder → workbook → folder round trip gives back the same bytes (issue 16, case 2).
"""

from __future__ import annotations

import json

import yaml

from auditkit.data.model import DepartmentYear
from auditkit.data.numbers import Number, format_number, parse_number
from auditkit.data.schema import FIELDS, SECTIONS, Column, Table
from auditkit.exceptions import NumberFormatError

__all__ = ["cell_text", "dump_yaml", "number_text", "section_values", "table_columns", "table_rows"]


def number_text(number: Number) -> str:
    """A figure as text: the text it was read from when that reads as the same figure, else at its own precision."""
    raw = number.raw.strip() if isinstance(number.raw, str) else ""
    if raw:
        try:
            again = parse_number(raw, allow_comparator=True)
        except NumberFormatError:
            again = None
        if (again is not None and again.value == number.value and again.decimals == number.decimals
                and again.comparator == number.comparator and (again.percent == number.percent or not again.percent)):
            return raw
    return format_number(number)


def cell_text(value: object, unit: str | None = None) -> str:
    """A model value as CSV text: numbers as read (an amount in a 元 column in 元), booleans as 是/否, missing as empty."""
    if value is None:
        return ""
    if isinstance(value, Number):
        return number_text(in_unit(value, unit))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def in_unit(number: Number, unit: str | None) -> Number:
    """A figure in the unit of the column it is written to: in 元 for a 元 column, else as held (万元)."""
    if unit != "元":
        return number
    if number.shift:
        return number.as_printed()
    return Number(number.value.scaleb(4), max(number.decimals - 4, 0), number.percent, number.comparator)


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


def _scalar(kind: str, value: int | str) -> str:
    """One YAML value: whole numbers (年度) and dates plain, figures double-quoted (they are text to auditkit), other
    text plain when it reads back as the same text under any YAML loader, else double-quoted."""
    if isinstance(value, int):
        return str(value)
    if kind == "date":
        return value
    if kind not in ("amount", "number", "integer") and " " not in value and value.strip() == value:
        plain = yaml.safe_dump(value, allow_unicode=True, width=10**6)
        if plain == f"{value}\n...\n" or plain == f"{value}\n":
            return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def dump_yaml(dept: DepartmentYear) -> str:
    """``department.yaml`` as auditkit writes it: sections and fields in the schema's order, one line each."""
    kinds = {f.key: f.kind for f in FIELDS}
    lines = []
    for section, values in section_values(dept):
        if not values:
            continue
        lines.append(f"{section}:")
        lines.extend(f"  {attr}: {_scalar(kinds[f'{section}.{attr}'], value)}" for attr, value in values.items())
    return "\n".join(lines) + "\n"


def table_columns(dept: DepartmentYear, table: Table) -> list[tuple[Column, str | None]]:
    """The columns ``table`` is written with, each with the unit its header names: those it was read with, in their
    order, when it was read from data; else every column of the schema."""
    layout = dept.layout.get(table.name)
    if layout is None:
        return [(c, None) for c in table.columns]
    by_header = {c.header: c for c in table.columns}
    return [(by_header[header], unit) for header, unit in layout if header in by_header]


def table_rows(dept: DepartmentYear, table: Table) -> list[list[str]]:
    """The rows of ``table`` as CSV text, in the order of :func:`table_columns`."""
    columns = table_columns(dept, table)
    return [[cell_text(getattr(row, c.attr), unit) for c, unit in columns] for row in getattr(dept, table.name)]
