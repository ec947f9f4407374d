"""What a notebook needs besides the analyses: load the department, number tables and figures, show them safely.

Notebooks stay thin: one ``Report`` per notebook, then one call per table, chart or list of findings. Everything
shown that came from a department's data is HTML-escaped here or in :mod:`auditkit.display`.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from auditkit.loading import load
from auditkit.model import DepartmentYear
from auditkit.paths import project_root
from auditkit.prior_year import PriorYear, link_prior_year, score_change
from auditkit.scoring import Scorecard

__all__ = ["Report"]

_CN = "一二三四五六七八九十"


class _Html:
    """A trusted HTML fragment for IPython's rich display (built only from escaped text)."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:  # the text/plain copy in the executed notebook: stable, so notebooks diff cleanly
        return "[HTML]"


def _show(obj: Any) -> None:
    from IPython.display import display

    display(obj)


class Report:
    """One notebook's department, with table and figure numbering (表1, 表2 …; 图1 …) in order of appearance.

    The prior year is linked on construction (:func:`auditkit.prior_year.link_prior_year`): ``dept`` is the
    department-year with its empty 上年 figures filled from ``data/<year−1>/<dept_id>``, so every 同比 picks them up;
    ``prior`` keeps the link (what was filled, the disagreements, the sentence for the report). A prior year that
    cannot be used is reported in ``prior.sentence`` and ignored.
    """

    def __init__(self, data_path: str | Path, framework: str | None = None) -> None:
        path = Path(data_path)
        self.prior: PriorYear = link_prior_year(load(path if path.is_absolute() else project_root() / path))
        self.dept: DepartmentYear = self.prior.dept
        self.framework = framework or self.dept.evaluation.framework
        self.table_count = 0
        self.figure_count = 0
        import matplotlib

        matplotlib.use("Agg")
        from auditkit.fonts import use_cjk_font

        use_cjk_font()

    def table(self, frame: Any, title: str, unit: str | None = "万元", note: str | None = None) -> None:
        """Show a numbered table (表N 标题（单位）), or say plainly that the department reports no such data."""
        from auditkit.display import table

        if frame is None or len(frame) == 0:
            self.missing(title)
            return
        self.table_count += 1
        _show(_Html(table(frame, self.table_count, title, unit=unit).to_html()))
        if note:
            self.note(note)

    def tables(self, titled: Iterable[tuple[str, Any]], unit: str | None = None) -> None:
        """Show several numbered tables in order, each (title, frame)."""
        for title, frame in titled:
            self.table(frame, title, unit=unit)

    def figure(self, fig: Any, title: str) -> None:
        """Show a numbered chart as an embedded PNG with its caption (图N 标题)."""
        if fig is None:
            self.missing(title)
            return
        import matplotlib.pyplot as plt

        self.figure_count += 1
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=144, bbox_inches="tight")
        plt.close(fig)
        data = base64.b64encode(buffer.getvalue()).decode()
        caption = html.escape(f"图{self.figure_count} {title}")
        _show(_Html(f'<figure><img alt="{caption}" src="data:image/png;base64,{data}"/>'
                    f'<figcaption style="text-align:center">{caption}</figcaption></figure>'))

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
        body = "".join(f"<li>{html.escape(item)}</li>" for item in items)
        _show(_Html(f'<ul class="ak-findings">{body}</ul>'))

    @staticmethod
    def paragraphs(texts: Iterable[str]) -> None:
        """Show the report's own words (the evaluator's text), escaped, one paragraph each."""
        body = "".join(f"<p>{html.escape(t)}</p>" for t in texts if t)
        if body:
            _show(_Html(body))

    @staticmethod
    def blocks(blocks: Iterable[Any]) -> None:
        """Show headings (``level`` 3 or 4) and paragraphs (``level`` 0) such as :func:`auditkit.report.indicator_analysis` returns."""
        parts = []
        for block in blocks:
            text = html.escape(block.text)
            parts.append(f"<h{block.level}>{text}</h{block.level}>" if block.level else f"<p>{text}</p>")
        if parts:
            _show(_Html("".join(parts)))

    @staticmethod
    def numbered(items: Iterable[Any], empty: str = "报告未列示。") -> None:
        """Show the evaluator's numbered items (存在问题, 相关建议 …): each title as a heading, its text verbatim."""
        parts = []
        for i, item in enumerate(items):
            title = item.title or ""
            label = f"（{_CN[i] if i < len(_CN) else i + 1}）"
            if title and title != item.content:
                parts.append(f"<h4>{html.escape(label + title)}</h4><p>{html.escape(item.content)}</p>")
            else:
                parts.append(f"<p>{html.escape(label + item.content)}</p>")
        _show(_Html("".join(parts)) if parts else _Html(f'<p class="ak-missing">{html.escape(empty)}</p>'))

    @staticmethod
    def note(text: str) -> None:
        _show(_Html(f'<p class="ak-note">{html.escape(text)}</p>'))

    @staticmethod
    def missing(what: str) -> None:
        _show(_Html(f'<p class="ak-missing">本部门数据未列示{html.escape(what)}。</p>'))
