"""The pieces of a report, as data: headings, paragraphs, lists, tables, figures, notes.

Every helper of :class:`auditkit.report.notebook.Report` builds blocks and displays each with three forms side by side:
its HTML (what the page shows), its plain text, and the block itself as JSON (:data:`BLOCK_MIME`). The HTML page and
the Word document are both written from the same blocks, so they carry the same figures: the page through
:func:`html`, the document by reading the JSON back (:func:`from_json`) out of the executed notebook.

Text from a department's data goes in as text: :func:`html` escapes all of it.
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

__all__ = [
    "BLOCK_MIME",
    "Block",
    "Cell",
    "CellKind",
    "Figure",
    "Heading",
    "ItemList",
    "Paragraph",
    "ParagraphStyle",
    "Table",
    "from_json",
    "html",
    "plain",
    "to_json",
]

#: The mime type of a block in an executed notebook's outputs (a list of blocks, in order).
BLOCK_MIME = "application/vnd.auditkit.block+json"

CellKind: TypeAlias = Literal["label", "text", "short", "num", "pct"]
Flag: TypeAlias = Literal["error", "warning"]
#: ``body`` the report's own words; ``note`` a remark in smaller type; ``missing`` data the department does not give;
#: ``source`` a table's 备注 (where its figures come from).
ParagraphStyle: TypeAlias = Literal["body", "note", "missing", "source"]


@dataclass(frozen=True)
class Heading:
    """A heading inside a notebook cell's output (``level`` 2 is 一、, 3 is （一）, 4 is 1.)."""

    level: int
    text: str
    kind: Literal["heading"] = "heading"


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: ParagraphStyle = "body"
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class ItemList:
    items: tuple[str, ...]
    kind: Literal["list"] = "list"


@dataclass(frozen=True)
class Cell:
    """One table cell as printed: its text, how it aligns (``num`` and ``pct`` right, ``label`` the row's name),
    and a status flag shown in colour (未达成, 滞后)."""

    text: str
    kind: CellKind = "text"
    flag: Flag | None = None


@dataclass(frozen=True)
class Table:
    """A numbered table (表N 标题, 单位：万元), its header, its rows of printed cells, its total rows (bold), and the
    备注 printed under it. ``number`` None is an unnumbered table (an annex's)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    number: int | None = None
    unit: str | None = None
    totals: tuple[int, ...] = ()
    note: str | None = None
    kind: Literal["table"] = "table"

    @property
    def caption(self) -> str:
        """``表3 部门支出预决算情况表``; an unnumbered table keeps its title alone."""
        return f"表{self.number} {self.title}" if self.number is not None else self.title


@dataclass(frozen=True)
class Figure:
    """A numbered chart (图N 标题); its image is the ``image/png`` of the same output."""

    number: int
    title: str
    kind: Literal["figure"] = "figure"

    @property
    def caption(self) -> str:
        return f"图{self.number} {self.title}"


Block: TypeAlias = Heading | Paragraph | ItemList | Table | Figure
_KINDS: Mapping[str, type[Any]] = {"heading": Heading, "paragraph": Paragraph, "list": ItemList, "table": Table,
                                   "figure": Figure}


# --- JSON ------------------------------------------------------------------------------------------------------


def to_json(block: Block) -> dict[str, Any]:
    """The block as JSON-ready values (cells as objects, tuples as lists)."""
    if isinstance(block, Table):
        return {
            "kind": "table", "title": block.title, "number": block.number, "unit": block.unit,
            "columns": list(block.columns), "totals": list(block.totals), "note": block.note,
            "rows": [[{"text": c.text, "kind": c.kind, **({"flag": c.flag} if c.flag else {})} for c in row]
                     for row in block.rows],
        }
    if isinstance(block, ItemList):
        return {"kind": "list", "items": list(block.items)}
    values = {k: getattr(block, k) for k in block.__dataclass_fields__}
    return values


def from_json(value: Mapping[str, Any]) -> Block:
    """A block read back from :func:`to_json`'s form (as an executed notebook stores it)."""
    kind = value.get("kind")
    if kind == "table":
        rows = tuple(tuple(Cell(str(c["text"]), c.get("kind", "text"), c.get("flag")) for c in row) for row in value["rows"])
        return Table(str(value["title"]), tuple(value["columns"]), rows, value.get("number"), value.get("unit"),
                     tuple(value.get("totals", ())), value.get("note"))
    if kind == "list":
        return ItemList(tuple(str(i) for i in value["items"]))
    cls = _KINDS.get(str(kind))
    if cls is None:
        raise ValueError(f"unknown block kind {kind!r}")
    return cls(**{k: v for k, v in value.items() if k != "kind"})  # type: ignore[no-any-return]


# --- HTML and plain text -----------------------------------------------------------------------------------------

_P_CLASS: Mapping[ParagraphStyle, str] = {"body": "", "note": "ak-note", "missing": "ak-missing", "source": "ak-source"}


def _e(text: str) -> str:
    return _html.escape(text, quote=True)


def _table_html(t: Table) -> str:
    unit = f'<span class="ak-unit">单位：{_e(t.unit)}</span>' if t.unit else ""
    head = "".join(f"<th>{_e(c)}</th>" for c in t.columns)
    body = []
    for n, row in enumerate(t.rows):
        cells = []
        for cell in row:
            classes = " ".join(c for c in (f"ak-{cell.kind}", f"ak-flag-{cell.flag}" if cell.flag else "") if c)
            cells.append(f'<td class="{classes}">{_e(cell.text)}</td>')
        total = ' class="ak-total"' if n in t.totals else ""
        body.append(f"<tr{total}>{''.join(cells)}</tr>")
    anchor = f' id="table-{t.number}"' if t.number is not None else ""
    note = f'<p class="ak-source">{_e(t.note)}</p>' if t.note else ""
    return (f'<table class="ak-table"{anchor}><caption>{_e(t.caption)}{unit}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}")


def html(blocks: Iterable[Block]) -> str:
    """The blocks as one HTML fragment, every text escaped."""
    parts: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            parts.append(f"<h{b.level}>{_e(b.text)}</h{b.level}>")
        elif isinstance(b, Paragraph):
            css = _P_CLASS[b.style]
            parts.append(f'<p class="{css}">{_e(b.text)}</p>' if css else f"<p>{_e(b.text)}</p>")
        elif isinstance(b, ItemList):
            parts.append('<ul class="ak-findings">' + "".join(f"<li>{_e(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            parts.append(_table_html(b))
        elif isinstance(b, Figure):
            parts.append(f"<figcaption>{_e(b.caption)}</figcaption>")
    return "".join(parts)


def plain(blocks: Sequence[Block]) -> str:
    """The blocks as plain text (the executed notebook's ``text/plain``: readable, and stable across runs)."""
    parts: list[str] = []
    for b in blocks:
        if isinstance(b, (Heading, Paragraph)):
            parts.append(b.text)
        elif isinstance(b, ItemList):
            parts.append("\n".join(f"- {i}" for i in b.items))
        elif isinstance(b, Table):
            caption = b.caption + (f"（单位：{b.unit}）" if b.unit else "")
            lines = [caption, " | ".join(b.columns), *(" | ".join(c.text for c in row) for row in b.rows)]
            parts.append("\n".join(lines + ([b.note] if b.note else [])))
        elif isinstance(b, Figure):
            parts.append(b.caption)
    return "\n\n".join(parts)

