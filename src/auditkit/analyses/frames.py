"""The DataFrame every analysis returns: Chinese column labels, floats for figures (NaN when missing), text as printed.

A column's kind follows its label (see :func:`auditkit.report.display.column_kind`): the display formats 万元,
percentages and counts from it. Optional columns the department has no data for are left out, so a table shows only
what the data holds; total (合计) rows are listed in ``DataFrame.attrs[TOTAL_ROWS]`` and shown in bold.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import pandas as pd

from auditkit.data.numbers import Number, is_missing

__all__ = ["TOTAL_ROWS", "frame"]

#: DataFrame.attrs key listing the positions of total (合计) rows, shown in bold.
TOTAL_ROWS = "auditkit_total_rows"


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
    ``totals`` are the positions of total rows (shown in bold by :func:`auditkit.report.display.table`).
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
