"""auditkit.reconcile: every contradiction in the five seeds is found, and nothing that holds within rounding is.

Seeds are ../shared/seeds/NNN_*.txt: 000 gd-ldgx, 001 gd-zwfw, 002 panyu-rsj, 003 shaoguan-rsj, 004 lechang-rsj.
Where a seed's own figure is wrong, the expected finding carries the correct recomputation.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from auditkit import DepartmentYear, load, write_workbook
from auditkit.cli import main
from auditkit.data.model import Score, StatedFigure
from auditkit.data.numbers import Number, parse_number
from auditkit.reconcile import ERROR, RULES, WARNING, Figure, Finding, format_findings, reconcile, reconciliation
from auditkit.scoring.framework import Framework, framework_ids, load_framework
from auditkit.synth import synth_department
from tests.conftest import SAMPLES

AMOUNT_ATTRS = ("initial", "reform_adjustment", "direct_adjustment", "net_initial", "adjusted", "final", "prior_final")

# Every finding on the seeds: (severity, rule, table, key, column, stated) → why, citing the seed.
EXPECTED: dict[str, dict[tuple[str, str, str, str | None, str, str], str]] = {
    "shaoguan-rsj": {
        (ERROR, "score_sum", "scores", "C.3", "score", "9.6"):
            "003 二（四）3: 效果性's five sub-scores 2 + 2 + 2 + 1.8 + 2 = 9.8, stated 9.6; C 预算使用效益 26.8 agrees with 9.8",
        (ERROR, "score_rate", "scores", "A.3", "rate", "75"):
            "003 二（二）3: 保障措施 1 of 2 points is 50%, printed 75%",
        (WARNING, "score_rate", "scores", "A.1", "rate", "77.77"):
            "003 二（二）1: 14 ÷ 18 = 77.777…%, printed 77.77% (truncated, not rounded)",
        (ERROR, "restated", "stated", "日常公用经费", "expenditure.年初预算", "245"):
            "003 二（四）1.(1) 公用经费 年初 245 vs 表3 日常公用经费 249.00",
        (ERROR, "restated", "stated", "日常公用经费", "expenditure.剔除后预算", "214.5"):
            "003 二（四）1.(1) 调整后公用经费预算 214.5 vs 表3 剔除后 218.50",
        (ERROR, "recompute", "stated", None, "staff.control_rate", "100"):
            "003 二（三）4: 62 in post of 68 posts is 91.18%, printed 100%",
        (ERROR, "recompute", "stated", "城乡居民养老金最低标准", "kpi.yoy_change", "15.65"):
            "003 表5 同比 15.65%; 二（四）3.(2) 148 → 170 元 is 14.86%",
        (ERROR, "recompute", "stated", "工伤保险征缴收入", "kpi.completion_rate", "127.15"):
            "003 表5: 9,160 ÷ 7,200 = 127.22% (127.20%–127.24% at any rounding), printed 127.15%",
        (WARNING, "recompute", "stated", "工伤保险参保人数", "kpi.completion_rate", "104.49"):
            "003 表5: 42.34 ÷ 40.5 = 104.54%; 104.49% needs the target 40.5 to be a rounded 40.52, "
            "while 表5 prints its other 万人 targets to two decimals",
        (WARNING, "recompute", "stated", None, "projects.self_evaluation_rate", "62"):
            "003 二（三）5: 23 ÷ 37 = 62.16%, printed 62% while 二（二）2.(1) prints the same ratio as 62.16%",
    },
    "gd-ldgx": {
        (ERROR, "restated", "stated", "支出合计", "yoy.change_amount", "-24.01"):
            "000 二（三）7 支出减少 24.01 vs 一（四）24.02 (= 1,138.46 − 1,114.44)",
        (ERROR, "recompute", "stated", "公务用车运行维护费", "yoy.change_rate", "17.19"):
            "000 二（三）7.(1): +0.36 on 1.63 means a prior of 1.27 → +28.35% (27.73%–28.97%), printed 17.19%",
        (WARNING, "parts_change", "stated", "支出合计", "yoy.change_amount", "-24.02"):
            "000 一（四）: 项目支出 −17.32 and 基本支出 −7 sum to −24.32, not −24.02, unless 7 万元 is a rounded 6.70",
    },
    "gd-zwfw": {},
    "panyu-rsj": {
        (WARNING, "range", "stated", "公用经费", "cost.control_rate", "0"):
            "002 一（四）7: 公用经费控制率「小于等于 0」: a control rate (决算 ÷ 预算) is never below 0",
    },
    "lechang-rsj": {
        (ERROR, "cross_footing", "functional", "合计", "final", "3113.18"):
            "004 一（二）2.(1): the lines sum to 3,114.46 with 住房保障支出 96.78; "
            "一（二）2.(2) prints 95.50, which sums to 3,113.18",
        (ERROR, "restated", "stated", "221", "functional.决算", "95.50"):
            "004 一（二）2.(2) 住房保障支出 95.50 vs the 预决算差异表 96.78",
        (ERROR, "restated", "stated", "支出合计", "expenditure.决算", "3104.33"):
            "004 三（二）1.(1) 决算数 3,104.33 vs 一（二）2 收入支出执行数 3,113.18",
        (ERROR, "restated", "stated", "支出合计", "budget.execution_rate", "86.49"):
            "004 三（二）1.(2) 支出率 86.49% vs 三（二）1.(1) 预算资金支出率 94.16% (no 调整预算 to tell which holds)",
        (ERROR, "kpi_overall", "stated", None, "kpi.overall_completion", "100"):
            "004 三（三）2.(2) 完成率≥100%, yet 37,419 < 38,800, 35,820 < 38,758 and 26,943 < 27,300 (四（二）)",
    },
}


@pytest.fixture(scope="module")
def depts() -> dict[str, DepartmentYear]:
    return {name: load(path) for name, path in SAMPLES.items()}


@functools.cache
def _framework(ref: str) -> Framework:
    """A framework by id: reconcile reads none from disk, so the tests pass the department's own, as callers do."""
    return load_framework(ref)


def _own(dept: DepartmentYear) -> Framework:
    return _framework(dept.evaluation.framework)


def _signature(f: Finding) -> tuple[str, str, str, str | None, str, str]:
    stated = "" if f.stated is None else format(f.stated, "f")
    return f.severity, f.rule, f.figure.table, f.figure.key, f.figure.column, stated


def _find(findings: list[Finding], **figure: object) -> list[Finding]:
    return [f for f in findings if all(getattr(f.figure, k) == v for k, v in figure.items())]


@pytest.mark.parametrize("name", SAMPLES)
def test_every_contradiction_in_the_seeds_is_found_and_nothing_else(
    name: str, depts: dict[str, DepartmentYear]
) -> None:
    found = {_signature(f) for f in reconcile(depts[name], _own(depts[name]))}
    assert found == set(EXPECTED[name])


def test_effectiveness_subtotal_of_003_names_its_leaves_and_agreeing_parent(depts: dict[str, DepartmentYear]) -> None:
    """003 二（四）3: 效果性 9.6 against leaves summing to 9.8; 预算使用效益 26.8 = 5 + 7.5 + 9.8 + 4.5."""
    [finding] = _find(reconcile(depts["shaoguan-rsj"], _own(depts["shaoguan-rsj"])), table="scores", key="C.3")
    assert finding.recomputed == Decimal("9.8") and finding.stated == Decimal("9.6")
    assert "2 + 2 + 2 + 1.8 + 2 = 9.8" in finding.message
    assert "「C 预算使用效益」列示的 26.8 与 9.8 相符" in finding.message
    assert not _find(reconcile(depts["shaoguan-rsj"], _own(depts["shaoguan-rsj"])), table="scores", key="C")  # C agrees with its leaves


def test_safeguards_score_rate_of_003_is_recomputed_as_half(depts: dict[str, DepartmentYear]) -> None:
    """003 二（二）3: 保障措施 得分 1, 分值 2 → 50%; the text's 75% is recorded twice (评分表 and 正文) but reported once."""
    findings = _find(reconcile(depts["shaoguan-rsj"], _own(depts["shaoguan-rsj"])), key="A.3")
    assert len(findings) == 1
    assert findings[0].recomputed == Decimal(50) and "重算为 50.00%" in findings[0].message


def test_truncation_is_a_warning_that_says_so(depts: dict[str, DepartmentYear]) -> None:
    """003 二（二）1: 77.77% is 14 ÷ 18 truncated; rounded half-up it would print 77.78%."""
    [finding] = _find(reconcile(depts["shaoguan-rsj"], _own(depts["shaoguan-rsj"])), table="scores", key="A.1", column="rate")
    assert finding.severity == WARNING
    assert "四舍五入应印 77.78%" in finding.message and "截断" in finding.message


def test_coarse_reading_is_a_warning_naming_the_figure_read_coarsely(depts: dict[str, DepartmentYear]) -> None:
    """000 一（四）: 17.32 + 7 = 24.32 ≠ 24.02 holds only if 「7」 stands for 6.5–7.5 while the report prints 万元 to 0.01."""
    findings = _find(reconcile(depts["gd-ldgx"], _own(depts["gd-ldgx"])), column="yoy.change_amount", key="支出合计")
    [finding] = [f for f in findings if f.rule == "restated"]
    assert finding.stated == Decimal("-24.01") and finding.recomputed == Decimal("-24.02")
    [parts] = [f for f in reconcile(depts["gd-ldgx"], _own(depts["gd-ldgx"])) if f.rule == "parts_change"]
    assert "「-7」" in parts.message and "2 位小数" in parts.message


@pytest.mark.parametrize(
    ("name", "figure", "why"),
    [
        ("shaoguan-rsj", Figure("expenditure", "基本支出", "reform_adjustment"),
         "003 表3: 136.10 vs 105.59 + 30.50 = 136.09"),
        ("shaoguan-rsj", Figure("expenditure", "基本支出", "net_initial"),
         "003 表3: 1,617.77 vs 1,399.28 + 218.50 = 1,617.78"),
        ("lechang-rsj", Figure("costs", "三公经费", "final"), "004 三（三）1.(2): 8.09 vs 0 + 5.35 + 2.75 = 8.10"),
        ("gd-ldgx", Figure("stated", "会议费", "yoy.change_rate", 44),
         "000 二（三）7.(2): 0.84 ÷ 1.91 = 43.98%, 44.39% within rounding"),
        ("gd-ldgx", Figure("stated", "培训费", "yoy.change_rate", 46),
         "000 二（三）7.(3): 5.57 ÷ 3.27 = 170.34%, 170.40% within rounding"),
        ("lechang-rsj", Figure("stated", None, "staff.control_rate", 36),
         "004 三（二）4: 71.43% = 80 ÷ 112 (and 75 ÷ 105)"),
        ("shaoguan-rsj", Figure("stated", "促进创业人数", "kpi.completion_rate", 65),
         "003 表4: 1,638 ÷ 1,600 = 102.375% → 102.38%"),
        ("shaoguan-rsj", Figure("stated", "合计", "expenditure.决算", 3), "003 摘要 13,867.6 restates 表3 13,867.60"),
    ],
)
def test_figures_that_hold_within_rounding_raise_nothing(
    name: str, figure: Figure, why: str, depts: dict[str, DepartmentYear]
) -> None:
    dept = depts[name]
    if figure.index is not None:
        row = dept.stated[figure.index]
        assert (row.claim, row.subject) == (figure.column, figure.key), "stated.csv rows moved: update the index"
    assert not [f for f in reconcile(dept, _own(dept)) if f.figure == figure], why


def test_figures_without_inputs_are_not_checkable_and_raise_nothing(depts: dict[str, DepartmentYear]) -> None:
    """003 表4 同比 without prior-year actuals; 001 一（四）较上年增加 without the prior year; 002 采购比例 without amounts."""
    shaoguan = reconciliation(depts["shaoguan-rsj"], _own(depts["shaoguan-rsj"]))
    assert any(f.column == "kpi.yoy_change" and f.key == "城镇新增就业人数" for f in shaoguan.not_checkable)
    zwfw = reconciliation(depts["gd-zwfw"], _own(depts["gd-zwfw"]))
    missing = {(f.column, f.key) for f in zwfw.not_checkable}
    assert missing >= {("yoy.change_amount", "收入合计"), ("yoy.change_amount", "支出合计")}
    assert not zwfw.findings and zwfw.checked > 0
    assert "无法复核" in zwfw.summary()


def test_the_carryover_rate_has_one_definition_in_the_check_and_the_analysis(depts: dict[str, DepartmentYear]) -> None:
    """003 二（三）1.(2) "全年结转结余率为0" with no 结转结余 amount: checked as (调整预算 − 决算) ÷ 调整预算 =
    (13,867.60 − 13,867.60) ÷ 13,867.60 = 0, the budget analysis's fallback, not left as 无法复核; 004's 13.51% stays
    unverifiable (its 合计 has no 调整预算)."""
    shaoguan = reconciliation(depts["shaoguan-rsj"], _own(depts["shaoguan-rsj"]))
    assert not any(f.column == "budget.carryover_rate" for f in shaoguan.not_checkable)
    assert not any(f.rule == "recompute" and f.figure.column == "budget.carryover_rate" for f in shaoguan.findings)
    lechang = reconciliation(depts["lechang-rsj"], _own(depts["lechang-rsj"]))
    assert any(f.column == "budget.carryover_rate" for f in lechang.not_checkable)


def test_a_count_of_a_list_marked_incomplete_is_no_contradiction(depts: dict[str, DepartmentYear]) -> None:
    """003 一（一） "…人事科、工委办公室等15个机构": with only six of them in the 机构表, the stated 15 stands (the list is
    marked 等, incomplete), no finding; a count below the units listed is still an error."""
    dept = depts["shaoguan-rsj"]
    internal = [u for u in dept.units if u.kind == "内设机构"]
    six = replace(dept, units=tuple(u for u in dept.units if u.kind != "内设机构" or u in internal[:6]))
    assert not [f for f in reconcile(six, _own(six)) if "internal_unit_count" in f.figure.column]
    stated = [s for s in dept.stated if s.claim == "profile.internal_unit_count"]
    fewer = replace(dept, stated=tuple(replace(s, value=parse_number("12")) if s in stated else s for s in dept.stated))
    assert [f.rule for f in reconcile(fewer, _own(fewer)) if "internal_unit_count" in f.figure.column] == ["recompute"] * 2


def test_findings_serialize_to_the_documented_json(depts: dict[str, DepartmentYear]) -> None:
    findings = [f for name in SAMPLES for f in reconcile(depts[name], _own(depts[name]))]
    data = json.loads(json.dumps([f.as_dict() for f in findings], ensure_ascii=False))
    for item in data:
        assert {"severity", "rule", "message", "stated", "recomputed", "location", "figure"} <= set(item)
        assert item["severity"] in (ERROR, WARNING) and item["rule"] in RULES
        assert item["stated"] is None or isinstance(item["stated"], (int, float))
    restated = next(f for f in findings if f.figure.key == "221")
    assert restated.as_dict()["stated"] == 95.5 and restated.as_dict()["recomputed"] == 96.78
    assert restated.location.endswith("lechang-rsj/stated.csv「functional.决算 · 221」（004 一（二）2.(2)）")


def test_workbook_form_gives_the_same_findings_located_by_sheet(
    depts: dict[str, DepartmentYear], tmp_path: Path
) -> None:
    book = tmp_path / "shaoguan.xlsx"
    write_workbook(depts["shaoguan-rsj"], book)
    from_book = reconcile(load(book), _own(depts["shaoguan-rsj"]))
    assert [f.figure for f in from_book] == [f.figure for f in reconcile(depts["shaoguan-rsj"], _own(depts["shaoguan-rsj"]))]
    c3 = _find(from_book, table="scores", key="C.3")[0]
    assert "工作表「评分」「C.3 效果性」得分" in c3.location and "003 二（四）3" in c3.location


def test_reconcile_is_pure(depts: dict[str, DepartmentYear]) -> None:
    dept = depts["lechang-rsj"]
    assert reconcile(dept, _own(dept)) == reconcile(dept, _own(dept))


def test_text_report_lists_errors_before_warnings_and_a_summary(depts: dict[str, DepartmentYear]) -> None:
    dept = depts["shaoguan-rsj"]
    text = format_findings(dept, reconciliation(dept, _own(dept)))
    assert text.index("✘ 错误") < text.index("⚠ 警告")
    assert text.splitlines()[-1].strip().startswith("7 处错误，3 处警告；复核")


# --- the command line ------------------------------------------------------------------------------------


def test_check_exits_1_on_errors_and_0_when_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SAMPLES["shaoguan-rsj"])]) == 1
    out = capsys.readouterr().out
    assert "[score_sum]" in out and "7 处错误，3 处警告" in out
    assert main(["check", str(SAMPLES["gd-zwfw"])]) == 0  # 001: nothing wrong, only figures without inputs
    assert "0 处错误，0 处警告" in capsys.readouterr().out
    assert main(["check", str(SAMPLES["panyu-rsj"])]) == 0  # 002: a warning only


def test_check_json_is_a_list_of_findings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SAMPLES["lechang-rsj"]), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 5 and all(item["severity"] == ERROR for item in data)
    assert {item["rule"] for item in data} == {"cross_footing", "restated", "kpi_overall"}


def test_check_of_invalid_data_names_the_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nowhere")]) == 1
    assert "不是部门数据文件夹" in capsys.readouterr().err


# --- rules on constructed cases -------------------------------------------------------------------------


def _n(text: str) -> Number:
    number = parse_number(text, allow_comparator=True)
    assert number is not None
    return number


def _with_stated(dept: DepartmentYear, *rows: StatedFigure) -> DepartmentYear:
    return replace(dept, stated=dept.stated + rows)


def test_a_share_above_100_percent_is_an_error_without_inputs(depts: dict[str, DepartmentYear]) -> None:
    dept = _with_stated(depts["panyu-rsj"], StatedFigure("procurement.sme_share", _n("120%"), unit="%"))
    [finding] = [f for f in reconcile(dept, _own(dept)) if f.figure.column == "procurement.sme_share" and f.rule == "range"]
    assert finding.severity == ERROR and "不可能大于 100%" in finding.message


def test_a_wrong_grade_is_an_error(depts: dict[str, DepartmentYear]) -> None:
    """003 摘要: 83.3 分 is 良 (80 ≤ 83.3 < 90); stating 优 contradicts the total."""
    dept = depts["shaoguan-rsj"]
    stated = tuple(replace(s, value="优") if s.claim == "score.grade" else s for s in dept.stated)
    grades = [f for f in reconcile(replace(dept, stated=stated), _own(dept)) if f.rule == "score_grade"]
    assert len(grades) == 2 and "应为“良”" in grades[0].message


def test_score_above_its_maximum_and_maxima_that_do_not_add_up(depts: dict[str, DepartmentYear]) -> None:
    dept = depts["shaoguan-rsj"]
    changes = {"A.2.1": {"score": _n("3")}, "A.2": {"max": _n("12")}}
    scores = tuple(replace(s, **changes.get(s.id, {})) for s in dept.scores)
    findings = reconcile(replace(dept, scores=scores), _own(dept))
    assert [f.rule for f in _find(findings, table="scores", key="A.2.1")] == ["score_max"]
    assert "score_max_sum" in [f.rule for f in _find(findings, table="scores", key="A.2", column="max")]


def test_formula_kpi_is_recomputed_from_its_inputs(depts: dict[str, DepartmentYear]) -> None:
    """004 三（三）3.(4): 145 ÷ (3 + 143) = 99.32%; printed 99.23% it is an error on the KPI's actual."""
    dept = depts["lechang-rsj"]
    kpis = tuple(replace(k, actual=_n("99.23%")) if k.name == "劳动人事争议仲裁结案率" else k for k in dept.kpis)
    [finding] = [f for f in reconcile(replace(dept, kpis=kpis), _own(dept)) if f.rule == "kpi_formula"]
    assert finding.figure == Figure("kpis", "劳动人事争议仲裁结案率", "actual") and finding.recomputed is not None
    assert round(finding.recomputed, 2) == Decimal("99.32")


def test_a_tie_rounded_half_up_is_consistent(depts: dict[str, DepartmentYear]) -> None:
    """434 ÷ (8 + 440) = 96.875% exactly, printed 96.88%: half-up on a tie is no contradiction (found by hypothesis)."""
    dept = depts["lechang-rsj"]
    values = {"当期审结案件数": "434", "上期未结案件数": "8", "当期立案受理案件数": "440"}
    inputs = tuple(replace(i, value=_n(values[i.variable])) if i.variable in values else i for i in dept.kpi_inputs)
    kpis = tuple(replace(k, actual=_n("96.88%")) if k.name == "劳动人事争议仲裁结案率" else k for k in dept.kpis)
    assert not [f for f in reconcile(replace(dept, kpi_inputs=inputs, kpis=kpis), _own(dept)) if f.rule == "kpi_formula"]
    kpis = tuple(replace(k, actual=_n("96.87%")) if k.name == "劳动人事争议仲裁结案率" else k for k in dept.kpis)
    [finding] = [f for f in reconcile(replace(dept, kpi_inputs=inputs, kpis=kpis), _own(dept)) if f.rule == "kpi_formula"]
    assert finding.severity == WARNING and "截断" in finding.message  # 96.87% is the tie truncated


def test_functional_total_must_equal_the_expenditure_total(depts: dict[str, DepartmentYear]) -> None:
    """004 一（二）: 年初预算 3,325.83 is the expenditure total and the 功能分类 total alike."""
    dept = depts["lechang-rsj"]
    functional = tuple(replace(b, initial=_n("3335.83")) if b.row_kind == "合计" else b for b in dept.functional)
    findings = reconcile(replace(dept, functional=functional), _own(dept))
    rules = {f.rule for f in findings if f.figure == Figure("functional", "合计", "initial")}
    assert rules == {"cross_footing", "cross_table"}


def test_score_points_are_exact(depts: dict[str, DepartmentYear]) -> None:
    """Points are awarded, not rounded: a subtotal off by 0.1 is an error even at one printed decimal."""
    dept = depts["shaoguan-rsj"]
    scores = tuple(replace(s, score=_n("4.4")) if s.id == "C.4" else s for s in dept.scores)
    found = {(f.rule, f.figure.key) for f in reconcile(replace(dept, scores=scores), _own(dept)) if f.severity == ERROR}
    assert ("score_sum", "C.4") in found


# --- a synthetic, consistent department: no false alarms, and every mutation caught ------------------------


@pytest.mark.parametrize("framework", framework_ids())
def test_a_consistent_department_raises_nothing(framework: str) -> None:
    for seed in range(3):
        result = reconciliation(synth_department(seed, framework=framework), _framework(framework))
        assert result.findings == () and result.not_checkable == () and result.other == 0
        assert result.checked > 100


def _bump(number: Number) -> Number:
    """A clearly wrong figure: 37% more plus ten units of its last printed digit, at its printed precision."""
    step = Decimal(1).scaleb(-number.decimals)
    value = (number.value + abs(number.value) * Decimal("0.37") + 10 * step).quantize(step, rounding=ROUND_HALF_UP)
    return replace(number, value=value)


def _mutations(dept: DepartmentYear) -> Iterator[tuple[DepartmentYear, Figure]]:
    """Every stated figure, every printed total or subtotal and every formula KPI, each changed on its own."""
    for i, s in enumerate(dept.stated):
        value = _bump(s.value) if isinstance(s.value, Number) else ("良" if s.value != "良" else "优")
        rows = list(dept.stated)
        rows[i] = replace(s, value=value)
        yield replace(dept, stated=tuple(rows)), Figure("stated", s.subject, s.claim, i)
    for table in ("expenditure", "functional", "income", "costs"):
        lines = getattr(dept, table)
        for j, line in enumerate(lines):
            has_parts = line.row_kind == "合计" or any(x.parent == line.name and x.row_kind == "明细" for x in lines)
            for attr in AMOUNT_ATTRS:
                value = getattr(line, attr)
                if value is None or not (has_parts or (table == "expenditure" and attr == "net_initial")):
                    continue
                changed = list(lines)
                changed[j] = replace(line, **{attr: _bump(value)})
                yield replace(dept, **{table: tuple(changed)}), Figure(table, line.code or line.name, attr)
    parents = {s.parent for s in dept.scores}
    for j, score in enumerate(dept.scores):
        for attr in ("score", "rate"):
            value: Number | None = getattr(score, attr)
            if value is None or (attr == "score" and score.id not in parents):
                continue
            changed_scores: list[Score] = list(dept.scores)
            changed_scores[j] = replace(score, **{attr: _bump(value)})
            yield replace(dept, scores=tuple(changed_scores)), Figure("scores", score.id, attr)
    for j, kpi in enumerate(dept.kpis):
        if kpi.formula and isinstance(kpi.actual, Number):
            changed_kpis = list(dept.kpis)
            changed_kpis[j] = replace(kpi, actual=_bump(kpi.actual))
            yield replace(dept, kpis=tuple(changed_kpis)), Figure("kpis", kpi.name, "actual")


@pytest.mark.parametrize(("seed", "framework"), [(0, "gd-municipal-2019"), (1, "gd-municipal-2024")])
def test_every_single_mutation_of_a_consistent_department_is_caught(seed: int, framework: str) -> None:
    dept = synth_department(seed, framework=framework)
    missed = []
    count = 0
    for mutated, figure in _mutations(dept):
        count += 1
        if figure not in {f.figure for f in reconcile(mutated, _framework(framework)) if f.severity == ERROR}:
            missed.append(str(figure))
    assert count > 100 and missed == []
