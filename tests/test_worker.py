"""auditkit.batch.worker: a worker skips jsonschema's IRI grammar, which no notebook schema needs, and still validates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

_VALIDATE = (
    "import nbformat, sys; from nbformat.v4 import new_code_cell, new_notebook; "
    "nbformat.validate(new_notebook(cells=[new_code_cell('1 + 1')])); "
    "bad = new_notebook(); bad.cells.append({'cell_type': 'code'}); "
    "print(nbformat.validator.isvalid(bad), sys.modules.get('rfc3987_syntax') is not None)"
)


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return done.stdout.strip()


@pytest.mark.slow
def test_a_worker_validates_notebooks_without_importing_the_iri_grammar() -> None:
    """The grammar costs about 2.5–6 s per process (it builds Lark parsers at import); nbformat's schema never asks for
    the "iri" format, so a worker marks the module absent before jsonschema is imported, and validation still works:
    a valid notebook passes, a cell without its required fields fails."""
    skipped = _run("from auditkit.batch.worker import skip_unused_iri_grammar; skip_unused_iri_grammar(); " + _VALIDATE)
    assert skipped == "False False"
    try:
        import rfc3987_syntax  # noqa: F401
    except ImportError:
        pytest.skip("rfc3987_syntax is not installed here: nothing to skip")
    assert _run(_VALIDATE) == "False True"  # without the skip, jsonschema imports it


@pytest.mark.slow
def test_skipping_after_jsonschema_was_imported_changes_nothing() -> None:
    """Too late to skip: jsonschema already chose its format checkers, so the marker is not set (nothing breaks)."""
    code = ("import sys, jsonschema; from auditkit.batch.worker import skip_unused_iri_grammar; "
            "before = 'rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is not None; "
            "skip_unused_iri_grammar(); print(before == (sys.modules.get('rfc3987_syntax') is not None))")
    assert _run(code) == "True"


def test_publishing_without_pdf_or_docx_removes_the_earlier_run_s(tmp_path: Path) -> None:
    """`auditkit run --formats html` after a run with pdf and docx: the old .pdf and .docx would no longer match the new
    page, so publishing removes both (not only the .docx), keeps the page and the notebook, and records neither."""
    import nbformat

    from auditkit.batch.plan import Job, Result
    from auditkit.batch.worker import _publish

    out = tmp_path / "outputs/2019/demo-rsj"
    out.mkdir(parents=True)
    for name in ("overview.pdf", "overview.docx"):
        (out / name).write_bytes(b"an earlier run's")
    executed = tmp_path / "executed.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## 一、部门概况")]), executed)
    job = Job(params_file="params/2019/demo-rsj.yaml", notebook="overview", notebook_path="overview.ipynb", fiscal_year="2019",
              dept_id="demo-rsj", parameters={}, input_hash="x", out_dir=str(out), pdf=False, docx=False)
    result = Result(key="2019/demo-rsj/overview", fiscal_year="2019", dept_id="demo-rsj", notebook="overview", status="failed")
    _publish(job, executed, out / "overview.failed.ipynb", result)
    assert sorted(p.name for p in out.iterdir()) == ["overview.html", "overview.ipynb"]
    assert result.status == "ok" and result.pdf is None and result.docx is None
    assert "一、部门概况" in (out / "overview.html").read_text(encoding="utf-8")
