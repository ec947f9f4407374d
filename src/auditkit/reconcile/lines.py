"""A budget table's lines as the checks read them: the parts a line adds up from, its value (printed, or the sum of
its parts), that value in words, and the line a stated figure is about."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from auditkit.analyses import metrics
from auditkit.analyses.intervals import Interval
from auditkit.data.model import BudgetLine, DepartmentYear
from auditkit.reconcile.kinds import _AMOUNT, _BUDGET_TABLES
from auditkit.reconcile.reading import _Reading
from auditkit.reconcile.wording import _shown


def _lines(dept: DepartmentYear, table: str) -> tuple[BudgetLine, ...]:
    return tuple(getattr(dept, table))


def _parts(dept: DepartmentYear, table: str, line: BudgetLine) -> list[BudgetLine]:
    """The additive parts of a line: its 明细 children, or for the 合计 line the top-level 明细 lines."""
    if line.row_kind == "合计":
        return [b for b in _lines(dept, table) if b.parent is None and b.row_kind == "明细"]
    return [b for b in _lines(dept, table) if b.parent == line.name and b.row_kind == "明细" and b is not line]


def _line_value(
    dept: DepartmentYear, table: str, line: BudgetLine, attr: str, reading: _Reading
) -> Decimal | Interval | None:
    """A line's value: as printed, or where the line prints none, the sum of its parts (if they all print one)."""
    own = getattr(line, attr)
    if own is not None:
        return reading(own, _AMOUNT)
    parts = _parts(dept, table, line)
    if not parts:
        return None
    summed: Decimal | Interval | None = metrics.total([_line_value(dept, table, p, attr, reading) for p in parts])
    return summed


def _value_text(line: BudgetLine, attr: str) -> str:
    """A line's value in words: as printed, or 「（下级之和）」 where it prints none."""
    own = getattr(line, attr)
    return _shown(own) if own is not None else "（下级之和）"


def _find_line(
    dept: DepartmentYear, subject: str | None, tables: Sequence[str] = _BUDGET_TABLES
) -> tuple[str, BudgetLine] | None:
    """The line a stated figure is about (its 对象; the total when it has none), in the first table that has it."""
    for table in tables:
        line = dept.total(table) if subject is None else dept.line(table, subject)
        if line is not None:
            return table, line
    return None
