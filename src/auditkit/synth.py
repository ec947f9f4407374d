"""Synthetic department-years: valid, internally consistent test data generated from a seed.

Every figure starts as an exact ("true") value: amounts to the 元 (four decimals of 万元), counts and points as whole
or half numbers. Each is then printed the way a report prints it: amounts to two decimals of 万元, rates in percent
to two decimals, counts and points exactly, all rounded half-up. Totals and derived figures (rates, differences,
changes, completion rates, subtotals) are computed from the true values and rounded on their own, as a finance
system does, so printed figures disagree only by rounding. The department has a budget chain (年初预算 →
涉改调整 / 财政直接调整 → 剔除后预算 → 调整预算 → 决算), 功能分类 lines, costs, quarterly execution, KPIs (formula
KPIs with their inputs), staffing, units, a 评分表 following a shipped framework, and a stated figure for every
claim :mod:`auditkit.reconcile` can recompute.
"""

from __future__ import annotations

import dataclasses
import random
from decimal import ROUND_HALF_UP, Decimal

from auditkit.analyses import metrics
from auditkit.data.model import (
    Assets,
    BudgetLine,
    Department,
    DepartmentYear,
    Evaluation,
    Funds,
    Kpi,
    KpiInput,
    OrgUnit,
    Procurement,
    Projects,
    Quarter,
    Score,
    Staffing,
    StatedFigure,
    TextItem,
)
from auditkit.data.numbers import Number, value
from auditkit.data.schema import KpiDirection, RowKind
from auditkit.scoring.framework import Framework, load_framework
from auditkit.scoring.rules import auto_score

__all__ = ["add_findings", "synth_department"]

_SOURCE = "合成数据"
_COLUMNS = ("initial", "adjusted", "final", "prior_final")
_INTERNAL_UNITS = ("办公室", "综合规划科", "就业促进科", "职业能力建设科", "专业技术人员管理科", "事业单位人事管理科",
                   "劳动关系科", "工资福利科", "养老失业保险科", "工伤保险科", "财务与基金监督科", "执法监督科")
_FUNCTIONAL = (("201", "一般公共服务支出"), ("208", "社会保障和就业支出"), ("210", "卫生健康支出"), ("221", "住房保障支出"))


def _q(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _amount(value: Decimal) -> Number:
    """An amount in 万元 as printed: two decimals, half-up."""
    return Number(_q(value, 2), 2)


def _pct(value: Decimal) -> Number:
    """A rate as printed: percent to two decimals, half-up."""
    return Number(_q(value, 2), 2, percent=True)


def _sure(value: Decimal | None) -> Decimal:
    """A metric of exact inputs and a nonzero denominator: never missing."""
    assert value is not None
    return value


def _exact(value: Decimal | int) -> Number:
    """A count or a score, printed exactly (``4``, ``4.5``)."""
    d = Decimal(value).normalize()
    exponent = d.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return Number(_q(Decimal(value), decimals), decimals)


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def wan(self, low: float, high: float) -> Decimal:
        """A true amount in 万元, to the 元."""
        return Decimal(self.rng.randint(int(low * 10000), int(high * 10000))) / 10000

    def frac(self, low: float, high: float) -> Decimal:
        return Decimal(self.rng.randint(int(low * 10000), int(high * 10000))) / 10000

    def scaled(self, base: Decimal, low: float, high: float) -> Decimal:
        return _q(base * self.frac(low, high), 4)

    def cost(self, low: float, high: float, zero: bool = False) -> dict[str, Decimal]:
        """A cost line's columns (年初预算 → 调整预算 → 决算, 上年决算): spent within its budget, or all zero."""
        if zero:
            return {c: Decimal(0) for c in _COLUMNS}
        initial = self.wan(low, high)
        adjusted = self.scaled(initial, 0.85, 1.1)
        final = self.scaled(adjusted, 0.6, 1)
        return {"initial": initial, "adjusted": adjusted, "final": final, "prior_final": self.scaled(final, 0.7, 1.4)}


#: True values by line: each budget line's columns, by name (功能分类 lines by 科目编码).
_Lines = dict[str, dict[str, Decimal]]


def _rate(value: Decimal | None) -> Number:
    """A rate of exact inputs, as printed."""
    return _pct(_sure(value))


def _state(claim: str, value: Number | str, subject: str | None = None, unit: str | None = None) -> StatedFigure:
    return StatedFigure(claim, value, subject, unit, None, f"{_SOURCE} 正文")


def _line(
    name: str, values: dict[str, Decimal], parent: str | None = None, kind: RowKind = "明细", table: str = "表3",
    code: str | None = None,
) -> BudgetLine:
    printed = {c: _amount(v) for c, v in values.items()}
    return BudgetLine(name, parent, kind, code, source=f"{_SOURCE} {table}", **printed)


def _expenditure(g: _Gen) -> tuple[tuple[BudgetLine, ...], _Lines]:
    """支出: the budget chain (年初预算 → 涉改调整 / 财政直接调整 → 剔除后预算 → 调整预算 → 决算) of 人员经费,
    日常公用经费 and 项目支出, with 基本支出, 其中 基本建设类项目 and 合计; the lines and their true values."""
    leaves: _Lines = {}
    for name, low, high, direct in (
        ("人员经费", 800, 3000, False), ("日常公用经费", 100, 500, False), ("项目支出", 2000, 30000, True),
    ):
        initial = g.wan(low, high)
        reform = g.scaled(initial, 0, 0.15)
        cut = g.scaled(initial, 0, 0.3) if direct else Decimal(0)
        net = initial - reform - cut
        adjusted = g.scaled(net, 0.95, 1.25)
        final = g.scaled(adjusted, 0.85, 1)
        leaves[name] = {"initial": initial, "reform_adjustment": reform, "direct_adjustment": cut, "net_initial": net,
                        "adjusted": adjusted, "final": final, "prior_final": g.scaled(final, 0.8, 1.2)}
    chain = ("initial", "reform_adjustment", "direct_adjustment", "net_initial", "adjusted", "final", "prior_final")
    basic = {c: leaves["人员经费"][c] + leaves["日常公用经费"][c] for c in chain}
    capital = {c: g.scaled(leaves["项目支出"][c], 0, 0.1) for c in chain}
    capital["net_initial"] = capital["initial"] - capital["reform_adjustment"] - capital["direct_adjustment"]
    total = {c: basic[c] + leaves["项目支出"][c] for c in chain}
    lines = (
        _line("基本支出", basic),
        _line("人员经费", leaves["人员经费"], "基本支出"),
        _line("日常公用经费", leaves["日常公用经费"], "基本支出"),
        _line("项目支出", leaves["项目支出"]),
        _line("基本建设类项目", capital, "项目支出", "其中"),
        _line("合计", total, kind="合计"),
    )
    return lines, {**leaves, "基本支出": basic, "基本建设类项目": capital, "合计": total}


def _income(g: _Gen, total: dict[str, Decimal]) -> tuple[tuple[BudgetLine, ...], _Lines]:
    """收入: what funds the expenditure (财政拨款 and 其他收入), with 收入合计; the lines and their true values."""
    grant = {c: g.scaled(total[c], 0.9, 1) for c in _COLUMNS}
    other_income = {c: g.scaled(total[c], 0, 0.05) for c in _COLUMNS}
    income_total = {c: grant[c] + other_income[c] for c in _COLUMNS}
    lines = (
        _line("一般公共预算财政拨款收入", grant, table="表2"),
        _line("其他收入", other_income, table="表2"),
        _line("收入合计", income_total, kind="合计", table="表2"),
    )
    return lines, {"一般公共预算财政拨款收入": grant, "其他收入": other_income, "收入合计": income_total}


def _functional(g: _Gen, total: dict[str, Decimal]) -> tuple[tuple[BudgetLine, ...], _Lines]:
    """功能分类: the expenditure total split by 科目 (208 takes the rest); the lines and their true values by code."""
    weights = [g.frac(0.02, 0.08), Decimal(0), g.frac(0.02, 0.08), g.frac(0.03, 0.1)]
    split: _Lines = {code: {} for code, _ in _FUNCTIONAL}
    for c in _COLUMNS:
        rest = total[c]
        for (code, _), w in zip(_FUNCTIONAL, weights, strict=True):
            if code != "208":
                split[code][c] = _q(total[c] * w, 4)
                rest -= split[code][c]
        split["208"][c] = rest
    lines = (
        *(_line(name, split[code], table="功能分类表", code=code) for code, name in _FUNCTIONAL),
        _line("合计", {c: total[c] for c in _COLUMNS}, kind="合计", table="功能分类表"),
    )
    return lines, split


def _costs(g: _Gen) -> tuple[tuple[BudgetLine, ...], _Lines]:
    """成本费用: 公用经费, 三公经费 by item, 会议费, 培训费; the lines and their true values."""
    abroad = g.cost(0.5, 3, zero=g.rng.random() < 0.5)
    car_buy, car_run, reception = g.cost(5, 30), g.cost(1, 8), g.cost(0.5, 5)
    car = {c: car_buy[c] + car_run[c] for c in _COLUMNS}
    three = {c: abroad[c] + car[c] + reception[c] for c in _COLUMNS}
    public = g.cost(100, 400)
    meeting, training = g.cost(1, 10), g.cost(2, 20)
    values = {"公用经费": public, "三公经费": three, "因公出国（境）费": abroad, "公务用车购置及运行维护费": car,
              "公务用车购置费": car_buy, "公务用车运行维护费": car_run, "公务接待费": reception, "会议费": meeting,
              "培训费": training}
    parents = {"因公出国（境）费": "三公经费", "公务用车购置及运行维护费": "三公经费", "公务用车购置费": "公务用车购置及运行维护费",
               "公务用车运行维护费": "公务用车购置及运行维护费", "公务接待费": "三公经费"}
    lines = tuple(_line(name, v, parents.get(name), table="经费表") for name, v in values.items())
    return lines, values


def _funds(g: _Gen, carryover: Decimal) -> tuple[Funds, list[StatedFigure]]:
    """专项资金、存量资金、结转结余, and what the report states of them."""
    stock_prior = g.wan(500, 5000)
    stock_current = g.scaled(stock_prior, 0.3, 1.3)
    allocated = g.wan(500, 3000)
    spent = g.scaled(allocated, 0.8, 1)
    funds = Funds(_amount(allocated), _amount(spent), _amount(stock_current), _amount(stock_prior), _amount(carryover),
                  _amount(g.wan(100, 500)), _SOURCE)
    return funds, [
        _state("funds.stock_change_rate", _rate(metrics.change_rate(stock_current, stock_prior)), None, "%"),
        _state("funds.special_spend_rate", _rate(metrics.execution_rate(spent, allocated)), None, "%"),
    ]


def _procurement(g: _Gen) -> tuple[Procurement, list[StatedFigure]]:
    """政府采购, and what the report states of it."""
    planned = g.wan(20, 500)
    bought = g.scaled(planned, 0.6, 1)
    sme = g.scaled(bought, 0.2, 1)
    small = g.scaled(sme, 0.3, 1)
    return Procurement(_amount(planned), _amount(bought), _amount(sme), _amount(small), _SOURCE), [
        _state("procurement.sme_share", _rate(metrics.share(sme, bought)), None, "%"),
        _state("procurement.small_micro_share", _rate(metrics.share(small, bought)), None, "%"),
        _state("procurement.execution_rate", _rate(metrics.execution_rate(bought, planned)), None, "%"),
    ]


def _assets(g: _Gen) -> tuple[Assets, list[StatedFigure]]:
    """资产, and the 固定资产利用率 the report states."""
    fixed = g.wan(1000, 20000)
    in_use = g.scaled(fixed, 0.85, 1)
    assets = Assets(_amount(fixed), _amount(in_use), _amount(g.wan(5000, 40000)), _exact(g.rng.randint(0, 15)), _SOURCE)
    return assets, [_state("assets.utilization_rate", _rate(metrics.share(in_use, fixed)), None, "%")]


def _projects(g: _Gen) -> tuple[Projects, list[StatedFigure]]:
    """项目: counts, and the coverage rates the report states."""
    rng = g.rng
    n_projects = rng.randint(10, 60)
    with_goals, evaluated = rng.randint(n_projects // 2, n_projects), rng.randint(n_projects // 3, n_projects)
    return Projects(_exact(n_projects), _exact(with_goals), _exact(evaluated), _SOURCE), [
        _state("projects.goal_coverage", _rate(metrics.share(Decimal(with_goals), Decimal(n_projects))), None, "%"),
        _state("projects.self_evaluation_rate", _rate(metrics.share(Decimal(evaluated), Decimal(n_projects))), None, "%"),
    ]


def _quarterly(g: _Gen, total: dict[str, Decimal]) -> tuple[tuple[Quarter, ...], list[StatedFigure]]:
    """季度执行: cumulative rates rising to the year's rate, and the quarterly average the report states."""
    year_rate = _sure(metrics.execution_rate(total["final"], total["adjusted"]))
    cumulative = [*sorted(g.frac(0.1, 0.95) * year_rate for _ in range(3)), year_rate]
    quarterly = tuple(Quarter(i + 1, _pct(r), Number(Decimal(25 * (i + 1)), 0, True), f"{_SOURCE} 季度表")
                      for i, r in enumerate(cumulative))
    return quarterly, [_state("budget.quarterly_average", _rate(metrics.mean(cumulative)), None, "%")]


def _kpis(g: _Gen) -> tuple[tuple[Kpi, ...], tuple[KpiInput, ...], list[StatedFigure]]:
    """绩效指标 (formula KPIs with their inputs), and the completion rates and 同比 the report states."""
    rng = g.rng
    kpis: list[Kpi] = []
    truth: dict[str, tuple[Decimal, Decimal | None]] = {}  # name → (true actual, true prior)

    def kpi(group: str, name: str, unit: str, direction: KpiDirection, target: Number, actual_true: Decimal, actual: Number,
            prior_true: Decimal | None = None, prior: Number | None = None, formula: str | None = None) -> None:
        kpis.append(Kpi(group, name, direction, unit, target, actual, prior, formula, f"K{len(kpis) + 1}",
                        f"{_SOURCE} 指标表"))
        truth[name] = (actual_true, prior_true)

    for group, name, unit, low, step in (("就业", "城镇新增就业人数", "人", 2000, 100), ("就业", "城镇失业人员再就业人数", "人", 1000, 50),
                                         ("就业", "就业困难人员实现就业人数", "人", 200, 10), ("社保", "工伤保险参保人数", "人", 20000, 100),
                                         ("人才", "补贴性职业技能培训人次", "人次", 500, 50)):
        target = rng.randint(low // step, 3 * low // step) * step
        actual = int(target * g.frac(0.9, 1.3))
        prior = int(actual * g.frac(0.8, 1.2)) if rng.random() < 0.7 else None
        kpi(group, name, unit, "≥", _exact(target), Decimal(actual), _exact(actual),
            Decimal(prior) if prior is not None else None, _exact(prior) if prior is not None else None)
    insured = g.wan(80, 120)
    insured_prior = g.scaled(insured, 0.9, 1.05)
    kpi("社保", "城乡居民基本养老保险参保人数", "万人", "≥", Number(_q(insured * g.frac(0.9, 1.05), 2), 2), insured, _amount(insured),
        insured_prior, _amount(insured_prior))
    jobless = g.frac(1.5, 4.5)
    kpi("就业", "城镇登记失业率", "%", "≤", Number(Decimal("3.5"), 1, True), jobless, _pct(jobless))
    bases = rng.randint(1, 4)
    built = bases if rng.random() < 0.7 else bases - 1
    kpi("人才", "认定省级培训基地数量", "家", "=", _exact(bases), Decimal(built), _exact(built))
    kpis.append(Kpi("人才", "举办企业人才活动周活动", "定性", None, "举办", "举办", None, None, f"K{len(kpis) + 1}", f"{_SOURCE} 指标表"))
    (arbitration, mediation), inputs = _formula_kpis(g)
    kpi("劳动关系", "劳动人事争议仲裁结案率", "%", "≥", Number(Decimal(90), 0, True), arbitration, _pct(arbitration),
        formula="arbitration_closure_rate")
    kpi("劳动关系", "劳动人事争议调解成功率", "%", "≥", Number(Decimal(60), 0, True), mediation, _pct(mediation),
        formula="mediation_success_rate")
    return tuple(kpis), inputs, _kpi_claims(kpis, truth)


def _formula_kpis(g: _Gen) -> tuple[tuple[Decimal, Decimal], tuple[KpiInput, ...]]:
    """The true rates of the two formula KPIs of 劳动关系 (仲裁结案率, 调解成功率) and their inputs (公式数据)."""
    rng = g.rng
    pending, accepted = rng.randint(0, 20), rng.randint(100, 500)
    closed = rng.randint(int((pending + accepted) * 0.85), pending + accepted)
    arbitration = _sure(metrics.arbitration_closure_rate(Decimal(closed), Decimal(pending), Decimal(accepted)))
    mediation_closed = rng.randint(100, 600)
    mediated, arbitration_mediated = rng.randint(mediation_closed // 2, mediation_closed), rng.randint(0, closed)
    mediation = _sure(metrics.mediation_success_rate(
        Decimal(mediated), Decimal(arbitration_mediated), Decimal(mediation_closed), Decimal(closed)
    ))
    inputs = tuple(KpiInput(kpi_name, variable, _exact(value), f"{_SOURCE} 公式数据") for kpi_name, variable, value in (
        ("劳动人事争议仲裁结案率", "当期审结案件数", closed), ("劳动人事争议仲裁结案率", "上期未结案件数", pending),
        ("劳动人事争议仲裁结案率", "当期立案受理案件数", accepted), ("劳动人事争议调解成功率", "调解组织调解成功数", mediated),
        ("劳动人事争议调解成功率", "仲裁调解结案数", arbitration_mediated), ("劳动人事争议调解成功率", "调解组织结案数", mediation_closed),
        ("劳动人事争议调解成功率", "仲裁机构结案数", closed),
    ))
    return (arbitration, mediation), inputs


def _kpi_claims(kpis: list[Kpi], truth: dict[str, tuple[Decimal, Decimal | None]]) -> list[StatedFigure]:
    """Each quantitative KPI's 计划完成率 and 同比, and 「各项指标完成率均≥N%」."""
    claims: list[StatedFigure] = []
    completions: list[Decimal] = []
    for k in kpis:
        if k.direction == "定性" or not isinstance(k.target, Number):
            continue
        actual_true, prior_true = truth[k.name]
        completion = _sure(metrics.completion_rate(actual_true, k.target.value, k.direction))
        completions.append(completion)
        claims.append(_state("kpi.completion_rate", _rate(completion), k.name, "%"))
        if prior_true is not None:
            claims.append(_state("kpi.yoy_change", _rate(metrics.change_rate(actual_true, prior_true)), k.name, "%"))
    if completions:  # 「各项指标完成率均≥N%」, N a whole percent below the lowest, clear of rounding
        floor = Decimal(int(min(completions)) - 1)
        claims.append(_state("kpi.overall_completion", Number(floor, 0, percent=True, comparator="≥", raw=f"≥{floor}%"), None, "%"))
    return claims


def _staffing(g: _Gen) -> tuple[tuple[Staffing, ...], list[StatedFigure]]:
    """人员编制 (and 公务用车), and the 财政供养人员控制率 the report states."""
    rng = g.rng
    rows: list[Staffing] = []
    posts = people = 0
    for category, low, high in (("行政编制", 20, 80), ("事业编制", 10, 80), ("工勤人员", 2, 10)):
        authorized = rng.randint(low, high)
        actual_staff = rng.randint(authorized * 3 // 4, authorized)
        posts, people = posts + authorized, people + actual_staff
        rows.append(Staffing(category, None, "人", _exact(authorized), _exact(actual_staff), f"{_SOURCE} 编制表"))
    if rng.random() < 0.5:
        rows.append(Staffing("合计", None, "人", _exact(posts), _exact(people), f"{_SOURCE} 编制表"))
    cars = rng.randint(1, 5)
    rows.append(Staffing("公务用车", None, "台", _exact(cars), _exact(rng.randint(0, cars)), f"{_SOURCE} 编制表"))
    return tuple(rows), [_state("staff.control_rate", _rate(metrics.staff_control_rate(Decimal(people), Decimal(posts))), None, "%")]


def _units(g: _Gen) -> tuple[tuple[OrgUnit, ...], list[StatedFigure]]:
    """机构: 内设机构 and 下属单位, and the counts the report states."""
    rng = g.rng
    n_internal, n_subordinate = rng.randint(5, len(_INTERNAL_UNITS)), rng.randint(0, 5)
    units = tuple(OrgUnit("内设机构", n, None, f"{_SOURCE} 机构") for n in _INTERNAL_UNITS[:n_internal]) + tuple(
        OrgUnit("下属单位", f"下属事业单位{i + 1}", rng.random() < 0.5, f"{_SOURCE} 机构") for i in range(n_subordinate)
    )
    return units, [
        _state("profile.internal_unit_count", _exact(n_internal), None, "个"),
        _state("profile.subordinate_unit_count", _exact(n_subordinate), None, "个"),
    ]


def _budget_claims(lines: _Lines, split: _Lines, carryover: Decimal) -> list[StatedFigure]:
    """预算执行率 of the total and each expenditure type, 执行率 and 预决算差异 per 科目, 预算调整率, 结转结余率."""
    claims = [_state("budget.execution_rate", _rate(metrics.execution_rate(lines[name]["final"], lines[name]["adjusted"])), name, "%")
              for name in ("合计", "基本支出", "项目支出")]
    for code, _ in _FUNCTIONAL:
        v = split[code]
        claims.append(_state("budget.execution_rate_initial", _rate(metrics.execution_rate(v["final"], v["initial"])), code, "%"))
        claims.append(_state("budget.variance", _amount(_sure(metrics.variance(v["adjusted"], v["final"]))), code, "万元"))
    total = lines["合计"]
    claims.append(_state("budget.adjustment_rate", _rate(metrics.adjustment_rate(total["adjusted"], total["net_initial"])), "合计", "%"))
    claims.append(_state("budget.carryover_rate", _rate(metrics.carryover_rate(carryover, total["adjusted"])), "合计", "%"))
    return claims


def _yoy_claims(lines: _Lines) -> list[StatedFigure]:
    """较上年增减额 and 增减率 of the expenditure and income totals, 公用经费, 会议费 and 培训费."""
    claims: list[StatedFigure] = []
    for name in ("合计", "收入合计", "公用经费", "会议费", "培训费"):
        values = lines[name]
        claims.append(_state("yoy.change_amount", _amount(_sure(metrics.change_amount(values["final"], values["prior_final"]))), name, "万元"))
        claims.append(_state("yoy.change_rate", _rate(metrics.change_rate(values["final"], values["prior_final"])), name, "%"))
    return claims


def _scores(
    rng: random.Random, fw: Framework, unscored: DepartmentYear
) -> tuple[tuple[Score, ...], list[StatedFigure]]:
    """评分表 following the framework's tree: auto-ruled leaves as the rule scores them, the others by the evaluator
    (a random deduction, with a reason); and the scores, rates, total and grade the report states."""
    points: dict[str, Decimal] = {}
    for indicator in reversed(fw.indicators):  # children before parents
        if indicator.is_leaf:
            lost = Decimal(rng.choice([0, 0, 0, 0, 1, 1, 2, 3])) / 2
            by_rule = auto_score(unscored, indicator)
            points[indicator.id] = by_rule if by_rule is not None else max(indicator.max - lost, Decimal(0))
        else:
            points[indicator.id] = sum((points[c] for c in indicator.children), Decimal(0))
    return _scored(fw, points, {})


def _scored(
    fw: Framework, points: dict[str, Decimal], reasons: dict[str, str]
) -> tuple[tuple[Score, ...], list[StatedFigure]]:
    """The 评分表 rows of ``points`` (a leaf below full marks gives its reason, from ``reasons`` or a placeholder) and
    the scores, rates, total and grade the report states."""
    scores = tuple(
        Score(i.id, i.level, i.name, _exact(i.max), i.parent, _exact(points[i.id]),
              _pct(_sure(metrics.score_rate(points[i.id], i.max))) if not i.is_leaf else None,
              reasons.get(i.id, "扣分理由（合成数据）") if i.is_leaf and points[i.id] < i.max else None, f"{_SOURCE} 评分表")
        for i in fw.indicators
    )
    claims: list[StatedFigure] = []
    for s in scores:
        if s.level <= 2 and s.score is not None and s.rate is not None:
            claims.append(_state("score.indicator", s.score, s.id, "分"))
            if s.level == 1:
                claims.append(_state("score.rate", s.rate, s.id, "%"))
    total_points = sum((points[i.id] for i in fw.roots), Decimal(0))
    claims += [_state("score.total", _exact(total_points), None, "分"), _state("score.grade", fw.grade(total_points))]
    return scores, claims


def synth_department(seed: int, *, fiscal_year: int = 2024, framework: str = "gd-municipal-2019",
                     with_findings: bool = False) -> DepartmentYear:
    """A valid department-year whose stated figures are all correctly rounded: reconciling it finds no error.

    ``seed`` fixes every figure (the department id is ``synth-<seed>``); ``framework`` is the shipped indicator
    framework whose tree the 评分表 follows and whose thresholds give the grade. The parts are drawn from one random
    stream in a fixed order, so that order is part of what a seed means.

    ``with_findings`` makes it a department a results summary has something to say about (:func:`add_findings`):
    heavier deductions at a few indicators with their reasons and 存在问题, for some a misprinted figure (an open
    reconciliation error, so the report is a draft), a 自评 instead of a 第三方评价, or a total the data cannot verify.
    """
    g = _Gen(seed)
    expenditure, lines = _expenditure(g)
    total = lines["合计"]
    income, income_lines = _income(g, total)
    functional, split = _functional(g, total)
    costs, cost_lines = _costs(g)
    lines |= income_lines | cost_lines
    carryover = total["adjusted"] - total["final"]
    funds, funds_claims = _funds(g, carryover)
    procurement, procurement_claims = _procurement(g)
    assets, assets_claims = _assets(g)
    projects, projects_claims = _projects(g)
    quarterly, quarterly_claims = _quarterly(g, total)
    kpis, kpi_inputs, kpi_claims = _kpis(g)
    staffing, staffing_claims = _staffing(g)
    units, unit_claims = _units(g)
    cost_claims = [_state("cost.control_rate", _rate(metrics.control_rate(lines[name]["final"], lines[name]["adjusted"])), name, "%")
                   for name in ("公用经费", "三公经费")]
    restated = [  # figures of the tables the text prints again
        _state("expenditure.决算", _amount(total["final"]), "合计", "万元"),
        _state("expenditure.调整预算", _amount(total["adjusted"]), "合计", "万元"),
        _state("functional.决算", _amount(split["208"]["final"]), "208", "万元"),
        _state("kpis.实际值", kpis[0].actual if isinstance(kpis[0].actual, Number) else _exact(0), kpis[0].name, kpis[0].unit),
    ]
    stated = (*_budget_claims(lines, split, carryover), *quarterly_claims, *_yoy_claims(lines), *funds_claims,
              *procurement_claims, *cost_claims, *kpi_claims, *staffing_claims, *assets_claims, *projects_claims,
              *unit_claims, *restated)
    fw = load_framework(framework)
    unscored = DepartmentYear(
        department=Department(f"synth-{abs(seed)}", f"合成示例市人力资源和社会保障局（{abs(seed)}）", "市", "广东省合成示例市",
                              fiscal_year, _exact(1 + len([u for u in units if u.kind == "下属单位"])), _SOURCE),
        evaluation=Evaluation("第三方评价", "合成评价机构", fw.id, f"合成示例 {fiscal_year} 年度部门整体支出绩效评价报告",
                              seed=f"synth seed {seed}", source=_SOURCE),
        funds=funds, procurement=procurement, assets=assets, projects=projects, income=income, expenditure=expenditure,
        functional=functional, costs=costs, quarterly=quarterly, kpis=kpis, kpi_inputs=kpi_inputs, staffing=staffing,
        units=units, stated=stated,
    )
    scores, score_claims = _scores(g.rng, fw, unscored)
    dept = dataclasses.replace(unscored, scores=scores, stated=(*stated, *score_claims))
    return add_findings(dept, fw, seed) if with_findings else dept


# --- departments with something to say --------------------------------------------------------------------------

#: What a synthetic evaluator finds wrong at an indicator: the reason for the deduction and the problem as 存在问题.
_PROBLEMS = (
    "相关管理制度未形成书面办法，执行缺少依据",
    "未提供制度执行情况的佐证资料",
    "资金分配与项目进度衔接不足，支出集中在下半年",
    "绩效目标未细化量化，难以考核",
    "部分事项未按规定公开或公开不及时",
    "项目监督检查频次不足，问题整改未闭环",
)
#: Problems a report lists that point to no indicator by name.
_OTHER_PROBLEMS = ("未在基层开展服务对象满意度调查。", "信息化系统建设滞后，数据统计口径不一。")


def _weak_leaves(rng: random.Random, fw: Framework, count: int) -> list[str]:
    """``count`` evaluator-scored leaves to deduct at, drawn mostly from the first few so departments share them."""
    pool = [i.id for i in fw.leaves if i.rule is not None and not i.rule.auto and not i.adjustment and i.max >= 2]
    picked: list[str] = []
    while pool and len(picked) < count:
        weights = [max(1, 10 - n) ** 2 for n in range(len(pool))]
        choice = rng.choices(pool, weights=weights)[0]
        pool.remove(choice)
        picked.append(choice)
    return picked


def _misprint(stated: tuple[StatedFigure, ...], claim: str, subject: str, by: Decimal) -> tuple[StatedFigure, ...]:
    """The stated figures with one misprinted by ``by`` (a rate's percentage points): an error the check finds."""
    out = []
    for s in stated:
        if s.claim == claim and s.subject == subject and isinstance(s.value, Number):
            s = dataclasses.replace(s, value=dataclasses.replace(s.value, value=s.value.value + by, raw=""))
        out.append(s)
    return tuple(out)


def add_findings(dept: DepartmentYear, fw: Framework, seed: int) -> DepartmentYear:
    """``dept`` (clean, from :func:`synth_department`) with the troubles of a real year, drawn from ``seed``.

    - two in five did well: full marks wherever the evaluator scores, but at their weak points;
    - a few evaluator-scored leaves lose 30–90% of their 分值 (from none to seven, so totals spread across the
      grades), each with a reason naming the problem, and the report's 存在问题 names the indicator;
    - one in three has 预算执行率 misprinted in the text by 1.50 percentage points: an open error, so a draft;
    - one in four is a 自评 (self-evaluation) rather than a 第三方评价;
    - one in fifteen gives only its 一级 scores and total: the total is the report's, not verifiable.
    The draws come from a stream of their own (by seed and year), so the clean department of the same seed is
    unchanged, and the same department in another year has other troubles.
    """
    rng = random.Random(f"findings-{seed}-{dept.fiscal_year}")  # another year, other troubles: a 同比 to show
    weak = _weak_leaves(rng, fw, rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 7]))
    given = {s.id: s for s in dept.scores}
    points: dict[str, Decimal] = {i.id: value(given[i.id].score) or Decimal(0) for i in fw.indicators if i.is_leaf}
    reasons = {s.id: s.reason for s in dept.scores if s.reason}
    if rng.random() < 0.4:  # a department that did well: full marks wherever the evaluator scores, but at its weak points
        for scored in fw.leaves:
            if scored.rule is not None and not scored.rule.auto and not scored.adjustment:
                points[scored.id] = scored.max
                reasons.pop(scored.id, None)
    problems: list[TextItem] = []
    for leaf_id in weak:
        weak_leaf = fw.indicator(leaf_id)
        assert weak_leaf is not None
        leaf = weak_leaf
        lost = max(Decimal("0.5"), (leaf.max * Decimal(rng.randint(30, 90)) / 100 * 2).to_integral_value() / 2)
        points[leaf_id] = leaf.max - lost
        problem = rng.choice(_PROBLEMS)
        reasons[leaf_id] = f"{leaf.name}方面{problem}，扣{_exact(lost)}分。"
        parent = fw.indicator(leaf.parent) if leaf.parent else None
        title = f"{parent.name}：{leaf.name}有待加强。" if parent else f"{leaf.name}有待加强。"
        problems.append(TextItem("存在问题", f"{leaf.name}方面{problem}。", len(problems) + 1, title, source=f"{_SOURCE} 五"))
    if rng.random() < 0.3:
        text = rng.choice(_OTHER_PROBLEMS)
        problems.append(TextItem("存在问题", text, len(problems) + 1, text, source=f"{_SOURCE} 五"))
    for indicator in reversed(fw.indicators):
        if not indicator.is_leaf:
            points[indicator.id] = sum((points[c] for c in indicator.children), Decimal(0))
    scores, claims = _scored(fw, points, reasons)
    stated = tuple(s for s in dept.stated if not s.claim.startswith("score."))
    if rng.random() < 1 / 3:
        stated = _misprint(stated, "budget.execution_rate", "合计", Decimal("1.50"))
    evaluation = dept.evaluation
    if rng.random() < 0.25:
        evaluation = dataclasses.replace(evaluation, kind="自评", evaluator=dept.department.name)
    if rng.random() < 1 / 15:
        scores = tuple(dataclasses.replace(s, reason=s.reason or "详见报告正文（合成数据）") for s in scores if s.level == 1)
        claims = [c for c in claims if c.claim in ("score.total", "score.grade")]
    return dataclasses.replace(dept, scores=scores, stated=(*stated, *claims), texts=(*dept.texts, *problems),
                               evaluation=evaluation)
