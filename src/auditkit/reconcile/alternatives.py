"""The ways each claim is recomputed from the data (``recompute``): every formula its inputs allow, in words.

:func:`alternatives` looks the claim up in :data:`_BY_CLAIM`; a claim about a budget line finds the line first
(:data:`_BY_BUDGET_CLAIM`), one about a KPI the KPI. A claim with no entry (``budget.change_amount``: no column holds
the prior year's budget; ``cost.per_unit``: no count) has no recomputation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from auditkit.analyses import metrics
from auditkit.analyses.intervals import Interval
from auditkit.data.model import BudgetLine, DepartmentYear, Kpi, Procurement, Projects, StatedFigure
from auditkit.data.numbers import Number
from auditkit.data.schema import TABLES
from auditkit.reconcile.judging import _Alt
from auditkit.reconcile.kinds import _AMOUNT, _BUDGET_TABLES, _PERCENT, _is_count, _kpi_kind
from auditkit.reconcile.lines import _find_line, _line_value, _value_text
from auditkit.reconcile.reading import _Reading
from auditkit.reconcile.wording import _shown, _txt

_Alternatives = Callable[[DepartmentYear, StatedFigure], list[_Alt]]


def alternatives(dept: DepartmentYear, s: StatedFigure) -> list[_Alt]:
    """The ways a stated figure may be recomputed from the data; empty when the data lacks its inputs."""
    recompute = _BY_CLAIM.get(s.claim)
    return recompute(dept, s) if recompute is not None else []


# -- a budget line ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """The budget line a claim is about, read column by column in a formula and in words."""

    dept: DepartmentYear
    table: str
    line: BudgetLine

    @property
    def label(self) -> str:
        return f"「{self.line.label}」"

    def present(self, attr: str) -> bool:
        return self.value(attr, _Reading("face")) is not None

    def value(self, attr: str, r: _Reading) -> Decimal | Interval | None:
        return _line_value(self.dept, self.table, self.line, attr, r)

    def text(self, attr: str) -> str:
        """The column's header and value, e.g. 「决算 13,867.60」."""
        return f"{TABLES[self.table].column(attr).header} {_value_text(self.line, attr)}"


def _on_budget_line(s: StatedFigure, b: _Line) -> list[_Alt]:
    recompute = _BY_BUDGET_CLAIM.get(s.claim)
    return recompute(s, b) if recompute is not None else []


def _budget_claim(dept: DepartmentYear, s: StatedFigure) -> list[_Alt]:
    found = _find_line(dept, s.subject)
    return _on_budget_line(s, _Line(dept, *found)) if found is not None else []


def _execution_rate(s: StatedFigure, b: _Line) -> list[_Alt]:
    """预算执行率: 决算 ÷ 调整预算."""
    how = f"{b.label}{b.text('final')} ÷ {b.text('adjusted')} "
    return [_Alt(lambda r: metrics.execution_rate(b.value("final", r), b.value("adjusted", r)), how)]


def _execution_rate_initial(s: StatedFigure, b: _Line) -> list[_Alt]:
    """预算执行率 against the initial budget: 决算 ÷ 年初预算."""
    how = f"{b.label}{b.text('final')} ÷ {b.text('initial')} "
    return [_Alt(lambda r: metrics.execution_rate(b.value("final", r), b.value("initial", r)), how)]


def _variance(s: StatedFigure, b: _Line) -> list[_Alt]:
    """预决算差异: a budget (调整, 年初 or 剔除后, whichever the line prints) − 决算."""
    return [_Alt(partial(lambda c, r: metrics.variance(b.value(c, r), b.value("final", r)), c),
                 f"{b.label}{b.text(c)} − {b.text('final')} ")
            for c in ("adjusted", "initial", "net_initial") if b.present(c)]


def _adjustment_rate(s: StatedFigure, b: _Line) -> list[_Alt]:
    """预算调整率: (调整预算 − 剔除后 or 年初预算) ÷ that budget."""
    return [_Alt(partial(lambda c, r: metrics.adjustment_rate(b.value("adjusted", r), b.value(c, r)), c),
                 f"{b.label}({b.text('adjusted')} − {b.text(c)}) ÷ {b.text(c)} ")
            for c in ("net_initial", "initial") if b.present(c)]


def _carryover_rate(s: StatedFigure, b: _Line) -> list[_Alt]:
    """结转结余率: 结转结余 ÷ a budget column (调整, 年初) or 决算; without a 结转结余 amount, (调整预算 − 决算) ÷ 调整预算,
    the definition the budget analysis uses (``analyses.budget.budget_indicators``): one definition everywhere."""
    carry = b.dept.funds.carryover
    if carry is None:
        if not (b.present("adjusted") and b.present("final")):
            return []
        return [_Alt(lambda r: metrics.carryover_rate(metrics.variance(b.value("adjusted", r), b.value("final", r)),
                                                      b.value("adjusted", r)),
                     f"结转结余（{b.label}{b.text('adjusted')} − {b.text('final')}）÷ {b.text('adjusted')} ")]
    return [_Alt(partial(lambda c, r: metrics.carryover_rate(r(carry, _AMOUNT), b.value(c, r)), c),
                 f"结转结余 {_txt(carry)} ÷ {b.label}{b.text(c)} ")
            for c in ("adjusted", "initial", "final") if b.present(c)]


def _change_amount(s: StatedFigure, b: _Line) -> list[_Alt]:
    """较上年增减额: 决算 − 上年决算."""
    how = f"{b.label}{b.text('final')} − {b.text('prior_final')} "
    return [_Alt(lambda r: metrics.change_amount(b.value("final", r), b.value("prior_final", r)), how)]


def _change_rate(s: StatedFigure, b: _Line) -> list[_Alt]:
    """较上年增减率: from 上年决算, or where the line prints none, from each stated 增减额 of the same line."""
    if b.present("prior_final"):
        return [_Alt(lambda r: metrics.change_rate(b.value("final", r), b.value("prior_final", r)),
                     f"{b.label}({b.text('final')} − {b.text('prior_final')}) ÷ {b.text('prior_final')} ")]
    stated = b.dept.stated_of("yoy.change_amount", s.subject)
    amounts = [a.value for a in stated if isinstance(a.value, Number)]
    return [_Alt(partial(lambda a, r: metrics.change_rate_from_amount(b.value("final", r), r(a, _AMOUNT)), a),
                 f"{b.label}增减额 {_shown(a)} ÷ (本年 {_value_text(b.line, 'final')} − 增减额 {_shown(a)}) ")
            for a in amounts]


_BY_BUDGET_CLAIM: dict[str, Callable[[StatedFigure, _Line], list[_Alt]]] = {
    "budget.execution_rate": _execution_rate,
    "budget.execution_rate_initial": _execution_rate_initial,
    "budget.variance": _variance,
    "budget.adjustment_rate": _adjustment_rate,
    "budget.carryover_rate": _carryover_rate,
    "yoy.change_amount": _change_amount,
    "yoy.change_rate": _change_rate,
}


def _quarterly_average(dept: DepartmentYear, s: StatedFigure) -> list[_Alt]:
    """季度平均执行率: the mean of the quarters' cumulative execution rates."""
    rates = [q.cumulative_rate for q in sorted(dept.quarterly, key=lambda q: q.quarter)]
    if not rates:
        return []
    shown = "、".join(_shown(x) for x in rates)
    return [_Alt(lambda r: metrics.mean([r(x, _PERCENT) for x in rates]), f"各季度累计执行率 {shown} 的平均 ")]


def _cost_control_rate(dept: DepartmentYear, s: StatedFigure) -> list[_Alt]:
    """经费控制率: 决算 ÷ a budget (调整, 剔除后, 年初) of the cost line (a 三公经费 item, or a budget line)."""
    found = _find_line(dept, s.subject, ("costs", *_BUDGET_TABLES))
    if found is None:
        return []
    b = _Line(dept, *found)
    return [_Alt(partial(lambda c, r: metrics.control_rate(b.value("final", r), b.value(c, r)), c),
                 f"决算 {_value_text(b.line, 'final')} ÷ {b.text(c)} ")
            for c in ("adjusted", "net_initial", "initial") if b.present(c)]


# -- the sections ----------------------------------------------------------------------------------------


def _stock_change_rate(dept: DepartmentYear, s: StatedFigure) -> list[_Alt]:
    """存量资金变动率: (年末存量 − 上年末) ÷ 上年末."""
    f = dept.funds
    return [_Alt(lambda r: metrics.change_rate(r(f.stock_current, _AMOUNT), r(f.stock_prior, _AMOUNT)),
                 f"(年末存量资金 {_txt(f.stock_current)} − 上年末 {_txt(f.stock_prior)}) ÷ 上年末 ")]


def _special_spend_rate(dept: DepartmentYear, s: StatedFigure) -> list[_Alt]:
    """专项资金支出率: 支出 ÷ 下达."""
    f = dept.funds
    return [_Alt(lambda r: metrics.execution_rate(r(f.special_spent, _AMOUNT), r(f.special_allocated, _AMOUNT)),
                 f"专项资金支出 {_txt(f.special_spent)} ÷ 下达 {_txt(f.special_allocated)} ")]


def _procurement_execution_rate(dept: DepartmentYear, s: StatedFigure) -> list[_Alt]:
    """政府采购执行率: 实际采购 ÷ 计划."""
    p = dept.procurement
    return [_Alt(lambda r: metrics.execution_rate(r(p.actual, _AMOUNT), r(p.planned, _AMOUNT)),
                 f"实际采购 {_txt(p.actual)} ÷ 计划 {_txt(p.planned)} ")]


def _procurement_share(awarded: Callable[[Procurement], Number | None], label: str) -> _Alternatives:
    """A share of 政府采购: the contracts awarded to 中小企业 or 小微企业 ÷ the procurement total."""

    def share(dept: DepartmentYear, s: StatedFigure) -> list[_Alt]:
        p = dept.procurement
        part = awarded(p)
        return [_Alt(lambda r: metrics.share(r(part, _AMOUNT), r(p.actual, _AMOUNT)),
                     f"{label} {_txt(part)} ÷ 政府采购支出总额 {_txt(p.actual)} ")]

    return share


def _utilization_rate(dept: DepartmentYear, s: StatedFigure) -> list[_Alt]:
    """固定资产利用率: 在用 ÷ 总额."""
    a = dept.assets
    return [_Alt(lambda r: metrics.share(r(a.fixed_in_use, _AMOUNT), r(a.fixed_total, _AMOUNT)),
                 f"在用固定资产 {_txt(a.fixed_in_use)} ÷ 固定资产总额 {_txt(a.fixed_total)} ")]


def _project_share(counted: Callable[[Projects], Number | None], label: str) -> _Alternatives:
    """A share of the projects (绩效目标覆盖率, 项目自评完成比例): a count of projects ÷ 项目总数, exactly."""

    def share(dept: DepartmentYear, s: StatedFigure) -> list[_Alt]:
        pr = dept.projects
        part = counted(pr)
        return [_Alt(lambda r: metrics.share(r(part, "", True), r(pr.count, "", True)),
                     f"{label} {_txt(part)} ÷ 项目总数 {_txt(pr.count)} ")]

    return share


def _unit_count(kind: str) -> _Alternatives:
    """内设机构数 or 下属单位数: the units of that kind the 机构表 lists. A list the report marks incomplete ("办公室、
    …等16个股室" naming six) cannot check a larger stated count: the count stands, and it is no contradiction."""

    def count(dept: DepartmentYear, s: StatedFigure) -> list[_Alt]:
        n = sum(1 for u in dept.units if u.kind == kind)
        stated = dept.department.internal_units if kind == "内设机构" else dept.department.subordinate_units
        if stated is not None:  # the list is incomplete: the count the source states stands (issue 16, case 15)
            return [_Alt(lambda r: stated.value, f"部门基本信息所述{kind}数（机构表列出其中 {n} 个）")]
        if not dept.units:
            return []
        incomplete = re.search(r"等\s*[\d０-９]+\s*个", s.quote or "") is not None
        if incomplete and isinstance(s.value, Number) and n < s.value.value:
            return []
        return [_Alt(lambda r: Decimal(n), f"机构表所列{kind}的个数 ")]

    return count


def _staff_control_rate(dept: DepartmentYear, s: StatedFigure) -> list[_Alt]:
    """财政供养人员控制率: 在职人员数 (the 合计 line's 实有数, else the sum of top-level 人 lines) ÷ Σ 编制数."""
    people = [x for x in dept.staffing if x.unit in (None, "人")]
    if not people:
        return []
    total_line = next((x for x in people if x.category == "合计"), None)
    top = [x for x in people if x.parent is None and x is not total_line]
    if total_line is not None and total_line.actual is not None:
        actual: Decimal | None = total_line.actual.value
    else:
        values = [x.actual.value for x in top if x.actual is not None]
        actual = sum(values, Decimal(0)) if values else None
    authorized_values = [x.authorized.value for x in top if x.authorized is not None]
    if actual is None or not authorized_values:
        return []
    authorized = sum(authorized_values, Decimal(0))
    return [_Alt(lambda r: metrics.staff_control_rate(actual, authorized), f"在职人员 {actual} ÷ 核定编制 {authorized} ")]


# -- a KPI -----------------------------------------------------------------------------------------------


def _on_kpi(recompute: Callable[[Kpi], list[_Alt]]) -> _Alternatives:
    """A claim about a KPI (its 对象 is the KPI's name), recomputed from that KPI."""

    def of_kpi(dept: DepartmentYear, s: StatedFigure) -> list[_Alt]:
        kpi = next((k for k in dept.kpis if k.name == s.subject), None)
        return recompute(kpi) if kpi is not None else []

    return of_kpi


def _kpi_reader(kpi: Kpi) -> Callable[[_Reading, Number], Decimal | Interval | None]:
    """Read a KPI's figure at its kind, exactly when it is a count."""
    kind = _kpi_kind(kpi)

    def read(r: _Reading, n: Number) -> Decimal | Interval | None:
        return r(n, kind, _is_count(kpi, n))

    return read


def _kpi_completion_rate(kpi: Kpi) -> list[_Alt]:
    """计划完成率: 实际数 against 目标值, by the KPI's direction (≥, ≤, =); none for a 定性 KPI."""
    actual = kpi.actual if isinstance(kpi.actual, Number) else None
    target = kpi.target if isinstance(kpi.target, Number) else None
    if actual is None or target is None or kpi.direction == "定性":
        return []
    read = _kpi_reader(kpi)
    return [_Alt(lambda r: metrics.completion_rate(read(r, actual), read(r, target), kpi.direction),
                 f"实际数 {_shown(actual)} 与目标值 {_shown(target)}（{kpi.direction}）")]


def _kpi_yoy_change(kpi: Kpi) -> list[_Alt]:
    """同比: (本年实际 − 上年实际) ÷ 上年实际."""
    actual = kpi.actual if isinstance(kpi.actual, Number) else None
    prior = kpi.prior_actual if isinstance(kpi.prior_actual, Number) else None
    if actual is None or prior is None:
        return []
    read = _kpi_reader(kpi)
    how = f"(本年 {_shown(actual)} − 上年 {_shown(prior)}) ÷ 上年 "
    return [_Alt(lambda r: metrics.change_rate(read(r, actual), read(r, prior)), how)]


#: Each recomputable claim → the ways it is recomputed.
_BY_CLAIM: dict[str, _Alternatives] = {
    "budget.quarterly_average": _quarterly_average,
    **dict.fromkeys(_BY_BUDGET_CLAIM, _budget_claim),
    "cost.control_rate": _cost_control_rate,
    "funds.stock_change_rate": _stock_change_rate,
    "funds.special_spend_rate": _special_spend_rate,
    "procurement.execution_rate": _procurement_execution_rate,
    "procurement.sme_share": _procurement_share(lambda p: p.sme, "授予中小企业合同金额"),
    "procurement.small_micro_share": _procurement_share(lambda p: p.small_micro, "授予小微企业合同金额"),
    "assets.utilization_rate": _utilization_rate,
    "projects.goal_coverage": _project_share(lambda pr: pr.with_goals, "设置绩效目标的项目数"),
    "projects.self_evaluation_rate": _project_share(lambda pr: pr.self_evaluated, "已自评项目数"),
    "profile.internal_unit_count": _unit_count("内设机构"),
    "profile.subordinate_unit_count": _unit_count("下属单位"),
    "staff.control_rate": _staff_control_rate,
    "kpi.completion_rate": _on_kpi(_kpi_completion_rate),
    "kpi.yoy_change": _on_kpi(_kpi_yoy_change),
}
