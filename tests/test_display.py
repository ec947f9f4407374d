"""auditkit.report.display: figures printed as the reports print them, and one table look for every notebook."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest

from auditkit import parse_number
from auditkit.analyses.frames import frame
from auditkit.data.numbers import num, pct, wan
from auditkit.report.display import TableCounter, column_kind, table


def test_amounts_in_wan_with_thousands_separators_and_two_decimals() -> None:
    """003 表3 合计 调整预算 13,867.60; 004 功能分类 212 差异 −139.11."""
    assert wan(13867.6) == "13,867.60"
    assert wan(Decimal("36158.49")) == "36,158.49"
    assert wan(-139.11) == "-139.11"
    assert wan(parse_number("2,670.6")) == "2,670.60"
    assert wan(-0.001) == "0.00"  # never "-0.00"


def test_percentages_round_half_up_like_the_reports() -> None:
    """003 表4 促进创业人数 1,638 ÷ 1,600 = 102.375% is printed 102.38%; 003 一（四） 3.02%."""
    assert pct(1638 / 1600 * 100) == "102.38%"
    assert pct(Decimal("3.024175")) == "3.02%"
    assert pct(-46.359707) == "-46.36%"


@pytest.mark.parametrize("missing", [None, math.nan, float("nan"), pd.NA])
def test_missing_shows_a_dash_never_zero(missing: object) -> None:
    assert wan(missing) == pct(missing) == num(missing) == "—"


def test_other_figures_drop_decimals_only_when_whole() -> None:
    assert num(62.0) == "62" and num(95.81881) == "95.82" and num(Decimal(18278)) == "18,278"


def test_column_kinds_follow_the_labels() -> None:
    assert column_kind("执行率（决算/调整预算）") == "pct"
    assert column_kind("同比") == column_kind("公式计算值（%）") == column_kind("时间进度") == "pct"
    assert column_kind("差距（百分点）") == "points"
    assert column_kind("同比增减额") is None and column_kind("决算") is None


def _sample() -> pd.DataFrame:
    rows = [
        {"项目": "基本支出<script>alert(1)</script>", "决算": Decimal("2474.88"), "执行率（决算/调整预算）": Decimal(100), "上年决算": None},
        {"项目": "合计", "决算": Decimal("13867.60"), "执行率（决算/调整预算）": Decimal("100.0"), "上年决算": None},
    ]
    return frame(rows, ("项目", "决算", "执行率（决算/调整预算）", "上年决算", "备注"), required=("项目", "上年决算"), totals=[1])


def test_frame_keeps_only_columns_with_data_and_makes_floats() -> None:
    df = _sample()
    assert list(df.columns) == ["项目", "决算", "执行率（决算/调整预算）", "上年决算"]  # 备注 had no value
    assert df["决算"].dtype == float and df["决算"].iloc[1] == 13867.6
    assert df["上年决算"].isna().all()


def test_table_caption_formats_escaping_and_a_deterministic_id() -> None:
    html = table(_sample(), 3, "支出预决算情况表").to_html()
    assert "<caption>表3 支出预决算情况表（单位：万元）</caption>" in html
    assert 'id="T_ak-table-3"' in html and "T_ak-table-3 th" in html.replace("#", "")
    assert ">2,474.88<" in html and ">13,867.60<" in html and ">100.00%<" in html and ">—<" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "ak-num" in html and "ak-pct" in html and "ak-total" in html
    assert "Noto Sans CJK SC" in html and "border-collapse" in html
    assert table(_sample(), 3, "支出预决算情况表").to_html() == html  # no random T_xxxx ids


def test_table_with_a_unit_column_formats_each_row_in_its_unit() -> None:
    rows = [
        {"指标": "预算调整率", "数值": Decimal("3.024175"), "单位": "%"},
        {"指标": "支出同比增减额", "数值": Decimal("-24.02"), "单位": "万元"},
        {"指标": "公务接待人均费用", "数值": Decimal("95.818815"), "单位": "元/人次"},
        {"指标": "实有在职人数", "数值": Decimal(62), "单位": "人"},
    ]
    html = table(frame(rows, ("指标", "数值", "单位")), 1, "预算执行主要指标", unit=None).to_html()
    assert "<caption>表1 预算执行主要指标</caption>" in html
    assert ">3.02%<" in html and ">-24.02<" in html and ">95.82<" in html and ">62<" in html


def test_headers_are_escaped() -> None:
    df = pd.DataFrame({"<b>项目</b>": ["x"]})
    assert "&lt;b&gt;项目&lt;/b&gt;" in table(df, 1, "t").to_html()


def test_table_counter_numbers_tables_in_order() -> None:
    counter = TableCounter()
    first, second = counter.table(_sample(), "收入"), counter(_sample(), "支出", unit="%")
    assert "表1 收入（单位：万元）" in first.to_html() and "表2 支出（单位：%）" in second.to_html()
    assert counter.count == 2


def test_numpy_floats_round_half_up_too() -> None:
    """DataFrame cells are numpy floats: 1,638 ÷ 1,600 = 102.375% still prints 102.38%."""
    df = frame([{"计划完成率": Decimal("102.375")}], ("计划完成率",))
    assert pct(df["计划完成率"].iloc[0]) == "102.38%" and wan(df["计划完成率"].iloc[0]) == "102.38"


def test_status_cells_are_flagged() -> None:
    df = frame([{"指标名称": "工伤保险参保人数", "状态": "未达成"}, {"指标名称": "促进创业人数", "状态": "达成"}], ("指标名称", "状态"))
    html = table(df, 1, "绩效指标完成情况表", unit=None).to_html()
    assert 'class="data row0 col1 ak-short ak-flag-error" >未达成<' in html
    assert 'class="data row1 col1 ak-short" >达成<' in html
