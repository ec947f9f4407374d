"""Benchmark the report formats: the Word document per report, and the PDF per report with one Chromium per page
against one Chromium for all pages (Playwright on Debian's chromium).

    .venv/bin/python bench/report_formats.py [--outputs outputs] [--repeat 3] [--pdf-reports 10] [--batch]

Reads the executed notebooks and pages under ``outputs/`` (run ``make report`` first) and measures:
- ``docx_bytes`` for every executed notebook (median of ``--repeat`` runs after one warm-up, and the first call of a
  process, which builds the styled template);
- printing the evaluation reports' and review memos' pages to PDF, first each with a Chromium of its own (as
  ``auditkit run --pdf`` did), then all with one browser (:class:`auditkit.report.chromium.Printer`);
- with ``--batch``, ``auditkit run --force --only evaluation_report review_memo`` with ``--formats html,docx`` and with
  ``--formats html,docx,pdf``.
Prints a Markdown table (docs/performance.md keeps the figures).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _notebooks(outputs: Path) -> list[Path]:
    return sorted(p for p in outputs.glob("*/*/*.ipynb") if not p.name.startswith(".") and ".failed." not in p.name)


def bench_docx(outputs: Path, repeat: int) -> list[tuple[str, float, float]]:
    """Seconds per notebook to write its .docx, wall clock and this process's CPU (median of ``repeat`` after a
    warm-up: on a shared machine the CPU time is what an idle one would take), and the process's first call."""
    import nbformat

    from auditkit.report.docx import docx_bytes

    rows: list[tuple[str, float, float]] = []
    notebooks = _notebooks(outputs)
    first = nbformat.read(notebooks[0], as_version=4)
    start, cpu = time.perf_counter(), time.process_time()
    docx_bytes(first)
    rows.append(("(first call of a process: styled template built)", time.perf_counter() - start, time.process_time() - cpu))
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        docx_bytes(nb)
        wall, used = [], []
        for _ in range(repeat):
            start, cpu = time.perf_counter(), time.process_time()
            docx_bytes(nb)
            wall.append(time.perf_counter() - start)
            used.append(time.process_time() - cpu)
        rows.append((f"{path.parent.parent.name}/{path.parent.name}/{path.stem}", statistics.median(wall), statistics.median(used)))
    return rows


def bench_pdf(outputs: Path, count: int) -> dict[str, object]:
    """Print ``count`` report pages (evaluation reports and memos) both ways; seconds each and in all."""
    from auditkit.report.chromium import Printer, print_pdf

    pages = sorted([*outputs.glob("*/*/evaluation_report.html"), *outputs.glob("*/*/review_memo.html")])[:count]
    with tempfile.TemporaryDirectory(prefix="auditkit-bench-pdf-") as tmp:
        process = []
        for n, page in enumerate(pages):
            start = time.perf_counter()
            print_pdf(page, Path(tmp) / f"p{n}.pdf")
            process.append(time.perf_counter() - start)
        printer = Printer()
        start = time.perf_counter()
        one = []
        for n, page in enumerate(pages):
            began = time.perf_counter()
            printer.print_pdf(page, Path(tmp) / f"b{n}.pdf")
            one.append(time.perf_counter() - began)
        mode = printer.mode
        printer.close()
        total_one = time.perf_counter() - start
    return {"pages": len(pages), "process": process, "browser": one, "browser_total": total_one, "mode": mode,
            "reason": printer.reason}


def bench_batch() -> dict[str, float]:
    """``auditkit run --force`` on the evaluation reports and memos, without and with PDFs."""
    out = {}
    for formats in ("html,docx", "html,docx,pdf"):
        start = time.perf_counter()
        subprocess.run([str(BIN / "auditkit"), "run", "--force", "--only", "evaluation_report", "review_memo",
                        "--formats", formats], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ})
        out[formats] = time.perf_counter() - start
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outputs", type=Path, default=ROOT / "outputs")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pdf-reports", type=int, default=10)
    parser.add_argument("--batch", action="store_true")
    args = parser.parse_args()
    if not _notebooks(args.outputs):
        sys.exit(f"{args.outputs} holds no executed notebook: run `make report` first")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    docx = bench_docx(args.outputs, args.repeat)
    print("| .docx per report | wall s | CPU s |\n|---|---|---|")
    for name, seconds, cpu in docx:
        print(f"| {name} | {seconds:.3f} | {cpu:.3f} |")
    for label, rows in (("notebooks", docx[1:]),
                        ("evaluation reports and memos", [r for r in docx[1:] if r[0].endswith(("evaluation_report", "review_memo"))])):
        wall, cpu = [r[1] for r in rows], [r[2] for r in rows]
        print(f"| median / max of {len(rows)} {label} | {statistics.median(wall):.3f} / {max(wall):.3f} | "
              f"{statistics.median(cpu):.3f} / {max(cpu):.3f} |")
    print()
    pdf = bench_pdf(args.outputs, args.pdf_reports)
    process, browser = pdf["process"], pdf["browser"]
    assert isinstance(process, list) and isinstance(browser, list)
    print(f"| PDF, {pdf['pages']} reports | one Chromium per page | one browser ({pdf['mode']}) |\n|---|---|---|")
    print(f"| total | {sum(process):.2f} s | {pdf['browser_total']:.2f} s |")
    print(f"| per report (median) | {statistics.median(process):.2f} s | {statistics.median(browser):.2f} s |")
    print(f"| first report (browser start) | {process[0]:.2f} s | {browser[0]:.2f} s |")
    if pdf["reason"]:
        print(f"\nPlaywright fallback: {pdf['reason']}")
    if args.batch:
        batch = bench_batch()
        print("\n| auditkit run --force --only evaluation_report review_memo | seconds |\n|---|---|")
        for formats, seconds in batch.items():
            print(f"| --formats {formats} | {seconds:.1f} |")
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
