"""auditkit.scoring.framework: the shipped indicator frameworks carry the seeds' weights, and broken frameworks are refused.

Weights cite the seed that states them (../shared/seeds/NNN_*.txt, section); weights no seed states are `assumed`
(docs/assumptions_caveats.md, "Indicator frameworks"). So do the annex 评分表's texts: every indicator's 指标解释 and
every leaf's 评分标准 cite the seed section they are read from, or say what they assume, and where an auto rule scores
the leaf its 评分标准 names the rule's own numbers (docs/assumptions_caveats.md, "Indicator frameworks: 指标解释 and
评分标准").
"""

from __future__ import annotations

import copy
import functools
import itertools
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from auditkit import load
from auditkit.data.numbers import format_points
from auditkit.data.schema import FRAMEWORKS
from auditkit.exceptions import FrameworkError
from auditkit.scoring.framework import FRAMEWORKS_DIR, Framework, Indicator, Rule, framework_ids, load_framework

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {
    "gd-zwfw": ROOT / "data/2021/gd-zwfw",  # seed 001
    "panyu-rsj": ROOT / "data/2024/panyu-rsj",  # seed 002
    "shaoguan-rsj": ROOT / "data/2019/shaoguan-rsj",  # seed 003
    "lechang-rsj": ROOT / "data/2024/lechang-rsj",  # seed 004
}


def _weights(framework: Framework, parent: str | None) -> dict[str, Decimal]:
    return {i.name: i.max for i in framework.indicators if i.parent == parent}


def _d(*values: str) -> list[Decimal]:
    return [Decimal(v) for v in values]


#: The framework files shipped under src/auditkit/scoring/frameworks/, by id.
SHIPPED = ["gd-district-2024", "gd-municipal-2019", "gd-municipal-2024", "gd-provincial-2021"]


def test_every_framework_the_data_format_names_is_shipped_and_loads() -> None:
    assert framework_ids() == SHIPPED
    assert list(FRAMEWORKS) == SHIPPED
    assert sorted(path.name for path in FRAMEWORKS_DIR.iterdir() if path.suffix == ".yaml") == [f"{i}.yaml" for i in SHIPPED]
    for framework_id in FRAMEWORKS:
        framework = load_framework(framework_id)
        assert framework.id == framework_id
        assert sum((r.max for r in framework.roots if not r.adjustment), Decimal(0)) == framework.max == 100


def test_framework_files_are_package_data() -> None:
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    assert "scoring/frameworks/*.yaml" in package_data["auditkit"]
    assert FRAMEWORKS_DIR == ROOT / "src/auditkit/scoring/frameworks"


def test_gd_municipal_2019_is_003s_system() -> None:
    """003 二（二）–（四): 预算编制情况 30 (18 / 10 / 2), 预算执行情况 40 (22 / 7 / 5 / 2 / 4), 预算使用效益 30 (6 / 9 / 10 / 5)."""
    f = load_framework("gd-municipal-2019")
    assert _weights(f, None) == {"预算编制情况": 30, "预算执行情况": 40, "预算使用效益": 30}
    assert list(_weights(f, "A").values()) == _d("18", "10", "2")
    assert list(_weights(f, "B").values()) == _d("22", "7", "5", "2", "4")
    assert list(_weights(f, "C").values()) == _d("6", "9", "10", "5")
    # every 三级 as 003 scores it, e.g. 资金管理's seven items (003 二（三）1.(1)–(7)) and 效果性's five (二（四）3)
    assert list(_weights(f, "B.1").values()) == _d("3", "3", "3", "2", "4", "3", "4")
    assert list(_weights(f, "C.3").values()) == _d("2", "2", "2", "2", "2")
    assert len(f.leaves) == 34 and all(i.source and i.assumed is None for i in f.indicators)
    assert {i.id: i.rule.kind for i in f.leaves if i.rule and i.rule.auto} == {
        "A.2.1": "band", "B.1.1": "proportional", "B.1.4": "pass_fail"}


def test_gd_municipal_2024_weights_are_assumed_and_add_up_to_004s_total() -> None:
    """004 prints self-scores only: 28 (no 保障措施) + 42 (资产管理 7) + 30 = 100, plus 加减分项 5 (all assumed)."""
    f = load_framework("gd-municipal-2024")
    assert _weights(f, None) == {"预算编制情况": 28, "预算执行情况": 42, "预算使用效益": 30, "加减分项": 5}
    assert list(_weights(f, "B.3").values()) == _d("2", "2", "3")
    adjustment = f.indicator("X")
    assert adjustment is not None and adjustment.adjustment and adjustment.is_leaf
    assert all(i.assumed for i in f.indicators)


def test_gd_provincial_2021_is_001s_system() -> None:
    """001 二（二）–（三): 整体效能 25, 专项效能 25, 预算编制 5, 预算执行 4, 信息公开 3, 绩效管理 15, 采购管理 10, 资产管理 10, 运行成本 3."""
    f = load_framework("gd-provincial-2021")
    second = {i.name: i.max for i in f.indicators if i.level == 2}
    assert second == {"整体效能": 25, "专项效能": 25, "预算编制": 5, "预算执行": 4, "信息公开": 3, "绩效管理": 15,
                      "采购管理": 10, "资产管理": 10, "运行成本": 3}
    cost = f.indicator("B.7.1")
    assert cost is not None and cost.rule is not None and cost.rule.kind == "scaled" and cost.rule.out_of == 10
    assert cost.assumed  # 2 of 3 is a reading of 7.30 ÷ 10 × 2 = 1.46 (001 二（三）7)


def test_gd_district_2024_is_002s_system_with_its_unstated_weights_assumed() -> None:
    """002 一（二): 履职效能 50 (产出 20, 效益 20, 预算资金支出率 10) / 管理效率 50; the 管理效率 items are inferred or assumed."""
    f = load_framework("gd-district-2024")
    assert list(_weights(f, "A").values()) == _d("20", "20", "10")
    assert list(_weights(f, "B").values()) == _d("5", "4", "3", "14", "10", "10", "4")
    assert all(i.assumed for i in f.children_of("B")) and not any(i.assumed for i in f.children_of("A"))
    rate = f.indicator("A.3")
    assert rate is not None and rate.rule is not None and rate.rule.kind == "proportional"


@pytest.mark.parametrize("name", SAMPLES)
def test_indicator_ids_and_weights_of_the_sample_data_agree_with_their_framework(name: str) -> None:
    dept = load(SAMPLES[name])
    framework = load_framework(dept.evaluation.framework)
    for given in dept.scores:
        indicator = framework.indicator(given.id)
        assert indicator is not None, given.id
        assert (indicator.max, indicator.level) == (given.max.value, given.level), given.id


#: The seed totals each framework file's description cites with their grade, as the seed itself prints them.
CITED_TOTALS = {
    "gd-district-2024": {"99.66": "优"},  # 002 一: 自评结果为: "优",自评总得分为 99.66分
    "gd-municipal-2019": {"83.3": "良"},  # 003 摘要 and 三: 整体绩效得分为83.3分，绩效等级为“良”
    "gd-municipal-2024": {},  # 004 prints a total (96.5) but no grade: the description says 004 未写等级
    "gd-provincial-2021": {"96.95": "优", "98.21": "优"},  # 001 二（一）: 96.95 分，“优”; 000 二（一）: 98.21分，“优”
}


def _cited_grades(description: str) -> list[tuple[str, Decimal | None]]:
    """The grades a description's 「等级：」 clause states, e.g. 「优 ≥ 90，良 80–90，中 60–80，差 < 60」, as
    (grade, minimum), the lowest without a minimum. Each range's upper end must be the minimum of the grade above."""
    clause = re.search(r"等级：([^（。]+)", description)
    assert clause, description
    grades: list[tuple[str, Decimal | None]] = []
    for n, item in enumerate(clause.group(1).split("，")):
        top, band, bottom = (re.fullmatch(pattern, item.strip()) for pattern in
                             (r"(\S+) ≥ (\d+(?:\.\d+)?)", r"(\S+) (\d+(?:\.\d+)?)–(\d+(?:\.\d+)?)", r"(\S+) < (\d+(?:\.\d+)?)"))
        if top and n == 0:
            grades.append((top[1], Decimal(top[2])))
        elif band and grades:
            assert Decimal(band[3]) == grades[-1][1], item
            grades.append((band[1], Decimal(band[2])))
        else:
            assert bottom and grades and Decimal(bottom[2]) == grades[-1][1], item
            grades.append((bottom[1], None))
    return grades


def _cited_totals(description: str) -> dict[str, str]:
    """The seed totals a description cites with their grade: 「003 三 83.3 分为“良”」, 「001 96.95 分、000 98.21 分为“优”」."""
    cited: dict[str, str] = {}
    for phrase in re.finditer(r"([^；（]*?)为“(.)”", description):
        for total in re.findall(r"\d{3}(?: [^\s\d]+)? (\d+(?:\.\d+)?) 分", phrase[1]):
            cited[total] = phrase[2]
    return cited


@pytest.mark.parametrize("framework_id", SHIPPED)
def test_grades_are_the_ones_the_framework_file_cites(framework_id: str) -> None:
    """Each file's grades are what its description cites (all four: 优 ≥ 90，良 80–90，中 60–80，差 < 60, 财预〔2020〕10号
    as domain-notes.md gives it), and each seed total it cites gets the grade the seed prints (see CITED_TOTALS)."""
    framework = load_framework(framework_id)
    document = _shipped(framework_id)
    assert [(g.name, g.min) for g in framework.grades] == _cited_grades(document["description"])
    assert _cited_totals(document["description"]) == CITED_TOTALS[framework_id]
    for total, grade in CITED_TOTALS[framework_id].items():
        assert framework.grade(Decimal(total)) == grade, total


@pytest.mark.parametrize("framework_id", SHIPPED)
def test_grades_descend_and_each_minimum_is_the_first_score_of_its_grade(framework_id: str) -> None:
    """Structure: minimums strictly descending, the lowest grade without one; a total at a grade's minimum gets that
    grade and 0.01 below it the next grade down; full marks get the top grade and 0 the lowest."""
    framework = load_framework(framework_id)
    grades = framework.grades
    minimums = [g.min for g in grades[:-1]]
    assert len(grades) >= 2 and grades[-1].min is None and None not in minimums
    assert minimums == sorted(minimums, reverse=True) and len(set(minimums)) == len(minimums)  # type: ignore[type-var]
    for upper, lower in itertools.pairwise(grades):
        assert upper.min is not None
        assert framework.grade(upper.min) == upper.name
        assert framework.grade(upper.min - Decimal("0.01")) == lower.name
    assert framework.grade(framework.max) == grades[0].name and framework.grade(Decimal(0)) == grades[-1].name


# --- 指标解释 and 评分标准 (the annex 评分表's texts) and the report outline ---------------------------------------

#: The outline each shipped framework's report follows: 003's (municipal) or 000/001/002's (provincial).
OUTLINES = {"gd-district-2024": "provincial", "gd-municipal-2019": "municipal", "gd-municipal-2024": "municipal",
            "gd-provincial-2021": "provincial"}


def test_each_framework_names_the_outline_of_its_seeds_report() -> None:
    """gd-municipal-* follow 003's outline (摘要; 一、…六、), gd-provincial-2021 and gd-district-2024 000/001/002's."""
    assert {framework_id: load_framework(framework_id).outline for framework_id in SHIPPED} == OUTLINES


def _all_indicators() -> list[tuple[str, Indicator]]:
    return [(framework_id, i) for framework_id in SHIPPED for i in load_framework(framework_id).indicators]


@pytest.mark.parametrize("framework_id", SHIPPED)
def test_every_indicator_has_an_explanation_and_every_leaf_a_standard(framework_id: str) -> None:
    """The annex 评分表 has a 指标解释 on every row (一级, 二级, 三级) and a 评分标准 on every scored row (a leaf)."""
    framework = load_framework(framework_id)
    for indicator in framework.indicators:
        assert indicator.explanation and indicator.explanation_basis, indicator.id
        if indicator.is_leaf:
            assert indicator.standard and indicator.standard_basis, indicator.id
        else:
            assert indicator.standard is None and indicator.standard_basis is None, indicator.id


#: A citation of a seed (000–004) or of domain-notes.md, as a text's ``source`` must contain.
_CITES = re.compile(r"(?<!\d)00[0-4](?!\d)|domain-notes\.md")


@pytest.mark.parametrize("framework_id", SHIPPED)
def test_every_text_cites_a_seed_or_says_what_it_assumes(framework_id: str) -> None:
    for indicator in load_framework(framework_id).indicators:
        for what, basis in (("explanation", indicator.explanation_basis), ("standard", indicator.standard_basis)):
            if basis is None:
                continue
            assert basis.source or basis.assumed, (indicator.id, what)
            assert basis.source is None or _CITES.search(basis.source), (indicator.id, what, basis.source)
            assert str(basis) == "；".join(p for p in (basis.source, f"假设：{basis.assumed}" if basis.assumed else None) if p)


def test_every_formula_is_written_as_an_equation() -> None:
    """「计算公式：X = A ÷ B × 100%」: a formula names what it computes, and a rate says it is in per cent."""
    formulas = [(i.id, f) for _, i in _all_indicators() for f in re.findall(r"计算公式：([^。]+)", i.explanation or "")]
    assert len(formulas) > 20
    for ident, formula in formulas:
        for part in formula.split("；"):
            equation = re.fullmatch(r"(\S.*?) = ?(.+)", part)
            assert equation and "100%" in equation[2], (ident, part)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_POINTS = re.compile(r"得 (\d+(?:\.\d+)?) 分")


def _numbers(text: str) -> set[Decimal]:
    return {Decimal(n) for n in _NUMBER.findall(text)}


def _scored_clauses(text: str) -> list[tuple[Decimal | None, set[Decimal]]]:
    """The clauses of a 评分标准 (split at 「；」) that give points: (the points of 「得 N 分」, else None for 满分 or
    不得分 as written, the numbers the clause names)."""
    clauses = [c for c in text.rstrip("。").split("；") if "得" in c]
    return [(Decimal(m[1]) if (m := _POINTS.search(c)) else None, _numbers(c)) for c in clauses]


_AUTO = [(framework_id, i) for framework_id, i in _all_indicators() if i.rule is not None and i.rule.auto]


def _check_band(indicator: Indicator, rule: Rule, standard: str) -> None:
    """Each band in order is one clause: 「达到 80%（含）以上的，得 2 分；在 60%（含）至 80% 之间的，得 1 分；…」."""
    clauses = _scored_clauses(standard)
    assert [points for points, _ in clauses] == [band.score for band in rule.bands]
    for n, (band, (_, numbers)) in enumerate(zip(rule.bands, clauses, strict=True)):
        upper = rule.bands[n - 1].min if n else None
        assert band.min is None or band.min in numbers, (band, numbers)
        assert numbers <= {band.score} | {m for m in (band.min, upper) if m is not None}, (band, numbers)


def _check_proportional(indicator: Indicator, rule: Rule, standard: str) -> None:
    """「…达到 100% 的，得满分；低于 100% 的，按 分值 × … 计分」: full marks at 100% (the cap), else points × rate."""
    assert "得满分" in standard and "按 分值 × " in standard
    assert Decimal(100) in _numbers(standard) and _numbers(standard) <= {Decimal(100), indicator.max}


def _check_pass_fail(indicator: Indicator, rule: Rule, standard: str) -> None:
    """「…未超过…（… ≤ 100%）的，得 2 分；超过…的，得 0 分」: the limit, its direction, full marks, then 0."""
    limit = rule.at_most if rule.at_most is not None else rule.at_least
    assert limit is not None
    clauses = _scored_clauses(standard)
    assert [points for points, _ in clauses] == [indicator.max, Decimal(0)]
    assert limit in clauses[0][1] and _numbers(standard) <= {limit, indicator.max, Decimal(0)}
    assert f"{'≤' if rule.at_most is not None else '≥'} {format_points(limit)}%" in standard
    assert rule.pass_text is None or rule.pass_text in standard


def _check_scaled(indicator: Indicator, rule: Rule, standard: str) -> None:
    """「按…自评表（满分 10 分）的得分折算：本项得分 = 自评表得分 ÷ 10 × 2」."""
    assert rule.out_of is not None
    assert f"÷ {format_points(rule.out_of)} × {format_points(indicator.max)}" in standard
    assert _numbers(standard) == {rule.out_of, indicator.max}


_CHECKS = {"band": _check_band, "proportional": _check_proportional, "pass_fail": _check_pass_fail, "scaled": _check_scaled}


@pytest.mark.parametrize(("framework_id", "indicator"), _AUTO, ids=[f"{f}-{i.id}" for f, i in _AUTO])
def test_the_standard_of_an_auto_rule_says_what_the_rule_computes(framework_id: str, indicator: Indicator) -> None:
    """Where an auto rule scores a leaf, the 评分标准 the reader sees names the rule's own numbers: its bands and their
    points, the 100% cap of a proportional rule, a pass/fail limit, a sub-table's full marks; and it assumes what the
    rule assumes (a rule whose source states all of it, 002's 预算资金支出率, gives a standard without an assumption)."""
    rule, standard, basis = indicator.rule, indicator.standard, indicator.standard_basis
    assert rule is not None and standard is not None and basis is not None
    _CHECKS[rule.kind](indicator, rule, standard)
    assert bool(basis.assumed) == bool(rule.assumed)


@pytest.mark.parametrize(("indicator", "rule", "standard"), [
    ("A.2.1", {"kind": "band", "input": "projects.goal_coverage", "source": "003",
               "bands": [{"min": 90, "score": 2}, {"min": 60, "score": 1}, {"score": 0}]}, None),
    ("B.1.4", {"kind": "pass_fail", "input": "procurement.execution_rate", "source": "003", "at_least": 100}, None),
    ("B.1.1", None, "部门预算支出率达到 100% 的，得满分；低于 100% 的，按 分值 × 部门预算支出率 × 2 计分。"),
])
def test_a_standard_that_disagrees_with_its_rule_is_caught(indicator: str, rule: dict[str, Any] | None,
                                                            standard: str | None, tmp_path: Path) -> None:
    """The agreement check above catches a rule changed without its text (a band moved to 90%, a limit turned
    round) and a text changed without its rule (a number the rule does not have)."""
    document = _shipped()
    node = _node(document, indicator)
    if rule is not None:
        node["rule"] = rule
    if standard is not None:
        node["standard"]["text"] = standard
    changed = load_framework(_write(tmp_path, document)).indicator(indicator)
    assert changed is not None and changed.rule is not None and changed.standard is not None
    with pytest.raises(AssertionError):
        _CHECKS[changed.rule.kind](changed, changed.rule, changed.standard)


def _texts(framework_id: str, indicator_id: str) -> Indicator:
    indicator = load_framework(framework_id).indicator(indicator_id)
    assert indicator is not None and indicator.explanation and indicator.standard_basis is not None
    return indicator


def test_gd_municipal_2019_goal_coverage_standard_is_003s_band() -> None:
    """003 二（二）2.(1): 37 个项目，已设置绩效目标的 23 个，覆盖率 62.16%，“在60%和80%之间，该项得1分”."""
    indicator = _texts("gd-municipal-2019", "A.2.1")
    assert "在 60%（含）至 80% 之间的，得 1 分" in str(indicator.standard)
    assert "003 二（二）2.(1)" in str(indicator.standard_basis.source)
    assert "≥ 80%" in str(indicator.standard_basis.assumed) and "< 60%" in str(indicator.standard_basis.assumed)
    assert "绩效目标覆盖率 = 已设置绩效目标的项目数 ÷ 项目总数 × 100%" in indicator.explanation


def test_gd_municipal_2019_procurement_standard_is_003s_sentence() -> None:
    """003 二（三）1.(4): “政府采购实际金额未超过计划金额，得2分”; over the plan → 0 is assumed."""
    indicator = _texts("gd-municipal-2019", "B.1.4")
    assert str(indicator.standard).startswith("政府采购实际金额未超过计划金额（政府采购执行率 ≤ 100%）的，得 2 分")
    assert "003 二（三）1.(4)" in str(indicator.standard_basis.source)
    assert "得 0 分为假设" in str(indicator.standard_basis.assumed)
    # 004 三（二）1.(4) states what the indicator is for
    assert "反映和考核部门政府采购预算执行情况" in indicator.explanation


@pytest.mark.parametrize(("indicator_id", "deduction", "section"), [
    ("A.3", "扣 1 分", "003 二（二）3"),  # 未提供所制定的制度或方案是否得到切实执行的佐证资料，扣1分
    ("B.1.7", "扣 1 分", "003 二（三）1.(7)"),  # 决算报表政府采购实际金额为0，与统计表24.89万元不一致，扣1分
    ("B.2.2", "扣 3 分", "003 二（三）2.(2)"),  # 未提供…检查、监控、督促整改的佐证资料，扣3分
    ("B.3.1", "扣 1 分", "003 二（三）3.(1)"),  # 固定资产未提取折旧的疏漏，扣1分
    ("C.2.3", "扣 1.5 分", "003 二（四）2.(3)"),  # 37个项目中只有23个完成了自评…无法判断，扣1.5分
    ("C.4.2", "扣 0.5 分", "003 二（四）4.(2)"),  # 未能在基层民生工作中同步进行满意度调查和意见征集，扣0.5分
])
def test_gd_municipal_2019_standards_generalise_003s_deductions_as_assumptions(indicator_id: str, deduction: str,
                                                                               section: str) -> None:
    """Each deduction 003 makes becomes the standard's deduction for that failing, citing the section; that one case
    stands for the rule is an assumption, and says so."""
    indicator = _texts("gd-municipal-2019", indicator_id)
    assert deduction in str(indicator.standard)
    assert str(indicator.standard_basis.source).startswith(section)
    assert deduction.replace(" ", "") in str(indicator.standard_basis.source).replace(" ", "")
    assert "推广" in str(indicator.standard_basis.assumed)


@pytest.mark.parametrize(("indicator_id", "formula"), [
    ("B.4", "财政供养人员控制率 = 在职人员数 ÷ 核定编制数 × 100%"),
    ("B.1.2", "结转结余率 = 结转结余总额 ÷ 调整预算数 × 100%（分母为预算数，不是本年支出完成数）"),
    ("B.1.3", "存量资金变动率 =（本年末存量资金 − 上年末存量资金）÷ 上年末存量资金 × 100%"),
    ("B.3.2", "固定资产利用率 = 在用固定资产总额 ÷ 全部固定资产总额 × 100%"),
    ("C.1.1", "公用经费控制率 = 实际公用经费 ÷ 预算公用经费 × 100%"),
    ("C.1.2", "“三公”经费控制率 = “三公”经费实际支出数 ÷ “三公”经费预算数 × 100%"),
    ("C.1.3", "预算调整率 = 预算调整数 ÷ 年初预算数 × 100%"),
])
def test_gd_municipal_2019_formulas_are_domain_notes(indicator_id: str, formula: str) -> None:
    """domain-notes.md's formulas, each citing it; 003 prints the figures (e.g. 二（三）1.(3) 存量资金 2,670.6 vs
    4,978.72 → −46.36%; 二（四）1.(3) 预算调整率 3.02%). 结转结余率 says which denominator (domain-notes lists two)."""
    indicator = _texts("gd-municipal-2019", indicator_id)
    assert formula in indicator.explanation
    basis = indicator.explanation_basis
    assert basis is not None and "domain-notes.md" in str(basis.source) and "003 二（" in str(basis.source)


def test_gd_district_2024_budget_execution_standard_is_002s_without_assumption() -> None:
    """002 一（二）: 预算支出执行率 96.92%, “未达100%”, 9.69 of 10 = 10 × 96.92%: the whole standard is stated."""
    indicator = _texts("gd-district-2024", "A.3")
    assert "按 分值 × 部门预算资金支出率 计分" in str(indicator.standard)
    assert "002 一（二）" in str(indicator.standard_basis.source) and "96.92%" in str(indicator.standard_basis.source)
    assert indicator.standard_basis.assumed is None


def test_gd_provincial_2021_economic_cost_standard_is_001s_conversion() -> None:
    """001 二（三）7 一是: 部门经济成本分析自评表 7.30 分 → “经济成本控制情况”得分 1.46 = 7.30 ÷ 10 × 2."""
    indicator = _texts("gd-provincial-2021", "B.7.1")
    assert "自评表得分 ÷ 10 × 2" in str(indicator.standard)
    assert "7.30" in str(indicator.standard_basis.source) and "1.46" in str(indicator.standard_basis.source)


def test_gd_municipal_2024_adjustment_standard_is_scored_within_its_range() -> None:
    """004 三（三）5: 加减分项 3.5 for four listed achievements; the ±5 range is the assumed 分值 (scored in [−5, 5])."""
    indicator = _texts("gd-municipal-2024", "X")
    assert indicator.adjustment and f"−{format_points(indicator.max)} 分至 {format_points(indicator.max)} 分" in str(indicator.standard)
    assert "004 三（三）5" in str(indicator.explanation_basis and indicator.explanation_basis.source)
    assert indicator.standard_basis.source is None and indicator.standard_basis.assumed


def test_gd_municipal_2024_standards_say_they_are_003s() -> None:
    """004 prints no 评分标准: every standard is gd-municipal-2019's (003's) and says so, or is assumed outright for an
    item 003 does not have (资产配置合规性, 资产盘点情况, 党建工作成效, 加减分项)."""
    framework = load_framework("gd-municipal-2024")
    own = {"B.3.1", "B.3.2", "C.3.5", "X"}
    for indicator in framework.leaves:
        basis = indicator.standard_basis
        assert basis is not None and basis.assumed, indicator.id
        if indicator.id in own:
            assert basis.source is None, indicator.id
        else:
            assert "003 二（" in str(basis.source) and ("沿用 gd-municipal-2019" in basis.assumed), indicator.id


def _counts(framework: Framework) -> list[int]:
    """Per framework, as docs/assumptions_caveats.md's table gives them: 指标解释 (all indicators) and 评分标准
    (leaves), each as total, sourced (the seed states all of it), sourced and part assumed, assumed."""
    row: list[int] = []
    for bases in ([i.explanation_basis for i in framework.indicators], [i.standard_basis for i in framework.leaves]):
        given = [b for b in bases if b is not None]
        row += [len(given), sum(1 for b in given if b.source and not b.assumed),
                sum(1 for b in given if b.source and b.assumed), sum(1 for b in given if not b.source)]
    return row


def test_the_data_log_counts_sourced_and_assumed_texts_per_framework() -> None:
    """docs/assumptions_caveats.md, 「Indicator frameworks: 指标解释 and 评分标准」: the table's counts are the files'."""
    text = (ROOT / "docs/assumptions_caveats.md").read_text(encoding="utf-8")
    section = text.split("## Indicator frameworks: 指标解释 and 评分标准", 1)[1].split("\n## ", 1)[0]
    rows = {cells[0]: [int(c) for c in cells[1:]] for line in section.splitlines()
            if line.startswith("| gd-") and (cells := [c.strip() for c in line.strip("|").split("|")])}
    assert rows == {framework_id: _counts(load_framework(framework_id)) for framework_id in SHIPPED}



# --- refused frameworks -----------------------------------------------------------------------------------


#: libyaml's loader and dumper where PyYAML has them: the test documents are read once and written often.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@functools.cache
def _shipped_document(framework_id: str) -> dict[str, Any]:
    document = yaml.load((FRAMEWORKS_DIR / f"{framework_id}.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
    assert isinstance(document, dict)
    return document


def _shipped(framework_id: str = "gd-municipal-2019") -> dict[str, Any]:
    return copy.deepcopy(_shipped_document(framework_id))


def _node(document: dict[str, Any], indicator_id: str) -> dict[str, Any]:
    stack = list(document["indicators"])
    while stack:
        node = stack.pop()
        if node["id"] == indicator_id:
            return node  # type: ignore[no-any-return]
        stack.extend(node.get("children", []))
    raise KeyError(indicator_id)


def _write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "my-framework.yaml"
    path.write_text(yaml.dump(document, Dumper=_DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_an_evaluators_own_framework_file_loads_by_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = _shipped()
    document["id"] = "my-city-2025"
    path = _write(tmp_path, document)
    assert load_framework(path).id == "my-city-2025"
    monkeypatch.chdir(tmp_path)
    assert load_framework("my-framework.yaml").id == "my-city-2025"


def _refused(tmp_path: Path, document: dict[str, Any]) -> FrameworkError:
    with pytest.raises(FrameworkError) as caught:
        load_framework(_write(tmp_path, document))
    assert "my-framework.yaml" in str(caught.value)
    return caught.value


def test_broken_weights_are_refused_naming_the_indicator(tmp_path: Path) -> None:
    document = _shipped()
    _node(document, "A.1.1")["max"] = 6  # 预算编制's four items now sum to 19, not 18
    error = _refused(tmp_path, document)
    assert error.indicator == "A.1"
    assert "指标 A.1：下级指标分值合计 A.1.1 6 + A.1.2 5 + A.1.3 4 + A.1.4 4 = 19，不等于本指标分值 18" in str(error)


def test_first_level_weights_must_add_up_to_full_marks(tmp_path: Path) -> None:
    document = _shipped()
    node = _node(document, "A.3")
    node["max"], _node(document, "A")["max"] = 3, 31
    with pytest.raises(FrameworkError, match=r"一级指标分值合计 A 31 \+ B 40 \+ C 30 = 101，不等于满分 100"):
        load_framework(_write(tmp_path, document))


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    document = _shipped()
    _node(document, "A.1.2")["id"] = "A.1.1"
    with pytest.raises(FrameworkError, match=re.escape("指标 A.1.1：编号重复")):
        load_framework(_write(tmp_path, document))


@pytest.mark.parametrize(("indicator", "rule", "message"), [
    ("A.1.1", {"kind": "guess"}, "rule 的 kind 'guess' 不是 evaluator、band、proportional、pass_fail、scaled 之一"),
    ("A.2.1", {"kind": "band", "input": "projects.goal_coverage", "source": "003"}, "band 规则缺少 bands"),
    ("A.2.1", {"kind": "band", "input": "projects.goal_coverage", "source": "003",
               "bands": [{"min": 60, "score": 1}, {"min": 80, "score": 2}, {"score": 0}]}, "bands 应按 min 从高到低排列"),
    ("A.2.1", {"kind": "band", "input": "projects.goal_coverage", "source": "003",
               "bands": [{"min": 80, "score": 3}, {"score": 0}]}, r"bands 第 1 项的得分 3 超出 \[0, 2\]"),
    ("B.1.4", {"kind": "pass_fail", "input": "procurement.execution_rate", "source": "003", "at_most": 100, "at_least": 0},
     "pass_fail 规则应写 at_most（不高于即满分）或 at_least（不低于即满分）其中之一"),
    ("B.1.1", {"kind": "proportional", "input": "budget.spend", "source": "003"}, "proportional 规则的 input 'budget.spend' 不是"),
    ("B.1.1", {"kind": "proportional", "input": "budget.execution_rate"}, "proportional 规则缺少 source（规则出处）或 assumed"),
    ("B.1.1", {"kind": "proportional", "input": "budget.execution_rate", "source": "003", "cap": 90}, "proportional 规则不接受字段「cap」"),
    ("B.1.1", {"kind": "scaled", "input": "subtable.score", "source": "001", "out_of": 0}, "scaled 规则的 out_of 0 应大于 0"),
])
def test_malformed_rules_are_refused_naming_the_indicator(tmp_path: Path, indicator: str, rule: dict[str, Any], message: str) -> None:
    document = _shipped()
    _node(document, indicator)["rule"] = rule
    with pytest.raises(FrameworkError, match=f"指标 {indicator}：{message}"):
        load_framework(_write(tmp_path, document))


def test_leaves_need_a_rule_parents_none_and_every_weight_a_source(tmp_path: Path) -> None:
    document = _shipped()
    del _node(document, "C.4.2")["rule"]
    _node(document, "C.4")["rule"] = "evaluator"
    del _node(document, "C.4.1")["source"]
    error = _refused(tmp_path, document)
    text = str(error)
    assert "指标 C.4.2：末级指标缺少 rule" in text
    assert "指标 C.4：有下级指标的指标不能再有 rule" in text
    assert "指标 C.4.1：缺少 source（分值出处：种子文件与章节）或 assumed（假设的理由）" in text


def test_ids_follow_the_scores_csv_scheme(tmp_path: Path) -> None:
    document = _shipped()
    _node(document, "B.2.1")["id"] = "B.3.9"
    with pytest.raises(FrameworkError, match=re.escape("指标 B.3.9：编号应以上级编号「B.2.」开头")):
        load_framework(_write(tmp_path, document))


def test_grades_must_descend_and_end_without_a_minimum(tmp_path: Path) -> None:
    document = _shipped()
    document["grades"] = [{"grade": "优", "min": 80}, {"grade": "良", "min": 90}, {"grade": "差", "min": 0}]
    error = _refused(tmp_path, document)
    assert "等级「良」的最低分 90 应低于上一级的 80" in str(error)
    assert "最低一级等级「差」不应写 min" in str(error)


def test_unknown_ids_missing_files_and_bad_yaml_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match="gd-2030：1 处问题\n  - 不是内置指标体系；应为 gd-district-2024、gd-municipal-2019"):
        load_framework("gd-2030")
    with pytest.raises(FrameworkError, match="文件不存在"):
        load_framework(tmp_path / "nowhere.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [", encoding="utf-8")
    with pytest.raises(FrameworkError, match="无法读取"):
        load_framework(bad)


# --- refused 指标解释, 评分标准 and outline ------------------------------------------------------------------------


@pytest.mark.parametrize(("indicator", "key", "value", "message"), [
    ("A.1.1", "explanation", {"text": "部门预算编制是否合理。", "source": "003", "note": "x"},
     "explanation（指标解释）的未知字段「note」；允许的字段为 assumed、source、text"),
    ("A.1.1", "explanation", {"source": "003 二（二）1.(1)"}, "explanation（指标解释）缺少 text"),
    ("A.1.1", "explanation", {"text": 5, "source": "003"}, "explanation（指标解释）的 text 应为文字，而不是 5"),
    ("A.1.1", "standard", {"text": "符合要求的，得满分。"},
     "standard（评分标准）缺少 source（出处：种子文件与章节）或 assumed（假设的理由）"),
    ("A.1.1", "standard", {"text": "符合要求的，得满分。", "source": "  ", "assumed": ""},
     "standard（评分标准）缺少 source（出处：种子文件与章节）或 assumed（假设的理由）"),
    ("B.1.4", "standard", "未超过计划金额的，得 2 分。",
     "standard（评分标准）应为 {text: 文字, source: 出处} 或 {text: 文字, assumed: 假设的理由}"),
    ("A.1", "standard", {"text": "四项之和。", "assumed": "x"}, "有下级指标的指标不写 standard（评分标准）：其得分为下级得分之和"),
])
def test_malformed_texts_are_refused_naming_the_file_and_indicator(tmp_path: Path, indicator: str, key: str,
                                                                    value: object, message: str) -> None:
    document = _shipped()
    _node(document, indicator)[key] = value
    with pytest.raises(FrameworkError, match=re.escape(f"指标 {indicator}：{message}")) as caught:
        load_framework(_write(tmp_path, document))
    assert "my-framework.yaml" in str(caught.value) and caught.value.indicator == indicator


def test_texts_are_optional_and_may_be_sourced_and_assumed_at_once(tmp_path: Path) -> None:
    """An evaluator's own file may leave the texts out (the annex shows them empty); a text may cite its seed and
    assume the rest, and both are kept for the data log."""
    document = _shipped()
    del _node(document, "A.1.1")["explanation"], _node(document, "A.1.1")["standard"], _node(document, "A")["explanation"]
    del document["outline"]
    framework = load_framework(_write(tmp_path, document))
    first, group = framework.indicator("A.1.1"), framework.indicator("A")
    assert first is not None and (first.explanation, first.standard, first.standard_basis) == (None, None, None)
    assert group is not None and group.explanation is None and framework.outline is None
    coverage = framework.indicator("A.2.1")
    assert coverage is not None and coverage.standard_basis is not None
    assert str(coverage.standard_basis).startswith("003 二（二）2.(1)（“绩效目标覆盖率在60%和80%之间，该项得1分”）；假设：")


def test_an_unknown_outline_is_refused(tmp_path: Path) -> None:
    document = _shipped()
    document["outline"] = "county"
    with pytest.raises(FrameworkError, match=re.escape("outline 'county' 不是 municipal、provincial 之一")):
        load_framework(_write(tmp_path, document))


# --- budget thresholds (the results summary's lines) ---------------------------------------------------------


def test_every_shipped_framework_sets_its_budget_thresholds_with_a_basis() -> None:
    for framework_id in framework_ids():
        fw = load_framework(framework_id)
        lines = {t.measure: t for t in fw.thresholds}
        assert set(lines) == {"execution_rate", "adjustment_rate", "carryover_rate"}, framework_id
        assert all(t.basis is not None and (t.basis.source or t.basis.assumed) for t in fw.thresholds)
        assert lines["execution_rate"].within(Decimal(90)) and not lines["execution_rate"].within(Decimal("89.99"))
        # 预算调整率 is held by its size, either way (domain-notes.md: above 30% must be explained)
        assert not lines["adjustment_rate"].within(Decimal("-30.01")) and lines["adjustment_rate"].within(Decimal(-30))


@pytest.mark.parametrize(("thresholds", "message"), [
    ({"spending": {"at_least": 90, "source": "x"}}, "thresholds 中的「spending」不是可设阈值的指标"),
    ({"execution_rate": {"source": "x"}}, "thresholds.execution_rate 应含 at_least 或 at_most"),
    ({"execution_rate": {"at_least": 90}}, "thresholds.execution_rate 缺少 source（种子文件与章节）或 assumed"),
    ({"execution_rate": {"at_least": "九十", "assumed": "x"}}, "thresholds.execution_rate.at_least '九十'"),
    ([90], "thresholds 应为"),
])
def test_malformed_thresholds_are_refused(tmp_path: Path, thresholds: object, message: str) -> None:
    document = _shipped()
    document["thresholds"] = thresholds
    with pytest.raises(FrameworkError, match=re.escape(message)):
        load_framework(_write(tmp_path, document))
