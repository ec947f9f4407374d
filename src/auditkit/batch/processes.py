"""The batch's processes die with their parent, and a stopped batch leaves none behind.

A batch is a tree: ``auditkit run`` → worker processes → each worker's zygote → the kernels it forks. Killing the
top with SIGKILL (an impatient user, a CI runner's time limit, the OOM killer) runs no clean-up of its own, so each
child asks the kernel to kill it when its parent dies: Linux's ``prctl(PR_SET_PDEATHSIG)``, set through ctypes.
The signal is sent when the *thread* that created the child exits, so only children of a long-lived main thread ask
for it. Elsewhere (macOS) nothing is set; a forked kernel still exits when its zygote does (ipykernel's parent
poller), and a stock kernel is shut down by its worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import time
from collections.abc import Iterable
from pathlib import Path

__all__ = ["alive", "descendants", "die_with_parent", "kill_all", "wait_gone"]

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None, signum: int = signal.SIGKILL) -> bool:
    """Ask to receive ``signum`` when the parent dies (Linux); exit at once if ``parent`` already died meanwhile.

    Returns whether it was set. ``parent`` is the parent's pid as the parent knew it before the fork: when it is no
    longer this process's parent, the parent died before the request took effect, and this process exits.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # orphaned before the request: the parent is gone
    return True


def alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        if Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].startswith("Z"):
            return False
    return True


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children, …), from ``/proc``; empty where there is none."""
    children: dict[int, list[int]] = {}
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return []
    for entry in entries:
        try:
            ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(") ", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_all(pids: Iterable[int], wait: float = 3.0) -> list[int]:
    """SIGKILL every process of ``pids`` and wait up to ``wait`` seconds for them to be gone; the pids still alive."""
    pids = list(pids)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    return wait_gone(pids, wait)


def wait_gone(pids: Iterable[int], seconds: float) -> list[int]:
    """Wait up to ``seconds`` for every process of ``pids`` to be gone; the pids still alive."""
    deadline = time.monotonic() + seconds
    left = [p for p in pids if alive(p)]
    while left and time.monotonic() < deadline:
        time.sleep(0.02)
        left = [p for p in left if alive(p)]
    return left
