"""The findings as the evaluator has dealt with them: open, or decided by a note, and what that means for the report.

The evaluator resolves a finding either by correcting the data (the finding then disappears) or by recording a
decision in ``notes.csv`` (:class:`~auditkit.data.model.Note` with 发现 = the finding's :func:`finding_id`). While
any error is open, the evaluation report is a draft (征求意见稿); a decided finding no longer holds it as one, and
the review memo lists it as resolved, with the decision. A decision naming no current finding is listed too: the
finding it decided has gone (the data changed) or its id was mistyped.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from auditkit.data.model import DepartmentYear, Note
from auditkit.reconcile.findings import ERROR, WARNING, Finding, Reconciliation

__all__ = ["Review", "finding_id", "review", "short_id"]


def finding_id(dept: DepartmentYear, finding: Finding) -> str:
    """The finding's id, as a decision names it: ``<rule>@<table>:<row>:<column>`` (``score_rate@scores:A.3:rate``);
    a stated figure is named by its claim and subject, and its rank among the stated figures making that claim about
    that subject (``restated@stated:expenditure.年初预算:日常公用经费#1``), so that ids survive rows added elsewhere."""
    f = finding.figure
    if f.table != "stated" or f.index is None:
        return f"{finding.rule}@{f.table}:{f.key}:{f.column}"
    same = [i for i, s in enumerate(dept.stated) if s.claim == f.column and s.subject == f.key]
    rank = same.index(f.index) + 1 if f.index in same else 1
    return f"{finding.rule}@stated:{f.column}:{f.key or ''}#{rank}"


def short_id(long_id: str) -> str:
    """A six-character id of a finding, stable as its long id is (a hash of it): what an evaluator types into
    notes.csv「发现」 in place of ``restated@stated:expenditure.年初预算:日常公用经费#1`` (review S5)."""
    return hashlib.sha1(long_id.encode("utf-8")).hexdigest()[:6]


@dataclass(frozen=True)
class Review:
    """One department-year's findings, each open or decided, and the decisions that name no current finding."""

    result: Reconciliation
    ids: tuple[str, ...]
    open: tuple[Finding, ...]
    decided: tuple[tuple[Finding, Note], ...]
    stale: tuple[Note, ...]

    @property
    def open_errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.open if f.severity == ERROR)

    @property
    def open_warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.open if f.severity == WARNING)

    @property
    def draft(self) -> bool:
        """Whether the report is a draft (征求意见稿): some error is neither corrected nor decided."""
        return bool(self.open_errors)

    def id_of(self, finding: Finding) -> str:
        return self.ids[self.result.findings.index(finding)]

    def short_of(self, finding: Finding) -> str:
        """The finding's six-character id (:func:`short_id`), accepted in notes.csv「发现」 as the long one is."""
        return short_id(self.id_of(finding))


def _distinct(ids: Iterable[str]) -> tuple[str, ...]:
    """Two findings of one rule on one figure (rare) are told apart by their rank: ``…~2``."""
    seen: Counter[str] = Counter()
    out = []
    for i in ids:
        seen[i] += 1
        out.append(i if seen[i] == 1 else f"{i}~{seen[i]}")
    return tuple(out)


def review(dept: DepartmentYear, result: Reconciliation) -> Review:
    """Sort the findings of ``result`` into open and decided, by the decisions in ``dept.notes``."""
    ids = _distinct(finding_id(dept, f) for f in result.findings)
    decisions = {n.finding: n for n in dept.notes if n.is_decision}
    names = {i: next((decisions[k] for k in (i, short_id(i)) if k in decisions), None) for i in ids}
    decided = tuple((f, n) for f, i in zip(result.findings, ids, strict=True) if (n := names[i]) is not None)
    still = tuple(f for f, i in zip(result.findings, ids, strict=True) if names[i] is None)
    known = set(ids) | {short_id(i) for i in ids}
    stale = tuple(n for key, n in decisions.items() if key not in known)
    return Review(result, ids, still, decided, stale)
