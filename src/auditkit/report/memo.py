"""The review memo (复核意见 / 勾稽复核底稿): everything auditkit found, where, and what the evaluator decided.

Everything here is auditkit's voice, kept out of the evaluation report: each open finding with its id (the one a
decision in ``notes.csv`` names), rule and place, numbered as the report's notes refer to them (待确认事项第N项);
the findings decided, with the decision; the warnings; what could not be checked; what was linked from last year;
the data log and the data inventory. Pure functions: the ``review_memo`` notebook shows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import pandas as pd

from auditkit.analyses.frames import frame
from auditkit.data.model import DepartmentYear
from auditkit.data.numbers import Number, format_number, num
from auditkit.data.prior_year import PriorYear
from auditkit.data.schema import CLAIMS, TABLES
from auditkit.reconcile import RULES, Finding, Review
from auditkit.report.evaluation import assumed_wordings
from auditkit.report.marks import party
from auditkit.scoring.framework import Framework

__all__ = [
    "assumed_table",
    "conclusion",
    "decided_table",
    "findings_table",
    "inferred_table",
    "inventory",
    "linked_table",
    "notes_table",
    "open_table",
    "party",
    "stale_table",
    "unchecked_table",
]

_LINKED_COLUMNS = ("数据表", "项目", "列", "补入数值", "单位", "取自上年数据")


_FINDING_COLUMNS = ("序号", "编号", "复核规则", "说明", "列示值", "复核值", "报告位置", "位置")


def conclusion(dept: DepartmentYear, review: Review) -> list[str]:
    """复核结论: what was found and decided, whether the report is final, and how to resolve what is open."""
    decided, who = len(review.decided), party(dept)
    status = (f"评价报告为征求意见稿：尚有 {len(review.open_errors)} 处错误待{who}确认，报告中相应数字已加注。"
              if review.draft else "评价报告可以定稿：没有待确认的错误。")
    out = [f"{dept.department.name}{dept.fiscal_year}年度勾稽复核：{review.result.summary()}；"
           f"其中 {decided} 处已由{who}作出决定。", status]
    if review.open:
        out.append(f"每一项待确认事项，{who}或更正数据（该发现随之消失），或在 notes.csv 中记录决定：「发现」填下表的编号（六位编号或完整编号均可），"
                   "并写明采用哪一个数（采用）、理由（解读、理由）、决定人和日期。已决定的发现不再使报告停留在征求意见稿。")
    return out


def _finding_rows(review: Review, findings: Iterable[Finding], places: dict[Finding, str] | None = None) -> list[dict[str, object]]:
    return [{"序号": n, "编号": review.short_of(f), "复核规则": RULES.get(f.rule, f.rule), "说明": f.message,
             "列示值": _printed(f.stated), "复核值": num(f.recomputed), "报告位置": (places or {}).get(f, ""),
             "位置": f"{f.location}\n完整编号：{review.id_of(f)}"}
            for n, f in enumerate(findings, start=1)]


def _printed(stated: Decimal | None) -> str:
    """列示值 at the precision the report printed it (003: 214.5, 9.6; never 214.50)."""
    return f"{stated:,f}" if stated is not None else num(stated)


def open_table(review: Review, severity: str = "error", places: dict[Finding, str] | None = None) -> pd.DataFrame:
    """待确认事项 (errors; ``severity="warning"`` for the warnings), numbered as the report's notes cite them, with
    where the report prints each and its note (``places``: :func:`auditkit.report.evaluation.note_places`)."""
    findings = review.open_errors if severity == "error" else review.open_warnings
    return pd.DataFrame(_finding_rows(review, findings, places), columns=_FINDING_COLUMNS)


def decided_table(review: Review) -> pd.DataFrame:
    """已决定事项: each decided finding, with the decision (采用, 理由, 决定人, 日期)."""
    rows = [{"编号": review.id_of(f), "级别": "错误" if f.severity == "error" else "警告", "说明": f.message,
             "采用": n.stands, "理由": "；".join(x for x in (n.reading, n.reason) if x), "决定人": n.decided_by,
             "日期": n.decided_on} for f, n in review.decided]
    return pd.DataFrame(rows, columns=["编号", "级别", "说明", "采用", "理由", "决定人", "日期"])


def stale_table(review: Review) -> pd.DataFrame:
    """Decisions naming no current finding (the data changed, or the id is mistyped)."""
    rows = [{"编号": n.finding, "对象": n.subject, "采用": n.stands, "决定人": n.decided_by, "日期": n.decided_on}
            for n in review.stale]
    return pd.DataFrame(rows, columns=["编号", "对象", "采用", "决定人", "日期"])


def unchecked_table(dept: DepartmentYear, review: Review) -> pd.DataFrame:
    """无法复核的列示数: each stated figure whose inputs the data does not give."""
    rows = []
    for figure in review.result.not_checkable:
        s = dept.stated[figure.index] if figure.table == "stated" and figure.index is not None else None
        rows.append({"列示数": CLAIMS.get(figure.column, figure.column) + (f"「{figure.key}」" if figure.key else ""),
                     "数值": _text(s.value) if s is not None else "", "原文": s.quote if s is not None else "",
                     "来源": s.source if s is not None else ""})
    return pd.DataFrame(rows, columns=["列示数", "数值", "原文", "来源"])


def assumed_table(framework: Framework) -> pd.DataFrame:
    """评分标准未见原件: each 指标解释 and 评分标准 the annex prints that the framework works out from the report's
    text (``assumed:``) rather than takes from the issued 评分表, with the assumption."""
    rows = [{"编号": ident, "指标": name, "内容": label, "推定依据": why} for ident, name, label, why in assumed_wordings(framework)]
    return pd.DataFrame(rows, columns=["编号", "指标", "内容", "推定依据"])


def inferred_table(dept: DepartmentYear) -> pd.DataFrame:
    """据报告推定的数据: each KPI figure the data infers from other printed figures (kpis.csv 来源 says inferred, e.g.
    003 表4 目标值 = 实际数÷计划完成率), which the recomputed completion rates then rest on."""
    rows = [{"指标": k.name, "目标值": _text(k.target) if k.target is not None else "", "来源": k.source or ""}
            for k in dept.kpis if k.source and ("inferred" in k.source or "推定" in k.source)]
    return pd.DataFrame(rows, columns=["指标", "目标值", "来源"])


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
    """数据说明: the data log (readings, inferences and contradictions), verbatim; decisions are listed apart. Then what
    validation noted without refusing the data (a CSV read as GB18030, OCR residue in a text), each where it is."""
    rows = [{"对象": n.subject, "解读": n.reading, "理由": n.reason or ""} for n in dept.notes if not n.is_decision]
    rows += [{"对象": str(w.location), "解读": w.message, "理由": "数据校验提示（auditkit validate）"} for w in dept.warnings]
    return pd.DataFrame(rows, columns=["对象", "解读", "理由"])


def _text(value: Number | str) -> str:
    return format_number(value, thousands=True) if isinstance(value, Number) else value


def linked_table(linked: PriorYear) -> pd.DataFrame:
    """自上年数据补入的上年数: each figure filled (数据表, 项目, 列, 补入数值, 单位) and where it was taken from."""
    rows = [{"数据表": (TABLES[f.table].sheet if f.table in TABLES else "基本信息"), "项目": f.row if f.table in TABLES else "存量资金", "列": f.header,
             "补入数值": _text(f.linked), "单位": f.unit, "取自上年数据": f.linked_source} for f in linked.filled]
    return frame(rows, _LINKED_COLUMNS, required=_LINKED_COLUMNS)
