"""The evaluation report's own prose and tables (in the form of 003, the third-party 韶关 report), from data.

Every sentence here is assembled from the department's figures and the scorecard; the evaluator's own words
(存在问题, 相关建议, reasons for deductions) are passed through verbatim. Pure functions: the
``evaluation_report`` notebook shows what they return.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from auditkit.analyses.metrics import adjustment_rate, execution_rate, score_rate
from auditkit.data.model import DepartmentYear, Kpi, TextItem
from auditkit.data.numbers import Number, format_number, format_points, pct, value, wan
from auditkit.reconcile import Finding
from auditkit.report.display import chinese_numeral
from auditkit.scoring.scorecard import IndicatorScore, Scorecard

__all__ = [
    "Block",
    "abstract",
    "annotate",
    "budget_paragraph",
    "conclusion",
    "goals_table",
    "indicator_analysis",
    "kpi_tables",
    "marks",
    "profile",
    "report_title",
    "score_rates",
    "scorecard_table",
    "texts",
]



@dataclass(frozen=True)
class Block:
    """One piece of the report: a heading (``level`` 3 or 4) or a paragraph (``level`` 0)."""

    level: int
    text: str


def report_title(dept: DepartmentYear) -> str:
    """e.g. 韶关市人力资源和社会保障局2019年度部门整体支出绩效评价报告 (自评报告 for a self-evaluation)."""
    kind = "自评报告" if dept.evaluation.is_self_evaluation else "评价报告"
    return f"{dept.department.name}{dept.fiscal_year}年度部门整体支出绩效{kind}"


def budget_paragraph(dept: DepartmentYear) -> str | None:
    """The budget chain in one paragraph: 年初预算 → 剔除后 → 调整预算 → 决算, with 预算调整率 and 支出率."""
    total = dept.total("expenditure")
    if total is None:
        return None
    name, year = dept.department.name, dept.fiscal_year
    parts = []
    if total.initial is not None:
        parts.append(f"{year}年初部门预算数为{wan(value(total.initial))}万元")
    removed = [(label, value(n)) for label, n in (("涉改调整资金", total.reform_adjustment), ("财政部门直接调整资金", total.direct_adjustment)) if n is not None and n.value != 0]
    if total.net_initial is not None:
        detail = "和".join(f"{label}{wan(v)}万元" for label, v in removed)
        parts.append(f"剔除{detail}后的部门预算数为{wan(value(total.net_initial))}万元" if detail else f"剔除调整后的部门预算数为{wan(value(total.net_initial))}万元")
    if total.adjusted is not None:
        parts.append(f"调整预算数为{wan(value(total.adjusted))}万元")
        rate = adjustment_rate(value(total.adjusted), value(total.net_initial))
        if rate is not None:
            parts.append(f"预算调整率为{pct(rate)}")
    if total.final is not None:
        parts.append(f"部门决算数为{wan(value(total.final))}万元")
        rate = execution_rate(value(total.final), value(total.adjusted) if total.adjusted is not None else value(total.initial))
        if rate is not None:
            basis = "调整预算" if total.adjusted is not None else "年初预算"
            parts.append(f"部门预算支出率（决算÷{basis}）为{pct(rate)}")
    if not parts:
        return None
    return f"{name}" + "，".join(parts) + "。"


def abstract(dept: DepartmentYear, card: Scorecard | None) -> list[str]:
    """摘要: who evaluated whom for which body, the budget chain, total and grade, the main problems and advice."""
    ev, name, year = dept.evaluation, dept.department.name, dept.fiscal_year
    if ev.is_self_evaluation:
        opening = f"{name}按照部门整体支出绩效评价的要求，对本部门{year}年度部门整体支出开展绩效自评。"
    else:
        by = f"受{ev.commissioned_by}委托，" if ev.commissioned_by else ""
        opening = f"{ev.evaluator}{by}对{name}{year}年度部门整体支出进行绩效评价。"
    paragraphs = [opening]
    chain = budget_paragraph(dept)
    if chain:
        paragraphs.append(chain)
    if card is not None and card.total is not None:
        paragraphs.append(f"依据{card.framework_name}，综合评定{name}{year}年度部门整体支出绩效得分为{format_points(card.total)}分，绩效等级为“{card.grade}”。")
    problems = [t.title or t.content for t in dept.texts_of("存在问题")]
    if problems:
        paragraphs.append("存在的主要问题：" + "；".join(f"{chinese_numeral(i)}是{p.rstrip('。')}" for i, p in enumerate(problems, start=1)) + "。")
    advice = [t.title or t.content for t in dept.texts_of("相关建议")]
    if advice:
        paragraphs.append("相关建议：" + "；".join(f"{chinese_numeral(i)}是{a.rstrip('。')}" for i, a in enumerate(advice, start=1)) + "。")
    return paragraphs


def profile(dept: DepartmentYear) -> list[str]:
    """内设机构, 编制 and 实有人数, 公务用车, as sentences."""
    out = []
    internal = [u.name for u in dept.units if u.kind == "内设机构"]
    if internal:
        out.append(f"{dept.department.name}内设{'、'.join(internal)}等{len(internal)}个机构。")
    subordinate = [u.name for u in dept.units if u.kind == "下属单位"]
    if subordinate:
        out.append(f"下属单位{len(subordinate)}个：{'、'.join(subordinate)}。")
    people = [s for s in dept.staffing if s.unit != "台" and s.category != "合计"]
    authorized = "，".join(f"{s.category}{format_number(s.authorized)}名" for s in people if s.authorized is not None)
    actual = "，".join(f"{s.category}{format_number(s.actual)}名" for s in people if s.actual is not None)
    if authorized:
        out.append(f"核定编制：{authorized}。")
    if actual:
        out.append(f"实有人数：{actual}。")
    for s in dept.staffing:
        if s.unit == "台":
            have = f"，实有{format_number(s.actual)}台" if s.actual is not None else ""
            out.append(f"{s.category}编制{format_number(s.authorized) if s.authorized is not None else '—'}台{have}。")
    return out


def _target_text(k: Kpi) -> str:
    if k.direction == "定性":
        return str(k.target or "—")
    if not isinstance(k.target, Number):
        return "—"
    mark = {"≥": "不低于", "≤": "不高于", "=": "达到"}[k.direction]
    unit = "" if (k.unit in (None, "%") and k.target.percent) else (k.unit or "")
    return f"{mark}{format_number(k.target, thousands=True)}{unit}"


def goals_table(dept: DepartmentYear) -> pd.DataFrame:
    """表1 绩效目标及指标: 指标类型 (the KPI group), 指标名称, 本年度计划完成水平."""
    rows = [{"指标类型": k.group, "指标名称": k.name, "本年度计划完成水平": _target_text(k)} for k in dept.kpis if k.target is not None]
    return pd.DataFrame(rows, columns=["指标类型", "指标名称", "本年度计划完成水平"])


def _row_sentence(row: IndicatorScore) -> str:
    head = f"指标分值{format_points(row.max)}分"
    if row.leaf:
        score = f"，得{format_points(row.score)}分" if row.score is not None else "，未评分"
        return f"{head}{score}。"
    rate = f"，得分率{pct(row.rate)}" if row.rate is not None else ""
    return f"{head}，评价得分{format_points(row.score)}分{rate}。"


def indicator_analysis(card: Scorecard) -> list[Block]:
    """二、绩效评价指标分析: each 一级 and 二级 indicator with 分值, 得分, 得分率; each 三级 with its score and reason."""
    blocks: list[Block] = []
    children: dict[str | None, list[IndicatorScore]] = {}
    for row in card.indicators:
        children.setdefault(row.parent, []).append(row)
    for i, top in enumerate(children.get(None, []), start=1):
        blocks.append(Block(3, f"（{chinese_numeral(i)}）{top.name}"))
        seconds = children.get(top.id, [])
        names = "、".join(c.name for c in seconds)
        intro = f"{top.name}包括{names}{len(seconds)}个二级指标，" if seconds else f"{top.name}，"
        blocks.append(Block(0, intro + _row_sentence(top)))
        for j, second in enumerate(seconds, start=1):
            blocks.append(Block(4, f"{j}. {second.name}"))
            blocks.append(Block(0, _row_sentence(second) + (f" {second.text}" if second.leaf and second.text else "")))
            for k, third in enumerate(children.get(second.id, []), start=1):
                override = (f"（评分规则计算为{format_points(third.auto_score)}分，评价人改为{format_points(third.score)}分）"
                            if third.override and third.auto_score is not None else "")
                blocks.append(Block(0, f"（{k}）{third.name}，{_row_sentence(third)}{override}{third.text or ''}"))
    return blocks


def score_rates(card: Scorecard) -> pd.DataFrame:
    """得分率 by 一级 and 二级 indicator, for the conclusion's chart and table."""
    rows = [
        {"编号": r.id, "层级": r.level, "指标": r.name, "分值": float(r.max),
         "得分": float(r.score) if r.score is not None else float("nan"),
         "得分率": float(r.rate) if r.rate is not None else float("nan")}
        for r in card.indicators if r.level <= 2 and not r.adjustment
    ]
    return pd.DataFrame(rows, columns=["编号", "层级", "指标", "分值", "得分", "得分率"])


def conclusion(dept: DepartmentYear, card: Scorecard) -> list[str]:
    """三、评价结论: the dimensions assessed, the total and the grade, and any difference from the report's own total."""
    tops = [r for r in card.indicators if r.level == 1 and not r.adjustment]
    dims = "、".join(f"{r.name}（{format_points(r.score)}分/{format_points(r.max)}分）" for r in tops)
    name, year = dept.department.name, dept.fiscal_year
    out = [f"本次评价依据{card.framework_name}，从{dims}{len(tops)}个维度，综合评价{name}{year}年度部门整体支出绩效。"]
    if card.adjustment:
        out.append(f"加减分项{format_points(card.adjustment)}分。")
    if card.total is not None:
        rate = score_rate(card.total, card.max)
        out.append(f"{name}{year}年度部门整体支出绩效评价的总得分为{format_points(card.total)}分（得分率{pct(rate)}），绩效等级为“{card.grade}”。")
    else:
        out.append(f"评分表尚有{len(card.missing)}项指标未评分，暂不能得出总分与等级。")
    if card.stated_total is not None and card.total is not None and card.stated_total.value != card.total:
        out.append(f"复核提示：报告所列总分为{format_number(card.stated_total)}分，按各项得分复核为{format_points(card.total)}分。")
    return out


def marks(findings: Iterable[Finding], table: str, column: str | None = None) -> dict[str, str]:
    """Reviewer notes (复核提示) by row key, for the findings about figures of one table (and one column or claim).

    A finding about a second statement of a table's cell (claim ``<table>.<column>``) marks that table's row too.
    """
    out: dict[str, list[str]] = {}
    for f in findings:
        own = f.figure.table == table and (column is None or f.figure.column == column)
        restated = column is None and f.figure.table == "stated" and f.figure.column.startswith(f"{table}.")
        if (own or restated) and f.figure.key:
            label = "错误" if f.severity == "error" else "提示"
            out.setdefault(f.figure.key, []).append(f"{label}：{f.message}")
    return {k: "；".join(v) for k, v in out.items()}


def kpi_tables(dept: DepartmentYear, findings: Iterable[Finding] = ()) -> list[tuple[str, pd.DataFrame]]:
    """四、主要绩效: one completion table per KPI group (003 表4–表8), titled 「<分组>工作完成情况表」.

    Completion rates are recomputed; where the report printed a different one, the row carries a 复核提示.
    """
    from auditkit.analyses.kpi import kpi_attainment

    frame = kpi_attainment(dept)
    if frame.empty:
        return []
    notes = {**marks(findings, "stated", "kpi.completion_rate"), **marks(findings, "stated", "kpi.yoy_change")}
    if notes:
        frame = frame.assign(复核提示=[notes.get(name, "") for name in frame["指标名称"]])
    groups = list(dict.fromkeys(frame["分组"]))
    return [(f"{g}工作完成情况表", frame[frame["分组"] == g].drop(columns=["分组"]).reset_index(drop=True)) for g in groups]


def annotate(frame: pd.DataFrame, findings: Iterable[Finding], table: str) -> pd.DataFrame:
    """``frame`` (indexed by line name or 科目编码) with a 复核提示 column where a finding concerns one of its rows."""
    notes = marks(findings, table)
    if frame.empty or not notes or not any(str(k) in notes for k in frame.index):
        return frame
    return frame.assign(复核提示=[notes.get(str(k), "") for k in frame.index])


def scorecard_table(card: Scorecard, findings: Iterable[Finding] = ()) -> pd.DataFrame:
    """附件 评分表: every indicator with 分值, 得分, 得分率, how it was scored, and reviewer notes where the report differs."""
    how = {"rule": "按规则计算", "evaluator": "评价人评分", "override": "评价人调整", "sum": "下级合计"}
    notes = marks(findings, "scores")
    rows = [
        {"编号": r.id, "指标": ("　" * (r.level - 1)) + r.name, "分值": float(r.max),
         "得分": float(r.score) if r.score is not None else float("nan"),
         "得分率": float(r.rate) if r.rate is not None else float("nan"),
         "评分方式": how.get(r.scored_by or "", "未评分")}
        for r in card.indicators
    ]
    rows.append({"编号": "", "指标": "合计", "分值": float(card.max),
                 "得分": float(card.total) if card.total is not None else float("nan"),
                 "得分率": float(card.rate) if card.rate is not None else float("nan"), "评分方式": f"等级：{card.grade or '—'}"})
    frame = pd.DataFrame(rows, columns=["编号", "指标", "分值", "得分", "得分率", "评分方式"])
    if notes:
        frame["复核提示"] = [notes.get(code, "") for code in frame["编号"]]
    frame.attrs["auditkit_total_rows"] = [len(frame) - 1]
    return frame


def texts(dept: DepartmentYear, category: str) -> list[TextItem]:
    """The evaluator's own words of one category, in order (存在问题, 相关建议, 主要绩效 …)."""
    return sorted(dept.texts_of(category), key=lambda t: (t.order is None, t.order or 0))
