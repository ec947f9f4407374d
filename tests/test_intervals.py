"""auditkit.analyses.intervals: interval arithmetic that always contains the true result of the printed figures."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditkit.analyses.intervals import Interval
from auditkit.data.numbers import parse_number


def test_a_printed_figure_stands_for_every_value_that_rounds_to_it() -> None:
    # 003 表1 一般公共预算财政拨款收入 年初预算 36,158.49 (seed 003, 一（四）)
    assert Interval.of(parse_number("36,158.49")) == Interval(Decimal("36158.485"), Decimal("36158.495"))


def test_an_exact_quotient_stays_exact_so_a_tie_rounds_as_printed() -> None:
    quotient = Interval.of(Decimal(434)) / Interval.of(Decimal(448))
    assert quotient == Interval(Decimal("0.96875"), Decimal("0.96875"))  # 96.875% prints as 96.88%, not 96.87%


def test_a_recurring_quotient_is_rounded_outward() -> None:
    third = Interval.of(Decimal(1)) / 3
    assert third.lo < third.hi
    assert third.lo * 3 <= 1 <= third.hi * 3


def test_a_divisor_that_may_be_zero_is_refused() -> None:
    with pytest.raises(ZeroDivisionError, match="contains zero"):
        Interval.of(Decimal(1)) / Interval(Decimal(-1), Decimal(1))


_values = st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=4, allow_nan=False, allow_infinity=False)
_divisors = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1e6"), places=4, allow_nan=False,
                        allow_infinity=False)


@given(_values, _values, _divisors, _divisors, st.floats(0, 1), st.floats(0, 1), st.booleans())
def test_the_quotient_interval_contains_every_quotient_of_its_members(
    a: Decimal, b: Decimal, c: Decimal, d: Decimal, s: float, t: float, negative: bool
) -> None:
    top, bottom = Interval(min(a, b), max(a, b)), Interval(min(c, d), max(c, d))
    if negative:
        bottom = -bottom
    x = top.lo + (top.hi - top.lo) * Decimal(s)
    y = bottom.lo + (bottom.hi - bottom.lo) * Decimal(t)
    with localcontext() as exact:
        exact.prec = 80
        q = x / y
    result = top / bottom
    assert result.lo <= q <= result.hi
