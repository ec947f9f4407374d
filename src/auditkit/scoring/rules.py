"""Auto rules (自动计分): the inputs a rule may score, computed from a department's data, and how each rule kind scores.

Each input is a formula of :mod:`auditkit.analyses.metrics` over the department's data; where the data lacks its
inputs, the figure the report states is taken instead and the draft sentence says so ("未能用数据复核"). Each rule kind
(band, proportional, pass/fail, scaled; see :class:`~auditkit.scoring.framework.Rule`) turns the input into points
and a draft sentence in the register of 003's 评分说明.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from auditkit.analyses.metrics import execution_rate, share
from auditkit.data.model import DepartmentYear
from auditkit.data.numbers import Number, format_number, format_points, format_rate, value

if TYPE_CHECKING:
    from auditkit.scoring.framework import Indicator, Rule

__all__ = ["RULE_INPUTS", "RuleInput", "RuleInputKind", "apply_rule", "auto_score", "rule_input"]

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)


@dataclass(frozen=True)
class RuleInput:
    """What an auto rule scores: the value (None when missing), the facts behind it in words, and whether it is
    only the report's stated figure (not recomputable from the data)."""

    value: Decimal | None
    facts: str
    stated: bool = False
    shown: str = ""


@dataclass(frozen=True)
class RuleInputKind:
    """One input an auto rule may score: its Chinese name, its unit, and how it is computed for a department."""

    label: str
    unit: str
    compute: Callable[[DepartmentYear, Indicator], RuleInput]


def _shown(number: Number) -> str:
    return format_number(number, thousands=True)


def _from_stated(dept: DepartmentYear, claim: str, subjects: Iterable[str | None], label: str, why: str) -> RuleInput:
    """The report's stated figure for ``claim``, when the data cannot give the input (``why``): one value, or missing."""
    wanted = set(subjects)
    figures = [s for s in dept.stated if s.claim == claim and s.subject in wanted]
    exact = [s for s in figures if isinstance(s.value, Number) and s.value.comparator is None]
    values = sorted({s.value.value for s in exact if isinstance(s.value, Number)})
    if not exact:
        shown = "、".join(str(s.value) for s in figures)
        tail = f"报告列示的{label}（{shown}）不是确数" if figures else f"报告也未列示{label}"
        return RuleInput(None, f"{why}，{tail}")
    if len(values) > 1:
        shown = "、".join(f"{s.value}（{s.source}）" for s in exact)
        return RuleInput(None, f"{why}，报告列示的{label}有 {len(values)} 个不同的数：{shown}，无法确定取哪一个")
    figure = exact[0]
    assert isinstance(figure.value, Number)
    where = f"（{figure.source}）" if figure.source else ""
    facts = f"{why}，{label}取报告列示数 {figure.value}{where}，未能用数据复核"
    return RuleInput(figure.value.value, facts, stated=True, shown=str(figure.value))


def _goal_coverage(dept: DepartmentYear, indicator: Indicator) -> RuleInput:
    """绩效目标覆盖率 = 设置绩效目标的项目数 ÷ 项目总数 (003 二（二）2.(1): 23 ÷ 37 = 62.16%)."""
    projects = dept.projects
    rate = share(value(projects.with_goals), value(projects.count))
    if rate is not None and projects.with_goals is not None and projects.count is not None:
        facts = f"共{_shown(projects.count)}个项目，已设置绩效目标的有{_shown(projects.with_goals)}个，绩效目标覆盖率为{format_rate(rate)}"
        return RuleInput(rate, facts, shown=format_rate(rate))
    return _from_stated(dept, "projects.goal_coverage", (None,), "绩效目标覆盖率", "部门数据未列示项目总数或设置绩效目标的项目数")


def _budget_execution_rate(dept: DepartmentYear, indicator: Indicator) -> RuleInput:
    """部门预算支出率 = 决算 ÷ 调整预算, on the expenditure table's grand total (003 二（三）1.(1))."""
    total = dept.total("expenditure")
    if total is not None:
        rate = execution_rate(value(total.final), value(total.adjusted))
        if rate is not None and total.final is not None and total.adjusted is not None:
            facts = f"据决算报表，调整预算数为{_shown(total.adjusted)}万元，决算数为{_shown(total.final)}万元，预算支出率为{format_rate(rate)}"
            return RuleInput(rate, facts, shown=format_rate(rate))
    if total is None:
        why = "部门数据没有支出预决算表"
    elif total.adjusted is None or total.final is None:
        why = f"支出表合计行未列示{'调整预算数' if total.adjusted is None else '决算数'}"
    else:
        why = "支出表合计行的调整预算数为 0"
    subjects = (None, "合计", total.name if total else None)
    return _from_stated(dept, "budget.execution_rate", subjects, "预算支出率", why)


def _procurement_execution_rate(dept: DepartmentYear, indicator: Indicator) -> RuleInput:
    """政府采购执行率 = 实际采购金额 ÷ 采购计划金额 (003 二（三）1.(4): 24.89 ÷ 35)."""
    procurement = dept.procurement
    rate = execution_rate(value(procurement.actual), value(procurement.planned))
    if rate is not None and procurement.actual is not None and procurement.planned is not None:
        facts = (f"政府采购计划金额{_shown(procurement.planned)}万元，实际发生采购金额{_shown(procurement.actual)}万元，"
                 f"政府采购执行率为{format_rate(rate)}")
        return RuleInput(rate, facts, shown=format_rate(rate))
    return _from_stated(dept, "procurement.execution_rate", (None,), "政府采购执行率", "部门数据未列示政府采购计划金额或实际金额")


def _subtable_score(dept: DepartmentYear, indicator: Indicator) -> RuleInput:
    """The score of a sub-table the report scores separately (001: 部门经济成本分析自评表 7.30), as stated (``other``, 对象 = indicator id)."""
    return _from_stated(dept, "other", (indicator.id,), "分表得分", "分表的明细不在部门数据中")


#: Every input an auto rule may score, by the name a framework file gives it (``rule.input``): its Chinese name, its
#: unit, and how it is computed from the data (through :mod:`auditkit.analyses.metrics`), or taken from the figure the
#: report states when the data has no inputs. The one registry: frameworks are validated against it.
RULE_INPUTS: dict[str, RuleInputKind] = {
    "projects.goal_coverage": RuleInputKind("绩效目标覆盖率", "%", _goal_coverage),
    "budget.execution_rate": RuleInputKind("预算支出率", "%", _budget_execution_rate),
    "procurement.execution_rate": RuleInputKind("政府采购执行率", "%", _procurement_execution_rate),
    "subtable.score": RuleInputKind("分表得分", "分", _subtable_score),
}


def rule_input(dept: DepartmentYear, indicator: Indicator) -> RuleInput:
    """The input of an indicator's auto rule, computed from the department's data (or its stated figure)."""
    if indicator.rule is None or indicator.rule.input not in RULE_INPUTS:
        raise ValueError(f"指标 {indicator.id} 不是自动计分指标，或其规则的 input 无法计算")
    return RULE_INPUTS[str(indicator.rule.input)].compute(dept, indicator)


# --- rule kinds ---------------------------------------------------------------------------------------------


def auto_score(dept: DepartmentYear, indicator: Indicator) -> Decimal | None:
    """What ``indicator``'s auto rule gives ``dept`` (自动计分); None for an evaluator-scored indicator or missing inputs."""
    if indicator.rule is None or not indicator.rule.auto:
        return None
    return apply_rule(indicator.rule, indicator, rule_input(dept, indicator))[0]


def _round(value: Decimal) -> Decimal:
    return value.quantize(_CENT, ROUND_HALF_UP)


def apply_rule(rule: Rule, indicator: Indicator, given: RuleInput) -> tuple[Decimal | None, str]:
    """The auto score and its draft sentence (in the register of 003's 评分说明)."""
    value, full = given.value, indicator.max
    if value is None:
        return None, f"{indicator.name}无法自动计分：{given.facts}。"
    unit = RULE_INPUTS[rule.input or ""].unit
    if rule.kind == "band":
        for n, band in enumerate(rule.bands):
            if band.min is None or value >= band.min:
                upper = rule.bands[n - 1].min if n else None
                if band.min is None:
                    where = f"低于{format_points(upper or _ZERO)}{unit}"
                elif upper is None:
                    where = f"不低于{format_points(band.min)}{unit}"
                else:
                    where = f"在{format_points(band.min)}{unit}和{format_points(upper)}{unit}之间"
                return band.score, f"{given.facts}，{where}，该项得{format_points(band.score)}分。"
        lowest = rule.bands[-1].min or _ZERO
        return None, f"{given.facts}，低于评分标准的最低档（{format_points(lowest)}{unit}），无法计分。"
    if rule.kind == "proportional":
        counted = max(min(value, _HUNDRED), _ZERO)
        points = _round(full * counted / _HUNDRED)
        shown = given.shown if counted == value and given.shown else format_rate(counted)
        return points, f"{given.facts}，按{format_points(full)}分 × {shown}计分，得{format_points(points)}分。"
    if rule.kind == "pass_fail":
        limit = rule.at_most if rule.at_most is not None else rule.at_least
        assert limit is not None
        passed = value <= limit if rule.at_most is not None else value >= limit
        points = full if passed else _ZERO
        label = RULE_INPUTS[rule.input or ""].label
        default = f"{label}{'未超过' if rule.at_most is not None else '达到'}{format_points(limit)}{unit}"
        if not passed:
            default = f"{label}{'超过' if rule.at_most is not None else '未达到'}{format_points(limit)}{unit}"
        outcome = (rule.pass_text if passed else rule.fail_text) or default
        return points, f"{given.facts}。{outcome}，得{format_points(points)}分。"
    assert rule.kind == "scaled" and rule.out_of is not None
    points = _round(max(min(value / rule.out_of, Decimal(1)), _ZERO) * full)
    text = f"{given.facts}，按 {given.shown or format_points(value)} ÷ {format_points(rule.out_of)} × {format_points(full)} 折算，得{format_points(points)}分。"
    return points, text
