"""The staffing table (人员编制): a 合计 (or a category with sub-categories) against its parts, exactly
(``cross_footing``; issue 16, case 14). People are counted, so the sum must be exact: 215 against 205 is an error."""

from __future__ import annotations

from decimal import Decimal

from auditkit.data.model import Staffing
from auditkit.reconcile.context import Context
from auditkit.reconcile.findings import ERROR, Figure

#: Category names of a grand total.
_TOTALS = frozenset({"合计", "总计", "在职人员合计", "人员合计"})
#: Categories outside the serving staff a 合计 counts (retired staff): never a part of it.
_OUTSIDE = ("退休", "离休")
_HEADERS = (("authorized", "编制数"), ("actual", "实有数"))


def _parts(staffing: tuple[Staffing, ...], row: Staffing) -> list[Staffing]:
    """A category's sub-categories; for a 合计, the top-level categories of its unit (人 or 台) but retired staff."""
    children = [s for s in staffing if s.parent == row.category]
    if children or row.category not in _TOTALS:
        return children
    return [s for s in staffing if s.parent is None and s is not row and (s.unit or "人") == (row.unit or "人")
            and s.category not in _TOTALS and not any(word in s.category for word in _OUTSIDE)]


def _value(staffing: tuple[Staffing, ...], row: Staffing, attr: str) -> Decimal | None:
    """A category's count as printed, else the sum of its sub-categories' (None when any is missing)."""
    own = getattr(row, attr)
    if own is not None:
        return Decimal(own.value)
    children = [s for s in staffing if s.parent == row.category]
    values = [_value(staffing, c, attr) for c in children]
    if not values or any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def check_staffing(ctx: Context) -> None:
    """Each 合计 and each category with sub-categories: its 编制数 and 实有数 equal the sum of its parts' exactly."""
    staffing = ctx.dept.staffing
    for row in staffing:
        parts = _parts(staffing, row)
        if not parts:
            continue
        for attr, header in _HEADERS:
            stated = getattr(row, attr)
            values = [_value(staffing, p, attr) for p in parts]
            if stated is None or any(v is None for v in values):
                continue
            ctx.checked += 1
            total = sum((v for v in values if v is not None), Decimal(0))
            if total == stated.value:
                continue
            unit = row.unit or "人"
            terms = " + ".join(f"{p.category} {v}" for p, v in zip(parts, values, strict=True))
            message = (f"人员编制「{row.category}」{header}列示 {stated} {unit}，按其下各类之和 {terms} 计为 {total} {unit}；"
                       "请核对原报告。")
            ctx.record(ERROR, "cross_footing", message, Figure("staffing", row.category, attr),
                       ctx.place("staffing", row.category, header, row.source), stated.value, total)
