"""auditkit.data.workbook: the workbook form loads to the same model; the template explains itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from auditkit import load, validate, write_template, write_workbook
from auditkit.data.schema import FIELDS, INFO_SHEET, TABLES
from auditkit.data.workbook import GUIDE_SHEET


def test_folder_to_workbook_round_trip(department_dir: Path, tmp_path: Path) -> None:
    dept = load(department_dir)
    book = write_workbook(dept, tmp_path / "demo.xlsx")
    assert load(book) == dept


def test_workbook_numbers_keep_their_printed_precision(department_dir: Path, tmp_path: Path) -> None:
    book = write_workbook(load(department_dir), tmp_path / "demo.xlsx")
    sheet = load_workbook(book)["支出"]
    header = [c.value for c in sheet[1]]
    total = sheet[7][header.index("调整预算（万元）")]
    assert total.value == pytest.approx(13867.6)
    assert total.number_format == "0.00"  # shown as 13867.60 (as the CSV prints it), read back with two decimals
    rate = load_workbook(book)["报告列示数"]["C2"]
    assert rate.number_format == "0.00%" and rate.value == pytest.approx(0.0302)


def test_a_broken_workbook_cell_is_named_by_sheet_and_cell(department_dir: Path, tmp_path: Path) -> None:
    path = write_workbook(load(department_dir), tmp_path / "demo.xlsx")
    book = load_workbook(path)
    sheet = book["支出"]
    header = [c.value for c in sheet[1]]
    column = header.index("决算（万元）") + 1
    sheet.cell(row=3, column=column).value = "12,3a"
    book["基本信息"]["C2"] = "Demo RSJ"
    book.create_sheet("草稿")
    book.save(path)
    messages = [str(p) for p in validate(path)]
    letter = sheet.cell(row=3, column=column).column_letter
    assert f"demo.xlsx，工作表「支出」，单元格 {letter}3，第 3 行，列「决算」: '12,3a' 不是数字" in "\n".join(messages)
    assert any("工作表「基本信息」，单元格 C2" in m and "不是有效的部门编号" in m for m in messages)
    assert any("工作表「草稿」: 未知工作表" in m for m in messages)


def test_a_framework_that_cannot_be_found_is_named_by_its_cell(department_dir: Path, tmp_path: Path) -> None:
    path = write_workbook(load(department_dir), tmp_path / "demo.xlsx")
    book = load_workbook(path)
    sheet = book[INFO_SHEET]
    row = next(r for r in sheet.iter_rows() if r[0].value == "evaluation.framework")
    value = next(c for c in row if c.value == "gd-municipal-2019")
    value.value = "frameworks/none.yaml"
    book.save(path)
    [problem] = validate(path)
    assert str(problem).startswith(f"demo.xlsx，工作表「基本信息」，单元格 {value.coordinate}，第 {value.row} 行，"
                                   "字段 evaluation.framework: 'frameworks/none.yaml' 找不到此指标体系文件；应为内置指标体系")


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_text("not a zip")
    [problem] = validate(path)
    assert "无法作为 .xlsx 工作簿打开" in str(problem)


def test_template_has_every_sheet_header_and_guide(tmp_path: Path) -> None:
    book = load_workbook(write_template(tmp_path / "模板.xlsx"))
    assert book.sheetnames[0] == GUIDE_SHEET
    for table in TABLES.values():
        headers = [c.value for c in book[table.sheet][1]]
        assert [h.removesuffix("（万元）") for h in headers] == [c.header for c in table.columns]
    keys = [row[0].value for row in book[INFO_SHEET].iter_rows(min_row=2)]
    assert keys == [f.key for f in FIELDS]
    guide = [tuple(c.value for c in row) for row in book[GUIDE_SHEET].iter_rows(min_row=2)]
    documented = {(sheet.split("（")[0], column) for sheet, column, *_ in guide}
    for table in TABLES.values():
        for column in table.columns:
            assert (table.sheet, column.header) in documented


def test_template_offers_choices_as_excel_data_validation(tmp_path: Path) -> None:
    book = load_workbook(write_template(tmp_path / "模板.xlsx"))
    kpis = book["绩效指标"]
    lists = [dv.formula1 for dv in kpis.data_validations.dataValidation if dv.type == "list"]
    assert '"≥,≤,=,定性"' in lists
    expenditure = book["支出"]
    # amounts are text cells, so that 2.00 keeps its decimals and - — / (not reported) are accepted (issue 16, case 7)
    assert not any(dv.type == "decimal" for dv in expenditure.data_validations.dataValidation)
    assert expenditure.column_dimensions["D"].number_format == "@"


def test_a_blank_template_reports_the_missing_fields(tmp_path: Path) -> None:
    messages = [str(p) for p in validate(write_template(tmp_path / "模板.xlsx"))]
    assert any("工作表「基本信息」，单元格 C2，第 2 行，字段 department.id: 缺少必填字段" in m for m in messages)
