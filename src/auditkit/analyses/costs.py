"""成本结构分析: composition of expenditure, 三公经费, 公用经费 / 会议费 / 培训费, per-capita and per-unit costs, and
the findings (政府采购 is :mod:`auditkit.analyses.procurement`).

Amounts come from ``expenditure.csv``, ``functional.csv`` and ``costs.csv`` (the fixed line names of
docs/data_format.md), staffing from ``staffing.csv``, floor area from ``department.yaml``. Every
figure is computed through :mod:`auditkit.analyses.metrics`; the per-unit figures the report itself states (``stated.csv``
claim ``cost.per_unit``) are listed next to the computed ones, labelled as stated, never used as inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pandas as pd

from auditkit.analyses import metrics
from auditkit.analyses.budget import ITEM, line_label, line_table
from auditkit.analyses.frames import frame
from auditkit.data.model import BudgetLine, DepartmentYear, Staffing
from auditkit.data.numbers import Number, pct, value, wan

__all__ = [
    "COUNT_UNITS",
    "THREE_PUBLIC",
    "cost_findings",
    "expenditure_composition",
    "headcount",
    "operating_costs",
    "three_public_costs",
    "three_public_lines",
    "unit_costs",
]

#: The 三公经费 line of ``costs.csv``; its descendants are the items (因公出国（境）费, 公务用车…, 公务接待费).
THREE_PUBLIC = "三公经费"
#: Units of a count the report states next to a cost (公务接待 287 人次), usable as a per-unit denominator.
COUNT_UNITS = ("人次", "批次", "次", "人", "辆", "台")
_WAN = Decimal(10000)
_ROW_COLUMNS = ("指标", "数值", "单位", "公式/口径", "来源")
COMPOSITION_COLUMNS = ("构成", ITEM, "决算", "占比", "占比口径", "上年决算", "上年占比", "同比增减额", "同比增减率")


def _descendants(lines: Sequence[BudgetLine], root: str) -> list[BudgetLine]:
    """``root`` and every line under it, in the table's order (a child may precede its parent)."""
    names, changed = {root}, True
    while changed:
        changed = False
        for b in lines:
            if b.parent in names and b.name not in names:
                names.add(b.name)
                changed = True
    return [b for b in lines if b.name in names]


def three_public_lines(dept: DepartmentYear) -> list[BudgetLine]:
    """The 三公经费 line of ``costs.csv`` and its items, in the table's order."""
    return _descendants(dept.costs, THREE_PUBLIC)


# --- composition ---------------------------------------------------------------------------------------------


def _composition_rows(
    kind: str, lines: Sequence[BudgetLine], whole: BudgetLine | None, basis: str
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for b in lines:
        final, prior = value(b.final), value(b.prior_final)
        if final is None and prior is None:
            continue
        if final is not None and final == 0 and not prior:
            continue
        whole_final = value(whole.final) if whole else None
        whole_prior = value(whole.prior_final) if whole else None
        rows.append({
            "构成": kind, ITEM: line_label(b), "决算": final,
            "占比": metrics.share(final, whole_final), "占比口径": basis,
            "上年决算": prior, "上年占比": metrics.share(prior, whole_prior),
            "同比增减额": metrics.change_amount(final, prior), "同比增减率": metrics.change_rate(final, prior),
        })
    return rows


def expenditure_composition(dept: DepartmentYear) -> pd.DataFrame:
    """支出构成: 决算 by 支出类型 (基本支出 / 项目支出 …), by 经济分类 within each (人员经费 / 公用经费) and by
    功能分类, each with its share and, where the prior year is given, the prior share and the change.

    Shares: a top-level line or a 功能分类 科目 ÷ the table's 合计 决算; a line within another ÷ that line's 决算
    (the 占比口径 column says which). Lines with no 决算 and no prior-year figure, or a zero 决算, are left out.
    """
    rows: list[dict[str, object]] = []
    expenditure = [b for b in dept.expenditure if b.row_kind == "明细"]
    total = dept.total("expenditure")
    by_name = {b.name: b for b in dept.expenditure}
    top = [b for b in expenditure if b.parent is None]
    rows += _composition_rows("按支出类型", top, total, "占支出合计")
    for parent in top:
        children = [b for b in expenditure if b.parent == parent.name]
        rows += _composition_rows(f"按经济分类（{parent.name}）", children, by_name.get(parent.name), f"占{parent.name}")
    functional = [b for b in dept.functional if b.row_kind == "明细" and b.parent is None]
    rows += _composition_rows("按功能分类", functional, dept.total("functional"), "占功能分类合计")
    return frame(rows, COMPOSITION_COLUMNS, required=COMPOSITION_COLUMNS[:5])


# --- 三公经费, 公用经费, 会议费, 培训费 ---------------------------------------------------------------------------


def three_public_costs(dept: DepartmentYear) -> pd.DataFrame:
    """“三公”经费 by item: 年初预算 / 调整预算, 决算, 上年决算, 控制率 (决算 ÷ that budget) and 同比.

    000 二（三）7.(1): 公务用车运行维护费 1.63, 公务接待费 0.12, 三公经费 1.75 of 5.14 budgeted → 控制率 34.05%.
    """
    return line_table(three_public_lines(dept), rate="控制率", rate_metric=metrics.control_rate)


def operating_costs(dept: DepartmentYear) -> pd.DataFrame:
    """公用经费, 会议费, 培训费 and any other cost line outside 三公经费: budget, 决算, 控制率 and 同比.

    004 三（三）1.(1): 公用经费 70.23 of 94.50 → 控制率 74.32%.
    """
    three = {b.name for b in three_public_lines(dept)}
    return line_table([b for b in dept.costs if b.name not in three], rate="控制率", rate_metric=metrics.control_rate,
                      net_rate=True)


# --- per capita and per unit ---------------------------------------------------------------------------------


def _is_person(s: Staffing) -> bool:
    return s.unit != "台"


def headcount(dept: DepartmentYear) -> Decimal | None:
    """实有在职人数: the 合计 row of ``staffing.csv`` when it gives 实有数, else the sum over the top-level staff
    categories (a category without 实有数 counts its sub-categories), leaving out vehicles (台) and retirees (退休).
    None when any needed 实有数 is missing (003: 47 + 10 + 5 = 62; 004: 合计 80).
    """
    people = [s for s in dept.staffing if _is_person(s)]
    total = next((s for s in people if s.category == "合计" and s.parent is None), None)
    if total is not None and total.actual is not None:
        return total.actual.value

    def count(s: Staffing) -> Decimal | None:
        if s.actual is not None:
            return s.actual.value
        parts = [count(c) for c in people if c.parent == s.category]
        if not parts or any(p is None for p in parts):
            return None
        return sum((p for p in parts if p is not None), Decimal(0))

    top = [s for s in people if s.parent is None and s.category != "合计" and "退休" not in s.category]
    counts = [count(s) for s in top]
    if not counts or any(c is None for c in counts):
        return None
    return sum((c for c in counts if c is not None), Decimal(0))


def _vehicles(dept: DepartmentYear) -> Decimal | None:
    cars = next((s for s in dept.staffing if s.unit == "台" and "车" in s.category), None)
    return value(cars.actual) if cars else None


def _final(line: BudgetLine | None) -> Decimal | None:
    return value(line.final) if line is not None else None


def _stated_count(dept: DepartmentYear, subjects: tuple[str, ...], unit: str) -> tuple[Decimal, str] | None:
    for s in dept.stated:
        if s.claim == "other" and s.subject in subjects and s.unit == unit and isinstance(s.value, Number):
            return s.value.value, s.source or "报告文字"
    return None


def unit_costs(dept: DepartmentYear) -> pd.DataFrame:
    """人均与单位成本 (指标, 数值, 单位, 公式/口径, 来源): computed where staffing, floor area or counts allow, then
    the per-unit figures the report states (``cost.per_unit``), labelled 报告列示.

    Per capita (万元/人) over :func:`headcount`: 基本支出, 人员经费, 公用经费, 三公经费 (not 支出 as a whole: 项目支出
    carries pass-through funds, 003's 17,703.56 万元 财政直接调整 and 004's 被征地农民养老保险, so a per-head figure of it
    means nothing); 公用经费 per m² of
    floor area (元/平方米); 公务用车运行维护费 per vehicle (万元/辆); 公务接待费 per 人次 received (元/人次; 004:
    2.75 万元 ÷ 287 人次 = 95.82 元, the count read from the report's text as no table holds it).
    """
    rows: list[dict[str, object]] = []
    staff = headcount(dept)
    public = dept.line("costs", "公用经费") or dept.line("expenditure", "日常公用经费") or dept.line("expenditure", "公用经费")
    three = dept.line("costs", THREE_PUBLIC)
    if staff is not None:
        rows.append({"指标": "实有在职人数", "数值": staff, "单位": "人", "公式/口径": "人员编制表实有数（不含退休人员）", "来源": "计算"})
        per_capita = (  # no 人均支出 of the whole: 项目支出 holds pass-through funds (003: 17,703.56 万元 直接调整)
            ("人均基本支出", dept.line("expenditure", "基本支出"), "基本支出决算"),
            ("人均人员经费", dept.line("expenditure", "人员经费"), "人员经费决算"),
            ("人均公用经费", public, f"{public.name}决算" if public else "公用经费决算"),
            ("人均三公经费", three, "三公经费决算"),
        )
        for name, line, what in per_capita:
            amount = _final(line)
            if amount is not None:
                rows.append({"指标": name, "数值": metrics.per_unit(amount, staff), "单位": "万元/人",
                             "公式/口径": f"{what} {wan(amount)} ÷ 实有在职人数 {staff}", "来源": "计算"})
    area = value(dept.assets.building_area)
    if area is not None and _final(public) is not None and public is not None:
        amount = _final(public)
        rows.append({"指标": "单位面积公用经费", "数值": metrics.per_unit(amount * _WAN if amount is not None else None, area),
                     "单位": "元/平方米", "公式/口径": f"{public.name}决算 {wan(amount)} 万元 ÷ 房屋面积 {wan(area)} 平方米",
                     "来源": "计算"})
    car_cost = _final(dept.line("costs", "公务用车运行维护费"))
    cars = _vehicles(dept)
    if car_cost is not None and cars is not None:
        rows.append({"指标": "车均运行维护费", "数值": metrics.per_unit(car_cost, cars), "单位": "万元/辆",
                     "公式/口径": f"公务用车运行维护费决算 {wan(car_cost)} ÷ 实有公务用车 {cars} 辆", "来源": "计算"})
    reception = _final(dept.line("costs", "公务接待费"))
    visits = _stated_count(dept, ("公务接待", "公务接待费"), "人次")
    if reception is not None and visits is not None:
        count, source = visits
        rows.append({"指标": "公务接待人均费用", "数值": metrics.per_unit(reception * _WAN, count), "单位": "元/人次",
                     "公式/口径": f"公务接待费决算 {wan(reception)} 万元 ÷ 接待 {count} 人次（人次取自报告文字 {source}）",
                     "来源": "计算"})
    for s in dept.stated_of("cost.per_unit"):
        rows.append({"指标": s.subject or "单位成本", "数值": s.value.value if isinstance(s.value, Number) else None,
                     "单位": s.unit, "公式/口径": s.quote, "来源": f"报告列示（{s.source or '报告'}）"})
    return frame(rows, _ROW_COLUMNS, required=_ROW_COLUMNS, numeric=("数值",))


# --- findings ----------------------------------------------------------------------------------------------------


def _budget_of(line: BudgetLine) -> tuple[str, Decimal | None]:
    if line.adjusted is not None:
        return "调整预算", value(line.adjusted)
    if line.net_initial is not None:
        return "剔除后预算", value(line.net_initial)
    return "年初预算", value(line.initial)


def cost_findings(dept: DepartmentYear) -> list[str]:
    """Short Chinese findings: a cost over its budget (控制率 above 100%), 三公经费 or an item of it growing on the
    prior year (domain-notes: 三公经费变动率 ≤ 0 expected), 会议费 / 培训费 / 公用经费 growing."""
    out: list[str] = []
    for b in dept.costs:
        label, budget = _budget_of(b)
        rate = metrics.control_rate(value(b.final), budget)
        if rate is not None and rate > 100:
            out.append(f"{b.name}决算 {wan(b.final)} 万元超过{label} {wan(budget)} 万元（控制率 {pct(rate)}）。")
    grown = [f"{b.name} {pct(r)}" for b in dept.costs
             for r in [metrics.change_rate(value(b.final), value(b.prior_final))] if r is not None and r > 0]
    if grown:
        out.append(f"较上年增长的费用：{'、'.join(grown)}。")
    return out
