"""How every notebook shows figures: 万元 and percentages at two decimals, and tables in one consistent look.

The analyses (:mod:`auditkit.budget`, :mod:`auditkit.kpi`, :mod:`auditkit.costs`) return DataFrames with Chinese
column labels, floats for figures (NaN when missing) and text as printed. :func:`table` turns one into a numbered,
captioned pandas Styler: amounts as ``13,867.60``, rates as ``3.02%``, missing as ``—``, text HTML-escaped (it
comes from department data), with a deterministic table id so executed notebooks diff cleanly.

A column's kind follows its label: a label with 率, 占比, 进度 or ending in （%） holds percentages, one with 百分点
holds percentage points; other float columns hold amounts, or, in a table with a 单位 column, figures in that row's
unit. Rounding is half-up on the decimal value, as printed reports round (102.375 → 102.38).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import pandas as pd
from pandas.io.formats.style import Styler

from auditkit.numbers import Number

if TYPE_CHECKING:
    from pandas.io.formats.style_render import CSSDict

__all__ = [
    "FONT_STACK",
    "MISSING",
    "TableCounter",
    "column_kind",
    "frame",
    "is_missing",
    "num",
    "pct",
    "table",
    "wan",
]

#: What a missing figure shows as: never 0.
MISSING = "—"
#: Chinese fonts, best first (the same stack as the HTML report template).
FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
    '"WenQuanYi Micro Hei", "SimHei", sans-serif'
)
#: DataFrame.attrs key listing the positions of total (合计) rows, shown in bold.
TOTAL_ROWS = "auditkit_total_rows"

_PERCENT_MARKS = ("率", "占比", "比重", "进度")
_RULE = "#d0d7de"
_TABULAR = "font-variant-numeric: tabular-nums;"
_STYLES: list[CSSDict] = [
    {"selector": "", "props": "border-collapse: collapse; margin: 8px 0 18px; font-size: .9rem;"
                              f" font-family: {FONT_STACK};"},
    {"selector": "caption", "props": "caption-side: top; text-align: center; font-weight: 600; padding: 6px 0;"},
    {"selector": "th", "props": f"border: 1px solid {_RULE}; background: #eef2f7; padding: 4px 8px; text-align: center;"
                                " white-space: normal; min-width: 4.5em;"},
    {"selector": "td", "props": f"border: 1px solid {_RULE}; padding: 4px 8px; vertical-align: top; text-align: left;"},
    {"selector": "td.ak-num, td.ak-pct", "props": f"text-align: right; white-space: nowrap; {_TABULAR}"},
    {"selector": "td.ak-label", "props": "white-space: pre; min-width: 6em;"},
    {"selector": "td.ak-text", "props": "min-width: 12em;"},
    {"selector": "td.ak-short", "props": "white-space: nowrap;"},
    {"selector": "td.ak-total", "props": "font-weight: 600; background: #f6f8fa;"},
    {"selector": "td.ak-flag-error", "props": "color: #b42318; font-weight: 600;"},
    {"selector": "td.ak-flag-warning", "props": "color: #9a6700;"},
]
#: Status cells shown in colour (the report template styles the same classes).
_FLAGS: dict[str, dict[str, str]] = {
    "状态": {"未达成": "ak-flag-error", "无法衡量": "ak-flag-warning"},
    "是否滞后": {"是": "ak-flag-error"},
}


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas' NA: a figure the data does not give."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, Decimal):
        return value.is_nan()
    return value is pd.NA or value is pd.NaT


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


def column_kind(label: str) -> str | None:
    """``pct`` for a percentage column, ``points`` for percentage points, None when the label does not say."""
    if "百分点" in label:
        return "points"
    if label.endswith("（%）") or label == "同比" or any(mark in label for mark in _PERCENT_MARKS):
        return "pct"
    return None


def _unit_formatter(unit: object) -> Callable[[object], str]:
    if unit == "%":
        return pct
    if unit == "万元":
        return wan
    return num


def _cell(value: object) -> object:
    if isinstance(value, (Decimal, Number)):
        return float(value)
    return value


def frame(
    rows: Iterable[Mapping[str, object]],
    columns: Sequence[str],
    required: Iterable[str] = (),
    *,
    index: Sequence[object] | None = None,
    totals: Iterable[int] = (),
    numeric: Iterable[str] = (),
) -> pd.DataFrame:
    """A DataFrame of ``rows`` in ``columns`` order: Decimals become floats, missing figures NaN (text: None).

    Optional columns (those not in ``required``) with no value in any row are left out: a table shows only the
    columns the department has data for. ``numeric`` columns are floats even when every value is missing.
    ``totals`` are the positions of total rows (shown in bold by :func:`table`).
    """
    forced = set(numeric)
    rows = list(rows)
    keep = set(required)
    present = [c for c in columns if c in keep or any(not is_missing(r.get(c)) for r in rows)]
    df = pd.DataFrame(index=pd.Index(list(index), dtype=object) if index is not None else pd.RangeIndex(len(rows)))
    for c in present:
        cells = [_cell(r.get(c)) for r in rows]
        values = [v for v in cells if not is_missing(v)]
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        if numbers and values and len(values) == len(cells) and all(isinstance(v, int) for v in values):
            df[c] = pd.Series(cells, index=df.index, dtype="int64")
        elif numbers and (values or c in forced):
            df[c] = pd.Series([math.nan if is_missing(v) else v for v in cells], index=df.index, dtype="float64")
        else:
            df[c] = pd.Series([None if is_missing(v) else v for v in cells], index=df.index, dtype=object)
    df.attrs[TOTAL_ROWS] = sorted(set(totals))
    return df


def table_css(selector: str = "table.ak-table") -> str:
    """The tables' style sheet for ``selector``: what each table carries in a notebook, written once for a report."""
    rules = []
    for style in _STYLES:
        targets = ", ".join(f"{selector} {part.strip()}".strip() for part in str(style["selector"]).split(","))
        rules.append(f"{targets}{{{style['props']}}}")
    return "\n".join(rules)


def table(df: pd.DataFrame, number: int, title: str, unit: str | None = "万元") -> Styler:
    """表N 标题（单位：万元）: the frame as a styled table, figures formatted, text escaped, id ``T_ak-table-N``."""
    data = df.reset_index(drop=True)
    styler = data.style
    styler.set_uuid(f"ak-table-{number}")
    styler.hide(axis="index")
    caption = f"表{number} {title}" + (f"（单位：{unit}）" if unit else "")
    styler.set_caption(html.escape(caption))
    styler.set_table_attributes('class="ak-table"')
    styler.set_table_styles(_STYLES)
    styler.format_index(escape="html", axis="columns")
    classes = pd.DataFrame("", index=data.index, columns=data.columns)
    for position, label in enumerate(data.columns):
        column = data.iloc[:, position]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            classes[label] = _format_figures(styler, data, label)
        else:
            styler.format(None, subset=[label], na_rep=MISSING, escape="html")
            classes[label] = _text_classes(data, position)
    for row in df.attrs.get(TOTAL_ROWS, []):
        if 0 <= row < len(classes):
            classes.iloc[row] = classes.iloc[row].map(lambda c: f"{c} ak-total".strip())
    styler.set_td_classes(classes)
    return styler


def _format_figures(styler: Styler, data: pd.DataFrame, label: str) -> str:
    """Set the formatter of a numeric column (by its label, else by each row's 单位, else 万元); its CSS class."""
    kind = column_kind(str(label))
    if kind == "pct":
        styler.format(pct, subset=[label], escape="html")
        return "ak-pct"
    if kind == "points" or pd.api.types.is_integer_dtype(data[label]):
        styler.format(num, subset=[label], escape="html")
    elif "单位" in data.columns:
        for row_unit, rows in data.groupby(data["单位"].fillna(""), sort=False).groups.items():
            styler.format(_unit_formatter(row_unit), subset=(list(rows), [label]), escape="html")
    else:
        styler.format(wan, subset=[label], escape="html")
    return "ak-num"


def _text_classes(data: pd.DataFrame, position: int) -> list[str]:
    """The row-naming column stays on one line (indentation kept); long text wraps; status cells are flagged."""
    column = data.iloc[:, position]
    if position == 0 or (position == 1 and data.columns[0] == "科目编码"):
        base = "ak-label"
    else:
        longest = max((len(str(v)) for v in column if not is_missing(v)), default=0)
        base = "ak-text" if longest > 12 else "ak-short"
    flags = _FLAGS.get(str(data.columns[position]), {})
    return [f"{base} {flags[v]}" if v in flags else base for v in column]


class TableCounter:
    """Numbers a notebook's tables in order of appearance: 表1, 表2, …"""

    def __init__(self, start: int = 0) -> None:
        self.count = start

    def table(self, df: pd.DataFrame, title: str, unit: str | None = "万元") -> Styler:
        """The next numbered table (see :func:`table`)."""
        self.count += 1
        return table(df, self.count, title, unit)

    def __call__(self, df: pd.DataFrame, title: str, unit: str | None = "万元") -> Styler:
        return self.table(df, title, unit)

