"""The review memo's own tables (复核意见 / 勾稽复核底稿): what auditkit found, where, and from which data.

Everything here is auditkit's voice, kept out of the evaluation report: each finding with its rule and place, the
data inventory, the data log, the prior-year figures filled in. Pure functions: the memo notebook shows them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from auditkit.analyses.frames import frame
from auditkit.data.model import DepartmentYear
from auditkit.data.numbers import Number, format_number, num
from auditkit.data.prior_year import PriorYear
from auditkit.data.schema import TABLES
from auditkit.reconcile import Finding

__all__ = ["findings_table", "inventory", "linked_table", "notes_table"]

_LINKED_COLUMNS = ("数据表", "项目", "列", "补入数值", "单位", "取自上年数据")


def findings_table(findings: Iterable[Finding]) -> pd.DataFrame:
    """勾稽校验 findings as a table: 级别, 规则, 说明, 列示值, 复核值, 位置."""
    rows = [{"级别": "错误" if f.severity == "error" else "警告", "规则": f.rule, "说明": f.message,
             "列示值": num(f.stated), "复核值": num(f.recomputed), "位置": f.location}
            for f in findings]
    return pd.DataFrame(rows, columns=["级别", "规则", "说明", "列示值", "复核值", "位置"])


def inventory(dept: DepartmentYear) -> pd.DataFrame:
    """数据清单: every table of the department-year, its rows, and how many figures it carries."""
    rows = [{"数据表": f"{t.sheet}（{t.file}）", "行数": len(getattr(dept, name))} for name, t in TABLES.items()]
    return pd.DataFrame(rows, columns=["数据表", "行数"])


def notes_table(dept: DepartmentYear) -> pd.DataFrame:
    """数据说明: the data log (readings, inferences and contradictions), verbatim."""
    return pd.DataFrame([{"对象": n.subject, "解读": n.reading, "理由": n.reason or ""} for n in dept.notes], columns=["对象", "解读", "理由"])


def _text(value: Number | str) -> str:
    return format_number(value, thousands=True) if isinstance(value, Number) else value


def linked_table(linked: PriorYear) -> pd.DataFrame:
    """自上年数据补入的上年数: each figure filled (数据表, 项目, 列, 补入数值, 单位) and where it was taken from."""
    rows = [{"数据表": (TABLES[f.table].sheet if f.table in TABLES else "基本信息"), "项目": f.row if f.table in TABLES else "存量资金", "列": f.header,
             "补入数值": _text(f.linked), "单位": f.unit, "取自上年数据": f.linked_source} for f in linked.filled]
    return frame(rows, _LINKED_COLUMNS, required=_LINKED_COLUMNS)
