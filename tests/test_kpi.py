"""auditkit.analyses.kpi: 计划完成率 by direction, 状态, 同比 and formula KPIs reproduce 003 表4–表8 and 004's figures.

Golden figures cite the seed (000…004) and its table. A completion rate is compared at the precision the table
prints it (187.8% is compared to one decimal). Where the seed's own figure is wrong the test asserts the correct
recomputation and says so.
"""

from __future__ import annotations

import dataclasses
import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from auditkit.analyses.kpi import MET, MISSED, UNMEASURABLE, assess, kpi_attainment, kpi_findings, kpi_summary
from auditkit.data.model import Kpi, KpiInput
from auditkit.data.numbers import parse_number
from tests.conftest import SEEDS, seed


def printed_like(value: float, printed: str) -> str:
    """``value`` (in percent) rounded half-up to the decimals of ``printed`` (e.g. "187.8%"), with a % sign."""
    decimals = len(printed.rstrip("%").partition(".")[2])
    return f"{Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)}%"


COMPLETION_003 = [
    # 003 表4 就业创业工作完成情况表 (targets of 4-4…4-7 are inferred from these very rates: circular, see notes.csv)
    ("表4", "城镇新增就业人数", "101.14%"),
    ("表4", "举办招聘活动场次", "145%"),
    ("表4", "城镇登记失业率", "100%"),  # ≤ 3.5%, actual 2.11%: a ceiling met is 100%, never 165.88%
    ("表4", "劳动力技能晋升培训补贴人次", "134.40%"),
    ("表4", "城镇失业人员再就业人数", "103.42%"),
    ("表4", "就业困难人员实现就业人数", "105.32%"),
    ("表4", "促进创业人数", "102.38%"),  # 1,638 ÷ 1,600 = 102.375%, rounded half-up
    # 003 表5 社会保险工作完成情况表
    ("表5", "城乡居民养老金最低标准", "100%"),
    ("表5", "降低企业社会保险成本", "147.66%"),
    ("表5", "社会保障卡持卡人数", "112.68%"),
    ("表5", "企业职工基本养老保险（不含离退休）参保人数", "109.61%"),
    ("表5", "城镇职工基本养老保险（含离退休）参保人数", "101.21%"),
    ("表5", "机关事业单位职工养老保险参保人数", "105.32%"),
    ("表5", "城乡居民基本养老保险参保人数", "102.51%"),
    ("表5", "失业保险参保人数", "100.03%"),
    ("表5", "工伤保险参保人数", "104.54%"),  # the seed prints 104.49%: wrong, 42.34 ÷ 40.5 = 104.54%
    ("表5", "企业职工基本养老保险征缴收入", "111.05%"),
    ("表5", "失业保险征缴收入", "122.96%"),
    ("表5", "工伤保险征缴收入", "127.22%"),  # the seed prints 127.15%: wrong, 9,160 ÷ 7,200 = 127.22%
    # 003 表6 人才队伍建设工作完成情况 (its two qualitative rows are tested below)
    ("表6", "开展高校毕业生专场招聘场数", "100%"),
    # 003 表7 技能人才培养工作完成情况表
    ("表7", "认定省级“粤菜师傅”培训基地数量", "100%"),
    ("表7", "认定省级大师工作室数量", "100%"),
    ("表7", "制作“粤北味道”专题片数量", "100%"),
    ("表7", "培养烹饪技能人才数量", "187.8%"),
    ("表7", "带动就业创业人数", "100.8%"),
    ("表7", "新增高技能人才人数", "113.20%"),
    ("表7", "新增技师和高级技师人数", "136.67%"),
    ("表7", "技工院校招生人数（市属）", "117.43%"),
    ("表7", "开展新型学徒制培训人数", "100.13%"),
]


@pytest.mark.parametrize(("table", "name", "printed"), COMPLETION_003, ids=[f"{t}-{n}" for t, n, _ in COMPLETION_003])
def test_completion_rates_of_003(table: str, name: str, printed: str) -> None:
    row = kpi_attainment(seed("003")).loc[name]
    assert printed_like(row["计划完成率"], printed) == printed
    assert row["状态"] == MET


def test_qualitative_targets_of_003_table_6_are_met_without_a_rate() -> None:
    """003 表6: 举办 / 举办 and 完成 / 完成 (printed "100%" for met): a qualitative target is met or not, no rate."""
    df = kpi_attainment(seed("003"))
    for name in ("举办企业人才活动周活动", "“三支一扶”人员岗前培训和派遣接收工作"):
        assert df.loc[name, "状态"] == MET and math.isnan(df.loc[name, "计划完成率"])


def test_table_8_of_003_plan_against_actual() -> None:
    """003 表8 prints 计划数 and 实际数 but no rate and no formula inputs: all four met, no 公式计算值 column."""
    df = kpi_attainment(seed("003"))
    rows = df[df["分组"] == "劳动关系协调"]
    assert list(rows["状态"]) == [MET] * 4
    assert printed_like(rows.loc["劳动人事争议仲裁结案率", "计划完成率"], "104.67%") == "104.67%"  # 94.2 ÷ 90
    assert "公式计算值（%）" not in df.columns


def test_year_on_year_where_a_prior_actual_exists() -> None:
    """003 表5 城乡居民养老金最低标准 同比: 148 → 170 元 is +14.86%. The seed prints 15.65%: wrong (see notes.csv).

    表4 and 表5 print no other prior-year actual, so no other 同比 can be computed.
    """
    df = kpi_attainment(seed("003"))
    assert printed_like(df.loc["城乡居民养老金最低标准", "同比"], "14.86%") == "14.86%"
    assert df["同比"].notna().sum() == 1


def test_formula_kpis_of_004() -> None:
    """004 三（三）3.(4): 仲裁结案率 145 ÷ (3 + 143) = 99.32%; 调解成功率 (324 + 56) ÷ (324 + 145) = 81.02%."""
    df = kpi_attainment(seed("004"))
    assert printed_like(df.loc["劳动人事争议仲裁结案率", "公式计算值（%）"], "99.32%") == "99.32%"
    assert printed_like(df.loc["劳动人事争议调解成功率", "公式计算值（%）"], "81.02%") == "81.02%"
    assert df["公式计算值（%）"].notna().sum() == 2


@pytest.mark.parametrize(("name", "printed"), [
    ("城镇新增就业人数", "116.27%"),  # 2,558 ÷ 2,200
    ("城镇失业人员再就业人数", "116.27%"),  # 1,744 ÷ 1,500
    ("就业困难人员就业人数", "119.39%"),  # 394 ÷ 330
    ("促进创业人数", "112.67%"),  # 169 ÷ 150
])
def test_completion_rates_of_004(name: str, printed: str) -> None:
    """004 三（三）3.(1) and 四（一）."""
    assert printed_like(kpi_attainment(seed("004")).loc[name, "计划完成率"], printed) == printed


def test_missed_targets_of_004() -> None:
    """004 三（三）3.(2): three social-insurance counts fall short of their targets, although 三（三）2.(2) states every
    target was met ("完成率≥100%"): the seed is wrong there; the shortfalls are asserted."""
    df = kpi_attainment(seed("004"))
    missed = df[df["状态"] == MISSED]
    assert set(missed.index) == {"参加企业职工基本养老保险人数", "工伤保险参保人数", "失业保险参保人数"}
    assert printed_like(df.loc["工伤保险参保人数", "计划完成率"], "92.42%") == "92.42%"  # 35,820 ÷ 38,758
    assert printed_like(df.loc["参加企业职工基本养老保险人数", "计划完成率"], "96.44%") == "96.44%"  # 37,419 ÷ 38,800


def test_summary_of_004_puts_the_weakest_group_first() -> None:
    df = kpi_summary(seed("004"))
    assert df.index[0] == "社保" and df.index[-1] == "合计"
    assert (df.loc["社保", MET], df.loc["社保", MISSED], df.loc["社保", UNMEASURABLE]) == (1, 3, 0)
    assert df.loc["社保", "最弱指标"] == "工伤保险参保人数"
    # 党员志愿者服务时长 (1,326 hours in all against ≥20 per member, 004 四（五）) is a 口径 mismatch: not measurable
    assert (df.loc["合计", "指标数"], df.loc["合计", MET], df.loc["合计", MISSED], df.loc["合计", UNMEASURABLE]) == (21, 17, 3, 1)
    assert printed_like(df.loc["合计", "达成率（达成÷可衡量）"], "85.00%") == "85.00%"  # 17 ÷ 20


def test_no_weakest_indicator_is_named_where_every_indicator_is_met() -> None:
    """003 表4–表8: every indicator met (表6 all at 100%): no 最弱指标; 004 社保 misses three: the lowest is named."""
    df = kpi_summary(seed("003"))
    assert "最弱指标" not in df.columns and df.loc["人才服务", "最低完成率"] == 100
    assert kpi_summary(seed("004")).loc["合计", "最弱指标"] == "工伤保险参保人数"


def test_an_actual_ten_times_its_target_is_a_unit_mismatch_not_an_attainment() -> None:
    """004 一（三）指标5.2 党员志愿者服务时长 ≥20 小时 against 四（五）服务总时长 1,326 小时 (6,630%): flagged, not 达成;
    粤菜师傅 378 ÷ 110 = 343.64% stays an attainment."""
    df = kpi_attainment(seed("004"))
    row = df.loc["党员志愿者服务时长"]
    assert row["状态"] == UNMEASURABLE and pd.isna(row["计划完成率"]) and "6,630.00%" in row["说明"] and "口径" in row["说明"]
    assert df.loc["完成\"粤菜师傅\"培训", "状态"] == MET
    assert row["目标值"] == "20" and row["方向"] == "≥"  # 004 prints ≥20: the comparator is shown once, under 方向


def test_findings_list_the_weakest_first_and_the_targets_perhaps_set_too_low() -> None:
    findings = kpi_findings(seed("004"))
    assert findings[0].startswith("3 项指标未达成目标：工伤保险参保人数 完成 92.42%")
    assert any("完成\"粤菜师傅\"培训 343.64%" in f for f in findings)
    assert any("培养烹饪技能人才数量 187.80%" in f for f in kpi_findings(seed("003")))


def test_kpis_without_targets_are_not_measurable() -> None:
    """002 一（三） and 000 二（二) print actuals only: every KPI is 无法衡量, none is counted as met."""
    for number, count in (("002", 61), ("000", 12)):
        df = kpi_attainment(seed(number))
        assert (df["状态"] == UNMEASURABLE).all() and len(df) == count
        assert (df["说明"] == "未列示目标值").all()
        summary = kpi_summary(seed(number))
        assert summary.loc["合计", UNMEASURABLE] == count and summary.loc["合计", MET] == 0
        assert "达成率（达成÷可衡量）" not in summary.columns
        assert kpi_findings(seed(number)) == [f"{count} 项指标无法衡量完成情况：未列示目标值 {count} 项。"]


def test_equal_targets_missing_actuals_and_qualitative_without_target_of_001() -> None:
    """001 一（三） and 二（二）1: 粤省事下线事项 = 9 (met), 年底新增上线 46 has no actual, 容灾备份 no target."""
    df = kpi_attainment(seed("001"))
    assert df.loc["粤省事下线事项", "状态"] == MET and df.loc["粤省事下线事项", "计划完成率"] == 100
    assert (df.loc["粤省事年底新增上线事项", "状态"], df.loc["粤省事年底新增上线事项", "说明"]) == (UNMEASURABLE, "未列示实际值")
    assert (df.loc["人社数据容灾备份建设", "状态"], df.loc["人社数据容灾备份建设", "说明"]) == (UNMEASURABLE, "未列示目标值")


def _kpi(direction: str, target: str | None, actual: str | None, **kw: object) -> Kpi:
    number = direction != "定性"
    value = (lambda t: parse_number(t, allow_comparator=True)) if number else (lambda t: t)
    return Kpi("测试", "测试指标", direction, target=value(target) if target else None,  # type: ignore[arg-type]
               actual=value(actual) if actual else None, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("direction", "target", "actual", "state", "rate"), [
    ("≤", "3.5%", "4.2%", MISSED, "83.33%"),  # a ceiling missed shows the shortfall, below 100%
    ("≤", "3.5%", "3.5%", MET, "100.00%"),
    ("≥", "≥15", "23", MET, "153.33%"),  # 004 目标 "≥15": the comparator is kept, the value compared
    ("=", "9", "8", MISSED, "88.89%"),
    ("定性", "完成", "未完成", MISSED, None),  # "未完成" contains "完成" but says the opposite
    ("定性", "完成", "已完成", MET, None),
    ("定性", "举办", "优秀", UNMEASURABLE, None),
])
def test_directions(direction: str, target: str, actual: str, state: str, rate: str | None) -> None:
    result = assess(seed("000"), _kpi(direction, target, actual))
    assert result.state == state
    assert (result.completion is None) if rate is None else printed_like(float(result.completion), rate) == rate  # type: ignore[arg-type]


def test_formula_value_stands_in_for_a_missing_actual_and_missing_inputs_give_none() -> None:
    kpi = _kpi("≥", "95%", None, formula="arbitration_closure_rate")
    inputs = tuple(KpiInput("测试指标", v, parse_number(n)) for v, n in  # type: ignore[arg-type]
                   (("当期审结案件数", "145"), ("上期未结案件数", "3"), ("当期立案受理案件数", "143")))
    dept = dataclasses.replace(seed("000"), kpis=(kpi,), kpi_inputs=inputs)
    result = assess(dept, kpi)
    assert result.state == MET and result.reason == "实际值取公式计算值"
    assert printed_like(float(result.formula), "99.32%") == "99.32%"  # type: ignore[arg-type]
    partial = dataclasses.replace(dept, kpi_inputs=inputs[:2])
    assert assess(partial, kpi).formula is None and assess(partial, kpi).state == UNMEASURABLE


@pytest.mark.parametrize("number", sorted(SEEDS))
def test_runs_on_every_sample_department(number: str) -> None:
    dept = seed(number)
    assert len(kpi_attainment(dept)) == len(dept.kpis)
    assert kpi_summary(dept).loc["合计", "指标数"] == len(dept.kpis)
    assert isinstance(kpi_findings(dept), list)


def test_runs_on_a_department_without_kpis() -> None:
    dept = dataclasses.replace(seed("003"), kpis=(), kpi_inputs=())
    assert len(kpi_attainment(dept)) == 0 and len(kpi_summary(dept)) == 0 and kpi_findings(dept) == []
    assert isinstance(kpi_attainment(dept), pd.DataFrame)
