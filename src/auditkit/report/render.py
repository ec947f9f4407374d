"""Executed notebook → one self-contained HTML report for reviewers: no code, no prompts, no network request.

:class:`ReportExporter` is registered with nbconvert (entry point ``nbconvert.exporters``: ``auditkit``), so
``jupyter nbconvert --to auditkit executed.ipynb`` renders any executed auditkit notebook as the batch does; the
template alone is installed where Jupyter looks for templates, for ``jupyter nbconvert --to html --template auditkit``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from traitlets import default

from auditkit.report.blocks import BLOCK_MIME

__all__ = ["TEMPLATE_DIR", "ReportExporter", "export_html", "html_exporter", "install_template", "is_draft"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
#: Cells a reviewer never sees: the parameters and papermill's injected copy of them.
HIDDEN_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell"})
_HEADING = re.compile(r"<h([23])([^>]*)>(.*?)</h\1>", re.S)
_ID = re.compile(r'\sid="([^"]+)"')
_TAGS = re.compile(r"<[^>]+>")


class ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter on auditkit's template: no code, prompts or parameter cells, no stderr, a table of
    contents. The header and footer come from ``metadata.auditkit`` of the notebook
    (the batch writes it there: title, department, data fingerprint, how to reproduce)."""

    export_from_notebook = "auditkit 报告"

    @default("template_name")
    def _template_name_default(self) -> str:
        return "auditkit"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATE_DIR)]

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]  # nbconvert's own methods are untyped
        self.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=set(HIDDEN_TAGS), enabled=True), enabled=True)  # type: ignore[no-untyped-call]

    def from_notebook_node(  # type: ignore[override]  # as nbconvert's HTMLExporter: HTML text, not a notebook
        self, nb: nbformat.NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        nb = nbformat.from_dict(nb)  # a copy: the caller's notebook keeps its stderr
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.get("outputs", [])
                                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        nb.metadata.setdefault("auditkit", {})
        if is_draft(nb):
            nb.metadata["auditkit"]["draft"] = True
        body, resources = super().from_notebook_node(nb, resources, **kw)
        return _with_toc(body), resources


def is_draft(nb: nbformat.NotebookNode) -> bool:
    """Whether the executed notebook is a draft report: it shows a cover that says so (征求意见稿)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for block in output.get("data", {}).get(BLOCK_MIME, []):
                if isinstance(block, dict) and block.get("kind") == "cover" and block.get("draft"):
                    return True
    return False


def html_exporter() -> ReportExporter:
    """The report exporter. Build one per process and reuse it: the first export pays for loading the templates."""
    return ReportExporter()


def export_html(nb: nbformat.NotebookNode, meta: dict[str, Any], exporter: HTMLExporter | None = None) -> str:
    """Render an executed notebook; ``meta`` fills the header and footer (title, department, version, data hash…)."""
    nb = nbformat.from_dict(nb)
    nb.metadata["auditkit"] = meta
    body, _ = (exporter or html_exporter()).from_notebook_node(nb)
    return str(body)


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
    if "<!--AUDITKIT-TOC-->" in body:
        return body.replace("<!--AUDITKIT-TOC-->", toc, 1)
    cover = body.find("</section>", body.find('<section class="ak-cover">'))
    if '<section class="ak-cover">' in body and cover >= 0:
        at = cover + len("</section>")
        return body[:at] + toc + body[at:]
    return body


def install_template(prefix: str | Path | None = None) -> Path:
    """Make auditkit's template visible to ``jupyter nbconvert --template auditkit`` in this environment.

    A wheel installs the template under ``<prefix>/share/jupyter/nbconvert/templates/auditkit`` (setuptools
    ``data-files``); an editable install does not (PEP 660 makes only the package editable), so ``make setup`` calls
    this to link that folder to the package's own template, which edits then reach at once. A folder already there
    is left alone. Returns the template folder Jupyter reads.
    """
    import sys

    target = Path(prefix or sys.prefix) / "share" / "jupyter" / "nbconvert" / "templates" / "auditkit"
    if target.is_symlink() and not target.exists():
        target.unlink()  # a link to a checkout that moved
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(TEMPLATE_DIR / "auditkit", target_is_directory=True)
    return target
