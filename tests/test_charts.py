"""auditkit.report.charts: every chart renders on every sample department with no warning (a missing CJK glyph warns)."""

from __future__ import annotations

import dataclasses
import io
import warnings
from collections.abc import Callable
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
import pytest
from matplotlib.figure import Figure

from auditkit import charts
from auditkit.data.model import DepartmentYear, Funds
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
