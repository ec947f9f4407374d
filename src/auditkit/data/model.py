"""The department-year model: what one department's extracted data for one fiscal year holds.

Amounts are in 万元. Every numeric cell is a :class:`~auditkit.data.numbers.Number` (exact printed value and
precision) or ``None`` when the source does not report it: missing is never zero. Every row keeps its
``source``. Build instances with :func:`auditkit.load`, which validates; the classes themselves do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from auditkit.data.numbers import Number
from auditkit.exceptions import Problem

if TYPE_CHECKING:  # the schema imports the scoring frameworks, which import this model
    from auditkit.data.schema import EvaluationKind, KpiDirection, Level, RowKind, UnitKind

__all__ = [
    "Assets",
    "BudgetLine",
    "Department",
    "DepartmentYear",
    "Evaluation",
    "Funds",
    "Kpi",
    "KpiInput",
    "Note",
    "OrgUnit",
    "Procurement",
    "Projects",
    "Quarter",
    "Score",
    "Staffing",
    "StatedFigure",
    "TextItem",
]

KpiValue = Number | str | None


# --- department.yaml sections -------------------------------------------------------------------------


@dataclass(frozen=True)
class Department:
    """部门：identity of the department."""

    id: str
    name: str
    level: Level
    region: str
    fiscal_year: int
    budget_units: Number | None = None
    source: str | None = None
    #: 内设机构数 and 下属单位数 as the source states them, when ``units`` lists only some (an incomplete list:
    #: "…等16个股室" naming six); None when ``units`` lists them all.
    internal_units: Number | None = None
    subordinate_units: Number | None = None


@dataclass(frozen=True)
class Evaluation:
    """评价：who evaluated, for whom, with which indicator framework."""

    kind: EvaluationKind
    evaluator: str
    framework: str
    report_title: str
    commissioned_by: str | None = None
    report_date: str | None = None
    report_number: str | None = None
    preparer: str | None = None
    seed: str | None = None
    source: str | None = None

    @property
    def is_self_evaluation(self) -> bool:
        return self.kind == "自评"


@dataclass(frozen=True)
class Funds:
    """专项资金、存量资金、结转结余。"""

    special_allocated: Number | None = None
    special_spent: Number | None = None
    stock_current: Number | None = None
    stock_prior: Number | None = None
    carryover: Number | None = None
    secondary_allocation: Number | None = None
    source: str | None = None


@dataclass(frozen=True)
class Procurement:
    """政府采购。"""

    planned: Number | None = None
    actual: Number | None = None
    sme: Number | None = None
    small_micro: Number | None = None
    source: str | None = None


@dataclass(frozen=True)
class Assets:
    """资产。"""

    fixed_total: Number | None = None
    fixed_in_use: Number | None = None
    building_area: Number | None = None
    equipment_over_1m: Number | None = None
    source: str | None = None


@dataclass(frozen=True)
class Projects:
    """项目：数量、设置绩效目标数、自评数。"""

    count: Number | None = None
    with_goals: Number | None = None
    self_evaluated: Number | None = None
    source: str | None = None


# --- table rows -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetLine:
    """One line of a budget table (收入, 支出, 功能分类, 成本费用), in 万元.

    ``row_kind`` is 明细 (an additive part of ``parent``, or of 合计 when top-level), 其中 (a memo line,
    not additive) or 合计 (the grand total). Values printed on a line that has children are stated
    totals, to be checked against the children.
    """

    name: str
    parent: str | None = None
    row_kind: RowKind = "明细"
    code: str | None = None
    initial: Number | None = None
    reform_adjustment: Number | None = None
    direct_adjustment: Number | None = None
    net_initial: Number | None = None
    adjusted: Number | None = None
    final: Number | None = None
    prior_final: Number | None = None
    source: str | None = None

    @property
    def label(self) -> str:
        """The line as people cite it: ``208 社会保障和就业支出`` for a 功能分类 line, else its name."""
        return f"{self.code} {self.name}" if self.code else self.name


@dataclass(frozen=True)
class Quarter:
    """季度累计执行率 against the time benchmark (时间进度)."""

    quarter: int
    cumulative_rate: Number
    benchmark: Number | None = None
    source: str | None = None


@dataclass(frozen=True)
class Kpi:
    """绩效指标: target and actual, compared in ``direction`` (≥, ≤, =, 定性)."""

    group: str
    name: str
    direction: KpiDirection
    unit: str | None = None
    target: KpiValue = None
    actual: KpiValue = None
    prior_actual: KpiValue = None
    formula: str | None = None
    id: str | None = None
    source: str | None = None
    #: The formula as the report prints it (003 表8), verbatim; ``formula`` names the registry's one it computes by.
    formula_text: str | None = None


@dataclass(frozen=True)
class KpiInput:
    """One input of a formula KPI (e.g. 当期审结案件数 of 仲裁结案率)."""

    kpi: str
    variable: str
    value: Number
    source: str | None = None


@dataclass(frozen=True)
class Staffing:
    """编制数 and 实有数 of one category of staff (人) or of vehicles (台)."""

    category: str
    parent: str | None = None
    unit: str | None = None
    authorized: Number | None = None
    actual: Number | None = None
    source: str | None = None


@dataclass(frozen=True)
class OrgUnit:
    """An internal unit (内设机构) or a subordinate budget unit (下属单位)."""

    kind: UnitKind
    name: str
    independent: bool | None = None
    source: str | None = None


@dataclass(frozen=True)
class Score:
    """One indicator of the evaluator's 评分表: 分值, 得分 and the reason for any deduction."""

    id: str
    level: int
    name: str
    max: Number
    parent: str | None = None
    score: Number | None = None
    rate: Number | None = None
    reason: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class StatedFigure:
    """A derived figure the report states: evidence to be recomputed, never an input."""

    claim: str
    value: Number | str
    subject: str | None = None
    unit: str | None = None
    quote: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class TextItem:
    """The report's own words, verbatim (职能, 存在问题, 相关建议, …).

    A 主要绩效 section may name the KPI ``group`` (分组, as ``kpis.csv`` names it) whose completion table follows it in
    the report, that table's printed title (``table_title``, 表题: 003 表4 就业创业工作完成情况表) and its columns as
    printed (``table_columns``, 表列: 003 表4 指标、实际数、计划完成率、同比去年).
    """

    category: str
    content: str
    order: int | None = None
    title: str | None = None
    group: str | None = None
    table_title: str | None = None
    table_columns: str | None = None
    source: str | None = None

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        """The indicator 编号 a 存在问题 names in 分组 as the ones it concerns (003 五（二）「B.5、B.2.2」), in order;
        none for another category (there 分组 is a KPI group)."""
        if self.category != "存在问题" or not self.group:
            return ()
        return tuple(x for x in re.split(r"[、,，;；\s]+", self.group) if x)


@dataclass(frozen=True)
class Note:
    """A line of the data log: a reading of ambiguous source text, an inference, or a contradiction.

    A note that names a reconciliation ``finding`` (发现: its id, as the review memo lists it) is the evaluator's
    decision on it: which figure stands (``stands``, 采用), why (``reading`` and ``reason``), who decided
    (``decided_by``, 决定人) and when (``decided_on``, 日期). A finding so decided no longer holds the report as a draft.
    """

    subject: str
    reading: str
    reason: str | None = None
    finding: str | None = None
    stands: str | None = None
    decided_by: str | None = None
    decided_on: str | None = None

    @property
    def is_decision(self) -> bool:
        """Whether this note records a decision on a finding."""
        return self.finding is not None


# --- the department-year ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentYear:
    """Everything extracted for one department and one fiscal year."""

    department: Department
    evaluation: Evaluation
    funds: Funds = field(default_factory=Funds)
    procurement: Procurement = field(default_factory=Procurement)
    assets: Assets = field(default_factory=Assets)
    projects: Projects = field(default_factory=Projects)
    income: tuple[BudgetLine, ...] = ()
    expenditure: tuple[BudgetLine, ...] = ()
    functional: tuple[BudgetLine, ...] = ()
    costs: tuple[BudgetLine, ...] = ()
    quarterly: tuple[Quarter, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    kpi_inputs: tuple[KpiInput, ...] = ()
    staffing: tuple[Staffing, ...] = ()
    units: tuple[OrgUnit, ...] = ()
    scores: tuple[Score, ...] = ()
    stated: tuple[StatedFigure, ...] = ()
    texts: tuple[TextItem, ...] = ()
    notes: tuple[Note, ...] = ()
    origin: str = field(default="", compare=False)
    #: What validation found that does not stop the data from loading (OCR residue, a CSV read as GB18030), each a
    #: :class:`~auditkit.exceptions.Problem` with severity ``warning``; not part of the data (not compared).
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    #: The columns each table was read with, in their order, each with the unit its header names (``决算(元)``: 元;
    #: None for the default): written back the same way. A table absent here is written with every column.
    layout: dict[str, tuple[tuple[str, str | None], ...]] = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        return self.department.id

    @property
    def fiscal_year(self) -> int:
        return self.department.fiscal_year

    def total(self, table: str) -> BudgetLine | None:
        """The grand-total (合计) line of a budget table (income, expenditure, functional, costs), if it has one."""
        return next((line for line in getattr(self, table) if line.row_kind == "合计"), None)

    def line(self, table: str, name: str) -> BudgetLine | None:
        """The line of a budget table with this name (or, in functional, this 科目编码)."""
        return next((b for b in getattr(self, table) if name in (b.name, b.code)), None)

    def texts_of(self, category: str) -> list[TextItem]:
        """The text items of one category (e.g. 存在问题), in their printed order."""
        return [t for t in self.texts if t.category == category]

    def stated_of(self, claim: str, subject: str | None = None) -> list[StatedFigure]:
        """The stated figures making ``claim`` (about ``subject`` when given)."""
        return [s for s in self.stated if s.claim == claim and (subject is None or s.subject == subject)]

    def sections(self) -> Iterator[tuple[str, object]]:
        """The department.yaml sections, by name."""
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, tuple) and f.name not in ("origin", "warnings", "layout"):
                yield f.name, value
