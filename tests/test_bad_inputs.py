"""The bad-input catalogue (issue 16): every way a department's data was found to crash, be read wrong, be accepted
silently or lose a row, each as a test. An error gives its exact message (file, sheet, cell or row, column, the value
found, what was expected and the fix); a correct reading gives the figure. The next case found goes here, in the
group of the loader it concerns.

Case numbers are those of issue 16 (/work/notes/issue16.md).
"""

from __future__ import annotations

import copy
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from auditkit import load, validate, write_template, write_workbook
from auditkit.cli import main
from auditkit.data.folder import write_folder
from auditkit.data.numbers import Number, parse_number
from auditkit.data.schema import INFO_SHEET
from auditkit.exceptions import NumberFormatError, UnknownFormatError
from auditkit.reconcile import reconciliation
from auditkit.reconcile.findings import Figure, Finding
from tests.conftest import SAMPLES, TABLES, write_csv

F = "data/2019/demo-rsj"


def _messages(path: Path) -> list[str]:
    return [str(p) for p in validate(path)]


def _set(folder: Path, file: str, row: int, header: str, value: str) -> None:
    rows = copy.deepcopy(TABLES[file])
    rows[row][rows[0].index(header)] = value
    write_csv(folder / file, rows)


# --- numbers (case 5, 8, 10) ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("13,867.60¹", "'13,867.60¹' 含「¹」（SUPERSCRIPT ONE，脚注标记？）：请只填数字，把脚注写入「来源」或 notes.csv"),
    ("1²", "'1²' 含「²」（SUPERSCRIPT TWO，脚注标记？）"),
    ("①", "'①' 含「①」（CIRCLED DIGIT ONE，脚注标记？）"),
    ("٣٠", "'٣٠' 含「٣」（ARABIC-INDIC DIGIT THREE）：不是 0–9 的数字；请只用阿拉伯数字（半角或全角）"),
    ("Ⅲ", "'Ⅲ' 含「Ⅲ」（ROMAN NUMERAL THREE，脚注标记？）"),
])
def test_case5_footnote_marks_and_other_digits_are_named_not_read_as_digits(text: str, expected: str) -> None:
    with pytest.raises(NumberFormatError) as caught:
        parse_number(text)
    assert str(caught.value).startswith(expected)


def test_case5_in_a_table_the_footnote_mark_is_an_error_at_its_cell(department_dir: Path) -> None:
    _set(department_dir, "expenditure.csv", 6, "调整预算", "13,867.60¹")
    assert _messages(department_dir) == [
        f"{F}/expenditure.csv，第 7 行，列「调整预算」: '13,867.60¹' 含「¹」（SUPERSCRIPT ONE，脚注标记？）：请只填数字，"
        "把脚注写入「来源」或 notes.csv"]


@pytest.mark.parametrize(("text", "value", "decimals"), [("１３，８６７．６０", "13867.60", 2), ("　２．００　", "2.00", 2)])
def test_case5_full_width_digits_still_read(text: str, value: str, decimals: int) -> None:
    assert parse_number(text) == Number(Decimal(value), decimals)


@pytest.mark.parametrize(("raw", "expected"), [
    pytest.param("1" + "0" * 26, "数值过大（整数部分 27 位，最多 15 位）：请核对单位与小数点", id="1e26 as text"),
    pytest.param("1.00000000001", "小数位过多（11 位，最多 10 位）：请按报告原样填写", id="11 decimals"),
    pytest.param(1e26, "数值过大（整数部分 27 位，最多 15 位）", id="1e26 as a float"),
    pytest.param(10**5000, "数值过大（最多 15 位整数）", id="a 5000-digit int"),
])
def test_case10_implausible_magnitudes_are_refused(raw: object, expected: str) -> None:
    with pytest.raises(NumberFormatError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        parse_number(raw)


def test_case10_a_huge_amount_fails_validation_not_check(department_dir: Path) -> None:
    _set(department_dir, "expenditure.csv", 1, "决算", "1" + "0" * 26)
    assert _messages(department_dir) == [
        f"{F}/expenditure.csv，第 2 行，列「决算」: '{'1' + '0' * 26}' 数值过大（整数部分 27 位，最多 15 位）：请核对单位与小数点"]


def test_case8_yuan_amounts_keep_their_printed_precision(department_dir: Path) -> None:
    rows = copy.deepcopy(TABLES["expenditure.csv"])
    column = rows[0].index("决算")
    rows[0][column] = "决算(元)"
    rows[1][column] = "24,748,800.00"
    write_csv(department_dir / "expenditure.csv", rows)
    final = load(department_dir).expenditure[0].final
    assert final is not None
    assert final.value == Decimal("2474.880000") and final.printed_decimals == 2  # 元 to the fen
    assert str(final) == "2474.88"  # shown in 万元 with two decimals, not 2474.880000
    assert str(final.as_printed()) == "24748800.00"  # the 元 figure as printed


# --- YAML: department.yaml and framework files (case 6, 9) ----------------------------------------------------


def _yaml(folder: Path, replace: str, by: str) -> None:
    path = folder / "department.yaml"
    text = path.read_text(encoding="utf-8")
    assert replace in text
    path.write_text(text.replace(replace, by), encoding="utf-8")


@pytest.mark.parametrize(("written", "value", "decimals"), [
    ("stock_current: 2670.60", "2670.60", 2),  # a float would lose the printed precision
    ("stock_current: 012", "12", 0),  # YAML 1.1: octal 10
    ("stock_current: '2670.6'", "2670.6", 1),
])
def test_case6_unquoted_numbers_are_read_as_written(department_dir: Path, written: str, value: str, decimals: int) -> None:
    _yaml(department_dir, "stock_current: '2670.6'", written)
    assert load(department_dir).funds.stock_current == Number(Decimal(value), decimals)


@pytest.mark.parametrize(("written", "expected"), [
    ("stock_current: 26:30", "'26:30' 不是数字（应如 36,158.49、3.02% 或 -16.98%）"),  # YAML 1.1: 1590
    ("stock_current: 0x1F", "'0x1F' 不是数字（应如 36,158.49、3.02% 或 -16.98%）"),  # YAML 1.1: 31
])
def test_case6_yaml_1_1_numbers_are_errors_not_other_numbers(department_dir: Path, written: str, expected: str) -> None:
    _yaml(department_dir, "stock_current: '2670.6'", written)
    assert _messages(department_dir) == [f"{F}/department.yaml，第 14 行，字段 funds.stock_current: {expected}"]


def test_case6_a_text_field_keeps_its_text(department_dir: Path) -> None:
    _yaml(department_dir, "evaluator: 示例咨询有限公司", "evaluator: 012")
    assert load(department_dir).evaluation.evaluator == "012"


@pytest.mark.parametrize(("written", "expected"), [
    ("report_date: 2020-02-30", "'2020-02-30' 不是有效日期：应为 YYYY-MM-DD，如 2022-06-06"),
    ("report_date: 2020-13-01", "'2020-13-01' 不是有效日期：应为 YYYY-MM-DD，如 2022-06-06"),
    ("report_date: !!timestamp 2020-02-30", "'2020-02-30' 带 YAML 类型标记「!!timestamp」；请去掉标记，直接写值（数字如 2670.60，日期如 2020-06-30）"),
])
def test_case9_impossible_dates_and_tags_are_errors(department_dir: Path, written: str, expected: str) -> None:
    _yaml(department_dir, "report_date: '2020-06-30'", written)
    assert _messages(department_dir) == [f"{F}/department.yaml，第 12 行，字段 evaluation.report_date: {expected}"]


def test_case9_a_valid_unquoted_date_reads(department_dir: Path) -> None:
    _yaml(department_dir, "report_date: '2020-06-30'", "report_date: 2020-06-30")
    assert load(department_dir).evaluation.report_date == "2020-06-30"


@pytest.mark.parametrize(("written", "expected"), [
    ("stock_current: !!int x", "'x' 带 YAML 类型标记「!!int」"),
    ("stock_current: !!float x", "'x' 带 YAML 类型标记「!!float」"),
    ("stock_current: " + "9" * 5000, f"'{'9' * 5000}' 数值过大（整数部分 5000 位，最多 15 位）：请核对单位与小数点"),
])
def test_case9_tags_and_huge_integers_are_errors(department_dir: Path, written: str, expected: str) -> None:
    _yaml(department_dir, "stock_current: '2670.6'", written)
    [message] = _messages(department_dir)
    assert message.startswith(f"{F}/department.yaml，第 14 行，字段 funds.stock_current: {expected}")


def _framework_file(folder: Path, text: str) -> None:
    from auditkit.scoring.framework import FRAMEWORKS_DIR

    shipped = (FRAMEWORKS_DIR / "gd-municipal-2019.yaml").read_text(encoding="utf-8")
    path = folder.parents[2] / "frameworks" / "own.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(shipped.replace("id: gd-municipal-2019", "id: own") + text, encoding="utf-8")
    _yaml(folder, "framework: gd-municipal-2019", "framework: frameworks/own.yaml")


@pytest.mark.parametrize(("extra", "expected"), [
    ("released: !!timestamp 2020-02-30\n", "无法读取：day is out of range for month"),
    ("count: !!int x\n", "无法读取：第 "),
    ("count: " + "9" * 5000 + "\n", "过大"),
])
def test_case9_a_framework_file_with_an_impossible_value_is_a_clear_error(department_dir: Path, extra: str, expected: str) -> None:
    _framework_file(department_dir, extra)
    [message] = _messages(department_dir)
    assert message.startswith(f"{F}/department.yaml，第 10 行，字段 evaluation.framework: 'frameworks/own.yaml' 指标体系文件 "
                              "frameworks/own.yaml 无法使用：")
    assert expected in message


# --- workbooks (case 1, 3, 4, 7, 11, 16, 17) ----------------------------------------------------------------


def _book(department_dir: Path, tmp_path: Path) -> Path:
    return write_workbook(load(department_dir), tmp_path / "demo.xlsx")


def _edit(path: Path, sheet: str, edit: Callable[[Any], None]) -> None:
    book = load_workbook(path)
    edit(book[sheet])
    book.save(path)


def _column(sheet: Any, header: str) -> str:
    return next(c.column_letter for c in sheet[1] if c.value == header)


def test_case1_an_empty_required_cell_is_an_error_not_a_dropped_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    book = write_workbook(load(SAMPLES["shaoguan-rsj"]), tmp_path / "b.xlsx")
    _edit(book, "评分", lambda s: setattr(s["E3"], "value", None))  # 003 评分表 A.1 分值
    assert _messages(book) == ["b.xlsx，工作表「评分」，单元格 E3，第 3 行，列「分值」: 必填列「分值」为空"]


def test_case1_merged_cells_are_an_error(department_dir: Path, tmp_path: Path) -> None:
    book = _book(department_dir, tmp_path)
    _edit(book, "支出", lambda s: s.merge_cells("B2:B3"))
    assert "demo.xlsx，工作表「支出」，单元格 B2:B3，第 2 行: 是合并单元格（B2:B3）：合并后只有左上角单元格有值，其余各行会缺少此值；" \
           "请取消合并，并在每个单元格填写" in _messages(book)


@pytest.mark.parametrize("formula", ["=1/0", "=13000+867.6"])
def test_case4_a_formula_without_a_cached_value_is_an_error(department_dir: Path, tmp_path: Path, formula: str) -> None:
    book = _book(department_dir, tmp_path)
    _edit(book, "支出", lambda s: setattr(s[f"{_column(s, '决算（万元）')}7"], "value", formula))
    assert _messages(book) == [
        f"demo.xlsx，工作表「支出」，单元格 I7，第 7 行，列「决算」: '{formula}' 是公式，但没有计算结果（工作簿由程序写出、未经 Excel "
        "打开保存）：请在 Excel 中打开并保存，或直接填写数值"]


def test_case16_a_hyperlink_name_without_a_value_names_its_cell(department_dir: Path, tmp_path: Path) -> None:
    book = _book(department_dir, tmp_path)
    _edit(book, INFO_SHEET, lambda s: setattr(s["C3"], "value", '=HYPERLINK("http://x","示例局")'))
    assert _messages(book) == [
        "demo.xlsx，工作表「基本信息」，单元格 C3，第 3 行，字段 department.name: '=HYPERLINK(\"http://x\",\"示例局\")' 是公式，"
        "但没有计算结果（工作簿由程序写出、未经 Excel 打开保存）：请在 Excel 中打开并保存，或直接填写数值"]


@pytest.mark.parametrize("mark", ["-", "—", "/"])
def test_case7_marks_mean_not_reported_in_amount_cells(department_dir: Path, tmp_path: Path, mark: str) -> None:
    book = _book(department_dir, tmp_path)
    _edit(book, "支出", lambda s: setattr(s[f"{_column(s, '决算（万元）')}2"], "value", mark))
    assert load(book).expenditure[0].final is None


def test_case7_the_template_keeps_what_is_typed(tmp_path: Path) -> None:
    """In the template's text cells, 2.00 keeps two decimals (the rounding interval stays 3,114.42 ± 0.005)."""
    book = write_template(tmp_path / "t.xlsx")
    sheet = load_workbook(book)["支出"]
    assert all(sheet.column_dimensions[c].number_format == "@" for c in "ABCDEFGHIJK")


def test_case7_a_two_decimal_format_keeps_two_decimals(department_dir: Path, tmp_path: Path) -> None:
    book = _book(department_dir, tmp_path)

    def edit(s: Any) -> None:
        cell = s[f"{_column(s, '决算（万元）')}2"]
        cell.value, cell.number_format = 2.0, "0.00"
    _edit(book, "支出", edit)
    assert load(book).expenditure[0].final == Number(Decimal("2.00"), 2)


def test_case7_a_format_that_hides_stored_decimals_reads_the_displayed_figure_and_says_so(
        department_dir: Path, tmp_path: Path) -> None:
    """3114.425 under 0.00 shows 3,114.43 (as a printed report would): that figure is read, and a warning names the cell
    and both figures, so the difference is never silent."""
    book = _book(department_dir, tmp_path)

    def edit(s: Any) -> None:
        cell = s[f"{_column(s, '决算（万元）')}2"]
        cell.value, cell.number_format = 3114.425, "0.00"
    _edit(book, "支出", edit)
    dept = load(book)
    assert dept.expenditure[0].final == Number(Decimal("3114.43"), 2)
    assert [str(w) for w in dept.warnings] == [
        "demo.xlsx，工作表「支出」，单元格 I2，第 2 行，列「决算」: 3114.425 存储的数值多于单元格格式显示的小数位，已按显示值「3114.43」"
        "读取（报告所印即显示值）；如应取存储值，请把单元格格式改为显示全部小数位"]


def test_case7_a_percent_format_is_a_fraction_times_100(department_dir: Path, tmp_path: Path) -> None:
    book = _book(department_dir, tmp_path)

    def edit(s: Any) -> None:
        s["G2"].value, s["G2"].number_format = 0.9416, "0.00%"
    _edit(book, "评分", edit)
    assert load(book).scores[0].rate == Number(Decimal("94.16"), 2, True)


def test_case7_a_bare_fraction_in_a_percent_column_asks_for_a_percentage(department_dir: Path, tmp_path: Path) -> None:
    book = _book(department_dir, tmp_path)

    def edit(s: Any) -> None:
        s["G2"].value, s["G2"].number_format = 0.9416, "General"
    _edit(book, "评分", edit)
    assert _messages(book) == ["demo.xlsx，工作表「评分」，单元格 G2，第 2 行，列「得分率」: 0.9416 是小数，而此列为百分比：按原样会读作 "
                               "0.9416%；请填写 94.16%（或把单元格设为百分比格式）"]


def test_case7_a_bare_fraction_in_a_percent_kpi_asks_for_a_percentage(department_dir: Path, tmp_path: Path) -> None:
    book = _book(department_dir, tmp_path)

    def edit(s: Any) -> None:
        cell = s[f"{_column(s, '实际值')}3"]  # 城镇登记失业率, 单位 %
        cell.value, cell.number_format = 0.0211, "General"
    _edit(book, "绩效指标", edit)
    assert _messages(book) == ["demo.xlsx，工作表「绩效指标」，单元格 F3，第 3 行，列「实际值」: 0.0211 是小数，而此列为百分比：按原样会读作 "
                               "0.0211%；请填写 2.11%（或把单元格设为百分比格式）"]


def test_case11_an_encrypted_or_xls_workbook_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    assert _messages(path) == ["old.xlsx: 是加密（设有打开密码）的工作簿或旧版 .xls 格式，无法读取：请在 Excel 中取消密码，并「另存为」Excel 工作簿（.xlsx）"]


def test_case11_a_truncated_sheet_is_a_clear_error(department_dir: Path, tmp_path: Path) -> None:
    book = _book(department_dir, tmp_path)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet2.xml" else data)
    [message] = _messages(broken)
    assert message.startswith("broken.xlsx: 工作簿内部的 XML 已损坏或不完整（")
    assert message.endswith("）：文件可能未完整复制或保存；请重新获取文件，或在 Excel 中打开后「另存为」.xlsx")


def test_case17_texts_are_written_as_strings_not_formulas(department_dir: Path, tmp_path: Path) -> None:
    _set(department_dir, "kpis.csv", 1, "来源", '=HYPERLINK("http://evil","x")')
    _set_more = copy.deepcopy(TABLES["stated.csv"])
    _set_more[1][_set_more[0].index("原文")] = "=WEBSERVICE(\"http://evil\")"
    write_csv(department_dir / "stated.csv", _set_more)
    book = _book(department_dir, tmp_path)
    sheet = load_workbook(book)["绩效指标"]
    cell = sheet[f"{_column(sheet, '来源')}2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil","x")'
    assert load(book).kpis[0].source == '=HYPERLINK("http://evil","x")'
    assert load(book).stated[0].quote == "=WEBSERVICE(\"http://evil\")"


# --- the command line: template, convert, validate (case 3, 16) ---------------------------------------------


def test_case3_template_refuses_to_overwrite_a_filled_workbook(department_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = _book(department_dir, tmp_path)
    before = book.read_bytes()
    assert main(["template", str(book)]) == 1
    assert "demo.xlsx 已存在，未覆盖（可能是已填写的工作簿）；加 --force 覆盖" in capsys.readouterr().err
    assert book.read_bytes() == before
    assert main(["template", str(book), "--force"]) == 0
    assert validate(book) != []  # now the blank template


def test_case3_convert_force_replaces_the_folder_whole(department_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "demo-rsj"
    assert main(["convert", str(department_dir), str(target)]) == 0
    (target / "units.csv").write_text("类型,名称\n内设机构,旧\n", encoding="utf-8")  # an old table the source lacks
    assert main(["convert", str(department_dir), str(target), "--force"]) == 0
    assert not (target / "units.csv").exists()
    assert sorted(p.name for p in target.parent.iterdir()) == ["demo-rsj"]  # nothing left beside it


def test_case16_validate_reads_each_department_once(department_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import auditkit.cli as cli

    calls: list[Path] = []
    real = cli.load
    monkeypatch.setattr(cli, "load", lambda p: calls.append(Path(p)) or real(p))
    assert main(["validate", str(department_dir)]) == 0
    assert calls == [department_dir]


def test_case16_validate_names_a_folder_without_department_yaml(department_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (department_dir.parent / "draft-rsj").mkdir()
    (department_dir.parent / "draft-rsj" / "kpis.csv").write_text("分组\n", encoding="utf-8")
    assert main(["validate"]) == 1
    assert "✘ data/2019/draft-rsj：3 处问题\n  - data/2019/draft-rsj/department.yaml: 缺少 department.yaml（部门基本信息）" in capsys.readouterr().out


# --- encodings (case 12) --------------------------------------------------------------------------------------


def test_case12_a_gbk_csv_reads_and_is_noted(department_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (department_dir / "kpis.csv").read_text(encoding="utf-8")
    (department_dir / "kpis.csv").write_bytes(text.encode("gbk"))
    dept = load(department_dir)
    assert dept.kpis[0].name == "城镇新增就业人数"
    assert [str(w) for w in dept.warnings] == [
        f"{F}/kpis.csv: 不是 UTF-8 编码，已按 GB18030（GBK）编码读取（中文版 Excel 保存的 CSV）；内容请核对无误。请在 Excel 中"
        "「另存为」「CSV UTF-8（逗号分隔）」，或用文本编辑器以 UTF-8 保存，此提示即消失"]
    assert main(["validate", str(department_dir)]) == 0
    assert "⚠ 提示：data/2019/demo-rsj/kpis.csv: 不是 UTF-8 编码，已按 GB18030（GBK）编码读取" in capsys.readouterr().out


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_case12_utf16_is_one_clear_error(department_dir: Path, encoding: str) -> None:
    text = (department_dir / "kpis.csv").read_text(encoding="utf-8")
    (department_dir / "kpis.csv").write_bytes(text.encode(encoding))
    assert _messages(department_dir) == [
        f"{F}/kpis.csv: 是 UTF-16 编码（Excel 的「Unicode 文本」），无法按表格读取：请在 Excel 中「另存为」「CSV UTF-8（逗号分隔）」，"
        "或用文本编辑器以 UTF-8 保存"]


def test_case12_neither_utf8_nor_gb18030_is_one_clear_error(department_dir: Path) -> None:
    (department_dir / "kpis.csv").write_bytes("分组\n".encode() + b"\x84\x30\xff\xff\n")
    [message] = _messages(department_dir)
    assert message.startswith(f"{F}/kpis.csv: 既不是 UTF-8 也不是 GB18030/GBK 编码")


# --- texts: OCR residue (issue 14) ------------------------------------------------------------------------------


def test_a_number_broken_by_a_space_is_a_warning_naming_file_row_and_column(department_dir: Path) -> None:
    write_csv(department_dir / "texts.csv", [["类别", "内容", "来源"], ["主要绩效", "完成率 116. 27%，支出 808. 56 万元。", "示例"]])
    dept = load(department_dir)
    assert dept.texts[0].content == "完成率 116. 27%，支出 808. 56 万元。"  # kept as found
    assert [str(w) for w in dept.warnings] == [
        f"{F}/texts.csv，第 2 行，列「内容」: 含被空格断开的数字「116. 27%」（疑为 OCR 残留，应为「116.27%」？）：请对照原报告删去空格",
        f"{F}/texts.csv，第 2 行，列「内容」: 含被空格断开的数字「808. 56 万元」（疑为 OCR 残留，应为「808.56 万元」？）：请对照原报告删去空格"]


# --- the round trip folder → workbook → folder (case 2) --------------------------------------------------------


def _round_trip(folder: Path, tmp_path: Path) -> Path:
    book = write_workbook(load(folder), tmp_path / "book.xlsx")
    return write_folder(load(book), tmp_path / "back")


@pytest.mark.parametrize("dept_id", sorted(SAMPLES))
def test_case2_the_round_trip_is_byte_identical_for_every_sample(dept_id: str, tmp_path: Path) -> None:
    folder = SAMPLES[dept_id]
    back = _round_trip(folder, tmp_path)
    assert sorted(p.name for p in back.iterdir()) == sorted(p.name for p in folder.iterdir())
    for path in sorted(folder.iterdir()):
        assert (back / path.name).read_bytes() == path.read_bytes(), path.name


def test_case2_the_round_trip_keeps_yuan_columns_and_printed_forms(department_dir: Path, tmp_path: Path) -> None:
    rows = copy.deepcopy(TABLES["expenditure.csv"])
    column = rows[0].index("决算")
    rows[0][column] = "决算(元)"
    rows[1][column] = "24,748,800.00"
    rows[2][column] = "22641100"
    rows[1][rows[0].index("来源")] = "=HYPERLINK(\"x\")"
    for row in rows[1:]:  # an empty 行类型 is written back as its default, 明细
        row[2] = row[2] or "明细"
    write_csv(department_dir / "expenditure.csv", rows)
    back = _round_trip(department_dir, tmp_path)
    assert (back / "expenditure.csv").read_bytes() == (department_dir / "expenditure.csv").read_bytes()
    assert (back / "kpis.csv").read_bytes() == (department_dir / "kpis.csv").read_bytes()  # "30,342"-style text kept


# --- reconciliation of what the data leaves out (case 10, 13, 14, 15) ------------------------------------------


def _findings(folder: Path) -> list[Finding]:
    return list(reconciliation(load(folder)).findings)


def _with_blank_row(folder: Path, total: str) -> None:
    rows = copy.deepcopy(TABLES["expenditure.csv"])
    rows.insert(6, ["其他", "", "", "", "", "", "", "", "", "示例 表3（印为空白）"])
    rows[-1][rows[0].index("决算")] = total
    write_csv(folder / "expenditure.csv", rows)


def test_case13_a_blank_row_does_not_switch_off_the_rest_of_the_table(department_dir: Path) -> None:
    _with_blank_row(department_dir, "13000.00")  # the parts printed sum to 13,867.60
    result = reconciliation(load(department_dir))
    [finding] = [f for f in result.findings if f.rule == "cross_footing"]
    assert finding.severity == "error" and finding.figure == Figure("expenditure", "合计", "final")
    assert finding.message == ("「合计」决算列示 13,000.00 万元，按下级各行之和 2,474.88 + 11,392.72 重算为 13,867.60 万元；"
                               "即使考虑各数的四舍五入，也只能在 13,867.59 至 13,867.61 万元 之间。请核对原报告。（「其他」未列示金额，不计入。）")
    assert Figure("expenditure", "其他", "final") in result.not_checkable


def test_case13_a_total_above_the_rest_names_the_blank_row(department_dir: Path) -> None:
    _with_blank_row(department_dir, "14000.00")
    [finding] = [f for f in _findings(department_dir) if f.rule == "cross_footing"]
    assert finding.severity == "warning"
    assert finding.message == ("「合计」决算列示 14,000.00 万元，其余各行之和 2,474.88 + 11,392.72 为 13,867.60 万元，相差 132.40 万元；"
                               "「其他」未列示金额，差额只能是其数。请核对原报告，并在该行填写金额（或注明未列示）。")


def test_case13_a_blank_row_with_a_total_that_adds_up_is_consistent(department_dir: Path) -> None:
    _with_blank_row(department_dir, "13867.60")
    assert [f for f in _findings(department_dir) if f.rule == "cross_footing"] == []


def test_case10_a_figure_at_the_limit_does_not_crash_the_checks(department_dir: Path) -> None:
    _set(department_dir, "expenditure.csv", 6, "决算", "999999999999999.99")  # 15 integer digits: the largest allowed
    assert any(f.rule == "cross_footing" for f in _findings(department_dir))


def _staffing(folder: Path, total: str) -> None:
    write_csv(folder / "staffing.csv", [
        ["类别", "上级", "单位", "编制数", "实有数", "来源"],
        ["行政编制", "", "人", "120", "110", "示例"],
        ["事业编制", "", "人", "95", "90", "示例"],
        ["退休人员", "", "人", "", "40", "示例"],
        ["合计", "", "人", total, "200", "示例"],
    ])


def test_case14_a_staffing_total_that_is_not_its_parts_is_an_error(department_dir: Path) -> None:
    _staffing(department_dir, "225")  # 120 + 95 = 215
    [finding] = [f for f in _findings(department_dir) if f.figure.table == "staffing"]
    assert (finding.severity, finding.rule, finding.figure) == ("error", "cross_footing", Figure("staffing", "合计", "authorized"))
    assert finding.message == "人员编制「合计」编制数列示 225 人，按其下各类之和 行政编制 120 + 事业编制 95 计为 215 人；请核对原报告。"


def test_case14_a_staffing_total_that_adds_up_is_no_finding(department_dir: Path) -> None:
    _staffing(department_dir, "215")  # 实有 200 = 110 + 90, 退休人员 not counted
    assert [f for f in _findings(department_dir) if f.figure.table == "staffing"] == []


def _units(folder: Path, count: str | None) -> None:
    write_csv(folder / "units.csv", [["类型", "名称", "来源"], *([["内设机构", f"第{i}股", "示例"] for i in range(1, 7)])])
    rows = copy.deepcopy(TABLES["stated.csv"])
    rows.append(["profile.internal_unit_count", "", "16", "个", "内设16个股室", "示例 一（一）"])
    write_csv(folder / "stated.csv", rows)
    if count is not None:
        _yaml(folder, "  fiscal_year: 2019\n", f"  fiscal_year: 2019\n  internal_units: \"{count}\"\n")


def test_case15_an_incomplete_unit_list_without_its_count_is_a_finding(department_dir: Path) -> None:
    _units(department_dir, None)
    [finding] = [f for f in _findings(department_dir) if f.figure.column == "profile.internal_unit_count"]
    assert finding.severity == "error" and "机构表所列内设机构的个数" in finding.message


def test_case15_an_incomplete_unit_list_keeps_the_stated_count(department_dir: Path) -> None:
    _units(department_dir, "16")
    dept = load(department_dir)
    assert dept.department.internal_units == Number(Decimal(16)) and len(dept.units) == 6
    assert [f for f in _findings(department_dir) if f.figure.column == "profile.internal_unit_count"] == []


def test_case15_a_stated_count_below_the_list_is_an_error(department_dir: Path) -> None:
    _units(department_dir, "5")
    assert _messages(department_dir) == [
        f"{F}/department.yaml，第 7 行，字段 department.internal_units: '5' 少于「机构」表所列的 6 个内设机构；应为报告所述的总数"
        "（不少于所列个数），或删去此字段"]


# --- other cases (case 16) -------------------------------------------------------------------------------------


def test_case16_a_data_path_that_is_a_number_is_a_clear_error() -> None:
    with pytest.raises(UnknownFormatError) as caught:
        load(123)  # type: ignore[arg-type]  # `data_path: 123` in a parameters file
    assert str(caught.value) == "123: 不是路径，而是 int 值；请写部门数据的路径，如 data/2019/shaoguan-rsj（在参数文件中加引号）"


def test_case16_a_framework_path_that_does_not_exist_fails_validation(department_dir: Path) -> None:
    _yaml(department_dir, "framework: gd-municipal-2019", "framework: frameworks/none.yaml")
    [message] = _messages(department_dir)
    assert message.startswith(f"{F}/department.yaml，第 10 行，字段 evaluation.framework: 'frameworks/none.yaml' 找不到此指标体系文件")


def test_case12_the_encoding_read_is_in_the_memos_data_log(department_dir: Path) -> None:
    from auditkit.report.memo import notes_table

    text = (department_dir / "kpis.csv").read_text(encoding="utf-8")
    (department_dir / "kpis.csv").write_bytes(text.encode("gbk"))
    log = notes_table(load(department_dir))
    row = log.iloc[-1]
    assert (row["对象"], row["理由"]) == (f"{F}/kpis.csv", "数据校验提示（auditkit validate）")
    assert row["解读"].startswith("不是 UTF-8 编码，已按 GB18030（GBK）编码读取")


def test_fuzz_found_a_huge_number_in_a_fixed_format_cell_is_an_error_not_a_crash(department_dir: Path, tmp_path: Path) -> None:
    book = _book(department_dir, tmp_path)

    def edit(s: Any) -> None:  # found by tests/test_fuzz_data.py: quantizing 5.3e32 to a "0" format raised
        cell = s[f"{_column(s, '决算（万元）')}2"]
        cell.value, cell.number_format = 5.324113425230146e32, "0"
    _edit(book, "支出", edit)
    assert _messages(book) == ["demo.xlsx，工作表「支出」，单元格 I2，第 2 行，列「决算」: 5.324113425230146e+32 数值过大（整数部分 33 位，"
                               "最多 15 位）：请核对单位与小数点"]


def test_case8_yuan_columns_do_not_raise_the_precision_other_figures_are_judged_at(department_dir: Path) -> None:
    before = [(f.rule, f.severity, f.figure) for f in _findings(department_dir)]
    rows = copy.deepcopy(TABLES["expenditure.csv"])
    for column in (3, 7, 8):  # 年初预算, 调整预算, 决算 in 元 (their parts add up exactly): most of the amounts
        rows[0][column] += "(元)"
        for row in rows[1:]:  # 2474.88 万元 → 24748800.00 元: two decimals of 元, six of 万元
            row[column] = f"{Decimal(row[column]) * 10000:.2f}" if row[column] else ""
    write_csv(department_dir / "expenditure.csv", rows)
    after = _findings(department_dir)
    assert not any("位小数" in f.message for f in after)
    assert [(f.rule, f.severity, f.figure) for f in after] == before


@pytest.mark.parametrize(("text", "value"), [
    ("max: 012", 12), ("max: 2670.60", Decimal("2670.60")), ("max: 26:30", "26:30"), ("max: 0x1F", "0x1F"),
    ("max: 2020-02-30", "2020-02-30"), ("max: yes", "yes"), ("max: true", True), ("max: ~", None),
])
def test_case6_framework_files_load_under_yaml_1_2s_core_schema(text: str, value: object) -> None:
    from auditkit.data.yamltext import load_core

    loaded = load_core(text)["max"]
    assert loaded == value and type(loaded) is type(value)
    if isinstance(value, Decimal):
        assert str(loaded) == "2670.60"  # the printed precision kept


def test_fuzz_found_a_required_field_of_blanks_is_missing_not_a_department_without_identity(department_dir: Path) -> None:
    _yaml(department_dir, "id: demo-rsj", "id: \"\u3000\"")  # found by tests/test_fuzz_data.py: it loaded with department None
    assert _messages(department_dir) == [f"{F}/department.yaml，第 2 行，字段 department.id: 缺少必填字段 department.id（部门编号）"]


def test_a_required_field_marked_not_reported_is_missing(department_dir: Path) -> None:
    _yaml(department_dir, "fiscal_year: 2019", "fiscal_year: '-'")
    assert _messages(department_dir) == [f"{F}/department.yaml，第 6 行，字段 department.fiscal_year: 缺少必填字段 department.fiscal_year（评价年度）"]


def test_fuzz_found_a_control_character_in_a_qualitative_kpi_value_is_an_error(department_dir: Path) -> None:
    _set(department_dir, "kpis.csv", 3, "目标值", "举\x1f办")  # found by tests/test_fuzz_data.py: it crashed convert
    assert _messages(department_dir) == [
        f"{F}/kpis.csv，第 4 行，列「目标值」: '举\\x1f办' 含不可见的控制字符（常见于从 PDF 复制的文字）；请删除"]
