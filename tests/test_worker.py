"""auditkit.batch.worker: a worker skips jsonschema's IRI grammar, which no notebook schema needs, and still validates."""

from __future__ import annotations

import subprocess
import sys

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
