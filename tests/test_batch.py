"""auditkit.batch.runner: failure isolation, nothing lost, incremental re-runs — on a small project of its own."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from auditkit.batch.catalogue import catalogue
from auditkit.batch.manifest import hash_files
from auditkit.batch.params import params_files
from auditkit.batch.plan import plan
from auditkit.batch.runner import run_batch
from tests.conftest import write_two_departments

pytestmark = pytest.mark.slow
SECRET_CODE = "answer = 6 * 7  # this line must never reach the HTML"


def _notebook(path: Path, extra: str = "") -> None:
    nb = new_notebook(cells=[
        new_code_cell('data_path = "data/2019/demo-rsj"\nframework = "gd-municipal-2019"\ndelay = 0', metadata={"tags": ["parameters"]}),
        new_code_cell("import time\nfrom auditkit.report.notebook import Report\nreport = Report(data_path, framework)\ndept = report.dept\ntime.sleep(float(delay))"),
        new_markdown_cell("## 一、部门概况"),
        new_code_cell(SECRET_CODE + "\nreport.paragraphs([dept.department.name, dept.evaluation.report_title])" + extra),
    ])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, path)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two departments (demo-rsj, other-rsj), one notebook, params for both."""
    monkeypatch.setenv("AUDITKIT_ROOT", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    write_two_departments(tmp_path)
    (tmp_path / "params" / "2019").mkdir(parents=True)
    for dept in ("demo-rsj", "other-rsj"):
        (tmp_path / "params" / "2019" / f"{dept}.yaml").write_text(
            f"data_path: data/2019/{dept}\nframework: gd-municipal-2019\n", encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    _notebook(tmp_path / "notebooks" / "overview.ipynb")
    return tmp_path


def _run(project: Path, force: bool = False, workers: int = 2) -> dict[str, object]:
    jobs = plan(params_files(project / "params"), catalogue(project / "notebooks"), project / "outputs")
    results = run_batch(jobs, workers=workers, force=force, out_root=project / "outputs")
    return {r.key: r for r in results}


def test_a_batch_renders_every_department_without_code(project: Path) -> None:
    results = _run(project)
    assert {k: r.status for k, r in results.items()} == {"2019/demo-rsj/overview": "ok", "2019/other-rsj/overview": "ok"}
    page = (project / "outputs/2019/demo-rsj/overview.html").read_text(encoding="utf-8")
    assert "示例市人力资源和社会保障局" in page and "一、部门概况" in page
    assert "6 * 7" not in page and 'data_path = "data' not in page  # no code, no parameters cell (the footer lists them as text)
    assert "<script" not in page.lower() and 'src="http' not in page and "href=\"http" not in page
    manifest = json.loads((project / "outputs/manifest.json").read_text(encoding="utf-8"))
    entry = manifest["outputs"]["2019/demo-rsj/overview"]
    assert entry["status"] == "ok" and len(entry["input_hash"]) == 64 and entry["versions"]["papermill"]
    index = (project / "outputs/index.html").read_text(encoding="utf-8")
    assert "2019/demo-rsj/overview.html" in index and "另一局" in index
    # the executed notebook carries the report's facts and provenance, for `jupyter nbconvert --to auditkit`
    executed = nbformat.read(project / "outputs/2019/demo-rsj/overview.ipynb", as_version=4)
    provenance = executed.metadata["auditkit"]
    assert provenance["department"] == "示例市人力资源和社会保障局" and provenance["params_file"] == "params/2019/demo-rsj.yaml"
    assert provenance["data_hash"] == hash_files([project / "data/2019/demo-rsj"])


def test_a_broken_department_fails_alone_and_keeps_its_last_good_output(project: Path) -> None:
    _run(project)
    good = (project / "outputs/2019/other-rsj/overview.html").read_text(encoding="utf-8")
    kpis = project / "data/2019/other-rsj/kpis.csv"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace("30342", "3O342"), encoding="utf-8")
    results = _run(project)
    broken, fine = results["2019/other-rsj/overview"], results["2019/demo-rsj/overview"]
    assert fine.status == "skipped" and broken.status == "failed"
    assert "DataValidationError" in (broken.error or "") and "kpis.csv，第 2 行，列「实际值」: '3O342' 不是数字" in (broken.error or "")
    assert "Traceback" not in (broken.error or "")
    assert (project / "outputs/2019/other-rsj/overview.html").read_text(encoding="utf-8") == good
    # issue 17 (13): validated once, before any kernel: no notebook ran, so there is no failed notebook to keep
    assert not (project / "outputs/2019/other-rsj/overview.failed.ipynb").exists()
    index = (project / "outputs/index.html").read_text(encoding="utf-8")
    assert "3O342" in index and "上次成功的报告" in index


def test_unchanged_inputs_re_execute_nothing_and_force_re_runs(project: Path) -> None:
    _run(project)
    html = project / "outputs/2019/demo-rsj/overview.html"
    stamp = html.stat().st_mtime_ns
    assert {r.status for r in _run(project).values()} == {"skipped"}
    assert html.stat().st_mtime_ns == stamp
    (project / "params/2019/demo-rsj.yaml").write_text(
        "data_path: data/2019/demo-rsj\nframework: gd-municipal-2019\ndelay: 0\n", encoding="utf-8")
    statuses = {k: r.status for k, r in _run(project).items()}
    assert statuses == {"2019/demo-rsj/overview": "ok", "2019/other-rsj/overview": "skipped"}
    assert {r.status for r in _run(project, force=True).values()} == {"ok"}


def test_an_interrupted_batch_leaves_no_partial_html(project: Path) -> None:
    _run(project)
    html = project / "outputs/2019/demo-rsj/overview.html"
    before = html.read_bytes()
    (project / "params/2019/demo-rsj.yaml").write_text(
        "data_path: data/2019/demo-rsj\nframework: gd-municipal-2019\ndelay: 30\n", encoding="utf-8")
    env = {**os.environ, "AUDITKIT_ROOT": str(project)}
    proc = subprocess.Popen([sys.executable, "-m", "auditkit.cli", "run", "-j", "1"], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list((project / "outputs/2019/demo-rsj").glob(".*.partial.ipynb")) and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert html.read_bytes() == before  # the previous output, whole
    leftovers = list((project / "outputs").rglob(".*.partial.ipynb"))
    assert leftovers and all(p.suffix == ".ipynb" for p in leftovers)  # only hidden partials, never an .html
    assert sorted(p.name for p in (project / "outputs/2019/demo-rsj").glob("*.html")) == ["overview.html"]
    (project / "params/2019/demo-rsj.yaml").write_text(
        "data_path: data/2019/demo-rsj\nframework: gd-municipal-2019\n", encoding="utf-8")
    _run(project)
    assert not list((project / "outputs").rglob(".*.partial.ipynb"))  # cleaned by the next batch


def test_text_from_data_is_escaped(project: Path) -> None:
    yaml_path = project / "data/2019/demo-rsj/department.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace(
        "report_title: 示例市", "report_title: <script>alert('x')</script>示例市"), encoding="utf-8")
    _run(project)
    page = (project / "outputs/2019/demo-rsj/overview.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in page  # shown as text
    assert "<script" not in page.lower()


def test_a_dask_cluster_gives_the_same_outputs_and_isolation(project: Path) -> None:
    """`auditkit run --scheduler ADDRESS` on a LocalCluster on loopback: same outputs, manifest and failure isolation."""
    from distributed import LocalCluster

    kpis = project / "data/2019/other-rsj/kpis.csv"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace("30342", "3O342"), encoding="utf-8")
    jobs = plan(params_files(project / "params"), catalogue(project / "notebooks"), project / "outputs")
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, processes=True) as cluster:
        results = {r.key: r for r in run_batch(jobs, workers=2, out_root=project / "outputs", scheduler=cluster.scheduler_address)}
    assert results["2019/demo-rsj/overview"].status == "ok"
    assert results["2019/other-rsj/overview"].status == "failed" and "3O342" in (results["2019/other-rsj/overview"].error or "")
    assert "示例市人力资源和社会保障局" in (project / "outputs/2019/demo-rsj/overview.html").read_text(encoding="utf-8")
    manifest = json.loads((project / "outputs/manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"]["2019/demo-rsj/overview"]["status"] == "ok"
    assert not (project / "outputs/2019/other-rsj/overview.failed.ipynb").exists()  # refused before a kernel (issue 17)


def test_pdf_is_printed_beside_the_html(project: Path) -> None:
    """`auditkit run --pdf`: an A4 PDF through headless Chromium, and a re-run without the PDF re-prints it."""
    from auditkit.report.chromium import chromium_path

    if chromium_path() is None:
        pytest.skip("Chromium is installed by `make test`")
    jobs = plan(params_files(project / "params"), catalogue(project / "notebooks"), project / "outputs", pdf=True)
    results = run_batch(jobs, workers=2, out_root=project / "outputs")
    pdf = project / "outputs/2019/demo-rsj/overview.pdf"
    assert all(r.status == "ok" for r in results) and pdf.read_bytes().startswith(b"%PDF")
    pdf.unlink()
    again = run_batch(jobs, workers=1, out_root=project / "outputs")
    assert {r.key: r.status for r in again}["2019/demo-rsj/overview"] == "ok" and pdf.exists()


def test_a_word_document_is_written_beside_the_html_recorded_and_linked(project: Path) -> None:
    """By default each notebook also gets <notebook>.docx (from the same blocks), in the manifest and the index; a run
    without docx removes the earlier document rather than leave one that no longer matches the page."""
    import docx

    _run(project)
    word = project / "outputs/2019/demo-rsj/overview.docx"
    texts = [p.text for p in docx.Document(str(word)).paragraphs]
    assert "一、部门概况" in texts and "示例市人力资源和社会保障局" in texts
    entry = json.loads((project / "outputs/manifest.json").read_text(encoding="utf-8"))["outputs"]["2019/demo-rsj/overview"]
    assert entry["docx"].endswith("outputs/2019/demo-rsj/overview.docx")
    assert '2019/demo-rsj/overview.docx">Word</a>' in (project / "outputs/index.html").read_text(encoding="utf-8")
    jobs = plan(params_files(project / "params"), catalogue(project / "notebooks"), project / "outputs", docx=False)
    assert all(r.status == "skipped" for r in run_batch(jobs, workers=1, out_root=project / "outputs"))
    run_batch(jobs, workers=1, force=True, out_root=project / "outputs")
    assert not word.exists() and (project / "outputs/2019/demo-rsj/overview.html").exists()


def test_an_unchanged_re_run_loads_only_the_departments_that_changed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import auditkit.batch.plan
    import auditkit.report.year
    from auditkit.data.loading import load

    _run(project)
    index = (project / "outputs/index.html").read_text(encoding="utf-8")
    loaded: list[str] = []

    def counting_load(path: str | Path) -> object:
        loaded.append(Path(path).name)
        return load(path)

    for planner in (auditkit.batch.plan, auditkit.report.year):  # where the batch loads departments
        monkeypatch.setattr(planner, "load", counting_load)
    assert {r.status for r in _run(project).values()} == {"skipped"}
    assert loaded == []  # header facts and scores come from the manifest while the inputs are unchanged
    assert (project / "outputs/index.html").read_text(encoding="utf-8").split("更新于")[0] == index.split("更新于")[0]
    with open(project / "data/2019/other-rsj/department.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n")
    statuses = {k: r.status for k, r in _run(project).items()}
    assert statuses == {"2019/demo-rsj/overview": "skipped", "2019/other-rsj/overview": "ok"}
    assert set(loaded) == {"other-rsj"}


def test_a_worker_imports_nothing_of_jupyters_server_stack() -> None:
    """Issue 8: the runtime pays no import it does not use; jupyterlab's server stack is not on the report path."""
    stack = ("jupyter_server", "jupyterlab", "notebook", "jupyter_events", "rfc3987_syntax")
    code = (
        "import sys; import auditkit.batch.runner, auditkit.batch.worker; auditkit.batch.worker.skip_unused_iri_grammar(); "
        "import papermill, nbformat; "
        "from auditkit.report.render import html_exporter; html_exporter(); "
        f"print(sorted({{m for m, v in sys.modules.items() if v is not None and m.split('.')[0] in {stack!r}}}))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_a_kernel_that_cannot_start_fails_its_notebook_not_the_batch(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import auditkit.batch.worker as batch

    class NoKernels:
        cwd = str(project)

        def take(self) -> None:
            raise RuntimeError("Kernel didn't respond in 60 seconds")

    monkeypatch.setattr(batch, "_POOL", NoKernels())
    job = plan(params_files(project / "params"), catalogue(project / "notebooks"), project / "outputs")[0]
    result = batch.run_job(job)
    assert result.status == "failed"
    assert result.error is not None and "Kernel didn't respond" in result.error
    assert not (project / "outputs/2019/demo-rsj/overview.html").exists()


def test_the_index_shows_the_computed_total_or_else_the_reports_own_marked_unchecked(tmp_path: Path) -> None:
    from auditkit.batch.runner import _departments
    from tests.conftest import ROOT

    scoring = [n for n in catalogue(ROOT / "notebooks") if n.name == "scoring"]
    jobs = plan([ROOT / "params/2019/shaoguan-rsj.yaml", ROOT / "params/2021/gd-ldgx.yaml"], scoring, tmp_path)
    shown = {key: tuple(entry["score"]) for key, entry in _departments(jobs).items()}
    assert shown["2019/shaoguan-rsj"] == ("83.3", "良")  # 003 三、评价结论: 83.3 分，良 (computed from its 评分表)
    assert shown["2021/gd-ldgx"] == ("98.21（报告所列，未复核）", "优")  # 000 二（一）自评结论: 98.21 分，优; it prints no indicator scores


def test_a_manifest_with_a_years_summary_is_read_as_it_was_written(tmp_path: Path) -> None:
    """A year's own report (the results summary) is keyed 年度/笔记本: the manifest is kept, not dropped as malformed."""
    from auditkit.batch.manifest import read_manifest, write_manifest

    path = tmp_path / "manifest.json"
    write_manifest(path, {"2024/summary": {"status": "ok", "input_hash": "h", "seconds": 1.0},
                          "2024/synth-1/scoring": {"status": "ok", "input_hash": "h", "seconds": 1.0}})
    assert set(read_manifest(path)["outputs"]) == {"2024/summary", "2024/synth-1/scoring"}
