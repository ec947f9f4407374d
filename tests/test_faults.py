"""Issue 17's fault catalogue: a batch that can't be hijacked, hung or corrupted.

Each numbered case of the issue, reproduced on a throwaway project in ``tmp_path`` (two small valid departments and
tiny notebooks that only sleep or raise), with the outcome asserted. Cases that execute notebooks are marked slow.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from auditkit.batch import runner
from auditkit.batch.catalogue import Notebook, catalogue
from auditkit.batch.index import write_index
from auditkit.batch.manifest import atomic_write, code_fingerprint, hash_files, read_manifest, write_manifest
from auditkit.batch.params import check_parameters, params_files, read_params
from auditkit.batch.plan import plan
from auditkit.batch.processes import descendants, wait_gone
from auditkit.batch.runner import preflight, run_batch
from auditkit.cli import main
from auditkit.exceptions import BatchError
from tests.conftest import ROOT, write_two_departments

PARAMETERS = 'data_path: str = "data/2019/demo-rsj"\nframework: str = "gd-municipal-2019"\ndelay: float = 0\n'


def _notebook(path: Path, body: str = "import time\ntime.sleep(float(delay))\nprint('done', data_path)",
              title: str = "概况") -> None:
    nb = new_notebook(cells=[
        new_markdown_cell(f"# {title}"),
        new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        new_code_cell(body),
    ])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, path)


def _params(project: Path, dept: str, **extra: object) -> Path:
    path = project / "params" / "2019" / f"{dept}.yaml"
    values = {"data_path": f"data/2019/{dept}", "framework": "gd-municipal-2019", **extra}
    path.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """demo-rsj and other-rsj (both valid), one tiny notebook ``overview`` that sleeps ``delay`` seconds."""
    monkeypatch.setenv("AUDITKIT_ROOT", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    write_two_departments(tmp_path)
    (tmp_path / "params" / "2019").mkdir(parents=True)
    for dept in ("demo-rsj", "other-rsj"):
        _params(tmp_path, dept)
    (tmp_path / "notebooks").mkdir()
    _notebook(tmp_path / "notebooks" / "overview.ipynb")
    return tmp_path


def _jobs(project: Path) -> list:
    return plan(params_files(project / "params"), catalogue(project / "notebooks"), project / "outputs")


def _no_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make starting any worker (and so any kernel) fail the test."""

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("a worker was started")

    monkeypatch.setattr(runner, "_run_locally", refuse)


def _manifest(project: Path) -> dict:
    return json.loads((project / "outputs/manifest.json").read_text(encoding="utf-8"))


# --- 1. code execution through parameter keys ----------------------------------------------------------------


def test_1_a_code_carrying_key_executes_nothing_and_names_file_and_key(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pwned = project / "PWNED"
    key = f"import os; os.system('touch {pwned}'); x"
    _params(project, "other-rsj", **{key: 1})
    _no_kernels(monkeypatch)
    jobs = [j for j in _jobs(project) if j.dept_id == "other-rsj"]
    results = run_batch(jobs, workers=1, out_root=project / "outputs")
    assert not pwned.exists()
    assert [r.status for r in results] == ["failed"]
    error = results[0].error or ""
    assert "params/2019/other-rsj.yaml" in error and "import os; os.system" in error
    assert "不是笔记本 overview 的参数（其 parameters 单元格只有 data_path、framework、delay）" in error
    assert "import os; os.system" in (project / "outputs/index.html").read_text(encoding="utf-8").replace("&#x27;", "'")


def test_1_a_typo_and_a_wrong_type_are_refused_like_code(project: Path) -> None:
    notebook = catalogue(project / "notebooks")[0]
    _params(project, "demo-rsj", data_pth="data/2019/demo-rsj", delay="soon")
    problems = check_parameters(read_params(project / "params/2019/demo-rsj.yaml"), notebook)
    assert len(problems) == 2
    assert re.search(r"参数名 'data_pth' 不是笔记本 overview 的参数", problems[0])
    assert "参数 delay 的值 'soon' 是文本，而笔记本 overview 的 parameters 单元格声明为 float" in problems[1]
    _params(project, "demo-rsj", delay=5, when="2024-06-30")  # an int is a float; a quoted date is text
    assert check_parameters(read_params(project / "params/2019/demo-rsj.yaml"), notebook)[0].startswith(
        "params/2019/demo-rsj.yaml: 参数名 'when' 不是")
    (project / "params/2019/demo-rsj.yaml").write_text(
        "data_path: data/2019/demo-rsj\nframework: gd-municipal-2019\ndelay: 2024-06-30\n", encoding="utf-8")
    assert "无法原样传给笔记本" in check_parameters(read_params(project / "params/2019/demo-rsj.yaml"), notebook)[0]


def test_1_a_notebook_without_a_parameters_cell_takes_no_parameters(project: Path) -> None:
    bare = Notebook("bare", project / "notebooks/bare.ipynb", "bare")
    problems = check_parameters(read_params(project / "params/2019/demo-rsj.yaml"), bare)
    assert len(problems) == 2 and "笔记本 bare 没有标记为 parameters 的单元格" in problems[0]


def test_1_the_shipped_notebooks_declare_the_shipped_parameters() -> None:
    """Every shipped parameters file passes the check against every shipped notebook (nothing legitimate refused)."""
    notebooks = catalogue(ROOT / "notebooks")
    for path in params_files(ROOT / "params"):
        for notebook in notebooks:
            assert check_parameters(read_params(path), notebook) == [], (path, notebook.name)


# --- 2. manifest trust: the index links only to the run's own files under outputs/ ---------------------------


def test_2_a_planted_href_never_reaches_the_index(tmp_path: Path) -> None:
    out = tmp_path / "outputs"
    (out / "2019/demo-rsj").mkdir(parents=True)
    (out / "2019/demo-rsj/overview.html").write_text("ok", encoding="utf-8")
    (out / "2019/demo-rsj/memo.html").symlink_to("/etc/passwd")
    outputs = {
        "2019/demo-rsj/overview": {"status": "ok", "input_hash": "", "html": "/etc/passwd", "seconds": 1.0},
        "2019/demo-rsj/memo": {"status": "ok", "input_hash": "", "html": "memo.html", "seconds": 1.0},
        "2019/demo-rsj/other": {"status": "failed", "input_hash": "", "html": "../../../etc/passwd",
                                "failed_ipynb": "/etc/shadow", "error": "x"},
    }
    page = write_index(out, outputs).read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs == ["2019/demo-rsj/overview.html"]  # derived from the key, and there; the symlink and the rest: none
    assert "/etc/" not in page


# --- 3. file permissions follow the umask ------------------------------------------------------------------------


def test_3_atomic_writes_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a.html", "x")
        write_manifest(tmp_path / "manifest.json", {})
        write_index(tmp_path, {})
        os.umask(0o027)
        atomic_write(tmp_path / "b.html", "x")
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert modes == {"a.html": 0o644, "manifest.json": 0o644, "index.html": 0o644, "b.html": 0o640}


# --- 9. the manifest, validated on read and pruned ----------------------------------------------------------------

BAD_MANIFESTS = {
    "score null": {"outputs": {}, "departments": {"2019/demo-rsj": {"key": "k", "meta": {}, "score": None}}},
    "departments text": {"outputs": {}, "departments": "x"},
    "entry a list": {"outputs": {"2019/demo-rsj/overview": ["ok"]}},
    "html a number": {"outputs": {"2019/demo-rsj/overview": {"status": "ok", "input_hash": "h", "html": 5}}},
    "key escapes": {"outputs": {"../../etc/x": {"status": "ok", "input_hash": "h"}}},
    "top a list": [1, 2],
}


def test_9_a_valid_manifest_reads_back_with_department_and_year_entries(tmp_path: Path) -> None:
    entry = {"status": "ok", "input_hash": "h", "html": "x", "seconds": 1.0, "timed_out": False}
    write_manifest(tmp_path / "manifest.json", {"2019/demo-rsj/overview": entry, "2019/summary": entry},
                   {"2019/demo-rsj": {"key": "k", "meta": {}, "score": ["83.3", "良"], "status": {}}})
    assert set(read_manifest(tmp_path / "manifest.json")["outputs"]) == {"2019/demo-rsj/overview", "2019/summary"}


@pytest.mark.parametrize("name", BAD_MANIFESTS)
def test_9_a_manifest_of_wrong_types_warns_and_counts_as_absent(name: str, project: Path, capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = project / "outputs/manifest.json"
    path.parent.mkdir()
    path.write_text(json.dumps(BAD_MANIFESTS[name]), encoding="utf-8")
    assert read_manifest(path) == {"outputs": {}, "departments": {}}
    assert "outputs/manifest.json 格式不对" in capsys.readouterr().err
    # and a batch over it runs (here every job refused, so no kernel) and writes a valid manifest again
    _params(project, "demo-rsj", data_pth="x")
    _params(project, "other-rsj", data_pth="x")
    _no_kernels(monkeypatch)
    run_batch(_jobs(project), workers=1, out_root=project / "outputs")
    assert set(_manifest(project)["outputs"]) == {"2019/demo-rsj/overview", "2019/other-rsj/overview"}


def test_9_a_manifest_that_is_a_folder_stops_the_batch_before_any_work(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "outputs/manifest.json").mkdir(parents=True)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "outputs/manifest.json 是一个文件夹" in err and "未运行任何笔记本" in err
    assert not (project / "outputs/2019").exists()


def test_9_entries_whose_params_or_outputs_are_gone_are_pruned(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = project / "outputs"
    (out / "2019/gone-rsj").mkdir(parents=True)
    (out / "2019/kept-rsj").mkdir(parents=True)
    (out / "2019/gone-rsj/overview.html").write_text("x", encoding="utf-8")
    (out / "2019/kept-rsj/overview.html").write_text("x", encoding="utf-8")
    _params(project, "kept-rsj")
    entry = {"status": "ok", "input_hash": "h", "html": "x", "seconds": 1.0}
    write_manifest(out / "manifest.json", {
        "2019/gone-rsj/overview": entry,  # its parameters file was removed
        "2019/kept-rsj/overview": entry,  # still there (not in this run's plan)
        "2019/kept-rsj/deleted": entry,  # its HTML was deleted by hand
    }, {"2019/gone-rsj": {"key": "k", "meta": {}, "score": ["1", "优"]}})
    _no_kernels(monkeypatch)
    jobs = [j for j in _jobs(project) if j.dept_id == "demo-rsj"]
    jobs = [replace(j, problem="refused") for j in jobs]
    run_batch(jobs, workers=1, out_root=out)
    manifest = _manifest(project)
    assert set(manifest["outputs"]) == {"2019/kept-rsj/overview", "2019/demo-rsj/overview"}
    assert "2019/gone-rsj" not in manifest["departments"]
    assert "gone-rsj" not in (out / "index.html").read_text(encoding="utf-8")


# --- 10. library versions in the input hash; relative names -----------------------------------------------------


def test_10_a_library_upgrade_changes_the_input_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    from auditkit.batch import manifest

    before = code_fingerprint()
    real = manifest.tool_versions
    monkeypatch.setattr(manifest, "tool_versions", lambda: {**real(), "pandas": "99.0"})
    assert code_fingerprint() != before
    assert {"pandas", "matplotlib", "nbconvert", "papermill", "mplfonts"} <= set(real())


def test_10_hash_files_hashes_relative_names(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/x.csv").write_text("1", encoding="utf-8")
    before = hash_files([tmp_path])
    (tmp_path / "b").mkdir()
    (tmp_path / "a/x.csv").rename(tmp_path / "b/x.csv")  # same base name, same bytes, another folder
    assert hash_files([tmp_path]) != before


# --- 11. one bad params file fails alone --------------------------------------------------------------------------

BAD_PARAMS = {
    "empty": ("", "参数文件为空"),
    "a list": ("- data_path\n- framework\n", "读到的是列表"),
    "no framework": ("data_path: data/2019/other-rsj\n", "缺少参数 framework"),
    "YAML syntax": ("data_path: [data/2019\nframework: x\n", "无法读取参数文件"),
}


@pytest.mark.parametrize("name", BAD_PARAMS)
def test_11_a_bad_params_file_fails_alone_in_summary_and_index(name: str, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text, message = BAD_PARAMS[name]
    (project / "params/2019/other-rsj.yaml").write_text(text, encoding="utf-8")
    jobs = _jobs(project)
    assert [j.dept_id for j in jobs if j.problem] == ["other-rsj"]
    assert message in (next(j for j in jobs if j.problem).problem or "")
    ran: list[str] = []
    monkeypatch.setattr(runner, "_run_locally", lambda todo, *a: (ran.extend(j.key for j in todo), runner._Outcome())[1])
    results = {r.key: r for r in run_batch(jobs, workers=1, out_root=project / "outputs")}
    assert ran == ["2019/demo-rsj/overview"]  # the good department still runs
    assert results["2019/other-rsj/overview"].status == "failed"
    assert message in (project / "outputs/index.html").read_text(encoding="utf-8")


def test_11_a_department_yaml_that_crashes_validation_fails_alone(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import auditkit.batch.plan as planner

    real = planner.load

    def crashing(path: Path) -> object:
        if "other-rsj" in str(path):
            raise TypeError("'NoneType' object is not subscriptable")
        return real(path)

    monkeypatch.setattr(planner, "load", crashing)
    jobs = {j.dept_id: j for j in _jobs(project)}
    assert jobs["demo-rsj"].problem is None
    assert "读取部门数据时出错（TypeError: 'NoneType' object is not subscriptable）" in (jobs["other-rsj"].problem or "")


# --- 13. validated once per department, failed without kernels --------------------------------------------------


def test_13_a_broken_department_says_its_message_once_and_starts_no_kernel(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("costs", "kpis", "memo"):
        _notebook(project / "notebooks" / f"{name}.ipynb", title=name)
    kpis = project / "data/2019/other-rsj/kpis.csv"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace("30342", "3O342"), encoding="utf-8")
    _params(project, "demo-rsj", data_pth="x")  # so that nothing at all needs a kernel
    _no_kernels(monkeypatch)
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert err.count("'3O342' 不是数字") == 1
    assert "2019/other-rsj（4 份报告：costs、kpis、memo、overview）" in err
    index = (project / "outputs/index.html").read_text(encoding="utf-8")
    assert index.count("3O342") == 1  # one message per department in the index too


# --- 14. read-only outputs/, unreachable scheduler: a clear message, exit 2, before any work ---------------------


def test_14_read_only_outputs_exit_2_before_any_work(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "outputs"
    out.mkdir()
    out.chmod(0o555)
    try:
        if os.access(out, os.W_OK):  # root ignores the mode bits: the system's answer, as a read-only mount gives it
            import tempfile

            def read_only(*args: object, **kwargs: object) -> object:
                raise PermissionError(13, "Permission denied")

            monkeypatch.setattr(tempfile, "NamedTemporaryFile", read_only)
        _no_kernels(monkeypatch)
        assert main(["run"]) == 2
    finally:
        out.chmod(0o755)
    err = capsys.readouterr().err
    assert "无法写入 outputs（Permission denied）" in err and "未运行任何笔记本" in err and "Traceback" not in err
    assert list(out.iterdir()) == []


@pytest.mark.slow  # a subprocess in a mount namespace of its own
def test_14_a_really_read_only_outputs_exits_2_before_any_work(project: Path) -> None:
    """``outputs/`` bind-mounted read-only (a mount namespace: as root the mode bits would not stop a write)."""
    import shutil

    out = project / "outputs"
    out.mkdir()
    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("no mount namespace here (unshare -m)")
    script = f'mount --bind -o ro "{out}" "{out}" && exec "{sys.executable}" -m auditkit.cli run'
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "AUDITKIT_ROOT": str(project)}, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "无法写入 outputs（Read-only file system）" in done.stderr and "未运行任何笔记本" in done.stderr
    assert "Traceback" not in done.stderr and list(out.iterdir()) == []


@pytest.mark.slow  # waits for the connection to be refused, a few seconds
def test_14_an_unreachable_scheduler_exits_2_within_seconds(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.monotonic()
    assert main(["run", "--scheduler", f"tcp://127.0.0.1:{port}"]) == 2
    assert time.monotonic() - start < 20
    err = capsys.readouterr().err
    assert f"无法连接 Dask 调度器 tcp://127.0.0.1:{port}" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    with pytest.raises(BatchError, match="未运行任何笔记本"):
        preflight(project / "outputs", f"tcp://127.0.0.1:{port}")


# --- 12. make report renders the others and ends non-zero -------------------------------------------------------


@pytest.mark.slow
def test_12_make_report_renders_the_others_when_one_department_is_broken(project: Path) -> None:
    import shutil

    shutil.copy(ROOT / "Makefile", project / "Makefile")
    with open(project / "data/2019/other-rsj/kpis.csv", "a", encoding="utf-8") as handle:
        handle.write("garbage\n")
    done = subprocess.run(["make", "-o", "setup", "report", f"VENV={sys.prefix}"], cwd=project, capture_output=True,
                          text=True, env={**os.environ, "AUDITKIT_ROOT": str(project)}, timeout=300)
    assert done.returncode != 0
    assert (project / "outputs/2019/demo-rsj/overview.html").is_file()
    assert not (project / "outputs/2019/other-rsj/overview.html").exists()
    assert "kpis.csv" in done.stderr and "失败 1" in done.stdout


# --- the cases that execute notebooks ----------------------------------------------------------------------------


def _start(project: Path, *args: str) -> subprocess.Popen[str]:
    """``auditkit run`` as a user starts it: its own session, SIGINT at its default (see toolchain notes)."""
    return subprocess.Popen(
        [sys.executable, "-m", "auditkit.cli", "run", *args], cwd=project, env={**os.environ, "AUDITKIT_ROOT": str(project)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_for(predicate: object, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.1)


def _running(project: Path, dept: str) -> list[Path]:
    """The partial executed notebook of ``dept``'s notebook while its kernel runs (``.overview.<worker pid>.partial.ipynb``)."""
    return list((project / "outputs/2019" / dept).glob(".overview.*.partial.ipynb"))


@pytest.fixture
def slow_other(project: Path) -> Iterator[Path]:
    """other-rsj's notebook hangs (sleeps 120 s); demo-rsj's is quick and comes first."""
    _params(project, "other-rsj", delay=120)
    yield project


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_5_the_first_signal_stops_in_seconds_writes_the_manifest_and_leaves_no_process(slow_other: Path, signum: int, code: int) -> None:
    project = slow_other
    proc = _start(project, "-j", "1")
    _wait_for(lambda: _running(project, "other-rsj") and (project / "outputs/2019/demo-rsj/overview.html").exists())
    tree = descendants(proc.pid)
    assert len(tree) >= 3  # a worker, its zygote, the kernel running the notebook (and the spare)
    os.killpg(proc.pid, signum)  # as the terminal does: the whole foreground group
    start = time.monotonic()
    time.sleep(0.3)
    os.killpg(proc.pid, signum)  # an impatient second one changes nothing (it used to end in a traceback)
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - start < 5
    assert proc.returncode == code
    assert wait_gone(tree, 2) == []
    manifest = _manifest(project)
    assert manifest["outputs"]["2019/demo-rsj/overview"]["status"] == "ok"  # what finished is recorded
    assert "2019/other-rsj/overview" not in manifest["outputs"]
    assert "运行中被停止（1 份）：2019/other-rsj/overview" in err and "Traceback" not in err
    assert "另一局" not in (project / "outputs/index.html").read_text(encoding="utf-8")
    assert not list((project / "outputs").rglob(".*.partial.ipynb"))  # its workers' temporaries are gone too


@pytest.mark.slow
def test_6_kill_9_of_the_parent_leaves_no_process_within_5_s(slow_other: Path) -> None:
    project = slow_other
    proc = _start(project, "-j", "1")
    _wait_for(lambda: _running(project, "other-rsj"))
    tree = descendants(proc.pid)
    assert len(tree) >= 3
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=10)
    assert wait_gone(tree, 5) == []


@pytest.mark.slow
def test_7_a_worker_killed_9_fails_only_its_job_and_the_rest_goes_on(project: Path) -> None:
    _params(project, "demo-rsj", delay=120)  # the first job hangs until its worker is killed, as the OOM killer would
    proc = _start(project, "-j", "1")
    _wait_for(lambda: _running(project, "demo-rsj"))
    worker = int(_running(project, "demo-rsj")[0].name.split(".")[2])
    os.kill(worker, signal.SIGKILL)
    _, err = proc.communicate(timeout=180)
    assert proc.returncode == 1
    manifest = _manifest(project)["outputs"]
    assert manifest["2019/other-rsj/overview"]["status"] == "ok"  # the pool was replaced, the rest went on
    assert manifest["2019/demo-rsj/overview"]["status"] == "failed"
    assert f"工作进程（进程 {worker}，信号 SIGKILL）在运行笔记本 overview 时意外退出" in manifest["2019/demo-rsj/overview"]["error"]
    assert "BrokenProcessPool" not in err and "Traceback" not in err
    assert not list((project / "outputs").rglob(".*.partial.ipynb"))


@pytest.mark.slow
def test_4_a_hung_cell_with_timeout_5_fails_alone(slow_other: Path) -> None:
    project = slow_other
    proc = _start(project, "-j", "1", "--timeout", "5")
    out, _ = proc.communicate(timeout=180)
    assert proc.returncode == 1
    assert re.search(r"2019/other-rsj\s+概况\s+超时", out) and "其中超时 1" in out
    entry = _manifest(project)["outputs"]["2019/other-rsj/overview"]
    assert entry["status"] == "failed" and entry["timed_out"] is True
    assert "超时：笔记本 overview（概况）单元格 In [3]「import time」 运行超过 5 秒" in entry["error"]
    failed = nbformat.read(project / "outputs/2019/other-rsj/overview.failed.ipynb", as_version=4)
    assert any("papermill-error-cell-tag" in c.metadata.get("tags", []) for c in failed.cells)  # partial, with its banner
    assert "超时" in failed.cells[0].source and "KeyboardInterrupt" in json.dumps(failed.cells[-1].outputs)
    assert _manifest(project)["outputs"]["2019/demo-rsj/overview"]["status"] == "ok"
    assert "超时" in (project / "outputs/index.html").read_text(encoding="utf-8")
    assert entry["seconds"] < 60


@pytest.mark.slow
def test_8_two_concurrent_runs_end_with_every_department_in_the_manifest(project: Path) -> None:
    _params(project, "demo-rsj", delay=4)
    first = _start(project, "params/2019/demo-rsj.yaml")
    lock = project / "outputs/.auditkit.lock"
    _wait_for(lambda: lock.exists() and str(first.pid) in lock.read_text(encoding="utf-8"))
    second = _start(project, "params/2019/other-rsj.yaml")
    _, err1 = first.communicate(timeout=180)
    _, err2 = second.communicate(timeout=180)
    assert (first.returncode, second.returncode) == (0, 0), err1 + err2
    assert f"outputs 正被另一个 auditkit run（进程 {first.pid}" in err2  # it waited, and said for whom
    assert set(_manifest(project)["outputs"]) == {"2019/demo-rsj/overview", "2019/other-rsj/overview"}
    index = (project / "outputs/index.html").read_text(encoding="utf-8")
    assert "2019/demo-rsj/overview.html" in index and "2019/other-rsj/overview.html" in index
    assert not list((project / "outputs").rglob(".*.partial.ipynb"))


def test_8_a_run_removes_only_temporaries_whose_writer_is_gone(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = project / "outputs/2019/demo-rsj"
    folder.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    mine = folder / f".overview.{os.getppid()}.partial.ipynb"  # a live process's (another run's worker)
    stale = folder / f".overview.{dead}.partial.ipynb"
    stale_tmp = folder / f".overview.html.{dead}.abcd1234.tmp"
    for p in (mine, stale, stale_tmp):
        p.write_text("{}", encoding="utf-8")
    _params(project, "demo-rsj", data_pth="x")
    _params(project, "other-rsj", data_pth="x")
    _no_kernels(monkeypatch)
    run_batch(_jobs(project), workers=1, out_root=project / "outputs")
    assert mine.exists() and not stale.exists() and not stale_tmp.exists()


def test_8_a_stale_lock_is_detected_and_taken_over(project: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "outputs").mkdir()
    (project / "outputs/.auditkit.lock").write_text(json.dumps({"pid": 999999, "started": "2026-01-01T00:00:00"}), encoding="utf-8")
    _params(project, "demo-rsj", data_pth="x")
    _params(project, "other-rsj", data_pth="x")
    _no_kernels(monkeypatch)
    run_batch(_jobs(project), workers=1, out_root=project / "outputs")
    assert "上一次运行（进程 999999，开始于 2026-01-01T00:00:00）未正常结束；其锁已失效，本次接管" in capsys.readouterr().err
    assert (project / "outputs/.auditkit.lock").read_text(encoding="utf-8") == ""  # released in order


def test_8_a_waiting_run_says_who_holds_the_lock_and_a_ctrl_c_ends_the_wait(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import fcntl

    from auditkit.batch.lock import outputs_lock
    from auditkit.exceptions import BatchInterrupted

    holder = os.open(tmp_path / ".auditkit.lock", os.O_RDWR | os.O_CREAT)  # another run's hold (another open file)
    os.write(holder, json.dumps({"pid": 4242, "host": "h", "started": "s"}).encode())
    fcntl.flock(holder, fcntl.LOCK_EX)
    asked = []

    def stop() -> int | None:
        asked.append(1)
        return signal.SIGINT if len(asked) > 2 else None

    try:
        with pytest.raises(BatchInterrupted) as caught, outputs_lock(tmp_path, stop=stop, pending=["2019/a/b"], poll=0.01):
            raise AssertionError("the lock was taken while held")
    finally:
        os.close(holder)
    assert (caught.value.signum, caught.value.pending) == (signal.SIGINT, ["2019/a/b"])
    assert "正被另一个 auditkit run（进程 4242，主机 h，开始于 s）使用；等它结束后再运行" in capsys.readouterr().err


def test_8_a_file_system_without_locks_runs_unlocked_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import fcntl

    from auditkit.batch.lock import outputs_lock

    def no_locks(fd: int, op: int) -> None:
        raise OSError(37, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    ran = []
    with outputs_lock(tmp_path):
        ran.append(1)
    assert ran == [1] and ".auditkit.lock 加锁（No locks available），本次不加锁运行" in capsys.readouterr().err


def test_4_a_worker_stuck_past_its_jobs_time_limit_is_killed_and_the_job_fails_as_timed_out(project: Path, tmp_path: Path) -> None:
    """The safety net behind the kernel's deadline: a worker that holds one job past timeout + the overrun allowance
    (stuck outside the kernel: starting it, rendering) is killed; its job then fails "超时", like a kernel's."""
    stuck = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    pool = object.__new__(runner._Pool)  # its claims only: no executor needed to decide whom to stop
    pool.claims, pool.overdue = tmp_path, set()
    (tmp_path / str(stuck.pid)).write_text(json.dumps({"key": "2019/demo-rsj/overview", "start": time.time() - 100}))
    try:
        pool.stop_overdue(50)
        assert stuck.wait(timeout=5) == -signal.SIGKILL and pool.overdue == {"2019/demo-rsj/overview"}
    finally:
        stuck.kill()
    job = replace(_jobs(project)[0], timeout=30)
    result = runner._worker_died(job, stuck.pid, -signal.SIGKILL, overdue=True)
    assert result.timed_out and (result.error or "").startswith("超时：笔记本 overview（概况）运行超过 30 秒")


# --- 3 and 15 on executed notebooks: modes of every file, a cell error in words ---------------------------------


@pytest.mark.slow
def test_3_and_15_executed_outputs_are_0644_and_a_cell_error_says_where_and_what(project: Path) -> None:
    _notebook(project / "notebooks" / "decimal.ipynb", title="金额",
              body='from decimal import Decimal\nx = 1\nDecimal("3O342") + 1')
    old = os.umask(0o022)
    try:
        results = {r.key: r for r in run_batch(_jobs(project), workers=1, out_root=project / "outputs")}
    finally:
        os.umask(old)
    out = project / "outputs"
    files = [out / "index.html", out / "manifest.json", *out.glob("2019/*/*.html"), *out.glob("2019/*/*.ipynb")]
    assert {p.name for p in files} >= {"overview.html", "overview.ipynb", "decimal.failed.ipynb"}
    assert {p.relative_to(out).as_posix(): oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {
        p.relative_to(out).as_posix(): "0o644" for p in files}
    error = results["2019/demo-rsj/decimal"].error or ""
    assert error.startswith("笔记本 decimal（金额）单元格 In [3]「from decimal import Decimal」 出错：InvalidOperation"
                            "（十进制数运算无效（对非数字、空值或无穷大做了运算，或把非数字文本转换为数字））")
    assert "\n位置：该单元格第 3 行" in error and "[<class" not in error
    assert "单元格 In [3]" in (out / "index.html").read_text(encoding="utf-8")
