"""analyses.summary (评价结果汇总) on 30 synthetic departments under two frameworks, and on the sample years.

Expected values are computed here from the scorecards, the written scores.csv and the framework files directly,
never through the functions under test.
"""

from __future__ import annotations

import csv
import re
import statistics
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from auditkit.analyses import summary
from auditkit.analyses.summary import Evaluated
from auditkit.data.folder import write_folder
from auditkit.report.year import Year, load_year
from auditkit.synth import synth_department

FRAMEWORKS = ("gd-municipal-2019", "gd-provincial-2021")
YEAR = 2024
#: How the summary's tables name each framework: its Chinese name (the file's ``name``), shortened, never the id.
SHOWN = {"gd-municipal-2019": "市级指标体系（2019，韶关）", "gd-provincial-2021": "省级指标体系（2021）"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 departments of 2024 with findings, alternating two frameworks; the first ten also have a 2023."""
    root = tmp_path_factory.mktemp("summary")
    for seed in range(30):
        framework = FRAMEWORKS[seed % 2]
        dept = synth_department(seed, fiscal_year=YEAR, framework=framework, with_findings=True)
        write_folder(dept, root / "data" / str(YEAR) / dept.id)
        if seed < 10:
            prior = synth_department(seed + 1000, fiscal_year=YEAR - 1, framework=framework, with_findings=True)
            prior = type(prior)(**{**prior.__dict__, "department": type(prior.department)(
                **{**prior.department.__dict__, "id": dept.id, "name": dept.department.name})})
            write_folder(prior, root / "data" / str(YEAR - 1) / dept.id)
    (root / "params").mkdir()
    return root


@pytest.fixture(scope="module")
def year(project: Path) -> Year:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AUDITKIT_ROOT", str(project))
        return load_year(YEAR)


def _scored(entries: tuple[Evaluated, ...], framework: str) -> list[Evaluated]:
    return [e for e in entries if e.framework.id == framework]


def test_all_thirty_are_evaluated_under_their_own_framework(year: Year) -> None:
    assert year.failed == ()
    assert len(year.entries) == 30
    assert Counter(e.framework.id for e in year.entries) == {"gd-municipal-2019": 15, "gd-provincial-2021": 15}
    assert all(e.framework.id == e.dept.evaluation.framework for e in year.entries)


def test_the_ranking_agrees_with_the_scorecards_within_each_framework(year: Year) -> None:
    ranked = {r.dept_id: r for r in summary.ranking(year.entries)}
    for framework in FRAMEWORKS:
        entries = _scored(year.entries, framework)
        totals = {e.dept.id: e.card.total for e in entries if e.card is not None and e.card.total is not None}
        assert len(totals) >= 10
        for dept_id, total in totals.items():
            higher = sum(1 for t in totals.values() if t > total)
            assert ranked[dept_id].rank == higher + 1, dept_id
            assert ranked[dept_id].total == total
        # the best has rank 1 in each framework
        best = max(totals, key=lambda k: totals[k])
        assert ranked[best].rank == 1
        for e in entries:
            if e.dept.id not in totals:
                assert ranked[e.dept.id].rank is None


def test_departments_of_different_frameworks_are_never_ranked_together(year: Year) -> None:
    ranked = summary.ranking(year.entries)
    ones = [r for r in ranked if r.rank == 1]
    assert {r.framework for r in ones} == set(FRAMEWORKS)  # each framework has its own first
    tables = summary.results_tables(year.entries)
    assert len(tables) == 2
    names = {e.name: e.framework.id for e in year.entries}
    for (title, table), framework in zip(tables, sorted(FRAMEWORKS), strict=True):
        assert SHOWN[framework].replace("指标体系", "部门整体支出绩效评价指标体系") in title and framework not in title
        assert {names[n] for n in table["部门"]} == {framework}
        ranks = [int(x) for x in table["名次"] if x != "—"]
        assert ranks == sorted(ranks) and ranks[0] == 1 and max(ranks) <= len(ranks)
    assert "不跨指标体系排名" in summary.rank_note(year.entries)


def test_an_unverifiable_total_is_shown_as_the_reports_and_not_ranked(year: Year) -> None:
    unverified = [e for e in year.entries if e.card is not None and e.card.total is None and e.card.stated_total is not None]
    assert unverified, "the synthetic year should hold one total the data cannot verify"
    text = "\n".join(t.to_string() for _, t in summary.results_tables(year.entries))
    for e in unverified:
        assert f"{e.card.stated_total}（报告所列，未复核）" in text if e.card else False
        assert next(r for r in summary.ranking(year.entries) if r.dept_id == e.dept.id).rank is None


def test_grade_counts_agree_with_the_scorecards(year: Year) -> None:
    table = summary.grade_distribution(year.entries)
    for framework in FRAMEWORKS:
        counted = Counter(e.card.grade if e.card else None for e in _scored(year.entries, framework))
        rows = table[table["指标体系"] == SHOWN[framework]]
        shown = dict(zip(rows["等级"], rows["部门数"], strict=True))
        assert shown.get("未评定", 0) == counted.pop(None, 0)
        assert {g: n for g, n in shown.items() if g != "未评定" and n} == dict(counted)
        assert list(rows["等级"])[:4] == ["优", "良", "中", "差"]  # the framework's grades, in its order
        assert rows["占比"].sum() == pytest.approx(100)


def _folders(project: Path, framework: str) -> list[Path]:
    """The 2024 department folders whose department.yaml names ``framework``."""
    return [f for f in sorted((project / "data" / str(YEAR)).iterdir())
            if f"framework: {framework}" in (f / "department.yaml").read_text(encoding="utf-8")]


def _scores_csv(folder: Path) -> list[dict[str, str]]:
    with (folder / "scores.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _csv_rates(project: Path, framework: str, level: int) -> dict[str, list[float]]:
    """得分 ÷ 分值 × 100 of every indicator at ``level``, read from the written scores.csv of the departments whose
    评分表 holds their leaves (a department with only 一级 scores cannot be checked there, nor by the summary)."""
    rates: dict[str, list[float]] = defaultdict(list)
    for folder in _folders(project, framework):
        rows = _scores_csv(folder)
        if all(r["层级"] == "1" for r in rows):
            continue
        for r in rows:
            if r["层级"] == str(level):
                rates[r["编号"]].append(float(r["得分"]) / float(r["分值"]) * 100)
    return rates


@pytest.mark.parametrize("level", [1, 2])
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_per_indicator_means_agree_with_a_direct_computation(project: Path, year: Year, framework: str, level: int) -> None:
    direct = _csv_rates(project, framework, level)
    table = summary.indicator_rates(year.entries, level)
    rows = table[table["指标体系"] == SHOWN[framework]]
    assert len(rows) == len(direct) > 0
    for _, row in rows.iterrows():
        values = direct[row["编号"]]
        assert row["部门数"] == len(values)
        assert row["平均得分率"] == pytest.approx(statistics.mean(values), abs=0.01), row["编号"]
        assert row["最低得分率"] == pytest.approx(min(values), abs=0.01)
        assert row["最高得分率"] == pytest.approx(max(values), abs=0.01)


def test_points_lost_agree_with_the_scores_files(project: Path, year: Year) -> None:
    table = summary.points_lost(year.entries, top=3)
    for framework in FRAMEWORKS:
        lost: dict[str, float] = defaultdict(float)
        for folder in _folders(project, framework):
            rows = _scores_csv(folder)
            if all(r["层级"] == "1" for r in rows):
                continue  # only 一级 scores: no leaf to lose points at
            parents = {r["上级编号"] for r in rows}
            for r in rows:
                if r["编号"] not in parents:
                    lost[r["编号"]] += float(r["分值"]) - float(r["得分"])
        expected = sorted(lost.values(), reverse=True)[:3]
        shown = table[table["指标体系"] == SHOWN[framework]]["失分合计"].tolist()
        assert shown == pytest.approx(expected)


def test_the_heat_map_matrix_holds_each_departments_rates(year: Year) -> None:
    matrices = {m.framework: m for m in summary.rate_matrix(year.entries)}
    assert set(matrices) == set(FRAMEWORKS)
    for framework, m in matrices.items():
        fw = next(e.framework for e in year.entries if e.framework.id == framework)
        assert [i for i, _ in m.indicators] == [i.id for i in fw.indicators if i.level == 2 and not i.adjustment]
        for name, rates in zip(m.departments, m.rates, strict=True):
            card = next(e.card for e in year.entries if e.name == name and e.card is not None)
            assert rates == tuple(card.get(i).rate for i, _ in m.indicators)


def test_budget_rates_are_held_against_the_framework_thresholds(year: Year) -> None:
    table = summary.budget_rates(year.entries)
    assert len(table) == 30
    for _, row in table.iterrows():
        outside = row["预算执行率"] < 90 or abs(row["预算调整率"]) > 30 or row["结转结余率"] > 10
        assert (row["超出阈值"] != "无") == outside, row.to_dict()
    assert len(summary.budget_outliers(year.entries)) == sum(table["超出阈值"] != "无")


def test_common_problems_group_each_deduction_under_its_indicator(year: Year) -> None:
    table = summary.common_problems(year.entries)
    for framework in FRAMEWORKS:
        rows = table[(table["指标体系"] == SHOWN[framework]) & (table["编号"] != "—")]
        # the departments losing points under each 二级 indicator, counted from the scorecards
        expected: dict[str, set[str]] = defaultdict(set)
        for e in _scored(year.entries, framework):
            if e.card is None:
                continue
            for r in e.card.indicators:
                if r.leaf and not r.adjustment and r.score is not None and r.score < r.max:
                    group = r.id if r.level <= 2 else ".".join(r.id.split(".")[:2])
                    expected[group].add(e.dept.id)
        shown = dict(zip(rows["编号"], rows["部门数"], strict=True))
        assert shown == {k: len(v) for k, v in expected.items()}
        assert list(rows["部门数"]) == sorted(rows["部门数"], reverse=True)
    # a synthetic 存在问题 names the leaf it lost points at: it is listed under that leaf's 二级 indicator
    e = next(e for e in year.entries if e.dept.texts_of("存在问题") and "方面" in e.dept.texts_of("存在问题")[0].content)
    problem = e.dept.texts_of("存在问题")[0]
    leaf = next(i for i in e.framework.leaves if i.name in problem.content)
    group = leaf.id if leaf.level <= 2 else ".".join(leaf.id.split(".")[:2])
    row = table[(table["指标体系"] == SHOWN[e.framework.id]) & (table["编号"] == group)].iloc[0]
    line = next(x for x in row["存在问题"].splitlines() if x.startswith(f"{problem.title}（"))
    assert e.name in line
    # the count of a shared problem is the number of departments listed with it
    for text in table["存在问题"]:
        for x in text.splitlines():
            found = re.search(r"（(\d+) 个部门：(.*)）$", x)
            if found:
                assert int(found.group(1)) == len(found.group(2).split("、"))


def test_year_on_year_compares_by_indicator_number(year: Year) -> None:
    changes = summary.score_changes(year.entries)
    with_prior = [e for e in year.entries if e.prior is not None]
    assert len(with_prior) == 10 and len(changes) == sum(1 for e in with_prior if e.card is not None)
    for _, row in changes.iterrows():
        e = next(x for x in with_prior if x.name == row["部门"])
        if e.card and e.card.total is not None and e.prior and e.prior.total is not None:
            assert row["总分变动"] == pytest.approx(float(e.card.total - e.prior.total))
    indicators = summary.indicator_changes(year.entries)
    assert set(indicators["可比部门数"]) <= {len([e for e in with_prior if e.framework.id == f]) for f in FRAMEWORKS} | set(range(10))
    assert (indicators["上升"] + indicators["下降"] <= indicators["可比部门数"]).all()


def test_review_status_counts_open_findings_and_drafts(year: Year) -> None:
    table = summary.review_status(year.entries)
    drafts = [e for e in year.entries if e.review is not None and e.review.open_errors]
    assert 3 <= len(drafts) < 30
    assert list(table["报告状态"]).count("征求意见稿") == len(drafts)
    assert list(table["报告状态"])[: len(drafts)] == ["征求意见稿"] * len(drafts)  # drafts first
    assert table["未决错误"].sum() == sum(len(e.review.open_errors) for e in year.entries if e.review)


def test_the_headline_names_the_best_of_each_framework(year: Year) -> None:
    text = "".join(summary.headline(year.entries, YEAR))
    for framework in FRAMEWORKS:
        best = next(r for r in summary.ranking(year.entries) if r.framework == framework and r.rank == 1)
        assert f"最高 {best.name}" in text
    assert "共汇总 30 个部门" in text


def test_a_department_that_cannot_be_loaded_fails_alone(project: Path, year: Year, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITKIT_ROOT", str(project))
    broken = project / "data" / str(YEAR) / "synth-broken"
    broken.mkdir()
    (broken / "department.yaml").write_text("department: [\n", encoding="utf-8")
    try:
        again = load_year(YEAR)
    finally:
        (broken / "department.yaml").unlink()
        broken.rmdir()
    assert len(again.entries) == 30
    assert [dept_id for dept_id, _ in again.failed] == ["synth-broken"]


def test_the_departments_and_framework_parameters_narrow_the_year(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITKIT_ROOT", str(project))
    only = load_year(YEAR, departments=["synth-0", "synth-1", "synth-2"])
    assert sorted(e.dept.id for e in only.entries) == ["synth-0", "synth-1", "synth-2"]
    provincial = load_year(YEAR, departments=["synth-0", "synth-1", "synth-2"], framework="gd-provincial-2021")
    assert [e.dept.id for e in provincial.entries] == ["synth-1"]


# --- the sample years (two departments or one) ---------------------------------------------------------------


def test_the_sample_2021_ranks_001_and_leaves_000s_self_reported_total_unranked() -> None:
    """000 自评 98.21 is printed without indicator scores to check it (000 二（一）); 001 scores 96.95 (001 二)."""
    entries = load_year(2021).entries
    ranked = {r.dept_id: r for r in summary.ranking(entries)}
    assert ranked["gd-zwfw"].rank == 1 and ranked["gd-zwfw"].total == Decimal("96.95")
    assert ranked["gd-ldgx"].rank is None and str(ranked["gd-ldgx"].stated_total) == "98.21"


def test_the_sample_2024_keeps_its_two_frameworks_apart() -> None:
    """002 番禺 99.66 (gd-district-2024) and 004 乐昌 96.5 (gd-municipal-2024) are each first of their own framework."""
    ranked = {r.dept_id: r for r in summary.ranking(load_year(2024).entries)}
    assert (ranked["panyu-rsj"].rank, ranked["panyu-rsj"].total) == (1, Decimal("99.66"))
    assert (ranked["lechang-rsj"].rank, ranked["lechang-rsj"].total) == (1, Decimal("96.5"))
    assert ranked["panyu-rsj"].framework != ranked["lechang-rsj"].framework


# --- through the batch -----------------------------------------------------------------------------------------


@pytest.mark.slow  # four departments' scoring notebook and the year's summary, executed and rendered
def test_the_batch_renders_the_summary_once_per_year_after_the_departments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import yaml

    from auditkit.batch.catalogue import catalogue
    from auditkit.batch.params import params_files
    from auditkit.batch.plan import plan, plan_years
    from auditkit.batch.runner import run_batch

    root = Path(__file__).resolve().parent.parent
    for seed in range(4):
        dept = synth_department(seed, fiscal_year=YEAR, framework=FRAMEWORKS[seed % 2], with_findings=True)
        write_folder(dept, tmp_path / "data" / str(YEAR) / dept.id)
        params = tmp_path / "params" / str(YEAR) / f"{dept.id}.yaml"
        params.parent.mkdir(parents=True, exist_ok=True)
        params.write_text(yaml.safe_dump({"data_path": f"data/{YEAR}/{dept.id}", "framework": dept.evaluation.framework}),
                          encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    for name in ("scoring", "summary"):
        shutil.copy(root / "notebooks" / f"{name}.ipynb", tmp_path / "notebooks")
    monkeypatch.setenv("AUDITKIT_ROOT", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    files, out = params_files(tmp_path / "params"), tmp_path / "outputs"
    notebooks = catalogue(tmp_path / "notebooks", scope=None)
    jobs = [*plan(files, [n for n in notebooks if n.scope == "department"], out), *plan_years(files, notebooks, out)]
    assert [j.key for j in jobs if j.scope == "year"] == [f"{YEAR}/summary"]
    results = run_batch(jobs, workers=2, out_root=out)
    assert {r.key: r.status for r in results}[f"{YEAR}/summary"] == "ok", [r.error for r in results if r.error]
    page = (out / str(YEAR) / "summary.html").read_text(encoding="utf-8")
    assert "评价结果（" in page and "不跨指标体系排名" in page and "征求意见稿" in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{YEAR}/summary.html"' in index
    assert index.count("<tr") - index.count("<tr></tr>") >= 4
    again = run_batch(jobs, workers=2, out_root=out)  # unchanged: skipped, the summary too
    assert {r.status for r in again} == {"skipped"}


# --- a document for the bureau: its words, not the tool's (review S12, N7, N9) ----------------------------------

#: The tool's own vocabulary, which must not reach the summary's visible text: the seed files, the developers'
#: notes, the tool's name, the framework files' "假设：" basis, the 评分说明 tag and a framework's raw id.
_INTERNAL = re.compile(r"种子|domain-notes|auditkit|假设：|（评分说明）|gd-(?:municipal|provincial|district)-\d{4}")


def _visible_text(entries: tuple[Evaluated, ...], fiscal_year: int) -> str:
    parts = [*summary.headline(entries, fiscal_year), summary.rank_note(entries), *summary.budget_outliers(entries)]
    parts += [f"{title}\n{table.to_string()}" for title, table in summary.results_tables(entries)]
    for table in (summary.grade_distribution(entries), summary.indicator_rates(entries, 1), summary.indicator_rates(entries, 2),
                  summary.points_lost(entries), summary.thresholds_table(entries), summary.budget_rates(entries),
                  summary.common_problems(entries), summary.score_changes(entries), summary.indicator_changes(entries),
                  summary.review_status(entries)):
        parts.append(table.to_string())
    parts += [f"{m.framework_name} {' '.join(n for _, n in m.indicators)}" for m in summary.rate_matrix(entries)]
    return "\n".join(parts)


@pytest.mark.parametrize("fiscal_year", [2019, 2021, 2024])
def test_the_sample_summaries_speak_the_bureaus_terms(fiscal_year: int) -> None:
    text = _visible_text(load_year(fiscal_year).entries, fiscal_year)
    assert not _INTERNAL.findall(text), sorted(set(_INTERNAL.findall(text)))
    # the thresholds say whose line they are: none of them is in an issued framework (gd-*.yaml thresholds: assumed)
    bases = set(summary.thresholds_table(load_year(fiscal_year).entries)["依据"])
    assert bases == {"本汇总设定的警戒线（非指标体系规定），仅用于提示关注，不影响得分"}


def test_the_synthetic_summary_speaks_the_bureaus_terms(year: Year) -> None:
    text = _visible_text(year.entries, YEAR)
    assert not _INTERNAL.findall(text), sorted(set(_INTERNAL.findall(text)))
    assert "市级部门整体支出绩效评价指标体系（2019，韶关）" in text and "省级指标体系（2021）" in text


def test_one_department_a_framework_has_no_spread_columns_and_no_heat_map() -> None:
    """2019 has 003 alone: its lowest and highest 得分率 would equal the mean, and a one-row heat map says nothing."""
    entries = load_year(2019).entries
    assert len(entries) == 1
    for level in (1, 2):
        columns = list(summary.indicator_rates(entries, level).columns)
        assert "最低得分率" not in columns and "最高得分率" not in columns and "平均得分率" in columns
    assert summary.rate_matrix(entries) == []


def test_thirty_departments_keep_the_spread_and_the_heat_maps(year: Year) -> None:
    assert {"最低得分率", "最高得分率"} <= set(summary.indicator_rates(year.entries, 2).columns)
    assert len(summary.rate_matrix(year.entries)) == 2
    two = [e for e in year.entries if e.framework.id == FRAMEWORKS[0]][:2]
    assert summary.rate_matrix(two) == []  # two departments: below the three a heat map needs


# --- 003 (2019): the figures still open in the review, and 003's own problems (review S7, S8) --------------------


def test_a_score_an_open_error_disputes_is_left_out_and_said_so() -> None:
    """003 二（二）3 prints 保障措施 1 分 and 75% (1 ÷ 2 is 50%: 待确认事项第6项); 003 二（四）3 prints 效果性 9.6 of 10
    (96%) where its 三级 scores add to 9.8 (第7项). While both are open the summary shows neither 50%/98% nor a
    third figure: the indicator is out of its statistics, and the row says what the report prints and why."""
    entries = load_year(2019).entries
    table = summary.indicator_rates(entries, 2).set_index("编号")
    for ind, printed, item in (("A.3", "得分率 75%", 6), ("C.3", "得分 9.6 分", 7)):
        row = table.loc[ind]
        assert row["部门数"] == 0 and row["平均得分率"] != row["平均得分率"]  # NaN: nothing counted
        assert f"报告列示{printed}" in row["待确认（未计入）"] and f"待确认事项第{item}项" in row["待确认（未计入）"]
    assert table.loc["A.1", "平均得分率"] == pytest.approx(77.78)  # 003 二（二）1: 14 of 18, counted as before
    assert table["待确认（未计入）"].isna().sum() == len(table) - 2
    matrix_rates = dict(zip([i for i, _ in summary.rate_matrix(entries, min_departments=1)[0].indicators],
                            summary.rate_matrix(entries, min_departments=1)[0].rates[0], strict=True))
    assert matrix_rates["A.3"] is None and matrix_rates["C.3"] is None and matrix_rates["A.1"] is not None
    assert "A.3" not in set(summary.points_lost(entries, top=30)["编号"])


def test_003s_problems_are_listed_by_their_headline_under_the_indicators_they_name() -> None:
    """texts.csv 分组: 003 五（二）「内部管理制度显滞后，项目监督管理需加强。」concerns B.5 制度管理 (−2.5) and B.2.2 项目监管
    (−3), 五（三）「未在基层开展满意度调查。」C.4.2 满意度 (−0.5); 五（一）names 绩效目标 (A.2) by name."""
    table = summary.common_problems(load_year(2019).entries).set_index("编号")
    assert "（未对应到扣分指标）" not in set(table["指标"])
    assert table.loc["B.5", "存在问题"] == "内部管理制度显滞后，项目监督管理需加强。（韶关市人力资源和社会保障局）"
    assert table.loc["B.2", "存在问题"] == "内部管理制度显滞后，项目监督管理需加强。（韶关市人力资源和社会保障局）"
    assert table.loc["C.4", "存在问题"] == "未在基层开展满意度调查。（韶关市人力资源和社会保障局）"
    assert table.loc["A.2", "存在问题"].startswith("缺少预算绩效管理制度")
    assert all("评分说明" not in t for t in table["存在问题"])
    # A.3 保障措施 has no 存在问题: its 扣分理由 is listed, and says its 得分率 is still open (待确认事项第6项)
    assert "（得分率待确认，见复核意见待确认事项第6项，未计入失分合计）" in table.loc["A.3", "存在问题"]
    assert table.loc["A.3", "失分合计"] != table.loc["A.3", "失分合计"]  # NaN, shown 「—」
