"""Reconciliation (勾稽校验): recompute every figure a department-year states and report each one that does not hold.

A report prints rounded figures, so each printed number stands for the interval its printed precision allows
(36,158.49 → [36,158.485, 36,158.495]). Every check carries those intervals through the formula of
:mod:`auditkit.metrics` and judges the stated figure:

- **error**: impossible even allowing for the rounding of every input;
- **warning**: possible only if a figure is read at a coarser precision than the report prints its kind
  elsewhere (``7`` 万元 where every other amount has two decimals), or only under a rounding convention other
  than round-half-up (14 ÷ 18 printed 77.77%: truncated);
- nothing: consistent.

Points (分值, 得分) and counts (人, 个, 项目数, 案件数) are exact: they are awarded or counted, not rounded. A printed
zero amount is a real zero. The same quantity printed twice at the same precision must print the same digits.

What is checked: totals against their parts within a table (``cross_footing``) and across tables
(``cross_table``), the budget chain (``budget_chain``), every stated rate, difference, change, share, completion
rate and per-capita figure that the data gives the inputs for (``recompute``), a quantity stated twice
(``restated``), changes of the parts against the change of the whole (``parts_change``), values a rate cannot
take (``range``), formula KPIs against their inputs (``kpi_formula``), a stated overall 绩效目标完成率 against
every KPI (``kpi_overall``), the 评分表: subtotals, 分值, 得分率, maxima, total and grade (``score_*``), and, given
the prior-year link (:mod:`auditkit.prior_year`), each 上年 figure the department states that differs from the
prior year's own (``prior_year``, a warning: departments restate prior-year figures).

:func:`reconcile` returns the findings; :func:`reconciliation` also counts what was checked and lists the stated
figures whose inputs the data does not give. Each :class:`Finding` names the :class:`Figure` it concerns, so a
notebook can mark that figure in a rendered report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, ROUND_UP, Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from auditkit import metrics
from auditkit.exceptions import AuditkitError
from auditkit.frameworks import Framework, load_framework
from auditkit.intervals import Interval
from auditkit.model import BudgetLine, DepartmentYear, Kpi, Score, StatedFigure
from auditkit.numbers import Number, agree, format_number
from auditkit.schema import CLAIMS, FORMULA_VARIABLES, TABLES

if TYPE_CHECKING:
    from auditkit.prior_year import PriorYear

__all__ = [
    "ERROR",
    "RULES",
    "WARNING",
    "Figure",
    "Finding",
    "Reconciliation",
    "format_findings",
    "reconcile",
    "reconciliation",
]

ERROR = "error"
WARNING = "warning"

#: Every rule a finding may name, with what it checks.
RULES: dict[str, str] = {
    "cross_footing": "合计（小计）等于其明细行之和",
    "cross_table": "同一合计在两张表中相同（功能分类合计 = 支出合计）",
    "budget_chain": "剔除后预算 = 年初预算 − 涉改调整 − 财政直接调整",
    "recompute": "列示的比率、差额、增减、占比、完成率、人均数按其输入重算",
    "restated": "同一数量两处列示的数值相同",
    "parts_change": "各部分的增减额之和等于总额的增减额",
    "range": "比率只能取其可能的值（控制率、执行率不小于 0，占比不大于 100%）",
    "kpi_formula": "公式类指标的实际值按公式输入重算",
    "kpi_overall": "列示的绩效目标完成率与各指标的完成情况相符",
    "score_sum": "下级得分之和等于上级得分",
    "score_max_sum": "下级分值之和等于上级分值",
    "score_rate": "得分率 = 得分 ÷ 分值",
    "score_max": "得分不超过分值",
    "score_total": "总分等于各一级指标得分之和",
    "score_grade": "绩效等级与总分相符",
    "prior_year": "本部门数据所列上年数与上年数据一致（不一致时采用本部门所列数）",
}

_BUDGET_TABLES = ("expenditure", "functional", "income", "costs")
_AMOUNT_ATTRS = ("initial", "reform_adjustment", "direct_adjustment", "net_initial", "adjusted", "final", "prior_final")
_AMOUNT = "万元"
_PERCENT = "%"
#: The split of 支出 by nature (决算报表): used only when the expenditure table lists no lines of its own (000).
_EXPENDITURE_SPLIT = ("基本支出", "项目支出")
#: The 效率性 indicator of the municipal frameworks (003/004 C.2.2): stated in words for all KPIs at once.
_GOAL_COMPLETION = CLAIMS["kpi.overall_completion"]
_FORMULAS: dict[str, Callable[..., Any]] = {
    "arbitration_closure_rate": metrics.arbitration_closure_rate,
    "mediation_success_rate": metrics.mediation_success_rate,
    "contract_signing_rate": metrics.contract_signing_rate,
    "wage_case_reduction": metrics.reduction_rate,
}
#: Claims whose value is a ratio of non-negative amounts or counts, and those that are a part of a whole.
_NON_NEGATIVE = frozenset({
    "budget.execution_rate", "budget.execution_rate_initial", "budget.carryover_rate", "budget.quarterly_average",
    "funds.special_spend_rate", "procurement.sme_share", "procurement.small_micro_share",
    "procurement.execution_rate", "cost.control_rate", "cost.per_unit", "kpi.completion_rate", "staff.control_rate",
    "assets.utilization_rate", "projects.goal_coverage", "projects.self_evaluation_rate", "score.rate",
})
_AT_MOST_100 = frozenset({
    "procurement.sme_share", "procurement.small_micro_share", "assets.utilization_rate", "projects.goal_coverage",
    "projects.self_evaluation_rate", "score.rate",
})
#: KPI units that count whole things: a whole number in such a unit is a count, exact (2 家 is not 1.5 to 2.5 家).
_COUNT_UNITS = frozenset({"人", "人次", "名", "家", "个", "场", "场次", "项", "次", "件", "宗", "期", "份", "封", "台", "批次", "户", "所"})
_EXACT_CLAIMS = frozenset({
    "profile.internal_unit_count", "profile.subordinate_unit_count", "score.total", "score.indicator",
})
_AMOUNT_CLAIMS = frozenset({"budget.variance", "budget.change_amount", "yoy.change_amount"})


# --- what a finding concerns --------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """The printed figure a finding concerns, addressed so that a notebook can find and mark it.

    ``table`` is a model table (``expenditure``, ``functional``, ``scores``, ``kpis``, ``stated``, …); ``key`` the
    row: a line's 科目编码 (or its name when it has none), an indicator id, a KPI name, or for a stated figure its
    对象 (None when it has none); ``column`` the model attribute (``final``, ``score``, ``rate``, ``actual``…), or
    for a stated figure its claim; ``index`` the stated figure's position in ``DepartmentYear.stated`` (two rows
    may make the same claim about the same subject).
    """

    table: str
    key: str | None
    column: str
    index: int | None = None

    def __str__(self) -> str:
        if self.table == "stated":
            return f"stated[{self.index}] {self.column} {self.key or ''}".rstrip()
        return f"{self.table}:{self.key}:{self.column}"

    def as_dict(self) -> dict[str, Any]:
        return {"table": self.table, "key": self.key, "column": self.column, "index": self.index}


@dataclass(frozen=True)
class Finding:
    """One stated figure that does not hold: how bad, by which rule, why (in Chinese), and where.

    ``stated`` is the figure as printed (a percentage in percent: 75 for 75%), ``recomputed`` what its inputs give
    when taken as printed; either is None where there is no number (a grade, a figure without inputs).
    """

    severity: str
    rule: str
    message: str
    stated: Decimal | None
    recomputed: Decimal | None
    location: str
    figure: Figure

    @property
    def key(self) -> str:
        """The figure as a stable string key, e.g. ``functional:合计:final`` or ``stated[12] yoy.change_rate 会议费``."""
        return str(self.figure)

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready values (numbers as JSON numbers)."""
        return {
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
            "stated": _json_number(self.stated),
            "recomputed": _json_number(self.recomputed),
            "location": self.location,
            "figure": self.figure.as_dict(),
        }


@dataclass(frozen=True)
class Reconciliation:
    """All findings of one department-year, with what could and could not be checked.

    ``checked`` counts stated figures and printed totals that were recomputed or compared; ``not_checkable`` lists
    the stated figures whose inputs the data does not give (e.g. 003's 同比 without prior-year actuals); ``other``
    counts stated figures of claim ``other``, free-form and not recomputed.
    """

    findings: tuple[Finding, ...]
    checked: int
    not_checkable: tuple[Figure, ...]
    other: int

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def summary(self) -> str:
        """One line in Chinese: how many errors and warnings, what was checked and what could not be."""
        return (
            f"{len(self.errors)} 处错误，{len(self.warnings)} 处警告；复核 {self.checked} 项列示数与合计，"
            f"{len(self.not_checkable)} 项缺少计算所需数据、无法复核，{self.other} 项「其他」列示数不复核"
        )


def _json_number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() and abs(value) < 10**15 else float(value)


# --- reading printed numbers ---------------------------------------------------------------------------


def _around(value: Decimal, decimals: int) -> Interval:
    half = Decimal(5).scaleb(-(decimals + 1))
    return Interval(value - half, value + half)


def _as_interval(value: Any) -> Interval | None:
    """A formula's result as an interval (a point for exact inputs)."""
    if value is None:
        return None
    return value if isinstance(value, Interval) else Interval.of(Decimal(value))


def _slack(bounds: Interval) -> Decimal:
    """Far less than any printed unit: an interval this narrow came from exact inputs (28-digit division)."""
    return max(abs(bounds.lo), abs(bounds.hi), Decimal(1)) * Decimal("1e-20")


class _Reading:
    """How a check reads printed numbers.

    ``face``: the value as printed. ``printed``: every value that prints so under round-half-up. ``strict``: the
    same, but a figure printed more coarsely than the report prints its kind elsewhere is read at the report's
    precision (``raised`` records each such figure).
    """

    def __init__(self, mode: str, precision: dict[str, int] | None = None) -> None:
        self.mode = mode
        self.precision = precision or {}
        self.raised: list[tuple[Number, int]] = []

    def __call__(self, number: Number | None, kind: str, exact: bool = False) -> Decimal | Interval | None:
        if number is None:
            return None
        if self.mode == "face":
            return number.value
        if exact or (number.value == 0 and not number.percent):
            return Interval.of(number.value)
        decimals = number.decimals
        if self.mode == "strict" and self.precision.get(kind, decimals) > decimals:
            decimals = self.precision[kind]
            self.raised.append((number, decimals))
        return _around(number.value, decimals)


Formula = Callable[[_Reading], Any]


@dataclass(frozen=True)
class _Alt:
    """One way to recompute a stated figure: the formula over readings, and how it reads in words."""

    formula: Formula
    how: str


@dataclass(frozen=True)
class _Verdict:
    """A judgement: severity (None: consistent), the face recomputation, every value the printed inputs allow, and
    for a warning the reading it needs: the figures that must be read coarsely (and the precision the report uses
    for their kind), or the rounding convention."""

    severity: str | None
    face: Decimal
    bounds: Interval
    coarse: tuple[Number, ...] = ()
    decimals: int = 0
    convention: str = ""


_RANK = {None: 0, WARNING: 1, ERROR: 2}


def _satisfies(bounds: Interval, comparator: str, value: Decimal) -> bool:
    """Whether some value in ``bounds`` satisfies ``comparator value`` (the stated ``≥100%``)."""
    if comparator == "≥":
        return bounds.hi >= value
    if comparator == ">":
        return bounds.hi > value
    if comparator == "≤":
        return bounds.lo <= value
    if comparator == "<":
        return bounds.lo < value
    return value in bounds


def _q(value: Decimal, decimals: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=rounding)


def _show(value: Decimal, like: Number | None = None, exact: bool = False) -> str:
    """A recomputed value printed like the stated figure it is compared with (at least two decimals unless exact)."""
    if exact:
        text = format(value.normalize(), "f")
        if "." not in text and like is not None and like.decimals:
            text = format(_q(value, like.decimals), "f")
    else:
        text = format(_q(value, max(like.decimals if like else 2, 2)), ",f")
    return text + ("%" if like is not None and like.percent else "")


def _shown(number: Number) -> str:
    return format_number(number, thousands=True)


def _range_text(bounds: Interval, like: Number) -> str:
    decimals = max(like.decimals, 2)
    pct = "%" if like.percent else ""
    lo, hi = _q(bounds.lo, decimals, ROUND_FLOOR), _q(bounds.hi, decimals, ROUND_CEILING)
    return f"{lo:,f}{pct} 至 {hi:,f}{pct}"


# --- the reconciler ------------------------------------------------------------------------------------


class _Reconciler:
    def __init__(self, dept: DepartmentYear, framework: Framework | None, prior: PriorYear | None = None) -> None:
        self.dept = dept
        self.framework = framework
        self.prior = prior
        # 上年 figures filled from the prior year: not stated by this department, so never checked against its own
        self.linked: set[tuple[str, str | None, str]] = set()
        if prior is not None:
            self.linked = {(f.table, f.key, f.column) for f in prior.filled}
        self.precision = _prevailing_precision(dept)
        self.findings: list[Finding] = []
        self.checked = 0
        self.not_checkable: list[Figure] = []
        self.other = 0
        self.flagged: set[int] = set()  # stated rows with an error of their own
        self.consistent: dict[int, Decimal] = {}  # stated rows that passed a recomputation → its face value
        self.workbook = dept.origin.lower().endswith((".xlsx", ".xlsm"))
        self.by_id = {s.id: s for s in dept.scores}
        self.kids: dict[str, list[Score]] = defaultdict(list)
        for s in dept.scores:
            if s.parent:
                self.kids[s.parent].append(s)

    # -- output ---------------------------------------------------------------------------------------

    def add(self, severity: str, rule: str, message: str, figure: Figure, location: str,
            stated: Decimal | None = None, recomputed: Decimal | None = None) -> None:
        self.findings.append(Finding(severity, rule, message, stated, recomputed, location, figure))
        if figure.table == "stated" and figure.index is not None and severity == ERROR:
            self.flagged.add(figure.index)

    def place(self, table: str, row: str, column: str | None, source: str | None) -> str:
        """Where a figure is: the department, the file (or sheet), the row and column, and its 来源."""
        t = TABLES.get(table)
        if t is None:
            container = f"{self.dept.origin}/department.yaml" if not self.workbook else f"{self.dept.origin} 工作表「基本信息」"
        elif self.workbook:
            container = f"{self.dept.origin} 工作表「{t.sheet}」"
        else:
            container = f"{self.dept.origin}/{t.file}"
        where = f"{container}「{row}」" + (f"{column}" if column else "")
        return where + (f"（{source}）" if source else "")

    def stated_place(self, s: StatedFigure) -> str:
        row = s.claim + (f" · {s.subject}" if s.subject else "")
        return self.place("stated", row, None, s.source)

    # -- judging --------------------------------------------------------------------------------------

    def judge(self, stated: Number, kind: str, formula: Formula, exact: bool = False) -> _Verdict | None:
        """Judge a stated figure against a recomputation; None when the inputs are missing."""
        face_value = formula(_Reading("face"))
        if face_value is None or isinstance(face_value, Interval):
            return None
        face = Decimal(face_value)
        bounds = _as_interval(formula(_Reading("printed")))
        if bounds is None:
            return None
        strict = _Reading("strict", self.precision)
        strict_bounds = _as_interval(formula(strict))
        if stated.comparator:
            if not _satisfies(bounds, stated.comparator, stated.value):
                return _Verdict(ERROR, face, bounds)
            if strict_bounds is not None and not _satisfies(strict_bounds, stated.comparator, stated.value):
                return self.coarse(face, bounds, strict.raised)
            return _Verdict(None, face, bounds)
        if bounds.hi - bounds.lo <= 3 * _slack(bounds):
            return self.judge_point(stated, kind, face, bounds, exact)
        stated_bounds = Interval.of(stated.value) if exact else _around(stated.value, stated.decimals)
        if bounds.overlaps(stated_bounds):
            raised = list(strict.raised)
            wanted = self.precision.get(kind, stated.decimals)
            if not exact and wanted > stated.decimals:
                stated_bounds = _around(stated.value, wanted)
                raised.append((stated, wanted))
            if strict_bounds is not None and not strict_bounds.overlaps(stated_bounds):
                return self.coarse(face, bounds, raised)
            return _Verdict(None, face, bounds)
        if not exact:
            unit = Decimal(1).scaleb(-stated.decimals)
            if bounds.overlaps(Interval(stated.value - unit, stated.value + unit)):
                v = stated.value
                toward_zero = Interval(v, v + unit) if v >= 0 else Interval(v - unit, v)
                convention = "截断（去尾）" if bounds.overlaps(toward_zero) else "进位（收尾）"
                return _Verdict(WARNING, face, bounds, convention=convention)
        return _Verdict(ERROR, face, bounds)

    def judge_point(self, stated: Number, kind: str, face: Decimal, bounds: Interval, exact: bool) -> _Verdict:
        """Every input is exact (counts, points), so the recomputation is one number: it must round to the figure.

        Judged by rounding rather than by overlap, so that a tie is settled as round-half-up settles it
        (96.875 prints 96.88; 96.87 is the tie truncated).
        """
        value = stated.value
        if exact:
            return _Verdict(None if face == value else ERROR, face, bounds)
        if _q(face, stated.decimals) == value:
            wanted = self.precision.get(kind, stated.decimals)
            if wanted > stated.decimals and _q(face, wanted) != value:
                return self.coarse(face, bounds, [(stated, wanted)])
            return _Verdict(None, face, bounds)
        step = Decimal(1).scaleb(-stated.decimals)
        if face.quantize(step, rounding=ROUND_DOWN) == value:
            return _Verdict(WARNING, face, bounds, convention="截断（去尾）")
        if face.quantize(step, rounding=ROUND_UP) == value:
            return _Verdict(WARNING, face, bounds, convention="进位（收尾）")
        return _Verdict(ERROR, face, bounds)

    @staticmethod
    def coarse(face: Decimal, bounds: Interval, raised: list[tuple[Number, int]]) -> _Verdict:
        figures = tuple(dict.fromkeys(n for n, _ in raised))
        return _Verdict(WARNING, face, bounds, figures, max((d for _, d in raised), default=2))

    def best(
        self, stated: Number, kind: str, alts: Sequence[_Alt], exact: bool = False
    ) -> tuple[_Verdict, _Alt] | None:
        """The most favourable verdict over the ways the figure may be recomputed (e.g. either budget column)."""
        best: tuple[_Verdict, _Alt] | None = None
        for alt in alts:
            verdict = self.judge(stated, kind, alt.formula, exact)
            if verdict is not None and (best is None or _RANK[verdict.severity] < _RANK[best[0].severity]):
                best = (verdict, alt)
        return best

    def explain(
        self, what: str, stated: Number, how: str, verdict: _Verdict, unit: str = "", exact: bool = False
    ) -> str:
        """The finding's message: the stated figure, its recomputation and why it cannot (or can barely) hold."""
        s = _shown(stated) + unit
        f = _show(verdict.face, stated, exact) + unit
        if verdict.severity == ERROR:
            if stated.comparator:
                return f"{what}列示「{s}」，按{how}重算为 {f}，不满足；请核对原报告。"
            if exact or verdict.bounds.lo == verdict.bounds.hi:
                return f"{what}列示 {s}，按{how}重算为 {f}；请核对原报告。"
            return (f"{what}列示 {s}，按{how}重算为 {f}；即使考虑各数的四舍五入，也只能在 "
                    f"{_range_text(verdict.bounds, stated)}{unit} 之间。请核对原报告。")
        if verdict.convention:
            finer = format(_q(verdict.face, stated.decimals + 3), ",f") + ("%" if stated.percent else "") + unit
            rounded = format(_q(verdict.face, stated.decimals), ",f") + ("%" if stated.percent else "") + unit
            return (f"{what}列示 {s}，按{how}重算为 {finer}…，四舍五入应印 {rounded}；列示数只在"
                    f"{verdict.convention}时成立。")
        figures = "、".join(f"「{_shown(n)}」" for n in verdict.coarse)
        return (f"{what}列示 {s}，按{how}重算为 {f}；只有把{figures}读作按其印出位数四舍五入的约数才成立，"
                f"而本报告同类数字印到 {verdict.decimals} 位小数。请核对原报告。")

    # -- budget tables --------------------------------------------------------------------------------

    def lines(self, table: str) -> tuple[BudgetLine, ...]:
        return tuple(getattr(self.dept, table))

    def parts(self, table: str, line: BudgetLine) -> list[BudgetLine]:
        """The additive parts of a line: its 明细 children, or for the 合计 line the top-level 明细 lines."""
        if line.row_kind == "合计":
            return [b for b in self.lines(table) if b.parent is None and b.row_kind == "明细"]
        return [b for b in self.lines(table) if b.parent == line.name and b.row_kind == "明细" and b is not line]

    def value(self, table: str, line: BudgetLine, attr: str, reading: _Reading) -> Any:
        """A line's value: as printed, or where the line prints none, the sum of its parts (if they all print one)."""
        own = getattr(line, attr)
        if own is not None:
            return reading(own, _AMOUNT)
        parts = self.parts(table, line)
        return metrics.total([self.value(table, p, attr, reading) for p in parts]) if parts else None

    def value_text(self, line: BudgetLine, attr: str) -> str:
        own = getattr(line, attr)
        return _shown(own) if own is not None else "（下级之和）"

    def find_line(self, subject: str | None, tables: Sequence[str] = _BUDGET_TABLES) -> tuple[str, BudgetLine] | None:
        for table in tables:
            line = self.dept.total(table) if subject is None else self.dept.line(table, subject)
            if line is not None:
                return table, line
        return None

    def check_budget_tables(self) -> None:
        for table in _BUDGET_TABLES:
            for line in self.lines(table):
                parts = self.parts(table, line)
                if parts:
                    for attr in _AMOUNT_ATTRS:
                        self.cross_foot(table, line, parts, attr)
                if table == "expenditure":
                    self.chain(line)
        self.cross_table()

    def cross_foot(self, table: str, line: BudgetLine, parts: list[BudgetLine], attr: str) -> None:
        stated = getattr(line, attr)
        if stated is None or self.is_linked(table, [line, *parts], attr):
            return

        def formula(r: _Reading) -> Any:
            return metrics.total([self.value(table, p, attr, r) for p in parts])

        verdict = self.judge(stated, _AMOUNT, formula)
        if verdict is None:
            return
        self.checked += 1
        if verdict.severity is None:
            return
        header = TABLES[table].column(attr).header
        terms = " + ".join(self.value_text(p, attr) for p in parts[:8]) + (" + …" if len(parts) > 8 else "")
        how = f"下级各行之和 {terms} "
        message = self.explain(f"「{line.label}」{header}", stated, how, verdict, " 万元")
        if verdict.severity == ERROR:
            message += self.substitution_hint(table, line, parts, attr)
        self.add(verdict.severity, "cross_footing", message, Figure(table, line.code or line.name, attr),
                 self.place(table, line.label, header, line.source), stated.value, verdict.face)

    def is_linked(self, table: str, lines: Sequence[BudgetLine], attr: str) -> bool:
        """Whether a figure of ``lines`` (or of the parts summed for a line printing none) came from the prior year."""
        for b in lines:
            if (table, b.code or b.name, attr) in self.linked:
                return True
            if getattr(b, attr) is None and self.is_linked(table, self.parts(table, b), attr):
                return True
        return False

    def substitution_hint(self, table: str, line: BudgetLine, parts: list[BudgetLine], attr: str) -> str:
        """If the report restates one part with another value and that value makes the total add up, say so."""
        header = TABLES[table].column(attr).header
        for s in self.dept.stated:
            if s.claim != f"{table}.{header}" or not isinstance(s.value, Number):
                continue
            part = next((p for p in parts if s.subject in (p.name, p.code)), None)
            if part is None or getattr(part, attr) is None or agree(getattr(part, attr), s.value):
                continue
            alt_value = s.value

            def formula(r: _Reading, part: BudgetLine = part, alt: Number = alt_value) -> Any:
                return metrics.total([r(alt, _AMOUNT) if p is part else self.value(table, p, attr, r) for p in parts])

            verdict = self.judge(getattr(line, attr), _AMOUNT, formula)
            if verdict is not None and verdict.severity is None:
                return f"若「{part.label}」取另一处列示的 {_shown(alt_value)}（{s.source or '报告列示数'}），则相符。"
        return ""

    def chain(self, line: BudgetLine) -> None:
        stated = line.net_initial
        if stated is None:
            return

        def formula(r: _Reading) -> Any:
            return metrics.net_budget(
                r(line.initial, _AMOUNT), r(line.reform_adjustment, _AMOUNT), r(line.direct_adjustment, _AMOUNT)
            )

        verdict = self.judge(stated, _AMOUNT, formula)
        if verdict is None:
            return
        self.checked += 1
        if verdict.severity is None:
            return
        how = (f"年初预算 {self.value_text(line, 'initial')} − 涉改调整 {self.value_text(line, 'reform_adjustment')} − "
               f"财政直接调整 {self.value_text(line, 'direct_adjustment')} ")
        self.add(verdict.severity, "budget_chain", self.explain(f"「{line.label}」剔除后预算", stated, how, verdict, " 万元"),
                 Figure("expenditure", line.code or line.name, "net_initial"),
                 self.place("expenditure", line.label, "剔除后预算", line.source), stated.value, verdict.face)

    def cross_table(self) -> None:
        """The 功能分类 total is the expenditure total by another classification: each column both print must agree."""
        functional, expenditure = self.dept.total("functional"), self.dept.total("expenditure")
        if functional is None or expenditure is None:
            return
        for attr in _AMOUNT_ATTRS:
            a, b = getattr(functional, attr), getattr(expenditure, attr)
            if a is None or b is None:
                continue
            if self.is_linked("functional", [functional], attr) or self.is_linked("expenditure", [expenditure], attr):
                continue
            self.checked += 1
            header = TABLES["functional"].column(attr).header
            severity = self.compare(a, b, _AMOUNT)
            if severity is None:
                continue
            message = (f"功能分类「{functional.label}」{header} {_shown(a)} 万元与支出表「{expenditure.label}」{header} "
                       f"{_shown(b)} 万元是同一合计，应相同；请核对原报告。")
            self.add(severity, "cross_table", message, Figure("functional", functional.code or functional.name, attr),
                     self.place("functional", functional.label, header, functional.source), a.value, b.value)

    # -- stated figures ---------------------------------------------------------------------------------

    def check_stated(self) -> None:
        for index, s in enumerate(self.dept.stated):
            if s.claim == "other":
                self.check_other(index, s)
            elif s.claim in CLAIMS:
                self.check_claim(index, s)
            else:
                self.check_restatement(index, s)
        self.check_duplicates()
        self.check_parts_change()

    def stated_kind(self, s: StatedFigure) -> str:
        if isinstance(s.value, Number) and s.value.percent:
            return _PERCENT
        table = s.claim.partition(".")[0]
        if table in _BUDGET_TABLES or s.claim in _AMOUNT_CLAIMS:
            return s.unit or _AMOUNT
        return s.unit or ""

    def what(self, s: StatedFigure) -> str:
        name = CLAIMS.get(s.claim, s.claim)
        return f"{name}「{s.subject}」" if s.subject else name

    def check_claim(self, index: int, s: StatedFigure) -> None:
        figure = Figure("stated", s.subject, s.claim, index)
        if s.claim.startswith("score."):
            self.check_score_claim(index, s)
            return
        if not isinstance(s.value, Number):
            return
        if s.claim == "kpi.overall_completion":
            self.check_goal_completion(index, s)
            return
        if self.check_range(index, s):
            return
        alts = self.alternatives(s)
        kind = self.stated_kind(s)
        exact = s.claim in _EXACT_CLAIMS
        result = self.best(s.value, kind, alts, exact) if alts else None
        if result is None:
            self.not_checkable.append(figure)
            return
        verdict, alt = result
        self.checked += 1
        if verdict.severity is None:
            self.consistent[index] = verdict.face
            return
        unit = "" if s.value.percent or not s.unit or s.unit == "%" else f" {s.unit}"
        self.add(verdict.severity, "recompute", self.explain(self.what(s), s.value, alt.how, verdict, unit, exact),
                 figure, self.stated_place(s), s.value.value, verdict.face)
        if verdict.severity == WARNING:
            self.consistent[index] = verdict.face

    def check_range(self, index: int, s: StatedFigure) -> bool:
        """Values a rate cannot take; True when the figure was judged here (nothing left to recompute)."""
        assert isinstance(s.value, Number)
        v, cmp = s.value.value, s.value.comparator
        half = s.value.half_unit
        severity, why = None, ""
        if s.claim in _NON_NEGATIVE:
            if (cmp == "≤" and v < 0) or (cmp == "<" and v <= 0) or (cmp is None and v + half < 0):
                severity, why = ERROR, "不可能小于 0"
            elif cmp == "≤" and v == 0:
                severity, why = WARNING, "不可能小于 0，「≤0」只在其分子为 0 时成立（是否指变动率？）"
        if severity is None and s.claim in _AT_MOST_100 and (
            (cmp in ("≥", "=", None) and v - (half if cmp is None else 0) > 100) or (cmp == ">" and v >= 100)
        ):
            severity, why = ERROR, "是部分占整体的比例，不可能大于 100%"
        if severity is None:
            return False
        self.checked += 1
        message = f"{self.what(s)}列示「{_shown(s.value)}」：{CLAIMS[s.claim]}{why}。请核对原报告。"
        self.add(severity, "range", message, Figure("stated", s.subject, s.claim, index), self.stated_place(s), v, None)
        return True

    def alternatives(self, s: StatedFigure) -> list[_Alt]:
        """The ways a stated figure may be recomputed from the data; empty when the data lacks its inputs."""
        d = self.dept
        claim = s.claim
        if claim == "budget.quarterly_average":
            rates = [q.cumulative_rate for q in sorted(d.quarterly, key=lambda q: q.quarter)]
            if not rates:
                return []
            shown = "、".join(_shown(x) for x in rates)
            return [_Alt(lambda r: metrics.mean([r(x, _PERCENT) for x in rates]), f"各季度累计执行率 {shown} 的平均 ")]
        if claim.startswith(("budget.", "yoy.")):
            found = self.find_line(s.subject)
            if found is None:
                return []
            table, line = found
            return self.budget_alternatives(s, table, line)
        if claim == "cost.control_rate":
            found = self.find_line(s.subject, ("costs", *_BUDGET_TABLES))
            if found is None:
                return []
            table, line = found
            return [
                _Alt(
                    partial(
                        lambda b, r: metrics.control_rate(
                            self.value(table, line, "final", r), self.value(table, line, b, r)
                        ),
                        b,
                    ),
                    f"决算 {self.value_text(line, 'final')} ÷ "
                    f"{TABLES[table].column(b).header} {self.value_text(line, b)} ",
                )
                for b in ("adjusted", "initial")
                if self.value(table, line, b, _Reading("face")) is not None
            ]
        if claim == "funds.stock_change_rate":
            f = d.funds
            return [_Alt(lambda r: metrics.change_rate(r(f.stock_current, _AMOUNT), r(f.stock_prior, _AMOUNT)),
                         f"(年末存量资金 {_txt(f.stock_current)} − 上年末 {_txt(f.stock_prior)}) ÷ 上年末 ")]
        if claim == "funds.special_spend_rate":
            f = d.funds
            return [_Alt(lambda r: metrics.execution_rate(r(f.special_spent, _AMOUNT), r(f.special_allocated, _AMOUNT)),
                         f"专项资金支出 {_txt(f.special_spent)} ÷ 下达 {_txt(f.special_allocated)} ")]
        if claim.startswith("procurement."):
            p = d.procurement
            if claim == "procurement.execution_rate":
                return [_Alt(lambda r: metrics.execution_rate(r(p.actual, _AMOUNT), r(p.planned, _AMOUNT)),
                             f"实际采购 {_txt(p.actual)} ÷ 计划 {_txt(p.planned)} ")]
            part, label = (p.sme, "授予中小企业合同金额") if claim == "procurement.sme_share" else (p.small_micro, "授予小微企业合同金额")
            return [_Alt(lambda r: metrics.share(r(part, _AMOUNT), r(p.actual, _AMOUNT)),
                         f"{label} {_txt(part)} ÷ 政府采购支出总额 {_txt(p.actual)} ")]
        if claim == "assets.utilization_rate":
            a = d.assets
            return [_Alt(lambda r: metrics.share(r(a.fixed_in_use, _AMOUNT), r(a.fixed_total, _AMOUNT)),
                         f"在用固定资产 {_txt(a.fixed_in_use)} ÷ 固定资产总额 {_txt(a.fixed_total)} ")]
        if claim in ("projects.goal_coverage", "projects.self_evaluation_rate"):
            pr = d.projects
            if claim == "projects.goal_coverage":
                part, label = pr.with_goals, "设置绩效目标的项目数"
            else:
                part, label = pr.self_evaluated, "已自评项目数"
            return [_Alt(lambda r: metrics.share(r(part, "", True), r(pr.count, "", True)),
                         f"{label} {_txt(part)} ÷ 项目总数 {_txt(pr.count)} ")]
        if claim in ("profile.internal_unit_count", "profile.subordinate_unit_count"):
            if not d.units:
                return []
            kind = "内设机构" if claim == "profile.internal_unit_count" else "下属单位"
            count = sum(1 for u in d.units if u.kind == kind)
            return [_Alt(lambda r: Decimal(count), f"机构表所列{kind}的个数 ")]
        if claim == "staff.control_rate":
            return self.staff_alternatives()
        if claim in ("kpi.completion_rate", "kpi.yoy_change"):
            kpi = next((k for k in d.kpis if k.name == s.subject), None)
            if kpi is None:
                return []
            return self.kpi_alternatives(claim, kpi)
        return []

    def budget_alternatives(self, s: StatedFigure, table: str, line: BudgetLine) -> list[_Alt]:
        claim, label = s.claim, f"「{line.label}」"
        face = _Reading("face")

        def present(attr: str) -> bool:
            return self.value(table, line, attr, face) is not None

        def v(attr: str, r: _Reading) -> Any:
            return self.value(table, line, attr, r)

        def h(attr: str) -> str:
            return f"{TABLES[table].column(attr).header} {self.value_text(line, attr)}"

        if claim == "budget.execution_rate":
            how = f"{label}{h('final')} ÷ {h('adjusted')} "
            return [_Alt(lambda r: metrics.execution_rate(v("final", r), v("adjusted", r)), how)]
        if claim == "budget.execution_rate_initial":
            how = f"{label}{h('final')} ÷ {h('initial')} "
            return [_Alt(lambda r: metrics.execution_rate(v("final", r), v("initial", r)), how)]
        if claim == "budget.variance":
            return [_Alt(partial(lambda b, r: metrics.variance(v(b, r), v("final", r)), b),
                         f"{label}{h(b)} − {h('final')} ")
                    for b in ("adjusted", "initial", "net_initial") if present(b)]
        if claim == "budget.adjustment_rate":
            return [_Alt(partial(lambda b, r: metrics.adjustment_rate(v("adjusted", r), v(b, r)), b),
                         f"{label}({h('adjusted')} − {h(b)}) ÷ {h(b)} ")
                    for b in ("net_initial", "initial") if present(b)]
        if claim == "budget.carryover_rate":
            carry = self.dept.funds.carryover
            return [_Alt(partial(lambda b, r: metrics.carryover_rate(r(carry, _AMOUNT), v(b, r)), b),
                         f"结转结余 {_txt(carry)} ÷ {label}{h(b)} ")
                    for b in ("adjusted", "initial", "final") if present(b)]
        if claim == "yoy.change_amount":
            how = f"{label}{h('final')} − {h('prior_final')} "
            return [_Alt(lambda r: metrics.change_amount(v("final", r), v("prior_final", r)), how)]
        if claim == "yoy.change_rate":
            if present("prior_final"):
                return [_Alt(lambda r: metrics.change_rate(v("final", r), v("prior_final", r)),
                             f"{label}({h('final')} − {h('prior_final')}) ÷ {h('prior_final')} ")]
            stated = self.dept.stated_of("yoy.change_amount", s.subject)
            amounts = [a.value for a in stated if isinstance(a.value, Number)]
            return [_Alt(partial(lambda a, r: metrics.change_rate_from_amount(v("final", r), r(a, _AMOUNT)), a),
                         f"{label}增减额 {_shown(a)} ÷ (本年 {self.value_text(line, 'final')} − "
                         f"增减额 {_shown(a)}) ")
                    for a in amounts]
        return []  # budget.change_amount / budget.change_rate: no column holds the prior year's budget

    def staff_alternatives(self) -> list[_Alt]:
        """财政供养人员控制率: 在职人员数 (the 合计 line's 实有数, else the sum of top-level 人 lines) ÷ Σ 编制数."""
        people = [s for s in self.dept.staffing if s.unit in (None, "人")]
        if not people:
            return []
        total_line = next((s for s in people if s.category == "合计"), None)
        top = [s for s in people if s.parent is None and s is not total_line]
        if total_line is not None and total_line.actual is not None:
            actual: Decimal | None = total_line.actual.value
        else:
            values = [s.actual.value for s in top if s.actual is not None]
            actual = sum(values, Decimal(0)) if values else None
        authorized_values = [s.authorized.value for s in top if s.authorized is not None]
        if actual is None or not authorized_values:
            return []
        authorized = sum(authorized_values, Decimal(0))
        return [_Alt(lambda r: metrics.staff_control_rate(actual, authorized), f"在职人员 {actual} ÷ 核定编制 {authorized} ")]

    def kpi_alternatives(self, claim: str, kpi: Kpi) -> list[_Alt]:
        kind = _kpi_kind(kpi)
        actual = kpi.actual if isinstance(kpi.actual, Number) else None

        def read(r: _Reading, n: Number) -> Any:
            return r(n, kind, _is_count(kpi, n))

        if claim == "kpi.completion_rate":
            target = kpi.target if isinstance(kpi.target, Number) else None
            if actual is None or target is None or kpi.direction == "定性":
                return []
            return [_Alt(lambda r: metrics.completion_rate(read(r, actual), read(r, target), kpi.direction),
                         f"实际数 {_shown(actual)} 与目标值 {_shown(target)}（{kpi.direction}）")]
        prior = kpi.prior_actual if isinstance(kpi.prior_actual, Number) else None
        if actual is None or prior is None:
            return []
        how = f"(本年 {_shown(actual)} − 上年 {_shown(prior)}) ÷ 上年 "
        return [_Alt(lambda r: metrics.change_rate(read(r, actual), read(r, prior)), how)]

    def check_restatement(self, index: int, s: StatedFigure) -> None:
        """A ``<table>.<column>`` figure restates a table cell: it must agree with the cell."""
        figure = Figure("stated", s.subject, s.claim, index)
        table_name, _, header = s.claim.partition(".")
        table = TABLES.get(table_name)
        cell = self.table_cell(table_name, header, s.subject) if table else None
        if cell is None or not isinstance(s.value, Number) or not isinstance(cell[1], Number):
            if isinstance(s.value, Number):
                self.not_checkable.append(figure)
            return
        row_label, value, _source = cell
        self.checked += 1
        assert table is not None
        kind = _AMOUNT if table_name in _BUDGET_TABLES else self.stated_kind(s)
        severity = self.compare(value, s.value, kind)
        if severity is None:
            return
        file = TABLES[table_name].file if not self.workbook else f"工作表「{table.sheet}」"
        unit = f" {s.unit}" if s.unit and s.unit != "%" else ""
        message = (f"同一数两处不同：{file}「{row_label}」{header}为 {_shown(value)}{unit}，"
                   f"此处列示 {_shown(s.value)}{unit}"
                   + ("（只在按较粗的精度读时一致）" if severity == WARNING else "") + "。请核对原报告。")
        self.add(severity, "restated", message, figure, self.stated_place(s), s.value.value, value.value)

    def compare(self, a: Number, b: Number, kind: str) -> str | None:
        """Two printed figures of one quantity: error if they cannot be one value, warning if only read coarsely."""
        if a.comparator or b.comparator:
            return None
        if not agree(a, b):
            return ERROR
        if not agree(a, b, self.precision.get(kind)):
            return WARNING
        return None

    def table_cell(self, table: str, header: str, subject: str | None) -> tuple[str, Any, str | None] | None:
        columns = {c.header: c.attr for c in TABLES[table].columns}
        attr = columns.get(header)
        if attr is None or subject is None:
            return None
        rows: list[Any] = []
        if table in _BUDGET_TABLES:
            line = self.dept.line(table, subject)
            return (line.label, getattr(line, attr), line.source) if line is not None else None
        if table == "kpis":
            rows = [k for k in self.dept.kpis if subject in (k.name, k.id)]
            return (rows[0].name, getattr(rows[0], attr), rows[0].source) if rows else None
        if table == "scores":
            rows = [x for x in self.dept.scores if x.id == subject]
            return (f"{rows[0].id} {rows[0].name}", getattr(rows[0], attr), rows[0].source) if rows else None
        if table == "staffing":
            rows = [x for x in self.dept.staffing if x.category == subject]
            return (rows[0].category, getattr(rows[0], attr), rows[0].source) if rows else None
        if table == "quarterly":
            rows = [q for q in self.dept.quarterly if str(q.quarter) == subject]
            return (f"第 {rows[0].quarter} 季度", getattr(rows[0], attr), rows[0].source) if rows else None
        return None

    def check_other(self, index: int, s: StatedFigure) -> None:
        """``other`` is free-form; one reading is checked: a KPI's value restated under its name."""
        kpi = next((k for k in self.dept.kpis if k.name == s.subject), None)
        if isinstance(s.value, Number) and kpi is not None and isinstance(kpi.actual, Number) and (
            s.unit == kpi.unit or (s.value.percent and kpi.actual.percent)
        ):
            self.checked += 1
            figure = Figure("stated", s.subject, s.claim, index)
            if s.value.comparator:
                bounds = _around(kpi.actual.value, kpi.actual.decimals)
                severity = None if _satisfies(bounds, s.value.comparator, s.value.value) else ERROR
            else:
                severity = self.compare(kpi.actual, s.value, _kpi_kind(kpi))
            if severity is not None:
                message = f"「{kpi.name}」实际值为 {_shown(kpi.actual)}，此处列示「{_shown(s.value)}」，不一致。请核对原报告。"
                self.add(severity, "restated", message, figure, self.stated_place(s), s.value.value, kpi.actual.value)
            return
        self.other += 1

    def check_goal_completion(self, index: int, s: StatedFigure) -> None:
        """``kpi.overall_completion``, e.g. 004's 「完成率≥100%」 said of all KPIs at once: every quantitative KPI's
        completion rate must reach it."""
        assert isinstance(s.value, Number)
        printed = _Reading("printed")
        comparator = ">" if s.value.comparator == ">" else "≥"
        short: list[tuple[str, Number, Number, Decimal]] = []
        checked = 0
        for kpi in self.dept.kpis:
            actual, target = kpi.actual, kpi.target
            if kpi.direction == "定性" or not isinstance(actual, Number) or not isinstance(target, Number):
                continue
            kind = _kpi_kind(kpi)
            bounds = _as_interval(metrics.completion_rate(printed(actual, kind, _is_count(kpi, actual)),
                                                          printed(target, kind, _is_count(kpi, target)), kpi.direction))
            face = metrics.completion_rate(actual.value, target.value, kpi.direction)
            if bounds is None or face is None:
                continue
            checked += 1
            if not _satisfies(bounds, comparator, s.value.value):
                short.append((kpi.name, actual, target, face))
        if not checked:
            self.not_checkable.append(Figure("stated", s.subject, s.claim, index))
            return
        self.checked += 1
        if not short:
            return
        listed = "；".join(f"{name} 实际 {_shown(a)}、目标 {_shown(t)}，完成率 {_q(f, 2)}%" for name, a, t, f in short)
        message = (f"{_GOAL_COMPLETION}列示「{_shown(s.value)}」，但 {len(short)} 项指标未达到：{listed}。请核对原报告。")
        self.add(ERROR, "kpi_overall", message, Figure("stated", s.subject, s.claim, index), self.stated_place(s),
                 s.value.value, min(f for *_, f in short))

    def check_duplicates(self) -> None:
        """The same claim about the same subject stated twice: the statements must agree (one is judged per group)."""
        groups: dict[tuple[str, str | None], list[int]] = defaultdict(list)
        for index, s in enumerate(self.dept.stated):
            if s.claim in CLAIMS and s.claim not in ("other", "score.grade") and isinstance(s.value, Number):
                groups[(s.claim, s.subject)].append(index)
        for (claim, _subject), indexes in groups.items():
            rows = [i for i in indexes if i not in self.flagged]
            if len(rows) < 2:
                continue
            stated = self.dept.stated
            ref = min(rows, key=lambda i: (self.distance(i), i))
            for i in rows:
                if i == ref:
                    continue
                a, b = stated[ref].value, stated[i].value
                assert isinstance(a, Number) and isinstance(b, Number)
                severity = self.compare(a, b, self.stated_kind(stated[i]))
                if severity is None:
                    continue
                basis = f"；按其输入重算为 {_show(self.consistent[ref], a)}" if ref in self.consistent else "；缺少输入数据，无法判断哪一处正确"
                message = (f"{self.what(stated[i])}两处列示不同：{_shown(a)}（{stated[ref].source or '—'}）与 {_shown(b)}"
                           f"（{stated[i].source or '—'}）{basis}。请核对原报告。")
                self.add(severity, "restated", message, Figure("stated", stated[i].subject, claim, i),
                         self.stated_place(stated[i]), b.value, a.value)

    def distance(self, index: int) -> Decimal:
        """How far a stated figure is from its recomputation (infinite without one): the nearest is the reference."""
        value = self.dept.stated[index].value
        if index not in self.consistent or not isinstance(value, Number):
            return Decimal("Infinity")
        return abs(self.consistent[index] - value.value)

    def check_parts_change(self) -> None:
        """Stated change amounts of the parts of a table (its top-level lines) must add up to the total's."""
        claim = "yoy.change_amount"
        stated = self.dept.stated
        rows = [(i, s) for i, s in enumerate(stated)
                if s.claim == claim and isinstance(s.value, Number) and i not in self.flagged]
        for table in _BUDGET_TABLES:
            total = self.dept.total(table)
            if total is None:
                continue
            totals = [(i, s) for i, s in rows if s.subject in (total.name, total.code)]
            if not totals:
                continue
            names = [b.name for b in self.lines(table) if b.parent is None and b.row_kind == "明细"]
            complete = True
            if not names and table == "expenditure":
                names, complete = list(_EXPENDITURE_SPLIT), False
            parts = {n: next((s for _, s in rows if s.subject == n), None) for n in names}
            given = {n: p for n, p in parts.items() if p is not None}
            if len(given) < 2:
                continue
            complete = complete and len(given) == len(names)
            index, whole = totals[0]
            assert isinstance(whole.value, Number)
            values = [p.value for p in given.values() if isinstance(p.value, Number)]  # all are: rows holds numbers

            def formula(r: _Reading, values: list[Number] = values) -> Any:
                return metrics.total([r(x, _AMOUNT) for x in values])

            verdict = self.judge(whole.value, _AMOUNT, formula)
            if verdict is None:
                continue
            self.checked += 1
            if verdict.severity is None:
                continue
            severity = verdict.severity if complete else WARNING
            how = "、".join(given) + " 的增减额之和 " + " + ".join(_shown(v) for v in values).replace("+ -", "− ") + " "
            message = self.explain(f"「{total.label}」较上年增减额", whole.value, how, verdict, " 万元")
            if not complete:
                message += f"（报告只列出{'、'.join(given)}；若其他部分另有增减，差额也可能来自那里。）"
            self.add(severity, "parts_change", message, Figure("stated", whole.subject, claim, index),
                     self.stated_place(whole), whole.value.value, verdict.face)

    # -- scores -----------------------------------------------------------------------------------------

    def check_scores(self) -> None:
        for s in self.dept.scores:
            self.check_score_max(s.id, s.name, s.score, s.max, Figure("scores", s.id, "score"),
                                 self.place("scores", f"{s.id} {s.name}", "得分", s.source))
            kids = self.kids.get(s.id)
            if kids:
                self.check_max_sum(s, kids)
                if s.score is not None:
                    self.check_subtotal(s)
            if s.rate is not None:
                points = s.score.value if s.score is not None else self.leaves(s.id)
                self.check_rate(s, s.rate, points, Figure("scores", s.id, "rate"),
                                self.place("scores", f"{s.id} {s.name}", "得分率", s.source))
        self.check_kpi_formulas()

    def leaves(self, score_id: str) -> Decimal | None:
        """An indicator's points recomputed from its leaves (a leaf's own 得分); None if a leaf has none."""
        kids = self.kids.get(score_id)
        if not kids:
            score = self.by_id[score_id].score
            return score.value if score is not None else None
        result = metrics.total([self.leaves(k.id) for k in kids])
        return Decimal(result) if result is not None else None

    def children_stated(self, score_id: str) -> Decimal | None:
        parts = [k.score.value if k.score is not None else self.leaves(k.id) for k in self.kids.get(score_id, [])]
        result = metrics.total(parts)
        return Decimal(result) if result is not None else None

    def check_score_max(
        self, score_id: str, name: str, points: Number | None, maximum: Number, figure: Figure, location: str
    ) -> None:
        if points is None:
            return
        bonus = score_id == "X" or score_id.startswith("X.")
        low = -maximum.value if bonus else Decimal(0)
        if low <= points.value <= maximum.value:
            return
        message = f"「{score_id} {name}」得分 {_shown(points)} 超出分值范围 [{low}, {_shown(maximum)}]。请核对原报告。"
        self.add(ERROR, "score_max", message, figure, location, points.value, maximum.value)

    def check_max_sum(self, s: Score, kids: list[Score]) -> None:
        self.checked += 1
        total = sum((k.max.value for k in kids), Decimal(0))
        if total == s.max.value:
            return
        terms = " + ".join(_shown(k.max) for k in kids)
        message = f"「{s.id} {s.name}」分值 {_shown(s.max)}，下级分值之和 {terms} = {total.normalize():f}，不一致。请核对原报告或指标体系。"
        self.add(ERROR, "score_max_sum", message, Figure("scores", s.id, "max"),
                 self.place("scores", f"{s.id} {s.name}", "分值", s.source), s.max.value, total)

    def check_subtotal(self, s: Score) -> None:
        assert s.score is not None
        recomputed = self.leaves(s.id)
        if recomputed is None:
            return
        self.checked += 1
        if recomputed == s.score.value:
            return
        self.add(ERROR, "score_sum", self.subtotal_message(s.id, s.score, recomputed), Figure("scores", s.id, "score"),
                 self.place("scores", f"{s.id} {s.name}", "得分", s.source), s.score.value, recomputed)

    def subtotal_message(self, score_id: str, stated: Number, recomputed: Decimal) -> str:
        s = self.by_id[score_id]
        kids = self.kids[score_id]
        terms = " + ".join(_shown(k.score) if k.score is not None else f"{self.leaves(k.id)}" for k in kids)
        message = f"「{s.id} {s.name}」列示得分 {_shown(stated)}，下级得分之和 {terms} = {recomputed.normalize():f}"
        direct = self.children_stated(score_id)
        if direct is not None and direct != recomputed:
            message += f"（按各下级列示的小计为 {direct.normalize():f}）"
        message += "。"
        parent = self.by_id.get(s.parent) if s.parent else None
        if (
            parent is not None
            and parent.score is not None
            and parent.score.value == self.leaves(parent.id)
            and parent.score.value != self.children_stated(parent.id)
        ):
            message += (f"上级「{parent.id} {parent.name}」列示的 {_shown(parent.score)} 与 {recomputed.normalize():f} 相符，"
                        f"与 {_shown(stated)} 不符。")
        return message + "请核对原报告。"

    def check_rate(self, s: Score, rate: Number, points: Decimal | None, figure: Figure, location: str) -> None:
        if points is None:
            if figure.table == "stated":
                self.not_checkable.append(figure)
            return
        maximum = s.max.value
        verdict = self.judge(rate, _PERCENT, lambda r: metrics.score_rate(points, maximum))
        if verdict is None:
            return
        self.checked += 1
        if verdict.severity is None:
            return
        how = f"得分 {points.normalize():f} ÷ 分值 {_shown(s.max)} "
        self.add(verdict.severity, "score_rate", self.explain(f"「{s.id} {s.name}」得分率", rate, how, verdict), figure,
                 location, rate.value, verdict.face)

    def check_score_claim(self, index: int, s: StatedFigure) -> None:
        figure = Figure("stated", s.subject, s.claim, index)
        if s.claim == "score.grade":
            self.check_grade(index, s)
            return
        if not isinstance(s.value, Number):
            return
        if s.claim == "score.total":
            roots = [x for x in self.dept.scores if x.parent is None]
            parts = [self.leaves(x.id) for x in roots]
            total = metrics.total(parts) if roots else None
            if total is None:
                self.not_checkable.append(figure)
                return
            self.checked += 1
            self.consistent[index] = Decimal(total)
            if Decimal(total) != s.value.value:
                terms = " + ".join(f"{p.normalize():f}" for p in parts if p is not None)
                message = f"总分列示 {_shown(s.value)}，各一级指标得分之和 {terms} = {Decimal(total).normalize():f}。请核对原报告。"
                self.add(ERROR, "score_total", message, figure, self.stated_place(s), s.value.value, Decimal(total))
            return
        score = self.by_id.get(s.subject or "")
        if score is None:
            self.not_checkable.append(figure)
            return
        if s.claim == "score.indicator":
            self.check_score_max(score.id, score.name, s.value, score.max, figure, self.stated_place(s))
            if score.score is not None:
                self.checked += 1
                if score.score.value != s.value.value:
                    message = (f"「{score.id} {score.name}」得分：评分表为 {_shown(score.score)}，此处列示 {_shown(s.value)}，"
                               f"不一致。请核对原报告。")
                    self.add(ERROR, "restated", message, figure, self.stated_place(s), s.value.value, score.score.value)
                return
            recomputed = self.leaves(score.id)
            if recomputed is None:
                self.not_checkable.append(figure)
                return
            self.checked += 1
            if recomputed != s.value.value:
                self.add(ERROR, "score_sum", self.subtotal_message(score.id, s.value, recomputed), figure,
                         self.stated_place(s), s.value.value, recomputed)
            return
        if s.claim == "score.rate":
            if score.rate is not None and score.rate == s.value:
                self.checked += 1  # the same printed figure, also recorded in the 评分表: checked there
                return
            points = score.score.value if score.score is not None else self.leaves(score.id)
            self.check_rate(score, s.value, points, figure, self.stated_place(s))

    def check_grade(self, index: int, s: StatedFigure) -> None:
        figure = Figure("stated", s.subject, s.claim, index)
        totals = [x.value.value for x in self.dept.stated_of("score.total") if isinstance(x.value, Number)]
        total: Decimal | None = totals[0] if totals else None
        if total is None and self.dept.scores:
            roots = [self.leaves(x.id) for x in self.dept.scores if x.parent is None]
            result = metrics.total(roots)
            total = Decimal(result) if result is not None else None
        framework = self.framework
        if framework is None and total is not None:
            try:
                framework = self.framework = load_framework(self.dept.evaluation.framework)
            except AuditkitError:
                framework = None
        if total is None or framework is None or not isinstance(s.value, str):
            self.not_checkable.append(figure)
            return
        self.checked += 1
        grade = framework.grade(total)
        if grade != s.value:
            message = f"绩效等级列示“{s.value}”，总分 {total.normalize():f} 按「{framework.name}」应为“{grade}”。请核对原报告。"
            self.add(ERROR, "score_grade", message, figure, self.stated_place(s))

    def check_kpi_formulas(self) -> None:
        inputs: dict[str, dict[str, Number]] = defaultdict(dict)
        for i in self.dept.kpi_inputs:
            inputs[i.kpi][i.variable] = i.value
        for kpi in self.dept.kpis:
            if kpi.formula not in _FORMULAS or not isinstance(kpi.actual, Number):
                continue
            given = inputs.get(kpi.name, {})
            variables = FORMULA_VARIABLES[kpi.formula]
            if any(v not in given for v in variables):
                continue
            fn = _FORMULAS[kpi.formula]

            def formula(
                r: _Reading, fn: Callable[..., Any] = fn, g: dict[str, Number] = given, vs: tuple[str, ...] = variables
            ) -> Any:
                return fn(*[r(g[v], "", True) for v in vs])

            verdict = self.judge(kpi.actual, _kpi_kind(kpi), formula)
            if verdict is None:
                continue
            self.checked += 1
            if verdict.severity is None:
                continue
            how = "公式 " + "、".join(f"{v} {_shown(given[v])}" for v in variables) + " "
            self.add(verdict.severity, "kpi_formula", self.explain(f"「{kpi.name}」实际值", kpi.actual, how, verdict),
                     Figure("kpis", kpi.name, "actual"), self.place("kpis", kpi.name, "实际值", kpi.source),
                     kpi.actual.value, verdict.face)

    # -- the prior year -----------------------------------------------------------------------------------

    def check_prior_year(self) -> None:
        """Each 上年 figure the department states that the prior year's own figure contradicts: a warning, the
        department's figure used (a department may restate its prior year: reclassification, correction)."""
        if self.prior is None or self.prior.prior is None:
            return
        self.checked += self.prior.compared
        year = self.prior.prior.fiscal_year
        for f in self.prior.disagreements:
            assert f.stated is not None
            unit = f" {f.unit}" if f.unit and f.unit != "%" else ""
            location = self.place(f.table, f.row, f.header, f.stated_source)
            message = (f"{f.label}两处不同：本部门数据列示 {_value_text(f.stated)}{unit}（{location}），"
                       f"{year} 年度数据为 {_value_text(f.linked)}{unit}（{f.linked_source}）。同比采用本部门数据所列数；"
                       "上年数可能经重述（口径调整或更正），请核对并在数据说明中写明原因。")
            stated = f.stated.value if isinstance(f.stated, Number) else None
            linked = f.linked.value if isinstance(f.linked, Number) else None
            self.add(WARNING, "prior_year", message, Figure(f.table, f.key, f.column), location, stated, linked)


def _value_text(value: Number | str) -> str:
    return _shown(value) if isinstance(value, Number) else f"「{value}」"


def _txt(number: Number | None) -> str:
    return _shown(number) if number is not None else "（未列示）"


def _is_count(kpi: Kpi, number: Number) -> bool:
    return kpi.unit in _COUNT_UNITS and number.decimals == 0 and not number.percent


def _kpi_kind(kpi: Kpi) -> str:
    actual = kpi.actual if isinstance(kpi.actual, Number) else None
    return "kpi:%" if (actual is not None and actual.percent) or kpi.unit == "%" else f"kpi:{kpi.unit or ''}"


def _prevailing_precision(dept: DepartmentYear) -> dict[str, int]:
    """For each kind of figure, the number of decimals the report most often prints it with (ties: the finer).

    Kinds: amounts in 万元 (budget tables, funds, procurement, assets and stated amounts), stated percentages and
    得分率 (``%``), and KPI values by unit (``kpi:万人``). Zeros and exact counts do not vote.
    """
    votes: dict[str, Counter[int]] = defaultdict(Counter)

    def vote(kind: str, number: object) -> None:
        if isinstance(number, Number) and number.value != 0:
            votes[kind][number.decimals] += 1

    for table in _BUDGET_TABLES:
        for line in getattr(dept, table):
            for attr in _AMOUNT_ATTRS:
                vote(_AMOUNT, getattr(line, attr))
    sections = (
        ("funds", ("special_allocated", "special_spent", "stock_current", "stock_prior", "carryover",
                   "secondary_allocation")),
        ("procurement", ("planned", "actual", "sme", "small_micro")),
        ("assets", ("fixed_total", "fixed_in_use")),
    )
    for section, attrs in sections:
        for attr in attrs:
            vote(_AMOUNT, getattr(getattr(dept, section), attr))
    for s in dept.stated:
        if isinstance(s.value, Number) and s.claim != "other" and s.claim not in _EXACT_CLAIMS:
            if s.value.percent:
                vote(_PERCENT, s.value)
            elif s.claim in _AMOUNT_CLAIMS or s.claim.partition(".")[0] in _BUDGET_TABLES:
                vote(s.unit or _AMOUNT, s.value)
    for score in dept.scores:
        vote(_PERCENT, score.rate)
    for q in dept.quarterly:
        vote(_PERCENT, q.cumulative_rate)
    for kpi in dept.kpis:
        for value in (kpi.target, kpi.actual, kpi.prior_actual):
            vote(_kpi_kind(kpi), value)
    return {kind: max(counter.items(), key=lambda item: (item[1], item[0]))[0] for kind, counter in votes.items()}


# --- public API ----------------------------------------------------------------------------------------


def reconciliation(
    dept: DepartmentYear, framework: Framework | None = None, prior: PriorYear | None = None
) -> Reconciliation:
    """Recompute every figure ``dept`` states: the findings, how many figures were checked, and which could not be.

    ``framework`` gives the grade thresholds; by default the department's own (``evaluation.framework``). ``prior``
    is the prior-year link (:func:`auditkit.prior_year.link_prior_year`; ``dept`` is then usually its ``dept``, with
    the prior-year figures filled): each disagreement it records is a ``prior_year`` warning, the figures it filled
    make stated 同比 checkable but are never checked as this department's own (they are the prior year's).
    """
    r = _Reconciler(dept, framework, prior)
    r.check_budget_tables()
    r.check_stated()
    r.check_scores()
    r.check_prior_year()
    return Reconciliation(tuple(r.findings), r.checked, tuple(r.not_checkable), r.other)


def reconcile(
    dept: DepartmentYear, framework: Framework | None = None, prior: PriorYear | None = None
) -> list[Finding]:
    """Every stated figure of ``dept`` that does not hold, errors and warnings (see the module docstring)."""
    return list(reconciliation(dept, framework, prior).findings)


def format_findings(dept: DepartmentYear, result: Reconciliation) -> str:
    """The findings as plain text for the evaluator: errors first, then warnings, then the summary line."""
    head = f"{dept.origin or dept.id}（{dept.department.name} {dept.fiscal_year} 年度）"
    lines = [head]
    marks = {ERROR: "✘ 错误", WARNING: "⚠ 警告"}
    for severity in (ERROR, WARNING):
        for f in result.findings:
            if f.severity == severity:
                lines.append(f"  {marks[severity]} [{f.rule}] {f.location}")
                lines.append(f"      {f.message}")
    lines.append(f"  {result.summary()}")
    return "\n".join(lines)
