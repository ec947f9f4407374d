"""The index at scale: ``outputs/index.html`` for N synthetic departments, its size and its load time in headless Chromium.

Builds an outputs folder as a run leaves it (a manifest entry and an .html and .docx per report, seven reports per
department, three years, two frameworks a year, one department in twelve a draft, one in fifty with a failed report,
each year's summary), writes the index with :func:`auditkit.batch.index.write_index`, then opens it in Debian's
headless Chromium:

- ``wall``: seconds for ``chromium --headless --dump-dom`` on the page, minus the same on ``about:blank`` (the
  browser's own start-up), median of the runs;
- in the page (a copy with one more script, CSP relaxed for it alone): ``domContentLoaded`` and ``load`` (ms from
  navigation start), and the time to apply one filter (等级 = 优) and one sort (总分) on all the rows.

    .venv/bin/python bench/index_bench.py --departments 1000 --runs 5

The figures go in docs/performance.md. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from auditkit.batch.index import write_index

NOTEBOOKS = (("evaluation_report", "部门整体支出绩效评价报告"), ("budget_variance", "预算执行与预决算差异分析"),
             ("kpi_attainment", "绩效目标完成情况分析"), ("cost_structure", "成本结构分析"), ("procurement", "政府采购分析"),
             ("scoring", "绩效评分表"), ("review_memo", "复核意见"))
FRAMEWORKS = ("gd-municipal-2019", "gd-provincial-2021")
GRADES = ("优", "良", "中", "差")
MEASURE = """<script>window.addEventListener('load',function(){setTimeout(function(){
var n=performance.getEntriesByType('navigation')[0],f=document.getElementById('ak-filters');
var t0=performance.now();f.elements['grade'].value='优';f.dispatchEvent(new Event('change'));var t1=performance.now();
f.elements['grade'].value='';f.dispatchEvent(new Event('change'));
var th=document.querySelector('th[data-sort=score]');th.click();var t2=performance.now();
document.body.setAttribute('data-bench',JSON.stringify({dcl:n.domContentLoadedEventEnd,load:n.loadEventEnd,filter:t1-t0,sort:t2-t1,
rows:document.querySelectorAll('tbody tr').length}));},0);});</script>"""


def build(out: Path, departments: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The outputs folder and the manifest's outputs and departments for ``departments`` synthetic departments."""
    outputs: dict[str, Any] = {}
    facts: dict[str, Any] = {}
    for i in range(departments):
        year, dept_id = str(2022 + i % 3), f"synth-{i}"
        name = f"合成示例市人力资源和社会保障局（{i}）"
        folder = out / year / dept_id
        folder.mkdir(parents=True, exist_ok=True)
        for n, (notebook, title) in enumerate(NOTEBOOKS):
            failed = i % 50 == 7 and n == 2
            entry: dict[str, Any] = {"status": "failed" if failed else "ok", "department": name, "report": title,
                                     "seconds": 3.2, "input_hash": f"{i:064x}", "html": None if failed else "x"}
            if failed:
                entry["error"] = "DataValidationError: kpis.csv，第 3 行，列「实际值」: '3O342' 不是数字"
            else:
                (folder / f"{notebook}.html").write_text("x", encoding="utf-8")
                (folder / f"{notebook}.docx").write_text("x", encoding="utf-8")
            outputs[f"{year}/{dept_id}/{notebook}"] = entry
        framework = FRAMEWORKS[i % 2]
        total = 60 + (i * 37) % 40
        facts[f"{year}/{dept_id}"] = {
            "key": "k", "meta": {"kind": "自评" if i % 4 == 0 else "第三方评价", "framework": framework, "department": name},
            "score": [f"{total}.5", GRADES[0 if total >= 90 else 1 if total >= 80 else 2]],
            "status": {"draft": i % 12 == 3, "errors": 2 if i % 12 == 3 else 0, "warnings": i % 3, "framework": framework,
                       "grades": list(GRADES)},
        }
    for year in ("2022", "2023", "2024"):
        (out / year / "summary.html").write_text("x", encoding="utf-8")
        outputs[f"{year}/summary"] = {"status": "ok", "report": "部门整体支出绩效评价结果汇总", "html": "x"}
    (out / "manifest.json").write_text(json.dumps({"outputs": outputs}), encoding="utf-8")
    return outputs, facts


def _chromium(url: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--virtual-time-budget=20000", "--dump-dom", url], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "outputs"
        outputs, facts = build(out, args.departments)
        start = time.perf_counter()
        page = write_index(out, outputs, facts, order=[n for n, _ in NOTEBOOKS])
        written = time.perf_counter() - start
        text = page.read_text(encoding="utf-8")
        measured = page.with_name("index-measured.html")
        relaxed = re.sub(r"script-src '[^']+'", "script-src 'unsafe-inline'", text)
        measured.write_text(relaxed.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
        blank = [_chromium("about:blank")[0] for _ in range(args.runs)]
        walls = [_chromium(page.as_uri())[0] for _ in range(args.runs)]
        inside = []
        for _ in range(args.runs):
            _, dom = _chromium(measured.as_uri())
            found = re.search(r'data-bench="([^"]+)"', dom)
            if found:
                inside.append(json.loads(found.group(1).replace("&quot;", '"')))
        size = page.stat().st_size
        print(f"departments: {args.departments} ({len(outputs)} manifest entries)")
        print(f"index.html: {size:,} bytes ({size / 1024 / 1024:.2f} MiB); written in {written * 1000:.0f} ms")
        print(f"chromium --dump-dom: page {statistics.median(walls):.2f} s, about:blank {statistics.median(blank):.2f} s, "
              f"difference {statistics.median(walls) - statistics.median(blank):.2f} s (median of {args.runs})")
        if inside:
            for key in ("dcl", "load", "filter", "sort"):
                print(f"  {key}: {statistics.median(x[key] for x in inside):.0f} ms")
            print(f"  rows in the page: {inside[0]['rows']}")


if __name__ == "__main__":
    main()
