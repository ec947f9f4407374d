"""Numbers as printed in Chinese budget documents: read, and written back the way reports print them.

A printed figure carries more than its value: its printed precision (``13867.60`` has two decimals, so
it stands for any value in [13867.595, 13867.605]), whether it was a percentage, and sometimes a
comparator (``≥15`` in a target column). :class:`Number` keeps all of it, so later checks can allow for
the rounding the printer did.

Written back, an amount in 万元 prints with two decimals and thousands separators (:func:`wan`: ``13,867.60``), a
rate in percent (:func:`pct`: ``3.02%``), rounding half-up on the decimal value as printed reports round
(102.375 → 102.38); a missing figure prints ``—`` (:data:`MISSING`), never 0.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from auditkit.exceptions import NumberFormatError

__all__ = [
    "MISSING",
    "MISSING_MARKS",
    "Number",
    "agree",
    "format_number",
    "format_points",
    "format_rate",
    "is_missing",
    "num",
    "parse_number",
    "pct",
    "value",
    "wan",
]

#: What a missing figure prints as: never 0.
MISSING = "—"
#: Cell contents that mean "not reported" (never zero).
MISSING_MARKS = frozenset({"", "-", "--", "—", "——", "–", "/", "\\", "N/A", "n/a", "无数据"})

_COMPARATORS = {"≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", ">": ">", "<": "<", "=": "="}
_MINUS = str.maketrans({"−": "-", "－": "-", "﹣": "-", "–": "-"})
_NUMBER = re.compile(
    r"""^(?P<sign>[+-])?
        (?P<int>\d{1,3}(?:,\d{3})+|\d+)
        (?:\.(?P<frac>\d+))?
        (?P<pct>%)?$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Number:
    """A number as printed: exact value, printed precision, percent sign and comparator.

    ``value`` is exact (a :class:`~decimal.Decimal`); a percentage keeps its printed value
    (``3.02%`` has value 3.02 and ``percent=True``). ``raw`` is the text it was read from and does
    not take part in equality.
    """

    value: Decimal
    decimals: int = 0
    percent: bool = False
    comparator: str | None = None
    raw: str = field(default="", compare=False)

    def __float__(self) -> float:
        return float(self.value)

    @property
    def half_unit(self) -> Decimal:
        """Half of the last printed digit: the rounding the printed value may hide."""
        return Decimal(5).scaleb(-(self.decimals + 1))

    @property
    def interval(self) -> tuple[Decimal, Decimal]:
        """The values that print as this number under round-half-up."""
        return self.value - self.half_unit, self.value + self.half_unit

    def scaled(self, factor: Decimal, extra_decimals: int) -> Number:
        """This number multiplied by ``factor`` (e.g. 元 to 万元: 0.0001 with 4 extra decimals)."""
        return Number(self.value * factor, self.decimals + extra_decimals, self.percent, self.comparator, self.raw)

    def __str__(self) -> str:
        return format_number(self)


def format_number(number: Number, thousands: bool = False) -> str:
    """Print ``number`` at its own precision, with its comparator and percent sign."""
    spec = f"{',' if thousands else ''}.{number.decimals}f"
    text = format(number.value, spec)
    return f"{number.comparator or ''}{text}{'%' if number.percent else ''}"


def _decimals_of(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def parse_number(raw: object, *, allow_comparator: bool = False) -> Number | None:
    """Parse a printed number; ``None`` when the cell means "missing".

    Accepts thousands separators (``36,158.49``), percentages (``3.02%``), full-width characters
    (``１２３``, ``３．０２％``), typographic minus signs, and with ``allow_comparator`` a leading
    ``≥ ≤ > < =``. Raises :class:`~auditkit.exceptions.NumberFormatError` for anything else: a
    malformed figure is never read as zero.
    """
    if raw is None:
        return None
    if isinstance(raw, str):
        return _from_text(raw, allow_comparator)
    return _from_value(raw)


def _from_value(raw: object) -> Number:
    """A number already held as a value (a YAML or spreadsheet number): exact, at the precision it has."""
    if isinstance(raw, bool):
        raise NumberFormatError(raw, "是布尔值，不是数字")
    if isinstance(raw, int):
        return Number(Decimal(raw), 0, raw=str(raw))
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise NumberFormatError(raw, "不是有限数字")
        value = Decimal(repr(raw))
        return Number(value, _decimals_of(value), raw=repr(raw))
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise NumberFormatError(raw, "不是有限数字")
        return Number(raw, _decimals_of(raw), raw=str(raw))
    raise NumberFormatError(raw, "不是数字")


def _from_text(raw: str, allow_comparator: bool) -> Number | None:
    """A number as printed; None for a mark that means missing."""
    text = unicodedata.normalize("NFKC", raw).translate(_MINUS)
    text = text.strip()
    if text in MISSING_MARKS:
        return None
    comparator = None
    for mark in sorted(_COMPARATORS, key=len, reverse=True):
        if text.startswith(mark):
            comparator, text = _COMPARATORS[mark], text[len(mark) :]
            break
    if comparator and not allow_comparator:
        raise NumberFormatError(raw, f"带比较符「{comparator}」，此列只收数值")
    match = _NUMBER.match(text)
    if not match:
        raise NumberFormatError(raw, "不是数字（应如 36,158.49、3.02% 或 -16.98%）")
    frac = match["frac"] or ""
    digits = f"{match['sign'] or ''}{match['int'].replace(',', '')}{'.' + frac if frac else ''}"
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid literals
        raise NumberFormatError(raw, "不是数字") from exc
    return Number(value, len(frac), bool(match["pct"]), comparator, raw)


def agree(a: Number, b: Number, decimals: int | None = None) -> bool:
    """Whether two printed numbers can be one quantity rounded half-up (read at ``decimals`` when finer).

    ``15.9`` and ``15.88`` agree (15.88 prints as 15.9); ``16.00`` and ``15.88`` do not.
    """
    da = max(a.decimals, decimals or 0)
    db = max(b.decimals, decimals or 0)
    if da == db:
        return a.value == b.value
    # half-open intervals: a value on the boundary rounds up, so it belongs to one printed figure only
    lo_a, hi_a = a.value - Decimal(5).scaleb(-(da + 1)), a.value + Decimal(5).scaleb(-(da + 1))
    lo_b, hi_b = b.value - Decimal(5).scaleb(-(db + 1)), b.value + Decimal(5).scaleb(-(db + 1))
    return lo_a < hi_b and lo_b < hi_a


# --- written back ------------------------------------------------------------------------------------------


def value(number: Number | None) -> Decimal | None:
    """The exact value of a printed figure, or None when the data does not give it."""
    return number.value if number is not None else None


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas' NA: a figure the data does not give."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, Decimal):
        return value.is_nan()
    return type(value).__name__ in ("NAType", "NaTType")  # pandas' NA and NaT, without importing pandas


def _decimal(value: object) -> Decimal:
    if isinstance(value, Number):
        return value.value
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(float(value)))  # the shortest repr: 102.375 stays 102.375, not 102.37499…
    return Decimal(str(value))


def _fixed(value: object, decimals: int) -> str:
    quantum = Decimal(1).scaleb(-decimals)
    rounded = _decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.00"
    return f"{rounded:,.{decimals}f}"


def wan(value: object, decimals: int = 2) -> str:
    """An amount in 万元 as printed: ``13,867.60``; ``—`` when missing."""
    return MISSING if is_missing(value) else _fixed(value, decimals)


def pct(value: object, decimals: int = 2) -> str:
    """A rate held in percent (3.02 means 3.02%) as printed: ``3.02%``; ``—`` when missing."""
    return MISSING if is_missing(value) else f"{_fixed(value, decimals)}%"


def num(value: object, decimals: int = 2) -> str:
    """Any other figure: whole numbers without decimals (``62``), else two decimals (``95.82``); ``—`` when missing."""
    if is_missing(value):
        return MISSING
    d = _decimal(value)
    return _fixed(d, 0) if d == d.to_integral_value() else _fixed(d, decimals)


def format_points(points: Decimal | None) -> str:
    """分值 or 得分 as people write it: 30, 1.5, 0.25 (no trailing zeros, no exponent); ``—`` when missing."""
    if points is None:
        return MISSING
    text = format(points, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_rate(rate: Decimal) -> str:
    """A computed rate as the scoring sentences print it: two decimals, half-up, trailing zeros dropped (62.16%, 100%)."""
    return f"{format_points(rate.quantize(Decimal('0.01'), ROUND_HALF_UP))}%"
