"""batch.index: the reviewer's front door, one row per department grouped by year and framework, safe to open.

The page is written from a hand-made manifest (its values as a run records them) and files on disk, so each test
says exactly which files exist and what the page must link.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any

from auditkit.batch.index import SCRIPT, SCRIPT_HASH, write_index


def _entry(department: str, report: str, status: str = "ok", **extra: Any) -> dict[str, Any]:
    return {"status": status, "department": department, "report": report, "seconds": 3.8, "input_hash": "ab" * 32,
            "html": "recorded" if status == "ok" else None, **extra}


def _department(framework: str, total: str, grade: str, draft: bool, errors: int, warnings: int, kind: str = "第三方评价") -> dict[str, Any]:
    return {"key": "k", "meta": {"kind": kind, "framework": framework}, "score": [total, grade],
            "status": {"draft": draft, "errors": errors, "warnings": warnings, "framework": framework,
                       "grades": ["优", "良", "中", "差"]}}


def _write(out: Path, name: str) -> None:
    path = out / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x", encoding="utf-8")


def _page(tmp_path: Path) -> str:
    out = tmp_path / "outputs"
    outputs = {
        "2019/shaoguan-rsj/evaluation_report": _entry("韶关市人力资源和社会保障局", "部门整体支出绩效评价报告"),
        "2019/shaoguan-rsj/review_memo": _entry("韶关市人力资源和社会保障局", "复核意见"),
        "2021/gd-ldgx/evaluation_report": _entry("广东省劳动关系协调中心", "部门整体支出绩效自评报告"),
        "2021/gd-ldgx/review_memo": _entry("广东省劳动关系协调中心", "复核意见", status="failed", error="KeyError: 'x'"),
        "2021/gd-zwfw/evaluation_report": _entry("<script>alert(1)</script>中心", "部门整体支出绩效自评报告"),
        "2021/summary": _entry("", "部门整体支出绩效评价结果汇总"),
    }
    for name in ("2019/shaoguan-rsj/evaluation_report.html", "2019/shaoguan-rsj/evaluation_report.docx",
                 "2019/shaoguan-rsj/evaluation_report.pdf", "2019/shaoguan-rsj/review_memo.html",
                 "2021/gd-ldgx/evaluation_report.html", "2021/gd-ldgx/review_memo.failed.ipynb", "2021/summary.html",
                 "2021/summary.docx"):
        _write(out, name)
    departments = {
        "2019/shaoguan-rsj": _department("gd-municipal-2019", "83.3", "良", True, 7, 3),
        "2021/gd-ldgx": {**_department("gd-provincial-2021", "98.21（报告所列，未复核）", "优", True, 2, 1, "自评"),
                         "status": {"draft": True, "errors": 2, "warnings": 1, "framework": "gd-provincial-2021",
                                    "grades": ["优", "良", "中", "差"], "verified": False}},
        "2021/gd-zwfw": _department("gd-provincial-2021", "96.95", "优", False, 0, 0, "自评"),
    }
    return write_index(out, outputs, departments, order=["evaluation_report", "review_memo"]).read_text(encoding="utf-8")


def test_one_row_per_department_grouped_by_year_then_framework(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert page.count("<tr data-name=") + page.count('<tr class="failed" data-name=') == 3
    assert page.index('data-year="2021"') < page.index('data-year="2019"')  # the latest year first
    assert page.count('<div class="ak-fw"') == 2
    row = re.search(r"<tr[^>]*shaoguan-rsj.*?</tr>", page, re.S)
    assert row is not None
    text = re.sub(r"<[^>]+>", "|", row.group(0))
    for shown in ("韶关市人力资源和社会保障局", "第三方评价", "83.3", "良", "征求意见稿", "|7|", "|3|"):
        assert shown in text, shown


def test_each_report_links_the_formats_the_run_wrote_and_nothing_else(tmp_path: Path) -> None:
    page = _page(tmp_path)
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert "2019/shaoguan-rsj/evaluation_report.html" in hrefs
    assert "2019/shaoguan-rsj/evaluation_report.docx" in hrefs and "2019/shaoguan-rsj/evaluation_report.pdf" in hrefs
    assert "2019/shaoguan-rsj/review_memo.docx" not in hrefs  # not written
    assert "2021/gd-zwfw/evaluation_report.html" not in hrefs  # recorded, but not on disk
    assert "2021/gd-ldgx/review_memo.failed.ipynb" in hrefs
    assert "2021/summary.html" in hrefs and "2021/summary.docx" in hrefs  # the year's results summary
    assert all(not h.startswith(("http", "//", "/")) for h in hrefs)


def test_render_times_and_hashes_stay_out_of_the_reviewers_view(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert "3.8s" not in page and "abab" not in page


def test_a_self_reported_total_is_marked_and_a_failure_named(tmp_path: Path) -> None:
    page = _page(tmp_path)
    # the note sits under the figure (a block of its own, smaller), not beside it where it ran over the 等级 column
    assert '<td class="num">98.21<span class="sub">报告所列，未复核</span></td>' in page
    assert 'data-score="98.21"' in page
    assert "KeyError: &#x27;x&#x27;" in page and "有报告生成失败" in page


def test_text_from_data_is_escaped_and_the_only_script_is_auditkits_own_allowed_by_its_hash(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;中心" in page
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert scripts == [SCRIPT]
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert f"sha256-{digest}" == SCRIPT_HASH
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None and f"script-src '{SCRIPT_HASH}'" in csp.group(1) and "default-src 'none'" in csp.group(1)
    assert "unsafe-inline'; script" not in csp.group(1).replace("style-src 'unsafe-inline'; ", "")
    assert not re.search(r"\son[a-z]+=", page)  # no inline handler (the CSP would block it anyway)
    assert "department" not in SCRIPT and "韶关" not in SCRIPT  # the script holds nothing of any department's


def test_the_filters_offer_each_year_framework_grade_and_status_present(tmp_path: Path) -> None:
    page = _page(tmp_path)
    form = re.search(r'<form id="ak-filters".*?</form>', page, re.S)
    assert form is not None
    options = dict(re.findall(r'<select name="(\w+)">(.*?)</select>', form.group(0), re.S))
    assert re.findall(r'value="([^"]*)"', options["year"]) == ["", "2021", "2019"]
    assert re.findall(r'value="([^"]*)"', options["framework"]) == ["", "gd-municipal-2019", "gd-provincial-2021"]
    assert re.findall(r'value="([^"]*)"', options["grade"]) == ["", "优", "良"]  # the frameworks' order, highest first
    assert re.findall(r'value="([^"]*)"', options["status"]) == ["", "final", "draft", "failed"]


def test_within_a_framework_the_highest_verified_total_comes_first_and_a_reports_own_total_last(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert page.index("gd-zwfw") < page.index("gd-ldgx")  # 96.95 verified before 98.21 the report's own
