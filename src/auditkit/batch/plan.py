"""The plan of a batch: one job per notebook and department-year, each with the hash of everything it is made from.

A job is re-run only when that hash changes: the department's data (and last year's, which feeds its 同比), its
parameters, its framework file, the notebook, or auditkit itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from auditkit.batch.catalogue import Notebook, Scope, preload
from auditkit.batch.manifest import code_fingerprint, hash_files, read_manifest
from auditkit.batch.params import check_parameters, read_params
from auditkit.data.loading import load
from auditkit.data.prior_year import find_prior_year
from auditkit.exceptions import AuditkitError, ParamsError
from auditkit.paths import data_dir, display, project_root
from auditkit.scoring.framework import framework_files

__all__ = ["DEFAULT_TIMEOUT", "Job", "Result", "Status", "plan", "plan_years"]

#: A notebook's time limit by default, in seconds (``auditkit run --timeout SECONDS``): the shipped notebooks take a
#: few seconds each, so ten minutes means a hang (a cell waiting on input, a loop that never ends), not a slow machine.
DEFAULT_TIMEOUT = 600.0

#: How a job ended: run and rendered, failed (with the error), or skipped because its inputs are unchanged.
Status = Literal["ok", "failed", "skipped"]


@dataclass(frozen=True)
class Job:
    """One notebook for one department-year, with everything a worker process needs."""

    params_file: str
    notebook: str
    notebook_path: str
    fiscal_year: str
    dept_id: str
    parameters: dict[str, object]
    input_hash: str
    out_dir: str
    root: str = ""
    pdf: bool = False
    #: Write the Word document (``<notebook>.docx``) beside the HTML (``auditkit run --formats``).
    docx: bool = True
    meta: dict[str, Any] = field(default_factory=dict)
    #: The department's data, parameters, framework and auditkit, hashed: its header facts and score are reused while
    #: it is unchanged, so that an unchanged re-run loads no department.
    department_key: str = ""
    department_meta: dict[str, Any] = field(default_factory=dict)
    department_score: tuple[str, str] | None = None
    #: Its review status for the index (draft, open errors and warnings), reused like its score.
    department_status: dict[str, Any] | None = None
    #: What every kernel imports before the notebook starts: the notebooks' own imports (see the catalogue).
    preload: tuple[str, ...] = ()
    #: Why the job cannot run (a parameters file or a key it refuses, data that does not load): it then fails with
    #: this message, before any kernel starts. ``department_problem`` is the department's own part of it, recorded
    #: with the department so that an unchanged broken department is not validated again.
    problem: str | None = None
    department_problem: str | None = None
    #: The notebook's time limit in seconds (0: none); past it the notebook is interrupted and fails, "超时".
    timeout: float = DEFAULT_TIMEOUT
    #: ``department`` (one department-year) or ``year`` (the whole fiscal year: the results summary, with
    #: ``dept_id`` empty, written to ``outputs/<year>/<notebook>.*``).
    scope: Scope = "department"

    @property
    def key(self) -> str:
        """``<year>/<dept_id>/<notebook>``; a year-scope job's is ``<year>/<notebook>``."""
        if self.scope == "year":
            return f"{self.fiscal_year}/{self.notebook}"
        return f"{self.fiscal_year}/{self.dept_id}/{self.notebook}"


@dataclass
class Result:
    """How one job ended: ``ok``, ``failed`` or ``skipped`` (unchanged inputs), with the error a reviewer can read."""

    key: str
    fiscal_year: str
    dept_id: str
    notebook: str
    status: Status
    department: str = ""
    report: str = ""
    seconds: float = 0.0
    input_hash: str = ""
    error: str | None = None
    failed_cell: int | None = None
    html: str | None = None
    ipynb: str | None = None
    failed_ipynb: str | None = None
    pdf: str | None = None
    docx: str | None = None
    memory_mb: float | None = None
    timed_out: bool = False


def _department_meta(data_path: Path, dept_id: str, fiscal_year: str) -> tuple[dict[str, Any], str | None]:
    """Header facts for the HTML, and why the department's data cannot be used (None when it loads).

    The data is validated here, once per department: a department that does not load fails its notebooks without
    starting a kernel, each with this one message. Any error, not only auditkit's own (a ``department.yaml`` that
    crashes validation), fails that department alone.
    """
    basic: dict[str, Any] = {"department": dept_id, "fiscal_year": fiscal_year}
    try:
        dept = load(data_path)
    except AuditkitError as exc:
        return basic, f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # one department's data must not stop the batch
        return basic, (f"{display(data_path)}: 读取部门数据时出错（{type(exc).__name__}: {exc}）；"
                       "请检查 department.yaml 与各 CSV 的结构（auditkit validate 列出问题），并把此信息报告给 auditkit 的维护者")
    return {
        "department": dept.department.name,
        "fiscal_year": dept.fiscal_year,
        "evaluator": dept.evaluation.evaluator,
        "kind": dept.evaluation.kind,
        "framework": dept.evaluation.framework,
    }, None


def plan(params_files: Iterable[Path], notebooks: Sequence[Notebook], out_root: Path, pdf: bool = False,
         docx: bool = True) -> list[Job]:
    """Every job of the batch, with the hash of its inputs (data, the prior year's data, parameters, notebook,
    framework, auditkit and the libraries that render it): changing last year's data re-renders this year's
    reports, whose 同比 it feeds.

    ``notebooks`` are catalogue entries (:func:`auditkit.batch.catalogue.catalogue`), in the order to run them.
    Nothing here stops the batch: a parameters file that cannot be read, a key or value a notebook does not take, or
    a department whose data does not load gives jobs that carry their ``problem``; they fail without a kernel.
    """
    code = code_fingerprint()
    imports = preload(notebooks)
    known = read_manifest(out_root / "manifest.json", warn=False).get("departments", {})
    jobs = []
    for params_path in params_files:
        year, dept_id = params_path.parent.name, params_path.stem
        common: dict[str, Any] = {"params_file": str(params_path), "fiscal_year": year, "dept_id": dept_id,
                  "out_dir": str(out_root / year / dept_id), "root": str(project_root()), "pdf": pdf, "docx": docx, "preload": imports}
        try:
            params = read_params(params_path)
        except ParamsError as exc:
            jobs += [_failed_job(common, notebook, {"department": dept_id, "fiscal_year": year}, str(exc)) for notebook in notebooks]
            continue
        data_path = params.data_path
        data_hash = hash_files([data_path]) if data_path.exists() else "missing"
        # the department's own inputs, read once; each notebook's hash adds the notebook and last year's data
        department_key = hash_files([params_path, *framework_files(params.framework)], extra=f"{data_hash}:{code}")
        seen = known.get(f"{year}/{dept_id}", {})
        if seen.get("key") == department_key and "meta" in seen:
            base_meta, problem = seen["meta"], seen.get("problem")
        else:
            base_meta, problem = _department_meta(data_path, dept_id, year)
        prior = find_prior_year(dept_id, int(year)) if year.isdigit() and problem is None else None
        prior_hash = hash_files([prior]) if prior is not None else "none"
        for notebook in notebooks:
            name, nb_path = notebook.name, notebook.path
            input_hash = hash_files([nb_path], extra=f"{department_key}:{prior_hash}")
            title = notebook.title_for(base_meta.get("kind"))
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
            refused = check_parameters(params, notebook)
            jobs.append(Job(
                **common, notebook=name, notebook_path=str(nb_path), parameters=dict(params.values),
                input_hash=input_hash, meta=meta, department_key=department_key, department_meta=base_meta,
                department_score=tuple(seen["score"]) if seen.get("key") == department_key and "score" in seen else None,
                department_status=seen.get("status") if seen.get("key") == department_key and seen.get("status") else None,
                problem="\n".join(refused) if refused else problem, department_problem=problem,
            ))
    return jobs


def _failed_job(common: dict[str, Any], notebook: Notebook, base_meta: dict[str, Any], problem: str) -> Job:
    """A job that cannot run (its parameters file is unreadable): it fails with ``problem``, without a kernel."""
    title = notebook.title_for(None)
    meta = {**base_meta, "report": title, "notebook": notebook.name, "title": title}
    return Job(**common, notebook=notebook.name, notebook_path=str(notebook.path), parameters={}, input_hash="",
               meta=meta, department_meta=base_meta, problem=problem, department_problem=problem)


def plan_years(params_files: Iterable[Path], notebooks: Sequence[Notebook], out_root: Path, pdf: bool = False,
               docx: bool = True) -> list[Job]:
    """One job per year-scope notebook (the results summary) and fiscal year of ``params_files``, run after that
    year's departments, written to ``outputs/<year>/<notebook>.*``.

    Its hash covers the notebook, every department's data of the year and of the year before (their 同比), the
    year's parameters files, every framework file and auditkit: any department's change re-renders its year's summary.
    """
    code = code_fingerprint()
    imports = preload(notebooks)
    files = sorted(params_files)
    years = sorted({p.parent.name for p in files if p.parent.name.isdigit()})
    jobs = []
    for year in years:
        data = [data_dir() / year, data_dir() / str(int(year) - 1)]
        year_params = [p for p in files if p.parent.name == year]
        frameworks = sorted({f for p in year_params for f in _framework_files(p)})
        base = hash_files([*[d for d in data if d.exists()], *year_params, *frameworks], extra=code)
        for notebook in (n for n in notebooks if n.scope == "year"):
            meta = {
                "title": f"{year}年度{notebook.title}", "report": notebook.title, "notebook": notebook.name,
                "fiscal_year": year, "department": f"全部部门（{len(year_params)} 个）",
                "data_hash": base, "parameters": {"fiscal_year": year},
                "params_file": f"{display(year_params[0].parent)}/*.yaml",
            }
            jobs.append(Job(
                params_file="", notebook=notebook.name, notebook_path=str(notebook.path), fiscal_year=year, dept_id="",
                parameters={"fiscal_year": int(year)}, input_hash=hash_files([notebook.path], extra=base),
                out_dir=str(out_root / year), root=str(project_root()), pdf=pdf, docx=docx, meta=meta, preload=imports,
                scope="year",
            ))
    return jobs


def _framework_files(params_path: Path) -> list[Path]:
    try:
        return framework_files(read_params(params_path).framework)
    except AuditkitError:
        return []
