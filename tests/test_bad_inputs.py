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
