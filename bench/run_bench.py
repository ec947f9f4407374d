"""Benchmark the batch: auditkit run against the naive papermill + nbconvert loop, on one machine, in one run.

    .venv/bin/python bench/run_bench.py [--small 10] [--large 100] [--naive 3] [--out docs/performance.md]

Builds a scratch project of synthetic departments (auditkit.synth) with the repository's notebooks, then measures:
the floor (a bare kernel start/stop; an empty notebook through papermill), the warm floor (a pre-imported kernel
executing a notebook plus the in-process HTML export), the naive CLI loop, `auditkit run --jobs 1` and
`--jobs <cores>`, an unchanged re-run, a re-run after changing one department, peak memory per worker, the HTML's
CSS and script bytes, and how total time grows from --small to --large departments. Writes a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def build_project(where: Path, departments: int, year: int = 2024) -> Path:
    """A scratch project of ``departments`` synthetic department-years, written by ``auditkit synth``."""
    subprocess.run([str(BIN / "auditkit"), "synth", "--clean", "--departments", str(departments), "--year", str(year), str(where)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return where


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "AUDITKIT_ROOT": str(cwd)})
    return time.perf_counter() - start


def floor_kernel(samples: int = 5) -> float:
    from jupyter_client import KernelManager

    times = []
    for _ in range(samples):
        start = time.perf_counter()
        km = KernelManager(kernel_name="python3")
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor_empty_notebook(tmp: Path, samples: int = 5) -> float:
    import nbformat
    import papermill
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell("pass")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp / "empty.ipynb")
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        papermill.execute_notebook(str(tmp / "empty.ipynb"), str(tmp / "empty.out.ipynb"), progress_bar=False, kernel_name="python3")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def warm_floor(project: Path, notebooks: list[str]) -> float:
    """A fresh kernel that already holds auditkit's imports, executing each notebook, plus the in-process export."""
    import nbformat
    import papermill

    from auditkit.batch.kernels import KernelPool
    from auditkit.report.render import export_html, html_exporter

    pool, exporter = KernelPool(str(project)), html_exporter()
    params = sorted((project / "params").rglob("*.yaml"))[0]
    import yaml

    values = yaml.safe_load(params.read_text(encoding="utf-8"))
    times = []
    for name in notebooks * 2:
        km = pool.take()
        time.sleep(3)  # let the next spare finish warming: the floor excludes waiting for it
        start = time.perf_counter()
        papermill.execute_notebook(str(project / "notebooks" / f"{name}.ipynb"), str(project / "warm.ipynb"),
                                   parameters=values, km=km, progress_bar=False, kernel_name="python3")
        export_html(nbformat.read(project / "warm.ipynb", as_version=4), {"title": name}, exporter)
        times.append(time.perf_counter() - start)
        km.shutdown_kernel(now=True)
    pool.close()
    return statistics.median(times)


SERVER_STACK = ("jupyter_server", "jupyterlab", "notebook", "jupyter_events", "rfc3987_syntax")


def report_path_imports() -> tuple[float, list[str]]:
    """What a worker imports to execute and render a notebook: seconds, and any module of Jupyter's server stack."""
    code = (
        "import sys, time; t = time.perf_counter(); import auditkit.batch.runner, papermill, nbformat; "
        "from auditkit.report.render import html_exporter; html_exporter(); t = time.perf_counter() - t; "
        f"print(t, *sorted({{m.split('.')[0] for m, v in sys.modules.items() if v is not None and m.split('.')[0] in {SERVER_STACK!r}}}))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), out[1:]


def naive_loop(project: Path, departments: int, notebooks: list[str]) -> tuple[float, int]:
    out = project / "naive"
    out.mkdir(exist_ok=True)
    start, count = time.perf_counter(), 0
    for params in sorted((project / "params").rglob("*.yaml"))[:departments]:
        for name in notebooks:
            target = out / f"{params.stem}-{name}.ipynb"
            subprocess.run([str(BIN / "papermill"), f"notebooks/{name}.ipynb", str(target), "-f", str(params), "--no-progress-bar"],
                           cwd=project, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(target)],
                           cwd=project, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            count += 1
    return time.perf_counter() - start, count


def auditkit_run(project: Path, jobs: int, *extra: str) -> float:
    return timed([str(BIN / "auditkit"), "run", "--jobs", str(jobs), *extra], project)


def manifest(project: Path) -> dict[str, dict[str, object]]:
    return json.loads((project / "outputs" / "manifest.json").read_text(encoding="utf-8"))["outputs"]


def cpu_model() -> str:
    try:
        return next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name"))
    except (OSError, StopIteration):
        import platform

        return platform.processor() or "unknown CPU"


def css_and_script_bytes(page: Path) -> int:
    text = page.read_text(encoding="utf-8")
    return sum(len(m.encode()) for m in re.findall(r"<(?:style|script)[^>]*>(.*?)</(?:style|script)>", text, re.S))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=100)
    parser.add_argument("--naive", type=int, default=3, help="departments for the naive loop (it is slow)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args()
    from auditkit.batch.catalogue import catalogue

    notebooks = catalogue(ROOT / "notebooks")
    cores = os.cpu_count() or 1
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="auditkit-bench-") as scratch:
        base = Path(scratch)
        small = build_project(base / "small", args.small)
        import_seconds, server_modules = report_path_imports()
        floor_k = floor_kernel()
        floor_nb = floor_empty_notebook(base)
        warm = warm_floor(small, notebooks)
        naive_seconds, naive_count = naive_loop(small, args.naive, notebooks)
        per_naive = naive_seconds / naive_count
        reports = args.small * len(notebooks)
        t1 = auditkit_run(small, 1, "--force")
        entries = manifest(small)
        per_nb_j1 = statistics.median(float(e["seconds"]) for e in entries.values())  # type: ignore[arg-type]
        peak = max(float(e.get("memory_mb") or 0) for e in entries.values())  # type: ignore[arg-type]
        tn = auditkit_run(small, cores, "--force")
        unchanged = auditkit_run(small, cores)
        first = sorted((small / "data").glob("*/*/kpis.csv"))[0]
        first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        one_changed = auditkit_run(small, cores)
        css = max(css_and_script_bytes(page) for page in (small / "outputs").glob("*/*/*.html"))
        large = build_project(base / "large", args.large)
        t_large = auditkit_run(large, cores, "--force")
        unchanged_large = auditkit_run(large, cores)
        per_dept_small, per_dept_large = tn / args.small, t_large / args.large
        rows = [
            ("Machine", f"{cores} cores ({cpu_model()}), Python {sys.version.split()[0]}"),
            ("Notebooks per department", f"{len(notebooks)} ({', '.join(notebooks)})"),
            ("A worker's imports to execute and render (auditkit.batch.runner, papermill, the HTML exporter)",
             f"{import_seconds:.2f} s; Jupyter server-stack modules loaded: {', '.join(server_modules) or 'none'}"),
            ("Floor: bare kernel start + stop (median of 5)", f"{floor_k:.2f} s"),
            ("Floor: empty notebook through papermill (median of 5)", f"{floor_nb:.2f} s"),
            ("Warm floor: pre-imported kernel executes a notebook + in-process HTML export (median)", f"{warm:.2f} s"),
            (f"Naive loop: `papermill` then `jupyter nbconvert --to html` per notebook ({naive_count} reports)", f"{per_naive:.2f} s per report"),
            (f"`auditkit run --jobs 1` on {args.small} departments ({reports} reports)", f"{t1:.1f} s total, {t1 / reports:.2f} s per report wall, {per_nb_j1:.2f} s per notebook (median in worker)"),
            (f"`auditkit run --jobs {cores}` on {args.small} departments", f"{tn:.1f} s total, {tn / reports:.2f} s per report, {60 * reports / tn:.0f} notebooks per minute"),
            ("Speed-up over the naive loop (per report)", f"{per_naive / (tn / reports):.1f}× (target ≥ 6×)"),
            ("Per-notebook time at --jobs 1 over the warm floor", f"{per_nb_j1 / warm:.2f}× (target ≤ 1.5×)"),
            ("Overhead above the floor per report at --jobs 1", f"{t1 / reports - warm:+.2f} s"),
            (f"Unchanged re-run, {args.small} departments", f"{unchanged:.2f} s"),
            (f"Re-run after changing one department, {args.small} departments", f"{one_changed:.2f} s"),
            (f"`auditkit run --jobs {cores}` on {args.large} departments", f"{t_large:.1f} s total"),
            (f"Unchanged re-run, {args.large} departments", f"{unchanged_large:.2f} s (target < 2 s)"),
            (f"Time per department, {args.small} → {args.large}", f"{per_dept_small:.2f} s → {per_dept_large:.2f} s ({100 * (per_dept_large / per_dept_small - 1):+.0f}%, target within ±15%)"),
            ("Peak memory per worker: worker + zygote + notebook kernel + spare kernel, PSS, max over notebooks", f"{peak:.0f} MB (target < 400 MB)"),
            ("CSS and scripts in a report's HTML (largest report)", f"{css / 1024:.1f} KB (target ≤ 40 KB; stock lab template 266 KB)"),
        ]
    table = "\n".join(f"| {k} | {v} |" for k, v in rows)
    command = " ".join(["python bench/run_bench.py", *sys.argv[1:]])
    text = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8") if Path(args.out).exists() else ""
    marker = "<!-- bench -->"
    block = f"{marker}\nMeasured with `{command}` on {time.strftime('%Y-%m-%d')}:\n\n| measure | result |\n|---|---|\n{table}\n{marker}"
    text = re.sub(f"{marker}.*{marker}", block, text, flags=re.S) if marker in text else text + "\n" + block + "\n"
    Path(args.out).write_text(text, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
