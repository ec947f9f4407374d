"""auditkit.analyses.costs: composition, 三公经费, 公用经费 / 会议费 / 培训费, and unit costs from the seeds' data.

Golden figures cite the seed (000…004) and its section. Where a seed's own figure is wrong the test asserts the
correct recomputation and says so.
"""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal

import pandas as pd
import pytest

from auditkit.analyses.costs import (
    cost_findings,
    expenditure_composition,
    headcount,
    operating_costs,
    three_public_costs,
    unit_costs,
)
from auditkit.analyses.intervals import Interval
from auditkit.data.model import BudgetLine
from auditkit.data.numbers import parse_number, pct, wan
from tests.conftest import SEEDS, bare, seed


def indicator(df: pd.DataFrame, name: str) -> pd.Series:
    return df.set_index("指标").loc[name]


# --- 三公经费 --------------------------------------------------------------------------------------------------------


def test_three_public_costs_of_000() -> None:
    """000 二（三）7.(1): 公务用车运行维护费 1.63, 公务接待费 0.12, 三公经费 1.75 of 5.14 budgeted (控制率 34.05%)."""
    df = three_public_costs(seed("000"))
    assert wan(df.loc["公务用车运行维护费", "决算"]) == "1.63" and wan(df.loc["公务接待费", "决算"]) == "0.12"
    assert wan(df.loc["三公经费", "决算"]) == "1.75" and wan(df.loc["三公经费", "年初预算"]) == "5.14"
    assert pct(df.loc["三公经费", "控制率（决算/年初预算）"]) == "34.05%"
    # 二（三）7.(1) states +17.19% on 公务用车运行维护费 but no prior-year amount is in the data: no 同比 is computed.
    # (That 17.19% is wrong by the seed's own figures: +0.36 on 1.63 means 0.36 ÷ 1.27 = 28.35%; see notes.csv.)
    assert "同比增减率" not in df.columns and "上年决算" not in df.columns


def test_three_public_costs_of_003_001_004() -> None:
    """003 二（四）1.(2) 7.5 of 9 → 83.33% (因公出国（境）费 0 of 1.5); 001 二（三）7 0.78 of 33.08 → 2.36%;
    004 三（三）1.(2) 8.09 of 15.90 → 50.88%."""
    df = three_public_costs(seed("003"))
    assert pct(df.loc["三公经费", "控制率（决算/年初预算）"]) == "83.33%"
    assert pct(df.loc["因公出国（境）费", "控制率（决算/年初预算）"]) == "0.00%"
    assert math.isnan(df.loc["公务接待费", "决算"])  # not split in the report: missing, not zero
    assert pct(three_public_costs(seed("001")).loc["三公经费", "控制率（决算/年初预算）"]) == "2.36%"
    assert pct(three_public_costs(seed("004")).loc["三公经费", "控制率（决算/年初预算）"]) == "50.88%"


# --- 公用经费, 会议费, 培训费 ----------------------------------------------------------------------------------------


def test_operating_costs_of_004_and_003() -> None:
    """004 三（三）1.(1): 公用经费 70.23 of 94.50 → 74.32%, 差异 24.27. 003 二（四）1.(1): 210.77 of 调整后 214.5 → 98.26%;
    214.5 is 003's 年初 245 − 划出 30.5, a 剔除后 budget, never headed 调整预算 (表3's 调整预算数 is 210.77)."""
    row = operating_costs(seed("004")).loc["公用经费"]
    assert pct(row["控制率（决算/年初预算）"]) == "74.32%" and wan(row["预决算差异（年初预算−决算）"]) == "24.27"
    shaoguan = operating_costs(seed("003"))
    assert pct(shaoguan.loc["公用经费", "控制率（决算/剔除后预算）"]) == "98.26%"
    assert wan(shaoguan.loc["公用经费", "剔除后预算"]) == "214.50" and "调整预算" not in shaoguan.columns


def test_meeting_and_training_costs_of_000() -> None:
    """000 二（三）7.(2)–(3): 会议费 2.75, 培训费 8.84. Their stated growth (44.39%, 170.40%) rests on prior-year
    amounts the report does not print, so no 同比 is computed (never a zero)."""
    df = operating_costs(seed("000"))
    assert list(df.index) == ["会议费", "培训费"] and wan(df.loc["培训费", "决算"]) == "8.84"
    assert "同比增减率" not in df.columns


def test_year_on_year_of_a_cost_when_the_prior_year_is_given() -> None:
    """000 二（三）7.(2): 会议费 2.75 vs 1.91 (2.75 − 0.84) → +43.98%: with a prior year in the data, 同比 appears."""
    lines = tuple(dataclasses.replace(b, prior_final=parse_number("1.91")) if b.name == "会议费" else b for b in seed("000").costs)
    dept = dataclasses.replace(seed("000"), costs=lines)
    row = operating_costs(dept).loc["会议费"]
    assert wan(row["同比增减额"]) == "0.84" and pct(row["同比增减率"]) == "43.98%"
    assert "较上年增长的费用：会议费 43.98%。" in cost_findings(dept)


# --- composition --------------------------------------------------------------------------------------------------


def test_composition_of_003() -> None:
    """003 表3: 基本支出 2,474.88 and 项目支出 11,392.72 of 13,867.60; 人员经费 2,264.11 of 基本支出."""
    df = expenditure_composition(seed("003")).set_index("项目")
    assert pct(df.loc["基本支出", "占比"]) == "17.85%" and pct(df.loc["项目支出", "占比"]) == "82.15%"
    assert pct(df.loc["人员经费", "占比"]) == "91.48%" and df.loc["人员经费", "占比口径"] == "占基本支出"
    assert "上缴上级支出" not in df.index  # a 0.00 line has no share worth showing


def test_composition_of_004_by_function() -> None:
    """004 一（二）2.(2): 社会保障和就业支出 2,827.71 of 3,113.18 → 90.83%."""
    df = expenditure_composition(seed("004")).set_index("项目")
    assert pct(df.loc["208 社会保障和就业支出", "占比"]) == "90.83%"
    assert set(df["构成"]) == {"按功能分类"}


# --- per capita and per unit --------------------------------------------------------------------------------------


def test_headcount() -> None:
    """003 二（三）4: 47 + 10 + 5 = 62 in post; 004 一（一）3.(2): 实有在职人员 80 (the 合计 row; 退休 24 not counted)."""
    assert headcount(seed("003")) == 62 and headcount(seed("004")) == 80
    assert headcount(seed("000")) is None


def test_unit_costs_of_004() -> None:
    """004 三（三）1.(2): 公务接待 2.75 万元 for 287 人次 → 95.82 元/人次; 公用经费 70.23 ÷ 80 → 0.88 万元/人.

    The seed prints 95.72 元/人次: not 2.75 ÷ 287, but possible within the rounding of 2.75 (any amount printing as
    2.75 gives 95.64–95.99), so the report used an unrounded amount. Computed from the printed data it is 95.82.
    """
    df = unit_costs(seed("004"))
    reception = df[df["指标"] == "公务接待人均费用"].iloc[0]
    assert f"{reception['数值']:.2f}" == "95.82" and reception["单位"] == "元/人次" and reception["来源"] == "计算"
    assert Decimal("95.72") in Interval.of(parse_number("2.75")) * 10000 / 287  # type: ignore[arg-type]
    stated = df[df["来源"].str.startswith("报告列示")].iloc[0]
    assert (stated["数值"], stated["单位"]) == (95.72, "元/人次")
    assert wan(indicator(df, "人均公用经费")["数值"]) == "0.88"
    assert f"{indicator(df, '车均运行维护费')['数值']:.2f}" == "1.78"  # 5.35 ÷ 3 vehicles


def test_unit_costs_of_003_and_001() -> None:
    """003: 公用经费 210.77 ÷ 62 = 3.40 万元/人, ÷ 39,250.20 m² = 53.70 元/m². 001 二（三）7: only the report's own
    per-unit figures (人均公用经费支出 2.00 万元 …), labelled as stated: 001 has no staffing in the data."""
    df = unit_costs(seed("003"))
    assert wan(indicator(df, "人均公用经费")["数值"]) == "3.40"
    assert wan(indicator(df, "单位面积公用经费")["数值"]) == "53.70"
    stated = unit_costs(seed("001"))
    assert (stated["来源"] == "报告列示（001 二（三）7 一是）").all() and len(stated) == 6
    assert wan(indicator(stated, "人均公用经费支出")["数值"]) == "2.00"


# --- findings -------------------------------------------------------------------------------------------------------


def test_findings_flag_a_cost_over_budget() -> None:
    over = BudgetLine("公用经费", initial=parse_number("94.50"), final=parse_number("101.20"))
    dept = dataclasses.replace(seed("004"), costs=(over,))
    assert "公用经费决算 101.20 万元超过年初预算 94.50 万元（控制率 107.09%）。" in cost_findings(dept)


# --- every department, and one with (almost) nothing ----------------------------------------------------------------

FUNCTIONS = [expenditure_composition, three_public_costs, operating_costs, unit_costs, cost_findings]


#: Per seed: the composition rows (构成, 项目) and one share as the report would print it.
COMPOSITION: dict[str, tuple[list[tuple[str, str]], tuple[str, str] | None]] = {
    "000": ([], None),  # 000 一（四）: totals only, no split of the 1,114.44
    # 001 一（四）: 基本支出 502.42 + 项目支出 3537.29 = 4039.71 → 12.44% / 87.56%
    "001": ([("按支出类型", "基本支出"), ("按支出类型", "项目支出")], ("基本支出", "12.44%")),
    "002": ([], None),  # no budget table
    # 003 表3: 基本支出 2,474.88 and 项目支出 11,392.72 of 13,867.60; 人员经费 2,264.11 and 日常公用经费 210.77 of 基本支出
    # (the 0.00 lines 上缴上级支出, 经营支出, 对附属单位补助支出 have no share)
    "003": ([("按支出类型", "基本支出"), ("按支出类型", "项目支出"), ("按经济分类（基本支出）", "人员经费"),
             ("按经济分类（基本支出）", "日常公用经费")], ("项目支出", "82.15%")),
    # 004 一（二）2.(2): the seven 科目 of 3,113.18, 社会保障和就业支出 2,827.71 → 90.83%
    "004": ([("按功能分类", f"{code} {name}") for code, name in (
        ("201", "一般公共服务支出"), ("206", "科学技术支出"), ("208", "社会保障和就业支出"), ("210", "卫生健康支出"),
        ("212", "城乡社区支出"), ("221", "住房保障支出"), ("229", "其他"))], ("208 社会保障和就业支出", "90.83%")),
}

#: Per seed: the 三公经费 rows (the item and its sub-items, as the costs table lists them) and one 决算 as printed.
THREE_PUBLIC: dict[str, tuple[list[str], tuple[str, str] | None]] = {
    # 000 二（三）7.(1): 三公经费 1.75 = 公务用车运行维护费 1.63 + 公务接待费 0.12 (购置 not printed: a structure row)
    "000": (["三公经费", "公务用车购置及运行维护费", "公务用车运行维护费", "公务接待费"], ("公务用车运行维护费", "1.63")),
    "001": (["三公经费"], ("三公经费", "0.78")),  # 001 二（三）7 二是: 实际支出数0.78万元, 预算 33.08 万
    "002": ([], None),  # 002 prints no 三公经费
    # 003 二（四）1.(2): 预算 9 万元 (1.5 + 4 + 3.5), 决算 7.5 万元, 因公出国（境）费 0
    "003": (["三公经费", "因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"], ("三公经费", "7.50")),
    # 004 三（三）1.(2): 8.09 = 因公出国(境) 0 + 公务用车运行及维护 5.35 + 公务接待 2.75
    "004": (["三公经费", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车运行维护费", "公务接待费"], ("公务接待费", "2.75")),
}

#: Per seed: the 公用经费 / 会议费 / 培训费 rows and one 决算 as printed.
OPERATING: dict[str, tuple[list[str], tuple[str, str] | None]] = {
    "000": (["会议费", "培训费"], ("会议费", "2.75")),  # 000 二（三）7.(2)–(3): 会议费 2.75, 培训费 8.84
    "001": ([], None),
    "002": ([], None),
    "003": (["公用经费"], ("公用经费", "210.77")),  # 003 二（四）1.(1): 调整后公用经费预算214.5万元，决算210.77万元
    "004": (["公用经费"], ("公用经费", "70.23")),  # 004 三（三）1.(1): 年初预算数 94.50 万元，决算 70.23 万元
}

#: Per seed: the unit-cost rows and 人均公用经费 as printed (computed, or the report's own for 001).
UNIT_COSTS: dict[str, tuple[int, tuple[str, str] | None]] = {
    "000": (0, None),  # no staffing, no per-unit figure stated
    "001": (6, ("人均公用经费支出", "2.00")),  # 001 二（三）7 一是: the six figures of its 经济成本分析自评表, as stated
    "002": (0, None),
    # 003: 在职 62 (二（三）4: 47 + 10 + 5); 人数, 人均基本支出 / 人员经费 / 公用经费 / 三公经费, per m²; 210.77 ÷ 62 = 3.40
    # (no 人均支出 of the whole: 项目支出 holds pass-through funds)
    "003": (6, ("人均公用经费", "3.40")),
    # 004: 在职 80 (一（一）3.(2)); 人数, 人均公用经费 / 三公经费, 车均, 接待 computed and stated; 70.23 ÷ 80 = 0.88
    "004": (6, ("人均公用经费", "0.88")),
}


def test_every_seed_has_its_expected_cost_figures() -> None:
    assert sorted(COMPOSITION) == sorted(THREE_PUBLIC) == sorted(OPERATING) == sorted(UNIT_COSTS) == sorted(SEEDS)


@pytest.mark.parametrize("number", sorted(COMPOSITION))
def test_composition_of_every_sample_department(number: str) -> None:
    """The composition rows of each seed in order, and one share of the seed's figures (COMPOSITION cites them)."""
    rows, named = COMPOSITION[number]
    df = expenditure_composition(seed(number))
    assert list(zip(df["构成"], df["项目"], strict=True)) == rows
    if named is not None:
        assert pct(df.set_index("项目").loc[named[0], "占比"]) == named[1]


@pytest.mark.parametrize("number", sorted(THREE_PUBLIC))
def test_three_public_costs_of_every_sample_department(number: str) -> None:
    """The 三公经费 rows of each seed, and one 决算 as the seed prints it (THREE_PUBLIC cites the section)."""
    rows, named = THREE_PUBLIC[number]
    df = three_public_costs(seed(number))
    assert list(df.index) == rows
    if named is not None:
        assert wan(df.loc[named[0], "决算"]) == named[1]


@pytest.mark.parametrize("number", sorted(OPERATING))
def test_operating_costs_of_every_sample_department(number: str) -> None:
    """The 公用经费 / 会议费 / 培训费 rows of each seed, and one 决算 as the seed prints it (OPERATING cites it)."""
    rows, named = OPERATING[number]
    df = operating_costs(seed(number))
    assert list(df.index) == rows
    if named is not None:
        assert wan(df.loc[named[0], "决算"]) == named[1]


@pytest.mark.parametrize("number", sorted(UNIT_COSTS))
def test_unit_costs_of_every_sample_department(number: str) -> None:
    """The unit-cost rows of each seed, and its 人均公用经费 from the seed's figures (UNIT_COSTS shows the arithmetic)."""
    rows, named = UNIT_COSTS[number]
    df = unit_costs(seed(number))
    assert len(df) == rows
    if named is not None:
        assert wan(indicator(df, named[0])["数值"]) == named[1]


@pytest.mark.parametrize("number", sorted(SEEDS))
def test_no_sample_department_has_a_cost_finding(number: str) -> None:
    """Every seed's costs are within budget (000 1.75 of 5.14; 001 0.78 of 33.08; 003 210.77 of 214.5 and 7.5 of 9;
    004 70.23 of 94.50 and 8.09 of 15.90) and none prints a prior-year amount (000's +44.39% / +170.40% rest on
    amounts it does not print): no finding, while the budget lines the check reads are there."""
    dept = seed(number)
    assert cost_findings(dept) == []
    budgeted = {b.name for b in dept.costs if b.final is not None and b.initial is not None}
    assert budgeted == {"000": {"三公经费"}, "001": {"三公经费"}, "002": set(), "003": {"公用经费", "三公经费", "因公出国（境）费"},
                        "004": {"公用经费", "三公经费"}}[number]


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_runs_on_a_department_with_the_optional_tables_absent(function: object) -> None:
    result = function(bare(seed("004")))  # type: ignore[operator]
    assert len(result) == 0
