"""The charts the notebooks show, as matplotlib Figures with Chinese labels (万元 axes, rates in %).

Each function registers the CJK font first (:func:`auditkit.report.fonts.use_cjk_font`), draws from the same analyses the
tables show, and returns a :class:`~matplotlib.figure.Figure`, or None when the department lacks the data. Figures
are built without pyplot, so nothing is displayed or kept open behind the caller's back.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from auditkit.analyses import metrics
from auditkit.analyses.budget import DEFAULT_BENCHMARK, benchmark_average, line_label, quarter_rates, stated_figure
from auditkit.analyses.costs import THREE_PUBLIC, three_public_lines
from auditkit.analyses.kpi import MET, MISSED, assessments
from auditkit.analyses.summary import RateMatrix
from auditkit.data.model import BudgetLine, DepartmentYear
from auditkit.data.numbers import Number, format_points, format_rate, pct, value, wan
from auditkit.report.fonts import use_cjk_font
from auditkit.scoring.scorecard import Scorecard

__all__ = [
    "budget_vs_final",
    "cost_composition_chart",
    "grade_chart",
    "kpi_completion_chart",
    "quarterly_chart",
    "score_heatmap",
    "score_rate_chart",
    "three_public_chart",
]

_COLORS = {"年初预算": "#9db4cc", "调整预算": "#1f4e79", "决算": "#e07b39", "上年决算": "#b8b8b8"}
_OK, _BAD, _NEUTRAL = "#2e7d32", "#b42318", "#1f4e79"
#: A framework's grades, highest first: green to red.
_GRADE_COLORS = ("#2e7d32", "#1f4e79", "#e07b39", "#b42318")


def _figure(rows: int, width: float = 8.0, per_row: float = 0.45, minimum: float = 3.0) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width, max(minimum, 1.2 + per_row * rows)), layout="constrained")
    return fig, fig.add_subplot()


def _grouped_bars(lines: Sequence[BudgetLine], columns: Sequence[str], title: str) -> Figure | None:
    """Horizontal grouped bars, one group per line, one bar per amount column present (万元)."""
    attrs = {"年初预算": "initial", "调整预算": "adjusted", "决算": "final", "上年决算": "prior_final"}
    present = [c for c in columns if any(getattr(b, attrs[c]) is not None for b in lines)]
    if not lines or not present:
        return None
    fig, ax = _figure(len(lines) * max(1, len(present)), per_row=0.32)
    height = 0.8 / len(present)
    labels = [line_label(b) for b in lines]
    for i, column in enumerate(present):
        amounts = [getattr(b, attrs[column]) for b in lines]
        ys = [n + i * height for n in range(len(lines))]
        widths = [float(a.value) if a is not None else 0.0 for a in amounts]
        bars = ax.barh(ys, widths, height=height, label=column, color=_COLORS[column])
        ax.bar_label(bars, labels=[wan(a.value) if a is not None else "—" for a in amounts], padding=3, fontsize=8)
    ax.set_yticks([n + height * (len(present) - 1) / 2 for n in range(len(lines))], labels=labels)
    ax.invert_yaxis()
    ax.set_xlabel("金额（万元）")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    ax.margins(x=0.18)
    return fig


def _has_amount(b: BudgetLine) -> bool:
    return any(n is not None and n.value != 0 for n in (b.initial, b.adjusted, b.final))


def budget_vs_final(dept: DepartmentYear) -> Figure | None:
    """支出预算与决算: budget vs final by expenditure type (基本支出, 项目支出 …), else by 功能分类 科目.

    None when no line has both a budget and a final figure (000 reports totals only; 001 no budgets).
    """
    use_cjk_font()
    for table, title in (("expenditure", "支出预算与决算（按支出类型）"), ("functional", "支出预算与决算（按功能分类）")):
        lines = [b for b in getattr(dept, table) if b.row_kind == "明细" and b.parent is None and _has_amount(b)]
        if any(b.final is not None and (b.initial is not None or b.adjusted is not None) for b in lines):
            return _grouped_bars(lines, ("年初预算", "调整预算", "决算"), title)
    return None


def quarterly_chart(dept: DepartmentYear) -> Figure | None:
    """累计执行率与时间进度: the quarters' cumulative execution against the benchmark line; where the data has only
    the report's stated quarterly average, that average against the average benchmark (labelled 报告列示)."""
    use_cjk_font()
    quarters = quarter_rates(dept, DEFAULT_BENCHMARK)
    if quarters:
        fig, ax = _figure(4, width=7.0, minimum=3.6)
        xs = [f"第{q}季度" for q, _, _ in quarters]
        rates = [float(r) for _, r, _ in quarters]
        marks = [float(m) if m is not None else float("nan") for _, _, m in quarters]
        colors = [_BAD if m is not None and r < m else _NEUTRAL for _, r, m in quarters]
        bars = ax.bar(xs, rates, color=colors, width=0.5, label="累计执行率")
        ax.bar_label(bars, labels=[pct(r) for _, r, _ in quarters], padding=3, fontsize=8)
        ax.plot(xs, marks, color="#57606a", marker="o", linestyle="--", label="时间进度")
    else:
        stated = stated_figure(dept, "budget.quarterly_average")
        average = benchmark_average(DEFAULT_BENCHMARK)
        if stated is None or not isinstance(stated.value, Number) or average is None:
            return None
        fig, ax = _figure(2, width=6.0, minimum=3.4)
        values = [stated.value.value, average]
        xs = ["季度平均执行率（报告列示）", "时间进度平均"]
        colors = [_BAD if values[0] < values[1] else _NEUTRAL, "#b8b8b8"]
        bars = ax.bar(xs, [float(v) for v in values], color=colors, width=0.5)
        ax.bar_label(bars, labels=[pct(v) for v in values], padding=3, fontsize=9)
    ax.set_ylabel("执行率（%）")
    ax.set_ylim(0, 110)
    ax.set_title("累计执行率与时间进度")
    if quarters:
        ax.legend(loc="upper left", fontsize=8)
    return fig


def kpi_completion_chart(dept: DepartmentYear) -> Figure | None:
    """绩效指标计划完成率: one bar per KPI that has a rate, missed targets in red, with the 100% line; rates above
    300% are drawn hatched at 300% and labelled with their value (…（超出刻度）). A KPI whose actual is more than ten
    times its target has no rate (a 口径 mismatch, see :data:`auditkit.analyses.kpi.UNIT_MISMATCH_THRESHOLD`) and is not
    drawn. None when no KPI has a rate."""
    use_cjk_font()
    rated = [a for a in assessments(dept) if a.completion is not None]
    if not rated:
        return None
    cap = Decimal(300)
    fig, ax = _figure(len(rated), width=8.5, per_row=0.3)
    names = [a.kpi.name for a in rated]
    widths = [float(min(a.completion, cap)) for a in rated if a.completion is not None]
    colors = [_BAD if a.state == MISSED else (_OK if a.state == MET else _NEUTRAL) for a in rated]
    bars = ax.barh(range(len(rated)), widths, color=colors, height=0.6)
    capped = [a.completion is not None and a.completion > cap for a in rated]
    for bar, over in zip(bars, capped, strict=True):
        if over:
            bar.set_hatch("//")
            bar.set_edgecolor("white")
    ax.bar_label(bars, labels=[pct(a.completion) + ("（超出刻度）" if over else "") for a, over in zip(rated, capped, strict=True)],
                 padding=3, fontsize=7)
    ax.axvline(100, color="#57606a", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(rated)), labels=names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("计划完成率（%）" + ("；斜线条超过 300%，按 300% 绘制" if any(capped) else ""))
    ax.set_title("绩效指标计划完成率（红色为未达成）")
    ax.margins(x=0.15)
    return fig


def _spent_top_line(b: BudgetLine) -> bool:
    return b.row_kind == "明细" and b.parent is None and b.final is not None and b.final.value > 0


def cost_composition_chart(dept: DepartmentYear) -> Figure | None:
    """支出构成: shares of 决算 by expenditure type and by 功能分类, as horizontal bars (万元, with shares)."""
    use_cjk_font()
    panels: list[tuple[str, list[BudgetLine], BudgetLine | None]] = []
    expenditure = [b for b in dept.expenditure if _spent_top_line(b)]
    if expenditure:
        panels.append(("按支出类型", expenditure, dept.total("expenditure")))
    functional = [b for b in dept.functional if _spent_top_line(b)]
    if functional:
        panels.append(("按功能分类", functional, dept.total("functional")))
    if not panels:
        return None
    rows = sum(len(lines) for _, lines, _ in panels)
    fig = Figure(figsize=(8.0, max(3.0, 1.4 * len(panels) + 0.4 * rows)), layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=[max(1, len(p[1])) for p in panels])
    for ax, (title, lines, total) in zip(axes[:, 0], panels, strict=True):
        amounts = [value(b.final) for b in lines]
        whole = value(total.final) if total else None
        widths = [float(a) if a is not None else 0.0 for a in amounts]
        bars = ax.barh([line_label(b) for b in lines], widths, color=_NEUTRAL, height=0.6)
        ax.bar_label(bars, labels=[f"{wan(a)}（{pct(metrics.share(a, whole))}）" for a in amounts], padding=3, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(f"支出构成：{title}")
        ax.set_xlabel("决算（万元）")
        ax.margins(x=0.35)
    return fig


def three_public_chart(dept: DepartmentYear) -> Figure | None:
    """“三公”经费预算与决算 by item (万元). None when the department reports no 三公经费 figure."""
    use_cjk_font()
    lines = [b for b in three_public_lines(dept)
             if any(n is not None for n in (b.initial, b.adjusted, b.final, b.prior_final))]
    if not lines:
        return None
    fig = _grouped_bars(lines, ("年初预算", "调整预算", "决算", "上年决算"), f"“{THREE_PUBLIC[:2]}”经费预算与决算")
    return fig


def score_rate_chart(card: Scorecard) -> Figure | None:
    """各级指标得分率: one bar per 一级 and 二级 indicator (二级 indented under its 一级), with a dashed line at the
    framework's top grade as a rate (优 ≥ 90 of 100 → 90%). None when no indicator is scored."""
    use_cjk_font()
    rows = [r for r in card.indicators if r.level <= 2 and not r.adjustment and r.rate is not None]
    if not rows:
        return None
    fig, ax = _figure(len(rows), width=8.0, per_row=0.32)
    labels = [("　　" if r.level == 2 else "") + r.name for r in rows]
    colors = [_NEUTRAL if r.level == 1 else "#9db4cc" for r in rows]
    bars = ax.barh(range(len(rows)), [float(r.rate) for r in rows if r.rate is not None], color=colors, height=0.6)
    ax.bar_label(bars, labels=[pct(r.rate) for r in rows], padding=3, fontsize=8)
    title = "一级、二级指标得分率"
    top = card.grades[0] if card.grades else None
    line = metrics.score_rate(top.min, card.max) if top is not None else None
    if top is not None and line is not None:
        ax.axvline(float(line), color="#57606a", linestyle="--", linewidth=1)
        title += f"（虚线为 {top.name}（{format_rate(line)}））"
    ax.set_yticks(range(len(rows)), labels=labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_xlabel("得分率（%）")
    ax.set_title(title)
    return fig


def score_heatmap(matrix: RateMatrix) -> Figure:
    """得分率热力图: departments (rows, highest 总得分率 first as the matrix orders them) × indicators (columns, 编号 and
    name), each cell its 得分率 in % (blank where missing), red for low, green for full marks."""
    use_cjk_font()
    from matplotlib.colors import LinearSegmentedColormap

    rows, cols = len(matrix.departments), len(matrix.indicators)
    # at most the page's width (8 in at 144 dpi is about the HTML column): the labels print at their size, not shrunk
    fig = Figure(figsize=(min(8.0, 3.2 + 0.55 * cols), max(3.0, 2.2 + 0.3 * rows)), layout="constrained")
    ax = fig.add_subplot()
    values = [[float(v) if v is not None else float("nan") for v in row] for row in matrix.rates]
    cmap = LinearSegmentedColormap.from_list("ak-rate", ["#b42318", "#f2c14e", "#2e7d32"])
    image = ax.imshow(values, cmap=cmap, vmin=40, vmax=100, aspect="auto")
    for r, row in enumerate(matrix.rates):
        for c, v in enumerate(row):
            if v is not None:
                ax.text(c, r, format_points(v.quantize(Decimal(1), ROUND_HALF_UP)), ha="center", va="center", fontsize=8,
                        color="white" if v < 60 else "#1f2328")
    ax.set_xticks(range(cols), labels=[f"{i} {name}" for i, name in matrix.indicators], rotation=50, ha="right",
                  rotation_mode="anchor", fontsize=8.5)
    ax.set_yticks(range(rows), labels=list(matrix.departments), fontsize=8.5)
    ax.set_title(f"各部门二级指标得分率（%）\n{matrix.framework_name}", fontsize=10)
    fig.colorbar(image, ax=ax, shrink=0.6, label="得分率（%）")
    return fig


def grade_chart(distribution: pd.DataFrame) -> Figure | None:
    """等级分布: per framework (one group of bars each), the number of departments at each of its grades, with the
    share on each bar; None without departments."""
    use_cjk_font()
    if distribution is None or len(distribution) == 0:
        return None
    frameworks = list(dict.fromkeys(distribution["指标体系"]))
    fig = Figure(figsize=(max(5.0, 3.6 * len(frameworks)), 3.4), layout="constrained")
    panels = fig.subplots(1, len(frameworks), squeeze=False)[0]
    for ax, framework in zip(panels, frameworks, strict=True):
        rows = distribution[distribution["指标体系"] == framework]
        grades = list(rows["等级"])
        counts = [int(n) for n in rows["部门数"]]
        colors = [_GRADE_COLORS[min(n, len(_GRADE_COLORS) - 1)] if g != "未评定" else "#b8b8b8" for n, g in enumerate(grades)]
        bars = ax.bar(grades, counts, color=colors, width=0.6)
        ax.bar_label(bars, labels=[f"{n}（{pct(s)}）" for n, s in zip(counts, rows["占比"], strict=True)], padding=2, fontsize=8)
        ax.set_title("\n".join(textwrap.wrap(str(framework), 18)), fontsize=9)
        ax.set_ylabel("部门数")
        ax.set_ylim(0, max([*counts, 1]) * 1.25)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return fig
