"""Warm kernels: forked from a pre-imported zygote, one per notebook, nothing shared but the imports."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from auditkit.batch.catalogue import catalogue, preload
from auditkit.batch.kernels import KernelPool

#: What the shipped notebooks import: every kernel of a batch over them imports it first.
PRELOAD = preload(catalogue(Path(__file__).resolve().parent.parent / "notebooks"))

# slow: every test starts a zygote or kernels (seconds each)
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(os, "fork"), reason="the zygote forks (POSIX)")]


def run(km: Any, code: str) -> tuple[str, dict[str, Any]]:
    """Execute ``code`` in the kernel; its printed output and the execute reply's content."""
    out: list[str] = []
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)

        def hook(msg: dict[str, Any]) -> None:
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])

        reply = kc.execute_interactive(code, timeout=60, output_hook=hook)
    finally:
        kc.stop_channels()
    return "".join(out).strip(), reply["content"]


def run_fresh(pool: KernelPool, code: str) -> tuple[str, dict[str, Any]]:
    """Take a kernel from ``pool``, run ``code`` in it, shut it down, as the batch does with a notebook."""
    km = pool.take()
    try:
        return run(km, code)
    finally:
        km.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KernelPool]:
    pool = KernelPool(str(tmp_path_factory.mktemp("cwd")), preload=PRELOAD)
    yield pool
    pool.close()


def test_a_forked_kernel_already_holds_the_imports_and_runs_in_the_pool_folder(pool: KernelPool) -> None:
    out, _ = run_fresh(pool, "import os, sys; print(all(m in sys.modules for m in ('pandas', 'matplotlib.pyplot', 'auditkit.report.notebook')), os.getcwd())")
    held, cwd = out.split(" ", 1)
    assert held == "True"
    assert Path(cwd).resolve() == Path(pool.cwd).resolve()


def test_every_notebook_gets_its_own_kernel_and_nothing_leaks_between_them(pool: KernelPool) -> None:
    out, _ = run_fresh(pool, "import os, auditkit; leaked = 1; auditkit._leak = 1; print(os.getpid(), os.getppid())")
    pid, parent = (int(n) for n in out.split())
    assert pool.zygote is not None and parent == pool.zygote.process.pid  # forked from the zygote, not started cold
    out, _ = run_fresh(pool, "import os, auditkit; print(os.getpid(), 'leaked' in globals(), hasattr(auditkit, '_leak'))")
    assert out.split()[1:] == ["False", "False"]
    assert int(out.split()[0]) != pid
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the first kernel is gone: shut down and reaped by the zygote


def test_an_interrupt_reaches_a_forked_kernel(pool: KernelPool) -> None:
    km = pool.take()
    try:
        threading.Timer(1.0, km.interrupt_kernel).start()
        _, reply = run(km, "import time; time.sleep(30)")
    finally:
        km.shutdown_kernel(now=True)
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"


@pytest.mark.parametrize("when", ["while importing", "once ready"])
def test_a_dead_zygote_falls_back_to_stock_kernels_warmed_up_with_the_same_imports(
    when: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pool = KernelPool(str(tmp_path), preload=PRELOAD)
    try:
        assert pool.zygote is not None
        if when == "once ready":
            pool.zygote.wait_ready()
        pool.zygote.process.send_signal(signal.SIGKILL)
        pool.zygote.process.wait()
        out, _ = run_fresh(pool, "import os, sys; print('pandas' in sys.modules, os.getppid())")
    finally:
        pool.close()
    assert pool.zygote is None
    assert out.split()[0] == "True"
    assert int(out.split()[1]) == os.getpid()  # started by us, the stock way
    assert "zygote" in capsys.readouterr().err


def test_without_fork_the_pool_starts_stock_kernels(tmp_path: Path) -> None:
    pool = KernelPool(str(tmp_path), fork=False, preload=PRELOAD)
    try:
        assert pool.zygote is None
        out, _ = run_fresh(pool, "import sys; print('auditkit.report.evaluation' in sys.modules)")
    finally:
        pool.close()
    assert out == "True"


def test_memory_counts_this_process_the_zygote_and_the_kernels_once(pool: KernelPool) -> None:
    import re

    if sys.platform != "linux":
        pytest.skip("/proc is Linux")
    km = pool.take()
    try:
        total = pool.memory_mb(km)
        kernel = int(re.search(r"Pss:\s+(\d+)", Path(f"/proc/{km.provisioner.process.pid}/smaps_rollup").read_text()).group(1)) / 1024
        own = int(re.search(r"Pss:\s+(\d+)", Path("/proc/self/smaps_rollup").read_text()).group(1)) / 1024
    finally:
        km.shutdown_kernel(now=True)
    assert total is not None
    assert total > own + kernel + 20  # plus the zygote, which holds pandas and matplotlib
    rss = sum(int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1)) for pid in (os.getpid(),)) / 1024
    assert own <= rss  # PSS divides shared pages: never more than the resident size
