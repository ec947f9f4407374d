"""The batch runner: every notebook × department with papermill, in parallel, incremental, losing nothing.

Each output is written beside its final name and moved into place only when both the executed notebook and its
HTML are complete, so an interrupted or failed run leaves the previous good output untouched. A failed notebook
is kept as ``<notebook>.failed.ipynb`` with papermill's red banner at the failing cell.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# jsonschema imports rfc3987_syntax, when installed (jupyterlab → jupyter_events pulls it in), only to check the "iri"
# string format, which nbformat never asks for; building its grammar costs about 2.5 s in every process. Skip it.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from auditkit.kernels import KernelPool
from auditkit.manifest import (
    atomic_write,
    code_fingerprint,
    hash_files,
    read_manifest,
    tool_versions,
    write_manifest,
)
from auditkit.paths import display, notebooks_dir, outputs_dir, project_root

__all__ = ["NOTEBOOK_TITLES", "Job", "Result", "discover_notebooks", "plan", "run_batch", "run_job"]

#: The analyses, in the order a reviewer reads them, with their Chinese titles.
NOTEBOOK_TITLES: dict[str, str] = {
    "evaluation_report": "部门整体支出绩效评价报告",
    "budget_variance": "预算执行与预决算差异分析",
    "kpi_attainment": "绩效目标完成情况分析",
    "cost_structure": "成本结构分析",
    "scoring": "绩效评分表",
    "data_quality": "数据质量与勾稽校验",
}


@dataclass(frozen=True)
class Job:
    """One notebook for one department-year, with everything a worker process needs."""

    params_file: str
    notebook: str
    notebook_path: str
    fiscal_year: str
    dept_id: str
    parameters: dict[str, Any]
    input_hash: str
    out_dir: str
    root: str = ""
    pdf: bool = False
    meta: dict[str, Any] = field(default_factory=dict)
    #: The department's data, parameters, framework and auditkit, hashed: its header facts and score are reused while
    #: it is unchanged, so that an unchanged re-run loads no department.
    department_key: str = ""
    department_meta: dict[str, Any] = field(default_factory=dict)
    department_score: tuple[str, str] | None = None

    @property
    def key(self) -> str:
        return f"{self.fiscal_year}/{self.dept_id}/{self.notebook}"


@dataclass
class Result:
    """How one job ended: ``ok``, ``failed`` or ``skipped`` (unchanged inputs), with the error a reviewer can read."""

    key: str
    fiscal_year: str
    dept_id: str
    notebook: str
    status: str
    department: str = ""
    seconds: float = 0.0
    input_hash: str = ""
    error: str | None = None
    failed_cell: int | None = None
    html: str | None = None
    ipynb: str | None = None
    failed_ipynb: str | None = None
    pdf: str | None = None
    memory_mb: float | None = None


def discover_notebooks(folder: Path | None = None) -> list[str]:
    """The notebooks under ``notebooks/``, in reading order (known analyses first)."""
    names = [p.stem for p in (folder or notebooks_dir()).glob("*.ipynb")]
    order = list(NOTEBOOK_TITLES)
    return sorted(names, key=lambda n: (order.index(n) if n in order else len(order), n))


def _department_meta(data_path: Path, dept_id: str, fiscal_year: str) -> dict[str, Any]:
    """Header facts for the HTML, read without failing: a broken department still gets a header."""
    from auditkit.exceptions import AuditkitError
    from auditkit.loading import load

    try:
        dept = load(data_path)
    except AuditkitError:
        return {"department": dept_id, "fiscal_year": fiscal_year}
    return {
        "department": dept.department.name,
        "fiscal_year": dept.fiscal_year,
        "evaluator": dept.evaluation.evaluator,
        "kind": dept.evaluation.kind,
        "framework": dept.evaluation.framework,
    }


def plan(params_files: Iterable[Path], notebooks: list[str], out_root: Path, pdf: bool = False) -> list[Job]:
    """Every job of the batch, with the hash of its inputs (data, the prior year's data, parameters, notebook,
    framework, auditkit): changing last year's data re-renders this year's reports, whose 同比 it feeds."""
    from auditkit.params import read_params
    from auditkit.prior_year import find_prior_year

    code = code_fingerprint()
    known = read_manifest(out_root / "manifest.json").get("departments", {})
    jobs = []
    for params_path in params_files:
        params = read_params(params_path)
        year, dept_id = params_path.parent.name, params_path.stem
        data_path = params.data_path
        data_hash = hash_files([data_path]) if data_path.exists() else "missing"
        # the department's own inputs, read once; each notebook's hash adds the notebook and last year's data
        department_key = hash_files([params_path, *_framework_files(params.framework)], extra=f"{data_hash}:{code}")
        seen = known.get(f"{year}/{dept_id}", {})
        base_meta = seen["meta"] if seen.get("key") == department_key and "meta" in seen else _department_meta(data_path, dept_id, year)
        prior = find_prior_year(dept_id, int(year)) if year.isdigit() else None
        prior_hash = hash_files([prior]) if prior is not None else "none"
        for name in notebooks:
            nb_path = notebooks_dir() / f"{name}.ipynb"
            input_hash = hash_files([nb_path], extra=f"{department_key}:{prior_hash}")
            title = NOTEBOOK_TITLES.get(name, name)
            department = base_meta.get("department", dept_id)
            meta = {
                **base_meta,
                "title": f"{department}{base_meta.get('fiscal_year', year)}年度{title}",
                "report": title,
                "notebook": name,
                "data_hash": data_hash,
                "parameters": {k: str(v) for k, v in params.values.items()},
                "params_file": display(params_path),
            }
            if name == "evaluation_report" and base_meta.get("kind") == "自评":
                meta["title"] = f"{department}{base_meta.get('fiscal_year', year)}年度部门整体支出绩效自评报告"
            jobs.append(Job(
                params_file=str(params_path), notebook=name, notebook_path=str(nb_path), fiscal_year=year,
                dept_id=dept_id, parameters=dict(params.values), input_hash=input_hash,
                out_dir=str(out_root / year / dept_id), root=str(project_root()), pdf=pdf, meta=meta,
                department_key=department_key, department_meta=base_meta,
                department_score=tuple(seen["score"]) if seen.get("key") == department_key and "score" in seen else None,
            ))
    return jobs


def _framework_files(framework: str) -> list[Path]:
    candidate = Path(framework)
    if candidate.suffix in (".yaml", ".yml"):
        return [project_root() / candidate]
    shipped = Path(__file__).parent / "frameworks" / f"{framework}.yaml"
    return [shipped] if shipped.exists() else []


# --- the worker ------------------------------------------------------------------------------------------

_EXPORTER: Any = None
_POOL: KernelPool | None = None


def run_job(job: Job) -> Result:
    """Execute one notebook with papermill and render it; runs in a worker process."""
    global _EXPORTER
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from auditkit import __version__
    from auditkit.render import export_html, html_exporter

    out_dir = Path(job.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    final_nb, final_html = out_dir / f"{job.notebook}.ipynb", out_dir / f"{job.notebook}.html"
    failed_nb = out_dir / f"{job.notebook}.failed.ipynb"
    tmp_nb = out_dir / f".{job.notebook}.{os.getpid()}.partial.ipynb"
    result = Result(job.key, job.fiscal_year, job.dept_id, job.notebook, "failed", job.meta.get("department", ""),
                    input_hash=job.input_hash)
    start = time.perf_counter()
    global _POOL
    if _POOL is None or _POOL.cwd != (job.root or str(project_root())):
        if _POOL is not None:
            _POOL.close()
        _POOL = KernelPool(job.root or str(project_root()))
    km = None
    try:
        km = _POOL.take()
        papermill.execute_notebook(
            job.notebook_path, str(tmp_nb), parameters=job.parameters, kernel_name="python3",
            progress_bar=False, log_output=False, km=km,
        )
        executed = nbformat.read(tmp_nb, as_version=4)
        if _EXPORTER is None:
            _EXPORTER = html_exporter()
        page = export_html(executed, {**job.meta, "version": __version__}, _EXPORTER)
        if job.pdf:
            _print_pdf(page, out_dir / f"{job.notebook}.pdf")
            result.pdf = display(out_dir / f"{job.notebook}.pdf")
        atomic_write(final_html, page)
        os.replace(tmp_nb, final_nb)
        failed_nb.unlink(missing_ok=True)
        result.status, result.html, result.ipynb = "ok", display(final_html), display(final_nb)
    except PapermillExecutionError as exc:
        result.error = _short_error(exc.ename, exc.evalue)
        result.failed_cell = exc.exec_count
        if tmp_nb.exists():
            os.replace(tmp_nb, failed_nb)
            result.failed_ipynb = display(failed_nb)
    except Exception as exc:  # one department's failure must not stop the batch
        result.error = _short_error(type(exc).__name__, str(exc) or traceback.format_exc(limit=3))
    finally:
        if km is not None:
            result.memory_mb = _POOL.memory_mb(km)
            km.shutdown_kernel(now=True)
        tmp_nb.unlink(missing_ok=True)
        result.seconds = round(time.perf_counter() - start, 2)
    return result


def _print_pdf(page: str, pdf: Path) -> None:
    """Print the finished page to an A4 PDF through headless Chromium, moved into place only when complete."""
    from auditkit.chromium import print_pdf

    tmp_html = pdf.with_name(f".{pdf.stem}.{os.getpid()}.partial.html")
    tmp_pdf = pdf.with_name(f".{pdf.stem}.{os.getpid()}.tmp")
    try:
        tmp_html.write_text(page, encoding="utf-8")
        print_pdf(tmp_html, tmp_pdf)
        os.replace(tmp_pdf, pdf)
    finally:
        tmp_html.unlink(missing_ok=True)
        tmp_pdf.unlink(missing_ok=True)


def _short_error(ename: str, evalue: str) -> str:
    lines = [line for line in str(evalue).splitlines() if line.strip()]
    shown = "\n".join(lines[:12]) + (f"\n……（共 {len(lines)} 行）" if len(lines) > 12 else "")
    return f"{ename}: {shown}"


# --- the batch ------------------------------------------------------------------------------------------


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
    from auditkit.index import write_index

    out_root = out_root or outputs_dir()
    manifest_path = out_root / "manifest.json"
    manifest = read_manifest(manifest_path)["outputs"]
    _remove_stale_temporaries(out_root)
    results: list[Result] = []
    todo: list[Job] = []
    for job in jobs:
        entry = manifest.get(job.key)
        if not force and entry and entry.get("status") == "ok" and entry.get("input_hash") == job.input_hash and _outputs_exist(job):
            result = Result(job.key, job.fiscal_year, job.dept_id, job.notebook, "skipped", job.meta.get("department", ""),
                            input_hash=job.input_hash, html=entry.get("html"), ipynb=entry.get("ipynb"))
            results.append(result)
            if progress:
                progress(result)
        else:
            todo.append(job)
    if todo and scheduler:
        results.extend(_run_on_dask(todo, scheduler, progress))
    elif todo:
        log_dir = str(out_root / ".logs")
        with ProcessPoolExecutor(max_workers=max(1, min(workers, len(todo))), initializer=_init_worker, initargs=(log_dir, str(project_root()))) as pool:
            futures: dict[Future[Result], Job] = {pool.submit(run_job, job): job for job in todo}
            for future in as_completed(futures):
                result = future.result()
                results.append(result)
                if progress:
                    progress(result)
    versions = tool_versions()
    for result in results:
        if result.status == "skipped":
            continue
        previous = manifest.get(result.key, {})
        entry = {k: v for k, v in asdict(result).items() if k not in ("key",)}
        entry["versions"] = versions
        if result.status == "failed" and previous.get("status") == "ok":
            # the previous good output stays in place, and stays listed
            entry.update(html=previous.get("html"), ipynb=previous.get("ipynb"), last_ok_hash=previous.get("input_hash"))
        manifest[result.key] = entry
    departments = {**read_manifest(manifest_path).get("departments", {}), **_departments(jobs)}
    write_manifest(manifest_path, manifest, departments)
    scores = {tuple(key.split("/", 1)): tuple(entry["score"]) for key, entry in departments.items()}
    write_index(out_root, manifest, scores)
    order = {job.key: i for i, job in enumerate(jobs)}
    return sorted(results, key=lambda r: order.get(r.key, 0))


def _run_on_dask(jobs: list[Job], scheduler: str, progress: Callable[[Result], None] | None) -> list[Result]:
    """Send the jobs to a dask.distributed cluster; a failed notebook is a failed Result, as locally."""
    from distributed import Client
    from distributed import as_completed as dask_completed

    results = []
    with Client(scheduler) as client:
        futures = client.map(run_job, jobs, key=[f"auditkit-{job.key}-{job.input_hash[:12]}" for job in jobs], pure=False)
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
    from auditkit.exceptions import AuditkitError
    from auditkit.frameworks import format_points, load_framework
    from auditkit.loading import load
    from auditkit.scoring import score

    out: dict[str, dict[str, Any]] = {}
    for job in jobs:
        key = f"{job.fiscal_year}/{job.dept_id}"
        if key in out:
            continue
        shown = job.department_score
        if shown is None:
            try:
                data = Path(job.root or project_root()) / str(job.parameters["data_path"])
                card = score(load(data), load_framework(str(job.parameters["framework"])))
                if card.total is not None:
                    shown = (format_points(card.total), card.grade or "—")
                elif card.stated_total is not None:  # e.g. 000: a total printed without indicator scores to check it
                    shown = (f"{card.stated_total}（报告所列，未复核）", card.stated_grade or "—")
                else:
                    shown = ("—", "—")
            except (AuditkitError, KeyError, OSError):
                shown = ("—", "—")
        out[key] = {"key": job.department_key, "meta": job.department_meta, "score": list(shown)}
    return out


def _outputs_exist(job: Job) -> bool:
    out_dir = Path(job.out_dir)
    wanted = [".ipynb", ".html", *([".pdf"] if job.pdf else [])]
    return all((out_dir / f"{job.notebook}{suffix}").exists() for suffix in wanted)


def _remove_stale_temporaries(out_root: Path) -> None:
    """Leftovers of an interrupted batch: never linked from anywhere, removed before the next one starts."""
    if out_root.exists():
        for pattern in (".*.tmp", ".*.partial.ipynb", ".*.partial.html"):
            for tmp in out_root.rglob(pattern):
                tmp.unlink(missing_ok=True)


def _init_worker(log_dir: str, cwd: str) -> None:
    """Send a worker's stderr (and its kernels' warnings) to outputs/.logs/, and start warming its first kernel."""
    global _POOL, _EXPORTER
    Path(log_dir).mkdir(parents=True, exist_ok=True)
    handle = open(Path(log_dir) / f"worker-{os.getpid()}.log", "ab", buffering=0)  # noqa: SIM115 - lives with the process
    os.dup2(handle.fileno(), 2)
    _POOL = KernelPool(cwd)
    _POOL.prepare()
    from auditkit.render import html_exporter

    _EXPORTER = html_exporter()
