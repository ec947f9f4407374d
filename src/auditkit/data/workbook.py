"""The workbook form: one ``.xlsx`` with a 基本信息 sheet and one sheet per table, as evaluators exchange it.

Numbers are stored as numbers with a display format at their printed precision (``#,##0.00``,
``0.00%``), so the workbook reads back exactly as it was printed.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from auditkit.data.model import DepartmentYear
from auditkit.data.numbers import Number
from auditkit.data.raw import Cell, RawData, RawTable, normalize_header
from auditkit.data.schema import CLAIMS, FIELDS, INFO_SHEET, TABLES, Column, Field
from auditkit.data.serialize import cell_text
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


def read_workbook(path: Path) -> RawData:
    """Read a department workbook into raw cells; problems of form are collected, not raised."""
    where = display(path)
    raw = RawData(origin=where, form="workbook", info_location=Location(where, sheet=INFO_SHEET))
    try:
        book = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raw.problems.append(Problem(Location(where), f"无法作为 .xlsx 工作簿打开：{exc}"))
        raw.info_found = False
        return raw
    for sheet in book.worksheets:
        if sheet.title == GUIDE_SHEET:
            continue
        if sheet.title == INFO_SHEET:
            _read_info(sheet, where, raw)
        elif sheet.title in _SHEETS:
            table = _SHEETS[sheet.title]
            raw.tables[table.name] = _read_sheet(sheet, where, table.name)
        else:
            expected = "、".join([INFO_SHEET, *_SHEETS])
            raw.problems.append(Problem(Location(where, sheet=sheet.title), f"未知工作表；应为 {expected} 之一"))
    if INFO_SHEET not in book.sheetnames:
        raw.problems.append(Problem(Location(where), f"缺少工作表「{INFO_SHEET}」"))
        raw.info_found = False
    return raw


def _printed(cell: SheetCell | MergedCell) -> object:
    """A cell's value as the evaluator sees it: numbers at the precision their display format shows."""
    value = cell.value
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    fmt = cell.number_format or "General"
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if fmt == "General" or fmt == "@":
        return value
    percent = "%" in fmt
    if percent:
        exact *= 100
    match = _DECIMALS.search(fmt)
    decimals = len(match.group(1)) if match else 0
    text = format(exact.quantize(Decimal(1).scaleb(-decimals)), f".{decimals}f")
    return text + ("%" if percent else "")


def _read_info(sheet: Worksheet, where: str, raw: RawData) -> None:
    rows = sheet.iter_rows()
    header = next(rows, None)
    columns = [normalize_header(str(c.value))[0] if c.value is not None else "" for c in header or ()]
    if "字段" not in columns or "值" not in columns:
        raw.problems.append(Problem(Location(where, sheet=INFO_SHEET, row=1), "第 1 行应为表头，至少含「字段」「值」两列"))
        raw.info_found = False
        return
    key_at, value_at = columns.index("字段"), columns.index("值")
    for row in rows:
        key_cell, value_cell = row[key_at], row[value_at]
        key = str(key_cell.value).strip() if key_cell.value is not None else ""
        loc = Location(where, sheet=INFO_SHEET, cell=value_cell.coordinate, row=value_cell.row, key=key or None)
        if not key:
            if value_cell.value not in (None, ""):
                raw.problems.append(Problem(loc, "有值但「字段」为空"))
            continue
        if key not in _FIELD_BY_KEY:
            raw.problems.append(Problem(loc, "未知字段（见「填写说明」）", key))
            continue
        if key in raw.fields:
            raw.problems.append(Problem(loc, "字段重复"))
        raw.fields[key] = Cell(_printed(value_cell), loc)


def _read_sheet(sheet: Worksheet, where: str, name: str) -> RawTable:
    table = RawTable(name, Location(where, sheet=sheet.title))
    rows = sheet.iter_rows()
    header = next(rows, None)
    if header is None:
        return table
    for c in header:
        if c.value is None:
            continue
        base, unit = normalize_header(str(c.value))
        table.headers.append((base, unit, Location(where, sheet=sheet.title, cell=c.coordinate, row=1, column=str(c.value))))
    positions = [(c.column - 1, normalize_header(str(c.value))[0]) for c in header if c.value is not None]
    for row in rows:
        if all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in row):
            continue
        cells = {}
        for index, base in positions:
            found = row[index] if index < len(row) else None
            if found is None:
                continue
            loc = Location(where, sheet=sheet.title, cell=found.coordinate, row=found.row, column=base)
            cells[base] = Cell(_printed(found), loc)
        table.rows.append(cells)
    return table


# --- writing --------------------------------------------------------------------------------------------


def _header(column: Column) -> str:
    return f"{column.header}（万元）" if column.kind == "amount" else column.header


def _put(cell: SheetCell | MergedCell, value: object, column: Column | None) -> None:
    if isinstance(value, Number) and value.comparator is None:
        shown = "#,##0" + ("." + "0" * value.decimals if value.decimals else "")
        if value.percent:
            cell.value = float(value.value / 100)
            cell.number_format = ("0." + "0" * value.decimals if value.decimals else "0") + "%"
        else:
            cell.value = int(value.value) if value.decimals == 0 else float(value.value)
            cell.number_format = shown
        return
    if isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
        return
    cell.value = cell_text(value) if value is not None else None
    if column is not None and column.kind == "code":
        cell.number_format = "@"
    if isinstance(cell.value, str) and len(cell.value) > 40:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


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
    for f_index, f in enumerate(FIELDS, start=2):
        if f.choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=True)
            info.add_data_validation(dv)
            dv.add(f"C{f_index}")
    for table in TABLES.values():
        sheet = book.create_sheet(table.sheet)
        sheet.append([_header(c) for c in table.columns])
        _style_header(sheet, [_width(c) for c in table.columns])
        for index, column in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            if column.choices:
                dv = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True,
                                    error=f"应为 {'、'.join(column.choices)} 之一", showErrorMessage=True)
                sheet.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}5000")
            elif column.kind == "amount":
                dv = DataValidation(type="decimal", operator="between", formula1="-1E12", formula2="1E12",
                                    allow_blank=True, error="金额应为数字（万元）", showErrorMessage=True)
                sheet.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}5000")
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
        for row in getattr(dept, table.name):
            sheet.append([None] * len(table.columns))
            for index, column in enumerate(table.columns, start=1):
                _put(sheet.cell(row=sheet.max_row, column=index), getattr(row, column.attr), column)
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
