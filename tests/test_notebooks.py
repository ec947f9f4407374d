"""The notebooks: thin, parameterized, committed without outputs; every params key is a parameter of each."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from auditkit.batch.catalogue import catalogue
from auditkit.batch.params import params_files, read_params

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [n.name for n in catalogue(ROOT / "notebooks")]


def _parameters(name: str) -> dict[str, object]:
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{name}: exactly one cell tagged parameters"
    tree = ast.parse(cells[0].source)
    values = {}
    for node in tree.body:
        # typed (``data_path: str = "…"``), so that ``papermill --help-notebook`` shows each parameter's type
        assert isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None, name
        values[node.target.id] = ast.literal_eval(node.value)
    return values


def test_the_shipped_analyses_are_there_in_the_readers_order_with_their_titles() -> None:
    titles = {n.name: n.title for n in catalogue(ROOT / "notebooks")}
    assert NOTEBOOKS[0] == "evaluation_report" and NOTEBOOKS[-1] == "review_memo"
    assert titles["budget_variance"] == "预算执行与预决算差异分析"
    assert titles["kpi_attainment"] == "绩效目标完成情况分析"
    assert titles["cost_structure"] == "成本结构分析"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_parameters_cell_holds_runnable_defaults(name: str) -> None:
    values = _parameters(name)
    assert {"data_path", "framework"} <= set(values)
    assert (ROOT / str(values["data_path"]) / "department.yaml").is_file()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_params_key_is_a_parameter_of_the_notebook(name: str) -> None:
    names = set(_parameters(name))
    for path in params_files(ROOT / "params"):
        assert set(read_params(path).values) <= names, f"{path.name}: {set(read_params(path).values) - names}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_without_outputs_and_thin(name: str) -> None:
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not cell.outputs and cell.execution_count is None, f"{name}: outputs committed"
        tree = ast.parse(cell.source)
        # thin: no function or class definitions, no loops: the logic lives in the auditkit package
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.Lambda))], name
    assert nb.metadata["kernelspec"]["name"] == "python3"


# --- year-scope notebooks (the results summary) ----------------------------------------------------------------

YEAR_NOTEBOOKS = [n.name for n in catalogue(ROOT / "notebooks", scope="year")]


def test_the_summary_is_the_year_scope_notebook_and_not_a_department_one() -> None:
    assert YEAR_NOTEBOOKS == ["summary"]
    assert "summary" not in NOTEBOOKS
    assert [n.name for n in catalogue(ROOT / "notebooks", scope=None)] == [*NOTEBOOKS, "summary"]


@pytest.mark.parametrize("name", YEAR_NOTEBOOKS)
def test_a_year_notebook_takes_the_fiscal_year_and_optionally_departments_and_a_framework(name: str) -> None:
    assert _parameters(name) == {"fiscal_year": 2024, "departments": None, "framework": None}
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    source = next(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert "fiscal_year: int" in source and "departments: list[str] | None" in source and "framework: str | None" in source


@pytest.mark.parametrize("name", YEAR_NOTEBOOKS)
def test_a_year_notebook_is_committed_without_outputs_and_thin(name: str) -> None:
    test_committed_without_outputs_and_thin(name)
