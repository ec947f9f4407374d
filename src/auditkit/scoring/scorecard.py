"""The scoring engine: a department's data and its framework → the 评分表, every level's 得分, the total and the grade.

:func:`score` is pure. Each leaf is scored by its framework rule: an auto rule (band, proportional, pass/fail, scaled)
computes its input from the department's data through :mod:`auditkit.analyses.metrics`, falling back on the figure the report
states only when the data holds no inputs (and its draft sentence says so); an evaluator rule takes the evaluator's
score from ``DepartmentYear.scores``. Where the data holds the evaluator's score for an auto-scored leaf and it
differs, the evaluator's score overrides the rule's, with a reason, and both are kept.

Every parent's 得分 is the sum of its children's, computed, never copied: a subtotal the report states (a parent
row of ``scores.csv``, a ``score.indicator`` in ``stated.csv``) is evidence, compared and noted when it differs
(003 效果性: stated 9.6, leaves 9.8). A leaf without a score leaves its parents and the total missing, never zero.
Problems with the scores themselves (above 分值, a deduction or an override without a reason, a 分值 that disagrees
with the framework, an indicator the framework lacks) raise :class:`ScoringError` naming every indicator.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from auditkit.analyses.metrics import score_rate
from auditkit.data.model import DepartmentYear, Score
from auditkit.data.numbers import Number, format_points, format_rate, value
from auditkit.exceptions import ScoreProblem, ScoringError
from auditkit.scoring.framework import Framework, Grade, Indicator, RuleKind
from auditkit.scoring.rules import apply_rule, rule_input
from auditkit.terminal import pad, width

__all__ = [
    "IndicatorScore",
    "Scorecard",
    "ScoredBy",
    "format_scorecard",
    "score",
]

#: Who gave a row its 得分: the auto rule, the evaluator, the evaluator over the rule, or the sum of the children.
ScoredBy = Literal["rule", "evaluator", "override", "sum"]

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_MISSING = "—"


# --- the scorecard ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorScore:
    """One row of the 评分表.

    ``score`` is the 得分 that counts: for a leaf the rule's (``scored_by`` ``rule``), the evaluator's
    (``evaluator``) or the evaluator's replacing the rule's (``override``); for a parent the sum of its children
    (``sum``); None when missing. ``auto`` says whether the framework scores the leaf by an auto rule;
    ``auto_score`` is what the rule gives (None when its inputs are missing), ``evaluator_score`` what the data
    holds (for a parent, the subtotal the report states). ``rate`` is 得分率 in %. ``reason`` is the evaluator's
    评分说明, ``draft`` the engine's sentence for an auto rule; :attr:`text` is what the report prints.
    """

    id: str
    name: str
    level: int
    max: Decimal
    score: Decimal | None
    rate: Decimal | None
    scored_by: ScoredBy | None
    auto: bool = False
    auto_score: Decimal | None = None
    evaluator_score: Decimal | None = None
    reason: str | None = None
    draft: str | None = None
    parent: str | None = None
    leaf: bool = True
    adjustment: bool = False
    rule: RuleKind | None = None
    basis: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def override(self) -> bool:
        """Whether the evaluator's score replaced the auto rule's."""
        return self.scored_by == "override"

    @property
    def text(self) -> str | None:
        """The narrative: the evaluator's own text when given, else the engine's draft sentence."""
        return self.reason or self.draft


@dataclass(frozen=True)
class Scorecard:
    """A department's 评分表 under one framework: every indicator (report order), the total and the grade.

    ``total`` is the sum of the 一级 scores plus the 加减分项 (``adjustment``); it and ``grade`` are None when any
    leaf is missing (``missing`` lists them). ``grades`` are the framework's 绩效等级, highest first. ``stated_total`` / ``stated_grade`` are what the report says;
    ``findings`` lists every difference between the report's figures and the computed ones.
    """

    department: str
    department_name: str
    fiscal_year: int
    framework: str
    framework_name: str
    max: Decimal
    indicators: tuple[IndicatorScore, ...]
    total: Decimal | None
    grade: str | None
    adjustment: Decimal | None = None
    grades: tuple[Grade, ...] = ()
    missing: tuple[str, ...] = ()
    stated_total: Number | None = None
    stated_grade: str | None = None
    findings: tuple[str, ...] = ()

    def get(self, indicator_id: str) -> IndicatorScore:
        """The row of one indicator; KeyError when the framework has no such indicator."""
        for row in self.indicators:
            if row.id == indicator_id:
                return row
        raise KeyError(indicator_id)

    @property
    def rate(self) -> Decimal | None:
        """总得分率 = 总分 ÷ 满分 × 100%."""
        return _rate(self.total, self.max)

    def as_dict(self) -> dict[str, Any]:
        """The scorecard as plain JSON-ready values (numbers as floats, missing as null)."""
        return {
            "department": self.department,
            "department_name": self.department_name,
            "fiscal_year": self.fiscal_year,
            "framework": self.framework,
            "framework_name": self.framework_name,
            "max": _json(self.max),
            "total": _json(self.total),
            "rate": _json(self.rate),
            "grade": self.grade,
            "grades": [{"grade": g.name, "min": _json(g.min)} for g in self.grades],
            "adjustment": _json(self.adjustment),
            "stated_total": _json(self.stated_total.value) if self.stated_total else None,
            "stated_grade": self.stated_grade,
            "missing": list(self.missing),
            "findings": list(self.findings),
            "indicators": [
                {
                    "id": r.id, "name": r.name, "level": r.level, "parent": r.parent, "max": _json(r.max),
                    "score": _json(r.score), "rate": _json(r.rate), "auto": r.auto, "scored_by": r.scored_by,
                    "override": r.override, "auto_score": _json(r.auto_score), "evaluator_score": _json(r.evaluator_score),
                    "reason": r.text, "draft": r.draft, "rule": r.rule, "adjustment": r.adjustment,
                    "basis": r.basis, "notes": list(r.notes),
                }
                for r in self.indicators
            ],
        }


def _json(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- scoring ------------------------------------------------------------------------------------------------


def _rate(points: Decimal | None, full: Decimal) -> Decimal | None:
    rate = score_rate(points, full) if full else None
    return rate.quantize(_CENT, ROUND_HALF_UP) if rate is not None else None


def _agrees(printed: Number, value: Decimal) -> bool:
    """Whether a computed value prints as the report's figure (within its printed precision)."""
    low, high = printed.interval
    return low <= value <= high


def _basis(indicator: Indicator) -> str | None:
    parts = [indicator.source, f"假设：{indicator.assumed}" if indicator.assumed else None]
    rule = indicator.rule
    if rule is not None and rule.auto:
        parts += [f"规则：{rule.source}" if rule.source else None, f"规则假设：{rule.assumed}" if rule.assumed else None]
    text = "；".join(p for p in parts if p)
    return text or None


@dataclass
class _Run:
    """The state of one scoring pass: the department, its scores by id, and every problem found."""

    dept: DepartmentYear
    framework: Framework
    given: dict[str, Score]
    problems: list[ScoreProblem] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    def fail(self, indicator: Indicator | Score, message: str) -> None:
        name = indicator.name
        given = self.given.get(indicator.id)
        if given is not None and given.name != name:
            name = f"{name}（评分表作「{given.name}」）"
        self.problems.append(ScoreProblem(indicator.id, name, message))

    def check_given(self, indicator: Indicator, given: Score) -> None:
        if given.max.value != indicator.max:
            self.fail(indicator, f"评分表的分值 {given.max} 与指标体系 {self.framework.id} 的分值 {format_points(indicator.max)} 不一致；"
                                 "请核对 scores.csv 的「分值」或所用指标体系")
        if given.level != indicator.level:
            self.fail(indicator, f"评分表的层级 {given.level} 与指标体系的层级 {indicator.level} 不一致")

    def stated_notes(self, indicator: Indicator, computed: Decimal | None, rate: Decimal | None, stated_score: Number | None) -> list[str]:
        """Differences between what the report states for this indicator and what is computed."""
        notes: list[str] = []
        if computed is None:
            return notes
        scores = [stated_score] if stated_score is not None else []
        scores += [s.value for s in self.dept.stated_of("score.indicator", indicator.id) if isinstance(s.value, Number)]
        for printed in _distinct(scores):
            if not _agrees(printed, computed):
                what = "由下级指标得分合计为" if not indicator.is_leaf else "计分为"
                notes.append(f"报告列示得分 {printed} 分，{what} {format_points(computed)} 分")
        exact = score_rate(computed, indicator.max) if indicator.max else None
        given = self.given.get(indicator.id)
        rates = [given.rate] if given is not None and given.rate is not None else []
        rates += [s.value for s in self.dept.stated_of("score.rate", indicator.id) if isinstance(s.value, Number)]
        for printed in _distinct(rates):
            if exact is not None and rate is not None and not _agrees(printed, exact):
                notes.append(f"报告列示得分率 {printed}，按得分 ÷ 分值计算为 {format_rate(rate)}")
        self.findings += [f"{indicator.id} {indicator.name}：{note}" for note in notes]
        return notes

    def leaf(self, indicator: Indicator) -> IndicatorScore:
        rule = indicator.rule
        assert rule is not None
        given = self.given.get(indicator.id)
        if given is not None:
            self.check_given(indicator, given)
        evaluator = given.score.value if given is not None and given.score is not None else None
        reason = given.reason if given is not None else None
        low = -indicator.max if indicator.adjustment else _ZERO
        if evaluator is not None and not low <= evaluator <= indicator.max:
            self.fail(indicator, f"得分 {format_points(evaluator)} 超出 [{format_points(low)}, {format_points(indicator.max)}]；请更正 scores.csv 的「得分」")
        notes: list[str] = []
        auto_score: Decimal | None = None
        draft: str | None = None
        scored_by: ScoredBy | None
        if not rule.auto:
            points, scored_by = evaluator, ("evaluator" if evaluator is not None else None)
        else:
            auto_score, draft = apply_rule(rule, indicator, rule_input(self.dept, indicator))
            if evaluator is None:
                points, scored_by = auto_score, ("rule" if auto_score is not None else None)
            elif auto_score is None:
                points, scored_by = evaluator, "evaluator"
                notes.append("自动计分缺少输入，采用评价人得分")
            elif evaluator == auto_score:
                points, scored_by = auto_score, "rule"
            else:
                points, scored_by = evaluator, "override"
                notes.append(f"评价人得分 {format_points(evaluator)} 分覆盖自动计分 {format_points(auto_score)} 分")
                if not reason:
                    self.fail(indicator, f"评价人得分 {format_points(evaluator)} 与自动计分 {format_points(auto_score)} 不同；"
                                         "覆盖自动得分必须写明理由（scores.csv「评分说明」）")
        if scored_by == "evaluator" and points is not None and points < indicator.max and not indicator.adjustment and not reason:
            self.fail(indicator, f"得分 {format_points(points)} 低于分值 {format_points(indicator.max)}，必须写明扣分理由（scores.csv「评分说明」）")
        rate = _rate(points, indicator.max)
        notes += self.stated_notes(indicator, points, rate, None)
        return IndicatorScore(
            id=indicator.id, name=indicator.name, level=indicator.level, max=indicator.max, score=points, rate=rate,
            scored_by=scored_by, auto=rule.auto, auto_score=auto_score, evaluator_score=evaluator, reason=reason,
            draft=draft, parent=indicator.parent, leaf=True, adjustment=indicator.adjustment, rule=rule.kind,
            basis=_basis(indicator), notes=tuple(notes),
        )

    def parent(self, indicator: Indicator, children: list[IndicatorScore]) -> IndicatorScore:
        given = self.given.get(indicator.id)
        if given is not None:
            self.check_given(indicator, given)
        parts = [c.score for c in children]
        points = sum((p for p in parts if p is not None), _ZERO) if all(p is not None for p in parts) else None
        rate = _rate(points, indicator.max)
        stated = given.score if given is not None else None
        return IndicatorScore(
            id=indicator.id, name=indicator.name, level=indicator.level, max=indicator.max, score=points, rate=rate,
            scored_by="sum" if points is not None else None, evaluator_score=value(stated),
            reason=given.reason if given is not None else None, parent=indicator.parent, leaf=False,
            adjustment=indicator.adjustment, basis=_basis(indicator),
            notes=tuple(self.stated_notes(indicator, points, rate, stated)),
        )


def _distinct(numbers: Iterable[Number]) -> list[Number]:
    seen: set[tuple[Decimal, int]] = set()
    out: list[Number] = []
    for n in numbers:
        if (n.value, n.decimals) not in seen:
            seen.add((n.value, n.decimals))
            out.append(n)
    return out


def score(dept: DepartmentYear, framework: Framework) -> Scorecard:
    """Score a department-year under a framework.

    Raises :class:`ScoringError` listing every indicator whose data does not fit: an indicator the framework lacks,
    a 分值 or 层级 that disagrees with it, a score outside [0, 分值] ([−分值, 分值] for a 加减分项), a score below full
    marks without a reason, an override of an auto score without a reason. A department without scores is not an
    error: every evaluator-scored indicator is missing and so is the total.
    """
    run = _Run(dept, framework, {s.id: s for s in dept.scores})
    for given in dept.scores:
        if framework.indicator(given.id) is None:
            run.fail(given, f"评分表中的指标不在指标体系 {framework.id} 中；请核对编号，或改用对应的指标体系")
    rows: dict[str, IndicatorScore] = {}
    for indicator in reversed(framework.indicators):  # children before their parent
        if indicator.is_leaf:
            rows[indicator.id] = run.leaf(indicator)
        else:
            rows[indicator.id] = run.parent(indicator, [rows[c] for c in indicator.children])
    if run.problems:
        order = {i.id: n for n, i in enumerate(framework.indicators)}
        problems = sorted(run.problems, key=lambda p: order.get(p.indicator, -1))
        raise ScoringError(dept.id, framework.id, problems)
    ordered = tuple(rows[i.id] for i in framework.indicators)
    roots = [rows[i.id] for i in framework.roots]
    base = [r.score for r in roots if not r.adjustment]
    extra = [r.score for r in roots if r.adjustment]
    adjustment = sum((p for p in extra if p is not None), _ZERO) if extra and all(p is not None for p in extra) else None
    total: Decimal | None = None
    if all(p is not None for p in base) and (not extra or adjustment is not None):
        total = sum((p for p in base if p is not None), _ZERO) + (adjustment or _ZERO)
    grade = framework.grade(total) if total is not None else None
    missing = tuple(r.id for r in ordered if r.leaf and r.score is None)
    stated_totals = [s.value for s in dept.stated_of("score.total") if isinstance(s.value, Number)]
    stated_grades = [s.value for s in dept.stated_of("score.grade") if isinstance(s.value, str)]
    order = {i.id: n for n, i in enumerate(framework.indicators)}
    findings = sorted(run.findings, key=lambda f: order[f.split(" ", 1)[0]])
    if total is not None:
        findings += [f"报告列示总分 {t}，计算为 {format_points(total)}" for t in _distinct(stated_totals) if not _agrees(t, total)]
    if grade is not None:
        findings += [f"报告列示等级“{g}”，按总分应为“{grade}”" for g in dict.fromkeys(stated_grades) if g != grade]
    return Scorecard(
        department=dept.id, department_name=dept.department.name, fiscal_year=dept.fiscal_year,
        framework=framework.id, framework_name=framework.name, max=framework.max, indicators=ordered,
        total=total, grade=grade, adjustment=adjustment, grades=framework.grades, missing=missing,
        stated_total=stated_totals[0] if stated_totals else None, stated_grade=stated_grades[0] if stated_grades else None,
        findings=tuple(findings),
    )


# --- text ---------------------------------------------------------------------------------------------------

_SCORED_BY: dict[ScoredBy | None, str] = {"rule": "自动", "evaluator": "评价人", "override": "评价人覆盖", "sum": "合计", None: "缺失"}


def _cell(value: Decimal | None, percent: bool = False) -> str:
    if value is None:
        return _MISSING
    return f"{format_points(value)}%" if percent else format_points(value)


def format_scorecard(card: Scorecard) -> str:
    """The scorecard as plain text: the 评分表, the total and grade, the report's own figures and every finding."""
    lines = [f"{card.department_name} {card.fiscal_year} 年度 · 指标体系 {card.framework}（{card.framework_name}）", ""]
    name_width = max((width(r.name) + 2 * (r.level - 1) for r in card.indicators), default=4) + 2
    id_width = max((len(r.id) for r in card.indicators), default=4) + 2
    lines.append(f"{pad('编号', id_width)}{pad('指标', name_width)}{pad('分值', 6, True)}{pad('得分', 8, True)}"
                 f"{pad('得分率', 9, True)}  计分")
    for r in card.indicators:
        how = _SCORED_BY[r.scored_by]
        if r.override:
            how += f"（自动 {_cell(r.auto_score)}）"
        elif r.auto and r.scored_by == "evaluator":
            how += "（自动计分缺少输入）"
        name = "  " * (r.level - 1) + r.name
        lines.append(f"{pad(r.id, id_width)}{pad(name, name_width)}{pad(_cell(r.max), 6, True)}"
                     f"{pad(_cell(r.score), 8, True)}{pad(_cell(r.rate, True), 9, True)}  {how}")
    lines.append("")
    total = _cell(card.total)
    lines.append(f"总分 {total}（满分 {format_points(card.max)}"
                 + (f"，含加减分 {_cell(card.adjustment)}" if card.adjustment is not None else "")
                 + f"），等级 {card.grade or _MISSING}")
    if card.stated_total is not None or card.stated_grade is not None:
        lines.append(f"报告列示：总分 {card.stated_total or _MISSING}，等级 {card.stated_grade or _MISSING}")
    if card.missing:
        lines.append(f"缺少得分的指标 {len(card.missing)} 项：{'、'.join(card.missing)}；总分与等级无法计算")
    drafts = [r for r in card.indicators if r.auto]
    if drafts:
        lines += ["", "自动计分："]
        lines += [f"- {r.id} {r.name}：{r.draft}" for r in drafts]
    overrides = [r for r in card.indicators if r.override]
    if overrides:
        lines += ["", "评价人覆盖自动计分："]
        lines += [f"- {r.id} {r.name}：自动 {_cell(r.auto_score)} 分，评价人 {_cell(r.evaluator_score)} 分。理由：{r.reason}" for r in overrides]
    if card.findings:
        lines += ["", "与报告列示数的差异："]
        lines += [f"- {f}" for f in card.findings]
    return "\n".join(lines)
