"""The budget tables: totals against their parts within a table (``cross_footing``), the budget chain
(``budget_chain``) and the one total two tables print (``cross_table``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from auditkit.analyses import metrics
from auditkit.data.model import BudgetLine
from auditkit.data.numbers import Number, agree
from auditkit.data.schema import TABLES
from auditkit.reconcile.context import Context
from auditkit.reconcile.findings import ERROR, WARNING, Figure
from auditkit.reconcile.judging import explain
from auditkit.reconcile.kinds import _AMOUNT, _AMOUNT_ATTRS, _BUDGET_TABLES
from auditkit.reconcile.lines import _line_value, _lines, _parts, _value_text
from auditkit.reconcile.reading import _Reading
from auditkit.reconcile.wording import _show, _shown


def check_budget_tables(ctx: Context) -> None:
    """Every line of every budget table: each total against its parts (合计 = Σ 明细), and each expenditure line's
    budget chain (剔除后预算), line by line."""
    for table in _BUDGET_TABLES:
        for line in _lines(ctx.dept, table):
            parts = _parts(ctx.dept, table, line)
            if parts:
                for attr in _AMOUNT_ATTRS:
                    check_cross_footing(ctx, table, line, parts, attr)
            if table == "expenditure":
                check_budget_chain(ctx, line)


def check_cross_footing(ctx: Context, table: str, line: BudgetLine, parts: list[BudgetLine], attr: str) -> None:
    """One column of a total or subtotal against the sum of its parts (``cross_footing``)."""
    stated = getattr(line, attr)
    if stated is None or _is_linked(ctx, table, [line, *parts], attr):
        return
    blank = [p for p in parts if _is_blank(ctx, table, p)]
    if blank and len(blank) < len(parts):
        _cross_footing_with_blank_rows(ctx, table, line, [p for p in parts if p not in blank], blank, attr)
        return

    def formula(r: _Reading) -> Any:
        return metrics.total([_line_value(ctx.dept, table, p, attr, r) for p in parts])

    found = ctx.contradiction(stated, _AMOUNT, formula)
    if found is None:
        return
    severity, verdict = found
    header = TABLES[table].column(attr).header
    terms = " + ".join(_value_text(p, attr) for p in parts[:8]) + (" + …" if len(parts) > 8 else "")
    how = f"下级各行之和 {terms} "
    message = explain(f"「{line.label}」{header}", stated, how, verdict, " 万元")
    if severity == ERROR:
        message += _substitution_hint(ctx, table, line, parts, attr)
    ctx.record(severity, "cross_footing", message, Figure(table, line.code or line.name, attr),
               ctx.place(table, line.label, header, line.source), stated.value, verdict.face)


def _is_blank(ctx: Context, table: str, line: BudgetLine) -> bool:
    """A printed-blank row: every amount empty (e.g. 其他), and so every row below it."""
    return all(getattr(line, a) is None for a in _AMOUNT_ATTRS) and all(
        _is_blank(ctx, table, p) for p in _parts(ctx.dept, table, line))


def _cross_footing_with_blank_rows(
    ctx: Context, table: str, line: BudgetLine, known: list[BudgetLine], blank: list[BudgetLine], attr: str
) -> None:
    """A total whose parts include printed-blank rows (issue 16, case 13): the blank rows are missing data (无法复核),
    the rest is checked. The rest summing to more than the total is an error; to less, a warning that the difference
    can only be the blank rows' (which print none)."""
    stated = getattr(line, attr)

    def formula(r: _Reading) -> Any:
        return metrics.total([_line_value(ctx.dept, table, p, attr, r) for p in known])

    verdict = ctx.judge(stated, _AMOUNT, formula)
    if verdict is None:
        return
    ctx.checked += 1
    ctx.not_checkable.extend(Figure(table, b.code or b.name, attr) for b in blank)
    if verdict.severity is None:
        return
    header = TABLES[table].column(attr).header
    names = "、".join(f"「{b.label}」" for b in blank)
    terms = " + ".join(_value_text(p, attr) for p in known[:8]) + (" + …" if len(known) > 8 else "")
    rest = _show(verdict.face, stated)
    if verdict.bounds.hi < stated.value:
        gap = _show(stated.value - verdict.face, stated)
        severity, message = WARNING, (
            f"「{line.label}」{header}列示 {_shown(stated)} 万元，其余各行之和 {terms} 为 {rest} 万元，相差 {gap} 万元；"
            f"{names}未列示金额，差额只能是其数。请核对原报告，并在该行填写金额（或注明未列示）。")
    else:
        severity, message = verdict.severity, (
            explain(f"「{line.label}」{header}", stated, f"下级各行之和 {terms} ", verdict, " 万元")
            + f"（{names}未列示金额，不计入。）")
    ctx.record(severity, "cross_footing", message, Figure(table, line.code or line.name, attr),
               ctx.place(table, line.label, header, line.source), stated.value, verdict.face)


def _is_linked(ctx: Context, table: str, lines: Sequence[BudgetLine], attr: str) -> bool:
    """Whether a figure of ``lines`` (or of the parts summed for a line printing none) came from the prior year."""
    for b in lines:
        if (table, b.code or b.name, attr) in ctx.linked:
            return True
        if getattr(b, attr) is None and _is_linked(ctx, table, _parts(ctx.dept, table, b), attr):
            return True
    return False


def _substitution_hint(ctx: Context, table: str, line: BudgetLine, parts: list[BudgetLine], attr: str) -> str:
    """If the report restates one part with another value and that value makes the total add up, say so."""
    header = TABLES[table].column(attr).header
    for s in ctx.dept.stated:
        if s.claim != f"{table}.{header}" or not isinstance(s.value, Number):
            continue
        part = next((p for p in parts if s.subject in (p.name, p.code)), None)
        if part is None or getattr(part, attr) is None or agree(getattr(part, attr), s.value):
            continue
        alt_value = s.value

        def formula(r: _Reading, part: BudgetLine = part, alt: Number = alt_value) -> Any:
            return metrics.total([r(alt, _AMOUNT) if p is part else _line_value(ctx.dept, table, p, attr, r)
                                  for p in parts])

        verdict = ctx.judge(getattr(line, attr), _AMOUNT, formula)
        if verdict is not None and verdict.severity is None:
            return f"若「{part.label}」取另一处列示的 {_shown(alt_value)}（{s.source or '报告列示数'}），则相符。"
    return ""


def check_budget_chain(ctx: Context, line: BudgetLine) -> None:
    """An expenditure line's 剔除后预算 = 年初预算 − 涉改调整 − 财政直接调整 (``budget_chain``)."""
    stated = line.net_initial
    if stated is None:
        return

    def formula(r: _Reading) -> Any:
        return metrics.net_budget(
            r(line.initial, _AMOUNT), r(line.reform_adjustment, _AMOUNT), r(line.direct_adjustment, _AMOUNT)
        )

    found = ctx.contradiction(stated, _AMOUNT, formula)
    if found is None:
        return
    severity, verdict = found
    how = (f"年初预算 {_value_text(line, 'initial')} − 涉改调整 {_value_text(line, 'reform_adjustment')} − "
           f"财政直接调整 {_value_text(line, 'direct_adjustment')} ")
    ctx.record(severity, "budget_chain", explain(f"「{line.label}」剔除后预算", stated, how, verdict, " 万元"),
               Figure("expenditure", line.code or line.name, "net_initial"),
               ctx.place("expenditure", line.label, "剔除后预算", line.source), stated.value, verdict.face)


def check_cross_table(ctx: Context) -> None:
    """The 功能分类 total is the expenditure total by another classification: each column both print must agree
    (``cross_table``)."""
    functional, expenditure = ctx.dept.total("functional"), ctx.dept.total("expenditure")
    if functional is None or expenditure is None:
        return
    for attr in _AMOUNT_ATTRS:
        a, b = getattr(functional, attr), getattr(expenditure, attr)
        if a is None or b is None:
            continue
        if _is_linked(ctx, "functional", [functional], attr) or _is_linked(ctx, "expenditure", [expenditure], attr):
            continue
        ctx.checked += 1
        header = TABLES["functional"].column(attr).header
        severity = ctx.compare(a, b, _AMOUNT)
        if severity is None:
            continue
        message = (f"功能分类「{functional.label}」{header} {_shown(a)} 万元与支出表「{expenditure.label}」{header} "
                   f"{_shown(b)} 万元是同一合计，应相同；请核对原报告。")
        ctx.record(severity, "cross_table", message, Figure("functional", functional.code or functional.name, attr),
                   ctx.place("functional", functional.label, header, functional.source), a.value, b.value)
