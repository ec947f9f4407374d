"""The ways each claim is recomputed from the data (``recompute``): every formula its inputs allow, in words."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from auditkit.analyses import metrics
from auditkit.data.model import BudgetLine, Kpi, StatedFigure
from auditkit.data.numbers import Number
from auditkit.data.schema import TABLES
from auditkit.reconcile.budget_tables import _BudgetChecks
from auditkit.reconcile.judging import _Alt
from auditkit.reconcile.kinds import _AMOUNT, _BUDGET_TABLES, _PERCENT, _is_count, _kpi_kind
from auditkit.reconcile.reading import _Reading
from auditkit.reconcile.wording import _shown, _txt


class _Alternatives(_BudgetChecks):
    """Every way a stated figure may be recomputed, by claim."""

    def alternatives(self, s: StatedFigure) -> list[_Alt]:
        """The ways a stated figure may be recomputed from the data; empty when the data lacks its inputs."""
        d = self.dept
        claim = s.claim
        if claim == "budget.quarterly_average":
            rates = [q.cumulative_rate for q in sorted(d.quarterly, key=lambda q: q.quarter)]
            if not rates:
                return []
            shown = "、".join(_shown(x) for x in rates)
            return [_Alt(lambda r: metrics.mean([r(x, _PERCENT) for x in rates]), f"各季度累计执行率 {shown} 的平均 ")]
        if claim.startswith(("budget.", "yoy.")):
            found = self.find_line(s.subject)
            if found is None:
                return []
            table, line = found
            return self.budget_alternatives(s, table, line)
        if claim == "cost.control_rate":
            found = self.find_line(s.subject, ("costs", *_BUDGET_TABLES))
            if found is None:
                return []
            table, line = found
            return [
                _Alt(
                    partial(
                        lambda b, r: metrics.control_rate(
                            self.value(table, line, "final", r), self.value(table, line, b, r)
                        ),
                        b,
                    ),
                    f"决算 {self.value_text(line, 'final')} ÷ "
                    f"{TABLES[table].column(b).header} {self.value_text(line, b)} ",
                )
                for b in ("adjusted", "initial")
                if self.value(table, line, b, _Reading("face")) is not None
            ]
        if claim == "funds.stock_change_rate":
            f = d.funds
            return [_Alt(lambda r: metrics.change_rate(r(f.stock_current, _AMOUNT), r(f.stock_prior, _AMOUNT)),
                         f"(年末存量资金 {_txt(f.stock_current)} − 上年末 {_txt(f.stock_prior)}) ÷ 上年末 ")]
        if claim == "funds.special_spend_rate":
            f = d.funds
            return [_Alt(lambda r: metrics.execution_rate(r(f.special_spent, _AMOUNT), r(f.special_allocated, _AMOUNT)),
                         f"专项资金支出 {_txt(f.special_spent)} ÷ 下达 {_txt(f.special_allocated)} ")]
        if claim.startswith("procurement."):
            p = d.procurement
            if claim == "procurement.execution_rate":
                return [_Alt(lambda r: metrics.execution_rate(r(p.actual, _AMOUNT), r(p.planned, _AMOUNT)),
                             f"实际采购 {_txt(p.actual)} ÷ 计划 {_txt(p.planned)} ")]
            part, label = (p.sme, "授予中小企业合同金额") if claim == "procurement.sme_share" else (p.small_micro, "授予小微企业合同金额")
            return [_Alt(lambda r: metrics.share(r(part, _AMOUNT), r(p.actual, _AMOUNT)),
                         f"{label} {_txt(part)} ÷ 政府采购支出总额 {_txt(p.actual)} ")]
        if claim == "assets.utilization_rate":
            a = d.assets
            return [_Alt(lambda r: metrics.share(r(a.fixed_in_use, _AMOUNT), r(a.fixed_total, _AMOUNT)),
                         f"在用固定资产 {_txt(a.fixed_in_use)} ÷ 固定资产总额 {_txt(a.fixed_total)} ")]
        if claim in ("projects.goal_coverage", "projects.self_evaluation_rate"):
            pr = d.projects
            if claim == "projects.goal_coverage":
                part, label = pr.with_goals, "设置绩效目标的项目数"
            else:
                part, label = pr.self_evaluated, "已自评项目数"
            return [_Alt(lambda r: metrics.share(r(part, "", True), r(pr.count, "", True)),
                         f"{label} {_txt(part)} ÷ 项目总数 {_txt(pr.count)} ")]
        if claim in ("profile.internal_unit_count", "profile.subordinate_unit_count"):
            if not d.units:
                return []
            kind = "内设机构" if claim == "profile.internal_unit_count" else "下属单位"
            count = sum(1 for u in d.units if u.kind == kind)
            return [_Alt(lambda r: Decimal(count), f"机构表所列{kind}的个数 ")]
        if claim == "staff.control_rate":
            return self.staff_alternatives()
        if claim in ("kpi.completion_rate", "kpi.yoy_change"):
            kpi = next((k for k in d.kpis if k.name == s.subject), None)
            if kpi is None:
                return []
            return self.kpi_alternatives(claim, kpi)
        return []

    def budget_alternatives(self, s: StatedFigure, table: str, line: BudgetLine) -> list[_Alt]:
        claim, label = s.claim, f"「{line.label}」"
        face = _Reading("face")

        def present(attr: str) -> bool:
            return self.value(table, line, attr, face) is not None

        def v(attr: str, r: _Reading) -> Any:
            return self.value(table, line, attr, r)

        def h(attr: str) -> str:
            return f"{TABLES[table].column(attr).header} {self.value_text(line, attr)}"

        if claim == "budget.execution_rate":
            how = f"{label}{h('final')} ÷ {h('adjusted')} "
            return [_Alt(lambda r: metrics.execution_rate(v("final", r), v("adjusted", r)), how)]
        if claim == "budget.execution_rate_initial":
            how = f"{label}{h('final')} ÷ {h('initial')} "
            return [_Alt(lambda r: metrics.execution_rate(v("final", r), v("initial", r)), how)]
        if claim == "budget.variance":
            return [_Alt(partial(lambda b, r: metrics.variance(v(b, r), v("final", r)), b),
                         f"{label}{h(b)} − {h('final')} ")
                    for b in ("adjusted", "initial", "net_initial") if present(b)]
        if claim == "budget.adjustment_rate":
            return [_Alt(partial(lambda b, r: metrics.adjustment_rate(v("adjusted", r), v(b, r)), b),
                         f"{label}({h('adjusted')} − {h(b)}) ÷ {h(b)} ")
                    for b in ("net_initial", "initial") if present(b)]
        if claim == "budget.carryover_rate":
            carry = self.dept.funds.carryover
            return [_Alt(partial(lambda b, r: metrics.carryover_rate(r(carry, _AMOUNT), v(b, r)), b),
                         f"结转结余 {_txt(carry)} ÷ {label}{h(b)} ")
                    for b in ("adjusted", "initial", "final") if present(b)]
        if claim == "yoy.change_amount":
            how = f"{label}{h('final')} − {h('prior_final')} "
            return [_Alt(lambda r: metrics.change_amount(v("final", r), v("prior_final", r)), how)]
        if claim == "yoy.change_rate":
            if present("prior_final"):
                return [_Alt(lambda r: metrics.change_rate(v("final", r), v("prior_final", r)),
                             f"{label}({h('final')} − {h('prior_final')}) ÷ {h('prior_final')} ")]
            stated = self.dept.stated_of("yoy.change_amount", s.subject)
            amounts = [a.value for a in stated if isinstance(a.value, Number)]
            return [_Alt(partial(lambda a, r: metrics.change_rate_from_amount(v("final", r), r(a, _AMOUNT)), a),
                         f"{label}增减额 {_shown(a)} ÷ (本年 {self.value_text(line, 'final')} − "
                         f"增减额 {_shown(a)}) ")
                    for a in amounts]
        return []  # budget.change_amount / budget.change_rate: no column holds the prior year's budget

    def staff_alternatives(self) -> list[_Alt]:
        """财政供养人员控制率: 在职人员数 (the 合计 line's 实有数, else the sum of top-level 人 lines) ÷ Σ 编制数."""
        people = [s for s in self.dept.staffing if s.unit in (None, "人")]
        if not people:
            return []
        total_line = next((s for s in people if s.category == "合计"), None)
        top = [s for s in people if s.parent is None and s is not total_line]
        if total_line is not None and total_line.actual is not None:
            actual: Decimal | None = total_line.actual.value
        else:
            values = [s.actual.value for s in top if s.actual is not None]
            actual = sum(values, Decimal(0)) if values else None
        authorized_values = [s.authorized.value for s in top if s.authorized is not None]
        if actual is None or not authorized_values:
            return []
        authorized = sum(authorized_values, Decimal(0))
        return [_Alt(lambda r: metrics.staff_control_rate(actual, authorized), f"在职人员 {actual} ÷ 核定编制 {authorized} ")]

    def kpi_alternatives(self, claim: str, kpi: Kpi) -> list[_Alt]:
        kind = _kpi_kind(kpi)
        actual = kpi.actual if isinstance(kpi.actual, Number) else None

        def read(r: _Reading, n: Number) -> Any:
            return r(n, kind, _is_count(kpi, n))

        if claim == "kpi.completion_rate":
            target = kpi.target if isinstance(kpi.target, Number) else None
            if actual is None or target is None or kpi.direction == "定性":
                return []
            return [_Alt(lambda r: metrics.completion_rate(read(r, actual), read(r, target), kpi.direction),
                         f"实际数 {_shown(actual)} 与目标值 {_shown(target)}（{kpi.direction}）")]
        prior = kpi.prior_actual if isinstance(kpi.prior_actual, Number) else None
        if actual is None or prior is None:
            return []
        how = f"(本年 {_shown(actual)} − 上年 {_shown(prior)}) ÷ 上年 "
        return [_Alt(lambda r: metrics.change_rate(read(r, actual), read(r, prior)), how)]
