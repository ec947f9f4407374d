"""The bad-input catalogue (issue 16): every way a department's data was found to crash, be read wrong, be accepted
silently or lose a row, each as a test. An error gives its exact message (file, sheet, cell or row, column, the value
found, what was expected and the fix); a correct reading gives the figure. The next case found goes here, in the
group of the loader it concerns.

Case numbers are those of issue 16 (/work/notes/issue16.md).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from auditkit import load, validate
from auditkit.data.numbers import Number, parse_number
from auditkit.exceptions import NumberFormatError
from tests.conftest import TABLES, write_csv

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
