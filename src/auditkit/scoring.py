"""The scoring engine: a department's data and its framework → the 评分表, every level's 得分, the total and the grade.

:func:`score` is pure. Each leaf is scored by its framework rule: an auto rule (band, proportional, pass/fail, scaled)
computes its input from the department's data through :mod:`auditkit.metrics`, falling back on the figure the report
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

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from auditkit.exceptions import AuditkitError
from auditkit.frameworks import INPUTS, Framework, Indicator, Rule, format_points
from auditkit.metrics import execution_rate, score_rate, share
from auditkit.model import DepartmentYear, Score
from auditkit.numbers import Number, format_number

__all__ = [
    "IndicatorScore",
    "RuleInput",
    "ScoreProblem",
    "Scorecard",
    "ScoringError",
    "auto_score",
    "format_scorecard",
    "rule_input",
    "score",
]

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_MISSING = "—"


# --- errors -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreProblem:
    """One thing wrong with a department's score for one indicator."""

    indicator: str
    name: str
    message: str

    def __str__(self) -> str:
        return f"指标 {self.indicator} {self.name}：{self.message}"


class ScoringError(AuditkitError):
    """Raised when a department's scores do not fit its framework; ``problems`` lists every one, each naming its indicator."""

    def __init__(self, department: str, framework: str, problems: list[ScoreProblem]) -> None:
        self.department = department
        self.framework = framework
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{department}（指标体系 {framework}）：{len(problems)} 处评分问题\n{lines}")


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
    scored_by: str | None
    auto: bool = False
    auto_score: Decimal | None = None
    evaluator_score: Decimal | None = None
    reason: str | None = None
    draft: str | None = None
    parent: str | None = None
    leaf: bool = True
    adjustment: bool = False
    rule: str | None = None
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
    leaf is missing (``missing`` lists them). ``stated_total`` / ``stated_grade`` are what the report says;
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


# --- rule inputs --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleInput:
    """What an auto rule scores: the value (None when missing), the facts behind it in words, and whether it is
    only the report's stated figure (not recomputable from the data)."""

    value: Decimal | None
    facts: str
    stated: bool = False
    shown: str = ""


def _v(number: Number | None) -> Decimal | None:
    return number.value if number is not None else None


def _shown(number: Number) -> str:
    return format_number(number, thousands=True)


def _pct(value: Decimal) -> str:
    """A computed rate as the reports print it: 62.16%, 100%."""
    return f"{format_points(value.quantize(_CENT, ROUND_HALF_UP))}%"


def _from_stated(dept: DepartmentYear, claim: str, subjects: Iterable[str | None], label: str, why: str) -> RuleInput:
    """The report's stated figure for ``claim``, when the data cannot give the input (``why``): one value, or missing."""
    wanted = set(subjects)
    figures = [s for s in dept.stated if s.claim == claim and s.subject in wanted]
    exact = [s for s in figures if isinstance(s.value, Number) and s.value.comparator is None]
    values = sorted({s.value.value for s in exact if isinstance(s.value, Number)})
    if not exact:
        shown = "、".join(str(s.value) for s in figures)
        tail = f"报告列示的{label}（{shown}）不是确数" if figures else f"报告也未列示{label}"
        return RuleInput(None, f"{why}，{tail}")
    if len(values) > 1:
        shown = "、".join(f"{s.value}（{s.source}）" for s in exact)
        return RuleInput(None, f"{why}，报告列示的{label}有 {len(values)} 个不同的数：{shown}，无法确定取哪一个")
    figure = exact[0]
    assert isinstance(figure.value, Number)
    where = f"（{figure.source}）" if figure.source else ""
    facts = f"{why}，{label}取报告列示数 {figure.value}{where}，未能用数据复核"
    return RuleInput(figure.value.value, facts, stated=True, shown=str(figure.value))


def _goal_coverage(dept: DepartmentYear, indicator: Indicator) -> RuleInput:
    """绩效目标覆盖率 = 设置绩效目标的项目数 ÷ 项目总数 (003 二（二）2.(1): 23 ÷ 37 = 62.16%)."""
    projects = dept.projects
    rate = share(_v(projects.with_goals), _v(projects.count))
    if rate is not None and projects.with_goals is not None and projects.count is not None:
        facts = f"共{_shown(projects.count)}个项目，已设置绩效目标的有{_shown(projects.with_goals)}个，绩效目标覆盖率为{_pct(rate)}"
        return RuleInput(rate, facts, shown=_pct(rate))
    return _from_stated(dept, "projects.goal_coverage", (None,), "绩效目标覆盖率", "部门数据未列示项目总数或设置绩效目标的项目数")


def _budget_execution_rate(dept: DepartmentYear, indicator: Indicator) -> RuleInput:
    """部门预算支出率 = 决算 ÷ 调整预算, on the expenditure table's grand total (003 二（三）1.(1))."""
    total = dept.total("expenditure")
    if total is not None:
        rate = execution_rate(_v(total.final), _v(total.adjusted))
        if rate is not None and total.final is not None and total.adjusted is not None:
            facts = f"据决算报表，调整预算数为{_shown(total.adjusted)}万元，决算数为{_shown(total.final)}万元，预算支出率为{_pct(rate)}"
            return RuleInput(rate, facts, shown=_pct(rate))
    if total is None:
        why = "部门数据没有支出预决算表"
    elif total.adjusted is None or total.final is None:
        why = f"支出表合计行未列示{'调整预算数' if total.adjusted is None else '决算数'}"
    else:
        why = "支出表合计行的调整预算数为 0"
    subjects = (None, "合计", total.name if total else None)
    return _from_stated(dept, "budget.execution_rate", subjects, "预算支出率", why)


def _procurement_execution_rate(dept: DepartmentYear, indicator: Indicator) -> RuleInput:
    """政府采购执行率 = 实际采购金额 ÷ 采购计划金额 (003 二（三）1.(4): 24.89 ÷ 35)."""
    procurement = dept.procurement
    rate = execution_rate(_v(procurement.actual), _v(procurement.planned))
    if rate is not None and procurement.actual is not None and procurement.planned is not None:
        facts = (f"政府采购计划金额{_shown(procurement.planned)}万元，实际发生采购金额{_shown(procurement.actual)}万元，"
                 f"政府采购执行率为{_pct(rate)}")
        return RuleInput(rate, facts, shown=_pct(rate))
    return _from_stated(dept, "procurement.execution_rate", (None,), "政府采购执行率", "部门数据未列示政府采购计划金额或实际金额")


def _subtable_score(dept: DepartmentYear, indicator: Indicator) -> RuleInput:
    """The score of a sub-table the report scores separately (001: 部门经济成本分析自评表 7.30), as stated (``other``, 对象 = indicator id)."""
    return _from_stated(dept, "other", (indicator.id,), "分表得分", "分表的明细不在部门数据中")


_INPUTS: dict[str, Callable[[DepartmentYear, Indicator], RuleInput]] = {
    "projects.goal_coverage": _goal_coverage,
    "budget.execution_rate": _budget_execution_rate,
    "procurement.execution_rate": _procurement_execution_rate,
    "subtable.score": _subtable_score,
}


def rule_input(dept: DepartmentYear, indicator: Indicator) -> RuleInput:
    """The input of an indicator's auto rule, computed from the department's data (or its stated figure)."""
    if indicator.rule is None or indicator.rule.input not in _INPUTS:
        raise ValueError(f"指标 {indicator.id} 不是自动计分指标，或其规则的 input 无法计算")
    return _INPUTS[str(indicator.rule.input)](dept, indicator)


# --- rules --------------------------------------------------------------------------------------------------


def auto_score(dept: DepartmentYear, indicator: Indicator) -> Decimal | None:
    """What ``indicator``'s auto rule gives ``dept`` (自动计分); None for an evaluator-scored indicator or missing inputs."""
    if indicator.rule is None or not indicator.rule.auto:
        return None
    return _apply(indicator.rule, indicator, rule_input(dept, indicator))[0]


def _round(value: Decimal) -> Decimal:
    return value.quantize(_CENT, ROUND_HALF_UP)


def _apply(rule: Rule, indicator: Indicator, given: RuleInput) -> tuple[Decimal | None, str]:
    """The auto score and its draft sentence (in the register of 003's 评分说明)."""
    value, full = given.value, indicator.max
    if value is None:
        return None, f"{indicator.name}无法自动计分：{given.facts}。"
    unit = INPUTS[rule.input or ""][1]
    if rule.kind == "band":
        for n, band in enumerate(rule.bands):
            if band.min is None or value >= band.min:
                upper = rule.bands[n - 1].min if n else None
                if band.min is None:
                    where = f"低于{format_points(upper or _ZERO)}{unit}"
                elif upper is None:
                    where = f"不低于{format_points(band.min)}{unit}"
                else:
                    where = f"在{format_points(band.min)}{unit}和{format_points(upper)}{unit}之间"
                return band.score, f"{given.facts}，{where}，该项得{format_points(band.score)}分。"
        lowest = rule.bands[-1].min or _ZERO
        return None, f"{given.facts}，低于评分标准的最低档（{format_points(lowest)}{unit}），无法计分。"
    if rule.kind == "proportional":
        counted = max(min(value, _HUNDRED), _ZERO)
        points = _round(full * counted / _HUNDRED)
        shown = given.shown if counted == value and given.shown else _pct(counted)
        return points, f"{given.facts}，按{format_points(full)}分 × {shown}计分，得{format_points(points)}分。"
    if rule.kind == "pass_fail":
        limit = rule.at_most if rule.at_most is not None else rule.at_least
        assert limit is not None
        passed = value <= limit if rule.at_most is not None else value >= limit
        points = full if passed else _ZERO
        label = INPUTS[rule.input or ""][0]
        default = f"{label}{'未超过' if rule.at_most is not None else '达到'}{format_points(limit)}{unit}"
        if not passed:
            default = f"{label}{'超过' if rule.at_most is not None else '未达到'}{format_points(limit)}{unit}"
        outcome = (rule.pass_text if passed else rule.fail_text) or default
        return points, f"{given.facts}。{outcome}，得{format_points(points)}分。"
    assert rule.kind == "scaled" and rule.out_of is not None
    points = _round(max(min(value / rule.out_of, Decimal(1)), _ZERO) * full)
    text = f"{given.facts}，按 {given.shown or format_points(value)} ÷ {format_points(rule.out_of)} × {format_points(full)} 折算，得{format_points(points)}分。"
    return points, text


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
                notes.append(f"报告列示得分率 {printed}，按得分 ÷ 分值计算为 {_pct(rate)}")
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
        if not rule.auto:
            points, scored_by = evaluator, ("evaluator" if evaluator is not None else None)
        else:
            auto_score, draft = _apply(rule, indicator, rule_input(self.dept, indicator))
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
            scored_by="sum" if points is not None else None, evaluator_score=_v(stated),
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
        total=total, grade=grade, adjustment=adjustment, missing=missing,
        stated_total=stated_totals[0] if stated_totals else None, stated_grade=stated_grades[0] if stated_grades else None,
        findings=tuple(findings),
    )


# --- text ---------------------------------------------------------------------------------------------------

_SCORED_BY = {"rule": "自动", "evaluator": "评价人", "override": "评价人覆盖", "sum": "合计", None: "缺失"}


def _cell(value: Decimal | None, percent: bool = False) -> str:
    if value is None:
        return _MISSING
    return f"{format_points(value)}%" if percent else format_points(value)


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(width - _width(text), 0)
    return fill + text if right else text + fill


def format_scorecard(card: Scorecard) -> str:
    """The scorecard as plain text: the 评分表, the total and grade, the report's own figures and every finding."""
    lines = [f"{card.department_name} {card.fiscal_year} 年度 · 指标体系 {card.framework}（{card.framework_name}）", ""]
    name_width = max((_width(r.name) + 2 * (r.level - 1) for r in card.indicators), default=4) + 2
    id_width = max((len(r.id) for r in card.indicators), default=4) + 2
    lines.append(f"{_pad('编号', id_width)}{_pad('指标', name_width)}{_pad('分值', 6, True)}{_pad('得分', 8, True)}"
                 f"{_pad('得分率', 9, True)}  计分")
    for r in card.indicators:
        how = _SCORED_BY[r.scored_by]
        if r.override:
            how += f"（自动 {_cell(r.auto_score)}）"
        elif r.auto and r.scored_by == "evaluator":
            how += "（自动计分缺少输入）"
        name = "  " * (r.level - 1) + r.name
        lines.append(f"{_pad(r.id, id_width)}{_pad(name, name_width)}{_pad(_cell(r.max), 6, True)}"
                     f"{_pad(_cell(r.score), 8, True)}{_pad(_cell(r.rate, True), 9, True)}  {how}")
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
