"""The evaluation report an evaluator signs and issues (评价报告, or 自评报告), and the scoring notebook's tables.

:func:`document` builds the report as blocks, section by section, in its framework's outline: ``municipal`` follows
003 (the third-party 韶关 report: 摘要; 一、部门基本情况; 二、绩效评价指标分析; 三、评价结论; 四、主要绩效; 五、存在问题;
六、相关建议; 附件 评分表), a self-evaluation under it follows 004 (its 自评结论 before its 绩效分析); ``provincial``
follows 000 and 001 (一、部门基本情况; 二、绩效自评情况; 上年度整改情况). Every text the data holds is printed in its
place; the figures are printed as the report states them (a recomputation belongs to the review memo), and every
figure an open error concerns carries a note (:mod:`auditkit.report.marks`). Nothing in the report is auditkit's own
voice: no file, rule code or reviewer's remark.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from auditkit.analyses.kpi import assess
from auditkit.analyses.metrics import KPI_FORMULAS, adjustment_rate, execution_rate, score_rate
from auditkit.data.model import BudgetLine, DepartmentYear, Kpi, Score, TextItem
from auditkit.data.numbers import MISSING, Number, format_number, format_points, format_rate, pct, value, wan
from auditkit.data.schema import KPI_TABLE_COLUMNS
from auditkit.reconcile import Finding, Review
from auditkit.report import blocks as b
from auditkit.report import display
from auditkit.report.display import chinese_numeral
from auditkit.report.marks import Marks
from auditkit.scoring.comparison import indicator_comparison
from auditkit.scoring.framework import Framework
from auditkit.scoring.scorecard import IndicatorScore, Scorecard

__all__ = [
    "ANNEX_ASSUMED",
    "Block",
    "assumed_wordings",
    "conclusion",
    "document",
    "indicator_analysis",
    "marks",
    "note_places",
    "report_title",
    "score_rates",
    "scorecard_table",
    "texts",
]

Section = list[b.Block]
#: Units of a count: a KPI counted in them is named without its unit in a completion table (003 表4 城镇新增就业人数).
_COUNT_UNITS = frozenset({"人", "人次", "名", "家", "个", "场", "场次", "项", "次", "件", "宗", "期", "份", "户", "所", "%"})
_INCOME_NOTE, _EXPENDITURE_NOTE = "收入表备注", "支出表备注"
_EFFICIENCY = "管理效率分析"


def report_title(dept: DepartmentYear) -> str:
    """e.g. 韶关市人力资源和社会保障局2019年度部门整体支出绩效评价报告 (自评报告 for a self-evaluation)."""
    kind = "自评报告" if dept.evaluation.is_self_evaluation else "评价报告"
    return f"{dept.department.name}{dept.fiscal_year}年度部门整体支出绩效{kind}"


def texts(dept: DepartmentYear, category: str) -> list[TextItem]:
    """The evaluator's own words of one category, in order (存在问题, 相关建议, 主要绩效 …)."""
    return sorted(dept.texts_of(category), key=lambda t: (t.order is None, t.order or 0))


def _date(iso: str | None) -> str | None:
    """2020-06-30 as a report prints it: 2020年6月30日."""
    if not iso:
        return None
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{year}年{month}月{day}日"


def _outline(framework: Framework) -> str:
    """The report outline a framework asks for (``outline:`` in its file; municipal when it says none)."""
    return framework.outline or "municipal"


def document(dept: DepartmentYear, card: Scorecard, review: Review, framework: Framework,
             prior: Scorecard | None = None) -> list[Section]:
    """The evaluation report, one section a list of blocks, in the outline of ``framework``.

    While ``review`` holds an open error the report is a draft: the cover says 征求意见稿 and the figures the errors
    concern carry notes, listed at the end. With last year's scorecard (``prior``), the conclusion compares the two
    years' scores indicator by indicator where their ids match.
    """
    writer = _Writer(dept, card, review, framework, prior)
    sections = writer.municipal() if _outline(framework) == "municipal" else writer.provincial()
    return [s for s in sections if s]


def note_places(dept: DepartmentYear, card: Scorecard, review: Review, framework: Framework,
                prior: Scorecard | None = None) -> dict[Finding, str]:
    """Where the report prints each open error's note: its section (二（四）1.) or table and row (表3「日常公用经费」),
    and the note's number (注1), for the review memo's 报告位置 (review S5)."""
    writer = _Writer(dept, card, review, framework, prior)
    sections = writer.municipal() if _outline(framework) == "municipal" else writer.provincial()
    heads = ["", "", ""]
    places: dict[int, list[str]] = {}
    for block in (x for section in sections for x in section):
        if isinstance(block, b.Heading) and 2 <= block.level <= 4:
            heads[block.level - 2] = _heading_number(block.text, block.level)
            heads[block.level - 1:] = [""] * (3 - (block.level - 1))
        if isinstance(block, (b.Heading, b.Paragraph)):
            for n in block.marks:
                places.setdefault(n, []).append("".join(heads) or "正文")
        elif isinstance(block, b.Table):
            where = f"表{block.number}" if block.number is not None else "附件评分表"
            for row in block.rows:
                label = ("·".join(c.text for c in row[:3] if c.text) if block.number is None
                         else next((c.text for c in row if c.kind == "label"), row[0].text)).strip("　")
                for n in (c.mark for c in row if c.mark is not None):
                    places.setdefault(n, []).append(f"{where}「{label}」")
    return {f: "；".join(dict.fromkeys(places.get(n, []))) + f"（注{n}）" for f, n in writer.marks.numbered().items()}


def _heading_number(text: str, level: int) -> str:
    """二、 → 二; （四）… → （四）; 1.预算编制… → 1.: a heading's number as a place names it."""
    found = re.match(r"^([一二三四五六七八九十]+)、|^(（[一二三四五六七八九十]+）)|^(\d+\.)", text)
    if not found:
        return text[:8] if level == 2 else ""
    return next(g for g in found.groups() if g)


@dataclass
class _Writer:
    """One report being written: the department, its scorecard, the open errors' marks, the table numbers."""

    dept: DepartmentYear
    card: Scorecard
    review: Review
    framework: Framework
    prior: Scorecard | None = None

    def __post_init__(self) -> None:
        self.marks = Marks(self.dept, self.review.open_errors)
        self.tables = 0
        self.self_evaluation = self.dept.evaluation.is_self_evaluation
        self.scores = {s.id: s for s in self.dept.scores}

    # --- the outlines ---------------------------------------------------------------------------------------------

    def municipal(self) -> list[Section]:
        """003's outline (a 自评 puts its 自评结论 before its 绩效分析, as 004 does)."""
        middle = [self.conclusion, self.indicator_sections] if self.self_evaluation else [self.indicator_sections, self.conclusion]
        return self._write([self.basics, *middle, self.performance, lambda: self.numbered_texts("存在问题", "存在问题"),
                            lambda: self.numbered_texts("相关建议", "相关建议"), self.adjustment_texts,
                            lambda: self.numbered_texts("整改情况", "上年度绩效评价整改情况")])

    def adjustment_texts(self) -> Section:
        """加减分事项 where the framework has no 加减分项 to print them under (004 prints them in 三（三）5)."""
        if any(r.adjustment and r.parent is None for r in self.card.indicators):
            return []
        return self.numbered_texts("加减分事项", "加减分事项")

    def provincial(self) -> list[Section]:
        """000's and 001's outline: 一、部门基本情况; 二、绩效自评情况; then 加减分事项 and 上年度整改情况."""
        return self._write([self.basics, self.self_assessment, lambda: self.numbered_texts("加减分事项", "加减分事项"),
                            lambda: self.numbered_texts("整改情况", "上年度绩效自评整改情况")])

    def _write(self, numbered: Sequence[Callable[[], Section]]) -> list[Section]:
        """Cover, 摘要, the numbered sections, the annex, the notes and sign-off, written in reading order (so the
        notes of a draft are numbered as they are read)."""
        head = [self.cover(), self.abstract()]
        body = self._number_sections([write() for write in numbered])
        return [*head, *body, self.annex(), self.closing()]

    @staticmethod
    def _number_sections(sections: Sequence[Section]) -> list[Section]:
        """一、二、… in order, over the sections that have content (their first block is a level-2 heading)."""
        out: list[Section] = []
        for section in (s for s in sections if s):
            head = section[0]
            assert isinstance(head, b.Heading)
            out.append([b.Heading(2, f"{chinese_numeral(len(out) + 1)}、{head.text}"), *section[1:]])
        return out

    # --- small pieces -------------------------------------------------------------------------------------------

    def words(self, text: str) -> b.Paragraph:
        """The report's own words, with the notes of the figures it quotes that await confirmation."""
        return b.Paragraph(text, marks=self.marks.text(text))

    def table(self, title: str, columns: Sequence[str], rows: Sequence[Sequence[b.Cell]], unit: str | None = "万元",
              note: str | None = None, totals: Iterable[int] = ()) -> b.Table:
        self.tables += 1
        return b.Table(title, tuple(columns), tuple(tuple(r) for r in rows), self.tables, unit, tuple(totals), note)

    @property
    def name(self) -> str:
        return self.dept.department.name

    @property
    def scored(self) -> str:
        return "自评得分" if self.self_evaluation else "评价得分"

    # --- cover, 摘要, closing ----------------------------------------------------------------------------------------

    def cover(self) -> Section:
        """Title (two lines, broken after 年度 as 003's), 委托单位, 评价机构 (or 填报单位), 报告日期: those the data holds."""
        ev = self.dept.evaluation
        title = report_title(self.dept).replace("年度", "年度\n", 1)
        lines = [("委托单位", ev.commissioned_by), ("评价机构" if not self.self_evaluation else "填报单位", ev.evaluator),
                 ("报告日期" if not self.self_evaluation else "填报日期", _date(ev.report_date))]
        if ev.report_number:
            lines.append(("报告编号", ev.report_number))
        return [b.Cover(title, tuple((k, v) for k, v in lines if v), draft=self.review.draft)]

    def abstract(self) -> Section:
        """摘要: the report's own (003); a third-party report without one gets the facts in its words; a
        self-evaluation without one has none (none of 000, 001, 002, 004 prints one)."""
        own = texts(self.dept, "摘要")
        if own:
            return [b.Heading(2, "摘要"), *(self.words(t.content) for t in own)]
        if self.self_evaluation:
            return []
        return [b.Heading(2, "摘要"), *(self.words(p) for p in self._abstract())]

    def _abstract(self) -> list[str]:
        ev, year = self.dept.evaluation, self.dept.fiscal_year
        by = f"受{ev.commissioned_by}委托，" if ev.commissioned_by else ""
        out = [f"{ev.evaluator}{by}对{self.name}{year}年度部门整体支出进行绩效评价。"]
        chain = _budget_sentence(self.dept)
        if chain:
            out.append(chain)
        if self.card.total is not None:
            out.append(f"综合评定{self.name}{year}年度部门整体支出绩效得分为{format_points(self.card.total)}分，"
                       f"绩效等级为“{self.card.grade}”。")
        for category, lead in (("存在问题", "存在的主要问题"), ("相关建议", "相关建议")):
            items = [_headline(t) for t in texts(self.dept, category)]
            if items:
                out.append(f"{lead}：" + "；".join(f"{chinese_numeral(i)}是{x.rstrip('。')}" for i, x in enumerate(items, 1)) + "。")
        return out

    def closing(self) -> Section:
        """The notes of the figures awaiting confirmation, and the sign-off."""
        notes = self.marks.notes()
        ev = self.dept.evaluation
        who = ("部门（盖章）：", self.name) if self.self_evaluation else ("评价机构（盖章）：", ev.evaluator)
        when = ("日期：", _date(ev.report_date) or "　　年　　月　　日")
        return [*([notes] if notes else []), b.SignOff((who, when))]

    # --- 一、部门基本情况 ---------------------------------------------------------------------------------------------

    def basics(self) -> Section:
        """一、部门基本情况, under 003's headings (（一）部门主要职能。…) or 000's (（一）部门职能 …)."""
        titles = _BASICS[_outline(self.framework)]
        parts = zip(titles, (self.functions(), self.tasks(), self.goals(), self.budget()), strict=True)
        section: Section = [b.Heading(2, "部门基本情况")]
        for n, (title, body) in enumerate(((t, x) for t, x in parts if x), start=1):
            section += [b.Heading(3, f"（{chinese_numeral(n)}）{title}"), *body]
        return section

    def functions(self) -> Section:
        """The report's own account of the department (or one from its units and staff), then its duties 1.–N."""
        items = texts(self.dept, "职能")
        intro = [self.words(t.content) for t in items if t.order is None]
        duties = [t for t in items if t.order is not None]
        body = intro or [self.words(p) for p in _profile(self.dept)]
        return [*body, *(self.words(f"{n}.{t.content}") for n, t in enumerate(duties, start=1))]

    def tasks(self) -> Section:
        """1.年度总体工作任务。… 2.年度重点工作任务。… (a text that opens with its own title is printed as it is)."""
        items = [*texts(self.dept, "年度任务"), *texts(self.dept, "重点任务")]
        titled = sum(1 for t in items if t.title) > 1
        out: Section = []
        for n, t in enumerate(items, start=1):
            if t.title and titled and not t.content.lstrip(" 一二三四五六七八九十是、").startswith(t.title[:6]):
                out.append(self.words(f"{n}.{t.title}。{t.content}"))
            else:
                out.append(self.words(t.content))
        return out

    def goals(self) -> Section:
        """表1 绩效目标及指标计划情况表 from the report's own targets (指标类型, 指标名称, 本年度计划完成水平); a goal
        stated in prose stays prose."""
        items = texts(self.dept, "绩效目标")
        leads = [t for t in items if t.table_title]  # 003 一（三）: its own lead-in to 表1, and 表1's title
        tabled = [t for t in items if t.title and re.search(r"指标\s*\d", t.title) and t not in leads]
        prose: Section = [self.words(t.content) for t in items if t not in tabled and t not in leads]
        if not tabled:
            return prose
        groups: dict[str, list[TextItem]] = {}
        for t in tabled:
            groups.setdefault(t.title or "", []).append(t)
        rows = []
        for title, members in groups.items():
            typed = re.match(r"^(\S*指标)\s+(指标\s*\d.*)$", title)  # 003 表1: 效果性指标 指标1：就业创业服务成效
            kind, name = (typed.group(1), typed.group(2)) if typed else ("", title)
            plan = members[0].content if len(members) == 1 else "\n".join(f"{n}. {m.content}" for n, m in enumerate(members, 1))
            rows.append([b.Cell(kind, "label"), b.Cell(name, "text"), b.Cell(plan, "text")])
        columns = ["指标类型", "指标名称", "本年度计划完成水平"]
        if not any(r[0].text for r in rows):
            columns, rows = columns[1:], [r[1:] for r in rows]
        title = next((t.table_title for t in leads if t.table_title), None) or "绩效目标及指标计划情况表"
        return [*prose, *(self.words(t.content) for t in leads), self.table(title, columns, rows, unit=None)]

    def budget(self) -> Section:
        """The report's account of its budget, then its income (表2) and expenditure (表3) tables with their 备注."""
        items = texts(self.dept, "支出情况说明")
        notes = {t.title: t.content for t in items if t.title in (_INCOME_NOTE, _EXPENDITURE_NOTE)}
        titles = {t.title: t.table_title for t in items if t.title in notes and t.table_title}  # 003: 人社局部门收入预决算情况表
        out: Section = [self.words(t.content) for t in items if t.title not in notes]
        if not out:
            sentence = _budget_sentence(self.dept)
            out = [self.words(sentence)] if sentence else []
        for table, title, note in (("income", "部门收入预决算情况表", _INCOME_NOTE),
                                   ("expenditure", "部门支出预决算情况表", _EXPENDITURE_NOTE),
                                   ("functional", "部门支出功能分类预决算情况表", None)):
            block = self.budget_table(table, (titles.get(note) if note else None) or title, notes.get(note) if note else None)
            if block is not None:
                out.append(block)
        return out

    def budget_table(self, table: str, title: str, note: str | None) -> b.Table | None:
        """A budget table as the report prints it: its own lines and columns, no derived column."""
        lines: tuple[BudgetLine, ...] = getattr(self.dept, table)
        columns = [c for c in _BUDGET_COLUMNS[table] if any(getattr(x, c[1]) is not None for x in lines)]
        if not lines or not columns:
            return None
        label = "收入类型" if table == "income" else ("项目" if table == "functional" else "支出类型")
        head = (["科目编码"] if table == "functional" else []) + [label] + [c[0] for c in columns]
        rows = []
        labels = _numbered_labels(lines) if table != "functional" and _outline(self.framework) == "municipal" else {}
        for line in lines:
            key = line.code or line.name
            cells = [b.Cell(line.code or "", "short")] if table == "functional" else []
            cells.append(b.Cell(labels.get(id(line)) or ("其中：" if line.row_kind == "其中" else "") + line.name, "label"))
            for _, attr in columns:
                figure = getattr(line, attr)
                cells.append(b.Cell(wan(figure.value) if figure is not None else MISSING, "num",
                                    mark=self.marks.cell(table, key, attr)))
            rows.append(cells)
        totals = [i for i, x in enumerate(lines) if x.row_kind == "合计"]
        return self.table(title, head, rows, note=note, totals=totals)

    # --- 二、绩效评价指标分析 / 三、绩效分析 -------------------------------------------------------------------------------

    def indicator_sections(self) -> Section:
        """Each 一级 indicator, its 二级 and 三级 ones, with 分值, the stated 得分 and 得分率, and the evaluator's reasons."""
        title = "绩效分析" if self.self_evaluation else "绩效评价指标分析"
        section: Section = [b.Heading(2, title)]
        subsections = [self.task_completion(), *(self.root(r) for r in self._children(None))]
        for n, body in enumerate((s for s in subsections if s), start=1):
            head, rest = body[0], body[1:]
            assert isinstance(head, b.Heading)
            section += [b.Heading(3, f"（{chinese_numeral(n)}）{head.text}", head.marks), *rest]
        return section

    def task_completion(self) -> Section:
        """二（一）年度工作任务及绩效目标完成情况 (003): the report's own words, where it has them."""
        own = [t for t in texts(self.dept, "评价结论") if t.title and "完成情况" in t.title]
        return [b.Heading(3, "年度工作任务及绩效目标完成情况。"), *(self.words(t.content) for t in own)] if own else []

    def _children(self, parent: str | None) -> list[IndicatorScore]:
        return [r for r in self.card.indicators if r.parent == parent]

    def _stated(self, row: IndicatorScore) -> tuple[str, str, tuple[int, ...]]:
        """得分 and 得分率 as the report states them (the computed ones where it states none), and their notes."""
        given: Score | None = self.scores.get(row.id)
        points = given.score if given is not None and given.score is not None else None
        rate = given.rate if given is not None and given.rate is not None else None
        shown_points = format_number(points) if points is not None else (format_points(row.score) if row.score is not None else None)
        shown_rate = format_number(rate) if rate is not None else (format_rate(row.rate) if row.rate is not None else None)
        marks = tuple(m for m in (self.marks.cell("scores", row.id, "score"), self.marks.cell("scores", row.id, "rate")) if m)
        return shown_points or "未评分", shown_rate or "", marks

    def _line(self, row: IndicatorScore) -> tuple[str, tuple[int, ...]]:
        points, rate, marks = self._stated(row)
        scored = f"{self.scored}{points}分" if points != "未评分" else "未评分"
        return f"指标分值{format_points(row.max)}分，{scored}" + (f"，得分率{rate}" if rate else "") + "。", marks

    def root(self, top: IndicatorScore) -> Section:
        suffix = "" if self.self_evaluation or top.adjustment else "指标分析"
        seconds = self._children(top.id)
        line, marks = self._line(top)
        intro = f"{top.name}包括{'、'.join(c.name for c in seconds)}{len(seconds)}个二级指标，" if seconds else f"{top.name}，"
        section: Section = [b.Heading(3, f"{top.name}{suffix}。"), b.Paragraph(intro + line, marks=marks)]
        for j, second in enumerate(seconds, start=1):
            line, marks = self._line(second)
            section.append(b.Heading(4, f"{j}.{second.name}，{line}", marks))
            if second.leaf:
                section += self._reason(second)
            for k, third in enumerate(self._children(second.id), start=1):
                points, _, marks = self._stated(third)
                head = f"（{k}）{third.name}，指标分值{format_points(third.max)}分。"
                text = third.text or ("未评分。" if points == "未评分" else "")
                section.append(b.Paragraph(head + text, marks=marks + self.marks.text(text)))
        if top.adjustment:
            section += [self.words(t.content) for t in texts(self.dept, "加减分事项")]
        return section

    def _reason(self, row: IndicatorScore) -> Section:
        return [self.words(row.text)] if row.text else []

    # --- 三、评价结论 / 二、自评结论 ------------------------------------------------------------------------------------

    def conclusion(self) -> Section:
        """The report's own conclusion (003 三), else one from the scorecard in its words."""
        own = [t for t in texts(self.dept, "评价结论") if not (t.title and ("完成情况" in t.title or t.title.startswith(_EFFICIENCY)))]
        title = "自评结论" if self.self_evaluation else "评价结论"
        body = [self.words(t.content) for t in own] or [self.words(p) for p in _conclusion(self.dept, self.card)]
        return [b.Heading(2, title), *body, *self.year_on_year()]

    def year_on_year(self) -> Section:
        """与上年比较: the totals and grades of both years, and the indicators both frameworks number alike."""
        if self.prior is None:
            return []
        before, now = self.prior, self.card
        sentence = (f"与上年（{before.fiscal_year}年度）相比，总得分由{format_points(before.total)}分变为"
                    f"{format_points(now.total)}分，绩效等级由“{before.grade or MISSING}”变为“{now.grade or MISSING}”。")
        if before.framework != now.framework:
            sentence += f"两年采用的指标体系不同（上年为{before.framework_name}），仅比较编号相同的指标。"
        frame = indicator_comparison(now, before)
        return [b.Paragraph(sentence), self.numbered(frame, "指标得分与上年比较")]

    def numbered(self, frame: pd.DataFrame, title: str) -> b.Table:
        self.tables += 1
        return display.table(frame, self.tables, title, unit=None)

    # --- 四、主要绩效 --------------------------------------------------------------------------------------------------

    def performance(self) -> Section:
        """The report's account of its results: its opening, then each titled part （一）… followed by its own
        completion table (003 表4–表8) where the data links one (texts.csv 分组). A report that prints no such table
        (004) gets none: its completion rates would be figures it never stated."""
        items = texts(self.dept, "主要绩效")
        if not items:
            return []
        section: Section = [b.Heading(2, "主要绩效")]
        parts = [t for t in items if t.title and not re.match(r"^[一二三四五六七八九十]+、", t.title)]
        section += [self.words(t.content) for t in items if t not in parts]
        for n, t in enumerate(parts, start=1):
            section += [b.Heading(3, f"（{chinese_numeral(n)}）{t.title}"), self.words(t.content)]
            if t.group:
                section.append(self.kpi_table(t.group, t.table_title or _kpi_title(t.group), t.table_columns))
        return section

    def kpi_table(self, group: str, title: str, printed: str | None = None) -> b.Table:
        """One group's completion table in the columns the report prints (texts.csv 表列: 003 表4 指标、实际数、
        计划完成率、同比去年), else 指标, 目标值 (where targets are given), 实际数, 计划完成率 and 同比去年 (where given).
        Rates are the report's own; where it states none they are computed."""
        kpis = [k for k in self.dept.kpis if k.group == group]
        headers = [c.strip() for c in (printed or "").split("、") if c.strip()] or self._default_columns(kpis)
        makers: dict[str, Callable[[Kpi], b.Cell]] = {
            "name": self._kpi_name, "unit": lambda k: b.Cell(k.unit or "", "short"),
            "target": lambda k: b.Cell(_figure(k.target), "num"),
            "actual": lambda k: b.Cell(_figure(k.actual), "num", mark=self.marks.cell("kpis", k.name, "actual")),
            "completion": self._completion, "yoy": self._yoy,
            "formula": self._formula,
        }
        columns = [makers[KPI_TABLE_COLUMNS[h]] for h in headers]
        rows = [[make(k) for make in columns] for k in kpis]
        return self.table(title, headers, rows, unit=None)

    def _formula(self, k: Kpi) -> b.Cell:
        """The formula as the report prints it (kpis.csv 公式说明: 003 表8), else the registry's wording of 公式."""
        text = k.formula_text or (KPI_FORMULAS[k.formula].text if k.formula else "")
        return b.Cell(text, "text", mark=self.marks.cell("kpis", k.name, "formula_text"))

    def _default_columns(self, kpis: Sequence[Kpi]) -> list[str]:
        columns = ["指标", *(["目标值"] if any(k.target is not None for k in kpis) else []), "实际数", "计划完成率"]
        if any(self._yoy(k).text != MISSING for k in kpis):
            columns.append("同比去年")
        return columns

    @staticmethod
    def _kpi_name(k: Kpi) -> b.Cell:
        unit = f"/{k.unit}" if k.unit and k.unit not in _COUNT_UNITS else ""
        return b.Cell(k.name + unit, "label")

    def _claim(self, claim: str, k: Kpi) -> Number | None:
        stated = [s.value for s in self.dept.stated_of(claim, k.name) if isinstance(s.value, Number)]
        return stated[0] if stated else None

    def _completion(self, k: Kpi) -> b.Cell:
        return self._rate(k, "completion", "kpi.completion_rate")

    def _yoy(self, k: Kpi) -> b.Cell:
        return self._rate(k, "yoy", "kpi.yoy_change")

    def _rate(self, k: Kpi, field: Literal["completion", "yoy"], claim: str) -> b.Cell:
        """A KPI's rate as the report states it (``claim``), else as computed (``assess(...).<field>``)."""
        mark = self.marks.cell("kpis", k.name, field)
        stated = self._claim(claim, k)
        if stated is not None:
            return b.Cell(format_number(stated), "pct", mark=mark)
        rate = getattr(assess(self.dept, k), field)
        return b.Cell(pct(rate) if rate is not None else MISSING, "pct", mark=mark)

    # --- 五、存在问题, 六、相关建议, 整改情况 ------------------------------------------------------------------------------

    def numbered_texts(self, category: str, title: str) -> Section:
        """The evaluator's numbered items: （一）title, then its text, verbatim (a text without a title is numbered)."""
        items = texts(self.dept, category)
        if not items:
            return []
        section: Section = [b.Heading(2, title)]
        for n, t in enumerate(items, start=1):
            label = f"（{chinese_numeral(n)}）" if len(items) > 1 or t.title else ""
            if t.title and t.title != t.content and not _generic(t.title, category):
                section += [b.Heading(3, f"{label}{t.title}"), self.words(t.content)]
            else:
                section.append(self.words(f"{label}{t.content}"))
        return section

    # --- 二、绩效自评情况 (provincial) -----------------------------------------------------------------------------------

    def self_assessment(self) -> Section:
        """（一）自评结论 （二）履职效能分析 （三）管理效率分析 （四）存在问题及改进措施 (000 二, 001 二)."""
        conclusions = [t for t in texts(self.dept, "评价结论") if not (t.title or "").startswith(_EFFICIENCY)]
        efficiency = [t for t in texts(self.dept, "评价结论") if (t.title or "").startswith(_EFFICIENCY)]
        parts: list[tuple[str, Section]] = [
            ("自评结论", [self.words(t.content) for t in conclusions] or [self.words(p) for p in _conclusion(self.dept, self.card)]),
            ("履职效能分析", self._titled(texts(self.dept, "主要绩效"))),
            ("管理效率分析", self._titled(efficiency, strip=_EFFICIENCY)),
            ("存在问题及改进措施", [self.words(t.content) for t in (*texts(self.dept, "存在问题"), *texts(self.dept, "相关建议"))]),
        ]
        title = "绩效自评情况" if self.self_evaluation else "绩效评价情况"
        section: Section = [b.Heading(2, title)]
        for n, (head, body) in enumerate(((h, x) for h, x in parts if x), start=1):
            section += [b.Heading(3, f"（{chinese_numeral(n)}）{head}"), *body]
        return section

    def _titled(self, items: Sequence[TextItem], strip: str = "") -> Section:
        """Texts under their own titles where the titles differ (001: 整体效能（满分 25 分，得分 23.05 分）…)."""
        out: Section = []
        last = None
        n = 0
        for t in items:
            title = re.sub(r"（\d+）$", "", (t.title or "").removeprefix(strip).strip())  # 001: …（1）, …（2） under one heading
            if title and title != last and not _generic(title, ""):
                n += 1
                out.append(b.Heading(4, title if re.match(r"^\d+[.．、]", title) else f"{n}.{title}"))  # 001 二（二） 1. 整体效能
                last = title
            out.append(self.words(t.content))
        return out

    # --- 附件 评分表 ------------------------------------------------------------------------------------------------------

    def annex(self) -> Section:
        """附件：<部门>部门整体支出绩效评价评分表: 一级/二级/三级指标, 分值, 指标解释, 评分标准, 得分, 扣分理由; each
        二级 and 一级 closes with its subtotal (分值, 得分, 得分率, bold: 003 二（二）–（四）), and every row names its
        一级 and 二级 so a printed page says which indicator a row belongs to."""
        if not self.card.indicators:
            return []
        rows: list[list[b.Cell]] = []
        totals: list[int] = []
        for top in self._children(None):
            self._annex_rows(top, rows, totals)
        total_points = format_number(self.card.stated_total) if self.card.stated_total is not None else format_points(self.card.total)
        rows.append([b.Cell("合计", "label"), b.Cell(""), b.Cell(""), b.Cell(format_points(self.card.max), "num"),
                     b.Cell(""), b.Cell(""), b.Cell(total_points, "num"), b.Cell(f"绩效等级：{self.card.stated_grade or self.card.grade or MISSING}", "text")])
        totals.append(len(rows) - 1)
        kind = "自评" if self.self_evaluation else "评价"
        title = f"{self.name}部门整体支出绩效{kind}评分表"
        note = ANNEX_ASSUMED if assumed_wordings(self.framework) else None
        table = b.Table(title, ("一级指标", "二级指标", "三级指标", "分值", "指标解释", "评分标准", "得分", "扣分理由"),
                        tuple(tuple(r) for r in rows), None, None, tuple(totals), note, widths=(7, 7, 10, 5, 24, 24, 5, 18),
                        landscape=True)
        return [b.Heading(2, f"附件：{title}"), table]

    def _annex_rows(self, row: IndicatorScore, rows: list[list[b.Cell]], totals: list[int]) -> None:
        """A leaf's row, or a parent's rows then its subtotal (小计: 分值, 得分 and 得分率 as the report states them)."""
        names = self._path(row)
        points, rate, _ = self._stated(row)
        score_mark = self.marks.cell("scores", row.id, "score")
        rate_mark = self.marks.cell("scores", row.id, "rate")
        if row.leaf:
            indicator = self.framework.indicator(row.id)
            explanation = (indicator.explanation if indicator else None) or ""
            standard = (indicator.standard if indicator else None) or ""
            reason = row.reason if row.score is not None and row.score < row.max and row.reason else ""
            stated = self.scores.get(row.id)
            if row.level < 3 and stated is not None and stated.rate is not None:  # 003 保障措施 states 得分率 75%
                reason = "\n".join(x for x in (f"得分率{rate}", reason) if x)
            rows.append([b.Cell(names[0], "text"), b.Cell(names[1], "text"), b.Cell(names[2], "text"),
                         b.Cell(format_points(row.max), "num"), b.Cell(explanation, "text"), b.Cell(standard, "text"),
                         b.Cell(points, "num", mark=score_mark), b.Cell(reason, "text", mark=rate_mark)])
            return
        for child in self._children(row.id):
            self._annex_rows(child, rows, totals)
        labels = [*names[:row.level], "小计", "", ""][:3]
        rows.append([b.Cell(labels[0], "label"), b.Cell(labels[1], "label"), b.Cell(labels[2], "label"),
                     b.Cell(format_points(row.max), "num"), b.Cell(""), b.Cell(""),
                     b.Cell(points, "num", mark=score_mark),
                     b.Cell(f"得分率{rate}" if rate else "", "text", mark=rate_mark)])
        totals.append(len(rows) - 1)

    def _path(self, row: IndicatorScore) -> list[str]:
        chain = [row]
        while chain[0].parent is not None:
            chain.insert(0, self.card.get(chain[0].parent))
        names = [r.name for r in chain] + ["", ""]
        return names[:3]



# --- the pieces a report assembles from data ----------------------------------------------------------------------

#: The note under the annex 评分表 while some of its 指标解释 or 评分标准 are worked out from the report's text
#: (``assumed:`` in the framework), not taken from the 评分表 the commissioning bureau issued (review B1).
ANNEX_ASSUMED = "注：本表指标解释及评分标准据报告正文整理，待与委托方印发的评分表核对。"


def assumed_wordings(framework: Framework) -> list[tuple[str, str, str, str]]:
    """The 指标解释 and 评分标准 of ``framework`` that rest on an assumption (``assumed:``), each as (编号, 指标,
    指标解释 or 评分标准, the assumption), in the framework's order."""
    out = []
    for i in framework.indicators:
        for label, text, basis in (("指标解释", i.explanation, i.explanation_basis), ("评分标准", i.standard, i.standard_basis)):
            if text and basis is not None and basis.assumed:
                out.append((i.id, i.name, label, basis.assumed))
    return out


#: The columns of the budget tables as 003 prints them (表2, 表3), each with the model attribute it shows.
_BUDGET_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "income": (("年初预算数", "initial"), ("调整预算数", "adjusted"), ("决算数", "final")),
    "expenditure": (("年初预算数", "initial"), ("A涉改调整资金", "reform_adjustment"),
                    ("B财政部门直接调整资金", "direct_adjustment"), ("剔除A和B后的预算数", "net_initial"),
                    ("调整预算数", "adjusted"), ("决算数", "final")),
    "functional": (("预算数", "initial"), ("调整预算数", "adjusted"), ("决算数", "final")),
}
#: The four parts of 一、部门基本情况, as each outline heads them (003 一; 000 and 001 一).
_BASICS = {
    "municipal": ("部门主要职能。", "年度总体工作任务及重点工作任务。", "资金使用的绩效目标及指标。", "部门整体收支情况。"),
    "provincial": ("部门职能", "年度总体工作和重点工作任务", "部门整体支出绩效目标", "部门整体支出情况（以决算数为统计口径）"),
}
#: Titles that label where a text came from rather than say what it is about (000, 001: "就部门整体支出绩效管理存在问题",
#: "改进措施"): such a text is printed without them.
_SECTION_LABELS = ("就部门整体支出", "改进措施", "履职效能分析", "自评结论", "部门整体支出绩效目标", "上年度绩效自评整改情况",
                   "部门整体支出情况")


def _numbered_labels(lines: Sequence[BudgetLine]) -> dict[int, str]:
    """003 表2/表3's row labels from the rows' levels (上级, 行类型): 一、基本支出 / 　1、人员经费 / 　其中：基本建设类项目 /
    合  计 — top-level parts numbered 一、二、…, their parts 1、2、… and indented, a memo line 其中：."""
    out: dict[int, str] = {}
    tops = 0
    children: dict[str, int] = {}
    for line in lines:
        indent = "　" if line.parent is not None else ""
        if line.row_kind == "合计":
            out[id(line)] = "合  计" if line.name == "合计" else line.name
        elif line.row_kind == "其中":
            out[id(line)] = f"{indent}其中：{line.name}"
        elif line.parent is None:
            tops += 1
            out[id(line)] = f"{chinese_numeral(tops)}、{line.name}"
        else:
            children[line.parent] = children.get(line.parent, 0) + 1
            out[id(line)] = f"{indent}{children[line.parent]}、{line.name}"
    return out


def _generic(title: str, category: str) -> bool:
    return title == category or title.startswith(_SECTION_LABELS)


def _headline(t: TextItem) -> str:
    """A problem or a piece of advice in a few words: its title, or where that is only a label, its first sentence."""
    if t.title and not _generic(t.title, t.category):
        return t.title
    first = re.split(r"[。；]", t.content.strip(), maxsplit=1)[0]
    return re.sub(r"^[一二三四五六七八九十]+是", "", first)


def _figure(v: Number | str | None) -> str:
    if v is None:
        return MISSING
    return format_number(v, thousands=True) if isinstance(v, Number) else v


def _kpi_title(group: str) -> str:
    """就业创业 → 就业创业工作完成情况表; 党建工作 → 党建工作完成情况表 (never 党建工作工作)."""
    return f"{group}完成情况表" if group.endswith("工作") else f"{group}工作完成情况表"


def _budget_sentence(dept: DepartmentYear) -> str | None:
    """The budget chain in one sentence: 年初预算 → 剔除后 → 调整预算 → 决算, with 预算调整率 and 预算支出率."""
    total = dept.total("expenditure")
    if total is None:
        return None
    parts = []
    if total.initial is not None:
        parts.append(f"{dept.fiscal_year}年初部门预算数为{wan(value(total.initial))}万元")
    removed = [(label, value(n)) for label, n in (("涉改调整资金", total.reform_adjustment),
                                                  ("财政部门直接调整资金", total.direct_adjustment)) if n is not None and n.value != 0]
    if total.net_initial is not None:
        detail = "和".join(f"{label}{wan(v)}万元" for label, v in removed) or "调整"
        parts.append(f"剔除{detail}后的部门预算数为{wan(value(total.net_initial))}万元")
    if total.adjusted is not None:
        parts.append(f"调整预算数为{wan(value(total.adjusted))}万元")
        rate = adjustment_rate(value(total.adjusted), value(total.net_initial))
        if rate is not None:
            parts.append(f"预算调整率为{pct(rate)}")
    if total.final is not None:
        parts.append(f"部门决算数为{wan(value(total.final))}万元")
        rate = execution_rate(value(total.final), value(total.adjusted) if total.adjusted is not None else value(total.initial))
        if rate is not None:
            parts.append(f"部门预算支出率为{pct(rate)}")
    return (dept.department.name + "，".join(parts) + "。") if parts else None


def _profile(dept: DepartmentYear) -> list[str]:
    """内设机构 (the stated count where the report states one: a list it marks 等 is incomplete), 编制, 实有人数, 公务用车."""
    out = []
    internal = [u.name for u in dept.units if u.kind == "内设机构"]
    stated = [s.value for s in dept.stated_of("profile.internal_unit_count") if isinstance(s.value, Number)]
    if internal:
        count = format_number(stated[0]) if stated else str(len(internal))
        out.append(f"{dept.department.name}内设{'、'.join(internal)}等{count}个机构。")
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
    for s in (x for x in dept.staffing if x.unit == "台"):
        have = f"，实有{format_number(s.actual)}台" if s.actual is not None else ""
        out.append(f"{s.category}编制{format_number(s.authorized) if s.authorized is not None else MISSING}台{have}。")
    return out


def _conclusion(dept: DepartmentYear, card: Scorecard) -> list[str]:
    """A conclusion in the register of 003 三 from the scorecard, for a report that does not write its own."""
    tops = [r for r in card.indicators if r.level == 1 and not r.adjustment]
    dims = "、".join(r.name for r in tops)
    kind = "自评" if dept.evaluation.is_self_evaluation else "评价"
    name, year = dept.department.name, dept.fiscal_year
    out = [f"本次{kind}从{dims}{len(tops)}个维度，综合评价{name}{year}年度部门整体支出绩效。"]
    if card.adjustment:
        out.append(f"加减分项{format_points(card.adjustment)}分。")
    if card.total is not None:
        out.append(f"{name}{year}年度部门整体支出绩效{kind}的总得分为{format_points(card.total)}分，绩效等级为“{card.grade}”。")
    elif card.stated_total is not None:
        grade = f"，绩效等级为“{card.stated_grade}”" if card.stated_grade else ""
        out.append(f"{name}{year}年度部门整体支出绩效{kind}的总得分为{format_number(card.stated_total)}分{grade}。")
    return out


# --- the scoring notebook's working-paper tables ---------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One piece of the report: a heading (``level`` 3 or 4) or a paragraph (``level`` 0)."""

    level: int
    text: str


def _row_sentence(row: IndicatorScore) -> str:
    head = f"指标分值{format_points(row.max)}分"
    if row.leaf:
        score = f"，得{format_points(row.score)}分" if row.score is not None else "，未评分"
        return f"{head}{score}。"
    if row.score is None:
        return f"{head}，未评分（下级指标未全部评分）。"
    rate = f"，得分率{pct(row.rate)}" if row.rate is not None else ""
    return f"{head}，评价得分{format_points(row.score)}分{rate}。"


def _points_of(row: IndicatorScore) -> str:
    """得分 with its unit, or 未评分 (never "—分", which reads as 一分)."""
    return f"{format_points(row.score)}分" if row.score is not None else "未评分"


def score_comparison(dept: DepartmentYear, card: Scorecard) -> list[str]:
    """四、与报告所列得分的差异: each difference, what was compared and found to agree, and what could not be compared."""
    stated_ids = {s.subject for s in dept.stated_of("score.indicator")} | {s.id for s in dept.scores if s.score is not None}
    parents = [r for r in card.indicators if not r.leaf and r.id in stated_ids]
    compared = [r for r in parents if r.score is not None]
    unscored = [r for r in parents if r.score is None]
    out = list(card.findings)
    agreed = [r for r in compared if not any(f.startswith(f"{r.id} ") for f in out)]
    what = []
    if agreed:
        what.append(f"{len(agreed)}项上级指标所列得分与其下级指标得分合计")
    if card.stated_total is not None and card.total is not None and not any(f.startswith("报告列示总分") for f in out):
        what.append(f"所列总分{format_number(card.stated_total)}分与按各项得分计算的总分")
    if card.stated_grade is not None and card.grade is not None and not any(f.startswith("报告列示等级") for f in out):
        what.append(f"所列等级“{card.stated_grade}”与按总分确定的等级")
    lead = "除上述差异外，经比较，" if out else "经比较，"
    if what:
        out.append(lead + "、".join(what) + "一致。")
    elif not out:
        out.append("没有可比较的报告所列得分。")
    missing = []
    if card.missing:
        missing.append(f"{len(card.missing)}项指标未评分（{'、'.join(card.missing)}）")
    if unscored:
        missing.append(f"{len(unscored)}项上级指标所列得分因下级未全部评分无法合计比较（{'、'.join(r.id for r in unscored)}）")
    if card.stated_total is not None and card.total is None:
        missing.append(f"报告所列总分{format_number(card.stated_total)}分无法与计算的总分比较")
    if card.stated_grade is not None and card.grade is None:
        missing.append(f"报告所列等级“{card.stated_grade}”无法与按总分确定的等级比较")
    if card.stated_total is None:
        missing.append("报告未列示总分")
    if missing:
        out.append("未比较：" + "；".join(missing) + "。")
    return out


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
    dims = "、".join(f"{r.name}（{_points_of(r)}/{format_points(r.max)}分）" for r in tops)
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
