"""Warm kernels: each notebook gets a fresh Jupyter kernel whose start-up and imports are already paid.

A kernel costs about 1 s to start and another 1–2 s to import pandas, matplotlib and auditkit, against about half a
second for the notebook itself. So every worker keeps a *zygote*: a Python process that has done those imports once
and then forks one ipykernel per notebook (POSIX ``fork``: copy-on-write, a few milliseconds). Every notebook still
runs in a kernel of its own that exits with it, so no state passes between notebooks; only the imports are shared,
as a read-only starting point. The pool prepares the next kernel while the current notebook runs.

Where ``fork`` is unavailable (Windows) or the zygote cannot start, kernels are started the stock way and warmed up
with the same imports before they are handed out.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import multiprocessing.util
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit.batch.processes import die_with_parent
from auditkit.exceptions import KernelError

if TYPE_CHECKING:  # jupyter_client is imported when a kernel is first started
    from jupyter_client.manager import KernelManager
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

__all__ = ["KernelPool", "Zygote"]

#: Without fork, each stock kernel runs this before it is handed out: the zygote's own preload, of these modules.
_WARM_UP = "from auditkit.batch.kernels import _preload as _p\n_p({specs!r})\ndel _p\n"

#: One thread per library in the zygote and its kernels: the notebooks are small, and a batch runs one worker per core.
_THREADS = dict.fromkeys(("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"), "1")


# --- the zygote process ---------------------------------------------------------------------------------


def _preload(specs: Sequence[str]) -> None:
    """Import what the notebooks import (``module`` or ``module:name``, see :func:`auditkit.batch.catalogue.preload`).

    A module that cannot be imported is skipped: the notebook that imports it fails on its own, with its own error.
    """
    import importlib

    import matplotlib

    matplotlib.use("Agg")
    for spec in specs:
        module, _, name = spec.partition(":")
        try:
            imported = importlib.import_module(module)
            if name and not hasattr(imported, name):
                importlib.import_module(f"{module}.{name}")  # a sub-module, not yet an attribute of its package
        except Exception as exc:
            print(f"auditkit: 预先导入 {spec} 失败（{type(exc).__name__}: {exc}），由用到它的笔记本自行报错", file=sys.stderr)
    import ipykernel.ipkernel  # what IPKernelApp.initialize imports lazily
    import ipykernel.kernelapp
    import ipykernel.zmqshell  # noqa: F401

    from auditkit.report.fonts import use_cjk_font

    use_cjk_font()


def _run_kernel(connection_file: str, cwd: str, env: dict[str, str], reply: int, zygote: int) -> None:
    """In the forked child: become a plain ipykernel process, as ``python -m ipykernel_launcher -f FILE`` would."""
    code = 1
    try:
        die_with_parent(zygote)  # the kernel dies with its zygote, which dies with its worker
        os.close(reply)  # the zygote's reply pipe is not the kernel's
        os.setsid()  # its own process group, like a stock kernel: interrupts reach it and its subprocesses only
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)  # the zygote's request pipe is not the kernel's
        os.dup2(2, 1)  # C-level output goes to the worker's log
        sys.stdin = open(os.devnull)  # noqa: SIM115 - lives with the process
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        os.environ.update(_THREADS)
        parent = str(os.getppid())
        os.environ["JPY_PARENT_PID"] = parent
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(["-f", connection_file, f"--IPKernelApp.parent_handle={parent}"])  # exit when the zygote does
        app.start()
        code = 0
    except BaseException:  # the child must never return into the zygote's loop
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def serve(specs: Sequence[str] = (), parent: int | None = None) -> None:
    """The zygote's main loop: preload ``specs``, say ready, then fork one kernel per request line until stdin closes.

    With ``parent`` (the worker's pid), the zygote dies with that worker (:func:`~auditkit.batch.processes.die_with_parent`).
    Ctrl-C at the terminal is the batch's to handle, not the zygote's: it ignores SIGINT (its kernels get theirs from
    their worker, as an interrupt request).
    """
    if parent is not None:
        die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    reply = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray prints of imported libraries must not corrupt the reply pipe
    try:
        _preload(specs)
    except Exception as exc:  # reported to the pool, which falls back to stock kernels
        reply.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
        return
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped as they exit: no zombies
    reply.write(json.dumps({"ready": os.getpid()}) + "\n")
    me = os.getpid()
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _run_kernel(request["connection_file"], request["cwd"], request["env"], reply.fileno(), me)
        reply.write(json.dumps({"pid": pid}) + "\n")


class Zygote:
    """A pre-imported Python process that forks kernels on request (POSIX only)."""

    def __init__(self, preload: Sequence[str] = ()) -> None:
        env = {**os.environ, **_THREADS}
        self._lock = threading.Lock()
        # PR_SET_PDEATHSIG follows the thread that starts the zygote: ask for it only from a main thread, which lives
        # as long as its process (a Dask worker runs jobs in threads that it may retire)
        parent = os.getpid() if threading.current_thread() is threading.main_thread() else None
        code = f"from auditkit.batch.kernels import serve; serve({list(preload)!r}, parent={parent!r})"
        self.process = subprocess.Popen(  # only our own interpreter and module: no untrusted command line
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True, bufsize=1,
        )
        self._ready: dict[str, Any] | None = None

    def wait_ready(self) -> None:
        """Block until the imports are done; raise :class:`~auditkit.exceptions.KernelError` when the zygote could not start."""
        if self._ready is None:
            assert self.process.stdout is not None
            line = self.process.stdout.readline()
            self._ready = json.loads(line) if line else {"error": f"exited with code {self.process.wait()}"}
        if "error" in self._ready:
            raise KernelError(f"预先导入的内核母进程（zygote）未能启动：{self._ready['error']}")

    def fork(self, connection_file: str, cwd: str, env: dict[str, str]) -> int:
        """A new kernel process reading ``connection_file``; returns its pid."""
        with self._lock:
            self.wait_ready()
            assert self.process.stdin is not None and self.process.stdout is not None
            try:
                self.process.stdin.write(json.dumps({"connection_file": connection_file, "cwd": cwd, "env": env}) + "\n")
                line = self.process.stdout.readline()
            except OSError:  # a broken pipe: the zygote died after it was ready
                line = ""
        if not line:
            raise KernelError(f"内核母进程（zygote）已退出，退出码 {self.process.wait()}")
        return int(json.loads(line)["pid"])

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class _ForkedProcess:
    """A ``Popen``-like handle on a kernel the zygote forked. It is the zygote's child, not ours: we use signals."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # reaped by the zygote; its exit status is not ours to read
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.01)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _fork_provisioner(zygote: Zygote, km: KernelManager) -> LocalProvisioner:
    """jupyter_client's local provisioner, except that the kernel process comes from ``zygote``."""
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
            cwd = str(kwargs.get("cwd") or Path.cwd())
            env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
            assert self.parent is not None  # the KernelManager, given below
            pid = zygote.fork(self.parent.connection_file, cwd, env)
            # Popen-like: LocalProvisioner only polls, waits and signals it, and reads its pid
            self.process = _ForkedProcess(pid)  # type: ignore[assignment]
            self.pid = self.pgid = pid
            self.cwd = cwd
            return self.connection_info

        async def kill(self, restart: bool = False) -> None:
            await super().kill(restart)
            # jupyter_client then checks every 0.1 s whether it is gone; a killed forked kernel is, in milliseconds
            deadline = time.monotonic() + 5
            while self.process is not None and self.process.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.002)

    return ForkProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)


# --- the pool -------------------------------------------------------------------------------------------


class KernelPool:
    """One spare kernel per worker, started while the current notebook runs; a fresh kernel for every notebook."""

    def __init__(self, cwd: str, fork: bool | None = None, preload: Sequence[str] = ()) -> None:
        self.cwd = cwd
        self.preload = tuple(preload)
        self._owner = os.getpid()  # a forked copy of this pool (a batch worker's) must not stop the owner's kernels
        self.zygote: Zygote | None = None
        if fork if fork is not None else hasattr(os, "fork"):
            try:
                self.zygote = Zygote(self.preload)
            except OSError:
                self.zygote = None
        self._sockets = tempfile.TemporaryDirectory(prefix="auditkit-kernels-")
        self._spare: KernelManager | None = None
        self._thread: threading.Thread | None = None
        atexit.register(self.close)
        # a batch worker ends through multiprocessing, which skips atexit but runs its own finalizers
        multiprocessing.util.Finalize(self, self.close, exitpriority=10)

    def _forked(self) -> KernelManager:
        from jupyter_client.manager import KernelManager

        assert self.zygote is not None
        # IPC sockets in a folder of the pool's own: the kernel is always on this machine, and no port can be taken
        # by another process meanwhile (jupyter_client's default IPC path is relative to each process's folder)
        km = KernelManager(kernel_name="python3", transport="ipc")
        km.kernel_id = str(uuid.uuid4())
        km.ip = str(Path(self._sockets.name) / km.kernel_id[:8])
        km.provisioner = _fork_provisioner(self.zygote, km)
        km.start_kernel(cwd=self.cwd)
        return km

    def _stock(self) -> KernelManager:
        from jupyter_client.manager import KernelManager

        km = KernelManager(kernel_name="python3")
        km.start_kernel(cwd=self.cwd)
        kc = km.client()
        try:
            kc.start_channels()
            kc.wait_for_ready(timeout=60)
            kc.execute_interactive(_WARM_UP.format(specs=list(self.preload)), timeout=120, output_hook=lambda msg: None)
        finally:
            kc.stop_channels()
        return km

    def _start(self) -> KernelManager:
        if self.zygote is not None:
            try:
                km = self._forked()
            except KernelError as exc:  # the zygote could not start or died: stock kernels from now on
                print(f"auditkit: {exc}; starting kernels without the zygote", file=sys.stderr)
                self.zygote = None
            else:
                kc = km.client()
                try:
                    kc.start_channels()
                    kc.wait_for_ready(timeout=60)
                finally:
                    kc.stop_channels()
                return km
        return self._stock()

    def prepare(self) -> None:
        """Start the next kernel in the background."""

        def target() -> None:
            try:
                self._spare = self._start()
            except Exception:  # take() retries in the foreground and raises there
                self._spare = None

        self._thread = threading.Thread(target=target, daemon=True)
        self._thread.start()

    def take(self) -> KernelManager:
        """A ready kernel for the next notebook; the one after it starts at once."""
        if self._thread is not None:
            self._thread.join()
        km, self._spare, self._thread = self._spare, None, None
        if km is None or not km.is_alive():
            km = self._start()
        self.prepare()
        return km

    def memory_mb(self, km: KernelManager) -> float | None:
        """The memory this worker holds while ``km`` runs: this process, its zygote, ``km``'s kernel and the spare.

        Counted as PSS (each shared page divided among the processes sharing it), so pages a forked kernel shares
        with its zygote are counted once. Linux only (``/proc``); None elsewhere.
        """
        pids = [os.getpid()]
        for manager in (km, self._spare):
            process = getattr(getattr(manager, "provisioner", None), "process", None)
            if process is not None:
                pids.append(process.pid)
        if self.zygote is not None:
            pids.append(self.zygote.process.pid)
        total = 0
        for pid in pids:
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except OSError:
                if pid == os.getpid():
                    return None  # not Linux
                continue  # a kernel that just exited
            total += next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
        return round(total / 1024, 1)

    def close(self) -> None:
        """Stop the spare kernel and the zygote (kernels handed out are their takers' to shut down)."""
        if os.getpid() != self._owner:
            return
        if self._thread is not None:
            self._thread.join(timeout=60)
        if self._spare is not None:
            self._spare.shutdown_kernel(now=True)
            self._spare = None
        if self.zygote is not None:
            self.zygote.close()
            self.zygote = None
        self._sockets.cleanup()
