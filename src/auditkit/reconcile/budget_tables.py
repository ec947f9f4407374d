"""The budget tables: totals against their parts within a table (``cross_footing``), the budget chain
(``budget_chain``) and the one total two tables print (``cross_table``); and how a line's value is read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from auditkit.analyses import metrics
from auditkit.data.model import BudgetLine
from auditkit.data.numbers import Number, agree
from auditkit.data.schema import TABLES
from auditkit.reconcile.core import _Core
from auditkit.reconcile.findings import ERROR, Figure
from auditkit.reconcile.kinds import _AMOUNT, _AMOUNT_ATTRS, _BUDGET_TABLES
from auditkit.reconcile.reading import _Reading
from auditkit.reconcile.wording import _shown


class _BudgetChecks(_Core):
    """The budget tables' checks, and reading a line's value (printed, or the sum of its parts)."""

    def lines(self, table: str) -> tuple[BudgetLine, ...]:
        return tuple(getattr(self.dept, table))

    def parts(self, table: str, line: BudgetLine) -> list[BudgetLine]:
        """The additive parts of a line: its 明细 children, or for the 合计 line the top-level 明细 lines."""
        if line.row_kind == "合计":
            return [b for b in self.lines(table) if b.parent is None and b.row_kind == "明细"]
        return [b for b in self.lines(table) if b.parent == line.name and b.row_kind == "明细" and b is not line]

    def value(self, table: str, line: BudgetLine, attr: str, reading: _Reading) -> Any:
        """A line's value: as printed, or where the line prints none, the sum of its parts (if they all print one)."""
        own = getattr(line, attr)
        if own is not None:
            return reading(own, _AMOUNT)
        parts = self.parts(table, line)
        return metrics.total([self.value(table, p, attr, reading) for p in parts]) if parts else None

    def value_text(self, line: BudgetLine, attr: str) -> str:
        own = getattr(line, attr)
        return _shown(own) if own is not None else "（下级之和）"

    def find_line(self, subject: str | None, tables: Sequence[str] = _BUDGET_TABLES) -> tuple[str, BudgetLine] | None:
        for table in tables:
            line = self.dept.total(table) if subject is None else self.dept.line(table, subject)
            if line is not None:
                return table, line
        return None

    def check_budget_tables(self) -> None:
        for table in _BUDGET_TABLES:
            for line in self.lines(table):
                parts = self.parts(table, line)
                if parts:
                    for attr in _AMOUNT_ATTRS:
                        self.cross_foot(table, line, parts, attr)
                if table == "expenditure":
                    self.chain(line)
        self.cross_table()

    def cross_foot(self, table: str, line: BudgetLine, parts: list[BudgetLine], attr: str) -> None:
        stated = getattr(line, attr)
        if stated is None or self.is_linked(table, [line, *parts], attr):
            return

        def formula(r: _Reading) -> Any:
            return metrics.total([self.value(table, p, attr, r) for p in parts])

        found = self.contradiction(stated, _AMOUNT, formula)
        if found is None:
            return
        severity, verdict = found
        header = TABLES[table].column(attr).header
        terms = " + ".join(self.value_text(p, attr) for p in parts[:8]) + (" + …" if len(parts) > 8 else "")
        how = f"下级各行之和 {terms} "
        message = self.explain(f"「{line.label}」{header}", stated, how, verdict, " 万元")
        if severity == ERROR:
            message += self.substitution_hint(table, line, parts, attr)
        self.add(severity, "cross_footing", message, Figure(table, line.code or line.name, attr),
                 self.place(table, line.label, header, line.source), stated.value, verdict.face)

    def is_linked(self, table: str, lines: Sequence[BudgetLine], attr: str) -> bool:
        """Whether a figure of ``lines`` (or of the parts summed for a line printing none) came from the prior year."""
        for b in lines:
            if (table, b.code or b.name, attr) in self.linked:
                return True
            if getattr(b, attr) is None and self.is_linked(table, self.parts(table, b), attr):
                return True
        return False

    def substitution_hint(self, table: str, line: BudgetLine, parts: list[BudgetLine], attr: str) -> str:
        """If the report restates one part with another value and that value makes the total add up, say so."""
        header = TABLES[table].column(attr).header
        for s in self.dept.stated:
            if s.claim != f"{table}.{header}" or not isinstance(s.value, Number):
                continue
            part = next((p for p in parts if s.subject in (p.name, p.code)), None)
            if part is None or getattr(part, attr) is None or agree(getattr(part, attr), s.value):
                continue
            alt_value = s.value

            def formula(r: _Reading, part: BudgetLine = part, alt: Number = alt_value) -> Any:
                return metrics.total([r(alt, _AMOUNT) if p is part else self.value(table, p, attr, r) for p in parts])

            verdict = self.judge(getattr(line, attr), _AMOUNT, formula)
            if verdict is not None and verdict.severity is None:
                return f"若「{part.label}」取另一处列示的 {_shown(alt_value)}（{s.source or '报告列示数'}），则相符。"
        return ""

    def chain(self, line: BudgetLine) -> None:
        stated = line.net_initial
        if stated is None:
            return

        def formula(r: _Reading) -> Any:
            return metrics.net_budget(
                r(line.initial, _AMOUNT), r(line.reform_adjustment, _AMOUNT), r(line.direct_adjustment, _AMOUNT)
            )

        found = self.contradiction(stated, _AMOUNT, formula)
        if found is None:
            return
        severity, verdict = found
        how = (f"年初预算 {self.value_text(line, 'initial')} − 涉改调整 {self.value_text(line, 'reform_adjustment')} − "
               f"财政直接调整 {self.value_text(line, 'direct_adjustment')} ")
        self.add(severity, "budget_chain", self.explain(f"「{line.label}」剔除后预算", stated, how, verdict, " 万元"),
                 Figure("expenditure", line.code or line.name, "net_initial"),
                 self.place("expenditure", line.label, "剔除后预算", line.source), stated.value, verdict.face)

    def cross_table(self) -> None:
        """The 功能分类 total is the expenditure total by another classification: each column both print must agree."""
        functional, expenditure = self.dept.total("functional"), self.dept.total("expenditure")
        if functional is None or expenditure is None:
            return
        for attr in _AMOUNT_ATTRS:
            a, b = getattr(functional, attr), getattr(expenditure, attr)
            if a is None or b is None:
                continue
            if self.is_linked("functional", [functional], attr) or self.is_linked("expenditure", [expenditure], attr):
                continue
            self.checked += 1
            header = TABLES["functional"].column(attr).header
            severity = self.compare(a, b, _AMOUNT)
            if severity is None:
                continue
            message = (f"功能分类「{functional.label}」{header} {_shown(a)} 万元与支出表「{expenditure.label}」{header} "
                       f"{_shown(b)} 万元是同一合计，应相同；请核对原报告。")
            self.add(severity, "cross_table", message, Figure("functional", functional.code or functional.name, attr),
                     self.place("functional", functional.label, header, functional.source), a.value, b.value)
