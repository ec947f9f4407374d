"""auditkit.scoring.framework: the shipped indicator frameworks carry the seeds' weights, and broken frameworks are refused.

Weights cite the seed that states them (../shared/seeds/NNN_*.txt, section); weights no seed states are `assumed`
(docs/assumptions_caveats.md, "Indicator frameworks").
"""

from __future__ import annotations

import copy
import itertools
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from auditkit import load
from auditkit.data.schema import FRAMEWORKS
from auditkit.exceptions import FrameworkError
from auditkit.scoring.framework import FRAMEWORKS_DIR, Framework, framework_ids, load_framework

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


# --- refused frameworks -----------------------------------------------------------------------------------


def _shipped(framework_id: str = "gd-municipal-2019") -> dict[str, Any]:
    document = yaml.safe_load((FRAMEWORKS_DIR / f"{framework_id}.yaml").read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return copy.deepcopy(document)


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
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
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
