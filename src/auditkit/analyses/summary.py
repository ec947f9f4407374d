"""评价结果汇总: the department-years of one fiscal year side by side, for the finance bureau that commissioned them.

Plain functions over :class:`Evaluated` (a department-year with its scorecard, its reviewed reconciliation and its
framework, as :func:`auditkit.report.year.load_year` builds them), no I/O:

- the results (:func:`ranking`, :func:`results_tables`): total, grade, rank, evaluation kind, draft or final.
  Departments are ranked **within their framework only**: frameworks weigh and score differently, so a 2019
  municipal 83.3 and a 2021 provincial 96.95 are not comparable. A total the data cannot verify (the report prints
  it, its indicator scores are missing) is shown as the report's and not ranked;
- the grades (:func:`grade_distribution`), with the grades each framework defines;
- where points are lost (:func:`indicator_rates`, :func:`points_lost`, :func:`rate_matrix`): 得分率 = 得分 ÷ 分值;
- budget execution (:func:`budget_rates`, :func:`budget_outliers`): 预算执行率, 预算调整率 and 结转结余率 exactly as
  each department's own 预决算差异分析 computes them (:func:`auditkit.analyses.budget.budget_indicators`), held
  against the framework's ``thresholds``;
- common problems (:func:`common_problems`): each department's 存在问题 under the indicator where it lost points;
- year on year (:func:`score_changes`, :func:`indicator_changes`): by indicator 编号 only;
- reconciliation status (:func:`review_status`): open errors and warnings, draft or final.

Every table keeps the frameworks apart (a 指标体系 column, or one table per framework).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from auditkit.analyses import metrics
from auditkit.analyses.budget import budget_indicators
from auditkit.analyses.frames import frame
from auditkit.data.model import DepartmentYear, TextItem
from auditkit.data.numbers import Number, format_points

if TYPE_CHECKING:  # the summary reads what scoring and reconciliation produced; it never runs them
    from auditkit.reconcile.review import Review
    from auditkit.scoring.framework import BudgetMeasure, Framework
    from auditkit.scoring.scorecard import IndicatorScore, Scorecard

__all__ = [
    "NOT_RANKED",
    "Disputed",
    "Evaluated",
    "Ranked",
    "RateMatrix",
    "budget_outliers",
    "budget_rates",
    "common_problems",
    "disputed",
    "grade_distribution",
    "headline",
    "indicator_changes",
    "indicator_rates",
    "points_lost",
    "rank_note",
    "ranking",
    "rate_matrix",
    "results_tables",
    "review_status",
    "score_changes",
    "thresholds_table",
]

#: Why a department has no rank, as the results table says it.
NOT_RANKED = "不参与排名"
UNVERIFIED = "报告所列，未复核"
UNMATCHED = "（未对应到扣分指标）"
_MISSING = "—"
_SHORT = 80
_SPREAD = ("最低得分率", "最高得分率", "得分率标准差（百分点）")
#: A heat map of departments × indicators says something only across a few departments.
HEATMAP_MIN_DEPARTMENTS = 3
#: The rows of :func:`~auditkit.analyses.budget.budget_indicators` the summary reads, by measure (first found wins).
_BUDGET_ROWS: dict[str, tuple[str, ...]] = {
    "execution_rate": ("预算执行率（决算/调整预算）", "预算执行率（决算/年初预算）"),
    "adjustment_rate": ("预算调整率",),
    "carryover_rate": ("结转结余率",),
}
_MEASURES: tuple[BudgetMeasure, ...] = ("execution_rate", "adjustment_rate", "carryover_rate")
_MEASURE_NAMES = {"execution_rate": "预算执行率", "adjustment_rate": "预算调整率", "carryover_rate": "结转结余率"}


@dataclass(frozen=True)
class Evaluated:
    """One department-year as the summary reads it.

    ``card`` is its scorecard under ``framework`` (None when it cannot be scored: ``problem`` says why), ``review``
    its reconciliation sorted into open and decided findings (None when it could not be run), ``prior`` last year's
    scorecard under last year's framework (None without a usable prior year).
    """

    dept: DepartmentYear
    framework: Framework
    card: Scorecard | None
    review: Review | None
    prior: Scorecard | None = None
    problem: str | None = None

    @property
    def name(self) -> str:
        return self.dept.department.name

    @property
    def draft(self) -> bool | None:
        """Whether the report is a draft (征求意见稿: an error is open); None when it was not reconciled."""
        return self.review.draft if self.review is not None else None

    @property
    def status(self) -> str:
        return {True: "征求意见稿", False: "定稿", None: "未校验"}[self.draft]


@dataclass(frozen=True)
class Ranked:
    """One department's place in its framework's results: ``rank`` 1 is the highest verified total (ties share a
    rank, the next skips: 1, 2, 2, 4); None for a department without a verified total."""

    framework: str
    framework_name: str
    dept_id: str
    name: str
    kind: str
    total: Decimal | None
    grade: str | None
    rank: int | None
    status: str
    stated_total: Number | None = None
    stated_grade: str | None = None
    problem: str | None = None

    @property
    def verified(self) -> bool:
        return self.total is not None


@dataclass(frozen=True)
class RateMatrix:
    """得分率 (%) of each department (rows) at each indicator of one level (columns), under one framework."""

    framework: str
    framework_name: str
    departments: tuple[str, ...]
    indicators: tuple[tuple[str, str], ...]
    rates: tuple[tuple[Decimal | None, ...], ...]


# --- helpers ------------------------------------------------------------------------------------------------


def _by_framework(entries: Iterable[Evaluated]) -> dict[str, list[Evaluated]]:
    """The entries by framework id, frameworks in id order, departments by id within each."""
    out: dict[str, list[Evaluated]] = defaultdict(list)
    for e in entries:
        out[e.framework.id].append(e)
    return {k: sorted(out[k], key=lambda e: e.dept.id) for k in sorted(out)}


def _fw_label(fw: Framework) -> str:
    """The framework as the bureau names it (its Chinese name; the id is the tool's and stays out of the summary)."""
    return fw.name


def _fw_short(fw: Framework) -> str:
    """The framework's name for a table's 指标体系 column: 「市级指标体系（2019，韶关）」."""
    return fw.name.replace("部门整体支出绩效评价指标体系", "指标体系")


#: What a budget threshold rests on, in the bureau's terms: a line the framework file only assumes (or takes from
#: practice, not from an issued document) is the summary's own, not the framework's.
SET_HERE = "本汇总设定的警戒线（非指标体系规定），仅用于提示关注，不影响得分"


def _basis_text(basis: object) -> str:
    source = getattr(basis, "source", None)
    if source and not getattr(basis, "assumed", None) and "〔" in source and "domain-notes" not in source:
        return f"指标体系规定（依据：{source}）"
    return SET_HERE


def _points(value: Decimal | None) -> str:
    return format_points(value) if value is not None else _MISSING


def _rows(card: Scorecard, level: int | None = None, leaves: bool = False) -> list[IndicatorScore]:
    return [r for r in card.indicators if not r.adjustment and (level is None or r.level == level) and (not leaves or r.leaf)]


def _lost(row: IndicatorScore) -> Decimal | None:
    return row.max - row.score if row.score is not None else None


@dataclass(frozen=True)
class Disputed:
    """A department's indicator figure (得分 or 得分率) that an open reconciliation error disputes: the report prints
    ``printed``, the scorecard's figures give ``recomputed``; ``item`` is the error's number in the review memo's
    待确认事项 (as the report's notes cite it)."""

    dept: str
    indicator: str
    what: str
    printed: Decimal | None
    recomputed: Decimal | None
    item: int

    @property
    def text(self) -> str:
        unit = "%" if self.what == "得分率" else " 分"
        printed = f"{format_points(self.printed)}{unit}" if self.printed is not None else _MISSING
        redone = f"{format_points(self.recomputed.quantize(Decimal('0.01')))}{unit}" if self.recomputed is not None else _MISSING
        return f"{self.dept} {self.indicator}：报告列示{self.what} {printed}，复核重算 {redone}，待确认（复核意见待确认事项第{self.item}项）"


def disputed(e: Evaluated) -> dict[str, Disputed]:
    """The indicators (by 编号) whose 得分 or 得分率 an open error disputes (003 2019: A.3 保障措施 75% against 1 ÷ 2,
    C.3 效果性 9.6 against 9.8): the summary leaves them out of its statistics until the error is decided."""
    if e.review is None or e.card is None:
        return {}
    out: dict[str, Disputed] = {}
    for item, f in enumerate(e.review.open_errors, start=1):
        figure = f.figure
        if figure is None or figure.table != "scores" or figure.column not in ("score", "rate") or not figure.key:
            continue
        name = next((r.name for r in e.card.indicators if r.id == figure.key), figure.key)
        out.setdefault(figure.key, Disputed(e.name, f"{figure.key} {name}", "得分率" if figure.column == "rate" else "得分",
                                            f.stated, f.recomputed, item))
    return out


def _counted(e: Evaluated, row: IndicatorScore) -> bool:
    """Whether the summary counts this indicator figure: not while an open error disputes it."""
    return row.id not in disputed(e)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHORT else text[:_SHORT] + "……"


# --- results ------------------------------------------------------------------------------------------------


def ranking(entries: Iterable[Evaluated]) -> list[Ranked]:
    """Every department with its total, grade and rank **within its framework** (frameworks in id order; in each,
    ranked departments by rank then name, then the unranked by name)."""
    out: list[Ranked] = []
    for group in _by_framework(entries).values():
        totals = sorted((e.card.total for e in group if e.card is not None and e.card.total is not None), reverse=True)
        rows = []
        for e in group:
            card = e.card
            total = card.total if card is not None else None
            rank = 1 + sum(1 for t in totals if t > total) if total is not None else None
            rows.append(Ranked(
                framework=e.framework.id, framework_name=e.framework.name, dept_id=e.dept.id, name=e.name,
                kind=e.dept.evaluation.kind, total=total, grade=card.grade if card is not None else None, rank=rank,
                status=e.status, stated_total=card.stated_total if card is not None else None,
                stated_grade=card.stated_grade if card is not None else None, problem=e.problem,
            ))
        out += sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.name))
    return out


def rank_note(entries: Sequence[Evaluated]) -> str:
    """The sentence under the results: ranks are within a framework, and why."""
    frameworks = {e.framework.id for e in entries}
    if len(frameworks) <= 1:
        return "名次按总分由高到低排列（同分同名次）；未能复核总分的部门不参与排名。"
    return (f"本年度的部门分属 {len(frameworks)} 个指标体系。各指标体系的指标、分值与评分标准不同，总分不可相互比较，"
            "故按指标体系分表、各自排名，不跨指标体系排名；名次按总分由高到低排列（同分同名次），未能复核总分的部门不参与排名。")


def _shown_total(r: Ranked) -> str:
    if r.total is not None:
        return format_points(r.total)
    if r.stated_total is not None:
        return f"{r.stated_total}（{UNVERIFIED}）"
    return _MISSING


def _why_unranked(r: Ranked) -> str | None:
    if r.rank is not None:
        return None
    if r.problem:
        return f"{NOT_RANKED}：{r.problem}"
    if r.stated_total is not None:
        return f"{NOT_RANKED}：数据缺少各指标得分，总分为报告所列、无法复核"
    return f"{NOT_RANKED}：缺少得分"


def results_tables(entries: Sequence[Evaluated]) -> list[tuple[str, pd.DataFrame]]:
    """评价结果 per framework: (title, table of 名次, 部门, 评价类型, 总分, 等级, 报告状态, 说明)."""
    by_fw: dict[str, list[Ranked]] = defaultdict(list)
    for r in ranking(entries):
        by_fw[r.framework].append(r)
    names = {e.framework.id: e.framework for e in entries}
    out = []
    for fw_id, rows in by_fw.items():
        table = frame(({
            "名次": str(r.rank) if r.rank is not None else _MISSING, "部门": r.name, "评价类型": r.kind,
            "总分": _shown_total(r), "等级": r.grade or (f"{r.stated_grade}（{UNVERIFIED}）" if r.stated_grade else _MISSING),
            "报告状态": r.status, "说明": _why_unranked(r),
        } for r in rows), ("名次", "部门", "评价类型", "总分", "等级", "报告状态", "说明"),
            required=("名次", "部门", "评价类型", "总分", "等级", "报告状态"))
        out.append((f"评价结果（{_fw_label(names[fw_id])}，满分 {format_points(names[fw_id].max)}）", table))
    return out


def grade_distribution(entries: Sequence[Evaluated]) -> pd.DataFrame:
    """等级分布: per framework, each of its grades (highest first, as the framework defines them) with the number
    and share of its departments; departments without a verified total as 未评定."""
    rows: list[dict[str, object]] = []
    for group in _by_framework(entries).values():
        fw = group[0].framework
        grades = [e.card.grade if e.card is not None else None for e in group]
        for g in [*(x.name for x in fw.grades), None]:
            count = sum(1 for x in grades if x == g)
            if g is None and not count:
                continue
            rows.append({"指标体系": _fw_short(fw), "等级": g or "未评定", "部门数": count,
                         "占比": metrics.share(Decimal(count), Decimal(len(group)))})
    return frame(rows, ("指标体系", "等级", "部门数", "占比"), required=("指标体系", "等级", "部门数", "占比"))


# --- where points are lost ----------------------------------------------------------------------------------


def _stats(rates: Sequence[Decimal]) -> dict[str, object]:
    return {"平均得分率": metrics.mean(list(rates)) if rates else None, "最低得分率": min(rates, default=None),
            "最高得分率": max(rates, default=None),
            "得分率标准差（百分点）": Decimal(str(statistics.pstdev(rates))) if len(rates) > 1 else None}


def indicator_rates(entries: Sequence[Evaluated], level: int) -> pd.DataFrame:
    """每项 ``level`` 级指标的得分率: per framework and indicator, the mean (of the departments scored there), lowest,
    highest and spread (population standard deviation, in percentage points) of 得分率, and the points lost in all."""
    rows: list[dict[str, object]] = []
    for group in _by_framework(entries).values():
        held = [(e, e.card) for e in group if e.card is not None]
        for ind in [i for i in group[0].framework.indicators if i.level == level and not i.adjustment]:
            found = [(e, r) for e, c in held for r in c.indicators if r.id == ind.id and r.score is not None]
            scored = [r for e, r in found if _counted(e, r)]
            pending = [disputed(e)[r.id].text for e, r in found if not _counted(e, r)]
            rates = [r.rate for r in scored if r.rate is not None]
            rows.append({"指标体系": _fw_short(group[0].framework), "编号": ind.id, "指标": ind.name, "分值": format_points(ind.max),
                         "部门数": len(scored), **_stats(rates),
                         "失分合计": sum((ind.max - r.score for r in scored if r.score is not None), Decimal(0)),
                         "待确认（未计入）": "；".join(pending) or None})
    columns: tuple[str, ...] = ("指标体系", "编号", "指标", "分值", "部门数", "平均得分率", "最低得分率", "最高得分率",
                                "得分率标准差（百分点）", "失分合计", "待确认（未计入）")
    if not any(r["待确认（未计入）"] for r in rows):
        columns = columns[:-1]
    if all(int(str(r["部门数"])) <= 1 for r in rows):  # one department a framework: lowest = highest = mean, no spread
        columns = tuple(c for c in columns if c not in _SPREAD)
    return frame(rows, columns, required=columns[:6], numeric=tuple(c for c in columns[5:] if c != "待确认（未计入）"))


def points_lost(entries: Sequence[Evaluated], top: int = 10) -> pd.DataFrame:
    """失分最多的末级指标: per framework, the ``top`` leaves by points lost across its departments, with how many
    departments lost points there and their mean 得分率."""
    rows: list[dict[str, object]] = []
    for group in _by_framework(entries).values():
        lost: dict[str, list[IndicatorScore]] = defaultdict(list)
        for e in group:
            for r in _rows(e.card, leaves=True) if e.card is not None else []:
                if r.score is not None and _counted(e, r):
                    lost[r.id].append(r)
        found = []
        for ind_id, scored in lost.items():
            total = sum((_lost(r) or Decimal(0) for r in scored), Decimal(0))
            if total > 0:
                found.append((total, ind_id, scored))
        order = {i.id: n for n, i in enumerate(group[0].framework.indicators)}
        for total, ind_id, scored in sorted(found, key=lambda t: (-t[0], order[t[1]]))[:top]:
            rows.append({"指标体系": _fw_short(group[0].framework), "编号": ind_id, "指标": scored[0].name,
                         "分值": format_points(scored[0].max), "扣分部门数": sum(1 for r in scored if (_lost(r) or 0) > 0),
                         "失分合计": total, "平均得分率": metrics.mean([r.rate for r in scored if r.rate is not None])})
    columns = ("指标体系", "编号", "指标", "分值", "扣分部门数", "失分合计", "平均得分率")
    return frame(rows, columns, required=columns, numeric=("失分合计", "平均得分率"))


def rate_matrix(entries: Sequence[Evaluated], level: int = 2, min_departments: int = HEATMAP_MIN_DEPARTMENTS) -> list[RateMatrix]:
    """For each framework with at least ``min_departments`` scored departments, the departments' 得分率 at each of its
    ``level`` indicators (for the heat map), the highest total first (those without a verified total last); a
    department without a scorecard is left out."""
    out = []
    for group in _by_framework(entries).values():
        fw = group[0].framework
        indicators = [i for i in fw.indicators if i.level == level and not i.adjustment]
        cards = sorted(((e, e.card) for e in group if e.card is not None),
                       key=lambda ec: (ec[1].total is None, -(ec[1].total or 0), ec[0].name))
        if not indicators or len(cards) < max(1, min_departments):
            continue
        rates = tuple(tuple(card.get(i.id).rate if i.id not in disputed(e) else None for i in indicators) for e, card in cards)
        out.append(RateMatrix(fw.id, fw.name, tuple(e.name for e, _ in cards), tuple((i.id, i.name) for i in indicators), rates))
    return out


# --- budget execution ---------------------------------------------------------------------------------------


def _budget_values(dept: DepartmentYear) -> dict[str, Decimal | None]:
    """预算执行率, 预算调整率, 结转结余率 as the department's own budget analysis computes them."""
    table = budget_indicators(dept)
    values = dict(zip(table["指标"], table["数值"], strict=True))
    out: dict[str, Decimal | None] = {}
    for measure, labels in _BUDGET_ROWS.items():
        found = [values.get(label) for label in labels]
        shown = next((v for v in found if v is not None and v == v), None)  # NaN is missing
        out[measure] = Decimal(str(shown)) if shown is not None else None
    return out


def _outside(e: Evaluated, values: dict[str, Decimal | None]) -> list[str]:
    """The measures of ``values`` outside the framework's lines, as 「预算执行率 86.49%（应 ≥ 90%）」."""
    out = []
    for measure in _MEASURES:
        line, rate = e.framework.threshold(measure), values[measure]
        if line is not None and rate is not None and not line.within(rate):
            out.append(f"{line.name} {rate.quantize(Decimal('0.01'))}%（应 {line.text}）")
    return out


def budget_rates(entries: Sequence[Evaluated]) -> pd.DataFrame:
    """预算执行情况: each department's 预算执行率, 预算调整率 and 结转结余率 (as its 预决算差异分析 computes them) and
    those outside its framework's thresholds."""
    rows: list[dict[str, object]] = []
    for group in _by_framework(entries).values():
        for e in group:
            values = _budget_values(e.dept)
            outside = _outside(e, values)
            missing = [_MEASURE_NAMES[m] for m in _MEASURES if values[m] is None]
            verdict = "；".join(outside) if outside else "无"
            if missing:
                verdict += f"（数据未列示{'、'.join(missing)}，无法判断）"
            rows.append({"指标体系": _fw_short(e.framework), "部门": e.name, **{_MEASURE_NAMES[m]: values[m] for m in _MEASURES},
                         "超出阈值": verdict})
    columns = ("指标体系", "部门", "预算执行率", "预算调整率", "结转结余率", "超出阈值")
    return frame(rows, columns, required=columns, numeric=("预算执行率", "预算调整率", "结转结余率"))


def budget_outliers(entries: Sequence[Evaluated]) -> list[str]:
    """The departments outside their framework's budget thresholds, one sentence each."""
    out = []
    for group in _by_framework(entries).values():
        for e in group:
            outside = _outside(e, _budget_values(e.dept))
            if outside:
                out.append(f"{e.name}：{'；'.join(outside)}。")
    return out


def thresholds_table(entries: Sequence[Evaluated]) -> pd.DataFrame:
    """The budget thresholds of each framework in use, with their basis (seed section or assumption)."""
    rows: list[dict[str, object]] = []
    for group in _by_framework(entries).values():
        fw = group[0].framework
        for line in fw.thresholds:
            rows.append({"指标体系": _fw_short(fw), "指标": line.name, "阈值": line.text, "依据": _basis_text(line.basis)})
        if not fw.thresholds:
            rows.append({"指标体系": _fw_short(fw), "指标": "—", "阈值": "未设", "依据": "本汇总未设警戒线"})
    return frame(rows, ("指标体系", "指标", "阈值", "依据"), required=("指标体系", "指标", "阈值"))


# --- common problems ----------------------------------------------------------------------------------------


def _group_of(card: Scorecard, row: IndicatorScore) -> IndicatorScore:
    """The 二级 indicator a leaf belongs to (the leaf itself at level 1 or 2)."""
    while row.level > 2 and row.parent is not None:
        row = card.get(row.parent)
    return row


def _problem_text(item: TextItem) -> str:
    title = (item.title or "").strip()
    return _short(title if title and title != item.content else item.content)


def _match(item: TextItem, card: Scorecard, deducted: Sequence[IndicatorScore]) -> IndicatorScore | None:
    """The deducted leaf a 存在问题 names: by the leaf's name, else by its 二级 indicator's name; the first in
    report order when several match."""
    text = f"{item.title or ''}{item.content}"
    for row in deducted:
        if row.name in text:
            return row
    for row in deducted:
        if _group_of(card, row).name in text:
            return row
    return None


def _named_groups(item: TextItem, card: Scorecard) -> list[IndicatorScore]:
    """The 二级 indicators of the 编号 a 存在问题 names in texts.csv 分组 (each once, in its order); none when it names
    none, or none the scorecard holds (validation reports those)."""
    ids = {r.id for r in card.indicators}
    out: list[IndicatorScore] = []
    for ind_id in item.indicator_ids:
        if ind_id in ids:
            group = _group_of(card, card.get(ind_id))
            if group not in out:
                out.append(group)
    return out


def _department_problems(e: Evaluated) -> list[tuple[str, str, str]]:
    """(二级 编号, 二级 名称, problem) for every place the department lost points, and its unmatched 存在问题."""
    card = e.card
    if card is None:
        return []
    deducted = [r for r in _rows(card, leaves=True) if (_lost(r) or 0) > 0]
    out: list[tuple[str, str, str]] = []
    covered: set[str] = set()
    for item in e.dept.texts_of("存在问题"):
        groups = _named_groups(item, card) or [_group_of(card, row) for row in [_match(item, card, deducted)] if row]
        if not groups:
            out.append(("", UNMATCHED, _problem_text(item)))
            continue
        for group in groups:
            covered.add(group.id)
            out.append((group.id, group.name, _problem_text(item)))
    for row in deducted:
        group = _group_of(card, row)
        if group.id not in covered:
            covered.add(group.id)
            reason = row.text or f"扣{format_points(_lost(row) or Decimal(0))}分，未写理由"
            pending = disputed(e).get(row.id)
            note = f"（{pending.what}待确认，见复核意见待确认事项第{pending.item}项，未计入失分合计）" if pending else ""
            out.append((group.id, group.name, f"扣分理由：{_short(reason)}{note}"))
    return out


def common_problems(entries: Sequence[Evaluated]) -> pd.DataFrame:
    """共性问题: per framework and 二级 indicator where points were lost, how many departments lost points there,
    the points lost, and each department's problem: its 存在问题 that names the indicator (its leaf's name, else the
    二级 name), else the deduction's reason (「扣分理由：…」); each distinct problem once, with the departments that have it. A 存在问题
    naming no deducted indicator is listed apart."""
    rows: list[dict[str, object]] = []
    for group in _by_framework(entries).values():
        fw = group[0].framework
        order = {i.id: n for n, i in enumerate(fw.indicators)}
        problems: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        lost: dict[str, Decimal] = defaultdict(Decimal)
        departments: dict[tuple[str, str], set[str]] = defaultdict(set)
        for e in group:
            for gid, gname, text in _department_problems(e):
                named = problems[(gid, gname)][text]
                if e.name not in named:
                    named.append(e.name)
                departments[(gid, gname)].add(e.dept.id)
            card = e.card
            for r in _rows(card, leaves=True) if card is not None else []:
                if card is not None and (_lost(r) or 0) > 0 and _counted(e, r):
                    lost[_group_of(card, r).id] += _lost(r) or Decimal(0)
        keys = sorted(problems, key=lambda k: (k[0] == "", -len(departments[k]), -lost.get(k[0], Decimal(0)), order.get(k[0], 0)))
        for gid, gname in keys:
            rows.append({"指标体系": _fw_short(fw), "编号": gid or _MISSING, "指标": gname, "部门数": len(departments[(gid, gname)]),
                         "失分合计": lost.get(gid) if gid else None, "存在问题": _problem_lines(problems[(gid, gname)])})
    columns = ("指标体系", "编号", "指标", "部门数", "失分合计", "存在问题")
    return frame(rows, columns, required=columns, numeric=("失分合计",))


def _problem_lines(texts: dict[str, list[str]]) -> str:
    """Each distinct problem once, the most shared first, with the departments that have it:
    「绩效目标未细化量化。（3 个部门：甲、乙、丙）」."""
    lines = []
    for text, names in sorted(texts.items(), key=lambda kv: -len(kv[1])):
        who = f"{len(names)} 个部门：{'、'.join(names)}" if len(names) > 1 else names[0]
        lines.append(f"{text}（{who}）")
    return "\n".join(lines)


# --- year on year -------------------------------------------------------------------------------------------


def score_changes(entries: Sequence[Evaluated]) -> pd.DataFrame:
    """总分与等级的变化: each department with last year's scorecard: both totals (each under its own framework), the
    change, both grades. Empty when no department has last year's data."""
    rows: list[dict[str, object]] = []
    for group in _by_framework(entries).values():
        for e in group:
            if e.prior is None or e.card is None:
                continue
            rows.append({"指标体系": _fw_short(e.framework), "部门": e.name, "上年指标体系": e.prior.framework_name.replace("部门整体支出绩效评价指标体系", "指标体系"),
                         "上年总分": _points(e.prior.total), "本年总分": _points(e.card.total),
                         "总分变动": metrics.change_amount(e.card.total, e.prior.total),
                         "上年等级": e.prior.grade or _MISSING, "本年等级": e.card.grade or _MISSING})
    columns = ("指标体系", "部门", "上年指标体系", "上年总分", "本年总分", "总分变动", "上年等级", "本年等级")
    return frame(rows, columns, required=columns, numeric=("总分变动",))


def indicator_changes(entries: Sequence[Evaluated], level: int = 2) -> pd.DataFrame:
    """各指标得分率的变化: per framework and ``level`` indicator, over the departments whose last-year scorecard has the
    same 编号: how many rose, fell, and the mean change of 得分率 (percentage points)."""
    rows: list[dict[str, object]] = []
    for group in _by_framework(entries).values():
        fw = group[0].framework
        for ind in [i for i in fw.indicators if i.level == level and not i.adjustment]:
            changes = []
            for e in group:
                if e.card is None or e.prior is None:
                    continue
                before = next((r for r in e.prior.indicators if r.id == ind.id), None)
                change = metrics.change_amount(e.card.get(ind.id).rate, before.rate if before else None)
                if change is not None:
                    changes.append(change)
            if changes:
                rows.append({"指标体系": _fw_short(fw), "编号": ind.id, "指标": ind.name, "可比部门数": len(changes),
                             "上升": sum(1 for c in changes if c > 0), "下降": sum(1 for c in changes if c < 0),
                             "平均变动（百分点）": metrics.mean(changes)})
    columns = ("指标体系", "编号", "指标", "可比部门数", "上升", "下降", "平均变动（百分点）")
    return frame(rows, columns, required=columns)


# --- reconciliation -----------------------------------------------------------------------------------------


def review_status(entries: Sequence[Evaluated]) -> pd.DataFrame:
    """勾稽校验情况: per department, the open errors and warnings, the findings decided in notes.csv, and whether the
    report is final (drafts first)."""
    rows: list[dict[str, object]] = []
    for e in sorted(entries, key=lambda e: (e.draft is not True, e.framework.id, e.dept.id)):
        r = e.review
        rows.append({"指标体系": _fw_short(e.framework), "部门": e.name,
                     "未决错误": len(r.open_errors) if r else None, "未决警告": len(r.open_warnings) if r else None,
                     "已决定": len(r.decided) if r else None, "报告状态": e.status})
    columns = ("指标体系", "部门", "未决错误", "未决警告", "已决定", "报告状态")
    return frame(rows, columns, required=columns)


# --- at a glance --------------------------------------------------------------------------------------------


def headline(entries: Sequence[Evaluated], fiscal_year: int) -> list[str]:
    """The summary's first paragraph: how many departments, who did best and worst (per framework), where most
    points were lost, how many reports are drafts and how many are outside a budget threshold."""
    if not entries:
        return [f"{fiscal_year} 年度没有可汇总的部门。"]
    out = [f"{fiscal_year} 年度共汇总 {len(entries)} 个部门（{sum(e.dept.evaluation.kind == '自评' for e in entries)} 个自评、"
           f"{sum(e.dept.evaluation.kind != '自评' for e in entries)} 个第三方评价），分属 {len(_by_framework(entries))} 个指标体系。"]
    by_fw: dict[str, list[Ranked]] = defaultdict(list)
    for r in ranking(entries):
        by_fw[r.framework].append(r)
    for rows in by_fw.values():
        fw_name = rows[0].framework_name
        ranked = [r for r in rows if r.rank is not None]
        if not ranked:
            out.append(f"{fw_name}：{len(rows)} 个部门均无可复核的总分。")
            continue
        best, worst = ranked[0], ranked[-1]
        grades = "、".join(f"{g} {n} 个" for g, n in _grade_counts(ranked))
        text = f"{fw_name}（{len(rows)} 个部门）：最高 {best.name} {format_points(best.total or Decimal(0))} 分（{best.grade}）"
        if len(ranked) > 1:
            text += f"，最低 {worst.name} {format_points(worst.total or Decimal(0))} 分（{worst.grade}）"
        out.append(f"{text}；等级 {grades}。")
    lost = points_lost(entries, top=1)
    for _, row in lost.iterrows():
        out.append(f"{row['指标体系']}失分最多的指标是 {row['编号']} {row['指标']}（{row['扣分部门数']} 个部门扣分，合计失分 "
                   f"{format_points(Decimal(str(row['失分合计'])))} 分）。")
    drafts = [e for e in entries if e.draft]
    outliers = budget_outliers(entries)
    out.append(f"{len(drafts)} 份报告仍有未决的勾稽错误（征求意见稿），{len(outliers)} 个部门的预算执行指标超出本汇总设定的警戒线。")
    return out


def _grade_counts(rows: Sequence[Ranked]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for r in rows:
        if r.grade:
            counts[r.grade] = counts.get(r.grade, 0) + 1
    return list(counts.items())
