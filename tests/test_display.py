"""auditkit.report.display: figures printed as the reports print them, and one table look for every notebook."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest

from auditkit import parse_number
from auditkit.analyses.frames import frame
from auditkit.data.numbers import num, pct, wan
from auditkit.report.blocks import Cell, from_json, html, to_json
from auditkit.report.display import chinese_numeral, column_kind, table


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


def test_a_table_is_printed_cells_with_its_caption_unit_and_totals() -> None:
    """003 表3: 基本支出 决算 2,474.88, 合计 13,867.60 (bold), 执行率 100.00%; a missing figure prints —."""
    block = table(_sample(), 3, "支出预决算情况表")
    assert block.caption == "表3 支出预决算情况表" and block.unit == "万元" and block.totals == (1,)
    assert block.columns == ("项目", "决算", "执行率（决算/调整预算）", "上年决算")
    assert block.rows[1] == (Cell("合计", "label"), Cell("13,867.60", "num"), Cell("100.00%", "pct"), Cell("—", "short"))
    page = html([block])
    assert '<caption>表3 支出预决算情况表<span class="ak-unit">单位：万元</span></caption>' in page
    assert '<tr class="ak-total"><td class="ak-label">合计</td><td class="ak-num">13,867.60</td>' in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert html([table(_sample(), 3, "支出预决算情况表")]) == page  # the same table, the same bytes


def test_a_table_survives_its_json_form_unchanged() -> None:
    """The Word document reads tables back from the executed notebook's JSON: nothing may be lost on the way."""
    block = table(_sample(), 3, "支出预决算情况表", note="备注：调整预算数和决算数，来源于决算表格。")
    assert from_json(to_json(block)) == block


def test_table_with_a_unit_column_formats_each_row_in_its_unit() -> None:
    rows = [
        {"指标": "预算调整率", "数值": Decimal("3.024175"), "单位": "%"},
        {"指标": "支出同比增减额", "数值": Decimal("-24.02"), "单位": "万元"},
        {"指标": "公务接待人均费用", "数值": Decimal("95.818815"), "单位": "元/人次"},
        {"指标": "实有在职人数", "数值": Decimal(62), "单位": "人"},
    ]
    block = table(frame(rows, ("指标", "数值", "单位")), 1, "预算执行主要指标", unit=None)
    assert block.unit is None and "ak-unit" not in html([block])
    # the percentage is printed once: 3.02 beside 单位 %, never 3.02% beside % (issue 14: 004 表3 93.61%)
    assert [row[1].text for row in block.rows] == ["3.02", "-24.02", "95.82", "62"]


def test_headers_are_escaped() -> None:
    df = pd.DataFrame({"<b>项目</b>": ["x"]})
    assert "&lt;b&gt;项目&lt;/b&gt;" in html([table(df, 1, "t")])


def test_numpy_floats_round_half_up_too() -> None:
    """DataFrame cells are numpy floats: 1,638 ÷ 1,600 = 102.375% still prints 102.38%."""
    df = frame([{"计划完成率": Decimal("102.375")}], ("计划完成率",))
    assert pct(df["计划完成率"].iloc[0]) == "102.38%" and wan(df["计划完成率"].iloc[0]) == "102.38"


def test_status_cells_are_flagged() -> None:
    df = frame([{"指标名称": "工伤保险参保人数", "状态": "未达成"}, {"指标名称": "促进创业人数", "状态": "达成"}], ("指标名称", "状态"))
    block = table(df, 1, "绩效指标完成情况表", unit=None)
    assert [row[1].flag for row in block.rows] == ["error", None]
    assert 'class="ak-short ak-flag-error">未达成<' in html([block])


@pytest.mark.parametrize(("n", "numeral"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三"), (99, "九十九")])
def test_chinese_numerals_number_headings(n: int, numeral: str) -> None:
    assert chinese_numeral(n) == numeral


def test_chinese_numerals_refuse_what_headings_never_reach() -> None:
    with pytest.raises(ValueError, match="1 至 99"):
        chinese_numeral(100)
