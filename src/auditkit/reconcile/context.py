"""One reconciliation's state (:class:`Context`): the department-year and what it is judged with, the findings and
counts so far, and the helpers every check needs: judging a figure, recording a finding, saying where a figure is."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from auditkit.data.model import DepartmentYear, Score, StatedFigure
from auditkit.data.numbers import Number
from auditkit.data.schema import place
from auditkit.reconcile import judging
from auditkit.reconcile.findings import ERROR, Figure, Finding, Reconciliation, Rule, Severity
from auditkit.reconcile.judging import _Alt, _Verdict
from auditkit.reconcile.kinds import _prevailing_precision
from auditkit.reconcile.reading import Formula
from auditkit.scoring.framework import Framework

if TYPE_CHECKING:
    from auditkit.data.prior_year import PriorYear

__all__ = ["Context"]


@dataclass(eq=False)
class Context:
    """One run of the checks (勾稽校验) over a department-year: what they read, and what they have found so far.

    Given: the department-year, the framework whose thresholds give the grade (None: the stated grade is not
    checkable) and the prior-year link (None: no prior year). Derived: the 上年 cells filled from the prior year
    (``linked``: never checked as this department's own), the precision the report prevailingly prints each kind of
    figure with (``precision``), whether the data came from a workbook, and the 评分表 indexed by id and by parent.

    What the checks record: the findings in order; ``checked``, ``not_checkable`` and ``other`` as in
    :class:`~auditkit.reconcile.Reconciliation`; the stated rows with an error of their own (``flagged``) and those
    that passed a recomputation, with its face value (``consistent``), which the later checks of a quantity stated
    twice read.
    """

    dept: DepartmentYear
    framework: Framework | None = None
    prior: PriorYear | None = None
    linked: frozenset[tuple[str, str | None, str]] = field(init=False, repr=False)
    precision: dict[str, int] = field(init=False, repr=False)
    workbook: bool = field(init=False, repr=False)
    by_id: dict[str, Score] = field(init=False, repr=False)
    kids: dict[str, list[Score]] = field(init=False, repr=False)
    findings: list[Finding] = field(init=False, default_factory=list)
    checked: int = field(init=False, default=0)
    not_checkable: list[Figure] = field(init=False, default_factory=list)
    other: int = field(init=False, default=0)
    flagged: set[int] = field(init=False, default_factory=set)
    consistent: dict[int, Decimal] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        prior = self.prior
        self.linked = frozenset((f.table, f.key, f.column) for f in prior.filled) if prior is not None else frozenset()
        self.precision = _prevailing_precision(self.dept)
        self.workbook = self.dept.origin.lower().endswith((".xlsx", ".xlsm"))
        self.by_id = {s.id: s for s in self.dept.scores}
        self.kids = defaultdict(list)
        for s in self.dept.scores:
            if s.parent:
                self.kids[s.parent].append(s)

    def result(self) -> Reconciliation:
        """What the checks found, counted and could not check."""
        return Reconciliation(tuple(self.findings), self.checked, tuple(self.not_checkable), self.other)

    # -- judging --------------------------------------------------------------------------------------

    def judge(self, stated: Number, kind: str, formula: Formula, exact: bool = False) -> _Verdict | None:
        """Judge ``stated`` against ``formula`` at the report's precision; None when the inputs are missing."""
        return judging.judge(stated, kind, formula, self.precision, exact)

    def best(self, stated: Number, kind: str, alts: Sequence[_Alt], exact: bool = False) -> tuple[_Verdict, _Alt] | None:
        """The most favourable verdict over the ways the figure may be recomputed, and that way."""
        return judging.best(stated, kind, alts, self.precision, exact)

    def compare(self, a: Number, b: Number, kind: str) -> Severity | None:
        """Two printed figures of one quantity: error if they cannot be one value, warning if only read coarsely."""
        return judging.compare(a, b, kind, self.precision)

    def contradiction(self, stated: Number, kind: str, formula: Formula) -> tuple[Severity, _Verdict] | None:
        """Judge ``stated`` against ``formula``, counting it as checked when its inputs are there; the severity and
        the verdict only when it finds something (an error or a warning), else None."""
        verdict = self.judge(stated, kind, formula)
        if verdict is None:
            return None
        self.checked += 1
        return (verdict.severity, verdict) if verdict.severity is not None else None

    # -- recording ------------------------------------------------------------------------------------

    def record(self, severity: Severity, rule: Rule, message: str, figure: Figure, location: str,
               stated: Decimal | None = None, recomputed: Decimal | None = None) -> None:
        """Record a finding; a stated row with an error of its own is ``flagged`` (not compared again)."""
        self.findings.append(Finding(severity, rule, message, stated, recomputed, location, figure))
        if figure.table == "stated" and figure.index is not None and severity == ERROR:
            self.flagged.add(figure.index)

    def place(self, table: str, row: str, column: str | None, source: str | None) -> str:
        """Where a figure is: the department, the file (or sheet), the row and column, and its 来源."""
        return place(self.dept, table, row, column, source)

    def stated_place(self, s: StatedFigure) -> str:
        """Where a stated figure (列示数) is: its row of ``stated``, by claim and 对象, and its 来源."""
        row = s.claim + (f" · {s.subject}" if s.subject else "")
        return self.place("stated", row, None, s.source)
