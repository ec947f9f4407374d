"""Executed notebook → one self-contained HTML report for reviewers: no code, no prompts, no network request."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

__all__ = ["TEMPLATE_DIR", "export_html", "html_exporter"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
#: Cells a reviewer never sees: the parameters and papermill's injected copy of them.
HIDDEN_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell"})
_HEADING = re.compile(r"<h([23])([^>]*)>(.*?)</h\1>", re.S)
_ID = re.compile(r'\sid="([^"]+)"')
_TAGS = re.compile(r"<[^>]+>")
#: The style block pandas writes beside every table (display.table): the same rules under each table's own id.
_TABLE_STYLE = re.compile(r'<style type="text/css">\s*#T_ak-table-\d+[^<]*</style>\s*')


def html_exporter() -> HTMLExporter:
    """An HTMLExporter on auditkit's template, with code, prompts and parameter cells removed.

    Build one per process and reuse it: the first export pays for loading the templates.
    """
    exporter = HTMLExporter(
        template_name="auditkit",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=set(HIDDEN_TAGS), enabled=True), enabled=True)
    return exporter


def export_html(nb: nbformat.NotebookNode, meta: dict[str, Any], exporter: HTMLExporter | None = None) -> str:
    """Render an executed notebook; ``meta`` fills the header and footer (title, department, version, data hash…)."""
    nb = nbformat.from_dict(nb)  # a copy: the caller's notebook keeps its stderr and metadata
    nb.metadata["auditkit"] = meta
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    body, _ = (exporter or html_exporter()).from_notebook_node(nb)
    return _with_toc(_shared_table_style(body))


def _shared_table_style(body: str) -> str:
    """One style sheet for all the tables instead of a copy per table: a long report stays small (issue 8: ≤ 40 KB)."""
    from auditkit.report.display import table_css

    blocks = list(_TABLE_STYLE.finditer(body))
    if not blocks:
        return body
    shared = f'<style type="text/css">\n{table_css()}\n</style>\n'
    start = blocks[0].start()
    return body[:start] + shared + _TABLE_STYLE.sub("", body[start:])


def _with_toc(body: str) -> str:
    """Give every h2/h3 an id and put a table of contents (目录) where the template left its marker."""
    entries: list[tuple[str, str, str]] = []

    def number(match: re.Match[str]) -> str:
        level, attrs, inner = match.groups()
        found = _ID.search(attrs)
        anchor = found.group(1) if found else f"sec-{len(entries) + 1}"
        if not found:
            attrs = f'{attrs} id="{anchor}"'
        text = html.unescape(_TAGS.sub("", inner)).replace("¶", "").strip()
        entries.append((level, anchor, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    body = _HEADING.sub(number, body)
    if not entries:
        return body.replace("<!--AUDITKIT-TOC-->", "")
    items = "\n".join(
        f'<li class="ak-toc-h{level}"><a href="#{html.escape(anchor, quote=True)}">{html.escape(text)}</a></li>'
        for level, anchor, text in entries
    )
    toc = f'<nav class="ak-toc"><div class="ak-toc-title">目录</div><ul>\n{items}\n</ul></nav>'
    return body.replace("<!--AUDITKIT-TOC-->", toc, 1)
