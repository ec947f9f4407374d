"""上年数据关联: find a department's prior year by itself, fill this year's empty 上年 figures from it, and compare
the two years' scorecards where their indicator ids match.

The prior year of ``data/<year>/<dept_id>`` is ``data/<year−1>/<dept_id>/`` (or the workbook
``data/<year−1>/<dept_id>.xlsx``). Its own figures become this year's prior-year figures the way ``auditkit
new-year`` carries them (:func:`auditkit.data.newyear.carry_forward`): 决算 → 上年决算, KPI 实际值 → 上年实际值,
年末存量资金 → 上年末存量资金. Only *empty* figures are filled: a prior-year figure the department states in its own
data wins, and where it disagrees with the prior year's own figure at their printed precision the disagreement is
recorded (the reconciliation reports it as a warning, rule ``prior_year``). A prior year that cannot be read is
reported and ignored: it never stops this year's analyses.

Matching: budget lines of each table by 科目编码, else by 项目 + 上级 (a 合计 line by its row type, whatever its
name); KPIs by 编号, else by 分组 + 指标名称. A key two prior-year rows share is ambiguous and not linked.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from auditkit.data.loading import load
from auditkit.data.model import BudgetLine, DepartmentYear, Kpi, KpiValue
from auditkit.data.newyear import carry_forward
from auditkit.data.numbers import Number, agree
from auditkit.data.schema import TABLES, place
from auditkit.exceptions import AuditkitError, DataValidationError, PriorYearError
from auditkit.paths import data_dir, display

__all__ = [
    "PriorFigure",
    "PriorYear",
    "find_prior_year",
    "link",
    "link_prior_year",
    "load_prior_year",
    "prior_year_dir",
]

_BUDGET_TABLES = ("income", "expenditure", "functional", "costs")
_NO_PRIOR = "同比仅依据本部门数据所列上年数；无上年数的项目不计算同比。"
_Row = TypeVar("_Row", BudgetLine, Kpi)


@dataclass(frozen=True)
class PriorFigure:
    """One prior-year figure of this year: filled from the prior year (``stated`` None) or stated by the department
    and compared with the prior year's own figure.

    ``table``, ``key`` and ``column`` address the figure as :class:`auditkit.reconcile.Figure` does (``functional``,
    ``208``, ``prior_final``; ``kpis``, the KPI name, ``prior_actual``; ``funds``, None, ``stock_prior``); ``row`` and
    ``header`` name it as a location does; ``label`` as a sentence cites it. ``linked`` is the prior year's figure and
    ``linked_source`` where it is (file, row, column and its 来源); ``stated_source`` is the 来源 of this year's row.
    """

    table: str
    key: str | None
    column: str
    row: str
    header: str
    label: str
    unit: str | None
    linked: Number | str
    linked_source: str
    stated: Number | str | None = None
    stated_source: str | None = None


@dataclass(frozen=True)
class PriorYear:
    """上年数据关联: what was looked for, what was found, and this year's data with its prior-year figures filled.

    ``path`` is where the prior year was looked for (the folder, or the workbook found); ``prior`` the prior year
    (None when none was found or it could not be used, ``problem`` then says why); ``dept`` this year with every
    empty prior-year figure filled from ``prior`` (this year as loaded when there is none); ``filled`` the figures
    filled, each with its source; ``disagreements`` the figures the department states that differ from the prior
    year's own (the department's figure is kept); ``compared`` how many stated figures were compared.
    """

    path: Path
    prior: DepartmentYear | None
    dept: DepartmentYear
    filled: tuple[PriorFigure, ...] = ()
    disagreements: tuple[PriorFigure, ...] = ()
    compared: int = 0
    problem: str | None = None

    @property
    def found(self) -> bool:
        """Whether a usable prior year was linked."""
        return self.prior is not None

    @property
    def sentence(self) -> str:
        """The report's sentence on the prior year: linked (and what was filled), not found, or not usable and why."""
        where = display(self.path)
        if self.problem is not None:
            return f"上年数据 {where} 无法使用，未予关联（{self.problem}）：{_NO_PRIOR}"
        if self.prior is None:
            return f"未找到上年数据 {where}：{_NO_PRIOR}"
        counts = Counter(f.header for f in self.filled)
        filled = "、".join(f"{header} {n} 项" for header, n in counts.items())
        text = f"上年数据：已自动关联 {where}（{self.prior.fiscal_year} 年度），"
        text += f"补入{filled}" if filled else "本部门数据已列示全部可对应的上年数，未补入"
        if self.disagreements:
            text += (f"；本部门数据所列上年数 {self.compared} 项中 {len(self.disagreements)} 项与上年数据不一致，"
                     "以本部门所列为准（见勾稽校验警告）")
        elif self.compared:
            text += f"；本部门数据所列上年数 {self.compared} 项与上年数据一致"
        return text + "。"


# --- finding the prior year ------------------------------------------------------------------------------


def prior_year_dir(dept_id: str, fiscal_year: int) -> Path:
    """``data/<year−1>/<dept_id>``: where the prior year of a department-year is looked for."""
    return data_dir() / str(fiscal_year - 1) / dept_id


def find_prior_year(dept_id: str, fiscal_year: int) -> Path | None:
    """The prior year's data: the folder ``data/<year−1>/<dept_id>/``, else the workbook
    ``data/<year−1>/<dept_id>.xlsx``; None when neither exists."""
    folder = prior_year_dir(dept_id, fiscal_year)
    workbook = folder.parent / f"{dept_id}.xlsx"
    if folder.is_dir():
        return folder
    return workbook if workbook.is_file() else None


def _check_identity(current: DepartmentYear, prior: DepartmentYear, path: str | Path) -> None:
    if prior.id != current.id:
        raise PriorYearError(path, f"部门编号为 {prior.id}，不是 {current.id}")
    if prior.fiscal_year != current.fiscal_year - 1:
        raise PriorYearError(path, f"评价年度为 {prior.fiscal_year}，不是 {current.fiscal_year} 的上一年度")


def load_prior_year(current: DepartmentYear) -> DepartmentYear | None:
    """The prior year of ``current``, loaded and validated; None when there is none.

    Raises :class:`PriorYearError` when the prior year found cannot be used: its data has problems (the first is
    named), it is neither form, or it is another department's or another year's.
    """
    path = find_prior_year(current.id, current.fiscal_year)
    if path is None:
        return None
    try:
        prior = load(path)
    except DataValidationError as exc:
        raise PriorYearError(path, f"{len(exc.problems)} 处数据问题，如 {exc.problems[0]}；"
                                   f"请运行 auditkit validate {display(path)}") from exc
    except (AuditkitError, OSError) as exc:
        raise PriorYearError(path, str(exc)) from exc
    _check_identity(current, prior, path)
    return prior


def link_prior_year(current: DepartmentYear) -> PriorYear:
    """Find ``current``'s prior year and :func:`link` it. Never raises for the prior year: one that is missing or
    cannot be used gives a result without it, whose :attr:`PriorYear.sentence` says so and why."""
    found = find_prior_year(current.id, current.fiscal_year)
    path = found or prior_year_dir(current.id, current.fiscal_year)
    try:
        prior = load_prior_year(current)
    except PriorYearError as exc:
        return PriorYear(path, None, current, problem=exc.reason)
    if prior is None:
        return PriorYear(path, None, current)
    return link(current, prior, path)


# --- linking ---------------------------------------------------------------------------------------------


def _same(stated: Number | str, linked: Number | str) -> bool:
    """Whether two prior-year figures can be one quantity: numbers at their printed precision, text as written."""
    if isinstance(stated, Number) and isinstance(linked, Number):
        return stated.comparator == linked.comparator and agree(stated, linked)
    return str(stated).strip() == str(linked).strip()


def _line_key(line: BudgetLine) -> tuple[str, ...]:
    if line.row_kind == "合计":
        return ("合计",)
    if line.code:
        return ("code", line.code)
    return ("name", line.name, line.parent or "")


def _kpi_keys(kpi: Kpi) -> list[tuple[str, ...]]:
    keys = [("id", kpi.id)] if kpi.id else []
    return [*keys, ("name", kpi.group, kpi.name)]


def _index(
    pairs: Sequence[tuple[_Row, _Row]], keys: Callable[[_Row], list[tuple[str, ...]]]
) -> dict[tuple[str, ...], tuple[_Row, _Row]]:
    """(carried, own) pairs of the prior year by each of their keys; a key two rows share is ambiguous and left out."""
    counts = Counter(k for _, own in pairs for k in keys(own))
    return {k: (carried, own) for carried, own in pairs for k in keys(own) if counts[k] == 1}


class _Linker:
    """One linking pass: this year, the prior year and what ``carry_forward`` makes of it, what was filled, compared."""

    def __init__(self, current: DepartmentYear, prior: DepartmentYear) -> None:
        self.current = current
        self.prior = prior
        self.carried = carry_forward(prior, current.fiscal_year)
        self.filled: list[PriorFigure] = []
        self.disagreements: list[PriorFigure] = []
        self.compared = 0

    def fill(self, stated: KpiValue, figure: PriorFigure) -> bool:
        """Record one prior-year figure the prior year gives; True when this year's is empty and takes it."""
        if stated is None:
            self.filled.append(figure)
            return True
        self.compared += 1
        if not _same(stated, figure.linked):
            self.disagreements.append(dataclasses.replace(figure, stated=stated))
        return False

    def lines(self, table: str) -> tuple[BudgetLine, ...]:
        sheet = TABLES[table].sheet
        by_key = _index(list(zip(getattr(self.carried, table), getattr(self.prior, table), strict=True)),
                        lambda b: [_line_key(b)])
        out = []
        for line in getattr(self.current, table):
            carried, own = by_key.get(_line_key(line), (None, None))
            linked = carried.prior_final if carried is not None else None
            if own is None or linked is None:
                out.append(line)
                continue
            figure = PriorFigure(
                table, line.code or line.name, "prior_final", line.label, "上年决算", f"{sheet}「{line.label}」上年决算",
                "万元", linked, place(self.prior, table, own.label, "决算", own.source), stated_source=line.source,
            )
            out.append(dataclasses.replace(line, prior_final=linked) if self.fill(line.prior_final, figure) else line)
        return tuple(out)

    def kpis(self) -> tuple[Kpi, ...]:
        by_key = _index(list(zip(self.carried.kpis, self.prior.kpis, strict=True)), _kpi_keys)
        out = []
        for kpi in self.current.kpis:
            carried, own = next((by_key[k] for k in _kpi_keys(kpi) if k in by_key), (None, None))
            linked = carried.prior_actual if carried is not None else None
            if own is None or linked is None:
                out.append(kpi)
                continue
            figure = PriorFigure(
                "kpis", kpi.name, "prior_actual", kpi.name, "上年实际值", f"绩效指标「{kpi.name}」上年实际值", kpi.unit,
                linked, place(self.prior, "kpis", own.name, "实际值", own.source), stated_source=kpi.source,
            )
            out.append(dataclasses.replace(kpi, prior_actual=linked) if self.fill(kpi.prior_actual, figure) else kpi)
        return tuple(out)

    def run(self) -> DepartmentYear:
        tables = {table: self.lines(table) for table in _BUDGET_TABLES}
        kpis = self.kpis()
        funds = self.current.funds
        linked = self.carried.funds.stock_prior
        if linked is not None:
            figure = PriorFigure(
                "funds", None, "stock_prior", "funds.stock_prior", "上年末存量资金", "上年末存量资金", "万元", linked,
                place(self.prior, "funds", "funds.stock_current", "年末存量资金", self.prior.funds.source),
                stated_source=funds.source,
            )
            if self.fill(funds.stock_prior, figure):
                funds = dataclasses.replace(funds, stock_prior=linked)
        return dataclasses.replace(self.current, funds=funds, kpis=kpis, **tables)  # type: ignore[arg-type]


def link(current: DepartmentYear, prior: DepartmentYear, path: str | Path | None = None) -> PriorYear:
    """This year with every empty prior-year figure filled from ``prior``'s own figures (``path``: where ``prior`` is).

    上年决算 ← the matching line's 决算 in each budget table; 上年实际值 ← the matching KPI's 实际值 (a number, or the
    text of a 定性 KPI); 上年末存量资金 ← 年末存量资金. A figure this year states is kept; where it cannot be the
    prior year's figure at their printed precision (``reconcile``'s rounding rule), it is a disagreement.
    Raises :class:`PriorYearError` when ``prior`` is another department's or not the preceding year.
    """
    where = Path(path) if path is not None else Path(prior.origin or prior.id)
    _check_identity(current, prior, where)
    linker = _Linker(current, prior)
    dept = linker.run()
    return PriorYear(where, prior, dept, tuple(linker.filled), tuple(linker.disagreements), linker.compared)
