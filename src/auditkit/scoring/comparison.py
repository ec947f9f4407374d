"""This year's 评分表 against last year's: indicator by indicator where the 编号 match, naming each year's framework.

The prior year is scored under its own framework (``evaluation.framework`` of its data), so a department that
changed frameworks is compared only on the indicators both frameworks number alike, and the sentence says so.
"""

from __future__ import annotations

import pandas as pd

from auditkit.analyses import metrics
from auditkit.analyses.frames import frame
from auditkit.data.prior_year import PriorYear
from auditkit.exceptions import AuditkitError
from auditkit.paths import display
from auditkit.scoring.framework import load_framework
from auditkit.scoring.scorecard import Scorecard, score

__all__ = ["COMPARISON_COLUMNS", "framework_comparison", "indicator_comparison", "prior_scorecard", "score_change"]

COMPARISON_COLUMNS = ("编号", "指标", "上年指标名称", "本年分值", "本年得分", "本年得分率", "上年分值", "上年得分",
                      "上年得分率", "得分变动", "得分率变动（百分点）")


def indicator_comparison(current: Scorecard, prior: Scorecard) -> pd.DataFrame:
    """指标得分与上年比较: every indicator whose 编号 both years' frameworks have, in this year's order, then 总分.

    得分变动 = 本年得分 − 上年得分; 得分率变动（百分点）= 本年得分率 − 上年得分率 (得分率 = 得分 ÷ 分值 × 100%).
    上年指标名称 is shown where the two years name one 编号 differently. An indicator only one year has is left out.
    """
    before = {r.id: r for r in prior.indicators}
    rows: list[dict[str, object]] = []
    for r in current.indicators:
        p = before.get(r.id)
        if p is None:
            continue
        rows.append({
            "编号": r.id, "指标": "\u3000" * (r.level - 1) + r.name, "上年指标名称": p.name if p.name != r.name else None,
            "本年分值": r.max, "本年得分": r.score, "本年得分率": r.rate, "上年分值": p.max, "上年得分": p.score,
            "上年得分率": p.rate, "得分变动": metrics.change_amount(r.score, p.score),
            "得分率变动（百分点）": metrics.change_amount(r.rate, p.rate),
        })
    rows.append({
        "编号": "", "指标": "总分", "本年分值": current.max, "本年得分": current.total, "本年得分率": current.rate,
        "上年分值": prior.max, "上年得分": prior.total, "上年得分率": prior.rate,
        "得分变动": metrics.change_amount(current.total, prior.total),
        "得分率变动（百分点）": metrics.change_amount(current.rate, prior.rate),
    })
    numeric = COMPARISON_COLUMNS[3:]
    return frame(rows, COMPARISON_COLUMNS, required=COMPARISON_COLUMNS[:2] + numeric, totals=[len(rows) - 1],
                 numeric=numeric)


def framework_comparison(current: Scorecard, prior: Scorecard) -> str:
    """The sentence naming each year's indicator framework (title and id) and how many indicators are compared.

    Indicators are compared only where their 编号 match; those only one year's framework has are counted as not
    comparable, and a 编号 the two frameworks name differently is pointed out.
    """
    ids = {r.id for r in current.indicators}
    before = {r.id: r for r in prior.indicators}
    matched = [r for r in current.indicators if r.id in before]
    years = f"本年（{current.fiscal_year} 年度）"
    if current.framework == prior.framework:
        return (f"{years}与上年（{prior.fiscal_year} 年度）均采用指标体系「{current.framework_name}」"
                f"（{current.framework}），{len(matched)} 项指标逐项比较。")
    text = (f"{years}采用指标体系「{current.framework_name}」（{current.framework}），上年（{prior.fiscal_year} 年度）"
            f"采用「{prior.framework_name}」（{prior.framework}）：")
    if not matched:
        return text + "两年指标体系没有编号相同的指标，只比较总分。"
    only_now = len(current.indicators) - len(matched)
    only_before = sum(1 for r in prior.indicators if r.id not in ids)
    text += f"仅比较两年编号相同的 {len(matched)} 项指标；本年 {only_now} 项、上年 {only_before} 项指标编号无对应，不可比较。"
    renamed = [r.id for r in matched if before[r.id].name != r.name]
    if renamed:
        text += f"其中 {len(renamed)} 项编号相同而名称不同（{'、'.join(renamed)}），比较时请注意口径是否一致。"
    return text


def score_change(linked: PriorYear, card: Scorecard) -> tuple[str, pd.DataFrame | None]:
    """For a notebook: the sentence naming both years' frameworks and :func:`indicator_comparison`, or, without a
    usable prior year or prior scorecard, the sentence saying why there is no comparison (and None).

    The prior year is scored under its own framework (``evaluation.framework`` of its data).
    """
    if linked.problem is not None:
        return f"上年数据 {display(linked.path)} 无法使用（{linked.problem}）：不作指标得分的年度比较。", None
    if linked.prior is None:
        return f"未找到上年数据 {display(linked.path)}：不作指标得分的年度比较。", None
    try:
        before = score(linked.prior, load_framework(linked.prior.evaluation.framework))
    except AuditkitError as exc:
        lines = str(exc).splitlines()
        first = lines[0] + (f"，如：{lines[1].strip(' -')}" if len(lines) > 1 else "")
        return f"上年（{linked.prior.fiscal_year} 年度）评分无法计算（{first}）：不作指标得分的年度比较。", None
    return framework_comparison(card, before), indicator_comparison(card, before)


def prior_scorecard(linked: PriorYear) -> Scorecard | None:
    """Last year's scorecard under last year's own framework; None without a usable prior year, or when it cannot be
    scored (the review memo and the scoring notebook say why)."""
    if linked.prior is None:
        return None
    try:
        return score(linked.prior, load_framework(linked.prior.evaluation.framework))
    except AuditkitError:
        return None
