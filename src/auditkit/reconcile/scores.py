"""The 评分表: subtotals, 分值, 得分率, maxima, the total and the grade (``score_*``), in the table and as stated.

The grade is judged with the framework the caller gives (:attr:`Context.framework`); none is read from disk here, so
without one a stated grade is not checkable.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from auditkit.analyses import metrics
from auditkit.data.model import Score, StatedFigure
from auditkit.data.numbers import Number
from auditkit.reconcile.context import Context
from auditkit.reconcile.findings import ERROR, Figure
from auditkit.reconcile.judging import explain
from auditkit.reconcile.kinds import _PERCENT
from auditkit.reconcile.wording import _shown


def check_scores(ctx: Context) -> None:
    """Every indicator of the 评分表: its score within its 分值, its 分值 and score against its children's, and its
    得分率 against score ÷ 分值."""
    for s in ctx.dept.scores:
        check_score_max(ctx, s.id, s.name, s.score, s.max, Figure("scores", s.id, "score"),
                        ctx.place("scores", f"{s.id} {s.name}", "得分", s.source))
        kids = ctx.kids.get(s.id)
        if kids:
            check_max_sum(ctx, s, kids)
            if s.score is not None:
                check_subtotal(ctx, s)
        if s.rate is not None:
            points = s.score.value if s.score is not None else _leaves(ctx, s.id)
            check_rate(ctx, s, s.rate, points, Figure("scores", s.id, "rate"),
                       ctx.place("scores", f"{s.id} {s.name}", "得分率", s.source))


def _leaves(ctx: Context, score_id: str) -> Decimal | None:
    """An indicator's points recomputed from its leaves (a leaf's own 得分); None if a leaf has none."""
    kids = ctx.kids.get(score_id)
    if not kids:
        score = ctx.by_id[score_id].score
        return score.value if score is not None else None
    result = metrics.total([_leaves(ctx, k.id) for k in kids])
    return Decimal(result) if result is not None else None


def _children_stated(ctx: Context, score_id: str) -> Decimal | None:
    """An indicator's points as the sum of its children's printed subtotals (their leaves where they print none)."""
    parts = [k.score.value if k.score is not None else _leaves(ctx, k.id) for k in ctx.kids.get(score_id, [])]
    result = metrics.total(parts)
    return Decimal(result) if result is not None else None


def check_score_max(
    ctx: Context, score_id: str, name: str, points: Number | None, maximum: Number, figure: Figure, location: str
) -> None:
    """A score within [0, 分值] (``score_max``); a 加减分项 (``X``) within [−分值, 分值]."""
    if points is None:
        return
    bonus = score_id == "X" or score_id.startswith("X.")
    low = -maximum.value if bonus else Decimal(0)
    if low <= points.value <= maximum.value:
        return
    message = f"「{score_id} {name}」得分 {_shown(points)} 超出分值范围 [{low}, {_shown(maximum)}]。请核对原报告。"
    ctx.record(ERROR, "score_max", message, figure, location, points.value, maximum.value)


def check_max_sum(ctx: Context, s: Score, kids: list[Score]) -> None:
    """An indicator's 分值 against the sum of its children's (``score_max_sum``)."""
    ctx.checked += 1
    total = sum((k.max.value for k in kids), Decimal(0))
    if total == s.max.value:
        return
    terms = " + ".join(_shown(k.max) for k in kids)
    message = f"「{s.id} {s.name}」分值 {_shown(s.max)}，下级分值之和 {terms} = {total.normalize():f}，不一致。请核对原报告或指标体系。"
    ctx.record(ERROR, "score_max_sum", message, Figure("scores", s.id, "max"),
               ctx.place("scores", f"{s.id} {s.name}", "分值", s.source), s.max.value, total)


def check_subtotal(ctx: Context, s: Score) -> None:
    """An indicator's printed score against the sum of its leaves (``score_sum``)."""
    assert s.score is not None
    recomputed = _leaves(ctx, s.id)
    if recomputed is None:
        return
    ctx.checked += 1
    if recomputed == s.score.value:
        return
    ctx.record(ERROR, "score_sum", _subtotal_message(ctx, s.id, s.score, recomputed), Figure("scores", s.id, "score"),
               ctx.place("scores", f"{s.id} {s.name}", "得分", s.source), s.score.value, recomputed)


def _subtotal_message(ctx: Context, score_id: str, stated: Number, recomputed: Decimal) -> str:
    """A subtotal that does not add up: its leaves, the children's printed subtotals where they differ, and the
    parent when the parent agrees with the leaves rather than with the subtotal."""
    s = ctx.by_id[score_id]
    kids = ctx.kids[score_id]
    terms = " + ".join(_shown(k.score) if k.score is not None else f"{_leaves(ctx, k.id)}" for k in kids)
    message = f"「{s.id} {s.name}」列示得分 {_shown(stated)}，下级得分之和 {terms} = {recomputed.normalize():f}"
    direct = _children_stated(ctx, score_id)
    if direct is not None and direct != recomputed:
        message += f"（按各下级列示的小计为 {direct.normalize():f}）"
    message += "。"
    parent = ctx.by_id.get(s.parent) if s.parent else None
    if (
        parent is not None
        and parent.score is not None
        and parent.score.value == _leaves(ctx, parent.id)
        and parent.score.value != _children_stated(ctx, parent.id)
    ):
        message += (f"上级「{parent.id} {parent.name}」列示的 {_shown(parent.score)} 与 {recomputed.normalize():f} 相符，"
                    f"与 {_shown(stated)} 不符。")
    return message + "请核对原报告。"


def check_rate(ctx: Context, s: Score, rate: Number, points: Decimal | None, figure: Figure, location: str) -> None:
    """A 得分率 (in the 评分表 or stated) against 得分 ÷ 分值 (``score_rate``)."""
    if points is None:
        if figure.table == "stated":
            ctx.not_checkable.append(figure)
        return
    maximum = s.max.value
    found = ctx.contradiction(rate, _PERCENT, lambda r: metrics.score_rate(points, maximum))
    if found is None:
        return
    severity, verdict = found
    how = f"得分 {points.normalize():f} ÷ 分值 {_shown(s.max)} "
    ctx.record(severity, "score_rate", explain(f"「{s.id} {s.name}」得分率", rate, how, verdict), figure,
               location, rate.value, verdict.face)


# -- a stated claim about the 评分表 ------------------------------------------------------------------------


def check_score_claim(ctx: Context, index: int, s: StatedFigure) -> None:
    """A stated ``score.*`` figure, by its claim: the grade, the total, an indicator's score or 得分率."""
    if s.claim == "score.grade":
        check_grade(ctx, index, s)
        return
    if not isinstance(s.value, Number):
        return
    check = _BY_CLAIM.get(s.claim)
    if check is not None:
        check(ctx, index, s, s.value)


def check_stated_total(ctx: Context, index: int, s: StatedFigure, value: Number) -> None:
    """A stated 总得分 against the sum of the first-level indicators' points (``score_total``)."""
    figure = Figure("stated", s.subject, s.claim, index)
    roots = [x for x in ctx.dept.scores if x.parent is None]
    parts = [_leaves(ctx, x.id) for x in roots]
    total = metrics.total(parts) if roots else None
    if total is None:
        ctx.not_checkable.append(figure)
        return
    ctx.checked += 1
    ctx.consistent[index] = Decimal(total)
    if Decimal(total) != value.value:
        terms = " + ".join(f"{p.normalize():f}" for p in parts if p is not None)
        message = f"总分列示 {_shown(value)}，各一级指标得分之和 {terms} = {Decimal(total).normalize():f}。请核对原报告。"
        ctx.record(ERROR, "score_total", message, figure, ctx.stated_place(s), value.value, Decimal(total))


def _indicator(ctx: Context, index: int, s: StatedFigure) -> Score | None:
    """The indicator a stated score or 得分率 is about (its 对象 is the indicator's id); not checkable without it."""
    score = ctx.by_id.get(s.subject or "")
    if score is None:
        ctx.not_checkable.append(Figure("stated", s.subject, s.claim, index))
    return score


def check_stated_indicator(ctx: Context, index: int, s: StatedFigure, value: Number) -> None:
    """An indicator's score stated in the text: within its 分值, and equal to the 评分表's (``restated``), or where
    the 评分表 prints none, to the sum of its leaves (``score_sum``)."""
    score = _indicator(ctx, index, s)
    if score is None:
        return
    figure = Figure("stated", s.subject, s.claim, index)
    check_score_max(ctx, score.id, score.name, value, score.max, figure, ctx.stated_place(s))
    if score.score is not None:
        ctx.checked += 1
        if score.score.value != value.value:
            message = (f"「{score.id} {score.name}」得分：评分表为 {_shown(score.score)}，此处列示 {_shown(value)}，"
                       f"不一致。请核对原报告。")
            ctx.record(ERROR, "restated", message, figure, ctx.stated_place(s), value.value, score.score.value)
        return
    recomputed = _leaves(ctx, score.id)
    if recomputed is None:
        ctx.not_checkable.append(figure)
        return
    ctx.checked += 1
    if recomputed != value.value:
        ctx.record(ERROR, "score_sum", _subtotal_message(ctx, score.id, value, recomputed), figure,
                   ctx.stated_place(s), value.value, recomputed)


def check_stated_rate(ctx: Context, index: int, s: StatedFigure, value: Number) -> None:
    """An indicator's 得分率 stated in the text against 得分 ÷ 分值 (``score_rate``)."""
    score = _indicator(ctx, index, s)
    if score is None:
        return
    if score.rate is not None and score.rate == value:
        ctx.checked += 1  # the same printed figure, also recorded in the 评分表: checked there
        return
    points = score.score.value if score.score is not None else _leaves(ctx, score.id)
    check_rate(ctx, score, value, points, Figure("stated", s.subject, s.claim, index), ctx.stated_place(s))


_BY_CLAIM: dict[str, Callable[[Context, int, StatedFigure, Number], None]] = {
    "score.total": check_stated_total,
    "score.indicator": check_stated_indicator,
    "score.rate": check_stated_rate,
}


def check_grade(ctx: Context, index: int, s: StatedFigure) -> None:
    """A stated 绩效等级 against the grade the framework gives the total (``score_grade``): the stated 总得分, else
    the 评分表's. Not checkable without a total or a framework."""
    figure = Figure("stated", s.subject, s.claim, index)
    totals = [x.value.value for x in ctx.dept.stated_of("score.total") if isinstance(x.value, Number)]
    total: Decimal | None = totals[0] if totals else None
    if total is None and ctx.dept.scores:
        roots = [_leaves(ctx, x.id) for x in ctx.dept.scores if x.parent is None]
        result = metrics.total(roots)
        total = Decimal(result) if result is not None else None
    framework = ctx.framework
    if total is None or framework is None or not isinstance(s.value, str):
        ctx.not_checkable.append(figure)
        return
    ctx.checked += 1
    grade = framework.grade(total)
    if grade != s.value:
        message = f"绩效等级列示“{s.value}”，总分 {total.normalize():f} 按「{framework.name}」应为“{grade}”。请核对原报告。"
        ctx.record(ERROR, "score_grade", message, figure, ctx.stated_place(s))
