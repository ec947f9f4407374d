"""Every notebook on every sample department, executed through the batch runner and compared with its golden copy.

The goldens live in tests/golden/<year>-<dept_id>/<notebook>.ipynb. They hold every output's text (HTML, plain text,
the tables' data) but no image: a chart is an ``image/png`` output of its own, stored as ``<png>``, so a matplotlib or
font upgrade changes no golden, and what a chart plots is asserted in tests/test_charts.py instead. Volatile fields
(cell ids, execution counts, papermill timings, kernel info) are ignored.

After an intended change, regenerate with ``AUDITKIT_REGEN_GOLDEN=1 .venv/bin/python -m pytest
tests/test_notebook_regression.py`` and review the diff in git. Regeneration refuses to run under CI (``CI`` set):
there a golden is only ever compared.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from pytest_notebook.diffing import diff_notebooks, diff_to_string, filter_diff

from auditkit.batch.catalogue import catalogue
from auditkit.batch.params import params_files
from auditkit.batch.plan import plan
from auditkit.batch.runner import run_batch

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
NOTEBOOKS = catalogue(ROOT / "notebooks")
PARAMS = params_files(ROOT / "params")
IGNORED = [
    "/cells/*/id",
    "/cells/*/execution_count",
    "/cells/*/metadata/papermill",
    "/cells/*/metadata/execution",
    "/metadata/papermill",
    "/metadata/auditkit",  # the report's provenance (data fingerprint, params file, version): asserted in test_batch
    "/metadata/language_info",
    "/metadata/widgets",
    "/cells/*/outputs/*/data/image/png",
]


def _stable(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as stored in a golden: no image bytes, no timings."""
    nb = nbformat.from_dict(nb)
    nb.metadata.pop("papermill", None)
    # the notebook's own settings stay; the run's provenance (data fingerprint, params file, version) is test_batch's
    own = {k: v for k, v in nb.metadata.get("auditkit", {}).items() if k in ("order", "self_evaluation_title")}
    nb.metadata["auditkit"] = own
    for number, cell in enumerate(nb.cells):
        cell.id = f"cell-{number}"  # papermill gives its injected cell a new random id each run
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            if "data" in output and "image/png" in output["data"]:
                output["data"]["image/png"] = "<png>"
    return nb


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("outputs")
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        results = run_batch(plan(PARAMS, NOTEBOOKS, out), workers=os.cpu_count() or 2, out_root=out)
    finally:
        os.chdir(cwd)
    failed = [f"{r.key}: {r.error}" for r in results if r.status != "ok"]
    assert not failed, "\n".join(failed)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("params", PARAMS, ids=lambda p: f"{p.parent.name}-{p.stem}")
@pytest.mark.parametrize("notebook", [n.name for n in NOTEBOOKS])
def test_notebook_matches_its_golden(executed: Path, params: Path, notebook: str) -> None:
    year, dept = params.parent.name, params.stem
    actual = _stable(nbformat.read(executed / year / dept / f"{notebook}.ipynb", as_version=4))
    golden_path = GOLDEN / f"{year}-{dept}" / f"{notebook}.ipynb"
    if os.environ.get("CI") and (os.environ.get("AUDITKIT_REGEN_GOLDEN") or not golden_path.exists()):
        pytest.fail(f"{golden_path}: goldens are never written under CI; regenerate locally and commit them")
    if os.environ.get("AUDITKIT_REGEN_GOLDEN") or not golden_path.exists():
        golden_path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(actual, golden_path)
        if not os.environ.get("AUDITKIT_REGEN_GOLDEN"):
            pytest.fail(f"{golden_path} did not exist: written now, review and commit it")
    expected = nbformat.read(golden_path, as_version=4)
    diff = filter_diff(diff_notebooks(expected, actual), IGNORED)
    assert not diff, diff_to_string(expected, diff, use_color=False)
    page = (executed / year / dept / f"{notebook}.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "Traceback" not in page


def test_no_golden_holds_image_bytes() -> None:
    """A golden with PNG bytes fails on a font or matplotlib upgrade with no real regression, and shows a real chart
    change only as unreadable base64: charts are compared by their plotted data (tests/test_charts.py)."""
    holding = [str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*.ipynb") if "iVBORw0KGgo" in p.read_text(encoding="utf-8")]
    assert not holding, f"base64 PNG in {holding}"
