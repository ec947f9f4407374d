"""Every metric of 部门整体支出绩效评价, defined once.

Each function is a plain formula over one kind of number :data:`N`: exact decimals (``Decimal``, the analyses) or
:class:`~auditkit.analyses.intervals.Interval` (the reconciliation's printed figures), so both share one
definition. Inputs may mix the two; the result is then an interval. A missing input (``None``) or a zero denominator
gives ``None``: a clearly missing result, never 0. Rates are returned in percent (3.02 means 3.02%). The denominator
of each metric is named in its docstring.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, TypeVar, overload

from auditkit.analyses.intervals import Interval

if TYPE_CHECKING:  # the schema imports this module's KPI formulas
    from auditkit.data.schema import KpiDirection

__all__ = [
    "KPI_FORMULAS",
    "KpiFormula",
    "Metric",
    "Metric2",
    "Metric3",
    "Metric4",
    "N",
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

#: The numbers a formula is written for: each body is checked once for exact decimals and once for intervals.
N = TypeVar("N", Decimal, Interval)
#: The numbers a formula is called with: decimals, intervals, or a mix of the two (then the result is an interval).
_Num = TypeVar("_Num", bound=Decimal | Interval)


class Metric2(Protocol):
    """A metric of two inputs (e.g. 决算, 预算), any of them missing: None in, None out."""

    def __call__(self, a: _Num | None, b: _Num | None, /) -> _Num | None: ...


class Metric3(Protocol):
    """A metric of three inputs."""

    def __call__(self, a: _Num | None, b: _Num | None, c: _Num | None, /) -> _Num | None: ...


class Metric4(Protocol):
    """A metric of four inputs."""

    def __call__(self, a: _Num | None, b: _Num | None, c: _Num | None, d: _Num | None, /) -> _Num | None: ...


#: Any metric of the registry (:data:`KPI_FORMULAS`), whatever its number of inputs.
Metric = Metric2 | Metric3 | Metric4


class _ByDirection(Protocol):
    """A rate against a target, in the KPI's direction (计划完成率)."""

    def __call__(self, actual: _Num | None, target: _Num | None, direction: KpiDirection, /) -> _Num | None: ...


class _Aggregate(Protocol):
    """A figure of several parts (合计, 平均), None when there are none or any is missing."""

    def __call__(self, parts: Sequence[_Num | None], /) -> _Num | None: ...


@overload
def _metric(func: Callable[[N, N], N]) -> Metric2: ...
@overload
def _metric(func: Callable[[N, N, N], N]) -> Metric3: ...
@overload
def _metric(func: Callable[[N, N, N, N], N]) -> Metric4: ...
@overload
def _metric(func: Callable[[N, N, KpiDirection], N | None]) -> _ByDirection: ...
def _metric(func: Callable[..., N | None]) -> Callable[..., N | None]:
    """None in, None out; a zero denominator is a missing result, not an error."""

    @functools.wraps(func)
    def wrapper(*args: object) -> N | None:
        if any(a is None for a in args):
            return None
        try:
            return func(*args)
        except (ZeroDivisionError, ArithmeticError):
            return None

    return wrapper


def _aggregate(func: Callable[[Sequence[N]], N]) -> _Aggregate:
    """None when there are no parts or any part is missing."""

    @functools.wraps(func)
    def wrapper(parts: Sequence[N | None]) -> N | None:
        present = [p for p in parts if p is not None]
        return func(present) if present and len(present) == len(parts) else None

    return wrapper  # type: ignore[return-value]  # func is generic in N; mypy keeps that only through overloads


@_metric
def execution_rate(final: N, budget: N) -> N:
    """预算执行率（支出率）= 决算 ÷ 预算 × 100%. Denominator: the budget given (调整预算, or 年初预算 when so labelled)."""
    return final / budget * 100


@_metric
def variance(budget: N, final: N) -> N:
    """预决算差异 = 预算 − 决算 (positive when less was spent than budgeted)."""
    return budget - final


@_metric
def adjustment_rate(adjusted: N, base: N) -> N:
    """预算调整率 = (调整预算 − 基数) ÷ 基数 × 100%. Denominator: the base budget (003: 剔除后预算 13,460.53)."""
    return (adjusted - base) / base * 100


@_metric
def change_amount(current: N, prior: N) -> N:
    """增减额 = 本年 − 上年."""
    return current - prior


@_metric
def change_rate(current: N, prior: N) -> N:
    """增减率（同比、变动率）= (本年 − 上年) ÷ 上年 × 100%. Denominator: the prior year. Also 存量资金变动率."""
    return (current - prior) / prior * 100


@_metric
def carryover_rate(carryover: N, base: N) -> N:
    """结转结余率 = 结转结余总额 ÷ 基数 × 100%. Denominator: the framework's choice (预算数, or 本年支出)."""
    return carryover / base * 100


@_metric
def share(part: N, whole: N) -> N:
    """占比 = 部分 ÷ 总额 × 100% (e.g. 授予中小企业合同金额 ÷ 政府采购支出总额; 在用固定资产 ÷ 全部固定资产)."""
    return part / whole * 100


@_metric
def control_rate(actual: N, budget: N) -> N:
    """控制率（公用经费、三公经费）= 实际支出 ÷ 预算 × 100%. Denominator: the budget of that cost."""
    return actual / budget * 100


@_metric
def staff_control_rate(actual: N, authorized: N) -> N:
    """财政供养人员控制率 = 在职人员数 ÷ 核定编制数 × 100%. Denominator: 核定编制数."""
    return actual / authorized * 100


@_metric
def per_unit(amount: N, units: N) -> N:
    """人均 / 单位成本 = 金额 ÷ 人数（或面积、人次）. Denominator: the count, in the unit the report names."""
    return amount / units


@_metric
def score_rate(score: N, maximum: N) -> N:
    """得分率 = 得分 ÷ 分值 × 100%."""
    return score / maximum * 100


@_metric
def arbitration_closure_rate(closed: N, pending_prior: N, accepted: N) -> N:
    """仲裁结案率 = 当期审结案件数 ÷ (上期未结案件数 + 当期立案受理案件数) × 100% (003 表8; 004: 145 ÷ (3 + 143))."""
    return closed / (pending_prior + accepted) * 100


@_metric
def mediation_success_rate(mediated: N, arbitration_mediated: N, mediation_closed: N, arbitration_closed: N) -> N:
    """调解成功率 = (调解组织调解成功数 + 仲裁调解结案数) ÷ (调解组织结案数 + 仲裁机构结案数) × 100% (003 表8; 004: (324 + 56) ÷ (324 + 145))."""
    return (mediated + arbitration_mediated) / (mediation_closed + arbitration_closed) * 100


@_metric
def completion_rate(actual: N, target: N, direction: KpiDirection) -> N | None:
    """计划完成率, by direction. Denominator: the target (≥), or the actual (≤, when missed).

    - ``≥``: 实际 ÷ 目标 × 100% (003 表5: 4.74 ÷ 3.21 = 147.66%);
    - ``≤`` (e.g. 城镇登记失业率 ≤ 3.5%): met → 100%; missed → 目标 ÷ 实际 × 100%, below 100% by the shortfall:
      doing "less" than a ceiling never earns more than 100%;
    - ``=``: met → 100%, else 实际 ÷ 目标 × 100%.
    Qualitative (定性) targets have no rate (None): use :func:`auditkit.analyses.kpi` for met / not met.
    """
    if direction in ("≥", "="):
        return actual / target * 100
    if direction == "≤":
        return _ceiling_rate(actual, target)
    return None


def _ceiling_rate(actual: N, target: N) -> N:
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


@_aggregate
def mean(values: Sequence[N]) -> N:
    """算术平均 (e.g. 000's 季度平均执行率 = mean of the four quarters' rates); None if empty or any is missing."""
    return sum(values[1:], values[0]) / len(values)


@_metric
def contract_signing_rate(signed: N, required: N) -> N:
    """劳动合同签订率 = 实际签订数 ÷ 应签订数 × 100% (003 表8). Denominator: 应签订数."""
    return signed / required * 100


@_metric
def reduction_rate(current: N, prior: N) -> N:
    """降幅 = (上年 − 本年) ÷ 上年 × 100%, positive when the count fell. Denominator: the prior year.

    003 表8 查处工资类违法案件降幅 prints its formula as (本年 ÷ 上年 − 1) × 100%, which is negative for a fall,
    yet states the fall as +26.44% against a target of 25%: a 降幅 is the fall, so it is defined here with that sign.
    """
    return (prior - current) / prior * 100


@_metric
def progress_gap(rate: N, benchmark: N) -> N:
    """执行进度差距 = 累计执行率 − 时间进度, in percentage points; negative when execution lags (000 二（三）2)."""
    return rate - benchmark


@_metric
def net_budget(initial: N, reform_adjustment: N, direct_adjustment: N) -> N:
    """剔除后预算 = 年初预算 − 涉改调整 − 财政直接调整 (003 表3: 36,158.49 − 4,994.40 − 17,703.56 = 13,460.53)."""
    return initial - reform_adjustment - direct_adjustment


@_metric
def change_rate_from_amount(current: N, change: N) -> N:
    """增减率 from the printed 增减额 when the prior year is not printed = 增减额 ÷ (本年 − 增减额) × 100%.

    Denominator: the prior year the two printed figures imply (000 二（三）7.(1): 公务用车运行维护费 1.63 万元,
    增加 0.36 万元 → 0.36 ÷ 1.27 = 28.35%). Written as 100 ÷ (本年 ÷ 增减额 − 1), each input once, so an interval
    result is exactly as wide as the printed figures allow.
    """
    return 100 / (current / change - 1)


@_aggregate
def total(parts: Sequence[N]) -> N:
    """合计 = Σ 各明细行 (a total line is the sum of its 明细 lines; 其中 lines are not parts); None if empty or any is missing."""
    return sum(parts[1:], parts[0])


# --- formula KPIs ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiFormula:
    """A formula KPI (公式类指标, ``kpis.csv`` 公式): the metric computing it and its inputs in the metric's order, as
    ``kpi_inputs.csv`` names them (变量)."""

    metric: Metric
    variables: tuple[str, ...]
    #: The formula in words, as a completion table prints it (003 表8 指标解释/计算公式).
    text: str = ""

    def __call__(self, inputs: Mapping[str, Decimal]) -> Decimal | None:
        """The KPI from its inputs by variable name; None when any is missing."""
        return self.metric(*[inputs.get(v) for v in self.variables])


#: Every formula a KPI may name, the one registry: validation, the analyses and the reconciliation all read it
#: (003 表8; 004 三（三）3.(4)).
KPI_FORMULAS: Mapping[str, KpiFormula] = {
    "arbitration_closure_rate": KpiFormula(
        arbitration_closure_rate, ("当期审结案件数", "上期未结案件数", "当期立案受理案件数"),
        "结案率=当期审结案件数/（上期未结案件数+当期立案受理案件数）×100%"),
    "mediation_success_rate": KpiFormula(
        mediation_success_rate, ("调解组织调解成功数", "仲裁调解结案数", "调解组织结案数", "仲裁机构结案数"),
        "调解成功率=（调解组织调解成功数+仲裁调解结案数）/（调解组织结案数+仲裁机构结案数）×100%"),
    "contract_signing_rate": KpiFormula(
        contract_signing_rate, ("实际签订数", "应签订数"), "签订率=实际签订数/应签订数×100%"),
    "wage_case_reduction": KpiFormula(
        reduction_rate, ("本年查处工资类违法案件数", "上年查处工资类违法案件数"),
        "降幅=（上年查处工资类违法案件数−本年查处工资类违法案件数）/上年查处工资类违法案件数×100%"),
}
