"""The five seed departments, as loaded: key figures each seed prints, in both forms.

Every expected figure cites the seed file (../shared/seeds/NNN_*.txt) and the table or section it comes from.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from auditkit import DepartmentYear, load, parse_number, validate, write_workbook
from auditkit.data.model import BudgetLine
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def depts() -> dict[str, DepartmentYear]:
    return {name: load(path) for name, path in SAMPLES.items()}


def _line(lines: tuple[BudgetLine, ...], name: str) -> BudgetLine:
    return next(line for line in lines if line.name == name or (name == "合计" and line.row_kind == "合计"))


def _d(text: str) -> Decimal:
    return Decimal(text)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_department_validates_in_folder_form(name: str) -> None:
    assert validate(SAMPLES[name]) == []


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_department_round_trips_through_a_workbook(name: str, depts: dict[str, DepartmentYear], tmp_path: Path) -> None:
    book = write_workbook(depts[name], tmp_path / f"{name}.xlsx")
    assert validate(book) == []
    assert load(book) == depts[name]


def test_shaoguan_budget_chain(depts: dict[str, DepartmentYear]) -> None:
    """003 表3 (部门支出预决算情况表) and 表2 (收入预决算情况表)."""
    d = depts["shaoguan-rsj"]
    total = _line(d.expenditure, "合计")
    assert total.initial and total.initial.value == _d("36158.49")
    assert total.reform_adjustment and total.reform_adjustment.value == _d("4994.40")
    assert total.direct_adjustment and total.direct_adjustment.value == _d("17703.56")
    assert total.net_initial and total.net_initial.value == _d("13460.53")
    assert total.adjusted and (total.adjusted.value, total.adjusted.decimals) == (_d("13867.60"), 2)
    assert total.final and total.final.value == _d("13867.60")
    staff = _line(d.expenditure, "人员经费")
    assert staff.parent == "基本支出" and staff.adjusted and staff.adjusted.value == _d("2264.11")
    assert _line(d.expenditure, "基本建设类项目").row_kind == "其中"
    assert _line(d.expenditure, "基本支出").direct_adjustment is None  # 表3 prints that cell empty
    income = _line(d.income, "合计")
    assert income.initial and income.initial.value == _d("36158.49")


def test_shaoguan_identity_and_evaluator(depts: dict[str, DepartmentYear]) -> None:
    """003 摘要: 广州博达管理咨询有限公司, commissioned by 韶关市财政局; 83.3 分, 良."""
    d = depts["shaoguan-rsj"]
    assert d.evaluation.kind == "第三方评价" and not d.evaluation.is_self_evaluation
    assert d.evaluation.evaluator == "广州博达管理咨询有限公司"
    assert d.evaluation.commissioned_by == "韶关市财政局"
    assert [s.value for s in d.stated_of("score.total")] == [parse_number("83.3")] * 2
    assert {s.value for s in d.stated_of("score.grade")} == {"良"}
    assert len([u for u in d.units if u.kind == "内设机构"]) == 15  # 003 一（一）: 15个机构


def test_shaoguan_scores_as_the_report_prints_them(depts: dict[str, DepartmentYear]) -> None:
    """003 二（二）–（四）: level scores 24 / 32.5 / 26.8, 效果性 stated 9.6 while its parts sum to 9.8."""
    scores = {s.id: s for s in depts["shaoguan-rsj"].scores}
    assert [(scores[i].max.value, scores[i].score.value) for i in "ABC"] == [  # type: ignore[union-attr]
        (30, _d("24")), (40, _d("32.5")), (30, _d("26.8"))]
    effect = [s for s in scores.values() if s.parent == "C.3"]
    assert sum(s.score.value for s in effect) == _d("9.8")  # type: ignore[union-attr]
    assert scores["C.3"].score.value == _d("9.6")  # type: ignore[union-attr]  # the report's own (wrong) subtotal
    assert scores["A.3"].rate and scores["A.3"].rate.value == 75  # 1 of 2 printed as 75%
    assert scores["A.2.1"].score.value == 1 and "62.16%" in (scores["A.2.1"].reason or "")  # type: ignore[union-attr]


def test_shaoguan_kpis(depts: dict[str, DepartmentYear]) -> None:
    """003 表4–表8."""
    d = depts["shaoguan-rsj"]
    kpis = {k.name: k for k in d.kpis}
    assert len(kpis) == 35
    cost = kpis["降低企业社会保险成本"]
    assert (cost.target.value, cost.actual.value) == (_d("3.21"), _d("4.74"))  # type: ignore[union-attr]  # 表5
    unemployment = kpis["城镇登记失业率"]
    assert unemployment.direction == "≤" and unemployment.actual.value == _d("2.11")  # type: ignore[union-attr]  # 表4
    assert kpis["举办企业人才活动周活动"].direction == "定性"  # 表6
    assert kpis["劳动人事争议仲裁结案率"].formula == "arbitration_closure_rate"  # 表8
    rates = {s.subject: s.value for s in d.stated_of("kpi.completion_rate")}
    assert rates["工伤保险征缴收入"] == parse_number("127.15%")  # 表5 prints 127.15% (9,160 / 7,200 is 127.22%)


def test_shaoguan_funds_and_procurement(depts: dict[str, DepartmentYear]) -> None:
    """003 二（三）1.(3) 存量资金 2670.6 vs 4978.72; 1.(4) 政府采购 35 planned, 24.89 actual; 二（四）1.(1) 公用经费."""
    d = depts["shaoguan-rsj"]
    assert d.funds.stock_current and d.funds.stock_current.value == _d("2670.6")
    assert d.funds.stock_prior and d.funds.stock_prior.value == _d("4978.72")
    assert d.procurement.planned and d.procurement.planned.value == 35
    assert d.procurement.actual and d.procurement.actual.value == _d("24.89")
    public = _line(d.costs, "公用经费")
    assert public.initial and public.initial.value == 245  # the text's 245, not 表3's 249.00: both kept
    assert _line(d.expenditure, "日常公用经费").initial.value == _d("249.00")  # type: ignore[union-attr]
    assert parse_number("3.02%") in [s.value for s in d.stated_of("budget.adjustment_rate")]
    assert parse_number("-46.36%") in [s.value for s in d.stated_of("funds.stock_change_rate")]


def test_ldgx_year_on_year(depts: dict[str, DepartmentYear]) -> None:
    """000 一（四）: 收入 1087.17 vs 1309.60, 支出 1114.44 vs 1138.46; 二（三）5 procurement; 7.(1) 三公."""
    d = depts["gd-ldgx"]
    income, spending = _line(d.income, "合计"), _line(d.expenditure, "合计")
    assert (income.final.value, income.prior_final.value) == (_d("1087.17"), _d("1309.60"))  # type: ignore[union-attr]
    assert (spending.final.value, spending.prior_final.value) == (_d("1114.44"), _d("1138.46"))  # type: ignore[union-attr]
    changes = [s.value for s in d.stated_of("yoy.change_amount") if s.subject == "支出合计"]
    assert parse_number("-24.02") in changes and parse_number("-24.01") in changes  # stated twice, differently: both kept
    assert d.procurement.actual.value == _d("142.08") and d.procurement.sme.value == _d("41.92")  # type: ignore[union-attr]
    three = _line(d.costs, "三公经费")
    assert (three.initial.value, three.final.value) == (_d("5.14"), _d("1.75"))  # type: ignore[union-attr]
    assert [s.value for s in d.stated_of("budget.quarterly_average")] == [parse_number("51.30%")]
    assert d.evaluation.is_self_evaluation


def test_zwfw_scores_and_special_funds(depts: dict[str, DepartmentYear]) -> None:
    """001 二（二）–（三）: 整体效能 23.05, 专项效能 24.44, 运行成本 2.46 (of 3); 专项资金 2445.41 of 2500."""
    d = depts["gd-zwfw"]
    scores = {s.id: s for s in d.scores}
    assert scores["A.1"].score.value == _d("23.05") and scores["A.2"].score.value == _d("24.44")  # type: ignore[union-attr]
    assert scores["B.7"].score.value == _d("2.46")  # type: ignore[union-attr]
    leaves = [s for s in scores.values() if s.level == 2]
    assert sum(s.max.value for s in leaves) == 100
    assert sum(s.score.value for s in leaves) == _d("96.95")  # type: ignore[union-attr]  # = the stated total
    assert d.funds.special_allocated.value == 2500 and d.funds.special_spent.value == _d("2445.41")  # type: ignore[union-attr]
    assert _line(d.expenditure, "项目支出").final.value == _d("3537.29")  # type: ignore[union-attr]


def test_panyu_scores(depts: dict[str, DepartmentYear]) -> None:
    """002 一（二）: 99.66 = 履职效能 49.69 + 管理效率 49.97; 预算资金支出率 9.69 of 10 at 96.92%."""
    d = depts["panyu-rsj"]
    scores = {s.id: s for s in d.scores}
    assert (scores["A"].score.value, scores["B"].score.value) == (_d("49.69"), _d("49.97"))  # type: ignore[union-attr]
    assert scores["A.3"].score.value == _d("9.69") and "96.92%" in (scores["A.3"].reason or "")  # type: ignore[union-attr]
    assert [s.value for s in d.stated_of("score.total")] == [parse_number("99.66")]
    assert d.department.level == "区县"


def test_lechang_functional_table_and_formula_inputs(depts: dict[str, DepartmentYear]) -> None:
    """004 一（二）2.(1) 预决算差异表: 3325.83 → 3113.18; 三（三）3.(4): 仲裁 145/(3+143), 调解 (324+56)/(324+145)."""
    d = depts["lechang-rsj"]
    total = _line(d.functional, "合计")
    assert (total.initial.value, total.final.value) == (_d("3325.83"), _d("3113.18"))  # type: ignore[union-attr]
    housing = next(line for line in d.functional if line.code == "221")
    assert housing.final.value == _d("96.78")  # type: ignore[union-attr]  # the table; the text restates 95.50
    inputs = {(i.kpi, i.variable): i.value.value for i in d.kpi_inputs}
    closure = [v for (k, var), v in inputs.items() if var in ("当期审结案件数", "上期未结案件数", "当期立案受理案件数")]
    assert sorted(closure) == [3, 143, 145]
    public = _line(d.costs, "公用经费")
    assert (public.initial.value, public.final.value) == (_d("94.50"), _d("70.23"))  # type: ignore[union-attr]
    assert [s.value for s in d.stated_of("score.total")] == [parse_number("96.5")]
