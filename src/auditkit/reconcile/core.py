"""The state of one reconciliation (the department-year, its findings and counts) and how a finding is recorded
and addressed: what a stated figure is, what kind, and where a figure is printed."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from auditkit.data.model import DepartmentYear, Score, StatedFigure
from auditkit.data.numbers import Number
from auditkit.data.schema import CLAIMS, place
from auditkit.reconcile.findings import ERROR, Figure, Finding
from auditkit.reconcile.judging import _Judge, _Verdict
from auditkit.reconcile.kinds import _AMOUNT, _AMOUNT_CLAIMS, _BUDGET_TABLES, _PERCENT, _prevailing_precision
from auditkit.reconcile.reading import Formula
from auditkit.scoring.framework import Framework

if TYPE_CHECKING:
    from auditkit.data.prior_year import PriorYear


class _Core(_Judge):
    """One run's state, shared by the checks of every area (each a mixin of this class)."""

    def __init__(self, dept: DepartmentYear, framework: Framework | None, prior: PriorYear | None = None) -> None:
        self.dept = dept
        self.framework = framework
        self.prior = prior
        # 上年 figures filled from the prior year: not stated by this department, so never checked against its own
        self.linked: set[tuple[str, str | None, str]] = set()
        if prior is not None:
            self.linked = {(f.table, f.key, f.column) for f in prior.filled}
        self.precision = _prevailing_precision(dept)
        self.findings: list[Finding] = []
        self.checked = 0
        self.not_checkable: list[Figure] = []
        self.other = 0
        self.flagged: set[int] = set()  # stated rows with an error of their own
        self.consistent: dict[int, Decimal] = {}  # stated rows that passed a recomputation → its face value
        self.workbook = dept.origin.lower().endswith((".xlsx", ".xlsm"))
        self.by_id = {s.id: s for s in dept.scores}
        self.kids: dict[str, list[Score]] = defaultdict(list)
        for s in dept.scores:
            if s.parent:
                self.kids[s.parent].append(s)

    # -- output ---------------------------------------------------------------------------------------

    def contradiction(self, stated: Number, kind: str, formula: Formula) -> tuple[str, _Verdict] | None:
        """Judge ``stated`` against ``formula``, counting it as checked when its inputs are there; the severity and
        the verdict only when it finds something (an error or a warning), else None."""
        verdict = self.judge(stated, kind, formula)
        if verdict is None:
            return None
        self.checked += 1
        return (verdict.severity, verdict) if verdict.severity is not None else None

    def add(self, severity: str, rule: str, message: str, figure: Figure, location: str,
            stated: Decimal | None = None, recomputed: Decimal | None = None) -> None:
        self.findings.append(Finding(severity, rule, message, stated, recomputed, location, figure))
        if figure.table == "stated" and figure.index is not None and severity == ERROR:
            self.flagged.add(figure.index)

    def place(self, table: str, row: str, column: str | None, source: str | None) -> str:
        """Where a figure is: the department, the file (or sheet), the row and column, and its 来源."""
        return place(self.dept, table, row, column, source)

    def stated_place(self, s: StatedFigure) -> str:
        row = s.claim + (f" · {s.subject}" if s.subject else "")
        return self.place("stated", row, None, s.source)

    # -- a stated figure ------------------------------------------------------------------------------

    def stated_kind(self, s: StatedFigure) -> str:
        if isinstance(s.value, Number) and s.value.percent:
            return _PERCENT
        table = s.claim.partition(".")[0]
        if table in _BUDGET_TABLES or s.claim in _AMOUNT_CLAIMS:
            return s.unit or _AMOUNT
        return s.unit or ""

    def what(self, s: StatedFigure) -> str:
        name = CLAIMS.get(s.claim, s.claim)
        return f"{name}「{s.subject}」" if s.subject else name
