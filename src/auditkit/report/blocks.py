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
    "Cover",
    "Figure",
    "Heading",
    "ItemList",
    "Notes",
    "Paragraph",
    "ParagraphStyle",
    "SignOff",
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
    """A heading inside a notebook cell's output (``level`` 2 is 一、, 3 is （一）, 4 is 1.); ``marks`` as a paragraph's."""

    level: int
    text: str
    marks: tuple[int, ...] = ()
    kind: Literal["heading"] = "heading"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``marks`` are the numbers of the notes (:class:`Notes`) on figures in it awaiting confirmation."""

    text: str
    style: ParagraphStyle = "body"
    marks: tuple[int, ...] = ()
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
    mark: int | None = None


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
    #: Each column's share of the width, in percent (empty: the columns size themselves).
    widths: tuple[int, ...] = ()
    #: Printed on landscape pages of its own, with the heading before it (the 评分表 annex: eight columns, long text).
    landscape: bool = False
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


@dataclass(frozen=True)
class Notes:
    """The notes the marks of a section refer to (注1：……), e.g. that a figure awaits the evaluator's confirmation."""

    items: tuple[tuple[int, str], ...]
    kind: Literal["notes"] = "notes"


@dataclass(frozen=True)
class Cover:
    """A report's cover: its title, the lines under it (评价机构, 委托单位, 报告日期, 报告编号: only those the data
    holds), and whether it is a draft (征求意见稿, printed on the cover and on every page)."""

    title: str
    lines: tuple[tuple[str, str], ...] = ()
    draft: bool = False
    kind: Literal["cover"] = "cover"


@dataclass(frozen=True)
class SignOff:
    """The sign-off at the end of an issued report: who signs (评价机构（盖章）) and when."""

    lines: tuple[tuple[str, str], ...]
    kind: Literal["signoff"] = "signoff"


Block: TypeAlias = Heading | Paragraph | ItemList | Table | Figure | Notes | Cover | SignOff
_KINDS: Mapping[str, type[Any]] = {"heading": Heading, "paragraph": Paragraph, "list": ItemList, "table": Table,
                                   "figure": Figure, "notes": Notes, "cover": Cover, "signoff": SignOff}


# --- JSON ------------------------------------------------------------------------------------------------------


def to_json(block: Block) -> dict[str, Any]:
    """The block as JSON-ready values (cells as objects, tuples as lists)."""
    if isinstance(block, Table):
        return {
            "kind": "table", "title": block.title, "number": block.number, "unit": block.unit,
            "columns": list(block.columns), "totals": list(block.totals), "note": block.note, "widths": list(block.widths),
            "rows": [[{"text": c.text, "kind": c.kind, **({"flag": c.flag} if c.flag else {}),
                       **({"mark": c.mark} if c.mark is not None else {})} for c in row] for row in block.rows],
            **({"landscape": True} if block.landscape else {}),
        }
    if isinstance(block, ItemList):
        return {"kind": "list", "items": list(block.items)}
    if isinstance(block, (Notes, Cover, SignOff)):
        pairs = block.items if isinstance(block, Notes) else block.lines
        key = "items" if isinstance(block, Notes) else "lines"
        extra = {"title": block.title, "draft": block.draft} if isinstance(block, Cover) else {}
        return {"kind": block.kind, **extra, key: [list(pair) for pair in pairs]}
    values = {k: getattr(block, k) for k in block.__dataclass_fields__}
    if isinstance(block, (Paragraph, Heading)):
        values["marks"] = list(block.marks)
    return values


def from_json(value: Mapping[str, Any]) -> Block:
    """A block read back from :func:`to_json`'s form (as an executed notebook stores it)."""
    kind = value.get("kind")
    if kind == "table":
        rows = tuple(tuple(Cell(str(c["text"]), c.get("kind", "text"), c.get("flag"), c.get("mark")) for c in row)
                     for row in value["rows"])
        return Table(str(value["title"]), tuple(value["columns"]), rows, value.get("number"), value.get("unit"),
                     tuple(value.get("totals", ())), value.get("note"), tuple(value.get("widths", ())),
                     bool(value.get("landscape", False)))
    if kind == "list":
        return ItemList(tuple(str(i) for i in value["items"]))
    if kind == "notes":
        return Notes(tuple((int(n), str(text)) for n, text in value["items"]))
    if kind == "cover":
        return Cover(str(value["title"]), tuple((str(a), str(b)) for a, b in value["lines"]), bool(value["draft"]))
    if kind == "signoff":
        return SignOff(tuple((str(a), str(b)) for a, b in value["lines"]))
    if kind == "paragraph":
        return Paragraph(str(value["text"]), value.get("style", "body"), tuple(value.get("marks", ())))
    if kind == "heading":
        return Heading(int(value["level"]), str(value["text"]), tuple(value.get("marks", ())))
    cls = _KINDS.get(str(kind))
    if cls is None:
        raise ValueError(f"unknown block kind {kind!r}")
    return cls(**{k: v for k, v in value.items() if k != "kind"})  # type: ignore[no-any-return]


# --- HTML and plain text -----------------------------------------------------------------------------------------

_P_CLASS: Mapping[ParagraphStyle, str] = {"body": "", "note": "ak-note", "missing": "ak-missing", "source": "ak-source"}


def _e(text: str) -> str:
    return _html.escape(text, quote=True)


def _mark(number: int) -> str:
    return f'<sup class="ak-mark"><a href="#note-{number}" id="mark-{number}">[注{number}]</a></sup>'


#: A table of at most this many rows is kept on one printed page (it moves whole rather than leave its caption behind).
_SHORT_TABLE = 15


def _table_html(t: Table) -> str:
    unit = f'<span class="ak-unit">单位：{_e(t.unit)}</span>' if t.unit else ""
    head = "".join(f"<th>{_e(c)}</th>" for c in t.columns)
    body = []
    for n, row in enumerate(t.rows):
        cells = []
        for cell in row:
            classes = " ".join(c for c in (f"ak-{cell.kind}", f"ak-flag-{cell.flag}" if cell.flag else "") if c)
            mark = _mark(cell.mark) if cell.mark is not None else ""
            cells.append(f'<td class="{classes}">{_e(cell.text)}{mark}</td>')
        total = ' class="ak-total"' if n in t.totals else ""
        body.append(f"<tr{total}>{''.join(cells)}</tr>")
    anchor = f' id="table-{t.number}"' if t.number is not None else ""
    cols = "".join(f'<col style="width:{w}%">' for w in t.widths)
    colgroup = f"<colgroup>{cols}</colgroup>" if cols else ""
    note = f'<p class="ak-source">{_e(t.note)}</p>' if t.note else ""
    fixed = ' style="table-layout:fixed;width:100%"' if t.widths else ""
    css = " ".join(c for c in ("ak-table", "ak-landscape" if t.landscape else "",
                               "ak-short" if len(t.rows) <= _SHORT_TABLE else "") if c)
    return (f'<table class="{css}"{anchor}{fixed}><caption>{_e(t.caption)}{unit}</caption>{colgroup}'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}")


def html(blocks: Iterable[Block]) -> str:
    """The blocks as one HTML fragment, every text escaped."""
    parts: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            parts.append(f"<h{b.level}>{_e(b.text)}{''.join(_mark(n) for n in b.marks)}</h{b.level}>")
        elif isinstance(b, Paragraph):
            css = _P_CLASS[b.style]
            paragraphs = [line for line in b.text.split("\n") if line.strip()] or [""]
            for n, line in enumerate(paragraphs, start=1):  # several paragraphs (003 四（三）一是…二是…) print as such
                text = _e(line) + ("".join(_mark(m) for m in b.marks) if n == len(paragraphs) else "")
                parts.append(f'<p class="{css}">{text}</p>' if css else f"<p>{text}</p>")
        elif isinstance(b, ItemList):
            parts.append('<ul class="ak-findings">' + "".join(f"<li>{_e(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            parts.append(_table_html(b))
        elif isinstance(b, Figure):
            parts.append(f"<figcaption>{_e(b.caption)}</figcaption>")
        elif isinstance(b, Notes):
            items = "".join(f'<li id="note-{n}"><a href="#mark-{n}">注{n}</a>：{_e(text)}</li>' for n, text in b.items)
            parts.append(f'<ol class="ak-notes">{items}</ol>')
        elif isinstance(b, Cover):
            parts.append(_cover_html(b))
        elif isinstance(b, SignOff):
            lines = "".join(f"<p><span>{_e(k)}</span>{_e(v)}</p>" for k, v in b.lines)
            parts.append(f'<div class="ak-signoff">{lines}</div>')
    return "".join(parts)


def _cover_html(c: Cover) -> str:
    draft = '<div class="ak-draft-stamp">征求意见稿</div>' if c.draft else ""
    lines = "".join(f'<p><span class="ak-cover-label">{_e(k)}：</span>{_e(v)}</p>' for k, v in c.lines)
    return f'<section class="ak-cover">{draft}<h1 class="ak-cover-title">{_e(c.title)}</h1><div class="ak-cover-lines">{lines}</div></section>'



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
        elif isinstance(b, Notes):
            parts.append("\n".join(f"注{n}：{text}" for n, text in b.items))
        elif isinstance(b, Cover):
            parts.append("\n".join([*(["征求意见稿"] if b.draft else []), b.title, *(f"{k}：{v}" for k, v in b.lines)]))
        elif isinstance(b, SignOff):
            parts.append("\n".join(f"{k}{v}" for k, v in b.lines))
    return "\n\n".join(parts)

