"""One job in a worker process: execute the notebook with papermill in a warm kernel, render it, move it into place.

The executed notebook, its HTML and its Word document (and PDF) are written beside their final names and moved into
place only when all are complete, so a failed or interrupted job leaves the previous good output untouched. A notebook that fails is kept as
``<notebook>.failed.ipynb``, with papermill's red banner at the failing cell: the evaluator's first clue.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from auditkit.batch.kernels import KernelPool
from auditkit.batch.manifest import atomic_write
from auditkit.batch.plan import Job, Result
from auditkit.paths import display, project_root

if TYPE_CHECKING:  # nbconvert is imported by the first job, not by the batch that plans the jobs
    from nbconvert import HTMLExporter

__all__ = ["init_worker", "run_job", "skip_unused_iri_grammar"]

_EXPORTER: HTMLExporter | None = None
_POOL: KernelPool | None = None


def skip_unused_iri_grammar() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax``, which costs about 2.5 s in every process that imports it.

    papermill and nbconvert validate notebooks with nbformat, which imports jsonschema; jsonschema imports
    ``rfc3987_syntax``, when installed (jupyterlab → jupyter_events pulls it in), only to check the "iri" string
    format, which no notebook schema asks for, and builds its Lark grammar at import. Marking the module absent makes
    jsonschema skip that format checker. It must run before jsonschema is first imported, so each process that runs
    notebooks calls it first: a batch worker when it starts, and :func:`run_job` (a Dask worker starts no other way).
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def run_job(job: Job) -> Result:
    """Execute one notebook with papermill and render it; runs in a worker process."""
    skip_unused_iri_grammar()
    import papermill
    from papermill.exceptions import PapermillExecutionError

    out_dir = Path(job.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    failed_nb = out_dir / f"{job.notebook}.failed.ipynb"
    tmp_nb = out_dir / f".{job.notebook}.{os.getpid()}.partial.ipynb"
    result = Result(job.key, job.fiscal_year, job.dept_id, job.notebook, "failed", job.meta.get("department", ""), job.meta.get("report", ""),
                    input_hash=job.input_hash)
    start = time.perf_counter()
    pool = _kernel_pool(job)
    km = None
    try:
        km = pool.take()
        papermill.execute_notebook(
            job.notebook_path, str(tmp_nb), parameters=job.parameters, kernel_name="python3",
            progress_bar=False, log_output=False, km=km,
        )
        _publish(job, tmp_nb, failed_nb, result)
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
            result.memory_mb = pool.memory_mb(km)
            km.shutdown_kernel(now=True)
        tmp_nb.unlink(missing_ok=True)
        result.seconds = round(time.perf_counter() - start, 2)
    return result


def _kernel_pool(job: Job) -> KernelPool:
    """This process's kernel pool, started afresh when the job runs in another project folder."""
    global _POOL
    cwd = job.root or str(project_root())
    if _POOL is None or _POOL.cwd != cwd:
        if _POOL is not None:
            _POOL.close()
        _POOL = KernelPool(cwd, preload=job.preload)
    return _POOL


def _publish(job: Job, executed: Path, failed: Path, result: Result) -> None:
    """Render the executed notebook to HTML (and PDF), move both into place and drop an earlier failure's notebook;
    the job is then ``ok``."""
    global _EXPORTER
    import nbformat

    from auditkit import __version__
    from auditkit.report.render import export_html, html_exporter

    out_dir = Path(job.out_dir)
    final_nb, final_html = out_dir / f"{job.notebook}.ipynb", out_dir / f"{job.notebook}.html"
    notebook = nbformat.read(executed, as_version=4)
    # the report's facts and provenance (title, department, data fingerprint, how to reproduce) travel with the
    # executed notebook, the audit trail, so that `jupyter nbconvert --to auditkit` renders it as the batch does
    notebook.metadata["auditkit"] = {**notebook.metadata.get("auditkit", {}), **job.meta, "version": __version__}
    nbformat.write(notebook, executed)
    if _EXPORTER is None:
        _EXPORTER = html_exporter()
    page = export_html(notebook, notebook.metadata["auditkit"], _EXPORTER)
    word = _word(notebook) if job.docx else None  # written in memory first: a failure here replaces nothing
    if job.pdf:
        _print_pdf(page, out_dir / f"{job.notebook}.pdf")
        result.pdf = display(out_dir / f"{job.notebook}.pdf")
    if word is not None:
        atomic_write(out_dir / f"{job.notebook}.docx", word)
        result.docx = display(out_dir / f"{job.notebook}.docx")
    else:  # an earlier run's document would no longer match the new page
        (out_dir / f"{job.notebook}.docx").unlink(missing_ok=True)
    atomic_write(final_html, page)
    os.replace(executed, final_nb)
    failed.unlink(missing_ok=True)
    result.status, result.html, result.ipynb = "ok", display(final_html), display(final_nb)


def _word(notebook: object) -> bytes:
    """The executed notebook as a Word document (:mod:`auditkit.report.docx`), from the same blocks as the HTML."""
    from auditkit.report.docx import docx_bytes

    return docx_bytes(notebook)  # type: ignore[arg-type]  # an nbformat NotebookNode is a Mapping


def _print_pdf(page: str, pdf: Path) -> None:
    """Print the finished page to an A4 PDF through headless Chromium, moved into place only when complete."""
    from auditkit.report.chromium import print_pdf  # only a PDF run pays for it

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


def init_worker(log_dir: str, cwd: str, preload: tuple[str, ...]) -> None:
    """A worker process's start: its stderr (and its kernels' warnings) to outputs/.logs/, its first kernel warming."""
    global _POOL, _EXPORTER
    skip_unused_iri_grammar()
    Path(log_dir).mkdir(parents=True, exist_ok=True)
    handle = open(Path(log_dir) / f"worker-{os.getpid()}.log", "ab", buffering=0)  # noqa: SIM115 - lives with the process
    os.dup2(handle.fileno(), 2)
    _POOL = KernelPool(cwd, preload=preload)
    _POOL.prepare()
    from auditkit.report.render import html_exporter

    _EXPORTER = html_exporter()
