"""What a notebook needs besides the analyses: load the department, number tables and figures, show them safely.

Notebooks stay thin: one ``Report`` per notebook, then one call per table, chart or list of findings. Each call
displays :mod:`auditkit.report.blocks` in three forms: HTML (escaped), plain text, and the blocks as JSON
(:data:`~auditkit.report.blocks.BLOCK_MIME`), from which the Word document is written; a table also carries its
figures as a data resource (:data:`DATA_RESOURCE`).
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from auditkit.data.loading import load
from auditkit.data.model import DepartmentYear
from auditkit.data.prior_year import PriorYear, link_prior_year
from auditkit.paths import project_root
from auditkit.report import blocks as b
from auditkit.report.display import chinese_numeral, table
from auditkit.scoring.comparison import score_change
from auditkit.scoring.scorecard import Scorecard

__all__ = ["DATA_RESOURCE", "Report", "YearReport", "show"]

#: A table's figures in the executed notebook, machine-readable (Frictionless table schema, as pandas writes it), so
#: that a reviewer's own notebook can read a report's figures, not only its HTML.
DATA_RESOURCE = "application/vnd.dataresource+json"


def show(blocks: Sequence[b.Block], extra: Mapping[str, Any] | None = None) -> None:
    """Display ``blocks`` as one output: their HTML, their plain text, the blocks themselves, and ``extra`` forms."""
    from IPython.display import display

    bundle = {"text/html": b.html(blocks), "text/plain": b.plain(blocks), b.BLOCK_MIME: [b.to_json(x) for x in blocks]}
    display({**bundle, **(extra or {})}, raw=True)


def _data_resource(frame: Any) -> dict[str, Any]:
    """The table as a data resource: its schema (field names and types) and its rows, missing figures as null."""
    resource: dict[str, Any] = json.loads(frame.reset_index(drop=True).to_json(orient="table", index=False, force_ascii=False))
    resource["schema"].pop("pandas_version", None)  # a library's version, not the table's: kept out of the goldens
    return resource


class Report:
    """One notebook's department, with table and figure numbering (表1, 表2 …; 图1 …) in order of appearance.

    The prior year is linked on construction (:func:`auditkit.data.prior_year.link_prior_year`): ``dept`` is the
    department-year with its empty 上年 figures filled from ``data/<year−1>/<dept_id>``, so every 同比 picks them up;
    ``prior`` keeps the link (what was filled, the disagreements, the sentence for the report). A prior year that
    cannot be used is reported in ``prior.sentence`` and ignored.
    """

    def __init__(self, data_path: str | Path, framework: str | None = None) -> None:
        path = Path(data_path)
        self.prior: PriorYear = link_prior_year(load(path if path.is_absolute() else project_root() / path))
        self.dept: DepartmentYear = self.prior.dept
        self.framework = framework or self.dept.evaluation.framework
        self._start()

    def _start(self) -> None:
        """Numbering from 表1 and 图1, charts drawn off-screen with the CJK font."""
        self.table_count = 0
        self.figure_count = 0
        import matplotlib

        matplotlib.use("Agg")
        from auditkit.report.fonts import use_cjk_font

        use_cjk_font()

    def table(self, frame: Any, title: str, unit: str | None = "万元", note: str | None = None,
              empty: str | None = None) -> None:
        """Show a numbered table (表N 标题, 单位), with ``note`` as its 备注 under it; without rows, ``empty`` (or that
        the department reports no such data)."""
        if frame is None or len(frame) == 0:
            if empty:
                show([b.Paragraph(empty, "missing")])
            else:
                self.missing(title)
            return
        self.table_count += 1
        show([table(frame, self.table_count, title, unit=unit, note=note)], {DATA_RESOURCE: _data_resource(frame)})

    @staticmethod
    def document(sections: Iterable[Sequence[b.Block]]) -> None:
        """Show a document built as blocks (:func:`auditkit.report.evaluation.document`), one output a section."""
        for section in sections:
            show(list(section))

    def tables(self, titled: Iterable[tuple[str, Any]], unit: str | None = None) -> None:
        """Show several numbered tables in order, each (title, frame)."""
        for title, frame in titled:
            self.table(frame, title, unit=unit)

    def figure(self, fig: Any, title: str) -> None:
        """Show a numbered chart (图N 标题) as a PNG output of its own, captioned by the report template.

        The image is an ``image/png`` output, never inlined into HTML, so the executed notebook's text (and its
        golden copy) does not change with the bytes a matplotlib or font version draws.
        """
        if fig is None:
            self.missing(title)
            return
        import matplotlib.pyplot as plt
        from IPython.display import display

        self.figure_count += 1
        buffer = io.BytesIO()
        # no "Software: Matplotlib version …" stamp: the same chart gives the same bytes across versions' metadata
        fig.savefig(buffer, format="png", dpi=144, bbox_inches="tight", metadata={"Software": None})
        plt.close(fig)
        block = b.Figure(self.figure_count, title)
        display({"image/png": base64.b64encode(buffer.getvalue()).decode(), "text/plain": block.caption,
                 b.BLOCK_MIME: [b.to_json(block)]}, raw=True, metadata={"auditkit": {"caption": block.caption}})

    def prior_scores(self, card: Scorecard) -> None:
        """指标得分与上年比较: the sentence naming both years' frameworks, then the table of the indicators whose 编号
        match (or only the sentence saying why there is no comparison)."""
        sentence, comparison = score_change(self.prior, card)
        self.note(sentence)
        if comparison is not None:
            self.table(comparison, "指标得分与上年比较", unit=None)

    @staticmethod
    def findings(items: Iterable[str], empty: str = "未发现需要关注的事项。") -> None:
        """Show short findings as a list (text escaped)."""
        items = list(items)
        if not items:
            Report.note(empty)
            return
        show([b.ItemList(tuple(items))])

    @staticmethod
    def paragraphs(texts: Iterable[str]) -> None:
        """Show the report's own words (the evaluator's text), escaped, one paragraph each."""
        kept = [b.Paragraph(t) for t in texts if t]
        if kept:
            show(kept)

    @staticmethod
    def blocks(blocks: Iterable[Any]) -> None:
        """Show headings (``level`` 3 or 4) and paragraphs (``level`` 0) such as :func:`auditkit.report.evaluation.indicator_analysis` returns."""
        shown = [b.Heading(x.level, x.text) if x.level else b.Paragraph(x.text) for x in blocks]
        if shown:
            show(shown)

    @staticmethod
    def numbered(items: Iterable[Any], empty: str = "报告未列示。") -> None:
        """Show the evaluator's numbered items (存在问题, 相关建议 …): each title as a heading, its text verbatim."""
        shown: list[b.Block] = []
        for i, item in enumerate(items, start=1):
            title = item.title or ""
            label = f"（{chinese_numeral(i)}）"
            if title and title != item.content:
                shown += [b.Heading(4, label + title), b.Paragraph(item.content)]
            else:
                shown.append(b.Paragraph(label + item.content))
        show(shown or [b.Paragraph(empty, "missing")])

    @staticmethod
    def note(text: str) -> None:
        show([b.Paragraph(text, "note")])

    @staticmethod
    def missing(what: str) -> None:
        show([b.Paragraph(f"本部门数据未列示{what}。", "missing")])


class YearReport(Report):
    """The results summary's notebook (评价结果汇总): one fiscal year's departments, each loaded, scored and reviewed as
    its own reports do (:func:`auditkit.report.year.load_year`), with the same tables, figures and numbering as a
    department's report. ``departments`` (ids) and ``framework`` narrow the year; ``entries`` are the departments
    evaluated, ``failed`` those that could not be, with why."""

    def __init__(self, fiscal_year: int | str, departments: Sequence[str] | None = None,
                 framework: str | None = None) -> None:
        from auditkit.report.year import load_year

        self.fiscal_year = int(fiscal_year)
        self.year = load_year(self.fiscal_year, list(departments) if departments else None, framework or None)
        self.entries = self.year.entries
        self.failed = self.year.failed
        self.framework = framework or ""
        self._start()

    def heatmaps(self, matrices: Iterable[Any]) -> None:
        """One heat map (:func:`auditkit.report.charts.score_heatmap`) per framework's matrix, each numbered."""
        from auditkit.report.charts import score_heatmap

        shown = False
        for matrix in matrices:
            self.figure(score_heatmap(matrix), f"各部门二级指标得分率（{matrix.framework_name}）")
            shown = True
        if not shown:
            self.note("各指标体系的部门均不足 3 个，不绘制得分率热力图；各部门的二级指标得分率见上表。")

    def failures(self) -> None:
        """The departments that could not be summarised, with why (or nothing when all could)."""
        if self.failed:
            import pandas as pd

            frame = pd.DataFrame({"部门编号": [d for d, _ in self.failed], "原因": [m for _, m in self.failed]})
            self.table(frame, "未能汇总的部门", unit=None)
