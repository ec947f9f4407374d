"""The prior year: each 上年 figure the department states that the prior year's own contradicts (``prior_year``)."""

from __future__ import annotations

from auditkit.data.numbers import Number
from auditkit.reconcile.context import Context
from auditkit.reconcile.findings import WARNING, Figure
from auditkit.reconcile.wording import _value_text


def check_prior_year(ctx: Context) -> None:
    """Each 上年 figure the department states that the prior year's own figure contradicts: a warning, the
    department's figure used (a department may restate its prior year: reclassification, correction). Nothing
    without the prior-year link."""
    if ctx.prior is None or ctx.prior.prior is None:
        return
    ctx.checked += ctx.prior.compared
    year = ctx.prior.prior.fiscal_year
    for f in ctx.prior.disagreements:
        assert f.stated is not None
        unit = f" {f.unit}" if f.unit and f.unit != "%" else ""
        location = ctx.place(f.table, f.row, f.header, f.stated_source)
        message = (f"{f.label}两处不同：本部门数据列示 {_value_text(f.stated)}{unit}（{location}），"
                   f"{year} 年度数据为 {_value_text(f.linked)}{unit}（{f.linked_source}）。同比采用本部门数据所列数；"
                   "上年数可能经重述（口径调整或更正），请核对并在数据说明中写明原因。")
        stated = f.stated.value if isinstance(f.stated, Number) else None
        linked = f.linked.value if isinstance(f.linked, Number) else None
        ctx.record(WARNING, "prior_year", message, Figure(f.table, f.key, f.column), location, stated, linked)
