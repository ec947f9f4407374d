"""One fiscal year's departments, each loaded, scored, reconciled and reviewed, for the results summary.

:func:`load_year` finds every department-year of ``data/<year>/`` (a folder with ``department.yaml``, or a
``.xlsx`` workbook), links its prior year, and builds an :class:`~auditkit.analyses.summary.Evaluated` for it exactly
as the department's own reports do (the framework its data names, :func:`~auditkit.scoring.scorecard.score`,
:func:`~auditkit.reconcile.reconciliation` with the prior-year link, :func:`~auditkit.reconcile.review`). A department
that cannot be loaded fails alone: it is listed in :attr:`Year.failed` with its message, and the summary says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from auditkit.analyses.summary import Evaluated
from auditkit.data.loading import load
from auditkit.data.prior_year import link_prior_year
from auditkit.exceptions import AuditkitError, ScoringError
from auditkit.paths import DEPARTMENT_FILE, data_dir
from auditkit.reconcile.api import reconciliation
from auditkit.reconcile.review import review
from auditkit.scoring.comparison import prior_scorecard
from auditkit.scoring.framework import load_framework
from auditkit.scoring.scorecard import score

__all__ = ["Year", "department_paths", "evaluate", "load_year"]


@dataclass(frozen=True)
class Year:
    """The department-years of one fiscal year: those evaluated, and those that could not be (id, message)."""

    fiscal_year: int
    entries: tuple[Evaluated, ...]
    failed: tuple[tuple[str, str], ...] = ()


def department_paths(fiscal_year: int, root: Path | None = None) -> list[Path]:
    """Every department-year of ``data/<year>/``: its folders with ``department.yaml`` and its ``.xlsx`` workbooks,
    by id."""
    base = (root or data_dir()) / str(fiscal_year)
    folders = [p.parent for p in base.glob(f"*/{DEPARTMENT_FILE}")]
    workbooks = [p for p in base.glob("*.xlsx") if not p.name.startswith("~$")]
    return sorted([*folders, *workbooks], key=lambda p: p.stem)


def evaluate(path: Path, framework_ref: str | None = None) -> Evaluated:
    """One department-year as its reports see it, under ``framework_ref`` (its parameters' framework; default the one
    its data names); raises :class:`~auditkit.exceptions.AuditkitError` when its data or framework cannot be read (a
    department whose scores do not fit its framework is evaluated without a scorecard)."""
    linked = link_prior_year(load(path))
    dept = linked.dept
    framework = load_framework(framework_ref or dept.evaluation.framework)
    problem = None
    try:
        card = score(dept, framework)
    except ScoringError as exc:
        card, problem = None, f"评分表与指标体系不符（{len(exc.problems)} 处）"
    checked = review(dept, reconciliation(dept, framework, prior=linked))
    return Evaluated(dept, framework, card, checked, prior_scorecard(linked), problem)


def load_year(fiscal_year: int, departments: Sequence[str] | None = None, framework: str | None = None,
              root: Path | None = None) -> Year:
    """The departments of ``fiscal_year`` (only those named in ``departments``, by id, and only those scored under
    ``framework``, when given), each evaluated; those that cannot be are listed with why."""
    wanted = set(departments or ())
    entries: list[Evaluated] = []
    failed: list[tuple[str, str]] = []
    for path in department_paths(fiscal_year, root):
        if wanted and path.stem not in wanted:
            continue
        try:
            entry = evaluate(path)
        except AuditkitError as exc:
            failed.append((path.stem, str(exc).splitlines()[0]))
            continue
        if framework is None or entry.framework.id == framework:
            entries.append(entry)
    return Year(fiscal_year, tuple(entries), tuple(failed))
