"""auditkit.data.prior_year: the prior year found by itself, empty 上年 figures filled, stated ones winning, frameworks
compared by id, a missing or broken prior year reported and ignored, and a full batch on a new fiscal year.

Golden figures are the seeds' (../shared/seeds): 004 is data/2024/lechang-rsj, 002 data/2024/panyu-rsj, 003
data/2019/shaoguan-rsj.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import shutil
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from auditkit import load
from auditkit.batch.catalogue import catalogue
from auditkit.batch.params import params_files
from auditkit.batch.plan import plan
from auditkit.batch.runner import run_batch
from auditkit.cli import main
from auditkit.data.model import DepartmentYear
from auditkit.data.newyear import carry_forward
from auditkit.data.numbers import Number, format_number, parse_number
from auditkit.data.prior_year import PriorYear, find_prior_year, link, link_prior_year, load_prior_year, prior_year_dir
from auditkit.exceptions import PriorYearError
from auditkit.reconcile import reconciliation
from auditkit.report.memo import linked_table
from auditkit.scoring.comparison import framework_comparison, indicator_comparison, score_change
from auditkit.scoring.framework import load_framework
from auditkit.scoring.scorecard import score
from tests.conftest import seed

ROOT = Path(__file__).resolve().parent.parent
LECHANG, PANYU = "lechang-rsj", "panyu-rsj"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of its own holding 004's and 002's 2024 data and parameters (AUDITKIT_ROOT and cwd point at it)."""
    for dept in (LECHANG, PANYU):
        shutil.copytree(ROOT / "data/2024" / dept, tmp_path / "data/2024" / dept)
        (tmp_path / "params/2024").mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "params/2024" / f"{dept}.yaml", tmp_path / "params/2024")
    monkeypatch.setenv("AUDITKIT_ROOT", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _next_year(prev: DepartmentYear, **changes: object) -> DepartmentYear:
    """2025 as `auditkit new-year` makes it from ``prev`` (every 上年 figure stated), origin set, then ``changes``."""
    return dataclasses.replace(carry_forward(prev, prev.fiscal_year + 1), origin=f"data/2025/{prev.id}", **changes)


# --- finding the prior year --------------------------------------------------------------------------------


def test_the_prior_year_is_found_as_a_folder_or_a_workbook(project: Path) -> None:
    assert prior_year_dir(LECHANG, 2025) == project / "data/2024" / LECHANG
    assert find_prior_year(LECHANG, 2025) == project / "data/2024" / LECHANG
    assert find_prior_year(LECHANG, 2024) is None  # no data/2023
    assert main(["convert", "data/2024/lechang-rsj", "data/2024/lechang-rsj.xlsx"]) == 0
    shutil.rmtree(project / "data/2024" / LECHANG)
    assert find_prior_year(LECHANG, 2025) == project / "data/2024/lechang-rsj.xlsx"
    own = load(ROOT / "data/2024/lechang-rsj")  # not seed(): it would cache this tmp cwd's origin for other tests
    prior = load_prior_year(_next_year(own))
    assert prior is not None and prior.origin.endswith("lechang-rsj.xlsx") and prior == own


# --- linking ---------------------------------------------------------------------------------------------------


def test_empty_prior_figures_are_filled_from_the_prior_years_own_figures() -> None:
    """004 一（二）2.(1) 预决算差异表: 208 决算 2,827.71; 一（二）2: 支出合计 决算 3,113.18; 四（一）: 城镇新增就业人数 2,558."""
    prev = seed("004")
    new = _next_year(prev)
    blank = _next_year(
        prev,
        expenditure=tuple(dataclasses.replace(b, prior_final=None) for b in new.expenditure),
        functional=tuple(dataclasses.replace(b, prior_final=None) if b.code == "208" else b for b in new.functional),
        kpis=tuple(dataclasses.replace(k, prior_actual=None) if k.name == "城镇新增就业人数" else k for k in new.kpis),
    )
    linked = link(blank, prev, ROOT / "data/2024/lechang-rsj")
    assert str(linked.dept.line("functional", "208").prior_final) == "2827.71"  # type: ignore[union-attr]
    assert str(linked.dept.total("expenditure").prior_final) == "3113.18"  # type: ignore[union-attr]
    assert str(next(k for k in linked.dept.kpis if k.name == "城镇新增就业人数").prior_actual) == "2558"
    assert [(f.table, f.key, f.column) for f in linked.filled] == [("expenditure", "支出合计", "prior_final"),
                                                                   ("functional", "208", "prior_final"),
                                                                   ("kpis", "城镇新增就业人数", "prior_actual")]
    source = next(f.linked_source for f in linked.filled if f.key == "208")
    assert source.endswith("data/2024/lechang-rsj/functional.csv「208 八、社会保障和就业支出」决算（004 一（二）2.(1) 预决算差异表）")
    assert not linked.disagreements and linked.compared > 30  # every other 上年 figure stated, and the same
    assert linked.sentence.startswith("上年数据：已自动关联 data/2024/lechang-rsj（2024 年度），补入上年决算 2 项、上年实际值 1 项")
    table = linked_table(linked)
    assert list(table["项目"]) == ["支出合计", "208 八、社会保障和就业支出", "城镇新增就业人数"]
    assert list(table["补入数值"]) == ["3,113.18", "2,827.71", "2,558"]


def test_the_departments_own_prior_figures_win_and_a_disagreement_is_recorded() -> None:
    """004 206 科学技术支出 决算 15.88: 2025 stating 16.00 keeps 16.00 and records both; 15.9 (a coarser print) agrees."""
    prev = seed("004")
    new = _next_year(prev)

    def restated(value: str) -> DepartmentYear:
        return _next_year(prev, functional=tuple(
            dataclasses.replace(b, prior_final=parse_number(value)) if b.code == "206" else b for b in new.functional))

    linked = link(restated("16.00"), prev)
    assert str(linked.dept.line("functional", "206").prior_final) == "16.00"  # type: ignore[union-attr]
    (d,) = linked.disagreements
    assert (d.table, d.key, d.column) == ("functional", "206", "prior_final")
    assert (str(d.stated), str(d.linked)) == ("16.00", "15.88")
    assert not linked.filled and "中 1 项与上年数据不一致，以本部门所列为准" in linked.sentence
    assert not link(restated("15.9"), prev).disagreements  # 15.9 prints 15.85–15.95, which holds 15.88
    assert link(restated("15.8"), prev).disagreements


def test_kpis_match_by_id_else_by_group_and_name_and_the_stock_by_its_field() -> None:
    """002 一（三）: K01 引进在职人才 5,801; 004 三（二）1.(3): 年末存量资金 0 → 上年末存量资金 0 (a real zero)."""
    prev = seed("002")
    new = _next_year(prev)
    renamed = _next_year(prev, kpis=tuple(
        dataclasses.replace(k, name="引进在职人才（人）", prior_actual=None) if k.id == "K01" else k for k in new.kpis))
    linked = link(renamed, prev)
    assert str(next(k for k in linked.dept.kpis if k.id == "K01").prior_actual) == "5801"  # by id, though renamed
    no_ids = _next_year(prev, kpis=tuple(dataclasses.replace(k, id=None, prior_actual=None) for k in new.kpis))
    assert [str(k.prior_actual) for k in link(no_ids, prev).dept.kpis[:3]] == ["5801", "4", "8"]  # by 分组 + 指标名称
    lechang = seed("004")
    no_stock = dataclasses.replace(carry_forward(lechang, 2025).funds, stock_prior=None)
    stock = link(_next_year(lechang, funds=no_stock), lechang)
    assert stock.dept.funds.stock_prior == Number(Decimal(0)) and [f.header for f in stock.filled] == ["上年末存量资金"]


def test_linking_another_department_or_year_is_refused() -> None:
    with pytest.raises(PriorYearError, match="部门编号为 panyu-rsj，不是 lechang-rsj"):
        link(_next_year(seed("004")), seed("002"))
    with pytest.raises(PriorYearError, match="评价年度为 2024，不是 2024 的上一年度"):
        link(seed("004"), seed("004"))


def test_without_a_prior_year_nothing_is_filled_and_the_sentence_says_so() -> None:
    linked = link_prior_year(seed("003"))
    assert linked.prior is None and linked.dept is seed("003") and not linked.filled and linked.problem is None
    assert linked.path == ROOT / "data/2018/shaoguan-rsj"
    assert linked.sentence == "未找到上年数据 data/2018/shaoguan-rsj：同比仅依据本部门数据所列上年数；无上年数的项目不计算同比。"
    sentence, table = score_change(linked, score(seed("003"), load_framework("gd-municipal-2019")))
    assert table is None and sentence == "未找到上年数据 data/2018/shaoguan-rsj：不作指标得分的年度比较。"


def test_a_broken_prior_year_is_reported_and_ignored(project: Path) -> None:
    kpis = project / "data/2024/lechang-rsj/kpis.csv"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace(",2558,", ",25S8,"), encoding="utf-8")
    current = _next_year(load(ROOT / "data/2024/lechang-rsj"))
    with pytest.raises(PriorYearError, match=r"1 处数据问题，如 .*kpis.csv，第 2 行，列「实际值」: '25S8'"):
        load_prior_year(current)
    linked = link_prior_year(current)
    assert linked.prior is None and linked.dept is current and linked.problem is not None
    assert linked.sentence.startswith("上年数据 data/2024/lechang-rsj 无法使用，未予关联（1 处数据问题")
    assert "auditkit validate data/2024/lechang-rsj" in linked.sentence and linked.sentence.endswith("无上年数的项目不计算同比。")
    shutil.rmtree(project / "data/2024/lechang-rsj")  # a workbook named for lechang-rsj holding another department
    assert main(["convert", "data/2024/panyu-rsj", "data/2024/lechang-rsj.xlsx"]) == 0
    with pytest.raises(PriorYearError, match=re.escape("lechang-rsj.xlsx 无法使用：部门编号为 panyu-rsj，不是 lechang-rsj")):
        load_prior_year(current)


def test_the_report_links_on_construction_and_survives_a_broken_prior_year(project: Path) -> None:
    from auditkit.report.notebook import Report

    assert main(["new-year", "2025", "--from", "2024", LECHANG]) == 0
    expenditure = project / "data/2025/lechang-rsj/expenditure.csv"
    expenditure.write_text(expenditure.read_text(encoding="utf-8").replace(",3113.18,", ",,"), encoding="utf-8")
    report = Report("data/2025/lechang-rsj")
    assert report.prior.found
    assert str(report.dept.total("expenditure").prior_final) == "3113.18"  # type: ignore[union-attr]
    kpis = project / "data/2024/lechang-rsj/kpis.csv"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace(",2558,", ",25S8,"), encoding="utf-8")
    broken = Report("data/2025/lechang-rsj")
    assert not broken.prior.found and broken.dept.total("expenditure").prior_final is None  # type: ignore[union-attr]
    assert "无法使用" in broken.prior.sentence and "25S8" in broken.prior.sentence


# --- reconciliation ---------------------------------------------------------------------------------------------


def test_a_disagreement_is_a_prior_year_warning_and_filled_figures_are_not_cross_footed() -> None:
    """004: the 功能分类 lines add to 3,114.46 against 合计 3,113.18 (a 2024 error, docs/assumptions_caveats.md); in 2025
    with 208 filled from 2024 and 合计 stated, the sum mixes two sources and is not checked as 2025's own."""
    prev = seed("004")
    new = _next_year(prev)
    current = _next_year(prev, functional=tuple(
        dataclasses.replace(b, prior_final=Number(Decimal("16.00"), 2)) if b.code == "206"
        else dataclasses.replace(b, prior_final=None) if b.code == "208" else b for b in new.functional))
    linked = link(current, prev, ROOT / "data/2024/lechang-rsj")
    result = reconciliation(linked.dept, prior=linked)
    (warning,) = [f for f in result.findings if f.rule == "prior_year"]
    assert warning.severity == "warning"
    assert (warning.stated, warning.recomputed) == (Decimal("16.00"), Decimal("15.88"))
    assert warning.location.startswith("data/2025/lechang-rsj/functional.csv「206 六、科学技术支出」上年决算")
    assert "本部门数据列示 16.00 万元" in warning.message and "2024 年度数据为 15.88 万元" in warning.message
    assert "data/2024/lechang-rsj/functional.csv「206 六、科学技术支出」决算（004 一（二）2.(1) 预决算差异表）" in warning.message
    assert "同比采用本部门数据所列数" in warning.message
    assert not [f for f in result.findings if f.figure.column == "prior_final" and f.rule != "prior_year"]
    assert "prior_year" not in {f.rule for f in reconciliation(current).findings}


# --- two years' scorecards ------------------------------------------------------------------------------------


def test_a_framework_change_compares_only_matching_ids_and_names_both_frameworks() -> None:
    """003 (gd-municipal-2019) total 83.3 (003 摘要) against 004 (gd-municipal-2024) total 96.5 (004 二)."""
    now = score(seed("003"), load_framework("gd-municipal-2019"))
    before = score(seed("004"), load_framework("gd-municipal-2024"))
    table = indicator_comparison(now, before)
    ids = list(table["编号"])
    assert "A.3" not in ids and "X" not in ids and ids[:2] == ["A", "A.1"] and ids[-1] == ""
    assert set(ids[:-1]) == {r.id for r in now.indicators} & {r.id for r in before.indicators}
    total = table.iloc[-1]
    assert (total["指标"], total["本年得分"], total["上年得分"]) == ("总分", 83.3, 96.5)
    assert round(total["得分变动"], 2) == -13.2
    a = table.iloc[0]  # 预算编制情况: 003 24 of 30 (二（二）), 004 25 of 28 (docs/assumptions_caveats.md)
    assert (a["本年分值"], a["本年得分"], a["上年分值"], a["上年得分"]) == (30, 24, 28, 25)
    assert round(a["得分率变动（百分点）"], 2) == round(80 - 25 / 28 * 100, 2)
    sentence = framework_comparison(now, before)
    assert "本年（2019 年度）采用指标体系「市级部门整体支出绩效评价指标体系（2019，韶关）」（gd-municipal-2019）" in sentence
    assert "上年（2024 年度）采用「市级部门整体支出绩效评价指标体系（2024，乐昌自评所用）」（gd-municipal-2024）" in sentence
    only_now = len(now.indicators) - (len(ids) - 1)
    only_before = len(before.indicators) - (len(ids) - 1)
    assert f"仅比较两年编号相同的 {len(ids) - 1} 项指标；本年 {only_now} 项、上年 {only_before} 项指标编号无对应" in sentence


def test_the_same_framework_says_so() -> None:
    card = score(seed("004"), load_framework("gd-municipal-2024"))
    sentence = framework_comparison(card, card)
    assert "均采用指标体系「市级部门整体支出绩效评价指标体系（2024，乐昌自评所用）」（gd-municipal-2024）" in sentence
    assert f"{len(card.indicators)} 项指标逐项比较" in sentence
    assert set(indicator_comparison(card, card)["得分变动"].dropna()) == {0.0}


def test_without_a_usable_prior_year_or_its_scores_the_comparison_says_why() -> None:
    prev = seed("004")
    card = score(prev, load_framework("gd-municipal-2024"))
    unknown = dataclasses.replace(prev, evaluation=dataclasses.replace(prev.evaluation, framework="gd-nowhere"))
    sentence, table = score_change(link(_next_year(prev), unknown), card)
    assert table is None
    assert sentence.startswith("上年（2024 年度）评分无法计算（指标体系 gd-nowhere：1 处问题，如：不是内置指标体系")
    broken = PriorYear(ROOT / "data/2024/lechang-rsj", None, _next_year(prev), problem="1 处数据问题")
    assert score_change(broken, card) == ("上年数据 data/2024/lechang-rsj 无法使用（1 处数据问题）：不作指标得分的年度比较。", None)


# --- the batch --------------------------------------------------------------------------------------------------


def test_the_input_hash_of_a_department_includes_its_prior_years_data(project: Path) -> None:
    assert main(["new-year", "2025", "--from", "2024", LECHANG]) == 0
    params = [project / "params/2025/lechang-rsj.yaml"]

    def hashes() -> list[str]:
        notebooks = [n for n in catalogue(ROOT / "notebooks") if n.name == "budget_variance"]
        return [job.input_hash for job in plan(params, notebooks, project / "outputs")]

    before = hashes()
    notes = project / "data/2024/lechang-rsj/notes.csv"
    notes.write_text(notes.read_text(encoding="utf-8") + "对象,另一条说明,\n", encoding="utf-8")
    assert hashes() != before


# --- a new fiscal year, end to end ----------------------------------------------------------------------------

_AMOUNTS = ("年初预算", "决算")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _times(printed: str, factor: str = "1.1") -> str:
    """A printed figure × ``factor``, printed at the same precision (round half-up)."""
    number = parse_number(printed, allow_comparator=True)
    if number is None:
        return printed
    value = (number.value * Decimal(factor)).quantize(Decimal(1).scaleb(-number.decimals), ROUND_HALF_UP)
    return format_number(Number(value, number.decimals, number.percent))


def _fill(project: Path, dept: str) -> None:
    """2025's own figures: 2024's 年初预算 and 决算 × 1.1, KPI 实际值 × 1.1 against 2024's targets."""
    new, old = project / "data/2025" / dept, project / "data/2024" / dept
    for table in ("income", "expenditure", "functional", "costs"):
        if not (new / f"{table}.csv").exists():
            continue
        before = {(r.get("科目编码", ""), r["项目"]): r for r in _rows(old / f"{table}.csv")}
        rows = _rows(new / f"{table}.csv")
        for row in rows:
            last = before[(row.get("科目编码", ""), row["项目"])]
            for column in _AMOUNTS:
                if column in row:
                    row[column] = _times(last.get(column, ""))
        _write(new / f"{table}.csv", rows)
    targets = {r["指标名称"]: r.get("目标值", "") for r in _rows(old / "kpis.csv")}
    rows = _rows(new / "kpis.csv")
    for row in rows:
        row["目标值"] = targets[row["指标名称"]]
        row["实际值"] = row["上年实际值"] if row["方向"] == "定性" else _times(row["上年实际值"])
    _write(new / "kpis.csv", rows)


def _edit(path: Path, rows: dict[str, dict[str, str]], key: str = "项目") -> None:
    """Set cells of ``path``: {row key: {column: value}}."""
    table = _rows(path)
    for row in table:
        row.update(rows.get(row[key], {}))
    _write(path, table)


def _tables(page: str) -> dict[str, list[dict[str, str]]]:
    """The numbered tables of a rendered report by caption (without 表N), each a list of rows {header: text}."""
    from bs4 import BeautifulSoup

    out = {}
    for t in BeautifulSoup(page, "html.parser").find_all("table"):
        caption = t.find("caption")
        if caption is None:
            continue
        headers = [th.get_text(strip=True) for th in t.find("thead").find_all("th")]
        rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in t.find("tbody").find_all("tr")]
        title = re.sub(r"^表\d+ ", "", caption.get_text(strip=True))  # the 评分表 has no number
        out[title] = [dict(zip(headers, r, strict=True)) for r in rows]
    return out


def _row(tables: dict[str, list[dict[str, str]]], title: str, column: str, value: str) -> dict[str, str]:
    table = next(rows for caption, rows in tables.items() if caption.startswith(title))
    return next(r for r in table if r[column].strip() == value)


def _new_year_2025(project: Path) -> None:
    """2025 from 2024 for 乐昌 and 番禺 (番禺 under another framework), filled with 2024's figures × 1.1; in 乐昌 a
    prior figure deleted (to be linked from 2024), one changed (a warning), 上年末存量资金 deleted, one leaf raised."""
    assert main(["new-year", "2025", "--from", "2024", LECHANG]) == 0
    assert main(["new-year", "2025", "--from", "2024", PANYU, "--framework", "gd-provincial-2021"]) == 0
    for dept in (LECHANG, PANYU):
        _fill(project, dept)
    lechang = project / "data/2025" / LECHANG
    _edit(lechang / "functional.csv", {"八、社会保障和就业支出": {"上年决算": ""}, "六、科学技术支出": {"上年决算": "16.00"}})
    _edit(lechang / "kpis.csv", {"城镇失业人员再就业人数": {"上年实际值": ""}}, key="指标名称")
    department = yaml.safe_load((lechang / "department.yaml").read_text(encoding="utf-8"))
    department["funds"] = {"stock_current": "12.50", "source": "示例"}  # 上年末存量资金 deleted: linked from 2024
    (lechang / "department.yaml").write_text(yaml.safe_dump(department, allow_unicode=True), encoding="utf-8")
    scores = _rows(project / "data/2024/lechang-rsj/scores.csv")  # 2025 scored like 2024, one leaf raised 4 → 5
    _write(lechang / "scores.csv", [{**r, "得分": "5"} if r["编号"] == "A.1.1" else r for r in scores])
    for dept in (LECHANG, PANYU):
        assert main(["validate", f"data/2025/{dept}"]) == 0


def _check_lechang_budget_and_kpis(budget: dict[str, list[dict[str, str]]], kpis: dict[str, list[dict[str, str]]]) -> None:
    """乐昌 2025's 同比 against 2024: its own prior figures, those linked from 2024, and a zero base."""
    total = _row(budget, "支出预决算情况表", "项目", "支出合计")  # 3,424.50 against 2024's 3,113.18
    assert (total["决算"], total["上年决算"], total["同比增减额"], total["同比增减率"]) == ("3,424.50", "3,113.18", "311.32", "10.00%")
    filled = _row(budget, "支出功能分类预决算差异表", "科目编码", "208")  # deleted in 2025, linked from 2024
    assert (filled["决算"], filled["上年决算"]) == ("3,110.48", "2,827.71")
    assert (filled["同比增减额"], filled["同比增减率"]) == ("282.77", "10.00%")
    stated = _row(budget, "支出功能分类预决算差异表", "科目编码", "206")  # 2025's own 16.00 wins over 2024's 15.88
    assert (stated["决算"], stated["上年决算"], stated["同比增减率"]) == ("17.47", "16.00", "9.19%")
    stock = _row(budget, "预算执行主要指标", "指标", "存量资金变动率")  # 上年末存量资金 0 linked: no rate on a zero base
    assert "上年末存量资金 0.00" in stock["公式/口径"] and stock["数值"] == "—" and "分母为零" in stock["说明"]
    employed = _row(kpis, "绩效指标完成情况表", "指标名称", "城镇新增就业人数")  # 2,814 against 2,558
    assert (employed["实际值"], employed["上年实际值"], employed["同比"]) == ("2,814", "2,558", "10.01%")
    refilled = _row(kpis, "绩效指标完成情况表", "指标名称", "城镇失业人员再就业人数")  # deleted, linked: 1,918 against 1,744
    assert (refilled["上年实际值"], refilled["同比"]) == ("1,744", "9.98%")


def _check_lechang_quality(quality: str) -> None:
    """The changed prior figure is a warning; the linked ones are listed."""
    warnings = next(rows for caption, rows in _tables(quality).items() if caption.startswith("警告"))
    warning = next(r for r in warnings if r["位置"].endswith("完整编号：prior_year@functional:206:prior_final"))
    assert "「206 六、科学技术支出」上年决算两处不同：本部门数据列示 16.00 万元" in warning["说明"]
    assert "2024 年度数据为 15.88 万元" in warning["说明"] and "同比采用本部门数据所列数" in warning["说明"]
    assert warning["位置"].startswith("data/2025/lechang-rsj/functional.csv「206 六、科学技术支出」上年决算")
    filled_rows = _tables(quality)["自上年数据补入的上年数"]
    assert [(r["项目"], r["列"]) for r in filled_rows] == [
        ("208 八、社会保障和就业支出", "上年决算"), ("城镇失业人员再就业人数", "上年实际值"), ("存量资金", "上年末存量资金")]


def _check_scores_against_2024(page: Callable[[str, str], str]) -> None:
    """Scores compared with 2024: every indicator under one framework (乐昌), the shared ids after a change (番禺)."""
    same = _tables(page(LECHANG, "scoring"))["指标得分与上年比较"]
    assert "均采用指标体系「市级部门整体支出绩效评价指标体系（2024，乐昌自评所用）」（gd-municipal-2024）" in page(LECHANG, "scoring")
    raised = next(r for r in same if r["编号"] == "A.1.1")
    assert (raised["本年得分"], raised["上年得分"], raised["得分变动"]) == ("5.00", "4.00", "1.00")
    assert "指标得分与上年比较" in "".join(_tables(page(LECHANG, "evaluation_report")))
    changed = page(PANYU, "scoring")
    assert "本年（2025 年度）采用指标体系「省级部门整体支出绩效评价指标体系（2021）」（gd-provincial-2021）" in changed
    assert "上年（2024 年度）采用「区级部门整体支出绩效评价指标体系（2024，番禺自评所用）」（gd-district-2024）" in changed
    compared = [r["编号"] for r in _tables(changed)["指标得分与上年比较"]]
    provincial = {i.id for i in load_framework("gd-provincial-2021").indicators}
    district = {i.id for i in load_framework("gd-district-2024").indicators}
    assert set(compared) - {""} == provincial & district and "A.3" not in compared  # A.3 部门预算资金支出率: district only
    # the provincial outline (000/001/002) has no 与上年比较 section; the scoring working paper above carries it


@pytest.mark.slow
def test_a_new_fiscal_year_runs_the_unchanged_notebooks_with_the_prior_year_linked(project: Path) -> None:
    """`auditkit new-year 2025 --from 2024`, 2025 filled with 2024's figures × 1.1, the whole batch: the YoY tables
    show 同比 against 2024 (004: 支出合计 决算 3,113.18, 一（二）2; 208 决算 2,827.71 and 206 决算 15.88, 一（二）2.(1)
    预决算差异表; 城镇新增就业人数 2,558 and 城镇失业人员再就业人数 1,744, 四（一）; 年末存量资金 0, 三（二）1.(3);
    002: 引进在职人才 5,801, 一（三）1.), a deleted prior figure is filled from data/2024, a changed one is a warning,
    and a framework change compares the indicators whose ids match."""
    _new_year_2025(project)
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    jobs = plan(params_files(project / "params"), catalogue(project / "notebooks"), project / "outputs")
    results = run_batch(jobs, workers=2, out_root=project / "outputs")
    assert {r.key: r.error for r in results if r.status != "ok"} == {}
    assert len(results) == 4 * len(catalogue(project / "notebooks"))  # 2 years × 2 departments × every notebook

    def page(dept: str, notebook: str) -> str:
        return (project / "outputs/2025" / dept / f"{notebook}.html").read_text(encoding="utf-8")

    linked = "上年数据：已自动关联 data/2024/lechang-rsj（2024 年度），补入上年决算 1 项、上年实际值 1 项、上年末存量资金 1 项"
    for notebook in ("budget_variance", "kpi_attainment", "cost_structure", "review_memo"):
        assert linked in page(LECHANG, notebook), notebook
    assert "data/2024" not in page(LECHANG, "evaluation_report")  # the issued report names no file (issue 14)
    _check_lechang_budget_and_kpis(_tables(page(LECHANG, "budget_variance")), _tables(page(LECHANG, "kpi_attainment")))
    _check_lechang_quality(page(LECHANG, "review_memo"))
    _check_scores_against_2024(page)
    panyu = _tables(page(PANYU, "kpi_attainment"))
    talent = _row(panyu, "绩效指标完成情况表", "指标名称", "引进在职人才")  # 6,381 against 5,801
    assert (talent["实际值"], talent["上年实际值"], talent["同比"]) == ("6,381", "5,801", "10.00%")

    notes = project / "data/2024/lechang-rsj/notes.csv"
    notes.write_text(notes.read_text(encoding="utf-8") + "对象,另一条说明,\n", encoding="utf-8")
    jobs = plan(params_files(project / "params"), [n for n in catalogue(project / "notebooks") if n.name == "budget_variance"], project / "outputs")
    rerun = {r.key: r.status for r in run_batch(jobs, workers=2, out_root=project / "outputs")}
    assert rerun["2025/lechang-rsj/budget_variance"] == "ok" and rerun["2025/panyu-rsj/budget_variance"] == "skipped"
