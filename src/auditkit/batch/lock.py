"""One batch at a time on an ``outputs/`` folder: ``outputs/.auditkit.lock``.

Two runs at once on one folder would interleave their temporaries and each write a manifest read before the other
finished, so one's departments would vanish from it. A run therefore holds an exclusive lock on the folder's lock file
from before it reads the manifest until after it has written the manifest and the index. A second run *waits* for
the first to finish (saying who holds the lock), then runs, and finds the first's outputs up to date: like two
``make`` calls in a row, every department ends in the manifest.

The lock is ``flock(2)`` on the file, which the system releases when its holder dies in any way (even SIGKILL), so a
lock is never left behind. The holder writes its pid, host and start into the file, for the message a waiting run
prints; a file that still names a holder when the lock is free is a stale lock (that holder died without releasing
it), which the next run says and takes over.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path

from auditkit.exceptions import BatchError, BatchInterrupted
from auditkit.paths import display

__all__ = ["LOCK_FILE", "outputs_lock"]

LOCK_FILE = ".auditkit.lock"


def _holder(fd: int) -> dict[str, object]:
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8", "replace")
        data = json.loads(text) if text.strip() else {}
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _describe(holder: dict[str, object]) -> str:
    if not holder:
        return "另一个 auditkit run"
    return f"另一个 auditkit run（进程 {holder.get('pid')}，主机 {holder.get('host')}，开始于 {holder.get('started')}）"


def _try_lock(fd: int, path: Path) -> bool:
    """Take the lock if it is free (True); False while another process holds it. On a file system without locks
    (some network mounts) the run goes on unlocked, and says so."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        print(f"警告：无法对 {display(path)} 加锁（{exc.strerror or exc}），本次不加锁运行；"
              "请勿同时对同一 outputs/ 运行两个批处理", file=sys.stderr, flush=True)
    return True


@contextlib.contextmanager
def outputs_lock(out_root: Path, *, stop: Callable[[], int | None] = lambda: None, pending: Sequence[str] = (),
                 poll: float = 0.2) -> Iterator[None]:
    """Hold ``out_root``'s lock for the block, waiting (polling every ``poll`` s) while another run holds it.

    ``stop`` is asked while waiting: when it gives a signal's number (a Ctrl-C meanwhile), the wait ends with
    :class:`BatchInterrupted`, every job of ``pending`` not started.
    """
    path = out_root / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise BatchError(f"无法创建锁文件 {display(path)}（{exc.strerror or exc}）：请检查 {display(out_root)} 的权限与磁盘空间") from exc
    try:
        said = False
        while not _try_lock(fd, path):
            if not said:
                print(f"{display(out_root)} 正被{_describe(_holder(fd))}使用；等它结束后再运行（Ctrl-C 放弃）……",
                      file=sys.stderr, flush=True)
                said = True
            signum = stop()
            if signum is not None:
                raise BatchInterrupted(signum, [], [], list(pending))
            time.sleep(poll)
        stale = _holder(fd)
        if stale and stale.get("pid") != os.getpid():
            print(f"注意：{display(path)} 记录的上一次运行（进程 {stale.get('pid')}，开始于 {stale.get('started')}）"
                  "未正常结束；其锁已失效，本次接管", file=sys.stderr, flush=True)
        record = {"pid": os.getpid(), "host": socket.gethostname(), "started": datetime.now().isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode("utf-8"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # released in order: no holder named, so the next run sees no stale lock
            with contextlib.suppress(OSError):  # (unlocked on a file system without locks)
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
