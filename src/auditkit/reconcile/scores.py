"""The 评分表: subtotals, 分值, 得分率, maxima, the total and the grade (``score_*``), in the table and as stated."""

from __future__ import annotations

from decimal import Decimal

from auditkit.analyses import metrics
from auditkit.data.model import Score, StatedFigure
from auditkit.data.numbers import Number
from auditkit.exceptions import AuditkitError
from auditkit.reconcile.core import _Core
from auditkit.reconcile.findings import ERROR, Figure
from auditkit.reconcile.kinds import _PERCENT
from auditkit.reconcile.wording import _shown
from auditkit.scoring.framework import load_framework


class _ScoreChecks(_Core):
    """The 评分表's checks, and a stated total, indicator score, 得分率 or grade."""

    def check_scores(self) -> None:
        for s in self.dept.scores:
            self.check_score_max(s.id, s.name, s.score, s.max, Figure("scores", s.id, "score"),
                                 self.place("scores", f"{s.id} {s.name}", "得分", s.source))
            kids = self.kids.get(s.id)
            if kids:
                self.check_max_sum(s, kids)
                if s.score is not None:
                    self.check_subtotal(s)
            if s.rate is not None:
                points = s.score.value if s.score is not None else self.leaves(s.id)
                self.check_rate(s, s.rate, points, Figure("scores", s.id, "rate"),
                                self.place("scores", f"{s.id} {s.name}", "得分率", s.source))

    def leaves(self, score_id: str) -> Decimal | None:
        """An indicator's points recomputed from its leaves (a leaf's own 得分); None if a leaf has none."""
        kids = self.kids.get(score_id)
        if not kids:
            score = self.by_id[score_id].score
            return score.value if score is not None else None
        result = metrics.total([self.leaves(k.id) for k in kids])
        return Decimal(result) if result is not None else None

    def children_stated(self, score_id: str) -> Decimal | None:
        parts = [k.score.value if k.score is not None else self.leaves(k.id) for k in self.kids.get(score_id, [])]
        result = metrics.total(parts)
        return Decimal(result) if result is not None else None

    def check_score_max(
        self, score_id: str, name: str, points: Number | None, maximum: Number, figure: Figure, location: str
    ) -> None:
        if points is None:
            return
        bonus = score_id == "X" or score_id.startswith("X.")
        low = -maximum.value if bonus else Decimal(0)
        if low <= points.value <= maximum.value:
            return
        message = f"「{score_id} {name}」得分 {_shown(points)} 超出分值范围 [{low}, {_shown(maximum)}]。请核对原报告。"
        self.add(ERROR, "score_max", message, figure, location, points.value, maximum.value)

    def check_max_sum(self, s: Score, kids: list[Score]) -> None:
        self.checked += 1
        total = sum((k.max.value for k in kids), Decimal(0))
        if total == s.max.value:
            return
        terms = " + ".join(_shown(k.max) for k in kids)
        message = f"「{s.id} {s.name}」分值 {_shown(s.max)}，下级分值之和 {terms} = {total.normalize():f}，不一致。请核对原报告或指标体系。"
        self.add(ERROR, "score_max_sum", message, Figure("scores", s.id, "max"),
                 self.place("scores", f"{s.id} {s.name}", "分值", s.source), s.max.value, total)

    def check_subtotal(self, s: Score) -> None:
        assert s.score is not None
        recomputed = self.leaves(s.id)
        if recomputed is None:
            return
        self.checked += 1
        if recomputed == s.score.value:
            return
        self.add(ERROR, "score_sum", self.subtotal_message(s.id, s.score, recomputed), Figure("scores", s.id, "score"),
                 self.place("scores", f"{s.id} {s.name}", "得分", s.source), s.score.value, recomputed)

    def subtotal_message(self, score_id: str, stated: Number, recomputed: Decimal) -> str:
        s = self.by_id[score_id]
        kids = self.kids[score_id]
        terms = " + ".join(_shown(k.score) if k.score is not None else f"{self.leaves(k.id)}" for k in kids)
        message = f"「{s.id} {s.name}」列示得分 {_shown(stated)}，下级得分之和 {terms} = {recomputed.normalize():f}"
        direct = self.children_stated(score_id)
        if direct is not None and direct != recomputed:
            message += f"（按各下级列示的小计为 {direct.normalize():f}）"
        message += "。"
        parent = self.by_id.get(s.parent) if s.parent else None
        if (
            parent is not None
            and parent.score is not None
            and parent.score.value == self.leaves(parent.id)
            and parent.score.value != self.children_stated(parent.id)
        ):
            message += (f"上级「{parent.id} {parent.name}」列示的 {_shown(parent.score)} 与 {recomputed.normalize():f} 相符，"
                        f"与 {_shown(stated)} 不符。")
        return message + "请核对原报告。"

    def check_rate(self, s: Score, rate: Number, points: Decimal | None, figure: Figure, location: str) -> None:
        if points is None:
            if figure.table == "stated":
                self.not_checkable.append(figure)
            return
        maximum = s.max.value
        found = self.contradiction(rate, _PERCENT, lambda r: metrics.score_rate(points, maximum))
        if found is None:
            return
        severity, verdict = found
        how = f"得分 {points.normalize():f} ÷ 分值 {_shown(s.max)} "
        self.add(severity, "score_rate", self.explain(f"「{s.id} {s.name}」得分率", rate, how, verdict), figure,
                 location, rate.value, verdict.face)

    def check_score_claim(self, index: int, s: StatedFigure) -> None:
        figure = Figure("stated", s.subject, s.claim, index)
        if s.claim == "score.grade":
            self.check_grade(index, s)
            return
        if not isinstance(s.value, Number):
            return
        if s.claim == "score.total":
            roots = [x for x in self.dept.scores if x.parent is None]
            parts = [self.leaves(x.id) for x in roots]
            total = metrics.total(parts) if roots else None
            if total is None:
                self.not_checkable.append(figure)
                return
            self.checked += 1
            self.consistent[index] = Decimal(total)
            if Decimal(total) != s.value.value:
                terms = " + ".join(f"{p.normalize():f}" for p in parts if p is not None)
                message = f"总分列示 {_shown(s.value)}，各一级指标得分之和 {terms} = {Decimal(total).normalize():f}。请核对原报告。"
                self.add(ERROR, "score_total", message, figure, self.stated_place(s), s.value.value, Decimal(total))
            return
        score = self.by_id.get(s.subject or "")
        if score is None:
            self.not_checkable.append(figure)
            return
        if s.claim == "score.indicator":
            self.check_score_max(score.id, score.name, s.value, score.max, figure, self.stated_place(s))
            if score.score is not None:
                self.checked += 1
                if score.score.value != s.value.value:
                    message = (f"「{score.id} {score.name}」得分：评分表为 {_shown(score.score)}，此处列示 {_shown(s.value)}，"
                               f"不一致。请核对原报告。")
                    self.add(ERROR, "restated", message, figure, self.stated_place(s), s.value.value, score.score.value)
                return
            recomputed = self.leaves(score.id)
            if recomputed is None:
                self.not_checkable.append(figure)
                return
            self.checked += 1
            if recomputed != s.value.value:
                self.add(ERROR, "score_sum", self.subtotal_message(score.id, s.value, recomputed), figure,
                         self.stated_place(s), s.value.value, recomputed)
            return
        if s.claim == "score.rate":
            if score.rate is not None and score.rate == s.value:
                self.checked += 1  # the same printed figure, also recorded in the 评分表: checked there
                return
            points = score.score.value if score.score is not None else self.leaves(score.id)
            self.check_rate(score, s.value, points, figure, self.stated_place(s))

    def check_grade(self, index: int, s: StatedFigure) -> None:
        figure = Figure("stated", s.subject, s.claim, index)
        totals = [x.value.value for x in self.dept.stated_of("score.total") if isinstance(x.value, Number)]
        total: Decimal | None = totals[0] if totals else None
        if total is None and self.dept.scores:
            roots = [self.leaves(x.id) for x in self.dept.scores if x.parent is None]
            result = metrics.total(roots)
            total = Decimal(result) if result is not None else None
        framework = self.framework
        if framework is None and total is not None:
            try:
                framework = self.framework = load_framework(self.dept.evaluation.framework)
            except AuditkitError:
                framework = None
        if total is None or framework is None or not isinstance(s.value, str):
            self.not_checkable.append(figure)
            return
        self.checked += 1
        grade = framework.grade(total)
        if grade != s.value:
            message = f"绩效等级列示“{s.value}”，总分 {total.normalize():f} 按「{framework.name}」应为“{grade}”。请核对原报告。"
            self.add(ERROR, "score_grade", message, figure, self.stated_place(s))
