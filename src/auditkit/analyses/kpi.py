"""绩效目标完成情况: each KPI's 计划完成率 and 状态 by its direction, formula KPIs from their inputs, 同比, a
summary by group and the findings.

Directions (``kpis.csv`` 方向): ``≥`` at least the target, ``≤`` at most (城镇登记失业率 ≤ 3.5%: met is 100%, never
more), ``=`` exactly, ``定性`` qualitative (完成 / 举办: met or not, no rate). A KPI without a target or an actual is
无法衡量, with the reason; it is never counted as met or as zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from auditkit.analyses import metrics
from auditkit.analyses.frames import frame
from auditkit.data.model import DepartmentYear, Kpi, KpiValue
from auditkit.data.numbers import Number, format_number, pct

__all__ = [
    "MET",
    "MISSED",
    "OVERACHIEVEMENT_THRESHOLD",
    "UNIT_MISMATCH_THRESHOLD",
    "UNMEASURABLE",
    "Attainment",
    "assess",
    "assessments",
    "formula_value",
    "kpi_attainment",
    "kpi_findings",
    "kpi_summary",
]

MET, MISSED, UNMEASURABLE = "达成", "未达成", "无法衡量"
#: A 计划完成率 above this (in %) suggests a target set too low (domain-notes: over-achievement beyond +30%).
OVERACHIEVEMENT_THRESHOLD = Decimal(130)
#: A 计划完成率 above this (in %, ten times the target) is read as a 口径 mismatch, not an attainment: the actual and the
#: target measure different things (004 党员志愿者服务时长: 1,326 hours in all against ≥20 hours per member, 6,630%).
UNIT_MISMATCH_THRESHOLD = Decimal(1000)

ATTAINMENT_COLUMNS = ("分组", "指标名称", "单位", "方向", "目标值", "实际值", "计划完成率", "状态",
                      "上年实际值", "同比", "公式计算值（%）", "说明")
SUMMARY_COLUMNS = ("分组", "指标数", MET, MISSED, UNMEASURABLE, "达成率（达成÷可衡量）", "最低完成率", "最弱指标")

#: An actual opening with these says the opposite of its target ("未完成" against "完成").
_NEGATIONS = ("未", "没", "不", "否")
_AFFIRMATIONS = ("完成", "已完成", "达成", "达到", "举办", "已举办", "实现", "是")


@dataclass(frozen=True)
class Attainment:
    """One KPI assessed: 计划完成率 (None for 定性 or when unmeasurable), 状态, 同比, 公式计算值 and why unmeasurable."""

    kpi: Kpi
    completion: Decimal | None
    state: str
    yoy: Decimal | None
    formula: Decimal | None
    reason: str | None = None


def _number(value: KpiValue) -> Decimal | None:
    return value.value if isinstance(value, Number) else None


def _text(value: KpiValue) -> str | None:
    if value is None:
        return None
    return format_number(value, thousands=True) if isinstance(value, Number) else value


def _bare(target: KpiValue, direction: str) -> str | None:
    """The target without the comparator the 方向 column already shows (方向 ≥, 目标值 15, never ≥15 twice)."""
    if isinstance(target, Number) and target.comparator == direction:
        return format_number(Number(target.value, target.decimals, target.percent), thousands=True)
    return _text(target)


def formula_value(dept: DepartmentYear, kpi: Kpi) -> Decimal | None:
    """The KPI recomputed from its inputs (``kpi_inputs.csv``) by its formula; None when any input is missing.

    004 三（三）3.(4): 仲裁结案率 145 ÷ (3 + 143) = 99.32%, 调解成功率 (324 + 56) ÷ (324 + 145) = 81.02%.
    """
    formula = metrics.KPI_FORMULAS.get(kpi.formula or "")
    if formula is None:
        return None
    return formula({i.variable: i.value.value for i in dept.kpi_inputs if i.kpi == kpi.name})


def _qualitative(target: str, actual: str) -> bool | None:
    t, a = target.strip(), actual.strip()
    if a == t:
        return True
    if a.startswith(_NEGATIONS):
        return False
    if t in a or a in _AFFIRMATIONS:
        return True
    return None


def assess(dept: DepartmentYear, kpi: Kpi) -> Attainment:
    """计划完成率 and 状态 of one KPI (see :func:`auditkit.analyses.metrics.completion_rate` for the rate by direction)."""
    computed = formula_value(dept, kpi)
    if kpi.direction == "定性":
        target, actual = _text(kpi.target), _text(kpi.actual)
        if target is None or actual is None:
            missing = "目标值" if target is None else "实际值"
            return Attainment(kpi, None, UNMEASURABLE, None, computed, f"未列示{missing}")
        met = _qualitative(target, actual)
        if met is None:
            return Attainment(kpi, None, UNMEASURABLE, None, computed, f"实际「{actual}」无法与目标「{target}」对照")
        return Attainment(kpi, None, MET if met else MISSED, None, computed)
    target_value, actual_value = _number(kpi.target), _number(kpi.actual)
    note = None
    if actual_value is None and kpi.actual is None and computed is not None:
        actual_value, note = computed, "实际值取公式计算值"
    yoy = metrics.change_rate(actual_value, _number(kpi.prior_actual))
    if target_value is None or actual_value is None:
        what = [w for w, v in (("目标值", target_value), ("实际值", actual_value)) if v is None]
        printed = [w for w, raw in (("目标值", kpi.target), ("实际值", kpi.actual)) if isinstance(raw, str)]
        reason = f"{'、'.join(printed)}不是数值" if printed else f"未列示{'、'.join(what)}"
        return Attainment(kpi, None, UNMEASURABLE, yoy, computed, reason)
    completion: Decimal | None = metrics.completion_rate(actual_value, target_value, kpi.direction)
    if completion is not None and completion > UNIT_MISMATCH_THRESHOLD:
        return Attainment(kpi, None, UNMEASURABLE, yoy, computed,
                          f"实际值为目标值的 {pct(completion)}，疑为口径不一致（如总量对人均目标），不作达成判断")
    reached = {"≥": actual_value >= target_value, "≤": actual_value <= target_value, "=": actual_value == target_value}
    return Attainment(kpi, completion, MET if reached[kpi.direction] else MISSED, yoy, computed, note)


def assessments(dept: DepartmentYear) -> list[Attainment]:
    """Every KPI of the department assessed, in the report's order."""
    return [assess(dept, k) for k in dept.kpis]


def kpi_attainment(dept: DepartmentYear) -> pd.DataFrame:
    """绩效指标完成情况表: one row per KPI in the report's order, indexed by 指标名称.

    计划完成率 by direction (003 表5: 4.74 ÷ 3.21 = 147.66%; 城镇登记失业率 2.11% ≤ 3.5% → 100%), 状态 (达成 /
    未达成 / 无法衡量), 同比 = (实际 − 上年实际) ÷ 上年实际 where a prior actual exists, 公式计算值 where the data has
    the formula's inputs, and 说明 (why a KPI cannot be measured).
    """
    rows = []
    for a in assessments(dept):
        k = a.kpi
        rows.append({
            "分组": k.group, "指标名称": k.name, "单位": k.unit, "方向": k.direction,
            "目标值": _bare(k.target, k.direction), "实际值": _text(k.actual), "计划完成率": a.completion, "状态": a.state,
            "上年实际值": _text(k.prior_actual), "同比": a.yoy, "公式计算值（%）": a.formula, "说明": a.reason,
        })
    return frame(rows, ATTAINMENT_COLUMNS, required=ATTAINMENT_COLUMNS[:8], index=[k.name for k in dept.kpis],
                 numeric=("计划完成率",))


def _weakest(items: list[Attainment]) -> Attainment | None:
    rated = [a for a in items if a.completion is not None]
    if rated:
        return min(rated, key=lambda a: a.completion if a.completion is not None else Decimal(0))
    return next((a for a in items if a.state == MISSED), None)


def kpi_summary(dept: DepartmentYear) -> pd.DataFrame:
    """完成情况汇总 by group: counts 达成 / 未达成 / 无法衡量, the share met of those measurable, and the weakest
    indicator; the weakest groups first (lowest 计划完成率, then groups with a missed qualitative target), then 合计.
    """
    assessed = assessments(dept)
    if not assessed:
        return frame([], SUMMARY_COLUMNS, required=SUMMARY_COLUMNS)
    groups: dict[str, list[Attainment]] = {}
    for a in assessed:
        groups.setdefault(a.kpi.group, []).append(a)

    def row(name: str, items: list[Attainment]) -> dict[str, object]:
        counts = {s: sum(1 for a in items if a.state == s) for s in (MET, MISSED, UNMEASURABLE)}
        weakest = _weakest(items)
        return {
            "分组": name, "指标数": len(items), **counts,
            "达成率（达成÷可衡量）": metrics.share(Decimal(counts[MET]), Decimal(counts[MET] + counts[MISSED])),
            "最低完成率": weakest.completion if weakest else None,
            "最弱指标": weakest.kpi.name if weakest and weakest.state == MISSED else None,
        }

    def rank(item: tuple[str, list[Attainment]]) -> float:
        weakest = _weakest(item[1])
        if weakest is None:
            return math.inf
        return float(weakest.completion) if weakest.completion is not None else -math.inf

    rows = [row(name, items) for name, items in sorted(groups.items(), key=rank)]
    rows.append(row("合计", assessed))
    return frame(rows, SUMMARY_COLUMNS, required=SUMMARY_COLUMNS[:5], index=[r["分组"] for r in rows],
                 totals=[len(rows) - 1], numeric=("达成率（达成÷可衡量）", "最低完成率"))


def kpi_findings(dept: DepartmentYear) -> list[str]:
    """Short Chinese findings: targets missed (weakest first), KPIs that cannot be measured, and completion above
    :data:`OVERACHIEVEMENT_THRESHOLD` (a target possibly set too low)."""
    assessed = assessments(dept)
    out: list[str] = []
    missed = sorted((a for a in assessed if a.state == MISSED),
                    key=lambda a: a.completion if a.completion is not None else Decimal(-1))
    if missed:
        items = "、".join(_missed_text(a) for a in missed)
        out.append(f"{len(missed)} 项指标未达成目标：{items}。")
    unmeasurable = [a for a in assessed if a.state == UNMEASURABLE]
    if unmeasurable:
        reasons: dict[str, list[str]] = {}
        for a in unmeasurable:
            reasons.setdefault(a.reason or "无法衡量", []).append(a.kpi.name)
        parts = [f"{reason} {len(names)} 项" + (f"（{'、'.join(names)}）" if len(names) <= 5 else "")
                 for reason, names in reasons.items()]
        out.append(f"{len(unmeasurable)} 项指标无法衡量完成情况：{'；'.join(parts)}。")
    high = sorted((a for a in assessed if a.completion is not None and a.completion > OVERACHIEVEMENT_THRESHOLD),
                  key=lambda a: a.completion if a.completion is not None else Decimal(0), reverse=True)
    if high:
        items = "、".join(f"{a.kpi.name} {pct(a.completion)}" for a in high)
        out.append(f"计划完成率超过 {OVERACHIEVEMENT_THRESHOLD}% 的指标（目标值可能偏低）：{items}。")
    return out


def _missed_text(a: Attainment) -> str:
    k = a.kpi
    unit = k.unit if k.unit and k.unit != "%" else ""
    if a.completion is None:
        return f"{k.name}（目标「{_text(k.target)}」，实际「{_text(k.actual)}」）"
    return f"{k.name} 完成 {pct(a.completion)}（实际 {_text(k.actual)}{unit}，目标 {_text(k.target)}{unit}）"
