"""Judging a stated figure against its recomputation from printed inputs: consistent, a warning (holds only read
coarsely or under another rounding convention) or an error (impossible even allowing for every rounding); two
printed figures of one quantity compared; and the message that explains a verdict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_UP, Decimal

from auditkit.analyses.intervals import Interval
from auditkit.data.numbers import Number, agree
from auditkit.reconcile.findings import ERROR, WARNING, Severity
from auditkit.reconcile.reading import Formula, _around, _as_interval, _q, _Reading, _slack
from auditkit.reconcile.wording import _range_text, _show, _shown


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

    severity: Severity | None
    face: Decimal
    bounds: Interval
    coarse: tuple[Number, ...] = ()
    decimals: int = 0
    convention: str = ""


@dataclass(frozen=True)
class _Recomputed:
    """A formula read three ways: at face value, as every value its printed inputs allow (``bounds``), and the same
    with each coarsely printed input read at the report's precision (``strict``, and the inputs so ``raised``)."""

    face: Decimal
    bounds: Interval
    strict: Interval | None
    raised: tuple[tuple[Number, int], ...]


_RANK: dict[Severity | None, int] = {None: 0, WARNING: 1, ERROR: 2}


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


def judge(
    stated: Number, kind: str, formula: Formula, precision: Mapping[str, int], exact: bool = False
) -> _Verdict | None:
    """Judge a stated figure against a recomputation, reading each kind at the precision the report prints it with
    (``precision``); None when the inputs are missing."""
    face_value = formula(_Reading("face"))
    if face_value is None or isinstance(face_value, Interval):
        return None
    bounds = _as_interval(formula(_Reading("printed")))
    if bounds is None:
        return None
    strict = _Reading("strict", precision)
    rec = _Recomputed(Decimal(face_value), bounds, _as_interval(formula(strict)), tuple(strict.raised))
    if stated.comparator:
        return _judge_comparison(stated, rec)
    if bounds.hi - bounds.lo <= 3 * _slack(bounds):
        return judge_point(stated, kind, rec.face, bounds, precision, exact)
    return _judge_range(stated, kind, rec, precision, exact)


def _judge_comparison(stated: Number, rec: _Recomputed) -> _Verdict:
    """A stated bound (``≥100%``): some value the inputs allow must satisfy it."""
    assert stated.comparator is not None
    if not _satisfies(rec.bounds, stated.comparator, stated.value):
        return _Verdict(ERROR, rec.face, rec.bounds)
    if rec.strict is not None and not _satisfies(rec.strict, stated.comparator, stated.value):
        return coarse(rec.face, rec.bounds, list(rec.raised))
    return _Verdict(None, rec.face, rec.bounds)


def _judge_range(
    stated: Number, kind: str, rec: _Recomputed, precision: Mapping[str, int], exact: bool
) -> _Verdict:
    """A recomputation that is a range (rounded inputs): the figure's own interval must overlap it."""
    bounds = rec.bounds
    stated_bounds = Interval.of(stated.value) if exact else _around(stated.value, stated.decimals)
    if bounds.overlaps(stated_bounds):
        raised = list(rec.raised)
        wanted = precision.get(kind, stated.decimals)
        if not exact and wanted > stated.decimals:
            stated_bounds = _around(stated.value, wanted)
            raised.append((stated, wanted))
        if rec.strict is not None and not rec.strict.overlaps(stated_bounds):
            return coarse(rec.face, bounds, raised)
        return _Verdict(None, rec.face, bounds)
    if not exact:
        unit = Decimal(1).scaleb(-stated.decimals)
        if bounds.overlaps(Interval(stated.value - unit, stated.value + unit)):
            v = stated.value
            toward_zero = Interval(v, v + unit) if v >= 0 else Interval(v - unit, v)
            convention = "截断（去尾）" if bounds.overlaps(toward_zero) else "进位（收尾）"
            return _Verdict(WARNING, rec.face, bounds, convention=convention)
    return _Verdict(ERROR, rec.face, bounds)


def judge_point(
    stated: Number, kind: str, face: Decimal, bounds: Interval, precision: Mapping[str, int], exact: bool
) -> _Verdict:
    """Every input is exact (counts, points), so the recomputation is one number: it must round to the figure.

    Judged by rounding rather than by overlap, so that a tie is settled as round-half-up settles it
    (96.875 prints 96.88; 96.87 is the tie truncated).
    """
    value = stated.value
    if exact:
        return _Verdict(None if face == value else ERROR, face, bounds)
    if _q(face, stated.decimals) == value:
        wanted = precision.get(kind, stated.decimals)
        if wanted > stated.decimals and _q(face, wanted) != value:
            return coarse(face, bounds, [(stated, wanted)])
        return _Verdict(None, face, bounds)
    step = Decimal(1).scaleb(-stated.decimals)
    if face.quantize(step, rounding=ROUND_DOWN) == value:
        return _Verdict(WARNING, face, bounds, convention="截断（去尾）")
    if face.quantize(step, rounding=ROUND_UP) == value:
        return _Verdict(WARNING, face, bounds, convention="进位（收尾）")
    return _Verdict(ERROR, face, bounds)


def coarse(face: Decimal, bounds: Interval, raised: list[tuple[Number, int]]) -> _Verdict:
    """A warning: the figure holds only if the ``raised`` figures are read as coarsely as they print."""
    figures = tuple(dict.fromkeys(n for n, _ in raised))
    return _Verdict(WARNING, face, bounds, figures, max((d for _, d in raised), default=2))


def best(
    stated: Number, kind: str, alts: Sequence[_Alt], precision: Mapping[str, int], exact: bool = False
) -> tuple[_Verdict, _Alt] | None:
    """The most favourable verdict over the ways the figure may be recomputed (e.g. either budget column)."""
    found: tuple[_Verdict, _Alt] | None = None
    for alt in alts:
        verdict = judge(stated, kind, alt.formula, precision, exact)
        if verdict is not None and (found is None or _RANK[verdict.severity] < _RANK[found[0].severity]):
            found = (verdict, alt)
    return found


def compare(a: Number, b: Number, kind: str, precision: Mapping[str, int]) -> Severity | None:
    """Two printed figures of one quantity: error if they cannot be one value, warning if only read coarsely."""
    if a.comparator or b.comparator:
        return None
    if not agree(a, b):
        return ERROR
    if not agree(a, b, precision.get(kind)):
        return WARNING
    return None


def explain(what: str, stated: Number, how: str, verdict: _Verdict, unit: str = "", exact: bool = False) -> str:
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
