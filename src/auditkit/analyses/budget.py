"""预决算差异分析: the budget chain of income, expenditure and 功能分类 lines, the headline budget indicators,
quarterly execution against the time benchmark, and the findings where a figure crosses a threshold.

Every figure is computed from the department's tables through :mod:`auditkit.analyses.metrics` (Decimal in, float out) and
never taken from ``stated.csv``, except where a function says it shows a stated figure, labelled as such. Tables keep
the report's line order; a column appears only when the department has data for it. Rates are in percent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from auditkit.analyses import metrics
from auditkit.analyses.frames import frame
from auditkit.data.model import BudgetLine, DepartmentYear, StatedFigure
from auditkit.data.numbers import Number, format_number, pct, value, wan

__all__ = [
    "ADJUSTMENT_THRESHOLD",
    "DEFAULT_BENCHMARK",
    "EXECUTION_THRESHOLD",
    "benchmark_average",
    "budget_findings",
    "budget_indicators",
    "expenditure_chain",
    "expenditure_total",
    "functional_variance",
    "income_table",
    "line_label",
    "line_table",
    "quarter_rates",
    "quarterly_execution",
    "stated_figure",
]

#: 时间进度: cumulative share of the year elapsed at each quarter's end (domain-notes; 000 uses their mean, 62.5%).
DEFAULT_BENCHMARK: Mapping[int, Decimal] = {1: Decimal(25), 2: Decimal(50), 3: Decimal(75), 4: Decimal(100)}
#: A 预算执行率 below this (in %) is a finding.
EXECUTION_THRESHOLD = Decimal(90)
#: A 预算调整率 above this (in %, either way) is flagged for explanation (domain-notes).
ADJUSTMENT_THRESHOLD = Decimal(30)

ITEM, CODE = "项目", "科目编码"
INITIAL, REFORM, DIRECT, NET = "年初预算", "涉改调整", "财政直接调整", "剔除后预算"
ADJUSTED, FINAL, PRIOR = "调整预算", "决算", "上年决算"
YOY_AMOUNT, YOY_RATE = "同比增减额", "同比增减率"
INDICATOR_COLUMNS = ("指标", "数值", "单位", "公式/口径", "说明")
QUARTER_COLUMNS = ("季度", "累计执行率", "时间进度", "差距（百分点）", "是否滞后", "说明")

_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、|^\d+[、.]")


def line_label(line: BudgetLine) -> str:
    """The line as a sentence cites it: ``201 一般公共服务支出`` (numbering prefix dropped), else its name."""
    name = _NUMBERING.sub("", line.name)
    return f"{line.code} {name}" if line.code else name


def _depth(line: BudgetLine, lines: Sequence[BudgetLine]) -> int:
    parents = {b.name: b.parent for b in lines if b.row_kind != "合计"}
    depth, node, seen = 0, line.parent, {line.name}
    while node is not None and node not in seen:
        seen.add(node)
        depth += 1
        node = parents.get(node)
    return depth


def _item(line: BudgetLine, lines: Sequence[BudgetLine]) -> str:
    memo = "其中：" if line.row_kind == "其中" else ""
    return "\u3000" * _depth(line, lines) + memo + line.name


def line_table(
    lines: Sequence[BudgetLine],
    *,
    rate: str = "执行率",
    rate_metric: metrics.Metric2 = metrics.execution_rate,
    chain: bool = False,
    net_rate: bool = False,
) -> pd.DataFrame:
    """One row per budget line: amounts, 预决算差异, ``rate`` against each budget, 预算调整率, 同比.

    - 预决算差异 = 调整预算 − 决算 when the table gives 调整预算, else 年初预算 − 决算 (the label says which);
    - ``rate``（决算/调整预算） and ``rate``（决算/年初预算）, each by ``rate_metric`` (denominator: that budget);
    - with ``chain``: 预算调整率 = (调整预算 − 剔除后预算) ÷ 剔除后预算 where the table gives 剔除后预算, else
      (调整预算 − 年初预算) ÷ 年初预算 (the label says which);
    - with ``net_rate``: ``rate``（决算/剔除后预算） too, and 预决算差异 against 剔除后预算 where there is no 调整预算
      (003 公用经费: 210.77 of 调整后 214.5 → 控制率 98.26%);
    - 同比增减额 = 决算 − 上年决算, 同比增减率 = 同比增减额 ÷ 上年决算.
    The index is the line's name (its 科目编码 in 功能分类); 合计 rows are marked as totals.
    """
    has_adjusted = any(b.adjusted is not None for b in lines)
    has_net = any(b.net_initial is not None for b in lines)
    net_base = net_rate and has_net and not has_adjusted
    variance_label = ("预决算差异（调整预算−决算）" if has_adjusted else
                      "预决算差异（剔除后预算−决算）" if net_base else "预决算差异（年初预算−决算）")
    rate_adjusted, rate_initial = f"{rate}（决算/调整预算）", f"{rate}（决算/年初预算）"
    rate_net = f"{rate}（决算/剔除后预算）"
    adjustment_label = "预算调整率（较剔除后预算）" if has_net else "预算调整率（较年初预算）"
    rows: list[dict[str, object]] = []
    for b in lines:
        initial, adjusted, final, prior = value(b.initial), value(b.adjusted), value(b.final), value(b.prior_final)
        base = value(b.net_initial) if has_net else initial
        rows.append({
            CODE: b.code,
            ITEM: _item(b, lines),
            INITIAL: initial,
            REFORM: value(b.reform_adjustment),
            DIRECT: value(b.direct_adjustment),
            NET: value(b.net_initial),
            ADJUSTED: adjusted,
            FINAL: final,
            PRIOR: prior,
            variance_label: metrics.variance(adjusted if has_adjusted else value(b.net_initial) if net_base else initial, final),
            rate_net: rate_metric(final, value(b.net_initial)) if net_rate else None,
            rate_adjusted: rate_metric(final, adjusted),
            rate_initial: rate_metric(final, initial),
            adjustment_label: metrics.adjustment_rate(adjusted, base) if chain else None,
            YOY_AMOUNT: metrics.change_amount(final, prior),
            YOY_RATE: metrics.change_rate(final, prior),
        })
    columns = (CODE, ITEM, INITIAL, REFORM, DIRECT, NET, ADJUSTED, FINAL, PRIOR, variance_label,
               rate_net, rate_adjusted, rate_initial, adjustment_label, YOY_AMOUNT, YOY_RATE)
    index = [b.code or b.name for b in lines]
    totals = [i for i, b in enumerate(lines) if b.row_kind == "合计"]
    return frame(rows, columns, required=(ITEM,), index=index, totals=totals)


def income_table(dept: DepartmentYear) -> pd.DataFrame:
    """收入预决算: each income line with 预决算差异, 执行率 against both budgets, 预算调整率 (较年初预算) and 同比."""
    return line_table(dept.income, chain=True)


def expenditure_chain(dept: DepartmentYear) -> pd.DataFrame:
    """支出预决算: 年初预算 → 涉改调整 / 财政直接调整 → 剔除后预算 → 调整预算 → 决算, per 支出类型.

    With 执行率（决算/调整预算）, 执行率（决算/年初预算）, 预算调整率 (003 合计: (13,867.60 − 13,460.53) ÷ 13,460.53
    = 3.02%) and 同比 (000 支出合计: 1,114.44 vs 1,138.46 → −2.11%).
    """
    return line_table(dept.expenditure, chain=True)


def functional_variance(dept: DepartmentYear) -> pd.DataFrame:
    """支出功能分类预决算差异: per 科目 (004: 208 预算 3,127.20, 决算 2,827.71 → 差异 299.49, 执行率 90.42%)."""
    return line_table(dept.functional, chain=True)


def expenditure_total(dept: DepartmentYear) -> BudgetLine | None:
    """The department's expenditure total: the 合计 line of 支出, else of 功能分类."""
    return dept.total("expenditure") or dept.total("functional")


# --- headline indicators -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Indicator:
    name: str
    value: Decimal | None
    unit: str
    formula: str
    inputs: Mapping[str, Decimal | None]
    note: str = ""

    def row(self) -> dict[str, object]:
        missing = [k for k, v in self.inputs.items() if v is None]
        shown = "，".join(f"{k} {wan(v)}" for k, v in self.inputs.items() if v is not None)
        formula = f"{self.formula}；{shown}" if shown else self.formula
        if missing:
            reason = f"未列示{'、'.join(missing)}，无法计算"
        else:
            reason = "" if self.value is not None else "分母为零，无法计算"
        note = "；".join(p for p in (reason, self.note) if p)
        return {"指标": self.name, "数值": self.value, "单位": self.unit, "公式/口径": formula, "说明": note or None}


def stated_figure(dept: DepartmentYear, claim: str, subject: str | None = None) -> StatedFigure | None:
    """The first figure the report states for ``claim`` (evidence to show, labelled as stated; never an input)."""
    return next(iter(dept.stated_of(claim, subject)), None)


def quarter_rates(dept: DepartmentYear, benchmark: Mapping[int, Decimal]) -> list[tuple[int, Decimal, Decimal | None]]:
    """(季度, 累计执行率, 时间进度) per quarter in order; 时间进度 from the data, else from ``benchmark``."""
    quarters = sorted(dept.quarterly, key=lambda q: q.quarter)
    return [(q.quarter, q.cumulative_rate.value, benchmark.get(q.quarter) if q.benchmark is None else q.benchmark.value)
            for q in quarters]


def benchmark_average(benchmark: Mapping[int, Decimal]) -> Decimal | None:
    """时间进度平均: the mean of the quarters' benchmarks (62.5% for the default), None for an empty benchmark."""
    return metrics.mean([benchmark[q] for q in sorted(benchmark)])


def _yoy_indicators(dept: DepartmentYear, label: str, line: BudgetLine | None) -> list[_Indicator]:
    """收入 / 支出同比增减额 and 增减率 from 上年决算; where the data has no 上年决算 but the report states the 增减额
    (001 一（四）: 收入较上年增加 2803.41 万元), that stated figure, and the rate from it as the reconciliation computes
    it: 增减额 ÷ (本年决算 − 增减额)."""
    current, prior = (value(line.final), value(line.prior_final)) if line else (None, None)
    stated = [s for s in dept.stated_of("yoy.change_amount", line.name) if isinstance(s.value, Number)] if line else []
    if prior is None and current is not None and stated:
        amount, where = stated[0].value, stated[0].source or "报告"
        assert isinstance(amount, Number)
        note = f"未列示上年{label}决算；增减额为报告列示数（{where}）"
        return [
            _Indicator(f"{label}同比增减额", amount.value, "万元", f"报告列示 {format_number(amount, thousands=True)}", {},
                       note=note),
            _Indicator(f"{label}同比增减率", metrics.change_rate_from_amount(current, amount.value), "%",
                       f"增减额 ÷（本年{label}决算 − 增减额）× 100%", {f"{label}决算": current, "增减额": amount.value},
                       note=note),
        ]
    inputs = {f"{label}决算": current, f"上年{label}决算": prior}
    return [
        _Indicator(f"{label}同比增减额", metrics.change_amount(current, prior), "万元",
                   f"本年{label}决算 − 上年{label}决算", inputs),
        _Indicator(f"{label}同比增减率", metrics.change_rate(current, prior), "%",
                   f"（本年{label}决算 − 上年{label}决算）÷ 上年{label}决算 × 100%", inputs),
    ]


def budget_indicators(dept: DepartmentYear, benchmark: Mapping[int, Decimal] | None = None) -> pd.DataFrame:
    """预算执行主要指标 (指标, 数值, 单位, 公式/口径, 说明), each computed from the data with its inputs shown.

    预算调整率 (base 剔除后预算, else 年初预算), 预算执行率 against 调整预算 and against 年初预算, 预决算差异,
    结转结余率 (结转结余金额, else 调整预算 − 决算, ÷ 调整预算), 存量资金变动率, 收入 / 支出同比, 专项资金支出率 and,
    where the data has quarters, 季度平均执行率. A row whose inputs are missing shows no value and names them.
    """
    total = expenditure_total(dept)
    income = dept.total("income")
    initial = value(total.initial) if total else None
    adjusted = value(total.adjusted) if total else None
    final = value(total.final) if total else None
    net = value(total.net_initial) if total else None
    base_name, base = ("剔除后预算", net) if net is not None else ("年初预算", initial)
    funds = dept.funds
    carryover, carryover_name = value(funds.carryover), "结转结余金额"
    if carryover is None and adjusted is not None and final is not None:
        carryover, carryover_name = metrics.variance(adjusted, final), "结转结余（调整预算 − 决算）"
    items = [
        _Indicator("预算调整率", metrics.adjustment_rate(adjusted, base), "%",
                   f"（调整预算 − {base_name}）÷ {base_name} × 100%（支出合计）",
                   {"调整预算": adjusted, base_name: base}),
        _Indicator("预算执行率（决算/调整预算）", metrics.execution_rate(final, adjusted), "%",
                   "决算 ÷ 调整预算 × 100%（支出合计）", {"决算": final, "调整预算": adjusted}),
        _Indicator("预算执行率（决算/年初预算）", metrics.execution_rate(final, initial), "%",
                   "决算 ÷ 年初预算 × 100%（支出合计）", {"决算": final, "年初预算": initial}),
        _Indicator("结转结余率", metrics.carryover_rate(carryover, adjusted), "%",
                   "结转结余金额 ÷ 调整预算 × 100%（未列示结转结余金额时取 调整预算 − 决算）",
                   {carryover_name: carryover, "调整预算": adjusted}),
        _Indicator("存量资金变动率", metrics.change_rate(value(funds.stock_current), value(funds.stock_prior)), "%",
                   "（年末存量资金 − 上年末存量资金）÷ 上年末存量资金 × 100%",
                   {"年末存量资金": value(funds.stock_current), "上年末存量资金": value(funds.stock_prior)}),
    ]
    for label, line in (("收入", income), ("支出", total)):
        items += _yoy_indicators(dept, label, line)
    spent, allocated = value(funds.special_spent), value(funds.special_allocated)
    items.append(_Indicator("专项资金支出率", metrics.execution_rate(spent, allocated), "%",
                            "专项资金支出数 ÷ 专项资金下达数 × 100%", {"专项资金支出数": spent, "专项资金下达数": allocated}))
    quarters = quarter_rates(dept, benchmark or DEFAULT_BENCHMARK)
    stated = stated_figure(dept, "budget.quarterly_average")
    if quarters:
        average = metrics.mean([r for _, r, _ in quarters])
        items.append(_Indicator("季度平均执行率", average, "%", "各季度累计执行率的算术平均",
                                {f"第{q}季度": r for q, r, _ in quarters}))
    elif stated is not None:
        items.append(_Indicator("季度平均执行率", None, "%", "各季度累计执行率的算术平均", {"各季度累计执行率": None},
                                note=f"报告列示 {stated.value}（{stated.source or '报告'}）"))
    return frame((i.row() for i in items), INDICATOR_COLUMNS, required=INDICATOR_COLUMNS[:4], numeric=("数值",))


# --- quarterly execution -----------------------------------------------------------------------------------


def quarterly_execution(dept: DepartmentYear, benchmark: Mapping[int, Decimal] | None = None) -> pd.DataFrame:
    """分季度执行: each quarter's 累计执行率 against 时间进度 (default 25/50/75/100%), the gap and whether it lags.

    The last row is the average of the quarters against the average benchmark (62.5% over four quarters). When the
    data has no quarterly rows but the report states a quarterly average (000: 51.30%), that figure is shown against
    the benchmark average, labelled as stated. Empty when neither exists.
    """
    benchmark = benchmark or DEFAULT_BENCHMARK
    quarters = quarter_rates(dept, benchmark)
    rows: list[dict[str, object]] = []
    for q, rate, mark in quarters:
        rows.append(_quarter_row(f"第{q}季度", rate, mark))
    if quarters:
        label = "四个季度平均" if len(quarters) == 4 else f"{len(quarters)}个季度平均"
        marks = [m for _, _, m in quarters]
        rows.append(_quarter_row(label, metrics.mean([r for _, r, _ in quarters]), metrics.mean(marks)))
        return frame(rows, QUARTER_COLUMNS, required=QUARTER_COLUMNS[:5], totals=[len(rows) - 1])
    stated = stated_figure(dept, "budget.quarterly_average")
    if stated is None or not isinstance(stated.value, Number):
        return frame([], QUARTER_COLUMNS, required=QUARTER_COLUMNS[:5])
    average_mark = benchmark_average(benchmark)
    row = _quarter_row("四个季度平均（报告列示）", stated.value.value, average_mark)
    row["说明"] = f"数据未列各季度执行率；平均执行率为报告列示数（{stated.source or '报告'}），时间进度为各季度时间进度的平均"
    return frame([row], QUARTER_COLUMNS, required=QUARTER_COLUMNS[:5], totals=[0])


def _quarter_row(label: str, rate: Decimal | None, mark: Decimal | None) -> dict[str, object]:
    gap = metrics.progress_gap(rate, mark)
    lag = None if gap is None else ("是" if gap < 0 else "否")
    return {"季度": label, "累计执行率": rate, "时间进度": mark, "差距（百分点）": gap, "是否滞后": lag}


# --- findings -----------------------------------------------------------------------------------------------


def _rates_below(lines: Iterable[BudgetLine], threshold: Decimal) -> list[str]:
    out = []
    for b in lines:
        if b.row_kind == "合计":
            continue
        budget = value(b.adjusted) if b.adjusted is not None else value(b.initial)
        rate = metrics.execution_rate(value(b.final), budget)
        if rate is not None and rate < threshold:
            out.append(f"{line_label(b)} {pct(rate)}")
    return out


def budget_findings(dept: DepartmentYear, benchmark: Mapping[int, Decimal] | None = None) -> list[str]:
    """Short Chinese findings where a budget figure crosses a threshold.

    执行率 below :data:`EXECUTION_THRESHOLD` (the total and each line), spending on lines with no initial budget,
    预算调整率 beyond :data:`ADJUSTMENT_THRESHOLD` (the total and each expenditure line), adjustments taken out of the
    initial budget beyond that share, quarters lagging the time benchmark, a stated quarterly average below it,
    存量资金 growing, 专项资金支出率 below the threshold.
    """
    total = expenditure_total(dept)
    return [*_total_execution_findings(total), *_line_findings(dept), *_adjustment_findings(dept, total),
            *_quarter_findings(dept, benchmark or DEFAULT_BENCHMARK), *_funds_findings(dept)]


def _total_execution_findings(total: BudgetLine | None) -> list[str]:
    """The expenditure total's 执行率 below the threshold."""
    if total is None:
        return []
    # against 调整预算 where the data has it: 003's 年初预算 still holds the funds moved out by the reform
    label, budget = ("年初预算", value(total.initial)) if total.adjusted is None else ("调整预算", total.adjusted.value)
    rate = metrics.execution_rate(value(total.final), budget)
    if rate is not None and rate < EXECUTION_THRESHOLD:
        return [f"支出预算执行率（决算/{label}）为 {pct(rate)}，低于 {EXECUTION_THRESHOLD}%。"]
    return []


def _line_findings(dept: DepartmentYear) -> list[str]:
    """Expenditure types and 功能分类 科目 with a low 执行率, or spending without an initial budget."""
    out: list[str] = []
    for table, what in (("expenditure", "支出类型"), ("functional", "功能分类科目")):
        low = _rates_below(getattr(dept, table), EXECUTION_THRESHOLD)
        if low:
            out.append(f"执行率低于 {EXECUTION_THRESHOLD}% 的{what}：{'、'.join(low)}。")
        unbudgeted = [b for b in getattr(dept, table) if b.row_kind != "合计" and b.initial is not None
                      and b.initial.value == 0 and b.final is not None and b.final.value > 0]
        if unbudgeted:
            items = "、".join(f"{line_label(b)} {wan(b.final)} 万元" for b in unbudgeted)
            out.append(f"未列入年初预算而有支出的{what}：{items}。")
    return out


def _adjustment_findings(dept: DepartmentYear, total: BudgetLine | None) -> list[str]:
    """预算调整率 beyond the threshold (the total, and each expenditure line against its 剔除后预算), and adjustments
    taken out of the initial budget beyond that share."""
    out: list[str] = []
    if total is not None:
        net = value(total.net_initial)
        base = net if net is not None else value(total.initial)
        rate = metrics.adjustment_rate(value(total.adjusted), base)
        if rate is not None and abs(rate) > ADJUSTMENT_THRESHOLD:
            out.append(f"预算调整率为 {pct(rate)}，超过 {ADJUSTMENT_THRESHOLD}%，应说明调整原因。")
        removed = [value(total.reform_adjustment), value(total.direct_adjustment)]
        if any(r is not None for r in removed):
            amount = sum((r for r in removed if r is not None), Decimal(0))
            part = metrics.share(amount, value(total.initial))
            if part is not None and part > ADJUSTMENT_THRESHOLD:
                out.append(f"年初预算中涉改调整与财政直接调整共 {wan(amount)} 万元，占年初预算 {pct(part)}，"
                           f"预算调整率已按剔除后预算计算。")
    moved = [f"{line_label(b)} {pct(r)}" for b in dept.expenditure if b.row_kind != "合计"
             for r in [metrics.adjustment_rate(value(b.adjusted), value(b.net_initial))]
             if r is not None and abs(r) > ADJUSTMENT_THRESHOLD]
    if moved:
        out.append(f"调整预算较剔除后预算变动超过 {ADJUSTMENT_THRESHOLD}% 的支出：{'、'.join(moved)}。")
    return out


def _funds_findings(dept: DepartmentYear) -> list[str]:
    """存量资金 growing, 专项资金支出率 below the threshold."""
    out: list[str] = []
    stock = metrics.change_rate(value(dept.funds.stock_current), value(dept.funds.stock_prior))
    if stock is not None and stock > 0:
        out.append(f"年末存量资金较上年末增加 {pct(stock)}。")
    special = metrics.execution_rate(value(dept.funds.special_spent), value(dept.funds.special_allocated))
    if special is not None and special < EXECUTION_THRESHOLD:
        out.append(f"专项资金支出率为 {pct(special)}，低于 {EXECUTION_THRESHOLD}%。")
    return out


def _quarter_findings(dept: DepartmentYear, benchmark: Mapping[int, Decimal]) -> list[str]:
    quarters = quarter_rates(dept, benchmark)
    lagging = [(q, r, m) for q, r, m in quarters if m is not None and r < m]
    if lagging:
        items = "、".join(f"第{q}季度 {pct(r)}（时间进度 {pct(m)}）" for q, r, m in lagging)
        return [f"累计执行率低于时间进度的季度：{items}。"]
    stated = stated_figure(dept, "budget.quarterly_average")
    if not quarters and stated is not None and isinstance(stated.value, Number):
        average_mark = benchmark_average(benchmark)
        if average_mark is not None and stated.value.value < average_mark:
            sentence = (f"报告列示的季度平均执行率 {pct(stated.value.value)} 低于时间进度平均 {pct(average_mark)}"
                        "（数据未列各季度执行率，无法逐季复核）。")
            return [sentence]
    return []
