"""Indicator frameworks (指标体系) as data: one YAML file per framework, validated on load.

A framework is a tree of indicators (一级 → 二级 → 三级). Every indicator has an id (``A``, ``A.1``, ``A.1.1``,
as in ``scores.csv``), its Chinese name, its 分值 and the source of that weight (seed file and section), or
``assumed`` with the reason where no seed states it. Every leaf has a rule: ``evaluator`` (the evaluator's
score, taken from the data) or an auto rule computed from the data (``band``, ``proportional``, ``pass_fail``,
``scaled``). A top-level indicator marked ``adjustment`` is a 加减分项, scored in [−分值, 分值] on top of the
framework's full marks. The grade thresholds are part of the framework.

For the annex 评分表 an indicator may carry its 指标解释 (``explanation``: what it measures, its formula where it has
one) and, a leaf, its 评分标准 (``standard``: how points are given), each ``{text: …, source: …}`` or ``{text: …,
assumed: …}`` (both when the seed states part and the rest is assumed). Where an auto rule scores the leaf, its
评分标准 says what the rule computes. ``outline`` names the outline the evaluation report follows: ``municipal``
(003's) or ``provincial`` (000/001/002's).

The shipped frameworks are ``auditkit/frameworks/<id>.yaml``; :func:`load_framework` takes such an id or the path
of an evaluator's own file. Loading refuses a framework whose children's 分值 do not add up to their parent's,
whose ids repeat, or whose rules are malformed, with a :class:`FrameworkError` naming the file and the indicator.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal, TypeGuard, get_args

import yaml

from auditkit.data.numbers import format_points, parse_number
from auditkit.data.yamltext import load_core
from auditkit.exceptions import FrameworkError, FrameworkProblem, NumberFormatError, YamlValueError
from auditkit.paths import display, project_root
from auditkit.scoring.rules import RULE_INPUTS

__all__ = [
    "BUDGET_MEASURES",
    "FRAMEWORKS_DIR",
    "OUTLINES",
    "RULE_KINDS",
    "Band",
    "Basis",
    "BudgetMeasure",
    "Framework",
    "Grade",
    "Indicator",
    "Outline",
    "Rule",
    "RuleKind",
    "Threshold",
    "framework_files",
    "framework_ids",
    "load_framework",
    "resolve_framework",
]

#: Where the shipped framework files live, one ``<id>.yaml`` each.
FRAMEWORKS_DIR = Path(__file__).parent / "frameworks"

#: Rule kinds: the evaluator's judgement, or an auto rule computed from the department's data.
RuleKind = Literal["evaluator", "band", "proportional", "pass_fail", "scaled"]
RULE_KINDS: tuple[RuleKind, ...] = get_args(RuleKind)

#: The outline of the evaluation report a framework's department gets: ``municipal`` is 003's (摘要; 一、部门基本情况;
#: 二、绩效评价指标分析; 三、评价结论; 四、主要绩效; 五、存在问题; 六、相关建议), ``provincial`` is 000/001/002's
#: (一、部门基本情况; 二、绩效自评情况: 自评结论, 履职效能分析, 管理效率分析, 存在问题和改进措施; 上年度整改情况).
Outline = Literal["municipal", "provincial"]
OUTLINES: tuple[Outline, ...] = get_args(Outline)

_ID = re.compile(r"^[A-Z](?:\.\d+)*$")
_FRAMEWORK_KEYS = {"id", "name", "max", "grades", "indicators", "source", "description", "outline", "thresholds"}
#: The budget measures a framework sets a threshold for (``thresholds``), with their Chinese names: a department
#: outside one is pointed out in the year's results summary.
BudgetMeasure = Literal["execution_rate", "adjustment_rate", "carryover_rate"]
BUDGET_MEASURES: dict[BudgetMeasure, str] = {
    "execution_rate": "预算执行率", "adjustment_rate": "预算调整率", "carryover_rate": "结转结余率",
}
_THRESHOLD_KEYS = {"at_least", "at_most", "source", "assumed"}
_INDICATOR_KEYS = {"id", "name", "max", "children", "rule", "adjustment", "source", "assumed", "explanation", "standard"}
#: The texts of the annex 评分表 an indicator may carry, with their Chinese names, and the keys of each.
_WORDINGS = {"explanation": "指标解释", "standard": "评分标准"}
_WORDING_KEYS = {"text", "source", "assumed"}
_RULE_KEYS: dict[RuleKind, set[str]] = {
    "evaluator": set(),
    "band": {"input", "bands"},
    "proportional": {"input"},
    "pass_fail": {"input", "at_most", "at_least", "pass", "fail"},
    "scaled": {"input", "out_of"},
}
_COMMON_RULE_KEYS = {"kind", "source", "assumed"}


@dataclass(frozen=True)
class Band:
    """One band of a band rule: an input at or above ``min`` (and below the band above) scores ``score``.

    ``min`` is None for the lowest band: everything below the band above it.
    """

    score: Decimal
    min: Decimal | None = None


@dataclass(frozen=True)
class Rule:
    """How a leaf indicator is scored (评分规则).

    - ``evaluator``: the evaluator's score from the data, in [0, 分值], with a reason whenever below full marks;
    - ``band``: the first of ``bands`` (highest ``min`` first) whose ``min`` the input reaches;
    - ``proportional``: 分值 × input ÷ 100 (input a rate in %, capped at 100%), e.g. 002 预算资金支出率 96.92% → 9.69 of 10;
    - ``pass_fail``: full marks when the input is at most ``at_most`` (or at least ``at_least``), else 0;
    - ``scaled``: input ÷ ``out_of`` × 分值, a sub-table's score carried over, e.g. 001 经济成本 7.30 of 10 → 1.46 of 2.
    ``pass_text`` / ``fail_text`` word the outcome of a pass/fail rule in the draft sentence.
    """

    kind: RuleKind
    input: str | None = None
    bands: tuple[Band, ...] = ()
    at_most: Decimal | None = None
    at_least: Decimal | None = None
    out_of: Decimal | None = None
    pass_text: str | None = None
    fail_text: str | None = None
    source: str | None = None
    assumed: str | None = None

    @property
    def auto(self) -> bool:
        """Whether the rule computes the score from the data (every kind but ``evaluator``)."""
        return self.kind != "evaluator"


@dataclass(frozen=True)
class Basis:
    """Where a text of a framework comes from (for the data log): the seed file and section that states it
    (``source``), the assumption made and its reason (``assumed``), or both (the seed states part, the rest is assumed)."""

    source: str | None = None
    assumed: str | None = None

    def __str__(self) -> str:
        """The basis in one line: 「003 二（二）2.(1)；假设：…」."""
        return "；".join(p for p in (self.source, f"假设：{self.assumed}" if self.assumed else None) if p)


@dataclass(frozen=True)
class Indicator:
    """One indicator of a framework: 分值, place in the tree, rule (leaves only) and the basis of its weight.

    ``explanation`` (指标解释: what it measures, its formula where it has one) and ``standard`` (评分标准: how points
    are given; leaves only) are the annex 评分表's texts, each with its basis (``explanation_basis``, ``standard_basis``).
    """

    id: str
    name: str
    level: int
    max: Decimal
    parent: str | None = None
    children: tuple[str, ...] = ()
    rule: Rule | None = None
    adjustment: bool = False
    source: str | None = None
    assumed: str | None = None
    explanation: str | None = None
    explanation_basis: Basis | None = None
    standard: str | None = None
    standard_basis: Basis | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class Threshold:
    """A framework's line for one budget measure (in %): a department is within it at or above ``at_least``, at or
    below ``at_most`` (预算调整率: its size, either way), with the basis of the line."""

    measure: BudgetMeasure
    at_least: Decimal | None = None
    at_most: Decimal | None = None
    basis: Basis | None = None

    @property
    def name(self) -> str:
        return BUDGET_MEASURES[self.measure]

    @property
    def text(self) -> str:
        """The line as a table prints it: ``≥ 90%``, ``≤ 30%``."""
        parts = [f"≥ {format_points(self.at_least)}%" if self.at_least is not None else "",
                 f"≤ {format_points(self.at_most)}%" if self.at_most is not None else ""]
        return "，".join(p for p in parts if p)

    def within(self, rate: Decimal) -> bool:
        """Whether ``rate`` (in %) is within the line."""
        shown = abs(rate) if self.measure == "adjustment_rate" else rate
        return (self.at_least is None or shown >= self.at_least) and (self.at_most is None or shown <= self.at_most)


@dataclass(frozen=True)
class Grade:
    """One grade (绩效等级): reached by a total at or above ``min``; the lowest grade has no ``min``."""

    name: str
    min: Decimal | None = None


@dataclass(frozen=True)
class Framework:
    """An indicator framework: its indicators in report order (each parent before its children) and its grades."""

    id: str
    name: str
    max: Decimal
    grades: tuple[Grade, ...]
    indicators: tuple[Indicator, ...]
    path: str
    source: str | None = None
    description: str | None = None
    outline: Outline | None = None
    thresholds: tuple[Threshold, ...] = ()

    def threshold(self, measure: BudgetMeasure) -> Threshold | None:
        """The framework's line for a budget measure, or None when it sets none."""
        return next((t for t in self.thresholds if t.measure == measure), None)

    def indicator(self, indicator_id: str) -> Indicator | None:
        """The indicator with this id, or None."""
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def children_of(self, indicator_id: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.parent == indicator_id)

    @property
    def roots(self) -> tuple[Indicator, ...]:
        """The 一级 indicators, 加减分项 included."""
        return tuple(i for i in self.indicators if i.parent is None)

    @property
    def leaves(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.is_leaf)

    def grade(self, total: Decimal) -> str:
        """The grade a total reaches (e.g. 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差)."""
        for grade in self.grades:
            if grade.min is None or total >= grade.min:
                return grade.name
        raise AssertionError("validated frameworks end with a grade without a minimum")  # pragma: no cover


def framework_ids() -> list[str]:
    """The ids of the frameworks shipped with auditkit, sorted."""
    return sorted(p.stem for p in FRAMEWORKS_DIR.glob("*.yaml"))


def load_framework(ref: str | Path) -> Framework:
    """Load and validate a framework: a shipped id (``gd-municipal-2019``) or the path of a YAML file.

    A relative path is read from the working directory, else from the project root (as ``params/`` files name it).
    Raises :class:`FrameworkError` naming the file and every indicator with a problem.
    """
    path = resolve_framework(ref)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(display(path), [FrameworkProblem(None, f"无法读取：{exc}")]) from exc
    return _parse(display(path), path.stem if path.parent == FRAMEWORKS_DIR else None, text)


@functools.lru_cache(maxsize=16)
def _parse(where: str, expected_id: str | None, text: str) -> Framework:
    """A framework file's text, parsed and validated once per process while it is unchanged (validating a
    department loads its framework, so every load would otherwise parse it again); a Framework is frozen."""
    try:
        document = load_core(text)
    except YamlValueError as exc:  # an impossible !!timestamp, a 5000-digit integer …
        raise FrameworkError(where, [FrameworkProblem(None, f"无法读取：{exc}")]) from None
    except yaml.YAMLError as exc:
        raise FrameworkError(where, [FrameworkProblem(None, f"无法读取：{exc}")]) from exc
    return _Builder(where, expected_id).build(document)


def framework_files(ref: str | Path) -> list[Path]:
    """The file a framework reference names, as a one-item list; empty when it names none (for input hashes)."""
    try:
        return [resolve_framework(ref)]
    except FrameworkError:
        return []


def resolve_framework(ref: str | Path) -> Path:
    """The file of a framework reference: a shipped id, or a path (from the working directory, else the project
    root); raise :class:`FrameworkError` saying what is expected when there is none."""
    text = str(ref)
    if isinstance(ref, Path) or text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        path = Path(ref)
        for candidate in (path, project_root() / path):
            if candidate.is_file():
                return candidate
        raise FrameworkError(text, [FrameworkProblem(None, "文件不存在；请给出指标体系 YAML 文件的路径，或内置指标体系的编号")])
    shipped = FRAMEWORKS_DIR / f"{text}.yaml"
    if not shipped.is_file():
        known = "、".join(framework_ids())
        raise FrameworkError(text, [FrameworkProblem(None, f"不是内置指标体系；应为 {known} 之一，或一个 .yaml 文件的路径")])
    return shipped


class _Builder:
    """Walks one framework document, collecting every problem before refusing it."""

    def __init__(self, path: str, expected_id: str | None) -> None:
        self.path = path
        self.expected_id = expected_id
        self.problems: list[FrameworkProblem] = []
        self.indicators: list[Indicator] = []

    def fail(self, indicator: str | None, message: str) -> None:
        self.problems.append(FrameworkProblem(indicator, message))

    def build(self, document: object) -> Framework:
        if not isinstance(document, dict):
            raise FrameworkError(self.path, [FrameworkProblem(None, "文件应为一个映射（id、name、max、grades、indicators）")])
        for key in sorted(set(document) - _FRAMEWORK_KEYS, key=str):
            self.fail(None, f"未知字段「{key}」；允许的字段为 {'、'.join(sorted(_FRAMEWORK_KEYS))}")
        framework_id = self.text(document, "id", None, required=True)
        if self.expected_id and framework_id and framework_id != self.expected_id:
            self.fail(None, f"id「{framework_id}」与文件名 {self.expected_id}.yaml 不一致")
        name = self.text(document, "name", None, required=True)
        outline = self.outline(document.get("outline"))
        total = self.number(document.get("max"), "满分 max", None)
        grades = self.grades(document.get("grades"), total)
        thresholds = self.thresholds(document.get("thresholds"))
        raw = document.get("indicators")
        if not isinstance(raw, list) or not raw:
            self.fail(None, "缺少 indicators（一级指标的列表）")
            raw = []
        roots = [self.indicator(item, None, 1, f"indicators[{n}]") for n, item in enumerate(raw)]
        self.check_ids()
        scored = [r for r in roots if r is not None and not r.adjustment]
        if total is not None and scored and all(r is not None for r in roots):
            weights = sum((r.max for r in scored), Decimal(0))
            if weights != total:
                listing = " + ".join(f"{r.id} {format_points(r.max)}" for r in scored)
                self.fail(None, f"一级指标分值合计 {listing} = {format_points(weights)}，不等于满分 {format_points(total)}")
        if self.problems:
            raise FrameworkError(self.path, self.problems)
        assert framework_id is not None and name is not None and total is not None
        return Framework(
            id=framework_id, name=name, max=total, grades=grades, indicators=tuple(self.indicators),
            path=self.path, source=_opt_text(document.get("source")), description=_opt_text(document.get("description")),
            outline=outline, thresholds=thresholds,
        )

    # --- fields ---------------------------------------------------------------------------------------

    def text(self, mapping: dict[str, object], key: str, indicator: str | None, required: bool = False,
             within: str = "") -> str | None:
        """A text field of ``mapping`` (stripped), None when absent; ``within`` names the field it is part of."""
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(indicator, f"{within}缺少 {key}")
            return None
        if not isinstance(value, str):
            self.fail(indicator, f"{within}{'的 ' if within else ''}{key} 应为文字，而不是 {value!r}")
            return None
        return value.strip()

    def thresholds(self, raw: object) -> tuple[Threshold, ...]:
        """``thresholds``: for each budget measure (预算执行率 …), ``at_least`` and/or ``at_most`` in %, with its basis."""
        if raw is None:
            return ()
        if not isinstance(raw, dict):
            self.fail(None, f"thresholds 应为「指标: {{at_least/at_most: 数值, source/assumed: 依据}}」的映射，而不是 {raw!r}")
            return ()
        out: list[Threshold] = []
        for measure, spec in raw.items():
            if measure not in BUDGET_MEASURES:
                self.fail(None, f"thresholds 中的「{measure}」不是可设阈值的指标；可用：{'、'.join(BUDGET_MEASURES)}")
                continue
            if not isinstance(spec, dict) or not ({"at_least", "at_most"} & set(spec)) or set(spec) - _THRESHOLD_KEYS:
                self.fail(None, f"thresholds.{measure} 应含 at_least 或 at_most（%），及 source 或 assumed；实际为 {spec!r}")
                continue
            where = f"thresholds.{measure}"
            low = self.number(spec.get("at_least"), f"{where}.at_least", None) if "at_least" in spec else None
            high = self.number(spec.get("at_most"), f"{where}.at_most", None) if "at_most" in spec else None
            source, assumed = _opt_text(spec.get("source")), _opt_text(spec.get("assumed"))
            if not source and not assumed:
                self.fail(None, f"{where} 缺少 source（种子文件与章节）或 assumed（假设及理由）")
            out.append(Threshold(measure, low, high, Basis(source, assumed)))
        return tuple(out)

    def outline(self, value: object) -> Outline | None:
        """The report outline the framework names (optional): ``municipal`` or ``provincial``."""
        if value is None or _is_outline(value):
            return value
        self.fail(None, f"outline {value!r} 不是 {'、'.join(OUTLINES)} 之一（municipal：003 的报告大纲；provincial：000/001/002 的）")
        return None

    def number(self, value: object, what: str, indicator: str | None) -> Decimal | None:
        if value is None:
            self.fail(indicator, f"缺少{what}")
            return None
        try:
            number = parse_number(value)
        except NumberFormatError as exc:
            self.fail(indicator, f"{what} {exc.raw!r} {exc.reason}")
            return None
        if number is None:
            self.fail(indicator, f"缺少{what}")
            return None
        return number.value

    def grades(self, raw: object, total: Decimal | None) -> tuple[Grade, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail(None, "缺少 grades（绩效等级及其最低分，如 {grade: 优, min: 90}，最低一级不写 min）")
            return ()
        grades: list[Grade] = []
        for n, item in enumerate(raw):
            if not isinstance(item, dict) or not isinstance(item.get("grade"), str):
                self.fail(None, f"grades 第 {n + 1} 项应为 {{grade: 等级, min: 最低分}}")
                continue
            last = n == len(raw) - 1
            if last and item.get("min") is not None:
                self.fail(None, f"最低一级等级「{item['grade']}」不应写 min（低于上一级最低分即为此级）")
            low = None if last else self.number(item.get("min"), f"等级「{item['grade']}」的最低分 min", None)
            if low is not None and grades and grades[-1].min is not None and low >= grades[-1].min:
                self.fail(None, f"等级「{item['grade']}」的最低分 {format_points(low)} 应低于上一级的 {format_points(grades[-1].min)}（从高到低排列）")
            if low is not None and total is not None and low > total:
                self.fail(None, f"等级「{item['grade']}」的最低分 {format_points(low)} 超过满分 {format_points(total)}")
            grades.append(Grade(item["grade"], low))
        return tuple(grades)

    # --- indicators -----------------------------------------------------------------------------------

    def indicator(self, raw: object, parent: Indicator | None, level: int, where: str) -> Indicator | None:
        """One indicator and, depth first, its children; None when it is too malformed to place in the tree."""
        if not isinstance(raw, dict):
            self.fail(parent.id if parent else None, f"{where} 应为一个指标（含 id、name、max）")
            return None
        ident = raw.get("id")
        label = str(ident) if ident is not None else where
        for key in sorted(set(raw) - _INDICATOR_KEYS, key=str):
            self.fail(label, f"未知字段「{key}」；允许的字段为 {'、'.join(sorted(_INDICATOR_KEYS))}")
        valid_id = self.identifier(ident, label, parent)
        name = self.text(raw, "name", label, required=True)
        weight = self.number(raw.get("max"), "分值 max", label)
        if weight is not None and weight < 0:
            self.fail(label, f"分值 {format_points(weight)} 不能为负")
        source, assumed = self.text(raw, "source", label), self.text(raw, "assumed", label)
        if source is None and assumed is None:
            self.fail(label, "缺少 source（分值出处：种子文件与章节）或 assumed（假设的理由）")
        adjustment = self.adjustment(raw, label, parent)
        raw_children, raw_rule = raw.get("children"), raw.get("rule")
        explanation, explanation_basis = self.wording(raw, "explanation", label)
        standard, standard_basis = self.wording(raw, "standard", label)
        if standard is not None and raw_children is not None:
            self.fail(label, "有下级指标的指标不写 standard（评分标准）：其得分为下级得分之和")
        if raw_children is not None and raw_rule is not None:
            self.fail(label, "有下级指标的指标不能再有 rule（其得分为下级得分之和）")
        if raw_children is None and raw_rule is None:
            self.fail(label, "末级指标缺少 rule（evaluator、band、proportional、pass_fail 或 scaled）")
        if valid_id is None or name is None or weight is None:
            return None
        rule = self.rule(raw_rule, valid_id, weight) if raw_rule is not None and raw_children is None else None
        node = Indicator(
            valid_id, name, level, weight, parent.id if parent else None, rule=rule, adjustment=adjustment,
            source=source, assumed=assumed, explanation=explanation, explanation_basis=explanation_basis,
            standard=standard, standard_basis=standard_basis,
        )
        position = len(self.indicators)
        self.indicators.append(node)  # before its children: report order
        if raw_children is not None:
            node = dataclasses.replace(node, children=self.children(raw_children, node))
            self.indicators[position] = node
        return node

    def wording(self, raw: dict[str, object], key: str, label: str) -> tuple[str | None, Basis | None]:
        """An indicator's 指标解释 or 评分标准 (``key``): ``{text: …, source: …}`` or ``{text: …, assumed: …}`` (or
        both); (None, None) when absent or malformed, the problem recorded."""
        value = raw.get(key)
        if value is None:
            return None, None
        what = f"{key}（{_WORDINGS[key]}）"
        if not isinstance(value, dict):
            self.fail(label, f"{what}应为 {{text: 文字, source: 出处}} 或 {{text: 文字, assumed: 假设的理由}}，而不是 {value!r}")
            return None, None
        for extra in sorted(set(value) - _WORDING_KEYS, key=str):
            self.fail(label, f"{what}的未知字段「{extra}」；允许的字段为 {'、'.join(sorted(_WORDING_KEYS))}")
        text = self.text(value, "text", label, required=True, within=what)
        source, assumed = self.text(value, "source", label, within=what), self.text(value, "assumed", label, within=what)
        if source is None and assumed is None:
            self.fail(label, f"{what}缺少 source（出处：种子文件与章节）或 assumed（假设的理由）")
            return None, None
        return (text, Basis(source, assumed)) if text is not None else (None, None)

    def identifier(self, ident: object, label: str, parent: Indicator | None) -> str | None:
        """The indicator's id when well-formed (A, A.1, A.1.1), a problem of its place in the tree recorded."""
        if not isinstance(ident, str) or not _ID.match(ident):
            self.fail(label, "id 应如 A、A.1、A.1.1（一级为大写字母，下级在上级编号后加「.序号」）")
            return None
        if parent is not None and ident.rsplit(".", 1)[0] != parent.id:
            self.fail(ident, f"编号应以上级编号「{parent.id}.」开头")
        elif parent is None and "." in ident:
            self.fail(ident, "一级指标的编号应为一个大写字母")
        return ident

    def adjustment(self, raw: dict[str, object], label: str, parent: Indicator | None) -> bool:
        """Whether the indicator is a 加减分项: a 一级 indicator marked so, or any indicator under one."""
        adjustment = raw.get("adjustment", False)
        if not isinstance(adjustment, bool):
            self.fail(label, "adjustment 应为 true 或 false")
            adjustment = False
        if adjustment and parent is not None:
            self.fail(label, "加减分项（adjustment）只能是一级指标")
        return adjustment or (parent is not None and parent.adjustment)

    def children(self, raw: object, node: Indicator) -> tuple[str, ...]:
        """The ids of an indicator's children, each built in turn; their 分值 must add up to the indicator's."""
        if not isinstance(raw, list) or not raw:
            self.fail(node.id, "children 应为下级指标的非空列表")
            return ()
        children = [self.indicator(c, node, node.level + 1, f"{node.id} 的第 {n + 1} 个下级") for n, c in enumerate(raw)]
        built = [c for c in children if c is not None]
        if len(built) == len(children):
            weights = sum((c.max for c in built), Decimal(0))
            if weights != node.max:
                listing = " + ".join(f"{c.id} {format_points(c.max)}" for c in built)
                self.fail(node.id, f"下级指标分值合计 {listing} = {format_points(weights)}，不等于本指标分值 {format_points(node.max)}")
        return tuple(c.id for c in built)

    def rule(self, raw: object, ident: str, weight: Decimal) -> Rule | None:
        """A leaf's rule: a kind (``evaluator``, or an auto rule with its input) and the fields of that kind."""
        if isinstance(raw, str):
            raw = {"kind": raw}
        kind = raw.get("kind") if isinstance(raw, dict) else raw
        if not isinstance(raw, dict) or not _is_rule_kind(kind):
            self.fail(ident, f"rule 的 kind {kind!r} 不是 {'、'.join(RULE_KINDS)} 之一")
            return None
        allowed = _RULE_KEYS[kind] | _COMMON_RULE_KEYS
        for key in sorted(set(raw) - allowed, key=str):
            self.fail(ident, f"{kind} 规则不接受字段「{key}」；允许 {'、'.join(sorted(allowed))}")
        source, assumed = self.text(raw, "source", ident), self.text(raw, "assumed", ident)
        if kind == "evaluator":
            return Rule(kind, source=source, assumed=assumed)
        if source is None and assumed is None:
            self.fail(ident, f"{kind} 规则缺少 source（规则出处）或 assumed（假设的理由）")
        name = raw.get("input")
        if name not in RULE_INPUTS:
            self.fail(ident, f"{kind} 规则的 input {name!r} 不是 {'、'.join(RULE_INPUTS)} 之一")
            return None
        base = Rule(kind, name, source=source, assumed=assumed)
        if kind == "band":
            bands = self.bands(raw.get("bands"), ident, weight)
            return dataclasses.replace(base, bands=bands) if bands else None
        if kind == "pass_fail":
            return self.pass_fail(raw, ident, base)
        if kind == "scaled":
            return self.scaled(raw, ident, base)
        return base  # proportional: the input alone

    def pass_fail(self, raw: dict[str, object], ident: str, base: Rule) -> Rule | None:
        """A pass/fail rule's limit (``at_most`` or ``at_least``, exactly one) and its outcome's words."""
        if (raw.get("at_most") is None) == (raw.get("at_least") is None):
            self.fail(ident, "pass_fail 规则应写 at_most（不高于即满分）或 at_least（不低于即满分）其中之一")
            return None
        key = "at_most" if raw.get("at_most") is not None else "at_least"
        limit = self.number(raw.get(key), f"pass_fail 规则的 {key}", ident)
        if limit is None:
            return None
        pass_text, fail_text = self.text(raw, "pass", ident), self.text(raw, "fail", ident)
        at_most, at_least = (limit, None) if key == "at_most" else (None, limit)
        return dataclasses.replace(base, at_most=at_most, at_least=at_least, pass_text=pass_text, fail_text=fail_text)

    def scaled(self, raw: dict[str, object], ident: str, base: Rule) -> Rule | None:
        """A scaled rule's ``out_of``: the full marks of the sub-table whose score is carried over."""
        out_of = self.number(raw.get("out_of"), "scaled 规则的分表满分 out_of", ident)
        if out_of is not None and out_of <= 0:
            self.fail(ident, f"scaled 规则的 out_of {format_points(out_of)} 应大于 0")
            return None
        return dataclasses.replace(base, out_of=out_of) if out_of is not None else None

    def bands(self, raw: object, ident: str, weight: Decimal) -> tuple[Band, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail(ident, "band 规则缺少 bands（如 [{min: 80, score: 2}, {min: 60, score: 1}, {score: 0}]）")
            return ()
        bands: list[Band] = []
        for n, item in enumerate(raw):
            if not isinstance(item, dict):
                self.fail(ident, f"bands 第 {n + 1} 项应为 {{min: 下限, score: 得分}}")
                return ()
            points = self.number(item.get("score"), f"bands 第 {n + 1} 项的 score", ident)
            last = n == len(raw) - 1
            low = None if last and item.get("min") is None else self.number(item.get("min"), f"bands 第 {n + 1} 项的 min", ident)
            if points is None or (low is None and not last):
                return ()
            if not Decimal(0) <= points <= weight:
                self.fail(ident, f"bands 第 {n + 1} 项的得分 {format_points(points)} 超出 [0, {format_points(weight)}]")
            if low is not None and bands and bands[-1].min is not None and low >= bands[-1].min:
                self.fail(ident, f"bands 应按 min 从高到低排列：第 {n + 1} 项的 {format_points(low)} 不低于上一项的 {format_points(bands[-1].min)}")
            bands.append(Band(points, low))
        return tuple(bands)

    def check_ids(self) -> None:
        seen: set[str] = set()
        for indicator in self.indicators:
            if indicator.id in seen:
                self.fail(indicator.id, "编号重复")
            seen.add(indicator.id)


def _is_rule_kind(value: object) -> TypeGuard[RuleKind]:
    return value in RULE_KINDS


def _is_outline(value: object) -> TypeGuard[Outline]:
    return value in OUTLINES


def _opt_text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
