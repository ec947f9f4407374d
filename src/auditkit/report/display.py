"""How every notebook shows figures: 万元 and percentages at two decimals, and tables in one consistent look.

The analyses (:mod:`auditkit.analyses.budget`, :mod:`auditkit.analyses.kpi`, :mod:`auditkit.analyses.costs`) return DataFrames with Chinese
column labels, floats for figures (NaN when missing) and text as printed. :func:`table` turns one into a numbered,
captioned pandas Styler: amounts as ``13,867.60``, rates as ``3.02%``, missing as ``—``, text HTML-escaped (it
comes from department data), with a deterministic table id so executed notebooks diff cleanly.

A column's kind follows its label: a label with 率, 占比, 进度 or ending in （%） holds percentages, one with 百分点
holds percentage points; other float columns hold amounts, or, in a table with a 单位 column, figures in that row's
unit. Rounding is half-up on the decimal value, as printed reports round (102.375 → 102.38).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd
from pandas.io.formats.style import Styler

from auditkit.analyses.frames import TOTAL_ROWS
from auditkit.data.numbers import MISSING, is_missing, num, pct, wan

if TYPE_CHECKING:
    from pandas.io.formats.style_render import CSSDict

__all__ = [
    "FONT_STACK",
    "TableCounter",
    "chinese_numeral",
    "column_kind",
    "table",
    "table_css",
]

#: Chinese fonts, best first (the same stack as the HTML report template).
FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
    '"WenQuanYi Micro Hei", "SimHei", sans-serif'
)

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



_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """A count as Chinese headings number it: 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 23 → 二十三 (1 to 99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"中文序号只支持 1 至 99，而不是 {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{_DIGITS[tens]}十")
    return head + (_DIGITS[ones] if ones else "")
