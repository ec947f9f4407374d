"""auditkit.analyses.budget: the budget chain, headline indicators and quarterly execution reproduce the seeds' own arithmetic.

Golden figures cite the seed file (000…004, see /work/shared/seeds/README.md) and its section or table. Values are
compared as the report prints them (pct / wan: two decimals, half-up).
"""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal

import pandas as pd
import pytest

from auditkit.analyses.budget import (
    budget_findings,
    budget_indicators,
    expenditure_chain,
    functional_variance,
    income_table,
    quarterly_execution,
)
from auditkit.data.model import Quarter
from auditkit.data.numbers import parse_number, pct, wan
from tests.conftest import SEEDS, bare, seed


def indicator(df: pd.DataFrame, name: str) -> pd.Series:
    return df.set_index("指标").loc[name]


# --- 003: the chain 年初预算 → 涉改调整 / 财政直接调整 → 剔除后预算 → 调整预算 → 决算 -----------------------------


def test_expenditure_chain_of_003() -> None:
    """003 表3 and 一（四）: 预算调整率 (13,867.60 − 13,460.53) ÷ 13,460.53 = 3.02%, 预算完成率 100%."""
    df = expenditure_chain(seed("003"))
    assert list(df.columns[:7]) == ["项目", "年初预算", "涉改调整", "财政直接调整", "剔除后预算", "调整预算", "决算"]
    total = df.loc["合计"]
    assert wan(total["剔除后预算"]) == "13,460.53" and wan(total["调整预算"]) == "13,867.60"
    assert pct(total["预算调整率（较剔除后预算）"]) == "3.02%"
    assert pct(total["执行率（决算/调整预算）"]) == "100.00%"
    assert wan(total["预决算差异（调整预算−决算）"]) == "0.00"
    # 年初预算 still holds the 22,697.96 万元 moved out by the reform and the finance bureau: 38.35% of it was spent
    assert pct(total["执行率（决算/年初预算）"]) == "38.35%"
    assert df.loc["人员经费", "项目"] == "\u3000人员经费" and df.loc["基本建设类项目", "项目"] == "\u3000其中：基本建设类项目"
    # 表3 leaves 财政直接调整 empty on 基本支出: missing, not zero
    assert math.isnan(df.loc["基本支出", "财政直接调整"])
    assert pct(df.loc["基本支出", "预算调整率（较剔除后预算）"]) == "52.98%"  # 1,617.77 → 2,474.88


def test_income_table_of_003() -> None:
    """003 表2: 一般公共预算财政拨款收入 36,158.49 / 13,867.60 / 13,867.60; the zero lines are printed 0.00."""
    df = income_table(seed("003"))
    assert pct(df.loc["合计", "执行率（决算/调整预算）"]) == "100.00%"
    assert df.loc["事业收入", "决算"] == 0.0 and math.isnan(df.loc["事业收入", "执行率（决算/调整预算）"])
    assert "涉改调整" not in df.columns  # the income table has no adjustment columns


def test_budget_indicators_of_003() -> None:
    """003 一（四） 3.02%; 二（三）1.(1) 预算支出率 100%; 1.(2) 结转结余率 0; 1.(3) 2,670.6 vs 4,978.72 → −46.36%."""
    df = budget_indicators(seed("003"))
    assert pct(indicator(df, "预算调整率")["数值"]) == "3.02%"
    assert pct(indicator(df, "预算执行率（决算/调整预算）")["数值"]) == "100.00%"
    assert pct(indicator(df, "结转结余率")["数值"]) == "0.00%"
    assert pct(indicator(df, "存量资金变动率")["数值"]) == "-46.36%"
    assert "13,460.53" in indicator(df, "预算调整率")["公式/口径"]
    special = indicator(df, "专项资金支出率")
    assert math.isnan(special["数值"]) and "未列示专项资金支出数、专项资金下达数" in special["说明"]


# --- 000: year on year -------------------------------------------------------------------------------------------


def test_year_on_year_of_000() -> None:
    """000 一（四）: 收入 1,087.17 vs 1,309.60 → −222.43, −16.98%; 支出 1,114.44 vs 1,138.46 → −24.02, −2.11%.

    000 二（三）7 states the fall in 支出 as 24.01 万元: wrong, 1,138.46 − 1,114.44 = 24.02 (as 一（四） says).
    """
    dept = seed("000")
    income, expenditure = income_table(dept).loc["收入合计"], expenditure_chain(dept).loc["支出合计"]
    assert wan(income["同比增减额"]) == "-222.43" and pct(income["同比增减率"]) == "-16.98%"
    assert wan(expenditure["同比增减额"]) == "-24.02" and pct(expenditure["同比增减率"]) == "-2.11%"
    df = budget_indicators(dept)
    assert pct(indicator(df, "收入同比增减率")["数值"]) == "-16.98%"
    assert wan(indicator(df, "支出同比增减额")["数值"]) == "-24.02"
    # no budget in the data: the execution rates are missing, with the reason
    assert "未列示调整预算" in indicator(df, "预算执行率（决算/调整预算）")["说明"]


def test_quarterly_average_of_000_is_shown_as_stated() -> None:
    """000 二（三）2: 四个季度平均执行率 51.30% vs the time benchmark's average 62.5%; the quarters are not in the data."""
    df = quarterly_execution(seed("000"))
    assert len(df) == 1
    row = df.iloc[0]
    assert "报告列示" in row["季度"] and "未列各季度" in row["说明"]
    assert pct(row["累计执行率"]) == "51.30%" and pct(row["时间进度"]) == "62.50%"
    assert row["差距（百分点）"] == pytest.approx(-11.2) and row["是否滞后"] == "是"
    assert any("51.30%" in f and "62.50%" in f for f in budget_findings(seed("000")))
    assert "报告列示 51.30%" in indicator(budget_indicators(seed("000")), "季度平均执行率")["说明"]


def test_quarterly_execution_from_quarters_flags_the_lagging_ones() -> None:
    """Quarters averaging 51.30% (as 000's) against 25/50/75/100%: the first three lag, the fourth is on time."""
    rates = ["10.2%", "35.0%", "60.0%", "100%"]
    quarters = tuple(Quarter(i + 1, parse_number(r)) for i, r in enumerate(rates))  # type: ignore[arg-type]
    dept = dataclasses.replace(seed("000"), quarterly=quarters)
    df = quarterly_execution(dept)
    assert list(df["是否滞后"]) == ["是", "是", "是", "否", "是"]
    assert list(df["时间进度"]) == [25, 50, 75, 100, 62.5]
    assert pct(df.iloc[-1]["累计执行率"]) == "51.30%" and df.iloc[-1]["季度"] == "四个季度平均"
    assert "说明" not in df.columns
    assert any(f.startswith("累计执行率低于时间进度的季度：第1季度 10.20%") for f in budget_findings(dept))


def test_quarterly_benchmark_is_a_setting() -> None:
    """Other provinces warn at 25/40/60/80% (domain-notes): 35% by June is then not a lag."""
    quarters = (Quarter(2, parse_number("35%")),)  # type: ignore[arg-type]
    dept = dataclasses.replace(seed("000"), quarterly=quarters)
    warn_levels = {1: Decimal(25), 2: Decimal(40), 3: Decimal(60), 4: Decimal(80)}
    assert quarterly_execution(dept, warn_levels).iloc[0]["是否滞后"] == "是"
    stated_benchmark = (Quarter(2, parse_number("35%"), parse_number("30%")),)  # type: ignore[arg-type]
    assert quarterly_execution(dataclasses.replace(dept, quarterly=stated_benchmark)).iloc[0]["是否滞后"] == "否"


# --- 001: special funds ------------------------------------------------------------------------------------------


def test_special_funds_of_001() -> None:
    """001 二（二）2.(2): 2,445.41 of 2,500 → 97.82%; 二（二）1.(3) 平均支出进度 38.12% is stated, not in the data."""
    df = budget_indicators(seed("001"))
    assert pct(indicator(df, "专项资金支出率")["数值"]) == "97.82%"
    assert pct(quarterly_execution(seed("001")).iloc[0]["累计执行率"]) == "38.12%"
    assert wan(expenditure_chain(seed("001")).loc["支出合计", "决算"]) == "4,039.71"


# --- 004: the 功能分类 table ---------------------------------------------------------------------------------------

FUNCTIONAL_004 = [  # 004 一（二）2.(1) 预决算差异表: 科目, 预决算差异金额, 预算执行情况 ("-" where the budget is 0.00)
    ("201", "1.80", "10.00%"),
    ("206", "4.12", "79.40%"),
    ("208", "299.49", "90.42%"),
    ("210", "23.65", "59.15%"),
    ("212", "-139.11", "—"),
    ("221", "21.95", "81.51%"),
    ("229", "-0.53", "—"),
    ("合计", "212.65", "93.61%"),
]


@pytest.mark.parametrize(("code", "difference", "rate"), FUNCTIONAL_004)
def test_functional_variance_of_004(code: str, difference: str, rate: str) -> None:
    """004 一（二）2.(1): 预决算差异 = 预算数 − 决算数, 预算执行情况 = 决算数 ÷ 预算数 (the 年初预算, see notes.csv).

    221 uses the table's 决算 96.78 (the text's 95.50 disagrees; reconciling them is the reconciliation's job).
    """
    row = functional_variance(seed("004")).loc[code]
    assert wan(row["预决算差异（年初预算−决算）"]) == difference
    assert pct(row["执行率（决算/年初预算）"]) == rate
    assert "执行率（决算/调整预算）" not in row.index  # 004 gives no 调整预算


def test_year_on_year_and_execution_of_004() -> None:
    """004 一（二）2: 3,113.18 vs 上年 4,469.60 → −1,356.42, 减幅 30.35%; 3,325.83 → 3,113.18 is 93.61%.

    004 三（二）1.(1) states 94.16% on 3,296.95 / 3,104.33 and 1.(2) 86.49%: neither pair is in the tables, so the
    function reports the rate of the figures it has, against 年初预算, and no rate against 调整预算.
    """
    df = budget_indicators(seed("004"))
    assert wan(indicator(df, "支出同比增减额")["数值"]) == "-1,356.42"
    assert pct(indicator(df, "支出同比增减率")["数值"]) == "-30.35%"
    assert pct(indicator(df, "预算执行率（决算/年初预算）")["数值"]) == "93.61%"
    assert math.isnan(indicator(df, "预算执行率（决算/调整预算）")["数值"])
    assert math.isnan(indicator(df, "存量资金变动率")["数值"])  # 年末 0 printed, 上年末 not given


def test_findings_of_004_name_the_lines_below_90_percent_and_the_unbudgeted_spending() -> None:
    findings = budget_findings(seed("004"))
    assert any("201 一般公共服务支出 10.00%" in f and "210 卫生健康支出 59.15%" in f and "208" not in f for f in findings)
    assert any(f.startswith("未列入年初预算而有支出") and "212 城乡社区支出 139.11 万元" in f for f in findings)
    assert not any("预算调整率" in f for f in findings)


def test_findings_of_003_explain_the_removed_funds_and_the_moved_lines() -> None:
    """003 一（四）: 4,994.40 + 17,703.56 = 22,697.96 of 36,158.49 (62.77%) removed; the adjustment rate is 3.02%."""
    findings = budget_findings(seed("003"))
    assert any("22,697.96" in f and "62.77%" in f for f in findings)
    assert any("基本支出 52.98%" in f for f in findings)
    assert not any("执行率" in f for f in findings)  # 100% against 调整预算


# --- every department, and one with (almost) nothing -------------------------------------------------------------

FUNCTIONS = [income_table, expenditure_chain, functional_variance, budget_indicators, quarterly_execution, budget_findings]


@pytest.mark.parametrize("number", sorted(SEEDS))
@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_runs_on_every_sample_department(number: str, function: object) -> None:
    result = function(seed(number))  # type: ignore[operator]
    assert isinstance(result, (pd.DataFrame, list))


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_runs_on_a_department_with_the_optional_tables_absent(function: object) -> None:
    result = function(bare(seed("003")))  # type: ignore[operator]
    if isinstance(result, list):
        assert result == []
    elif function is budget_indicators:
        assert result["数值"].isna().all() and result["说明"].str.startswith("未列示").all()
    else:
        assert len(result) == 0
