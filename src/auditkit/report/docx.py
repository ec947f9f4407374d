"""Executed notebook → Word document (.docx): the same blocks as the HTML page, as a report an evaluator edits.

The notebook helpers (:mod:`auditkit.report.notebook`) put every heading, paragraph, table and figure into the executed
notebook as data (:data:`~auditkit.report.blocks.BLOCK_MIME`, beside its HTML); :func:`docx_bytes` reads them back
(:func:`~auditkit.report.blocks.from_json`) and writes them with python-docx, so the document carries the very figures
the page prints, never a scrape of the HTML. What it writes:

- A4 with 公文 margins (GB/T 9704: 上 37 mm, 下 35 mm, 左 28 mm, 右 26 mm); body 仿宋, tables 宋体, headings 黑体, each
  named in the East Asian font slot (``w:eastAsia``) so that Word and WPS use their own fonts; Noto CJK stands in on
  Linux (:data:`FONTCONFIG`).
- Headings 一、（一）1.（1） as Word's 标题 1–4 (the navigation pane works), an updatable table of contents (目录) field.
- A cover (title, 委托单位, 评价机构, 报告日期, 报告编号 as the data holds them); a draft says 征求意见稿 on the
  cover and in every page's header; the footer says 第 X 页 共 Y 页 (fields).
- 表N captions above tables with their 单位 line, 备注 under them; real tables whose header row repeats on every page
  and whose rows never split, figures right-aligned as printed; charts at their full resolution with 图N below.
- Each figure an open finding concerns: its [注N] mark and a Word comment with the note, where Word shows comments.
- The same notebook gives the same bytes: the report's own date (or none) as the creation date, zip entries in a fixed
  order with fixed dates.

Text from data goes in as text; characters XML forbids are removed. A table too large for Word, or a chart that did
not render, becomes a note saying so, never a broken file.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.styles.style import ParagraphStyle as WordStyle
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run
from nbconvert.exporters import Exporter
from traitlets import default

from auditkit.report import blocks as b

__all__ = ["DOCX_MIME", "MAX_COLUMNS", "MAX_ROWS", "DocxExporter", "docx_bytes", "items", "report_date", "write_docx"]

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: Word's own limit on a table's columns; a table wider than that is described, not written.
MAX_COLUMNS = 63
#: Rows of one table written in full; a longer one is cut there with a note saying where the rest is.
MAX_ROWS = 2000
#: Cells a reviewer never sees (as :data:`auditkit.report.render.HIDDEN_TAGS`).
_HIDDEN_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell"})
#: Characters XML 1.0 does not allow (C0 controls but tab, newline and return; lone surrogates; U+FFFE, U+FFFF).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
#: A fontconfig file that maps the Windows font names the document asks for to Noto CJK (for LibreOffice on Linux).
FONTCONFIG = Path(__file__).parent / "templates" / "fonts.conf"

_BODY_FONT, _TABLE_FONT, _HEADING_FONT, _LATIN = "仿宋", "宋体", "黑体", "Times New Roman"
_RED, _AMBER, _GREY = RGBColor(0xB4, 0x23, 0x18), RGBColor(0xB5, 0x47, 0x08), RGBColor(0x59, 0x59, 0x59)
#: Heading level of a block (2 一、, 3 （一）, 4 1., 5 （1）) → Word's built-in heading style.
_HEADING_STYLE = {1: "Heading 1", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3", 5: "Heading 4", 6: "Heading 4"}
#: Heading levels in the table of contents, and their 目录 level (一、 1, （一） 2), as the HTML page lists them.
_TOC_LEVELS = {1: 1, 2: 1, 3: 2}
_HEADING_SIZE = {"Heading 1": 16, "Heading 2": 15, "Heading 3": 14, "Heading 4": 14}
_ALIGN = {"num": WD_ALIGN_PARAGRAPH.RIGHT, "pct": WD_ALIGN_PARAGRAPH.RIGHT, "short": WD_ALIGN_PARAGRAPH.CENTER}
_DPI = 150  # a chart's PNG is printed at no less than this resolution (it shrinks to the text width when wider)
_PAGE_WIDTH, _PAGE_HEIGHT = Cm(21.0), Cm(29.7)
_MARGINS = {"top_margin": Cm(3.7), "bottom_margin": Cm(3.5), "left_margin": Cm(2.8), "right_margin": Cm(2.6),
            "header_distance": Cm(2.0), "footer_distance": Cm(2.0)}
_TEXT_WIDTH = Cm(21.0 - 2.8 - 2.6)
_TEXT_HEIGHT = Cm(29.7 - 3.7 - 3.5).twips
#: The annex (附件 评分表: eight columns, three of long text) on A4 landscape pages, as the HTML prints it.
_LANDSCAPE = {"top_margin": Cm(2.8), "bottom_margin": Cm(2.6), "left_margin": Cm(3.7), "right_margin": Cm(3.5),
              "header_distance": Cm(1.5), "footer_distance": Cm(1.5)}
_LANDSCAPE_WIDTH = Cm(29.7 - 3.7 - 3.5)
_LANDSCAPE_HEIGHT = Cm(21.0 - 2.8 - 2.6).twips


def clean(text: object) -> str:
    """``text`` as a string XML can hold: forbidden control characters removed (tab and newline kept)."""
    return _FORBIDDEN.sub("", str(text))


# --- reading the executed notebook -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One block as the document prints it, with a figure's PNG (None when the chart did not render)."""

    block: b.Block
    png: bytes | None = None


def items(nb: Mapping[str, Any]) -> list[Item]:
    """Every block the notebook shows, in order: its markdown headings and the helpers' blocks (hidden cells left out)."""
    found: list[Item] = []
    for cell in nb.get("cells", []):
        if _HIDDEN_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.get("cell_type") == "markdown":
            found += [Item(x) for x in _markdown(_source(cell))]
        elif cell.get("cell_type") == "code":
            for output in cell.get("outputs", []):
                found += _output_items(output)
    return found


def _source(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_INLINE = re.compile(r"\*\*|__|`|\[([^\]]*)\]\([^)]*\)")


def _markdown(source: str) -> list[b.Block]:
    """A markdown cell's headings (``##`` is 一、) and paragraphs, markup removed."""
    out: list[b.Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(b.Paragraph(" ".join(paragraph)))
            paragraph.clear()

    for line in source.splitlines():
        text = _MD_INLINE.sub(lambda m: m.group(1) or "", line).strip()
        heading = _MD_HEADING.match(line.strip())
        if heading:
            flush()
            out.append(b.Heading(len(heading.group(1)), _MD_INLINE.sub(lambda m: m.group(1) or "", heading.group(2))))
        elif text:
            paragraph.append(text.lstrip("-* ").strip() if text[:2] in ("- ", "* ") else text)
        else:
            flush()
    flush()
    return out


def _output_items(output: Mapping[str, Any]) -> list[Item]:
    data = output.get("data", {})
    if output.get("output_type") == "stream":
        text = output.get("text", "")
        text = "".join(text) if isinstance(text, list) else str(text)
        return [Item(b.Paragraph(text.strip(), "note"))] if output.get("name") == "stdout" and text.strip() else []
    if b.BLOCK_MIME in data:
        shown = [b.from_json(value) for value in data[b.BLOCK_MIME]]
        png = _png(data.get("image/png"))
        return [Item(x, png if isinstance(x, b.Figure) else None) for x in shown]
    if "image/png" in data:  # a chart a team's own notebook shows without Report.figure: no number, no caption
        return [Item(b.Figure(0, ""), _png(data["image/png"]))]
    text = data.get("text/plain")
    if text:
        return [Item(b.Paragraph(("".join(text) if isinstance(text, list) else str(text)).strip(), "note"))]
    return []


def _png(value: object) -> bytes | None:
    if not value:
        return None
    try:
        return base64.b64decode("".join(value) if isinstance(value, list) else str(value), validate=False)
    except (binascii.Error, ValueError):
        return None


# --- the document --------------------------------------------------------------------------------------------


def docx_bytes(nb: Mapping[str, Any], meta: Mapping[str, Any] | None = None) -> bytes:
    """The executed notebook as a .docx file's bytes; ``meta`` (default: ``metadata.auditkit``) names a working paper."""
    meta = meta if meta is not None else nb.get("metadata", {}).get("auditkit", {})
    writer = _Writer(items(nb), dict(meta))
    return writer.write()


def write_docx(nb: Mapping[str, Any], path: Path, meta: Mapping[str, Any] | None = None) -> Path:
    """Write the notebook's .docx to ``path`` (its folder must exist)."""
    path.write_bytes(docx_bytes(nb, meta))
    return path


@dataclass
class _Writer:
    found: list[Item]
    meta: dict[str, Any]
    doc: Document = field(init=False)
    notes: dict[int, str] = field(init=False)

    def __post_init__(self) -> None:
        template, self.style_ids = _template()
        self.doc = docx.Document(io.BytesIO(template))
        self.notes = {n: text for item in self.found if isinstance(item.block, b.Notes) for n, text in item.block.items}
        self.cover = next((i.block for i in self.found if isinstance(i.block, b.Cover)), None)
        self.draft = bool(self.cover.draft) if isinstance(self.cover, b.Cover) else bool(self.meta.get("draft"))
        self.toc_at: WordParagraph | None = None
        self.width = _TEXT_WIDTH
        self.height = _TEXT_HEIGHT
        self.headings: list[tuple[int, str, str]] = []
        self.stamp = report_date(self.cover) if isinstance(self.cover, b.Cover) else None
        self.author = next((v for k, v in self.cover.lines if "评价机构" in k), "") if isinstance(self.cover, b.Cover) else ""

    def write(self) -> bytes:
        _page(self.doc.sections[0])
        if isinstance(self.cover, b.Cover):
            self._cover(self.cover)
        else:
            self._paper_header()
        self._toc()
        for item in self.found:
            self._block(item)
        if not isinstance(self.cover, b.Cover):
            self._paper_footer()
        self._fill_toc()
        _header_footer(self.doc, self.draft, cover=isinstance(self.cover, b.Cover))
        _settings(self.doc)
        self._properties()
        return _stable_zip(self.doc)

    # --- front matter ---

    def _cover(self, cover: b.Cover) -> None:
        doc = self.doc
        for _ in range(4):
            doc.add_paragraph()
        title = self._para("Title")
        title.add_run(clean(cover.title))
        if cover.draft:
            stamp = self._para("Title")
            _run(stamp, "（征求意见稿）", size=16, color=_RED)
        for _ in range(6):
            doc.add_paragraph()
        for key, value in cover.lines:
            line = self._para("封面")
            line.add_run(f"{clean(key)}：{clean(value)}")
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _paper_header(self) -> None:
        """A working paper or the memo: what it is (评价工作底稿 / 复核意见), its title and department."""
        who = "填报单位" if self.meta.get("kind") == "自评" else "评价机构"
        kicker = f"复核意见（供{who}核实）" if self.meta.get("document") == "memo" else "评价工作底稿"  # review N8
        evaluator = self.meta.get("evaluator")
        if evaluator:
            kicker += f" · {evaluator}"
        self._para("封面", kicker)
        title = self.meta.get("title") or next((i.block.text for i in self.found if isinstance(i.block, b.Heading)), "")
        if title:
            self._para("Title", title)
        facts = [str(self.meta[k]) for k in ("department", "report") if self.meta.get(k)]
        if self.meta.get("fiscal_year"):
            facts.insert(1, f"{self.meta['fiscal_year']} 年度")
        if facts:
            self._para("封面", " · ".join(facts))

    def _paper_footer(self) -> None:
        """The working paper's provenance, as its HTML footer gives it (never in an issued report)."""
        if not self.meta.get("data_hash"):
            return
        params = "，".join(f"{k} = {v}" for k, v in self.meta.get("parameters", {}).items())
        framework = f" · 指标体系 {self.meta['framework']}" if self.meta.get("framework") else ""  # none for a year's summary
        lines = [f"由 auditkit {self.meta.get('version', '')} 生成 · 数据指纹 {str(self.meta['data_hash'])[:12]}{framework}",
                 f"参数：{params}",
                 f"复现：auditkit run {self.meta.get('params_file', '')} --only {self.meta.get('notebook', '')}"]
        for line in lines:
            self._para("注释", line)

    def _toc(self) -> None:
        """目录: where the table of contents goes (:meth:`_fill_toc` writes it once the headings are known)."""
        if any(isinstance(i.block, b.Heading) and i.block.level in _TOC_LEVELS for i in self.found):
            self._para("TOC Heading", "目录")
            self.toc_at = self._para("表后")
            self.toc_at.add_run().add_break(WD_BREAK.PAGE)

    def _fill_toc(self) -> None:
        """A TOC field over 标题 1–2 as Word writes one: an entry per heading with a PAGEREF field to its bookmark,
        so that an office suite shows the page numbers, and Word refreshes the whole field on opening (``updateFields``)."""
        if self.toc_at is None or not self.headings:
            return
        anchor = self.toc_at._p
        for n, (level, text, bookmark) in enumerate(self.headings):
            entry = parse_xml(_toc_entry_xml(self.style_ids[f"toc {_TOC_LEVELS[level]}"], text, bookmark,
                                             first=n == 0, last=n == len(self.headings) - 1))
            anchor.addprevious(entry)

    # --- blocks ---

    def _block(self, item: Item) -> None:
        block = item.block
        if isinstance(block, b.Heading):
            self._heading(block)
        elif isinstance(block, b.Paragraph):
            self._paragraph(block)
        elif isinstance(block, b.ItemList):
            for entry in block.items:
                self._para("List Bullet", entry)
        elif isinstance(block, b.Table):
            self._table(block)
        elif isinstance(block, b.Figure):
            self._figure(block, item.png)
        elif isinstance(block, b.Notes):
            for n, text in block.items:
                self._para("注释", f"注{n}：{text}")
        elif isinstance(block, b.SignOff):
            self._signoff(block)

    def _heading(self, block: b.Heading) -> None:
        if block.level == 1 and (self.cover is not None or self.meta.get("title")):
            return  # the notebook's own title: the cover or the paper's header already says it
        if block.level == 2 and block.text.startswith("附件") and self.width == _TEXT_WIDTH:
            self._landscape()
        paragraph = self._para(_HEADING_STYLE.get(block.level, "Heading 4"))
        run = paragraph.add_run(clean(block.text))
        if block.level in _TOC_LEVELS:
            bookmark = f"_Toc{len(self.headings) + 1:06d}"
            self.headings.append((block.level, clean(block.text), bookmark))
            _bookmark(paragraph, run, len(self.headings), bookmark)
        self._marks(paragraph, [run], block.marks)

    def _landscape(self) -> None:
        """From here on (the annex, its notes and the sign-off): a section of A4 landscape pages, on a new page; its
        header and footer are the body's. The portrait pages end with the last paragraph before it (the break is written
        in that paragraph, as Word does), not with an empty paragraph of their own that could take a page alone."""
        body = self.doc.element.body
        sentinel = body.get_or_add_sectPr()
        last = sentinel.getprevious()
        if last is None or last.tag != qn("w:p") or last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            last = body.add_p()
        last.set_sectPr(sentinel.clone())
        section = Section(sentinel, self.doc.part)
        section.start_type = WD_SECTION.NEW_PAGE
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = _PAGE_HEIGHT, _PAGE_WIDTH
        for name, value in _LANDSCAPE.items():
            setattr(section, name, value)
        self.width = _LANDSCAPE_WIDTH
        self.height = _LANDSCAPE_HEIGHT

    def _paragraph(self, block: b.Paragraph) -> None:
        style = {"body": "Normal", "note": "注释", "missing": "缺项", "source": "备注"}[block.style]
        lines = [line for line in block.text.split("\n") if line.strip()] or [""]
        for n, line in enumerate(lines, start=1):  # several paragraphs (003 四（三）一是…二是…) print as such, as in HTML
            paragraph = self._para(style)
            run = paragraph.add_run(clean(line))
            if n == len(lines):
                self._marks(paragraph, [run], block.marks)

    def _marks(self, paragraph: WordParagraph, runs: list[Run], marks: Iterable[int]) -> None:
        """[注N] after the figure, and the note as a Word comment on it (a draft's figure awaiting confirmation)."""
        for n in marks:
            mark = _run(paragraph, f"[注{n}]", superscript=True, color=_RED)
            self._comment([*runs, mark], n)

    def _comment(self, runs: list[Run], n: int | None) -> None:
        note = self.notes.get(n) if n is not None else None
        if note:
            comment = self.doc.add_comment(runs, text=clean(f"注{n}：{note}"), author=self.author or "评价机构", initials="注")
            # python-docx stamps the time of writing: the report's date, or none (w:date is optional)
            if self.stamp is not None:
                comment._comment_elm.date = self.stamp
            else:
                comment._comment_elm.attrib.pop(qn("w:date"), None)

    def _table(self, t: b.Table) -> None:
        caption = self._para("表题")
        caption.add_run(clean(t.caption))
        if t.unit:
            unit = self._para("单位")
            unit.add_run(clean(f"单位：{t.unit}"))
        columns = len(t.columns) or max((len(r) for r in t.rows), default=0)
        if columns > MAX_COLUMNS or columns == 0:
            self._para("缺项", f"（本表共 {columns} 列，超出 Word 表格的 {MAX_COLUMNS} 列上限，未在文档中列出；"
                              "全表见同名 HTML 报告。）" if columns else "（本表没有列。）")
            return
        rows = t.rows[:MAX_ROWS]
        element = parse_xml(_table_xml(t, rows, columns, self.style_ids, self.width.twips, self.height))
        body = self.doc.element.body
        body.insert(len(body) - 1 if body[-1].tag == qn("w:sectPr") else len(body), element)
        marked = [(i, j, c.mark) for i, row in enumerate(rows) for j, c in enumerate(row[:columns]) if c.mark is not None]
        for i, j, mark in marked:
            p = element.findall(qn("w:tr"))[i + 1].findall(qn("w:tc"))[j].find(qn("w:p"))
            self._comment([Run(r, self.doc) for r in p.findall(qn("w:r"))], mark)
        if len(t.rows) > MAX_ROWS:
            self._para("缺项", f"（本表共 {len(t.rows)} 行，文档列出前 {MAX_ROWS} 行；全表见同名 HTML 报告。）")
        if t.note:
            self._para("备注", t.note)
        else:
            self._para("表后")

    def _figure(self, figure: b.Figure, png: bytes | None) -> None:
        paragraph = self._para("图")
        failed = png is None
        if png is not None:
            try:
                picture = paragraph.add_run().add_picture(io.BytesIO(png))
            except (UnrecognizedImageError, ValueError, OSError, ZeroDivisionError):
                failed = True
            else:
                _fit(picture, png, int(self.width))
        if failed:
            _set_style(paragraph, self.style_ids["缺项"])
            paragraph.add_run(clean(f"（{figure.caption if figure.number else '图'}未能生成，文档中从略。）"))
            return
        if figure.number:
            caption = self._para("图题")
            caption.add_run(clean(figure.caption))

    def _signoff(self, block: b.SignOff) -> None:
        first = True
        for key, value in block.lines:
            paragraph = self._para("落款")
            if first:
                paragraph.paragraph_format.space_before = Pt(42)
                first = False
            paragraph.add_run(clean(f"{key}{value}"))

    def _para(self, style: str, text: str | None = None) -> WordParagraph:
        """A new paragraph of the body in ``style`` (set by its id: python-docx's lookup by name costs milliseconds)."""
        paragraph = self.doc.add_paragraph()
        _set_style(paragraph, self.style_ids[style])
        if text:
            paragraph.add_run(clean(text))
        return paragraph

    def _properties(self) -> None:
        """The document's properties (Word's 属性): its title on one line, the evaluator, and as its creation date the
        report's own (报告日期 / 填报日期 on the cover); a report that states none has no creation date at all."""
        core = self.doc.core_properties
        title = self.cover.title if isinstance(self.cover, b.Cover) else self.meta.get("title", "")
        core.title = re.sub(r"\s*\n\s*", "", clean(title or ""))
        core.author = clean(self.author or self.meta.get("evaluator", "") or "")
        core.last_modified_by = core.author
        core.comments = ""
        core.subject = clean(self.meta.get("department", "") or "")
        core.keywords = ""
        core.category = "征求意见稿" if self.draft else ""
        if self.stamp is not None:
            core.created = core.modified = self.stamp
        else:
            for name in ("dcterms:created", "dcterms:modified"):
                for element in core._element.xpath(name):
                    core._element.remove(element)
        core.revision = 1
        core.language = "zh-CN"


_COVER_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def report_date(cover: b.Cover) -> dt.datetime | None:
    """The date the cover prints (报告日期 / 填报日期 2025年8月14日) as midnight UTC; None when it prints none."""
    for key, value in cover.lines:
        found = _COVER_DATE.search(value) if "日期" in key else None
        if found:
            try:
                year, month, day = (int(g) for g in found.groups())
                return dt.datetime(year, month, day, tzinfo=dt.UTC)
            except ValueError:
                return None
    return None


def _padded(row: Sequence[b.Cell], columns: int) -> Iterator[b.Cell]:
    yield from row[:columns]
    for _ in range(columns - len(row)):
        yield b.Cell("")


def _set_style(paragraph: WordParagraph, style_id: str) -> None:
    paragraph._p.get_or_add_pPr().style = style_id


def _x(text: str) -> str:
    return xml_escape(clean(text), {'"': "&quot;"})


def _runs_xml(text: str, r_pr: str) -> str:
    """A run of ``text``: its lines joined by ``w:br``, tabs as ``w:tab``."""
    parts = []
    for n, line in enumerate(text.split("\n")):
        if n:
            parts.append("<w:br/>")
        for m, piece in enumerate(line.split("\t")):
            if m:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{_x(piece)}</w:t>')
    return f"<w:r>{r_pr}{''.join(parts)}</w:r>"


#: Widths in Times New Roman, in ems: digits and most Latin letters ½, punctuation ¼, % and — wider.
_LATIN_EMS = {**dict.fromkeys(",.:;'!|", 0.25), "%": 0.85, "—": 1.0, "-": 0.35, " ": 0.25}


def _text_twips(text: str, em: int = 210) -> int:
    """The width of ``text`` in type of ``em`` twips (210: 10.5 pt): full-width characters one em, Latin ones as
    Times New Roman draws them (about half an em)."""
    return int(sum(em if ord(c) > 0x2E7F else em * _LATIN_EMS.get(c, 0.55) for c in text))


def _header_twips(t: b.Table, columns: int, em: int, margin: int) -> list[int]:
    """Each column's least width for its header on one line (一级指标, 计划完成率, 年初预算数 never broken inside the
    word), for a header of up to :data:`_HEADER_EMS` characters; a longer one may wrap (0)."""
    least = []
    for j in range(columns):
        name = t.columns[j] if j < len(t.columns) else ""
        wide = max((_text_twips(line, em) for line in name.split("\n")), default=0)
        least.append(wide + margin + _HEADER_AIR if 0 < wide <= _HEADER_EMS * em else 0)
    return least


def _with_headers(widths: list[int], least: Sequence[int], floors: Sequence[int]) -> list[int]:
    """``widths`` with short headers raised to their own width (:func:`_header_twips`), the smallest raises first, as
    far as the other columns can give without going under their ``floors`` (their figures on one line); the width is
    taken from those columns by how much they have to spare."""
    slack = [max(w - max(f, n), 0) if n <= w else 0 for w, n, f in zip(widths, least, floors, strict=True)]
    spare, used, raised = sum(slack), 0, []
    for short, j in sorted((n - w, j) for j, (w, n) in enumerate(zip(widths, least, strict=True)) if n > w):
        if used + short <= spare:
            used += short
            raised.append(j)
    if not raised:
        return widths
    out = [least[j] if j in raised else w - (used * k + spare - 1) // spare for j, (w, k) in enumerate(zip(widths, slack, strict=True))]
    return out


def _column_twips(t: b.Table, rows: Sequence[Sequence[b.Cell]], columns: int, total: int, em: int = 210,
                  margin: int = 230) -> tuple[list[int], bool]:
    """Each column's width, and whether the table fits. With the block's shares, those shares of the text width.
    Otherwise every figure fits on one line (a number never wraps), a row's short name too, and the width left is
    shared by the length of each column's longest text; when the figures alone are wider than the page, all shrink.
    Either way a short header (分值, 一级指标, 计划完成率) keeps its own width first, where the other columns can spare it."""
    least = _header_twips(t, columns, em, margin)
    if len(t.widths) == columns and sum(t.widths) > 0:
        return _with_headers([int(total * w / sum(t.widths)) for w in t.widths], least, [2 * em + margin] * columns), True
    sample, bold = rows[:300], set(t.totals)
    need, weight = [], []
    for j in range(columns):
        cells = [r[j] for r in sample if j < len(r)]
        figures = [_text_twips(r[j].text, em) * (1.1 if n in bold else 1) + _mark_twips(r[j], em)  # bold is wider
                   for n, r in enumerate(sample) if j < len(r) and r[j].kind in ("num", "pct", "short") and "\n" not in r[j].text]
        # a row's name or a text of up to five characters on one line (基本支出, 项目支出), a longer one may wrap
        labels = [min(_text_twips(c.text, em), 5 * em) for c in cells if c.kind in ("label", "text")]
        need.append(int(max([2 * em, *figures, *labels])) + margin)
        lines = [line for c in cells for line in c.text.split("\n")] + [t.columns[j] if j < len(t.columns) else ""]
        weight.append(min(max(_text_twips(x, em) for x in lines), 28 * em))
    if sum(need) > total:
        return [int(total * n / sum(need)) for n in need], False
    extra = [max(w + margin - n, 0) for w, n in zip(weight, need, strict=True)]
    spare = total - sum(need)
    share = sum(extra) or 1
    widths = [int(n + spare * e / share) if sum(extra) else int(n + spare / columns) for n, e in zip(need, extra, strict=True)]
    return _with_headers(widths, least, need), True


def _mark_twips(cell: b.Cell, em: int) -> float:
    """The width of a cell's [注N] mark (superscript, about two thirds of the type)."""
    return _text_twips(f"[注{cell.mark}]", em) * 0.67 if cell.mark is not None else 0


def _cell_xml(text: str, twips: int, p_pr: str, r_pr: str, shade: str = "", mark: int | None = None) -> str:
    mark_run = (f'<w:r><w:rPr><w:color w:val="{_RED}"/><w:vertAlign w:val="superscript"/></w:rPr>'
                f"<w:t>[注{mark}]</w:t></w:r>") if mark is not None else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{twips}" w:type="dxa"/>{shade}<w:vAlign w:val="center"/></w:tcPr>'
            f"<w:p>{p_pr}{_runs_xml(text, r_pr)}{mark_run}</w:p></w:tc>")


_JC = {"num": "right", "pct": "right", "short": "center"}
#: A header of up to this many characters is never broken inside its word (一级指标, 计划完成率, A涉改调整资金).
_HEADER_EMS = 7
_HEADER_AIR = 40  # twips beyond the header's own width, for the office suite's rounding
#: A table of at most this many rows is kept on one page with its caption (keep with next on all but its last row).
_KEPT_ROWS = 15
#: A row taller than this share of the page may split across pages (a taller one kept whole leaves the page above
#: it half empty, as the 评分表's long 评分标准 did); every shorter one stays whole.
_ROW_SHARE = 1 / 3
_CELL_MARGIN = 230  # a cell's left and right margins, and a little air


def _row_lines(row: Sequence[b.Cell], twips: Sequence[int], em: int = 210) -> int:
    """About how many lines the row's tallest cell takes at its column's width, in type of ``em`` twips."""
    tallest = 0
    for cell, width in zip(row, twips, strict=False):
        per_line = max(em, width - _CELL_MARGIN)  # twips of text a line holds; Latin letters and digits half an em
        lines = sum(max(1, -(-_text_twips(line, em) // per_line)) for line in cell.text.split("\n"))
        tallest = max(tallest, lines)
    return tallest


def _kept_whole(row: Sequence[b.Cell], twips: Sequence[int], height: int, em: int = 210) -> bool:
    """Whether the row may not split: it takes at most :data:`_ROW_SHARE` of a page ``height`` twips high (a line of
    table type at 1.15 spacing is about 1.6 em as Noto CJK and 宋体 set it)."""
    return _row_height(row, twips, em) <= height * _ROW_SHARE


def _row_height(row: Sequence[b.Cell], twips: Sequence[int], em: int = 210) -> float:
    """About how tall the row prints, in twips: its lines at about 1.6 em each, and the cell's top and bottom air."""
    return _row_lines(row, twips, em) * em * 1.6 + 120


def _kept_together(rows: Sequence[Sequence[b.Cell]], header: Sequence[b.Cell], twips: Sequence[int], height: int,
                   em: int = 210) -> bool:
    """Whether the table keeps on one page: at most :data:`_KEPT_ROWS` rows that, with the header, fill at most four
    fifths of a page (a longer chain of keep-with-next cannot be honoured, and would only push the table down)."""
    return len(rows) <= _KEPT_ROWS and sum(_row_height(r, twips, em) for r in [header, *rows]) <= height * 0.8


def _table_xml(t: b.Table, rows: Sequence[Sequence[b.Cell]], columns: int, style_ids: Mapping[str, str], width: int,
               height: int = _TEXT_HEIGHT) -> str:
    """A real Word table: fixed column widths, the header row repeated on each page (``w:tblHeader``), no row split
    across pages (``w:cantSplit``) but one taller than a third of the page, figures right-aligned, total rows bold,
    flagged figures in colour. A small table (:func:`_kept_together`) keeps on one page: every paragraph of every row
    but the last keeps with the next (``w:keepNext``), as Word's own "keep table together" is written."""
    twips, fits = _column_twips(t, rows, columns, width)
    size = margins = ""
    em = 210
    if not fits:  # a wide table (many figure columns): 9 pt type, narrow cell margins, as a 财政 table may be
        twips, _ = _column_twips(t, rows, columns, width, em=180, margin=160)
        em = 180
        size = '<w:sz w:val="18"/><w:szCs w:val="18"/>'
        margins = '<w:tblCellMar><w:left w:w="50" w:type="dxa"/><w:right w:w="50" w:type="dxa"/></w:tblCellMar>'
    keep = "<w:keepNext/>" if _kept_together(rows, [b.Cell(c) for c in t.columns], twips, height, em) else ""
    head_p = f'<w:pPr><w:pStyle w:val="{style_ids["表头"]}"/>{keep}</w:pPr>'
    shade = '<w:shd w:val="clear" w:color="auto" w:fill="E8EEF4"/>'
    names = [*t.columns[:columns], *[""] * (columns - len(t.columns))]
    out = [f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{style_ids["Table Grid"]}"/>'
           f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>{margins}'
           '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
           "</w:tblPr><w:tblGrid>", *(f'<w:gridCol w:w="{w}"/>' for w in twips), "</w:tblGrid>",
           "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
           *(_cell_xml(name, w, head_p, f"<w:rPr>{size}</w:rPr>" if size else "", shade)
             for name, w in zip(names, twips, strict=True)), "</w:tr>"]
    body_style = style_ids["表格"]
    totals = set(t.totals)
    for n, row in enumerate(rows):
        # a row of up to a third of a page never splits; a taller one may (kept whole, it would leave half a page empty)
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>" if _kept_whole(row, twips, height, em) else "<w:tr>")
        next_p = keep if n < len(rows) - 1 else ""
        for cell, w in zip(_padded(row, columns), twips, strict=True):
            p_pr = f'<w:pPr><w:pStyle w:val="{body_style}"/>{next_p}<w:jc w:val="{_JC.get(cell.kind, "left")}"/></w:pPr>'
            color = _RED if cell.flag == "error" else _AMBER if cell.flag == "warning" else None
            r_pr = ("<w:b/>" if n in totals else "") + (f'<w:color w:val="{color}"/>' if color else "") + size
            out.append(_cell_xml(cell.text, w, p_pr, f"<w:rPr>{r_pr}</w:rPr>" if r_pr else "", mark=cell.mark))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _fit(picture: Any, png: bytes, text_width: int) -> None:
    """A chart at no less than :data:`_DPI` (its own size at that resolution), shrunk to the text width when wider."""
    width_px = int.from_bytes(png[16:20], "big") if png[:8] == b"\x89PNG\r\n\x1a\n" else 0
    height_px = int.from_bytes(png[20:24], "big") if width_px else 0
    if not width_px or not height_px:
        return
    width = min(text_width, int(Emu(int(width_px / _DPI * 914400))))
    picture.width = Emu(width)
    picture.height = Emu(int(width * height_px / width_px))


def _run(paragraph: WordParagraph, text: str, *, size: float | None = None, bold: bool | None = None,
         color: RGBColor | None = None, superscript: bool = False) -> Run:
    run = paragraph.add_run(text)
    if size:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if color is not None:
        run.font.color.rgb = color
    if superscript:
        run.font.superscript = True
    return run


def _bookmark(paragraph: WordParagraph, run: Run, number: int, name: str) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    run._r.addprevious(start)
    run._r.addnext(end)


def _field_xml(instruction: str, shown: str, r_pr: str = "") -> str:
    return (f'<w:r>{r_pr}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{r_pr}<w:instrText xml:space="preserve"> '
            f'{_x(instruction)} </w:instrText></w:r><w:r>{r_pr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r>{r_pr}<w:t>{_x(shown)}</w:t></w:r><w:r>{r_pr}<w:fldChar w:fldCharType=\"end\"/></w:r>")


def _toc_entry_xml(style_id: str, text: str, bookmark: str, first: bool, last: bool) -> str:
    """One 目录 line: the heading's text, a dotted tab to the right margin, its page (a PAGEREF field); the first line
    opens the TOC field and the last closes it."""
    begin = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r><w:r><w:instrText xml:space="preserve">'
             ' TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>') if first else ""
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if last else ""
    page = _field_xml(f"PAGEREF {bookmark} \\h", "")  # Word fills it on opening; LibreOffice keeps the cached text
    return (f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style_id}"/><w:tabs><w:tab w:val="right" w:leader="dot" '
            f'w:pos="{_TEXT_WIDTH.twips}"/></w:tabs></w:pPr>{begin}<w:hyperlink w:anchor="{bookmark}" w:history="1">'
            f'<w:r><w:t xml:space="preserve">{_x(text)}</w:t></w:r><w:r><w:tab/></w:r>'
            f"{page}</w:hyperlink>{end}</w:p>")


def _simple_field(paragraph: WordParagraph, instruction: str, shown: str) -> None:
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


# --- styles, page, header and footer, settings --------------------------------------------------------------------


def _fonts(style: Any, east_asian: str, size: float | None = None, bold: bool | None = None,
           color: RGBColor | None = None) -> None:
    """Latin and East Asian font names on a style (``w:eastAsia``), theme fonts removed so they cannot override."""
    font = style.font
    font.name = _LATIN
    r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(theme), None)
    r_fonts.set(qn("w:eastAsia"), east_asian)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    font.italic = False
    font.color.rgb = color or RGBColor(0, 0, 0)


def _paragraph_style(doc: Document, name: str, east_asian: str, size: float, *, base: str = "Normal",
                     align: int | None = None, bold: bool | None = None, color: RGBColor | None = None,
                     indent: bool = False, keep: bool = False) -> WordStyle:
    styles = doc.styles
    style: Any
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base] if name != base else None
    _fonts(style, east_asian, size, bold, color)
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.first_line_indent = Pt(size * 2) if indent else Pt(0)
    fmt.keep_with_next = keep
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    return style  # type: ignore[no-any-return]


def _styles(doc: Document) -> dict[str, str]:
    """Body 仿宋 14 pt with a two-character indent, headings 黑体, tables 宋体 10.5 pt, captions 黑体, all in black."""
    _defaults(doc)
    normal = _paragraph_style(doc, "Normal", _BODY_FONT, 14, base="Normal", indent=True)
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.widow_control = True
    for name, size in _HEADING_SIZE.items():
        style = _paragraph_style(doc, name, _HEADING_FONT, size, bold=name == "Heading 1", keep=True)
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 6)
        style.paragraph_format.space_after = Pt(6 if name == "Heading 1" else 3)
        style.paragraph_format.line_spacing = 1.5
    title = _paragraph_style(doc, "Title", _HEADING_FONT, 22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = 1.5
    _no_border(title)
    _paragraph_style(doc, "TOC Heading", _HEADING_FONT, 16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    cover = _paragraph_style(doc, "封面", _BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.CENTER)
    cover.paragraph_format.line_spacing = 2.0
    for level in (1, 2, 3):
        toc = _paragraph_style(doc, f"toc {level}", _BODY_FONT, 12)
        toc.paragraph_format.left_indent = Pt(24 * (level - 1))
    _paragraph_style(doc, "表题", _HEADING_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER, keep=True).paragraph_format.space_before = Pt(6)
    _paragraph_style(doc, "单位", _TABLE_FONT, 10.5, align=WD_ALIGN_PARAGRAPH.RIGHT, keep=True)
    for name, font in (("表头", _HEADING_FONT), ("表格", _TABLE_FONT)):
        cell = _paragraph_style(doc, name, font, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER if name == "表头" else None)
        cell.paragraph_format.line_spacing = 1.15
    _paragraph_style(doc, "备注", _TABLE_FONT, 10.5).paragraph_format.space_after = Pt(8)
    _paragraph_style(doc, "表后", _TABLE_FONT, 6)
    _paragraph_style(doc, "图", _BODY_FONT, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER, keep=True)
    _paragraph_style(doc, "图题", _HEADING_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.space_after = Pt(8)
    _paragraph_style(doc, "注释", _BODY_FONT, 10.5, color=_GREY)
    _paragraph_style(doc, "缺项", _BODY_FONT, 12, color=_GREY, indent=True)
    _paragraph_style(doc, "落款", _BODY_FONT, 14, align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.line_spacing = 1.5
    bullet = _paragraph_style(doc, "List Bullet", _BODY_FONT, 14)
    bullet.paragraph_format.line_spacing = 1.5
    for name in ("Table Grid", "Header", "Footer"):
        _fonts(doc.styles[name], _TABLE_FONT, 10.5 if name == "Table Grid" else 9)
    return {str(style.name): str(style.style_id) for style in doc.styles}


@functools.cache
def _template() -> tuple[bytes, dict[str, str]]:
    """python-docx's blank document with auditkit's styles, and their ids by name (built once a process)."""
    doc = docx.Document()
    rels = doc.part.package.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype.endswith("/thumbnail")]:
        rels.pop(r_id)  # python-docx's own preview picture of its blank template: not this document's
    ids = _styles(doc)
    raw = io.BytesIO()
    doc.save(raw)
    return raw.getvalue(), ids


def _defaults(doc: Document) -> None:
    """The document defaults: 仿宋 in every font slot, Chinese as the East Asian language."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if r_pr is None:
        return
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is not None:
        r_fonts.attrib.clear()
        for slot, name in (("w:ascii", _LATIN), ("w:hAnsi", _LATIN), ("w:eastAsia", _BODY_FONT), ("w:cs", _LATIN)):
            r_fonts.set(qn(slot), name)
    lang = r_pr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _no_border(style: Any) -> None:
    p_pr = style.element.find(qn("w:pPr"))
    border = p_pr.find(qn("w:pBdr")) if p_pr is not None else None
    if border is not None:
        p_pr.remove(border)


def _page(section: Any) -> None:
    section.page_width, section.page_height = _PAGE_WIDTH, _PAGE_HEIGHT
    for name, value in _MARGINS.items():
        setattr(section, name, value)


def _header_footer(doc: Document, draft: bool, cover: bool) -> None:
    """征求意见稿 in every page's header while a draft; 第 X 页 共 Y 页 in the footer of every page but the cover's.

    One section, its first page the cover (``w:titlePg``): the cover counts as page 1 and shows no number, so that
    PAGE and NUMPAGES agree in every office suite (LibreOffice does not compute SECTIONPAGES).
    """
    section = doc.sections[0]
    _page(section)
    section.different_first_page_header_footer = cover
    headers = [section.header, *([section.first_page_header] if cover else [])]
    if draft:
        for header in headers:
            paragraph = header.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(paragraph, "征求意见稿", size=10.5, color=_RED)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _simple_field(footer, "PAGE", "1")
    footer.add_run(" 页 共 ")
    _simple_field(footer, "NUMPAGES", "1")
    footer.add_run(" 页")


#: Children of ``w:settings`` that come after ``w:updateFields`` in the schema's order.
_SETTINGS_AFTER_UPDATE = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
                          "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
                          "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
                          "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
                          "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


def _settings(doc: Document) -> None:
    """``w:updateFields``: Word fills the table of contents and the page count when the document opens."""
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    later = {qn(n) for n in _SETTINGS_AFTER_UPDATE if not n.startswith("sl:")}
    at = next((i for i, child in enumerate(settings) if child.tag in later), len(settings))
    settings.insert(at, update)


class _StableZip:
    """python-docx's zip writer (``PhysPkgWriter``) with every entry dated 1980-01-01 instead of the time of writing."""

    def __init__(self, target: io.BytesIO) -> None:
        self.zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, date_time=_ZIP_DATE)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        self.zip.writestr(entry, blob)

    def close(self) -> None:
        self.zip.close()


def _stable_zip(doc: Document) -> bytes:
    """The package as python-docx saves it (the same parts in the same order), with fixed zip dates."""
    package = doc.part.package
    for part in package.parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _StableZip(out)
    PackageWriter._write_content_types_stream(writer, package.parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(writer, package.rels)  # type: ignore[no-untyped-call]
    PackageWriter._write_parts(writer, package.parts)  # type: ignore[arg-type]  # duck-typed as PhysPkgWriter
    writer.close()
    return out.getvalue()


# --- nbconvert ----------------------------------------------------------------------------------------------------


class DocxExporter(Exporter):
    """``jupyter nbconvert --to auditkit_docx executed.ipynb``: the executed auditkit notebook as a Word document."""

    export_from_notebook = "auditkit Word 文档"
    output_mimetype = DOCX_MIME

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".docx"

    def from_notebook_node(  # type: ignore[override]  # as nbconvert's PDFExporter: bytes, not a notebook
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[bytes, dict[str, Any]]:
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        resources = resources or {}
        resources["output_extension"] = ".docx"
        return docx_bytes(nb_copy), resources
