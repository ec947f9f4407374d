"""Interval arithmetic over printed figures: a printed number stands for every value that rounds to it.

``Interval.of(parse_number("36,158.49"))`` is [36,158.485, 36,158.495]. The formulas of
:mod:`auditkit.analyses.metrics` accept intervals as well as plain numbers, so one definition serves both the
analyses (exact inputs) and the reconciliation (inputs known only to their printed precision).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext

from auditkit.data.numbers import Number

__all__ = ["Interval"]

_Operand = "Interval | Decimal | int"


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi] of exact decimals."""

    lo: Decimal
    hi: Decimal

    @classmethod
    def of(cls, value: Number | Decimal | int) -> Interval:
        """The values a printed number may stand for (round-half-up); an exact number is a point."""
        if isinstance(value, Number):
            lo, hi = value.interval
            return cls(lo, hi)
        d = Decimal(value)
        return cls(d, d)

    @staticmethod
    def _lift(other: object) -> Interval:
        if isinstance(other, Interval):
            return other
        if isinstance(other, (Decimal, int)):
            return Interval(Decimal(other), Decimal(other))
        return NotImplemented  # type: ignore[no-any-return]

    def __add__(self, other: object) -> Interval:
        o = self._lift(other)
        return Interval(self.lo + o.lo, self.hi + o.hi)

    __radd__ = __add__

    def __sub__(self, other: object) -> Interval:
        o = self._lift(other)
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def __rsub__(self, other: object) -> Interval:
        return self._lift(other) - self

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def __mul__(self, other: object) -> Interval:
        o = self._lift(other)
        products = [self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi]
        return Interval(min(products), max(products))

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> Interval:
        """Each bound divided directly and rounded outward, so the result always contains the true quotient
        (434 ÷ 448 is exactly 0.96875, not a reciprocal's hair below it)."""
        o = self._lift(other)
        if o.lo <= 0 <= o.hi:
            raise ZeroDivisionError("divisor interval contains zero")
        pairs = [(a, b) for a in (self.lo, self.hi) for b in (o.lo, o.hi)]
        with localcontext() as down:
            down.rounding = ROUND_FLOOR
            lo = min(a / b for a, b in pairs)
        with localcontext() as up:
            up.rounding = ROUND_CEILING
            hi = max(a / b for a, b in pairs)
        return Interval(lo, hi)

    def __rtruediv__(self, other: object) -> Interval:
        return self._lift(other) / self

    def __contains__(self, value: object) -> bool:
        return isinstance(value, (Decimal, int)) and self.lo <= value <= self.hi

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    def __str__(self) -> str:
        return f"[{self.lo}, {self.hi}]"
