"""auditkit.report.charts: each chart plots the seeds' figures, and renders on every sample department with no warning.

The notebook goldens carry no PNG bytes (tests/golden: image/png outputs are replaced by ``<png>``), so a chart is
checked here by what it plots: the returned Figure is walked for its bars (``BarContainer`` per series, patch widths
or heights), the bar labels, the tick labels and the reference lines. Expected figures cite the seed
(/work/shared/seeds/NNN_*.txt) and its section or table; where a seed's own figure is wrong the test asserts the
recomputation and says so (as data/<year>/<dept>/notes.csv records).
"""

from __future__ import annotations

import dataclasses
import io
import warnings
from collections.abc import Callable
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from auditkit import charts
from auditkit.data.model import DepartmentYear, Funds, Quarter
from auditkit.data.numbers import parse_number
from auditkit.scoring.framework import Grade, load_framework
from auditkit.scoring.scorecard import score
from tests.conftest import SEEDS, seed

CHARTS: list[Callable[[DepartmentYear], Figure | None]] = [
    charts.budget_vs_final, charts.quarterly_chart, charts.kpi_completion_chart, charts.cost_composition_chart,
    charts.three_public_chart,
]
#: Which department has the data for which chart (the others return None).
DRAWN = {
    "budget_vs_final": {"003", "004"},  # 000 and 001 print no line with both a budget and a final figure
    "quarterly_chart": {"000", "001"},  # the stated quarterly averages 51.30% and 38.12%
    "kpi_completion_chart": {"001", "003", "004"},  # 000 and 002 print no targets
    "cost_composition_chart": {"001", "003", "004"},
    "three_public_chart": {"000", "001", "003", "004"},
}


def _render(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=72)
    return buffer.getvalue()


def _only_axes(fig: Figure | None) -> Axes:
    assert fig is not None
    (ax,) = fig.axes
    return ax


def _series(ax: Axes) -> dict[str, list[float]]:
    """Each bar series by its legend label (``_container0`` when unlabelled): the bars' lengths in drawing order."""
    out: dict[str, list[float]] = {}
    for container in ax.containers:
        assert isinstance(container, BarContainer)
        horizontal = container.orientation == "horizontal"
        out[str(container.get_label())] = [p.get_width() if horizontal else p.get_height() for p in container.patches]
    return out


def _values(ax: Axes) -> list[float]:
    """The bars of a chart with one series."""
    (values,) = _series(ax).values()
    return values


def _bar_labels(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _ticks(ax: Axes, axis: str = "y") -> list[str]:
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels]


def _reference_lines(ax: Axes) -> list[float]:
    """The x of each vertical reference line (axvline: constant x across the axes)."""
    lines = []
    for line in ax.lines:
        xs, ys = ([float(v) for v in values] for values in (line.get_xdata(), line.get_ydata()))  # type: ignore[union-attr, arg-type]
        if len(set(xs)) == 1 and ys == [0, 1]:
            lines.append(xs[0])
    return lines


def _approx(values: list[float]) -> object:
    return pytest.approx(values, abs=1e-9)


# --- budget vs final and 三公经费: grouped bars, one group per line -----------------------------------------------------

GROUPED = {
    # 003 表3: 基本支出 年初预算 1,753.87, 调整预算 2,474.88, 决算 2,474.88; 项目支出 34,404.62, 11,392.72, 11,392.72
    ("budget_vs_final", "003"): ("支出预算与决算（按支出类型）", ["基本支出", "项目支出"], {
        "年初预算": [1753.87, 34404.62], "调整预算": [2474.88, 11392.72], "决算": [2474.88, 11392.72],
    }, ["1,753.87", "34,404.62", "2,474.88", "11,392.72", "2,474.88", "11,392.72"]),
    # 004 一（二）2.(1) 预决算差异表: 预算数 and 决算数 by 科目 (004 gives no 调整预算: no such series); 212 and 229 have
    # a 0.00 budget and are drawn at 0
    ("budget_vs_final", "004"): ("支出预算与决算（按功能分类）", [
        "201 一般公共服务支出", "206 科学技术支出", "208 社会保障和就业支出", "210 卫生健康支出", "212 城乡社区支出",
        "221 住房保障支出", "229 其他"], {
        "年初预算": [2.00, 20.00, 3127.20, 57.90, 0.00, 118.73, 0.00],
        "决算": [0.20, 15.88, 2827.71, 34.25, 139.11, 96.78, 0.53],
    }, ["2.00", "20.00", "3,127.20", "57.90", "0.00", "118.73", "0.00",
        "0.20", "15.88", "2,827.71", "34.25", "139.11", "96.78", "0.53"]),
    # 000 二（三）7.(1): 三公经费 预算 5.14, 决算 1.75 = 公务用车运行维护费 1.63 + 公务接待费 0.12 (items not budgeted: "—")
    ("three_public_chart", "000"): ("“三公”经费预算与决算", ["三公经费", "公务用车运行维护费", "公务接待费"], {
        "年初预算": [5.14, 0.0, 0.0], "决算": [1.75, 1.63, 0.12],
    }, ["5.14", "—", "—", "1.75", "1.63", "0.12"]),
    # 001 二（三）7 二是: 实际支出数0.78万元，预算安排的“三公”经费数33.08万
    ("three_public_chart", "001"): ("“三公”经费预算与决算", ["三公经费"], {"年初预算": [33.08], "决算": [0.78]},
                                    ["33.08", "0.78"]),
    # 003 二（四）1.(2): 预算 9 万元 (因公出国（境）1.5, 公务用车购置及运行 4, 公务接待 3.5), 决算 7.5 万元, 因公出国（境）费 0;
    # the other items' 决算 are not split in the report: "—", never 0.00
    ("three_public_chart", "003"): ("“三公”经费预算与决算", ["三公经费", "因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"], {
        "年初预算": [9.0, 1.5, 4.0, 3.5], "决算": [7.5, 0.0, 0.0, 0.0],
    }, ["9.00", "1.50", "4.00", "3.50", "7.50", "0.00", "—", "—"]),
    # 004 三（三）1.(2): 预算 15.90, 决算 8.09 = 因公出国(境) 0 + 公务用车运行及维护 5.35 + 公务接待 2.75 (the structure row
    # 公务用车购置及运行维护费 has no figure and is not drawn)
    ("three_public_chart", "004"): ("“三公”经费预算与决算", ["三公经费", "因公出国（境）费", "公务用车运行维护费", "公务接待费"], {
        "年初预算": [15.90, 0.0, 0.0, 0.0], "决算": [8.09, 0.0, 5.35, 2.75],
    }, ["15.90", "—", "—", "—", "8.09", "0.00", "5.35", "2.75"]),
}


@pytest.mark.parametrize(("chart", "number"), GROUPED, ids=[f"{c}-{n}" for c, n in GROUPED])
def test_grouped_bars_plot_each_lines_amounts_at_its_tick(chart: str, number: str) -> None:
    title, lines, series, labels = GROUPED[chart, number]
    ax = _only_axes(getattr(charts, chart)(seed(number)))
    assert ax.get_title() == title and ax.get_xlabel() == "金额（万元）"
    assert _ticks(ax) == lines
    legend = ax.get_legend()
    assert legend is not None and list(_series(ax)) == list(series) == [t.get_text() for t in legend.get_texts()]
    assert _series(ax) == {name: _approx(amounts) for name, amounts in series.items()}
    assert _bar_labels(ax) == labels
    # each line's bars, one per series, are centred on the line's tick
    containers = [c for c in ax.containers if isinstance(c, BarContainer)]
    for n, tick in enumerate(ax.get_yticks()):
        centres = [c.patches[n].get_y() + c.patches[n].get_height() / 2 for c in containers]
        assert sum(centres) / len(centres) == pytest.approx(tick)


# --- quarterly execution -------------------------------------------------------------------------------------------

QUARTERLY = {
    "000": (51.30, "51.30%"),  # 000 二（三）2: 四个季度平均执行率 51.30%
    "001": (38.12, "38.12%"),  # 001 二（二）1.(3): 平均支出进度 38.12%
}


@pytest.mark.parametrize("number", sorted(QUARTERLY))
def test_a_stated_quarterly_average_is_plotted_against_the_average_benchmark(number: str) -> None:
    """The stated average against (25 + 50 + 75 + 100) ÷ 4 = 62.5%, labelled as stated; below it, it is drawn as lagging
    (a different colour from the benchmark bar)."""
    rate, printed = QUARTERLY[number]
    ax = _only_axes(charts.quarterly_chart(seed(number)))
    assert _ticks(ax, "x") == ["季度平均执行率（报告列示）", "时间进度平均"]
    assert _values(ax) == _approx([rate, 62.5])
    assert _bar_labels(ax) == [printed, "62.50%"]
    assert ax.get_ylabel() == "执行率（%）" and ax.get_ylim() == (0, 110)
    stated, benchmark = ax.patches
    assert stated.get_facecolor() != benchmark.get_facecolor()


def test_quarters_are_plotted_against_the_time_benchmark_line() -> None:
    """Quarters averaging 51.30% as 000's (10.20 / 35.00 / 60.00 / 100%) against 25 / 50 / 75 / 100%: the bars are
    the rates, the dashed line the benchmark, and the three lagging quarters share a colour the fourth does not."""
    rates = ["10.2%", "35.0%", "60.0%", "100%"]
    quarters = tuple(Quarter(i + 1, parse_number(r)) for i, r in enumerate(rates))  # type: ignore[arg-type]
    ax = _only_axes(charts.quarterly_chart(dataclasses.replace(seed("000"), quarterly=quarters)))
    assert _ticks(ax, "x") == ["第1季度", "第2季度", "第3季度", "第4季度"]
    assert _series(ax) == {"累计执行率": _approx([10.2, 35.0, 60.0, 100.0])}
    assert _bar_labels(ax) == ["10.20%", "35.00%", "60.00%", "100.00%"]
    (benchmark,) = ax.lines
    assert benchmark.get_label() == "时间进度" and list(benchmark.get_ydata()) == [25, 50, 75, 100]  # type: ignore[arg-type]
    colours = [p.get_facecolor() for p in ax.patches]
    assert colours[0] == colours[1] == colours[2] != colours[3]


# --- KPI completion ------------------------------------------------------------------------------------------------

#: Per seed: how many KPIs have a rate (qualitative ones have none and are not drawn), a few bars with their label
#: (as the table prints the rate), and the KPIs drawn as missed.
KPI_BARS: dict[str, tuple[int, dict[str, tuple[float, str]], set[str]]] = {
    # 001 一（三）/ 二（二）1.(1)–(2), 一（二）三是: ten targets with an actual, each met exactly (239 of 239, 165 of 165 …)
    "001": (10, {"人社服务事项进驻省政务服务网": (100.0, "100.00%"), "保障厅内会议场次": (100.0, "100.00%")}, set()),
    # 003 表4–表8 (33 rated; 表6's 举办 / 完成 are qualitative): 30,342 ÷ 30,000 = 101.14%; 145 ÷ 100; a ceiling met
    # (失业率 2.11% ≤ 3.5%) is 100%; 939 ÷ 500 = 187.8%; 工伤保险 42.34 ÷ 40.5 = 104.54% (the seed's 104.49% is wrong)
    "003": (33, {
        "城镇新增就业人数": (101.14, "101.14%"), "举办招聘活动场次": (145.0, "145.00%"), "城镇登记失业率": (100.0, "100.00%"),
        "培养烹饪技能人才数量": (187.8, "187.80%"), "工伤保险参保人数": (42.34 / 40.5 * 100, "104.54%"),
    }, set()),
    # 004 一（三）目标表 against 四: 2,558 ÷ 2,200 = 116.27%; three missed: 企业养老 37,419 ÷ 38,800 = 96.44%, 工伤
    # 35,820 ÷ 38,758 = 92.42%, 失业 26,943 ÷ 27,300 = 98.69%; one above 300% drawn at 300, hatched, with its value:
    # 粤菜师傅 378 ÷ 110 = 343.64%; 党员志愿者服务时长 1,326 hours in all against ≥20 per member (四（五）, 6,630%) is a
    # 口径 mismatch, not drawn
    "004": (18, {
        "城镇新增就业人数": (2558 / 2200 * 100, "116.27%"), "参加企业职工基本养老保险人数": (37419 / 38800 * 100, "96.44%"),
        "完成\"粤菜师傅\"培训": (300.0, "343.64%（超出刻度）"),
    }, {"参加企业职工基本养老保险人数", "工伤保险参保人数", "失业保险参保人数"}),
}


@pytest.mark.parametrize("number", sorted(KPI_BARS))
def test_kpi_completion_bars_are_the_completion_rates_with_the_100_percent_line(number: str) -> None:
    count, named, missed = KPI_BARS[number]
    ax = _only_axes(charts.kpi_completion_chart(seed(number)))
    names, values, labels = _ticks(ax), _values(ax), _bar_labels(ax)
    assert len(names) == len(values) == len(labels) == count
    # one bar per quantitative KPI with both a target and an actual, in the data's order (001's K5, K7, K16, K17 print
    # a target only: 001 一（三）)
    rated = [k.name for k in seed(number).kpis if k.direction != "定性" and k.target is not None and k.actual is not None
             and k.name != "党员志愿者服务时长"]
    assert names == rated
    for name, (value, label) in named.items():
        i = names.index(name)
        assert values[i] == pytest.approx(value, abs=0.005) and labels[i] == label, name
    assert _reference_lines(ax) == [100]
    # missed targets in red (the title says so), met ones all in one other colour
    colours = {name: to_rgba(p.get_facecolor()) for name, p in zip(names, ax.patches, strict=True)}
    red = {c for n, c in colours.items() if n in missed}
    assert len(red) <= 1 and all(r > max(g, b) for r, g, b, _ in red)
    assert len({c for n, c in colours.items() if n not in missed} - red) == 1
    assert ax.get_title() == "绩效指标计划完成率（红色为未达成）"
    hatched = {name for name, p in zip(names, ax.patches, strict=True) if p.get_hatch()}
    assert hatched == {name for name, (value, _) in named.items() if value == 300.0}


# --- composition ---------------------------------------------------------------------------------------------------

COMPOSITION = {
    # 001 一（四）: 基本支出 502.42, 项目支出 3,537.29 of 4,039.71
    "001": ("支出构成：按支出类型", ["基本支出", "项目支出"], [502.42, 3537.29], ["502.42（12.44%）", "3,537.29（87.56%）"]),
    # 003 表3: 基本支出 2,474.88 and 项目支出 11,392.72 of 13,867.60 → 17.85% / 82.15%
    "003": ("支出构成：按支出类型", ["基本支出", "项目支出"], [2474.88, 11392.72], ["2,474.88（17.85%）", "11,392.72（82.15%）"]),
    # 004 一（二）2.(2): 2024年总收入支出为 3113.18 万元，其中一般公共服务支出 0.20 万元，科学技术支出 15.88 万元，社会保障和就业
    # 支出 2827.71 万元 (90.83%) …
    "004": ("支出构成：按功能分类", [
        "201 一般公共服务支出", "206 科学技术支出", "208 社会保障和就业支出", "210 卫生健康支出", "212 城乡社区支出",
        "221 住房保障支出", "229 其他"], [0.20, 15.88, 2827.71, 34.25, 139.11, 96.78, 0.53], [
        "0.20（0.01%）", "15.88（0.51%）", "2,827.71（90.83%）", "34.25（1.10%）", "139.11（4.47%）", "96.78（3.11%）",
        "0.53（0.02%）"]),
}


@pytest.mark.parametrize("number", sorted(COMPOSITION))
def test_composition_bars_are_the_final_amounts_labelled_with_their_share(number: str) -> None:
    title, lines, amounts, labels = COMPOSITION[number]
    ax = _only_axes(charts.cost_composition_chart(seed(number)))
    assert ax.get_title() == title and ax.get_xlabel() == "决算（万元）"
    assert _ticks(ax) == lines
    assert _values(ax) == _approx(amounts)
    assert _bar_labels(ax) == labels


def test_composition_with_both_tables_draws_one_panel_each() -> None:
    """003's 表3 types with 004's 功能分类 lines: two panels, types first, each with its own total's shares."""
    dept = dataclasses.replace(seed("003"), functional=seed("004").functional)
    fig = charts.cost_composition_chart(dept)
    assert fig is not None
    by_type, by_function = fig.axes
    assert by_type.get_title() == "支出构成：按支出类型" and by_function.get_title() == "支出构成：按功能分类"
    assert _values(by_type) == _approx([2474.88, 11392.72]) and _bar_labels(by_function)[2] == "2,827.71（90.83%）"


# --- score rates ---------------------------------------------------------------------------------------------------

SCORE_RATES = {
    # 003 二（二）–（四）: 预算编制情况 24 of 30 = 80%; 预算编制 14 of 18 = 77.78% (the seed prints 77.77%); 目标设置 9 of 10;
    # 保障措施 1 of 2 = 50% (the seed prints 75%: wrong, notes.csv); 预算执行情况 32.5 of 40 = 81.25%; 资金管理 21 of 22;
    # 项目管理 4 of 7; 资产管理 4 of 5; 人员管理 2 of 2; 制度管理 1.5 of 4; 预算使用效益 26.8 of 30; 经济性 5 of 6; 效率性
    # 7.5 of 9; 效果性 2 + 2 + 2 + 1.8 + 2 = 9.8 of 10 = 98% (the seed's subtotal 9.6 / 96% contradicts its items and
    # its 26.8, notes.csv); 公平性 4.5 of 5
    "003": [("预算编制情况", "80.00%"), ("　　预算编制", "77.78%"), ("　　目标设置", "90.00%"), ("　　保障措施", "50.00%"),
            ("预算执行情况", "81.25%"), ("　　资金管理", "95.45%"), ("　　项目管理", "57.14%"), ("　　资产管理", "80.00%"),
            ("　　人员管理", "100.00%"), ("　　制度管理", "37.50%"), ("预算使用效益", "89.33%"), ("　　经济性", "83.33%"),
            ("　　效率性", "83.33%"), ("　　效果性", "98.00%"), ("　　公平性", "90.00%")],
    # 001 二（二）–（三）: 整体效能 23.05 of 25, 专项效能 24.44 of 25 (履职效能 47.49 of 50); 管理效率 49.46 of 50, every
    # item full but 运行成本 2.46 of 3
    "001": [("履职效能", "94.98%"), ("　　整体效能", "92.20%"), ("　　专项效能", "97.76%"), ("管理效率", "98.92%"),
            ("　　预算编制", "100.00%"), ("　　预算执行", "100.00%"), ("　　信息公开", "100.00%"), ("　　绩效管理", "100.00%"),
            ("　　采购管理", "100.00%"), ("　　资产管理", "100.00%"), ("　　运行成本", "82.00%")],
    # 002 一（二）: 履职效能 49.69 of 50 (产出 20, 效益 20, 预算资金支出率 9.69 of 10); 管理效率 49.97 of 50 (采购管理 9.97 of 10)
    "002": [("履职效能", "99.38%"), ("　　部门整体绩效目标产出指标完成情况", "100.00%"), ("　　部门整体绩效目标效益指标完成情况", "100.00%"),
            ("　　部门预算资金支出率", "96.90%"), ("管理效率", "99.94%"), ("　　预算编制", "100.00%"), ("　　预算执行", "100.00%"),
            ("　　信息公开", "100.00%"), ("　　绩效管理", "100.00%"), ("　　采购管理", "99.70%"), ("　　资产管理", "100.00%"),
            ("　　运行成本", "100.00%")],
    # 004 三 self-scores over gd-municipal-2024's assumed weights: 预算编制 4 + 5 + 3 + 3 = 15 of 18, 目标设置 10 of 10
    # (25 of 28); 资金管理 20 of 22 … (40 of 42); 经济性 4 of 6 (三（三）1), the rest full (28 of 30); 加减分项 not drawn
    "004": [("预算编制情况", "89.29%"), ("　　预算编制", "83.33%"), ("　　目标设置", "100.00%"), ("预算执行情况", "95.24%"),
            ("　　资金管理", "90.91%"), ("　　项目管理", "100.00%"), ("　　资产管理", "100.00%"), ("　　人员管理", "100.00%"),
            ("　　制度管理", "100.00%"), ("预算使用效益", "93.33%"), ("　　经济性", "66.67%"), ("　　效率性", "100.00%"),
            ("　　效果性", "100.00%"), ("　　公平性", "100.00%")],
}


@pytest.mark.parametrize("number", sorted(SCORE_RATES))
def test_score_rate_bars_are_the_first_and_second_level_rates_with_the_top_grade_line(number: str) -> None:
    """One bar per 一级 and 二级 indicator (二级 indented), its 得分率 as label, and the dashed line at the framework's top
    grade (优 ≥ 90 in each shipped file's description)."""
    dept = seed(number)
    framework = load_framework(dept.evaluation.framework)
    ax = _only_axes(charts.score_rate_chart(score(dept, framework)))
    expected = SCORE_RATES[number]
    assert list(zip(_ticks(ax), _bar_labels(ax), strict=True)) == expected
    assert _values(ax) == pytest.approx([float(label.rstrip("%")) for _, label in expected], abs=0.005)
    top = framework.grades[0]
    assert (top.name, top.min) == ("优", Decimal(90)) and top.min is not None
    assert _reference_lines(ax) == [float(top.min)]
    assert ax.get_xlim() == (0, 115) and ax.get_xlabel() == "得分率（%）"


# --- every chart on every department -------------------------------------------------------------------------------


def test_every_drawn_chart_is_checked_by_its_plotted_data() -> None:
    covered = {("budget_vs_final", n) for n in DRAWN["budget_vs_final"]} | {("three_public_chart", n) for n in DRAWN["three_public_chart"]}
    assert covered == set(GROUPED)
    assert set(QUARTERLY) == DRAWN["quarterly_chart"] and set(KPI_BARS) == DRAWN["kpi_completion_chart"]
    assert set(COMPOSITION) == DRAWN["cost_composition_chart"]
    assert set(SCORE_RATES) == {n for n in SEEDS if seed(n).scores}  # 000 prints only its total: no 评分表


@pytest.mark.parametrize("number", sorted(SEEDS))
@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.__name__)
def test_renders_on_every_sample_department_without_warnings(chart: Callable[[DepartmentYear], Figure | None], number: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would raise here
        fig = chart(seed(number))
        assert (fig is not None) == (number in DRAWN[chart.__name__])
        if fig is not None:
            assert isinstance(fig, Figure) and _render(fig).startswith(b"\x89PNG")
            assert any("万元" in ax.get_xlabel() or "%" in ax.get_xlabel() + ax.get_ylabel() for ax in fig.axes)


@pytest.mark.parametrize("number", sorted(SCORE_RATES))
def test_score_rate_chart_renders_without_warnings(number: str) -> None:
    dept = seed(number)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = charts.score_rate_chart(score(dept, load_framework(dept.evaluation.framework)))
        assert fig is not None and _render(fig).startswith(b"\x89PNG")


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.__name__)
def test_a_department_without_the_data_gets_none(chart: Callable[[DepartmentYear], Figure | None]) -> None:
    empty = dataclasses.replace(seed("004"), funds=Funds(), expenditure=(), functional=(), costs=(), quarterly=(), kpis=(),
                                kpi_inputs=(), stated=())
    assert chart(empty) is None


def test_labels_are_chinese() -> None:
    fig = charts.kpi_completion_chart(seed("004"))
    assert fig is not None
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "工伤保险参保人数" in labels and fig.axes[0].get_title().startswith("绩效指标计划完成率")


def _dashed_x(fig: Figure) -> list[float]:
    """Where the chart's vertical dashed lines are drawn (x in %)."""
    return [float(line.get_xdata()[0]) for line in fig.axes[0].get_lines() if line.get_linestyle() == "--"]


def test_score_rate_line_is_the_frameworks_top_grade() -> None:
    card = score(seed("003"), load_framework("gd-municipal-2019"))
    fig = charts.score_rate_chart(card)
    assert fig is not None
    assert _dashed_x(fig) == [90.0]
    assert fig.axes[0].get_title() == "一级、二级指标得分率（虚线为 优（90%））"


def test_score_rate_line_follows_a_framework_of_other_grades() -> None:
    """A framework out of 120 whose top grade 甲 starts at 102 draws the line at 102 ÷ 120 = 85%, named 甲."""
    card = score(seed("003"), load_framework("gd-municipal-2019"))
    other = dataclasses.replace(card, max=Decimal(120), grades=(Grade("甲", Decimal(102)), Grade("乙")))
    fig = charts.score_rate_chart(other)
    assert fig is not None
    assert _dashed_x(fig) == [85.0]
    assert fig.axes[0].get_title() == "一级、二级指标得分率（虚线为 甲（85%））"
    single = charts.score_rate_chart(dataclasses.replace(card, grades=(Grade("合格"),)))  # no threshold, no line
    assert single is not None and _dashed_x(single) == [] and single.axes[0].get_title() == "一级、二级指标得分率"


def test_the_summary_heat_map_and_grade_chart_draw_every_cell_without_warnings() -> None:
    """A 3 × 2 得分率 matrix: one image, one number per present cell (the missing one left blank)."""
    import pandas as pd

    from auditkit.analyses.summary import RateMatrix

    matrix = RateMatrix("gd-municipal-2019", "市级", ("甲局", "乙局", "丙局"), (("A.1", "预算编制"), ("A.2", "目标设置")),
                        ((Decimal(100), Decimal("77.78")), (Decimal(50), None), (Decimal("62.5"), Decimal(90))))
    grades = pd.DataFrame({"指标体系": ["x"] * 3, "等级": ["优", "良", "未评定"], "部门数": [2, 1, 1], "占比": [50.0, 25.0, 25.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = charts.score_heatmap(matrix)
        fig.savefig(io.BytesIO(), format="png")
        bars = charts.grade_chart(grades)
        assert bars is not None
        bars.savefig(io.BytesIO(), format="png")
    ax = fig.axes[0]
    assert len(ax.images) == 1
    assert sorted(t.get_text() for t in ax.texts) == sorted(["100", "78", "50", "63", "90"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["甲局", "乙局", "丙局"]
    assert charts.grade_chart(grades.iloc[0:0]) is None


def test_the_heat_map_fits_the_page_so_its_labels_print_at_a_readable_size() -> None:
    """Review N7: at 16 in wide the 6.5 pt labels shrank to about 6 px in the page; now at most 8 in, labels ≥ 8 pt."""
    from auditkit.analyses.summary import RateMatrix

    indicators = tuple((f"A.{n}", f"指标{n}") for n in range(1, 13))
    matrix = RateMatrix("x", "市级部门整体支出绩效评价指标体系（2019，韶关）", ("甲局", "乙局", "丙局"), indicators,
                        tuple(tuple(Decimal(90) for _ in indicators) for _ in range(3)))
    fig = charts.score_heatmap(matrix)
    assert fig.get_figwidth() <= 8.0
    ax = fig.axes[0]
    assert min(t.get_fontsize() for t in ax.texts) >= 8
    assert min(t.get_fontsize() for t in [*ax.get_xticklabels(), *ax.get_yticklabels()]) >= 8
    assert "gd-" not in ax.get_title() and "韶关" in ax.get_title()
