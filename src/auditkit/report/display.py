"""How every report shows figures: 万元 and percentages at two decimals, in numbered tables of one consistent look.

The analyses (:mod:`auditkit.analyses.budget`, :mod:`auditkit.analyses.kpi`, :mod:`auditkit.analyses.costs`) return
DataFrames with Chinese column labels, floats for figures (NaN when missing) and text as printed. :func:`table` turns
one into a :class:`~auditkit.report.blocks.Table` of printed cells: amounts as ``13,867.60``, rates as ``3.02%``,
missing as ``—``. The page and the Word document both print those cells, so they carry the same figures.

A column's kind follows its label: a label with 率, 占比, 进度 or ending in （%） holds percentages, one with 百分点
holds percentage points; other float columns hold amounts, or, in a table with a 单位 column, figures in that row's
unit. Rounding is half-up on the decimal value, as printed reports round (102.375 → 102.38).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from auditkit.analyses.frames import TOTAL_ROWS
from auditkit.data.numbers import MISSING, is_missing, num, pct, wan
from auditkit.report.blocks import Cell, CellKind, Flag, Table

__all__ = ["FONT_STACK", "chinese_numeral", "column_kind", "table"]

#: Chinese fonts, best first (the same stack as the HTML report template).
FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
    '"WenQuanYi Micro Hei", "SimHei", sans-serif'
)

_PERCENT_MARKS = ("率", "占比", "比重", "进度")
#: Status cells shown in colour.
_FLAGS: Mapping[str, Mapping[str, Flag]] = {
    "状态": {"未达成": "error", "无法衡量": "warning"},
    "是否滞后": {"是": "error"},
}
#: A text column whose longest entry is at most this many characters stays on one line.
_SHORT_TEXT = 12


def column_kind(label: str) -> str | None:
    """``pct`` for a percentage column, ``points`` for percentage points, None when the label does not say."""
    if "百分点" in label:
        return "points"
    if label.endswith("（%）") or label == "同比" or any(mark in label for mark in _PERCENT_MARKS):
        return "pct"
    return None


def _bare_pct(v: object) -> str:
    """A percentage beside a 单位 column that says %: 93.61, not 93.61% next to %."""
    return pct(v).removesuffix("%")


def _unit_formatter(unit: object) -> Callable[[object], str]:
    if unit == "%":
        return _bare_pct
    if unit == "万元":
        return wan
    return num


def _figure_column(data: pd.DataFrame, label: str) -> tuple[list[str], CellKind]:
    """A numeric column as printed (by its label, else by each row's 单位, else 万元), and how it aligns."""
    kind = column_kind(label)
    values = list(data[label])
    if kind == "pct":
        return [pct(v) for v in values], "pct"
    if kind == "points" or pd.api.types.is_integer_dtype(data[label]):
        return [num(v) for v in values], "num"
    if "单位" in data.columns:
        units = list(data["单位"])
        return [_unit_formatter(u if not is_missing(u) else "")(v) for u, v in zip(units, values, strict=True)], "num"
    return [wan(v) for v in values], "num"


def _text_column(data: pd.DataFrame, position: int) -> tuple[list[str], CellKind]:
    """The row-naming column stays on one line (indentation kept); long text wraps; short text does not."""
    values = [MISSING if is_missing(v) else str(v) for v in data.iloc[:, position]]
    shown = values
    if position == 0 or (position == 1 and data.columns[0] == "科目编码"):
        return shown, "label"
    longest = max((len(str(v)) for v in data.iloc[:, position] if not is_missing(v)), default=0)
    return shown, ("text" if longest > _SHORT_TEXT else "short")


def table(df: pd.DataFrame, number: int | None, title: str, unit: str | None = "万元", note: str | None = None) -> Table:
    """表N 标题 (单位：万元): the frame's rows as printed cells; total rows (``attrs[TOTAL_ROWS]``) in bold; ``note`` is
    the 备注 printed under the table."""
    data = df.reset_index(drop=True)
    columns: list[list[Cell]] = []
    for position, label in enumerate(data.columns):
        column = data.iloc[:, position]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            texts, kind = _figure_column(data, str(label))
        else:
            texts, kind = _text_column(data, position)
        flags = _FLAGS.get(str(label), {})
        columns.append([Cell(text, kind, flags.get(text)) for text in texts])
    rows = tuple(tuple(col[r] for col in columns) for r in range(len(data)))
    totals = tuple(r for r in df.attrs.get(TOTAL_ROWS, []) if 0 <= r < len(data))
    return Table(title, tuple(str(c) for c in data.columns), rows, number, unit, totals, note)


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """A count as Chinese headings number it: 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 23 → 二十三 (1 to 99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"中文序号只支持 1 至 99，而不是 {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{_DIGITS[tens]}十")
    return head + (_DIGITS[ones] if ones else "")
