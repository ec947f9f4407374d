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
from auditkit.analyses.frames import TOTAL_ROWS
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


def test_the_stated_change_is_shown_where_the_prior_year_is_not_printed() -> None:
    """001 一（四）: 收入 3,998.03 万元 "较上年增加 2803.41 万元", 支出 4,039.71 "较上年增加 1982.16 万元", no 上年决算: the
    增减额 is the report's, and the rate follows from it as the reconciliation computes it, 2,803.41 ÷ (3,998.03 −
    2,803.41) = 234.67% (never "未列示上年收入决算，无法计算" beside a figure the report states)."""
    df = budget_indicators(seed("001"))
    amount, rate = indicator(df, "收入同比增减额"), indicator(df, "收入同比增减率")
    assert wan(amount["数值"]) == "2,803.41" and "报告列示" in amount["公式/口径"] and "001 一（四）" in amount["说明"]
    assert pct(rate["数值"]) == "234.67%" and "无法计算" not in rate["说明"]
    assert wan(indicator(df, "支出同比增减额")["数值"]) == "1,982.16"


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


#: Per line table and seed: the rows (the department's lines of that table, in order), the 合计 row (None where the
#: data has none) and one line's figure as the seed prints it.
LINE_TABLES: dict[tuple[str, str], tuple[int, str | None, tuple[str, str, str] | None]] = {
    # 000 一（四）: 2021 年收入 1087.17 万元，支出 1114.44 万元 (totals only)
    ("income_table", "000"): (1, "收入合计", ("收入合计", "决算", "1,087.17")),
    ("expenditure_chain", "000"): (1, "支出合计", ("支出合计", "决算", "1,114.44")),
    ("functional_variance", "000"): (0, None, None),
    # 001 一（四）: 收入共 3998.03 万元，其中财政拨款收入 3997.62 万元，利息收入 0.41 万元; 支出共 4039.71 万元，其中基本支出
    # 502.42 万元，项目支出 3537.29 万元 (决算 only)
    ("income_table", "001"): (3, "收入合计", ("财政拨款收入", "决算", "3,997.62")),
    ("expenditure_chain", "001"): (3, "支出合计", ("项目支出", "决算", "3,537.29")),
    ("functional_variance", "001"): (0, None, None),
    # 002 prints no budget table at all (only the rate 96.92% in 一（二）, a stated figure)
    ("income_table", "002"): (0, None, None),
    ("expenditure_chain", "002"): (0, None, None),
    ("functional_variance", "002"): (0, None, None),
    # 003 表2: 七 income lines and 合计 (一般公共预算财政拨款收入 36,158.49 / 13,867.60 / 13,867.60); 表3: 基本支出 (人员经费,
    # 日常公用经费), 项目支出 (其中 基本建设类项目), 上缴上级支出, 经营支出, 对附属单位补助支出 and 合计
    ("income_table", "003"): (8, "合计", ("一般公共预算财政拨款收入", "年初预算", "36,158.49")),
    ("expenditure_chain", "003"): (9, "合计", ("项目支出", "剔除后预算", "11,842.76")),
    ("functional_variance", "003"): (0, None, None),
    # 004 一（二）1–2: 收入支出 printed as one total (年初预算 3325.83, 执行数 3113.18), entered as 支出; 一（二）2.(1): seven
    # 科目 and 合计 (208 社会保障和就业支出 预算 3127.20, 决算 2827.71)
    ("income_table", "004"): (0, None, None),
    ("expenditure_chain", "004"): (1, "支出合计", ("支出合计", "决算", "3,113.18")),
    ("functional_variance", "004"): (8, "合计", ("208", "决算", "2,827.71")),
}


def test_every_seed_has_its_expected_budget_figures() -> None:
    assert {n for _, n in LINE_TABLES} == set(INDICATORS) == set(QUARTERS_AND_FINDINGS) == set(SEEDS)
    assert {f for f, _ in LINE_TABLES} == {"income_table", "expenditure_chain", "functional_variance"}


@pytest.mark.parametrize(("function", "number"), LINE_TABLES, ids=[f"{f}-{n}" for f, n in LINE_TABLES])
def test_line_tables_of_every_sample_department(function: str, number: str) -> None:
    """One row per line of the department's table, the 合计 row marked as the total, and a named line's figure as the
    seed prints it (LINE_TABLES cites the seed and section of each)."""
    rows, total, named = LINE_TABLES[function, number]
    dept = seed(number)
    df = {"income_table": income_table, "expenditure_chain": expenditure_chain,
          "functional_variance": functional_variance}[function](dept)
    table = {"income_table": dept.income, "expenditure_chain": dept.expenditure, "functional_variance": dept.functional}
    assert len(df) == rows == len(table[function])
    assert list(df.index) == [b.code or b.name for b in table[function]]
    if total is None:
        assert df.attrs[TOTAL_ROWS] == []
    else:
        assert [df.index[i] for i in df.attrs[TOTAL_ROWS]] == [total] and df.index[-1] == total
    if named is not None:
        line, column, printed = named
        assert wan(df.loc[line, column]) == printed


#: Per seed: how many headline indicators, and one of them as the seed prints it ("—" where none can be computed).
INDICATORS = {
    "000": (11, "支出同比增减率", "-2.11%"),  # 000 一（四）: 支出减少 24.02 万元，减少 2.11%; + the stated quarterly average
    "001": (11, "专项资金支出率", "97.82%"),  # 001 二（二）2.(2): 2,445.41 of 2,500; + the stated quarterly average 38.12%
    "002": (10, None, "—"),  # no table: every indicator is missing, with the reason
    "003": (10, "预算调整率", "3.02%"),  # 003 一（四）: (13,867.60 − 13,460.53) ÷ 13,460.53
    "004": (10, "预算执行率（决算/年初预算）", "93.61%"),  # 004 一（二）2.(1): 3,113.18 ÷ 3,325.83
}


@pytest.mark.parametrize("number", sorted(INDICATORS))
def test_budget_indicators_of_every_sample_department(number: str) -> None:
    """The headline indicators of each seed, one of them as the seed prints it (INDICATORS cites the section)."""
    rows, name, printed = INDICATORS[number]
    df = budget_indicators(seed(number))
    assert len(df) == rows
    assert df.loc[df["数值"].isna(), "说明"].str.startswith("未列示").all()  # a missing value names its missing inputs
    if name is None:
        assert df["数值"].isna().all()
    else:
        assert pct(indicator(df, name)["数值"]) == printed


#: Per seed: the quarterly rows (the stated average only: no seed prints the four quarters) and the findings, each
#: by a figure it must name.
QUARTERS_AND_FINDINGS: dict[str, tuple[str | None, list[str]]] = {
    "000": ("51.30%", ["51.30%"]),  # 000 二（三）2: 四个季度平均执行率 51.30%, below the 62.50% benchmark
    "001": ("38.12%", ["38.12%"]),  # 001 二（二）1.(3): 平均支出进度 38.12%
    "002": (None, []),
    # 003 一（四）: 22,697.96 万元 (62.77% of 年初预算) moved out; 表3: 基本支出 1,617.77 → 2,474.88 (+52.98%),
    # 人员经费 1,399.28 → 2,264.11 (+61.81%); 执行率 100%, so no execution finding
    "003": (None, ["22,697.96", "基本支出 52.98%、人员经费 61.81%"]),
    # 004 一（二）2.(1): 201 10.00%, 206 79.40%, 210 59.15%, 221 81.51% below 90%; 212 and 229 spent with no budget
    "004": (None, ["201 一般公共服务支出 10.00%、206 科学技术支出 79.40%、210 卫生健康支出 59.15%、221 住房保障支出 81.51%",
                   "212 城乡社区支出 139.11 万元、229 其他 0.53 万元"]),
}


@pytest.mark.parametrize("number", sorted(QUARTERS_AND_FINDINGS))
def test_quarters_and_findings_of_every_sample_department(number: str) -> None:
    """Each seed's quarterly rows against the 62.50% benchmark average, and each finding by a figure it must name
    (QUARTERS_AND_FINDINGS cites the section)."""
    average, named = QUARTERS_AND_FINDINGS[number]
    quarters = quarterly_execution(seed(number))
    if average is None:
        assert len(quarters) == 0
    else:
        assert len(quarters) == 1 and pct(quarters.iloc[0]["累计执行率"]) == average
        assert pct(quarters.iloc[0]["时间进度"]) == "62.50%" and quarters.iloc[0]["是否滞后"] == "是"
    findings = budget_findings(seed(number))
    assert len(findings) == len(named)
    for finding, figure in zip(findings, named, strict=True):
        assert figure in finding


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_runs_on_a_department_with_the_optional_tables_absent(function: object) -> None:
    result = function(bare(seed("003")))  # type: ignore[operator]
    if isinstance(result, list):
        assert result == []
    elif function is budget_indicators:
        assert result["数值"].isna().all() and result["说明"].str.startswith("未列示").all()
    else:
        assert len(result) == 0
