"""auditkit.data.numbers: numbers as printed in real documents parse; anything else is an error, never a zero."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditkit.data.numbers import Number, agree, format_number, parse_number
from auditkit.exceptions import NumberFormatError


@pytest.mark.parametrize(
    ("text", "value", "decimals", "percent"),
    [
        ("36,158.49", "36158.49", 2, False),  # 003 表3 年初预算, with a thousands separator
        ("13867.60", "13867.60", 2, False),  # trailing zero kept as precision
        ("13,867.6", "13867.6", 1, False),  # 003 摘要 prints the same figure with one decimal
        ("3.02%", "3.02", 2, True),  # 003 预算调整率
        ("-46.36%", "-46.36", 2, True),  # 003 存量资金变动率
        ("１２３", "123", 0, False),  # full-width digits
        ("３．０２％", "3.02", 2, True),  # full-width point and percent sign
        ("−16.98%", "-16.98", 2, True),  # typographic minus
        ("  0.00 ", "0.00", 2, False),  # a printed zero is a real zero
        ("288,722", "288722", 0, False),
    ],
)
def test_printed_numbers_parse_with_their_precision(text: str, value: str, decimals: int, percent: bool) -> None:
    number = parse_number(text)
    assert number is not None
    assert number.value == Decimal(value)
    assert number.decimals == decimals
    assert number.percent is percent


@pytest.mark.parametrize("text", ["", "  ", "-", "—", "——", "/", None])
def test_missing_marks_are_missing_not_zero(text: object) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "comparator"), [("≥15", "≥"), ("≤3.5%", "≤"), (">=20", "≥"), ("＞90%", ">")])
def test_comparator_kept_when_allowed(text: str, comparator: str) -> None:
    number = parse_number(text, allow_comparator=True)
    assert number is not None and number.comparator == comparator


def test_comparator_refused_where_a_plain_value_is_expected() -> None:
    with pytest.raises(NumberFormatError, match="比较符"):
        parse_number("≥15")


@pytest.mark.parametrize("text", ["12,3a", "1,2345", "12.3.4", "4. 12", "3 127.20", "abc", "1e5", "%", "+-3", "12,"])
def test_malformed_figures_are_errors(text: str) -> None:
    with pytest.raises(NumberFormatError, match="不是数字"):
        parse_number(text)


def test_floats_from_yaml_keep_their_shortest_precision() -> None:
    number = parse_number(2670.6)
    assert number == Number(Decimal("2670.6"), 1)


def test_booleans_are_not_numbers() -> None:
    with pytest.raises(NumberFormatError):
        parse_number(True)


def test_interval_is_the_rounding_the_printer_hid() -> None:
    number = parse_number("36,158.49")
    assert number is not None
    assert number.interval == (Decimal("36158.485"), Decimal("36158.495"))


def test_raw_text_does_not_take_part_in_equality() -> None:
    assert parse_number("36,158.49") == parse_number("36158.49")
    assert parse_number("13867.60") != parse_number("13867.6")  # different printed precision


@given(st.text())
def test_any_text_parses_or_raises_the_projects_own_error(text: str) -> None:
    try:
        result = parse_number(text, allow_comparator=True)
    except NumberFormatError:
        return
    assert result is None or isinstance(result, Number)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**9, max_value=10**9), st.booleans())
def test_format_then_parse_round_trips(value: Decimal, percent: bool) -> None:
    number = Number(value, 2, percent)
    assert parse_number(format_number(number)) == number
    assert parse_number(format_number(number, thousands=True)) == number


@pytest.mark.parametrize(("a", "b", "same"), [("15.9", "15.88", True), ("16.00", "15.88", False), ("15.88", "15.88", True),
                                               ("15.85", "15.9", True), ("15.96", "15.9", False), ("15.95", "15.9", True), ("3", "2.5", True)])
def test_agree_means_one_quantity_at_the_printed_precisions(a: str, b: str, same: bool) -> None:
    assert agree(parse_number(a), parse_number(b)) is same
    assert agree(parse_number(b), parse_number(a)) is same
