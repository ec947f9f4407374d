"""The workbook form: one ``.xlsx`` with a 基本信息 sheet and one sheet per table, as evaluators exchange it.

Numbers are stored as numbers with a display format at their printed precision (``#,##0.00``,
``0.00%``), so the workbook reads back exactly as it was printed.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from auditkit.data.model import DepartmentYear
from auditkit.data.numbers import Number, format_number
from auditkit.data.raw import UNREADABLE, Cell, RawData, RawTable, normalize_header
from auditkit.data.schema import CLAIMS, FIELDS, INFO_SHEET, TABLES, Column, Field, Table
from auditkit.data.serialize import cell_text, in_unit, number_text, table_columns
from auditkit.exceptions import Location, Problem
from auditkit.paths import display

__all__ = ["GUIDE_SHEET", "read_workbook", "write_template", "write_workbook"]

GUIDE_SHEET = "填写说明"
_INFO_HEADERS = ("字段", "名称", "值", "说明")
_SHEETS = {t.sheet: t for t in TABLES.values()}
_FIELD_BY_KEY = {f.key: f for f in FIELDS}
_DECIMALS = re.compile(r"\.(0+)")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")
_KIND_NAMES = {
    "text": "文字", "enum": "选项", "slug": "编号", "code": "科目编码", "date": "日期", "bool": "是/否",
    "year": "年份", "index": "整数", "integer": "整数", "number": "数值", "amount": "金额（万元）",
    "rate": "比率（%）", "figure": "数值（可带 %、≥、≤）", "kpi_value": "数值或文字（定性指标）",
    "stated_value": "数值（等级可为文字）", "framework": "指标体系编号或文件路径",
}


# --- reading --------------------------------------------------------------------------------------------


#: The first bytes of an OLE compound file: an encrypted workbook (even an .xlsx one) or an old-format .xls.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_workbook(path: Path) -> RawData:
    """Read a department workbook into raw cells; problems of form are collected, not raised.

    Formulas are read by their cached value (what Excel shows); a formula without one (a workbook written by a script
    and never opened in Excel) is an error, never "not reported". Merged cells are errors: a merged range keeps its
    value in its top-left cell only, so the other rows would silently lack it.
    """
    where = display(path)
    raw = RawData(origin=where, form="workbook", info_location=Location(where, sheet=INFO_SHEET))
    book, cached = _open(Path(path), raw)
    if book is None:
        raw.info_found = False
        return raw
    reader = _Reader(where, raw, cached)
    for sheet in book.worksheets:
        if sheet.title == GUIDE_SHEET:
            continue
        if sheet.title == INFO_SHEET:
            reader.merged(sheet)
            _read_info(sheet, reader)
        elif sheet.title in _SHEETS:
            table = _SHEETS[sheet.title]
            reader.merged(sheet)
            raw.tables[table.name] = _read_sheet(sheet, reader, table)
        else:
            expected = "、".join([INFO_SHEET, *_SHEETS])
            raw.problems.append(Problem(Location(where, sheet=sheet.title), f"未知工作表；应为 {expected} 之一"))
    if INFO_SHEET not in book.sheetnames:
        raw.problems.append(Problem(Location(where), f"缺少工作表「{INFO_SHEET}」"))
        raw.info_found = False
    return raw


def _open(path: Path, raw: RawData) -> tuple[Workbook | None, Workbook | None]:
    """The workbook with its formulas, and (only when it has any) the same workbook with their cached values."""
    where = display(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raw.problems.append(Problem(Location(where), f"无法读取文件：{exc.strerror or exc}"))
        return None, None
    if head == _OLE_MAGIC:
        raw.problems.append(Problem(Location(where), "是加密（设有打开密码）的工作簿或旧版 .xls 格式，无法读取：请在 Excel 中"
                                                     "取消密码，并「另存为」Excel 工作簿（.xlsx）"))
        return None, None
    try:
        book = load_workbook(path)
        formulas = any(c.data_type == "f" for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
        return book, load_workbook(path, data_only=True) if formulas else None
    except SyntaxError as exc:  # xml.etree's and lxml's ParseError: a truncated or corrupt sheet
        raw.problems.append(Problem(Location(where), f"工作簿内部的 XML 已损坏或不完整（{exc}）：文件可能未完整复制或保存；"
                                                     "请重新获取文件，或在 Excel 中打开后「另存为」.xlsx"))
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raw.problems.append(Problem(Location(where), f"无法作为 .xlsx 工作簿打开（{exc}）：文件不是 .xlsx 或已损坏；"
                                                     "请在 Excel 中「另存为」Excel 工作簿（.xlsx）"))
    except (OSError, KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
        raw.problems.append(Problem(Location(where), f"无法作为 .xlsx 工作簿打开：{exc}；请在 Excel 中「另存为」Excel 工作簿（.xlsx）"))
    return None, None


class _Reader:
    """Cells of one workbook as the evaluator sees them, with the problems of form found on the way."""

    def __init__(self, where: str, raw: RawData, cached: Workbook | None) -> None:
        self.where, self.raw, self.cached = where, raw, cached

    def location(self, sheet: Worksheet, cell: SheetCell | MergedCell, column: str | None = None, key: str | None = None) -> Location:
        return Location(self.where, sheet=sheet.title, cell=cell.coordinate, row=cell.row, column=column, key=key)

    def merged(self, sheet: Worksheet) -> None:
        for merged in sheet.merged_cells.ranges:
            self.raw.problems.append(Problem(
                Location(self.where, sheet=sheet.title, cell=merged.coord, row=merged.min_row),
                f"是合并单元格（{merged.coord}）：合并后只有左上角单元格有值，其余各行会缺少此值；请取消合并，并在每个单元格填写"))

    def value(self, sheet: Worksheet, cell: SheetCell | MergedCell, loc: Location) -> tuple[object, bool]:
        """The cell's value as printed (see :func:`_printed`), and whether it is a bare number (no % format)."""
        if cell.data_type == "f":
            cached = self.cached[sheet.title][cell.coordinate] if self.cached is not None else None
            if cached is None or cached.value is None:
                self.raw.problems.append(Problem(loc, "是公式，但没有计算结果（工作簿由程序写出、未经 Excel 打开保存）：请在 Excel 中"
                                                      "打开并保存，或直接填写数值", str(cell.value)))
                return UNREADABLE, False
            cell = cached
        printed = _printed(cell)
        if _hides_digits(cell.value, printed):
            self.raw.problems.append(Problem(
                loc, f"存储的数值多于单元格格式显示的小数位，已按显示值「{printed}」读取（报告所印即显示值）；如应取存储值，"
                     "请把单元格格式改为显示全部小数位", cell.value, severity="warning"))
        return printed, _is_bare_number(cell)


def _printed(cell: SheetCell | MergedCell) -> object:
    """A cell's value as the evaluator sees it: numbers at the precision their display format shows (``0.00`` means two
    printed decimals although 2.0 is stored; a % format means the stored fraction × 100)."""
    value = cell.value
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    fmt = cell.number_format or "General"
    if fmt in ("General", "@"):
        return value
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not exact.is_finite() or exact.adjusted() > 20:  # inf, nan, 5e32: left as stored, for the number parser to refuse
        return value
    percent = "%" in fmt
    if percent:
        exact *= 100
    match = _DECIMALS.search(fmt)
    decimals = len(match.group(1)) if match else 0
    thousands = "," if "#,##" in fmt else ""
    text = format(exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP), f"{thousands}.{decimals}f")  # as Excel shows it
    return text + ("%" if percent else "")


def _hides_digits(stored: object, printed: object) -> bool:
    """Whether a number cell's display format shows fewer decimals than it stores (3114.425 under ``0.00``): the
    figure read is the one displayed, which differs from the one stored."""
    if not isinstance(stored, (int, float)) or isinstance(stored, bool) or not isinstance(printed, str):
        return False
    try:
        shown = Decimal(printed.rstrip("%").replace(",", ""))
        exact = Decimal(repr(stored)) if isinstance(stored, float) else Decimal(stored)
    except ArithmeticError:
        return False
    if printed.endswith("%"):
        exact *= 100
    return exact.is_finite() and shown != exact


def _is_bare_number(cell: SheetCell | MergedCell) -> bool:
    value = cell.value
    return isinstance(value, (int, float)) and not isinstance(value, bool) and "%" not in (cell.number_format or "")


def _read_info(sheet: Worksheet, reader: _Reader) -> None:
    raw, where = reader.raw, reader.where
    rows = sheet.iter_rows()
    header = next(rows, None)
    columns = [normalize_header(str(c.value))[0] if c.value is not None else "" for c in header or ()]
    if "字段" not in columns or "值" not in columns:
        raw.problems.append(Problem(Location(where, sheet=INFO_SHEET, row=1), "第 1 行应为表头，至少含「字段」「值」两列"))
        raw.info_found = False
        return
    key_at, value_at = columns.index("字段"), columns.index("值")
    for row in rows:
        if max(key_at, value_at) >= len(row):
            continue
        key_cell, value_cell = row[key_at], row[value_at]
        key = str(key_cell.value).strip() if key_cell.value is not None else ""
        loc = reader.location(sheet, value_cell, key=key or None)
        if not key:
            if value_cell.value not in (None, ""):
                raw.problems.append(Problem(loc, "有值但「字段」为空"))
            continue
        if key not in _FIELD_BY_KEY:
            raw.problems.append(Problem(loc, "未知字段（见「填写说明」）", key))
            continue
        if key in raw.fields:
            raw.problems.append(Problem(loc, "字段重复"))
        raw.fields[key] = Cell(reader.value(sheet, value_cell, loc)[0], loc)


#: Column kinds that hold a percentage in every row; ``kpi_value`` and ``stated_value`` hold one where the row's
#: 单位 is %.
_PERCENT_KINDS = frozenset({"rate"})
_PERCENT_BY_UNIT = frozenset({"kpi_value", "stated_value"})


def _read_sheet(sheet: Worksheet, reader: _Reader, table: Table) -> RawTable:
    where = reader.where
    raw_table = RawTable(table.name, Location(where, sheet=sheet.title))
    rows = sheet.iter_rows()
    header = next(rows, None)
    if header is None:
        return raw_table
    for c in header:
        if c.value is None:
            continue
        base, unit = normalize_header(str(c.value))
        raw_table.headers.append((base, unit, Location(where, sheet=sheet.title, cell=c.coordinate, row=1, column=str(c.value))))
    positions = [(c.column - 1, normalize_header(str(c.value))[0]) for c in header if c.value is not None]
    kinds = {c.header: c.kind for c in table.columns}
    for row in rows:
        if all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in row):
            continue
        cells, bare = {}, []
        for index, base in positions:
            found = row[index] if index < len(row) else None
            if found is None:
                continue
            loc = reader.location(sheet, found, column=base)
            value, is_bare = reader.value(sheet, found, loc)
            cells[base] = Cell(value, loc)
            if is_bare:
                bare.append(base)
        _fractions_in_percent_columns(cells, bare, kinds, reader.raw)
        raw_table.rows.append(cells)
    return raw_table


def _fractions_in_percent_columns(cells: dict[str, Cell], bare: list[str], kinds: dict[str, str], raw: RawData) -> None:
    """A bare fraction (0.9416, without a % format) in a percentage column is an error asking for 94.16%: read as it
    stands it would be 0.9416% (issue 16, case 7)."""
    unit = cells.get("单位")
    percent_row = unit is not None and isinstance(unit.value, str) and unit.value.strip() == "%"
    for base in bare:
        kind = kinds.get(base, "")
        if kind not in _PERCENT_KINDS and not (kind in _PERCENT_BY_UNIT and percent_row):
            continue
        cell = cells[base]
        number = Decimal(str(cell.value))
        if number == 0 or abs(number) > 1:
            continue
        percent = format((number * 100).normalize(), "f")
        raw.problems.append(Problem(cell.location, f"是小数，而此列为百分比：按原样会读作 {cell.value}%；请填写 {percent}%"
                                                   "（或把单元格设为百分比格式）", cell.value))


# --- writing --------------------------------------------------------------------------------------------


def _header(column: Column, unit: str | None = None) -> str:
    if unit:
        return f"{column.header}（{unit}）"
    return f"{column.header}（万元）" if column.kind == "amount" else column.header


def _put(cell: SheetCell | MergedCell, value: object, column: Column | None, unit: str | None = None) -> None:
    """Write one value: a figure as a number with the display format that shows it as printed, when the cell then reads
    back as the very text it was read from (else as that text); any other text as a string cell, never a formula."""
    if isinstance(value, Number) and _put_number(cell, in_unit(value, unit)):
        return
    if isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
        return
    cell.value = cell_text(value, unit) if value is not None else None
    if isinstance(cell.value, str):
        cell.data_type = "s"  # a text is a string cell, never a live formula (=HYPERLINK(…), =WEBSERVICE(…); case 17)
    if column is not None and column.kind == "code":
        cell.number_format = "@"
    if isinstance(cell.value, str) and len(cell.value) > 40:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _put_number(cell: SheetCell | MergedCell, number: Number) -> bool:
    """Write ``number`` as a number cell if it reads back as its own text; False (nothing written) otherwise."""
    text = number_text(number)
    if number.comparator is not None:
        return False
    thousands = "," in text
    if format_number(number, thousands=thousands) != text:
        return False
    stored = number.value / 100 if number.percent else number.value
    as_float = float(stored)
    if Decimal(repr(as_float)).quantize(Decimal(1).scaleb(-(number.decimals + (2 if number.percent else 0)))) != stored:
        return False  # more digits than a float holds: keep the text
    digits = "0" * number.decimals
    fmt = ("#,##0" if thousands else "0") + (f".{digits}" if digits else "")
    cell.value = int(stored) if number.decimals == 0 and not number.percent else as_float
    cell.number_format = fmt + ("%" if number.percent else "")
    return True


def _style_header(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _width(column: Column) -> int:
    return {"text": 28, "enum": 12}.get(column.kind, 16) if column.attr not in ("content", "reason", "quote", "reading") else 60


def _new_book(dept: DepartmentYear | None) -> Workbook:
    book = Workbook()
    info = book.active
    assert isinstance(info, Worksheet)  # a new workbook's one sheet
    info.title = INFO_SHEET
    info.append(list(_INFO_HEADERS))
    for f in FIELDS:
        info.append([f.key, f.label, None, _field_doc(f)])
        _put(info.cell(row=info.max_row, column=3), _typed_field(dept, f.key) if dept else None, None)
    _style_header(info, [28, 24, 40, 60])
    if dept is None:
        for row in range(2, info.max_row + 1):
            info.cell(row=row, column=3).number_format = "@"  # typed as text: kept as typed
    for f_index, f in enumerate(FIELDS, start=2):
        if f.choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=True)
            info.add_data_validation(dv)
            dv.add(f"C{f_index}")
    for table in TABLES.values():
        sheet = book.create_sheet(table.sheet)
        columns = table_columns(dept, table) if dept is not None else [(c, None) for c in table.columns]
        sheet.append([_header(c, unit) for c, unit in columns])
        _style_header(sheet, [_width(c) for c, _ in columns])
        for index, (column, _unit) in enumerate(columns, start=1):
            letter = get_column_letter(index)
            if column.choices:
                dv = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True,
                                    error=f"应为 {'、'.join(column.choices)} 之一", showErrorMessage=True)
                sheet.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}5000")
            if dept is None:
                # text cells: what the evaluator types is what is kept (2.00 keeps two decimals, 94.16% stays a
                # percentage, - — / mean not reported); auditkit's own validation reads them (issue 16, case 7)
                sheet.column_dimensions[letter].number_format = "@"
    _write_guide(book)
    return book


def _typed_field(dept: DepartmentYear, key: str) -> object:
    section, attr = key.split(".", 1)
    return getattr(getattr(dept, section), attr)


def _field_doc(f: Field) -> str:
    parts = [_KIND_NAMES.get(f.kind, f.kind), "必填" if f.required else "选填"]
    if f.choices:
        parts.append("可选：" + "、".join(f.choices))
    if f.doc:
        parts.append(f.doc)
    return "；".join(parts)


def _write_guide(book: Workbook) -> None:
    guide = book.create_sheet(GUIDE_SHEET, 0)
    guide.append(["工作表", "列 / 字段", "类型", "必填", "说明"])
    guide.append(["（全部）", "—", "—", "—", "金额单位为万元（列名写「（元）」时按元读取并换算）；数字按报告原样填写并保留小数位；"
                  "「-」「—」「/」或空白表示未列示（不是零）；每行在「来源」注明出处。"])
    for f in FIELDS:
        guide.append([INFO_SHEET, f"{f.key}（{f.label}）", _KIND_NAMES.get(f.kind, f.kind), "是" if f.required else "否", _field_doc(f)])
    for table in TABLES.values():
        for c in table.columns:
            doc = c.doc
            if c.choices:
                doc = "可选：" + "、".join(c.choices) + ("；" + doc if doc else "")
            guide.append([f"{table.sheet}（{table.title}）", c.header, _KIND_NAMES.get(c.kind, c.kind), "是" if c.required else "否", doc])
    guide.append(["报告列示数", "指标 的取值", "—", "—", "；".join(f"{k} {v}" for k, v in CLAIMS.items())])
    _style_header(guide, [22, 30, 22, 8, 90])
    for row in guide.iter_rows(min_row=2):
        row[4].alignment = Alignment(wrap_text=True, vertical="top")


def write_workbook(dept: DepartmentYear, path: Path) -> Path:
    """Write a department-year as one workbook (基本信息 + one sheet per table + 填写说明)."""
    book = _new_book(dept)
    for table in TABLES.values():
        sheet = book[table.sheet]
        columns = table_columns(dept, table)
        for row in getattr(dept, table.name):
            sheet.append([None] * len(columns))
            for index, (column, unit) in enumerate(columns, start=1):
                _put(sheet.cell(row=sheet.max_row, column=index), getattr(row, column.attr), column, unit)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_template(path: Path) -> Path:
    """Write a blank workbook: Chinese headers, the 填写说明 sheet, and Excel data validation for choices and amounts."""
    book = _new_book(None)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
