"""政府采购: the procurement plan against what was bought (政府采购执行率), and the shares of contracts awarded to
small and medium firms and to small and micro firms (授予中小企业 / 小微企业合同金额占比), with the findings.

Figures come from ``department.yaml`` (section ``procurement``); every rate is computed through
:mod:`auditkit.analyses.metrics`. 000 二（三）5: 41.92 of 142.08 万元 awarded to small and medium firms, 29.50%;
003 二（三）1.(4): 24.89 bought against a plan of 35 万元, 71.11%.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from auditkit.analyses import metrics
from auditkit.analyses.frames import frame
from auditkit.data.model import DepartmentYear
from auditkit.data.numbers import pct, value, wan

__all__ = ["SUMMARY_COLUMNS", "procurement_findings", "procurement_summary"]

SUMMARY_COLUMNS = ("指标", "数值", "单位", "公式/口径", "来源")


def procurement_summary(dept: DepartmentYear) -> pd.DataFrame:
    """政府采购 (指标, 数值, 单位, 公式/口径, 来源): plan, actual, 执行率 = 实际 ÷ 计划, and the shares awarded to
    small and medium firms and to small and micro firms (÷ 实际采购金额; 000: 41.92 ÷ 142.08 = 29.50%).
    Empty when the department reports no procurement figure.
    """
    p = dept.procurement
    planned, actual, sme, small = value(p.planned), value(p.actual), value(p.sme), value(p.small_micro)
    if all(v is None for v in (planned, actual, sme, small)):
        return frame([], SUMMARY_COLUMNS, required=SUMMARY_COLUMNS, numeric=("数值",))
    source = p.source or "department.yaml"

    def rate(name: str, result: Decimal | None, formula: str, inputs: dict[str, Decimal | None]) -> dict[str, object]:
        missing = [k for k, v in inputs.items() if v is None]
        note = f"未列示{'、'.join(missing)}，无法计算" if missing else "计算"
        shown = "，".join(f"{k} {wan(v)}" for k, v in inputs.items() if v is not None)
        return {"指标": name, "数值": result, "单位": "%", "公式/口径": f"{formula}" + (f"；{shown}" if shown else ""), "来源": note}

    rows: list[dict[str, object]] = [
        {"指标": "政府采购计划金额", "数值": planned, "单位": "万元", "公式/口径": None, "来源": source},
        {"指标": "政府采购实际金额", "数值": actual, "单位": "万元", "公式/口径": None, "来源": source},
        rate("政府采购执行率", metrics.execution_rate(actual, planned), "实际采购金额 ÷ 采购计划金额 × 100%",
             {"实际采购金额": actual, "采购计划金额": planned}),
        {"指标": "授予中小企业合同金额", "数值": sme, "单位": "万元", "公式/口径": None, "来源": source},
        rate("中小企业合同金额占比", metrics.share(sme, actual), "授予中小企业合同金额 ÷ 政府采购实际金额 × 100%",
             {"授予中小企业合同金额": sme, "政府采购实际金额": actual}),
        {"指标": "授予小微企业合同金额", "数值": small, "单位": "万元", "公式/口径": None, "来源": source},
        rate("小微企业合同金额占比", metrics.share(small, actual), "授予小微企业合同金额 ÷ 政府采购实际金额 × 100%",
             {"授予小微企业合同金额": small, "政府采购实际金额": actual}),
    ]
    return frame(rows, SUMMARY_COLUMNS, required=SUMMARY_COLUMNS, numeric=("数值",))


def procurement_findings(dept: DepartmentYear) -> list[str]:
    """Short Chinese findings: bought more than planned (政府采购执行率 above 100%)."""
    p = dept.procurement
    out: list[str] = []
    rate = metrics.execution_rate(value(p.actual), value(p.planned))
    if rate is not None and rate > Decimal(100):
        out.append(f"政府采购实际金额 {wan(p.actual)} 万元超过采购计划 {wan(p.planned)} 万元（执行率 {pct(rate)}）。")
    return out
