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

#: The largest figure a report prints: 15 digits before the point (a trillion 万元 is already implausible), and at most
#: 10 after it. Anything larger is a typing or unit error, and would overflow the 28-digit arithmetic of the checks.
MAX_INTEGER_DIGITS = 15
MAX_DECIMALS = 10
#: Full-width forms (ＡＳＣＩＩ block U+FF01–U+FF5E) to ASCII, and the ideographic space to a space: what an evaluator
#: typing with a Chinese input method produces. Nothing else is folded: NFKC would turn footnote marks into digits.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
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
    not take part in equality. An amount printed in 元 holds its value in 万元 with ``shift`` 4:
    ``80,900.00`` 元 is 8.090000 万元, printed with two decimals in its own unit.
    """

    value: Decimal
    decimals: int = 0
    percent: bool = False
    comparator: str | None = None
    raw: str = field(default="", compare=False)
    #: Decimals added by converting from the unit the figure was printed in: 4 for an amount printed in 元 (the
    #: value is in 万元). ``decimals - shift`` is the precision as printed.
    shift: int = 0

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

    @property
    def printed_decimals(self) -> int:
        """The decimals as printed, in the unit printed (2 for ``80,900.00`` 元)."""
        return self.decimals - self.shift

    @property
    def shown_decimals(self) -> int:
        """The decimals a message shows it with: its own, but a 元 amount in 万元 at two decimals or its printed
        precision, whichever is finer (``80,900.00`` 元 shows as 8.09 万元, not 8.090000)."""
        return max(2, self.printed_decimals) if self.shift else self.decimals

    def scaled(self, factor: Decimal, extra_decimals: int) -> Number:
        """This number multiplied by ``factor`` (e.g. 元 to 万元: 0.0001 with 4 extra decimals)."""
        return Number(self.value * factor, self.decimals + extra_decimals, self.percent, self.comparator, self.raw,
                      self.shift + extra_decimals)

    def as_printed(self) -> Number:
        """The figure in the unit it was printed in (a 元 amount back in 元); itself when it was not converted."""
        if not self.shift:
            return self
        return Number(self.value.scaleb(self.shift), self.decimals - self.shift, self.percent, self.comparator, self.raw)

    def __str__(self) -> str:
        return format_number(self)


def format_number(number: Number, thousands: bool = False) -> str:
    """Print ``number`` at its own precision, with its comparator and percent sign.

    A figure converted from 元 prints in 万元 at two decimals or its printed precision, whichever is finer
    (``80,900.00`` 元 → 8.09, not 8.090000); :meth:`Number.as_printed` gives the 元 figure itself.
    """
    decimals = number.shown_decimals
    value = number.value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP) if decimals < number.decimals else number.value
    spec = f"{',' if thousands else ''}.{decimals}f"
    text = format(value, spec)
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
        if raw.bit_length() > 64:  # also spares str() of a huge int (Python refuses more than 4300 digits)
            raise NumberFormatError(f"{raw.bit_length()} 位二进制的整数", f"数值过大（最多 {MAX_INTEGER_DIGITS} 位整数）：请核对单位与小数点")
        number = Number(Decimal(raw), 0, raw=str(raw))
    elif isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise NumberFormatError(raw, "不是有限数字")
        value = Decimal(repr(raw))
        number = Number(value, _decimals_of(value), raw=repr(raw))
    elif isinstance(raw, Decimal):
        if not raw.is_finite():
            raise NumberFormatError(raw, "不是有限数字")
        number = Number(raw, _decimals_of(raw), raw=str(raw))
    else:
        raise NumberFormatError(raw, "不是数字")
    _check_magnitude(number, raw)
    return number


def _from_text(raw: str, allow_comparator: bool) -> Number | None:
    """A number as printed; None for a mark that means missing."""
    text = raw.translate(_HALF_WIDTH).translate(_MINUS)
    text = text.strip()
    if text in MISSING_MARKS:
        return None
    _check_characters(raw, text)
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
    number = Number(value, len(frac), bool(match["pct"]), comparator, raw)
    _check_magnitude(number, raw)
    return number


def _check_characters(raw: str, text: str) -> None:
    """A digit other than 0–9 (half- or full-width) is an error naming it: a footnote mark (¹ ② ⑴), or a digit of
    another script (Arabic-Indic ٣), which NFKC would have silently read as a digit."""
    for ch in text:
        category = unicodedata.category(ch)
        if "0" <= ch <= "9" or category not in ("Nd", "No", "Nl"):
            continue
        name = unicodedata.name(ch, f"U+{ord(ch):04X}")
        if category in ("No", "Nl"):
            raise NumberFormatError(raw, f"含「{ch}」（{name}，脚注标记？）：请只填数字，把脚注写入「来源」或 notes.csv")
        raise NumberFormatError(raw, f"含「{ch}」（{name}）：不是 0–9 的数字；请只用阿拉伯数字（半角或全角）")


def _check_magnitude(number: Number, raw: object) -> None:
    """A figure too large or too finely printed to be a report's is an error, not a number the checks overflow on."""
    digits, exponent = number.value.as_tuple().digits, number.value.as_tuple().exponent
    if not isinstance(exponent, int):  # pragma: no cover - only finite values reach here
        return
    integer_digits = len(digits) + exponent
    if integer_digits > MAX_INTEGER_DIGITS and number.value != 0:
        raise NumberFormatError(raw, f"数值过大（整数部分 {integer_digits} 位，最多 {MAX_INTEGER_DIGITS} 位）：请核对单位与小数点")
    if number.decimals > MAX_DECIMALS + number.shift:
        raise NumberFormatError(raw, f"小数位过多（{number.decimals - number.shift} 位，最多 {MAX_DECIMALS} 位）：请按报告原样填写")


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
