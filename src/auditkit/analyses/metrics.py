"""Every metric of 部门整体支出绩效评价, defined once.

Each function is a plain formula. It works on exact numbers (``Decimal``, ``float``) and on
:class:`~auditkit.analyses.intervals.Interval` alike, so the analyses and the reconciliation share one definition.
A missing input (``None``) or a zero denominator gives ``None``: a clearly missing result, never 0.
Rates are returned in percent (3.02 means 3.02%). The denominator of each metric is named in its docstring.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = [
    "KPI_FORMULAS",
    "KpiFormula",
    "adjustment_rate",
    "arbitration_closure_rate",
    "carryover_rate",
    "change_amount",
    "change_rate",
    "change_rate_from_amount",
    "completion_rate",
    "contract_signing_rate",
    "control_rate",
    "execution_rate",
    "mean",
    "mediation_success_rate",
    "net_budget",
    "per_unit",
    "progress_gap",
    "reduction_rate",
    "score_rate",
    "share",
    "staff_control_rate",
    "total",
    "variance",
]

F = TypeVar("F", bound=Callable[..., Any])


def _metric(func: F) -> F:
    """None in, None out; a zero denominator is a missing result, not an error."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if any(a is None for a in (*args, *kwargs.values())):
            return None
        try:
            return func(*args, **kwargs)
        except (ZeroDivisionError, ArithmeticError):
            return None

    return wrapper  # type: ignore[return-value]


@_metric
def execution_rate(final: Any, budget: Any) -> Any:
    """预算执行率（支出率）= 决算 ÷ 预算 × 100%. Denominator: the budget given (调整预算, or 年初预算 when so labelled)."""
    return final / budget * 100


@_metric
def variance(budget: Any, final: Any) -> Any:
    """预决算差异 = 预算 − 决算 (positive when less was spent than budgeted)."""
    return budget - final


@_metric
def adjustment_rate(adjusted: Any, base: Any) -> Any:
    """预算调整率 = (调整预算 − 基数) ÷ 基数 × 100%. Denominator: the base budget (003: 剔除后预算 13,460.53)."""
    return (adjusted - base) / base * 100


@_metric
def change_amount(current: Any, prior: Any) -> Any:
    """增减额 = 本年 − 上年."""
    return current - prior


@_metric
def change_rate(current: Any, prior: Any) -> Any:
    """增减率（同比、变动率）= (本年 − 上年) ÷ 上年 × 100%. Denominator: the prior year. Also 存量资金变动率."""
    return (current - prior) / prior * 100


@_metric
def carryover_rate(carryover: Any, base: Any) -> Any:
    """结转结余率 = 结转结余总额 ÷ 基数 × 100%. Denominator: the framework's choice (预算数, or 本年支出)."""
    return carryover / base * 100


@_metric
def share(part: Any, whole: Any) -> Any:
    """占比 = 部分 ÷ 总额 × 100% (e.g. 授予中小企业合同金额 ÷ 政府采购支出总额; 在用固定资产 ÷ 全部固定资产)."""
    return part / whole * 100


@_metric
def control_rate(actual: Any, budget: Any) -> Any:
    """控制率（公用经费、三公经费）= 实际支出 ÷ 预算 × 100%. Denominator: the budget of that cost."""
    return actual / budget * 100


@_metric
def staff_control_rate(actual: Any, authorized: Any) -> Any:
    """财政供养人员控制率 = 在职人员数 ÷ 核定编制数 × 100%. Denominator: 核定编制数."""
    return actual / authorized * 100


@_metric
def per_unit(amount: Any, units: Any) -> Any:
    """人均 / 单位成本 = 金额 ÷ 人数（或面积、人次）. Denominator: the count, in the unit the report names."""
    return amount / units


@_metric
def score_rate(score: Any, maximum: Any) -> Any:
    """得分率 = 得分 ÷ 分值 × 100%."""
    return score / maximum * 100


@_metric
def arbitration_closure_rate(closed: Any, pending_prior: Any, accepted: Any) -> Any:
    """仲裁结案率 = 当期审结案件数 ÷ (上期未结案件数 + 当期立案受理案件数) × 100% (003 表8; 004: 145 ÷ (3 + 143))."""
    return closed / (pending_prior + accepted) * 100


@_metric
def mediation_success_rate(mediated: Any, arbitration_mediated: Any, mediation_closed: Any, arbitration_closed: Any) -> Any:
    """调解成功率 = (调解组织调解成功数 + 仲裁调解结案数) ÷ (调解组织结案数 + 仲裁机构结案数) × 100% (003 表8; 004: (324 + 56) ÷ (324 + 145))."""
    return (mediated + arbitration_mediated) / (mediation_closed + arbitration_closed) * 100


def completion_rate(actual: Any, target: Any, direction: str) -> Any:
    """计划完成率, by direction. Denominator: the target (≥), or the actual (≤, when missed).

    - ``≥``: 实际 ÷ 目标 × 100% (003 表5: 4.74 ÷ 3.21 = 147.66%);
    - ``≤`` (e.g. 城镇登记失业率 ≤ 3.5%): met → 100%; missed → 目标 ÷ 实际 × 100%, below 100% by the shortfall:
      doing "less" than a ceiling never earns more than 100%;
    - ``=``: met → 100%, else 实际 ÷ 目标 × 100%.
    Qualitative (定性) targets have no rate: use :func:`auditkit.analyses.kpi` for met / not met.
    """
    if actual is None or target is None:
        return None
    try:
        if direction == "≥":
            return actual / target * 100
        if direction == "≤":
            return _ceiling_rate(actual, target)
        if direction == "=":
            return actual / target * 100
    except (ZeroDivisionError, ArithmeticError):
        return None
    return None


def _ceiling_rate(actual: Any, target: Any) -> Any:
    from auditkit.analyses.intervals import Interval

    if isinstance(actual, Interval) or isinstance(target, Interval):
        a, t = Interval._lift(actual), Interval._lift(target)
        met_surely, met_possibly = a.hi <= t.lo, a.lo <= t.hi
        missed = t / a * 100
        if met_surely:
            return Interval(type(a.lo)(100), type(a.lo)(100))
        if met_possibly:
            return Interval(missed.lo, type(a.lo)(100))
        return missed
    return type(actual)(100) if actual <= target else target / actual * 100


def mean(values: Sequence[Any]) -> Any:
    """算术平均 (e.g. 000's 季度平均执行率 = mean of the four quarters' rates); None if empty or any is missing."""
    if not values or any(v is None for v in values):
        return None
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total / len(values)


@_metric
def contract_signing_rate(signed: Any, required: Any) -> Any:
    """劳动合同签订率 = 实际签订数 ÷ 应签订数 × 100% (003 表8). Denominator: 应签订数."""
    return signed / required * 100


@_metric
def reduction_rate(current: Any, prior: Any) -> Any:
    """降幅 = (上年 − 本年) ÷ 上年 × 100%, positive when the count fell. Denominator: the prior year.

    003 表8 查处工资类违法案件降幅 prints its formula as (本年 ÷ 上年 − 1) × 100%, which is negative for a fall,
    yet states the fall as +26.44% against a target of 25%: a 降幅 is the fall, so it is defined here with that sign.
    """
    return (prior - current) / prior * 100


@_metric
def progress_gap(rate: Any, benchmark: Any) -> Any:
    """执行进度差距 = 累计执行率 − 时间进度, in percentage points; negative when execution lags (000 二（三）2)."""
    return rate - benchmark


@_metric
def net_budget(initial: Any, reform_adjustment: Any, direct_adjustment: Any) -> Any:
    """剔除后预算 = 年初预算 − 涉改调整 − 财政直接调整 (003 表3: 36,158.49 − 4,994.40 − 17,703.56 = 13,460.53)."""
    return initial - reform_adjustment - direct_adjustment


@_metric
def change_rate_from_amount(current: Any, change: Any) -> Any:
    """增减率 from the printed 增减额 when the prior year is not printed = 增减额 ÷ (本年 − 增减额) × 100%.

    Denominator: the prior year the two printed figures imply (000 二（三）7.(1): 公务用车运行维护费 1.63 万元,
    增加 0.36 万元 → 0.36 ÷ 1.27 = 28.35%). Written as 100 ÷ (本年 ÷ 增减额 − 1), each input once, so an interval
    result is exactly as wide as the printed figures allow.
    """
    return 100 / (current / change - 1)


def total(parts: Sequence[Any]) -> Any:
    """合计 = Σ 各明细行 (a total line is the sum of its 明细 lines; 其中 lines are not parts); None if empty or any is missing."""
    if not parts or any(p is None for p in parts):
        return None
    result = parts[0]
    for p in parts[1:]:
        result = result + p
    return result


# --- formula KPIs ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiFormula:
    """A formula KPI (公式类指标, ``kpis.csv`` 公式): the metric computing it and its inputs in the metric's order, as
    ``kpi_inputs.csv`` names them (变量)."""

    metric: Callable[..., Any]
    variables: tuple[str, ...]


#: Every formula a KPI may name, the one registry: validation, the analyses and the reconciliation all read it
#: (003 表8; 004 三（三）3.(4)).
KPI_FORMULAS: Mapping[str, KpiFormula] = {
    "arbitration_closure_rate": KpiFormula(arbitration_closure_rate, ("当期审结案件数", "上期未结案件数", "当期立案受理案件数")),
    "mediation_success_rate": KpiFormula(
        mediation_success_rate, ("调解组织调解成功数", "仲裁调解结案数", "调解组织结案数", "仲裁机构结案数")),
    "contract_signing_rate": KpiFormula(contract_signing_rate, ("实际签订数", "应签订数")),
    "wage_case_reduction": KpiFormula(reduction_rate, ("本年查处工资类违法案件数", "上年查处工资类违法案件数")),
}
