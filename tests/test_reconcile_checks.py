"""auditkit.reconcile's checks one at a time: each ``check_<what>(ctx)`` run alone on a Context of one department.

Seeds are ../shared/seeds/NNN_*.txt; 003 (003_28952255cfac55ab.txt) is 韶关市人力资源和社会保障局 2019, a third-party
evaluation, and ``tests.conftest.seed("003")`` its sample department (data/2019/shaoguan-rsj). Each test cites the
section of 003 its figures come from; test_reconcile.py checks the whole run against every seed.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import get_args

import pytest
import yaml

from auditkit import DepartmentYear
from auditkit.cli import main
from auditkit.data.numbers import Number, parse_number
from auditkit.exceptions import FrameworkError
from auditkit.reconcile import (
    CHECKS,
    ERROR,
    RULES,
    WARNING,
    Context,
    Figure,
    Rule,
    Severity,
    reconciliation,
)
from auditkit.reconcile.budget_tables import check_budget_tables, check_cross_footing
from auditkit.reconcile.prior import check_prior_year
from auditkit.reconcile.restated import check_restatement
from auditkit.reconcile.scores import check_grade, check_scores
from auditkit.reconcile.stated import check_claim
from auditkit.scoring.framework import load_framework
from tests.conftest import SAMPLES, seed

MUNICIPAL_2019 = "gd-municipal-2019"  # 003's framework (department.yaml evaluation.framework)


def _n(text: str) -> Number:
    number = parse_number(text)
    assert number is not None
    return number


def _index(dept: DepartmentYear, claim: str, subject: str | None = None) -> int:
    """The first stated row making ``claim`` about ``subject``."""
    return next(i for i, s in enumerate(dept.stated) if (s.claim, s.subject) == (claim, subject))


def test_check_scores_alone_finds_the_three_score_table_findings_of_003() -> None:
    """003 二（二）1: 预算编制 14 of 18 points printed 77.77% (14 ÷ 18 truncated); 二（二）3: 保障措施 1 of 2 points
    printed 75%; 二（四）3: 效果性 9.6 against its leaves 2 + 2 + 2 + 1.8 + 2 = 9.8."""
    ctx = Context(seed("003"))
    check_scores(ctx)
    assert [(f.severity, f.rule, f.figure, f.stated, f.recomputed) for f in ctx.findings] == [
        (WARNING, "score_rate", Figure("scores", "A.1", "rate"), Decimal("77.77"), Decimal(14) / Decimal(18) * 100),
        (ERROR, "score_rate", Figure("scores", "A.3", "rate"), Decimal(75), Decimal(50)),
        (ERROR, "score_sum", Figure("scores", "C.3", "score"), Decimal("9.6"), Decimal("9.8")),
    ]
    assert "截断" in ctx.findings[0].message and "重算为 50.00%" in ctx.findings[1].message
    assert ctx.checked > 0 and ctx.not_checkable == [] and ctx.flagged == set()  # the 评分表 is no stated row


def test_check_budget_tables_alone_holds_on_003_table_3() -> None:
    """003 表3 (restated in 一（四）): 基本支出 涉改调整 136.10 against 人员经费 105.59 + 日常公用经费 30.50 = 136.09,
    and 剔除后预算 1,617.77 against 1,399.28 + 218.50 = 1,617.78: both hold within rounding."""
    ctx = Context(seed("003"))
    check_budget_tables(ctx)
    assert ctx.findings == [] and ctx.checked > 0


def test_check_cross_footing_alone_catches_a_subtotal_its_parts_cannot_give() -> None:
    """003 表3: 基本支出 涉改调整 printed 146.10 instead of 136.10 cannot be 105.59 + 30.50 = 136.09 at any rounding."""
    dept = seed("003")
    expenditure = tuple(
        replace(b, reform_adjustment=_n("146.10")) if b.name == "基本支出" else b for b in dept.expenditure
    )
    ctx = Context(replace(dept, expenditure=expenditure))
    line = next(b for b in ctx.dept.expenditure if b.name == "基本支出")
    parts = [b for b in ctx.dept.expenditure if b.parent == "基本支出" and b.row_kind == "明细"]
    check_cross_footing(ctx, "expenditure", line, parts, "reform_adjustment")
    [finding] = ctx.findings
    assert (finding.severity, finding.rule) == (ERROR, "cross_footing")
    assert finding.figure == Figure("expenditure", "基本支出", "reform_adjustment")
    assert (finding.stated, finding.recomputed) == (Decimal("146.10"), Decimal("136.09"))
    assert "105.59 + 30.50" in finding.message and ctx.checked == 1


def test_check_restatement_alone_finds_the_public_funds_budget_restated_as_245() -> None:
    """003 二（四）1.(1): 「2019年初公用经费预算245万元」 restates 表3 日常公用经费 年初预算 249.00."""
    dept = seed("003")
    index = _index(dept, "expenditure.年初预算", "日常公用经费")
    ctx = Context(dept)
    check_restatement(ctx, index, dept.stated[index])
    [finding] = ctx.findings
    assert (finding.severity, finding.rule, finding.figure) == (
        ERROR, "restated", Figure("stated", "日常公用经费", "expenditure.年初预算", index))
    assert (finding.stated, finding.recomputed) == (Decimal(245), Decimal("249.00"))
    assert "年初预算为 249.00 万元，此处列示 245 万元" in finding.message
    assert ctx.flagged == {index}  # an error of its own: not compared again as a claim stated twice


def test_check_claim_alone_recomputes_the_staff_control_rate() -> None:
    """003 二（三）4: 编制 60 + 8 = 68, 在职 47 + 10 + 5 = 62, so 财政供养人员控制率 is 91.18%, printed 100%."""
    dept = seed("003")
    index = _index(dept, "staff.control_rate")
    ctx = Context(dept)
    check_claim(ctx, index, dept.stated[index])
    [finding] = ctx.findings
    assert (finding.severity, finding.rule, finding.stated) == (ERROR, "recompute", Decimal(100))
    assert finding.recomputed is not None and round(finding.recomputed, 2) == Decimal("91.18")
    assert "在职人员 62 ÷ 核定编制 68 重算为 91.18%" in finding.message


def test_check_grade_without_a_framework_is_not_checkable() -> None:
    """003 摘要: 总得分 83.3, 绩效等级「良」. Reconcile reads no framework from disk: without one the grade is not
    checkable, and nothing is counted as checked."""
    dept = seed("003")
    index = _index(dept, "score.grade")
    ctx = Context(dept)
    check_grade(ctx, index, dept.stated[index])
    assert ctx.findings == [] and ctx.checked == 0
    assert ctx.not_checkable == [Figure("stated", None, "score.grade", index)]


def test_check_grade_with_the_framework_judges_the_stated_total() -> None:
    """003 摘要: 83.3 分 is 良 under gd-municipal-2019 (良 from 80, 优 from 90); stating 优 contradicts the total."""
    dept = seed("003")
    index = _index(dept, "score.grade")
    ctx = Context(dept, load_framework(MUNICIPAL_2019))
    check_grade(ctx, index, dept.stated[index])
    assert ctx.findings == [] and ctx.checked == 1
    check_grade(ctx, index, replace(dept.stated[index], value="优"))
    [finding] = ctx.findings
    assert (finding.severity, finding.rule) == (ERROR, "score_grade")
    assert "绩效等级列示“优”，总分 83.3" in finding.message and "应为“良”" in finding.message


def test_check_prior_year_without_a_link_finds_and_counts_nothing() -> None:
    """003 is the first year of its department in the data (no data/2018/shaoguan-rsj): no prior-year link."""
    ctx = Context(seed("003"))
    check_prior_year(ctx)
    assert (ctx.findings, ctx.checked) == ([], 0)


def test_the_checks_in_order_over_one_context_are_the_reconciliation() -> None:
    """003: CHECKS run one by one give what reconciliation() gives (7 errors and 3 warnings, test_reconcile)."""
    dept, framework = seed("003"), load_framework(MUNICIPAL_2019)
    ctx = Context(dept, framework)
    for check in CHECKS:
        check(ctx)
    result = ctx.result()
    assert result == reconciliation(dept, framework)
    assert (len(result.errors), len(result.warnings)) == (7, 3)


def test_severity_and_rule_literals_match_the_rules() -> None:
    assert get_args(Severity) == (ERROR, WARNING)
    assert list(get_args(Rule)) == list(RULES)


def test_without_a_framework_the_stated_grades_are_left_unchecked() -> None:
    """003 reconciled with no framework: its findings are all there (7 errors, 3 warnings; test_reconcile) but its two
    stated grades (摘要, 三) are not checkable: reconcile reads no framework from disk by itself."""
    dept = seed("003")
    result = reconciliation(dept)
    assert len(result.findings) == 10 and "score_grade" not in {f.rule for f in result.findings}
    unchecked = {f.index for f in result.not_checkable if f.column == "score.grade"}
    assert unchecked == {i for i, s in enumerate(dept.stated) if s.claim == "score.grade"} and len(unchecked) == 2


def test_check_of_a_department_whose_framework_cannot_be_found_names_the_field_and_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A department naming a framework file that does not exist fails validation at evaluation.framework, so
    `auditkit check` says so instead of checking it against no framework."""
    missing = "params/no-such-framework.yaml"
    folder = tmp_path / "data" / "2019" / "shaoguan-rsj"
    shutil.copytree(SAMPLES["shaoguan-rsj"], folder)
    department = yaml.safe_load((folder / "department.yaml").read_text(encoding="utf-8"))
    department["evaluation"]["framework"] = missing
    (folder / "department.yaml").write_text(yaml.safe_dump(department, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkError, match="文件不存在"):
        load_framework(missing)
    assert main(["check", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "evaluation.framework" in err and missing in err
