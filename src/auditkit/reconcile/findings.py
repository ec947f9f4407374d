"""The finding model: the severities, the rules a finding may name, the printed figure it concerns (:class:`Figure`),
the finding itself (:class:`Finding`) and all findings of one department-year (:class:`Reconciliation`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

__all__ = ["ERROR", "RULES", "WARNING", "Figure", "Finding", "Reconciliation", "Rule", "Severity"]

#: How bad a finding is: an error (impossible even allowing for rounding) or a warning (holds only read coarsely
#: or under another rounding convention).
Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"

#: The rule a finding names (the keys of :data:`RULES`).
Rule = Literal[
    "cross_footing", "cross_table", "budget_chain", "recompute", "restated", "parts_change", "range", "kpi_formula",
    "kpi_overall", "score_sum", "score_max_sum", "score_rate", "score_max", "score_total", "score_grade", "prior_year",
]

#: Every rule a finding may name, with what it checks.
RULES: dict[Rule, str] = {
    "cross_footing": "合计（小计）等于其明细行之和",
    "cross_table": "同一合计在两张表中相同（功能分类合计 = 支出合计）",
    "budget_chain": "剔除后预算 = 年初预算 − 涉改调整 − 财政直接调整",
    "recompute": "列示的比率、差额、增减、占比、完成率、人均数按其输入重算",
    "restated": "同一数量两处列示的数值相同",
    "parts_change": "各部分的增减额之和等于总额的增减额",
    "range": "比率只能取其可能的值（控制率、执行率不小于 0，占比不大于 100%）",
    "kpi_formula": "公式类指标的实际值按公式输入重算",
    "kpi_overall": "列示的绩效目标完成率与各指标的完成情况相符",
    "score_sum": "下级得分之和等于上级得分",
    "score_max_sum": "下级分值之和等于上级分值",
    "score_rate": "得分率 = 得分 ÷ 分值",
    "score_max": "得分不超过分值",
    "score_total": "总分等于各一级指标得分之和",
    "score_grade": "绩效等级与总分相符",
    "prior_year": "本部门数据所列上年数与上年数据一致（不一致时采用本部门所列数）",
}


@dataclass(frozen=True)
class Figure:
    """The printed figure a finding concerns, addressed so that a notebook can find and mark it.

    ``table`` is a model table (``expenditure``, ``functional``, ``scores``, ``kpis``, ``stated``, …); ``key`` the
    row: a line's 科目编码 (or its name when it has none), an indicator id, a KPI name, or for a stated figure its
    对象 (None when it has none); ``column`` the model attribute (``final``, ``score``, ``rate``, ``actual``…), or
    for a stated figure its claim; ``index`` the stated figure's position in ``DepartmentYear.stated`` (two rows
    may make the same claim about the same subject).
    """

    table: str
    key: str | None
    column: str
    index: int | None = None

    def __str__(self) -> str:
        if self.table == "stated":
            return f"stated[{self.index}] {self.column} {self.key or ''}".rstrip()
        return f"{self.table}:{self.key}:{self.column}"

    def as_dict(self) -> dict[str, Any]:
        return {"table": self.table, "key": self.key, "column": self.column, "index": self.index}


@dataclass(frozen=True)
class Finding:
    """One stated figure that does not hold: how bad, by which rule, why (in Chinese), and where.

    ``stated`` is the figure as printed (a percentage in percent: 75 for 75%), ``recomputed`` what its inputs give
    when taken as printed; either is None where there is no number (a grade, a figure without inputs).
    """

    severity: Severity
    rule: Rule
    message: str
    stated: Decimal | None
    recomputed: Decimal | None
    location: str
    figure: Figure

    @property
    def key(self) -> str:
        """The figure as a stable string key, e.g. ``functional:合计:final`` or ``stated[12] yoy.change_rate 会议费``."""
        return str(self.figure)

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready values (numbers as JSON numbers)."""
        return {
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
            "stated": _json_number(self.stated),
            "recomputed": _json_number(self.recomputed),
            "location": self.location,
            "figure": self.figure.as_dict(),
        }


@dataclass(frozen=True)
class Reconciliation:
    """All findings of one department-year, with what could and could not be checked.

    ``checked`` counts stated figures and printed totals that were recomputed or compared; ``not_checkable`` lists
    the stated figures whose inputs the data does not give (e.g. 003's 同比 without prior-year actuals); ``other``
    counts stated figures of claim ``other``, free-form and not recomputed.
    """

    findings: tuple[Finding, ...]
    checked: int
    not_checkable: tuple[Figure, ...]
    other: int

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def summary(self) -> str:
        """One line in Chinese: how many errors and warnings, what was checked and what could not be."""
        return (
            f"{len(self.errors)} 处错误，{len(self.warnings)} 处警告；复核 {self.checked} 项列示数与合计，"
            f"{len(self.not_checkable)} 项缺少计算所需数据、无法复核，{self.other} 项「其他」列示数不复核"
        )


def _json_number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() and abs(value) < 10**15 else float(value)
