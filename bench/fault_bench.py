"""How fast a batch winds down under faults (issue 17): SIGINT, SIGTERM, kill -9 of ``auditkit run``.

Builds a throwaway project (two synthetic departments, one notebook that sleeps for the second), starts
``auditkit run -j 1`` as a user would (its own session, SIGINT at its default), waits until the second department's
kernel runs, then signals it and measures how long until it exits and how many of its processes (worker, zygote,
kernels) are left. ``tests/test_faults.py`` asserts the bounds (5 s); this prints the figures for docs/performance.md.

    .venv/bin/python bench/fault_bench.py
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from auditkit.batch.processes import alive, descendants
from auditkit.data.folder import write_folder
from auditkit.synth import synth_department


def _project(root: Path) -> list[str]:
    ids = []
    for seed, delay in ((0, 0), (1, 300)):
        dept = synth_department(seed, fiscal_year=2024)
        write_folder(dept, root / "data/2024" / dept.id)
        params = root / "params/2024" / f"{dept.id}.yaml"
        params.parent.mkdir(parents=True, exist_ok=True)
        values = {"data_path": f"data/2024/{dept.id}", "framework": dept.evaluation.framework, "delay": delay}
        params.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
        ids.append(dept.id)
    (root / "notebooks").mkdir()
    nb = new_notebook(cells=[
        new_markdown_cell("# 概况"),
        new_code_cell('data_path: str = ""\nframework: str = ""\ndelay: float = 0', metadata={"tags": ["parameters"]}),
        new_code_cell("import time\ntime.sleep(delay)"),
    ])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, root / "notebooks/overview.ipynb")
    return ids


def _start(root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "auditkit.cli", "run", "-j", "1", "--force"], cwd=root,
        env={**os.environ, "AUDITKIT_ROOT": str(root)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_running(root: Path, dept: str) -> None:
    deadline = time.monotonic() + 180
    while not list((root / "outputs/2024" / dept).glob(".overview.*.partial.ipynb")):
        if time.monotonic() > deadline:
            raise SystemExit("the notebook never started")
        time.sleep(0.05)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        hung = _project(root)[1]
        for signum, whole_group in ((signal.SIGINT, True), (signal.SIGTERM, True), (signal.SIGKILL, False)):
            proc = _start(root)
            _wait_running(root, hung)
            tree = descendants(proc.pid)
            start = time.monotonic()
            os.killpg(proc.pid, signum) if whole_group else os.kill(proc.pid, signum)
            proc.communicate()
            exited = time.monotonic() - start
            while any(alive(p) for p in tree) and time.monotonic() - start < 30:
                time.sleep(0.01)
            gone = time.monotonic() - start
            left = sum(alive(p) for p in tree)
            print(f"| {signal.Signals(signum).name} | exit {proc.returncode} after {exited:.2f} s | "
                  f"{len(tree)} processes below it, all gone after {gone:.2f} s ({left} left) |")


if __name__ == "__main__":
    main()
