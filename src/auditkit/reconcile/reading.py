"""Reading printed numbers: each stands for the interval its printed precision allows (36,158.49 → [36,158.485,
36,158.495]), read as printed, under round-half-up, or at the precision the report prints its kind elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from auditkit.analyses.intervals import Interval
from auditkit.data.numbers import Number


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


def _q(value: Decimal, decimals: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """``value`` at ``decimals``, in a context wide enough for any figure validation lets through (15 integer digits,
    10 decimals, and the 3 extra a message shows), so quantizing never raises InvalidOperation (issue 16, case 10)."""
    with localcontext() as context:
        context.prec = 60
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=rounding)


class _Reading:
    """How a check reads printed numbers.

    ``face``: the value as printed. ``printed``: every value that prints so under round-half-up. ``strict``: the
    same, but a figure printed more coarsely than the report prints its kind elsewhere is read at the report's
    precision (``raised`` records each such figure).
    """

    def __init__(self, mode: str, precision: Mapping[str, int] | None = None) -> None:
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
