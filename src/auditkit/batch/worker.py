"""One job in a worker process: execute the notebook with papermill in a warm kernel, render it, move it into place.

The executed notebook, its HTML and its Word document (and PDF) are written beside their final names and moved into
place only when all are complete, so a failed or interrupted job leaves the previous good output untouched. A notebook
that fails is kept as ``<notebook>.failed.ipynb``, with papermill's red banner at the failing cell: the evaluator's
first clue. A notebook that runs longer than its job's ``timeout`` is interrupted (then its kernel killed) and fails
the same way, "超时".
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from auditkit.batch.kernels import KernelPool
from auditkit.batch.manifest import atomic_write
from auditkit.batch.plan import Job, Result
from auditkit.batch.processes import die_with_parent
from auditkit.paths import display, project_root

if TYPE_CHECKING:  # nbconvert is imported by the first job, not by the batch that plans the jobs
    from jupyter_client.manager import KernelManager
    from nbconvert import HTMLExporter

    from auditkit.report.chromium import Printer

__all__ = ["init_worker", "pool_job", "run_job", "skip_unused_iri_grammar"]

_EXPORTER: HTMLExporter | None = None
_POOL: KernelPool | None = None
_PRINTER: Printer | None = None
#: Where this worker says which job it holds (``<claims>/<pid>``), so that the batch can fail that job alone when
#: the worker dies (the OOM killer), and stop a worker whose job overran its time.
_CLAIMS: Path | None = None
#: After an interrupt at the deadline, how long a kernel has to stop before it is killed.
_GRACE = 3.0
_ANSI = re.compile("\x1b\\[[0-9;]*[A-Za-z]")
#: The exception names whose message alone says little (``InvalidOperation: [<class 'decimal.InvalidOperation'>]``),
#: in words.
_IN_WORDS = {
    "InvalidOperation": "十进制数运算无效（对非数字、空值或无穷大做了运算，或把非数字文本转换为数字）",
    "DivisionByZero": "十进制数除以零", "ZeroDivisionError": "除数为零", "KeyError": "找不到这个键或列名",
    "IndexError": "下标超出范围", "TypeError": "值的类型不对", "ValueError": "值不合要求",
    "AttributeError": "对象没有这个属性", "NameError": "名称未定义", "FileNotFoundError": "文件不存在",
    "KeyboardInterrupt": "被中断", "RecursionError": "递归过深", "MemoryError": "内存不足",
    "ModuleNotFoundError": "找不到模块", "ImportError": "无法导入", "AssertionError": "断言不成立",
}


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


class _Deadline:
    """At ``seconds`` after start, interrupt the kernel running the notebook, then kill it if it does not stop."""

    def __init__(self, km: KernelManager, seconds: float) -> None:
        self.km = km
        self.expired = False
        self.killed = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(seconds,), daemon=True)
        self._thread.start()

    def _signal(self, signum: int) -> None:
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None:
            with contextlib.suppress(OSError):
                os.kill(process.pid, signum)

    def _watch(self, seconds: float) -> None:
        if self._done.wait(seconds):
            return
        self.expired = True
        self._signal(signal.SIGINT)  # KeyboardInterrupt in the cell: papermill saves its red banner there
        if not self._done.wait(_GRACE):
            self.killed = True
            self._signal(signal.SIGKILL)

    def cancel(self) -> None:
        self._done.set()


def run_job(job: Job) -> Result:
    """Execute one notebook with papermill and render it; runs in a worker process."""
    result = Result(job.key, job.fiscal_year, job.dept_id, job.notebook, "failed", job.meta.get("department", ""), job.meta.get("report", ""),
                    input_hash=job.input_hash)
    if job.problem:  # refused before execution (plan): nothing runs
        result.error = job.problem
        return result
    skip_unused_iri_grammar()
    import papermill
    from papermill.exceptions import PapermillExecutionError

    out_dir = Path(job.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    failed_nb = out_dir / f"{job.notebook}.failed.ipynb"
    tmp_nb = out_dir / f".{job.notebook}.{os.getpid()}.partial.ipynb"
    start = time.perf_counter()
    pool = _kernel_pool(job)
    km = None
    deadline = None
    try:
        km = pool.take()
        deadline = _Deadline(km, job.timeout) if job.timeout and job.timeout > 0 else None
        papermill.execute_notebook(
            job.notebook_path, str(tmp_nb), parameters=job.parameters, kernel_name="python3",
            progress_bar=False, log_output=False, km=km,
        )
        if deadline is not None:
            deadline.cancel()
        _publish(job, tmp_nb, failed_nb, result)
    except PapermillExecutionError as exc:
        if deadline is not None and deadline.expired:
            result.error = _timeout_error(job, exc.exec_count, exc.source)
            result.timed_out = True
        else:
            result.error = _cell_error(job, exc.exec_count, exc.source, exc.ename, exc.evalue, exc.traceback)
        result.failed_cell = exc.exec_count
        # a timed-out notebook shows KeyboardInterrupt at the cell (the interrupt): the banner on top says why
        _keep_failed(tmp_nb, failed_nb, result, banner=result.error if result.timed_out else None)
    except Exception as exc:  # one department's failure must not stop the batch
        if deadline is not None and deadline.expired:  # the kernel did not stop when interrupted, and was killed
            count, source = _running_cell(tmp_nb)
            result.error, result.timed_out, result.failed_cell = _timeout_error(job, count, source), True, count
            _keep_failed(tmp_nb, failed_nb, result, banner=result.error)
        else:
            result.error = _short_error(type(exc).__name__, str(exc) or traceback.format_exc(limit=3))
    finally:
        if deadline is not None:
            deadline.cancel()
        if km is not None:
            result.memory_mb = pool.memory_mb(km)
            km.shutdown_kernel(now=True)
        tmp_nb.unlink(missing_ok=True)
        result.seconds = round(time.perf_counter() - start, 2)
    return result


def pool_job(job: Job) -> Result:
    """:func:`run_job` in a batch worker, which says meanwhile which job it holds (see ``_CLAIMS``)."""
    claim = _CLAIMS / str(os.getpid()) if _CLAIMS is not None else None
    if claim is not None:
        with contextlib.suppress(OSError):
            claim.write_text(json.dumps({"key": job.key, "start": time.time()}), encoding="utf-8")
    try:
        return run_job(job)
    finally:
        if claim is not None:
            claim.unlink(missing_ok=True)


def _keep_failed(tmp_nb: Path, failed_nb: Path, result: Result, banner: str | None = None) -> None:
    """The partial executed notebook, kept as ``<notebook>.failed.ipynb`` (with ``banner`` on top, when papermill
    wrote none)."""
    if not tmp_nb.exists():
        return
    if banner:
        with contextlib.suppress(Exception):
            import nbformat

            notebook = nbformat.read(tmp_nb, as_version=4)
            cell = nbformat.v4.new_markdown_cell(f'<span style="color:red;font-size:2em">{_escape(banner)}</span>')
            cell.metadata["tags"] = ["papermill-error-cell-tag"]
            notebook.cells.insert(0, cell)
            nbformat.write(notebook, tmp_nb)
    os.replace(tmp_nb, failed_nb)
    result.failed_ipynb = display(failed_nb)


def _escape(text: str) -> str:
    import html

    return html.escape(text).replace("\n", "<br>")


def _running_cell(executed: Path) -> tuple[int | None, str]:
    """The execution count and source of the cell papermill marked as running in a partial executed notebook."""
    try:
        cells = json.loads(executed.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return None, ""
    for cell in cells:
        if cell.get("metadata", {}).get("papermill", {}).get("status") == "running":
            source = cell.get("source", "")
            return cell.get("execution_count"), "".join(source) if isinstance(source, list) else str(source)
    return None, ""


def _cell_label(job: Job, count: int | None, source: str) -> str:
    lines = [line.strip() for line in (source or "").splitlines() if line.strip() and not line.lstrip().startswith("#")]
    first = lines[0] if lines else ""
    first = first if len(first) <= 80 else first[:77] + "…"
    cell = f"单元格 In [{count}]" if count is not None else "一个单元格"
    return f"笔记本 {job.notebook}（{job.meta.get('report') or job.notebook}）{cell}" + (f"「{first}」" if first else "")


def _timeout_error(job: Job, count: int | None, source: str) -> str:
    return (f"超时：{_cell_label(job, count, source)} 运行超过 {job.timeout:g} 秒，已中止；"
            "部分执行的笔记本保存为 .failed.ipynb。若确需更长时间，用 auditkit run --timeout 秒数 调整上限")


def _cell_error(job: Job, count: int | None, source: str, ename: str, evalue: str, trace: list[str]) -> str:
    """A cell's error in words: the notebook, the cell, the exception and, where its message is opaque, what it means;
    then where in auditkit it was raised, and the message itself."""
    words = _IN_WORDS.get(ename)
    value = str(evalue or "").strip()
    opaque = not value or value.startswith("[<class ") or value == ename
    head = f"{_cell_label(job, count, source)} 出错：{ename}" + (f"（{words}）" if words else "")
    frames = [m for line in trace for m in re.findall(r"File (\S+?):(\d+), in (\w+)", _ANSI.sub("", line))]
    frames = [(f, n, fn) for f, n, fn in frames if "auditkit" in f] or frames
    where = ""
    lines = [m for line in trace for m in re.findall(r"Cell In\[\d*\], line (\d+)", _ANSI.sub("", line))]
    if frames:
        file, number, function = frames[-1]
        short = file.split("site-packages/")[-1].split("src/")[-1]
        where = f"\n位置：{short} 第 {number} 行（{function}）"
    elif lines:
        where = f"\n位置：该单元格第 {lines[-1]} 行"
    body = "" if opaque else "\n" + _short_error(ename, value)
    return head + where + body


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
    """Render the executed notebook to HTML (and PDF, Word), move them into place and drop an earlier failure's notebook
    and any earlier PDF or Word document of a format this run does not write; the job is then ``ok``."""
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
    else:  # an earlier run's PDF would no longer match the new page (as the document below)
        (out_dir / f"{job.notebook}.pdf").unlink(missing_ok=True)
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
    """Print the finished page to an A4 PDF through headless Chromium, moved into place only when complete.

    The worker keeps one browser for all its PDFs (:class:`auditkit.report.chromium.Printer`), closed when it exits.
    """
    global _PRINTER
    if _PRINTER is None:
        import atexit

        from auditkit.report.chromium import Printer  # only a PDF run pays for it

        _PRINTER = Printer()
        atexit.register(_PRINTER.close)
    tmp_html = pdf.with_name(f".{pdf.stem}.{os.getpid()}.partial.html")
    tmp_pdf = pdf.with_name(f".{pdf.stem}.{os.getpid()}.tmp")
    try:
        tmp_html.write_text(page, encoding="utf-8")
        _PRINTER.print_pdf(tmp_html, tmp_pdf)
        os.replace(tmp_pdf, pdf)
    finally:
        tmp_html.unlink(missing_ok=True)
        tmp_pdf.unlink(missing_ok=True)


def _short_error(ename: str, evalue: str) -> str:
    lines = [line for line in str(evalue).splitlines() if line.strip()]
    shown = "\n".join(lines[:12]) + (f"\n……（共 {len(lines)} 行）" if len(lines) > 12 else "")
    return f"{ename}: {shown}"


def init_worker(log_dir: str, cwd: str, preload: tuple[str, ...], parent: int | None = None, claims: str | None = None) -> None:
    """A worker process's start: its stderr (and its kernels' warnings) to outputs/.logs/, its first kernel warming.

    The worker dies with the batch (``parent``), in a process group of its own, so that a Ctrl-C at the terminal
    reaches the batch alone, which stops its workers itself; it ignores SIGINT all the same. ``claims`` is the folder
    where it says which job it holds.
    """
    global _POOL, _EXPORTER, _CLAIMS
    if parent is not None:
        die_with_parent(parent)
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _CLAIMS = Path(claims) if claims else None
    skip_unused_iri_grammar()
    Path(log_dir).mkdir(parents=True, exist_ok=True)
    handle = open(Path(log_dir) / f"worker-{os.getpid()}.log", "ab", buffering=0)  # noqa: SIM115 - lives with the process
    os.dup2(handle.fileno(), 2)
    # out of the terminal's foreground group, a read or (under `stty tostop`) a write to it would stop the worker
    os.dup2(handle.fileno(), 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    _POOL = KernelPool(cwd, preload=preload)
    _POOL.prepare()
    from auditkit.report.render import html_exporter

    _EXPORTER = html_exporter()
