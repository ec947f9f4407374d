"""The batch: run the planned jobs in worker processes (or on a Dask cluster), skip what is unchanged, then write the
manifest and the index. One department's failure fails that department alone.

What a run promises under faults (the README says it for the user):

- it checks before any work that ``outputs/`` can be written and the Dask scheduler answers (:func:`preflight`);
- it holds ``outputs/``'s lock (:mod:`auditkit.batch.lock`) while it reads and writes the manifest; a second run
  waits; a run removes only temporaries whose writing process is gone, never another live run's;
- a job refused at planning (parameters, data that does not validate) fails without a kernel;
- a worker that dies (SIGKILL, the OOM killer) fails the job it held; the pool is replaced, the rest goes on;
- the first SIGINT or SIGTERM starts nothing new, kills the workers, their zygotes and kernels, writes the manifest and
  the index for what finished and raises :class:`~auditkit.exceptions.BatchInterrupted` listing what was stopped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from auditkit.batch.index import write_index
from auditkit.batch.lock import outputs_lock
from auditkit.batch.manifest import read_manifest, tool_versions, write_manifest
from auditkit.batch.plan import DEFAULT_TIMEOUT, Job, Result
from auditkit.batch.processes import alive, descendants, kill_all
from auditkit.batch.worker import init_worker, pool_job, run_job
from auditkit.data.numbers import format_points
from auditkit.exceptions import BatchError, BatchInterrupted
from auditkit.paths import display, outputs_dir, params_dir, project_root

__all__ = ["preflight", "run_batch"]

#: How long past its own time limit a job may hold its worker (kernel start, rendering) before the worker is killed.
_OVERRUN = 60.0
#: How often the batch looks at its workers, and at a signal, while it waits for results.
_TICK = 0.2
_TEMPORARIES = (".*.tmp", ".*.partial.ipynb", ".*.partial.html")


def run_batch(
    jobs: list[Job],
    *,
    workers: int,
    force: bool = False,
    out_root: Path | None = None,
    progress: Callable[[Result], None] | None = None,
    scheduler: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[Result]:
    """Run ``jobs`` (skipping those whose inputs and outputs are unchanged), then update the manifest and index.

    With ``scheduler`` (a dask.distributed address such as ``tcp://10.0.0.5:8786``) the notebook executions run
    on that cluster's workers, which must see the same ``data/``, ``notebooks/`` and ``outputs/`` paths. ``timeout``
    is each notebook's time limit in seconds (0: none). Raises :class:`~auditkit.exceptions.BatchError` before any
    work when the batch cannot run, and :class:`~auditkit.exceptions.BatchInterrupted` when a signal stopped it.
    """
    out_root = out_root or outputs_dir()
    preflight(out_root, scheduler)
    jobs = [replace(job, timeout=timeout) for job in jobs]
    with _signals() as stop, outputs_lock(out_root, stop=lambda: stop.signum, pending=[job.key for job in jobs]):
        manifest_path = out_root / "manifest.json"
        previous = read_manifest(manifest_path)
        manifest = previous["outputs"]
        _remove_stale_temporaries(out_root)
        results: list[Result] = []
        todo: list[Job] = []
        for job in jobs:
            done = _refused(job) if job.problem else None if force else _skipped(job, manifest.get(job.key))
            if done is None:
                todo.append(job)
                continue
            results.append(done)
            if progress:
                progress(done)
        outcome = _Outcome()
        run = _run_on_dask if scheduler else _run_locally
        for phase in _phases(todo):  # a year's summary starts once every department's report has finished
            if stop.signum is not None:
                break
            outcome = run(phase, workers, out_root, scheduler, stop, progress)
            results.extend(outcome.results)
        _record(manifest, results, jobs)
        _prune(manifest, out_root, {job.key for job in jobs})
        # stopped by a signal: no department is loaded and scored now (seconds each); the next run does it
        departments = {**previous.get("departments", {}), **_departments(jobs, compute=stop.signum is None)}
        departments = {k: v for k, v in departments.items() if any(key.startswith(f"{k}/") for key in manifest)}
        write_manifest(manifest_path, manifest, departments)
        write_index(out_root, manifest, departments, titles={job.notebook: job.meta.get("report", job.notebook) for job in jobs},
                    order=list(dict.fromkeys(job.notebook for job in jobs)))
        _remove_stale_temporaries(out_root)
        order = {job.key: i for i, job in enumerate(jobs)}
        results = sorted(results, key=lambda r: order.get(r.key, 0))
        if stop.signum is not None:
            finished = {r.key for r in results}
            pending = [job.key for job in todo if job.key not in finished and job.key not in outcome.running]
            raise BatchInterrupted(stop.signum, list(results), sorted(outcome.running, key=lambda k: order.get(k, 0)), pending)
    return results


# --- before any work --------------------------------------------------------------------------------------------


def preflight(out_root: Path, scheduler: str | None = None) -> None:
    """Raise :class:`BatchError` when the batch could not finish: ``outputs/`` not writable, the manifest a folder,
    the scheduler unreachable. Nothing is run, nothing written but a probe file removed at once."""
    try:
        out_root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out_root, prefix=f".probe.{os.getpid()}.", suffix=".tmp"):
            pass
    except OSError as exc:
        raise BatchError(f"无法写入 {display(out_root)}（{exc.strerror or exc}）：报告写不进去，未运行任何笔记本。"
                         "请检查该文件夹的权限（如 chmod u+w）与磁盘空间，或换一个可写的项目文件夹") from exc
    for name in ("manifest.json", "index.html"):
        if (out_root / name).is_dir():
            raise BatchError(f"{display(out_root / name)} 是一个文件夹，批处理无法写出它，未运行任何笔记本。"
                             "请删除或改名该文件夹后重试")
    if scheduler:
        _check_scheduler(scheduler)


def _check_scheduler(address: str) -> None:
    """Connect to the Dask scheduler once, with a short timeout; a clear message when it does not answer."""
    from distributed import Client

    try:
        with Client(address, timeout="5s"):
            pass
    except (OSError, TimeoutError, ValueError) as exc:
        raise BatchError(f"无法连接 Dask 调度器 {address}（{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}），"
                         "未运行任何笔记本。请确认调度器已启动（dask scheduler）、地址与端口正确且本机能访问；"
                         "或去掉 --scheduler 在本机运行") from exc


# --- signals ------------------------------------------------------------------------------------------------------


@dataclass
class _Stop:
    """The first SIGINT or SIGTERM received while the batch runs (None: none)."""

    signum: int | None = None


@contextlib.contextmanager
def _signals() -> Iterator[_Stop]:
    """SIGINT and SIGTERM only set :class:`_Stop` while the batch runs: the batch then winds down in order.

    Later signals change nothing (the wind-down takes a few seconds). Outside the main thread, nothing is installed.
    """
    stop = _Stop()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, frame: object) -> None:
        if stop.signum is None:
            stop.signum = signum

    saved = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for s, previous in saved.items():
            signal.signal(s, previous)


# --- running -------------------------------------------------------------------------------------------------------


@dataclass
class _Outcome:
    results: list[Result] = field(default_factory=list)
    running: list[str] = field(default_factory=list)  # stopped by a signal mid-way


def _result(job: Job, error: str, *, timed_out: bool = False) -> Result:
    return Result(job.key, job.fiscal_year, job.dept_id, job.notebook, "failed", job.meta.get("department", ""),
                  job.meta.get("report", ""), input_hash=job.input_hash, error=error, timed_out=timed_out)


def _refused(job: Job) -> Result:
    """A job refused at planning: failed with its problem, without a kernel; an earlier failure's notebook goes."""
    (Path(job.out_dir) / f"{job.notebook}.failed.ipynb").unlink(missing_ok=True)
    return _result(job, job.problem or "")


class _Pool:
    """A process pool whose workers say which job each holds (claim files), so that a dead worker fails its job."""

    def __init__(self, jobs: list[Job], workers: int, out_root: Path) -> None:
        self.claims = Path(tempfile.mkdtemp(prefix="auditkit-claims-"))
        self.executor = ProcessPoolExecutor(
            max_workers=max(1, min(workers, len(jobs))), initializer=init_worker,
            initargs=(str(out_root / ".logs"), str(project_root()), jobs[0].preload, os.getpid(), str(self.claims)))
        self.futures: dict[Future[Result], Job] = {self.executor.submit(pool_job, job): job for job in jobs}
        self.overdue: set[str] = set()

    def processes(self) -> dict[int, Any]:
        return dict(getattr(self.executor, "_processes", None) or {})

    def held(self) -> dict[int, tuple[str, float]]:
        """Which job each worker holds, and since when: pid → (key, start)."""
        import json

        out = {}
        for claim in self.claims.glob("*"):
            with contextlib.suppress(OSError, ValueError, KeyError):
                data = json.loads(claim.read_text(encoding="utf-8"))
                out[int(claim.name)] = (str(data["key"]), float(data["start"]))
        return out

    def stop_overdue(self, limit: float) -> None:
        """Kill a worker whose job has held it past ``limit`` seconds: its kernel did not stop at the deadline."""
        for pid, (key, start) in self.held().items():
            if time.time() - start > limit and key not in self.overdue:
                self.overdue.add(key)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)

    def kill(self) -> None:
        """Kill every worker and everything below it (zygotes, kernels), and wait until they are gone."""
        pids = list(self.processes())
        tree = [p for pid in pids for p in descendants(pid)]
        self.executor.shutdown(wait=False, cancel_futures=True)
        kill_all([*pids, *tree])

    def close(self) -> None:
        shutil.rmtree(self.claims, ignore_errors=True)


def _phases(jobs: list[Job]) -> list[list[Job]]:
    """The department jobs, then the year-scope jobs (each phase only when it has jobs)."""
    phases = [[j for j in jobs if j.scope != "year"], [j for j in jobs if j.scope == "year"]]
    return [phase for phase in phases if phase]


def _run_locally(jobs: list[Job], workers: int, out_root: Path, scheduler: str | None, stop: _Stop,
                 progress: Callable[[Result], None] | None) -> _Outcome:
    """Run the jobs in up to ``workers`` worker processes, each with its warm kernels; results as they finish.

    A worker that dies fails the job it held; the pool is replaced and the other jobs run again in the new one (a job
    that was in flight when two pools broke, and could not be told apart from the culprit, fails too).
    """
    outcome = _Outcome()
    todo = list(jobs)
    suspected: dict[str, int] = {}
    while todo and stop.signum is None:
        pool = _Pool(todo, workers, out_root)
        try:
            todo = _drain(pool, stop, progress, outcome, suspected)
        finally:
            if stop.signum is not None:
                outcome.running = [key for key, _ in pool.held().values()]
            if todo or stop.signum is not None:
                pool.kill()
            else:
                pool.executor.shutdown(wait=True)
            pool.close()
    return outcome


def _drain(pool: _Pool, stop: _Stop, progress: Callable[[Result], None] | None, outcome: _Outcome,
           suspected: dict[str, int]) -> list[Job]:
    """Collect the pool's results until it is done, broken or stopped; the jobs to run again in a new pool."""
    limit = max(job.timeout for job in pool.futures.values())
    while pool.futures and stop.signum is None:
        done, _ = wait(pool.futures, timeout=_TICK, return_when=FIRST_COMPLETED)
        if limit > 0:
            pool.stop_overdue(limit + _OVERRUN)
        held = pool.held()
        broken = False
        for future in done:
            job = pool.futures.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool:
                broken = True
                pool.futures[future] = job  # decided below, with the others the broken pool lost
                continue
            except Exception as exc:  # a job's result that could not come back (unpicklable): that job alone
                result = _result(job, f"{type(exc).__name__}: {exc}")
            outcome.results.append(result)
            if progress:
                progress(result)
        if broken:
            return _after_break(pool, held, stop, progress, outcome, suspected)
    return []


def _after_break(pool: _Pool, held: dict[int, tuple[str, float]], stop: _Stop,
                 progress: Callable[[Result], None] | None, outcome: _Outcome, suspected: dict[str, int]) -> list[Job]:
    """The pool broke: fail the job whose worker died (not one the pool then terminated), rerun the others."""
    if stop.signum is not None:
        return []
    time.sleep(_TICK)  # let the pool finish terminating its other workers, so that their exit codes are known
    held = {**held, **pool.held()}
    codes = {pid: getattr(process, "exitcode", None) for pid, process in pool.processes().items()}
    culprits = {key: (pid, codes.get(pid)) for pid, (key, _) in held.items()
                if codes.get(pid) not in (None, 0, -signal.SIGTERM)}
    lost = list(pool.futures.values())
    pool.futures.clear()
    again = []
    for job in lost:
        if job.key in culprits or job.key in pool.overdue:
            pid, code = culprits.get(job.key, (None, None))
            suspected[job.key] = 99
        else:
            suspected[job.key] = suspected.get(job.key, 0) + (0 if culprits else 1)
            if suspected[job.key] < 2:
                again.append(job)
                continue
            pid, code = None, None
        result = _worker_died(job, pid, code, overdue=job.key in pool.overdue)
        outcome.results.append(result)
        if progress:
            progress(result)
    return again


def _worker_died(job: Job, pid: int | None, code: int | None, *, overdue: bool) -> Result:
    if overdue:
        return _result(job, f"超时：笔记本 {job.notebook}（{job.meta.get('report') or job.notebook}）运行超过 "
                            f"{job.timeout:g} 秒，且内核中断后仍未结束，工作进程已被终止（可用 --timeout 秒数 调整上限）",
                       timed_out=True)
    how = ""
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            how = f"，信号 {signal.Signals(-code).name}"
    return _result(job, f"工作进程{f'（进程 {pid}{how}）' if pid else ''}在运行笔记本 {job.notebook} 时意外退出，"
                        "常见原因是内存不足被系统终止（OOM）；其余报告照常继续。可单独重跑："
                        f"auditkit run {display(job.params_file)} --only {job.notebook}")


def _run_on_dask(jobs: list[Job], workers: int, out_root: Path, scheduler: str | None, stop: _Stop,
                 progress: Callable[[Result], None] | None) -> _Outcome:
    """Send the jobs to a dask.distributed cluster; a failed notebook is a failed Result, as locally.

    A signal cancels what has not finished (a notebook already running on a worker machine runs to its end there,
    into its temporary files, which are never published)."""
    from distributed import Client
    from distributed import wait as dask_wait

    outcome = _Outcome()
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise BatchError(f"无法连接 Dask 调度器 {scheduler}（{exc}）") from exc
    with client:
        futures = client.map(run_job, jobs, key=[f"auditkit-{job.key}-{job.input_hash[:12]}" for job in jobs], pure=False)
        by_key = dict(zip((f.key for f in futures), jobs, strict=True))
        remaining = set(futures)
        while remaining and stop.signum is None:
            try:
                done, remaining = dask_wait(list(remaining), timeout=_TICK, return_when="FIRST_COMPLETED")
            except TimeoutError:  # nothing finished in this tick
                continue
            for future in done:
                job = by_key[future.key]
                try:
                    result: Result = future.result()
                except Exception as exc:  # a worker lost, or a result that could not come back: that job alone
                    result = _result(job, f"Dask 工作进程未能完成该报告（{type(exc).__name__}: {exc}）")
                outcome.results.append(result)
                if progress:
                    progress(result)
        if stop.signum is not None:  # a client cannot tell a queued task from a running one: all are "not finished"
            client.cancel(list(remaining))
    return outcome


# --- recording ---------------------------------------------------------------------------------------------------


def _record(manifest: dict[str, Any], results: list[Result], jobs: list[Job]) -> None:
    """Each job run into the manifest's outputs; a failure keeps the previous good output listed."""
    versions = tool_versions()
    params = {job.key: job.params_file for job in jobs}
    for result in results:
        if result.status == "skipped":
            continue
        previous = manifest.get(result.key, {})
        entry = {k: v for k, v in asdict(result).items() if k not in ("key",)}
        entry["versions"] = versions
        entry["params_file"] = params.get(result.key)
        if result.status == "failed" and previous.get("status") == "ok":
            # the previous good output stays in place, and stays listed
            entry.update(html=previous.get("html"), ipynb=previous.get("ipynb"), docx=previous.get("docx"),
                         pdf=previous.get("pdf"), last_ok_hash=previous.get("input_hash"))
        manifest[result.key] = entry


def _prune(manifest: dict[str, Any], out_root: Path, planned: set[str]) -> None:
    """Drop the entries of reports this run did not plan whose parameters file is gone (a removed department), or
    whose output is gone (deleted by hand): the index lists what exists."""
    for key in [k for k in manifest if k not in planned]:
        entry = manifest[key]
        parts = key.split("/")
        if len(parts) == 2:  # a year's summary: gone with the year's last parameters file
            params_ok = any((params_dir() / parts[0]).glob("*.yaml"))
            output = out_root / parts[0] / f"{parts[1]}.html"
        else:
            year, dept_id, notebook = key.split("/", 2)
            params_ok = Path(entry.get("params_file") or params_dir() / year / f"{dept_id}.yaml").is_file()
            output = out_root / year / dept_id / f"{notebook}.html"
        if not params_ok or (entry.get("status") == "ok" and not output.is_file()):
            del manifest[key]


def _skipped(job: Job, entry: dict[str, Any] | None) -> Result | None:
    """The job as skipped when its last run was ok, with the same inputs, and its outputs are still there."""
    if not entry or entry.get("status") != "ok" or entry.get("input_hash") != job.input_hash or not _outputs_exist(job):
        return None
    return Result(job.key, job.fiscal_year, job.dept_id, job.notebook, "skipped", job.meta.get("department", ""), job.meta.get("report", ""),
                  input_hash=job.input_hash, html=entry.get("html"), ipynb=entry.get("ipynb"), docx=entry.get("docx"),
                  pdf=entry.get("pdf"))


def _departments(jobs: list[Job], *, compute: bool = True) -> dict[str, dict[str, Any]]:
    """Each department's header facts, (total, grade) and review status for the index, by ``year/dept_id``; reused
    while unchanged.

    The total is the scoring engine's; where it cannot compute one but the report prints a total, that total is
    shown marked as the report's, unchecked; a department that cannot be scored shows "—". The status says whether
    the report is a draft and how many ``check`` errors and warnings are open. A department whose data does not load
    keeps its problem, so that it is not validated again while unchanged. Without ``compute``, only the departments
    whose score and status are known already are given.
    """
    out: dict[str, dict[str, Any]] = {}
    for job in jobs:
        key = f"{job.fiscal_year}/{job.dept_id}"
        if key in out or job.scope == "year":
            continue
        shown, status = job.department_score, job.department_status
        known = shown is not None and status is not None
        if not known and job.department_problem is None and not compute:
            continue
        if not known and job.department_problem is None:
            shown, status = _evaluated(job)
        out[key] = {"key": job.department_key, "meta": job.department_meta, "score": list(shown or ("—", "—")),
                    "status": status or {}, "problem": job.department_problem}
    return out


def _evaluated(job: Job) -> tuple[tuple[str, str] | None, dict[str, Any] | None]:
    """The department's (total, grade) and review status (draft or final, open errors and warnings), evaluated as
    its reports are (:func:`auditkit.report.year.evaluate`); (None, None) when it cannot be."""
    from auditkit.report.year import evaluate  # scoring and reconciling only what changed: imported when needed

    try:
        e = evaluate(Path(job.root or project_root()) / str(job.parameters["data_path"]), str(job.parameters["framework"]))
    except Exception:  # a department that cannot be evaluated (or crashes it) shows no score, nothing else
        return None, None
    card = e.card
    shown: tuple[str, str] | None = None
    if card is not None and card.total is not None:
        shown = (format_points(card.total), card.grade or "—")
    elif card is not None and card.stated_total is not None:  # e.g. 000: a total printed without indicator scores
        shown = (f"{card.stated_total}（报告所列，未复核）", card.stated_grade or "—")
    review = e.review
    status = {"draft": e.draft, "errors": len(review.open_errors) if review else None,
              "warnings": len(review.open_warnings) if review else None,
              "verified": card is not None and card.total is not None, "framework": e.framework.id,
              "grades": [g.name for g in e.framework.grades]}
    return shown, status


def _outputs_exist(job: Job) -> bool:
    out_dir = Path(job.out_dir)
    wanted = [".ipynb", ".html", *([".docx"] if job.docx else []), *([".pdf"] if job.pdf else [])]
    return all((out_dir / f"{job.notebook}{suffix}").exists() for suffix in wanted)


def _writer(tmp: Path) -> int | None:
    """The pid in a temporary's name (``.<name>.<pid>.partial.ipynb``, ``.<name>.<pid>.<random>.tmp``)."""
    parts = tmp.name.split(".")
    numbers = [p for p in parts[2:] if p.isdigit()]
    return int(numbers[0]) if numbers else None


def _remove_stale_temporaries(out_root: Path) -> None:
    """Leftovers of a process that is gone (an interrupted batch, a killed worker): never linked from anywhere.

    Only a temporary whose writing process (the pid in its name) no longer exists is removed, so a run never removes
    another live process's file; one without a pid in its name is left alone."""
    if not out_root.exists():
        return
    for pattern in _TEMPORARIES:
        for tmp in out_root.rglob(pattern):
            pid = _writer(tmp)
            if pid is not None and pid != os.getpid() and not alive(pid):
                tmp.unlink(missing_ok=True)
