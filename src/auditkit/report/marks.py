"""The marks of a draft: each figure of the evaluation report that an open error concerns carries a note, 待确认.

A figure is found where the report prints it: a table cell (the budget tables, the KPI completion tables, the 评分表)
by its table, row and column, as a :class:`~auditkit.reconcile.Figure` names it; a figure the report states in its
own words by its quotation (``stated.csv`` 原文), wherever a printed paragraph contains it. A figure printed twice
carries the same note twice. The note says only what the issued report may say: that the figure awaits the
evaluator's confirmation, and where the review memo lists it; the finding itself is the memo's.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditkit.data.model import DepartmentYear
from auditkit.data.schema import TABLES
from auditkit.reconcile import Figure, Finding
from auditkit.report.blocks import Notes

__all__ = ["PENDING", "Marks", "party"]

#: What every note of a draft says; ``party`` is who confirms (:func:`party`).
PENDING = "此数与报告中其他数字或其计算依据不一致，有待{party}核实确认（见复核意见待确认事项第{item}项）。"


def party(dept: DepartmentYear) -> str:
    """Who confirms a figure and decides a finding: the 填报单位 of a 自评 (004, 001: no third party), else the
    评价机构 (003)."""
    return "填报单位" if dept.evaluation.is_self_evaluation else "评价机构"
#: A quotation shorter than this could match text it does not come from.
_SHORTEST_QUOTE = 4
#: Claims about a KPI or an indicator, and the cell that prints them.
_CLAIM_CELLS = {
    "kpi.completion_rate": ("kpis", "completion"),
    "kpi.yoy_change": ("kpis", "yoy"),
    "score.indicator": ("scores", "score"),
    "score.rate": ("scores", "rate"),
}


class Marks:
    """Numbers the notes of the open errors in the order the report prints their figures (注1, 注2, …)."""

    def __init__(self, dept: DepartmentYear, open_errors: Iterable[Finding]) -> None:
        self._item: dict[Finding, int] = {}
        self._cells: dict[tuple[str, str, str], list[Finding]] = {}
        self._quotes: list[tuple[str, Finding]] = []
        for item, finding in enumerate(open_errors, start=1):
            self._item[finding] = item
            for cell in _cells(dept, finding.figure):
                self._cells.setdefault(cell, []).append(finding)
            quote = _quote(dept, finding.figure)
            if quote:
                self._quotes.append((quote, finding))
        self._numbers: dict[Finding, int] = {}
        self._party = party(dept)

    def _number(self, finding: Finding) -> int:
        if finding not in self._numbers:
            self._numbers[finding] = len(self._numbers) + 1
        return self._numbers[finding]

    def cell(self, table: str, key: str | None, column: str) -> int | None:
        """The note of the figure printed in ``table``, row ``key``, column ``column`` (None when nothing is open)."""
        found = self._cells.get((table, key or "", column))
        return self._number(found[0]) if found else None

    def text(self, text: str) -> tuple[int, ...]:
        """The notes of the figures quoted in a printed paragraph."""
        return tuple(dict.fromkeys(self._number(f) for quote, f in self._quotes if quote in text))

    def numbered(self) -> dict[Finding, int]:
        """The note number of each finding whose figure has been printed so far (注N)."""
        return dict(self._numbers)

    def notes(self) -> Notes | None:
        """The notes of every mark printed so far, in order."""
        if not self._numbers:
            return None
        ordered = sorted(self._numbers.items(), key=lambda pair: pair[1])
        return Notes(tuple((n, PENDING.format(party=self._party, item=self._item[f])) for f, n in ordered))


def _cells(dept: DepartmentYear, figure: Figure) -> list[tuple[str, str, str]]:
    """Where a figure is printed in a table: its own cell, and for a restatement (``<table>.<列>``) the table's cell."""
    if figure.table != "stated":
        return [(figure.table, figure.key or "", figure.column)]
    if figure.column in _CLAIM_CELLS:
        table, column = _CLAIM_CELLS[figure.column]
        return [(table, figure.key or "", column)]
    table_name, _, header = figure.column.partition(".")
    found = TABLES.get(table_name)
    attr = next((c.attr for c in found.columns if c.header == header), None) if found else None
    return [(table_name, figure.key or "", attr)] if attr else []


def _quote(dept: DepartmentYear, figure: Figure) -> str | None:
    if figure.table != "stated" or figure.index is None or figure.index >= len(dept.stated):
        return None
    quote = dept.stated[figure.index].quote
    return quote if quote and len(quote) >= _SHORTEST_QUOTE else None
