"""A quantity printed twice (``restated``): a stated figure against the table cell it restates, the same claim
stated twice, and the stated changes of the parts against the change of the whole (``parts_change``)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from auditkit.analyses import metrics
from auditkit.data.model import DepartmentYear, StatedFigure
from auditkit.data.numbers import Number
from auditkit.data.schema import CLAIMS, TABLES
from auditkit.reconcile.context import Context
from auditkit.reconcile.findings import WARNING, Figure
from auditkit.reconcile.judging import explain
from auditkit.reconcile.kinds import _AMOUNT, _BUDGET_TABLES, _stated_kind
from auditkit.reconcile.lines import _lines
from auditkit.reconcile.reading import _Reading
from auditkit.reconcile.wording import _show, _shown, _what

#: The split of 支出 by nature (决算报表): used only when the expenditure table lists no lines of its own (000).
_EXPENDITURE_SPLIT = ("基本支出", "项目支出")


def check_restatement(ctx: Context, index: int, s: StatedFigure) -> None:
    """A ``<table>.<column>`` figure restates a table cell: it must agree with the cell (``restated``)."""
    figure = Figure("stated", s.subject, s.claim, index)
    table_name, _, header = s.claim.partition(".")
    table = TABLES.get(table_name)
    cell = _table_cell(ctx.dept, table_name, header, s.subject) if table else None
    if cell is None or not isinstance(s.value, Number) or not isinstance(cell[1], Number):
        if isinstance(s.value, Number):
            ctx.not_checkable.append(figure)
        return
    row_label, value, _source = cell
    ctx.checked += 1
    assert table is not None
    kind = _AMOUNT if table_name in _BUDGET_TABLES else _stated_kind(s)
    severity = ctx.compare(value, s.value, kind)
    if severity is None:
        return
    file = TABLES[table_name].file if not ctx.workbook else f"工作表「{table.sheet}」"
    unit = f" {s.unit}" if s.unit and s.unit != "%" else ""
    message = (f"同一数两处不同：{file}「{row_label}」{header}为 {_shown(value)}{unit}，"
               f"此处列示 {_shown(s.value)}{unit}"
               + ("（只在按较粗的精度读时一致）" if severity == WARNING else "") + "。请核对原报告。")
    ctx.record(severity, "restated", message, figure, ctx.stated_place(s), s.value.value, value.value)


def _table_cell(dept: DepartmentYear, table: str, header: str, subject: str | None) -> tuple[str, Any, str | None] | None:
    """The cell a ``<table>.<column>`` figure restates: its row's label, its value and its 来源."""
    columns = {c.header: c.attr for c in TABLES[table].columns}
    attr = columns.get(header)
    if attr is None or subject is None:
        return None
    rows: list[Any] = []
    if table in _BUDGET_TABLES:
        line = dept.line(table, subject)
        return (line.label, getattr(line, attr), line.source) if line is not None else None
    if table == "kpis":
        rows = [k for k in dept.kpis if subject in (k.name, k.id)]
        return (rows[0].name, getattr(rows[0], attr), rows[0].source) if rows else None
    if table == "scores":
        rows = [x for x in dept.scores if x.id == subject]
        return (f"{rows[0].id} {rows[0].name}", getattr(rows[0], attr), rows[0].source) if rows else None
    if table == "staffing":
        rows = [x for x in dept.staffing if x.category == subject]
        return (rows[0].category, getattr(rows[0], attr), rows[0].source) if rows else None
    if table == "quarterly":
        rows = [q for q in dept.quarterly if str(q.quarter) == subject]
        return (f"第 {rows[0].quarter} 季度", getattr(rows[0], attr), rows[0].source) if rows else None
    return None


def check_duplicates(ctx: Context) -> None:
    """The same claim about the same subject stated twice: the statements must agree (``restated``). The row nearest
    its recomputation is the reference; a row with an error of its own is not compared again."""
    groups: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for index, s in enumerate(ctx.dept.stated):
        if s.claim in CLAIMS and s.claim not in ("other", "score.grade") and isinstance(s.value, Number):
            groups[(s.claim, s.subject)].append(index)
    for (claim, _subject), indexes in groups.items():
        rows = [i for i in indexes if i not in ctx.flagged]
        if len(rows) < 2:
            continue
        stated = ctx.dept.stated
        ref = min(rows, key=lambda i: (_distance(ctx, i), i))
        for i in rows:
            if i == ref:
                continue
            a, b = stated[ref].value, stated[i].value
            assert isinstance(a, Number) and isinstance(b, Number)
            severity = ctx.compare(a, b, _stated_kind(stated[i]))
            if severity is None:
                continue
            basis = f"；按其输入重算为 {_show(ctx.consistent[ref], a)}" if ref in ctx.consistent else "；缺少输入数据，无法判断哪一处正确"
            message = (f"{_what(stated[i])}两处列示不同：{_shown(a)}（{stated[ref].source or '—'}）与 {_shown(b)}"
                       f"（{stated[i].source or '—'}）{basis}。请核对原报告。")
            ctx.record(severity, "restated", message, Figure("stated", stated[i].subject, claim, i),
                       ctx.stated_place(stated[i]), b.value, a.value)


def _distance(ctx: Context, index: int) -> Decimal:
    """How far a stated figure is from its recomputation (infinite without one): the nearest is the reference."""
    value = ctx.dept.stated[index].value
    if index not in ctx.consistent or not isinstance(value, Number):
        return Decimal("Infinity")
    return abs(ctx.consistent[index] - value.value)


def check_parts_change(ctx: Context) -> None:
    """Stated change amounts of the parts of a table (its top-level lines) must add up to the total's
    (``parts_change``), table by table."""
    rows = [(i, s) for i, s in enumerate(ctx.dept.stated)
            if s.claim == "yoy.change_amount" and isinstance(s.value, Number) and i not in ctx.flagged]
    for table in _BUDGET_TABLES:
        _check_parts_change_of(ctx, table, rows)


def _check_parts_change_of(ctx: Context, table: str, rows: list[tuple[int, StatedFigure]]) -> None:
    """One table's stated change of its total against the stated changes of its top-level lines."""
    total = ctx.dept.total(table)
    if total is None:
        return
    totals = [(i, s) for i, s in rows if s.subject in (total.name, total.code)]
    if not totals:
        return
    names = [b.name for b in _lines(ctx.dept, table) if b.parent is None and b.row_kind == "明细"]
    complete = True
    if not names and table == "expenditure":
        names, complete = list(_EXPENDITURE_SPLIT), False
    parts = {n: next((s for _, s in rows if s.subject == n), None) for n in names}
    given = {n: p for n, p in parts.items() if p is not None}
    if len(given) < 2:
        return
    complete = complete and len(given) == len(names)
    index, whole = totals[0]
    assert isinstance(whole.value, Number)
    values = [p.value for p in given.values() if isinstance(p.value, Number)]  # all are: rows holds numbers

    def formula(r: _Reading) -> Any:
        return metrics.total([r(x, _AMOUNT) for x in values])

    found = ctx.contradiction(whole.value, _AMOUNT, formula)
    if found is None:
        return
    severity, verdict = found
    severity = severity if complete else WARNING
    how = "、".join(given) + " 的增减额之和 " + " + ".join(_shown(v) for v in values).replace("+ -", "− ") + " "
    message = explain(f"「{total.label}」较上年增减额", whole.value, how, verdict, " 万元")
    if not complete:
        message += f"（报告只列出{'、'.join(given)}；若其他部分另有增减，差额也可能来自那里。）"
    ctx.record(severity, "parts_change", message, Figure("stated", whole.subject, "yoy.change_amount", index),
               ctx.stated_place(whole), whole.value.value, verdict.face)
