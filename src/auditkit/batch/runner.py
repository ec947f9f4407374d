"""The batch: run the planned jobs in worker processes (or on a Dask cluster), skip what is unchanged, then write the
manifest and the index. One department's failure fails that department alone."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict
from pathlib import Path
from typing import Any

from auditkit.batch.index import write_index
from auditkit.batch.manifest import read_manifest, tool_versions, write_manifest
from auditkit.batch.plan import Job, Result
from auditkit.batch.worker import init_worker, run_job
from auditkit.data.numbers import format_points
from auditkit.exceptions import AuditkitError
from auditkit.paths import outputs_dir, project_root

__all__ = ["run_batch"]


def run_batch(
    jobs: list[Job],
    *,
    workers: int,
    force: bool = False,
    out_root: Path | None = None,
    progress: Callable[[Result], None] | None = None,
    scheduler: str | None = None,
) -> list[Result]:
    """Run ``jobs`` (skipping those whose inputs and outputs are unchanged), then update the manifest and index.

    With ``scheduler`` (a dask.distributed address such as ``tcp://10.0.0.5:8786``) the notebook executions run
    on that cluster's workers, which must see the same ``data/``, ``notebooks/`` and ``outputs/`` paths.
    """
    out_root = out_root or outputs_dir()
    manifest_path = out_root / "manifest.json"
    manifest = read_manifest(manifest_path)["outputs"]
    _remove_stale_temporaries(out_root)
    results: list[Result] = []
    todo: list[Job] = []
    for job in jobs:
        skipped = None if force else _skipped(job, manifest.get(job.key))
        if skipped is None:
            todo.append(job)
            continue
        results.append(skipped)
        if progress:
            progress(skipped)
    if todo and scheduler:
        results.extend(_run_on_dask(todo, scheduler, progress))
    elif todo:
        results.extend(_run_locally(todo, workers, out_root, progress))
    _record(manifest, results)
    departments = {**read_manifest(manifest_path).get("departments", {}), **_departments(jobs)}
    write_manifest(manifest_path, manifest, departments)
    write_index(out_root, manifest, departments, titles={job.notebook: job.meta.get("report", job.notebook) for job in jobs},
                order=list(dict.fromkeys(job.notebook for job in jobs)))
    order = {job.key: i for i, job in enumerate(jobs)}
    return sorted(results, key=lambda r: order.get(r.key, 0))


def _skipped(job: Job, entry: dict[str, Any] | None) -> Result | None:
    """The job as skipped when its last run was ok, with the same inputs, and its outputs are still there."""
    if not entry or entry.get("status") != "ok" or entry.get("input_hash") != job.input_hash or not _outputs_exist(job):
        return None
    return Result(job.key, job.fiscal_year, job.dept_id, job.notebook, "skipped", job.meta.get("department", ""), job.meta.get("report", ""),
                  input_hash=job.input_hash, html=entry.get("html"), ipynb=entry.get("ipynb"), docx=entry.get("docx"),
                  pdf=entry.get("pdf"))


def _run_locally(jobs: list[Job], workers: int, out_root: Path, progress: Callable[[Result], None] | None) -> list[Result]:
    """Run the jobs in up to ``workers`` worker processes, each with its warm kernels; results as they finish."""
    results = []
    log_dir = str(out_root / ".logs")
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs))), initializer=init_worker,
                             initargs=(log_dir, str(project_root()), jobs[0].preload)) as pool:
        for phase in _phases(jobs):  # a year's summary starts once every department's report has finished
            futures: dict[Future[Result], Job] = {pool.submit(run_job, job): job for job in phase}
            for future in as_completed(futures):
                result = future.result()
                results.append(result)
                if progress:
                    progress(result)
    return results


def _phases(jobs: list[Job]) -> list[list[Job]]:
    """The department jobs, then the year-scope jobs (each phase only when it has jobs)."""
    phases = [[j for j in jobs if j.scope != "year"], [j for j in jobs if j.scope == "year"]]
    return [phase for phase in phases if phase]


def _record(manifest: dict[str, Any], results: list[Result]) -> None:
    """Each job run into the manifest's outputs; a failure keeps the previous good output listed."""
    versions = tool_versions()
    for result in results:
        if result.status == "skipped":
            continue
        previous = manifest.get(result.key, {})
        entry = {k: v for k, v in asdict(result).items() if k not in ("key",)}
        entry["versions"] = versions
        if result.status == "failed" and previous.get("status") == "ok":
            # the previous good output stays in place, and stays listed
            entry.update(html=previous.get("html"), ipynb=previous.get("ipynb"), docx=previous.get("docx"),
                         pdf=previous.get("pdf"), last_ok_hash=previous.get("input_hash"))
        manifest[result.key] = entry


def _run_on_dask(jobs: list[Job], scheduler: str, progress: Callable[[Result], None] | None) -> list[Result]:
    """Send the jobs to a dask.distributed cluster; a failed notebook is a failed Result, as locally."""
    from distributed import Client
    from distributed import as_completed as dask_completed

    results = []
    with Client(scheduler) as client:
        for phase in _phases(jobs):
            futures = client.map(run_job, phase, key=[f"auditkit-{job.key}-{job.input_hash[:12]}" for job in phase], pure=False)
            for future in dask_completed(futures):
                result: Result = future.result()
                results.append(result)
                if progress:
                    progress(result)
    return results


def _departments(jobs: list[Job]) -> dict[str, dict[str, Any]]:
    """Each department's header facts and (total, grade) for the index, by ``year/dept_id``; reused while unchanged.

    The total is the scoring engine's; where it cannot compute one but the report prints a total, that total is
    shown marked as the report's, unchecked; a department that cannot be scored shows "—".
    """
    out: dict[str, dict[str, Any]] = {}
    for job in jobs:
        key = f"{job.fiscal_year}/{job.dept_id}"
        if key in out or job.scope == "year":
            continue
        if job.department_score is not None and job.department_status is not None:
            shown, status = job.department_score, job.department_status
        else:
            shown, status = _evaluated(job)
        out[key] = {"key": job.department_key, "meta": job.department_meta, "score": list(shown), "status": status}
    return out


def _evaluated(job: Job) -> tuple[tuple[str, str], dict[str, Any]]:
    """The department's (total, grade) as the scoring engine gives them, and its review status (draft or final, the
    open errors and warnings of ``check``), for the index; ("—", "—") and no status when it cannot be evaluated."""
    from auditkit.report.year import evaluate  # scoring and reconciling only what changed: imported when needed

    try:
        e = evaluate(Path(job.root or project_root()) / str(job.parameters["data_path"]), str(job.parameters["framework"]))
    except (AuditkitError, KeyError, OSError):
        return ("—", "—"), {}
    card = e.card
    if card is not None and card.total is not None:
        shown = (format_points(card.total), card.grade or "—")
    elif card is not None and card.stated_total is not None:  # e.g. 000: a total printed without indicator scores
        shown = (f"{card.stated_total}（报告所列，未复核）", card.stated_grade or "—")
    else:
        shown = ("—", "—")
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


def _remove_stale_temporaries(out_root: Path) -> None:
    """Leftovers of an interrupted batch: never linked from anywhere, removed before the next one starts."""
    if out_root.exists():
        for pattern in (".*.tmp", ".*.partial.ipynb", ".*.partial.html"):
            for tmp in out_root.rglob(pattern):
                tmp.unlink(missing_ok=True)
