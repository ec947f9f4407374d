"""How numbers read in a finding's message: a figure as printed, a recomputation printed like the figure it is
compared with, a range of values, and what a stated figure is called."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from auditkit.analyses.intervals import Interval
from auditkit.data.model import StatedFigure
from auditkit.data.numbers import Number, format_number
from auditkit.data.schema import CLAIMS
from auditkit.reconcile.reading import _q


def _show(value: Decimal, like: Number | None = None, exact: bool = False) -> str:
    """A recomputed value printed like the stated figure it is compared with (at least two decimals unless exact)."""
    if exact:
        text = format(value.normalize(), "f")
        if "." not in text and like is not None and like.shown_decimals:
            text = format(_q(value, like.shown_decimals), "f")
    else:
        text = format(_q(value, max(like.shown_decimals if like else 2, 2)), ",f")
    return text + ("%" if like is not None and like.percent else "")


def _shown(number: Number) -> str:
    return format_number(number, thousands=True)


def _range_text(bounds: Interval, like: Number) -> str:
    decimals = max(like.shown_decimals, 2)
    pct = "%" if like.percent else ""
    lo, hi = _q(bounds.lo, decimals, ROUND_FLOOR), _q(bounds.hi, decimals, ROUND_CEILING)
    return f"{lo:,f}{pct} 至 {hi:,f}{pct}"


def _value_text(value: Number | str) -> str:
    return _shown(value) if isinstance(value, Number) else f"「{value}」"


def _txt(number: Number | None) -> str:
    return _shown(number) if number is not None else "（未列示）"


def _what(s: StatedFigure) -> str:
    """What a stated figure is, in words: its claim's name, and its 对象 when it has one (「会议费」)."""
    name = CLAIMS.get(s.claim, s.claim)
    return f"{name}「{s.subject}」" if s.subject else name
