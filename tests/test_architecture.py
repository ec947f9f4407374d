"""The house: every sub-package imports on its own, no module imports itself back, and the rooms follow the flow.

The flow is data → analyses → scoring and reconciliation → report → batch: a module imports from its own room and
the rooms before it, never from a later one, with the few exceptions listed (and explained) in ``UPWARD``. Imports
are read from the source (every ``import`` statement, at any depth, except those under ``if TYPE_CHECKING:``), so an
import hidden inside a function counts as much as one at the top of the module.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "auditkit"
SUBPACKAGES = ("data", "analyses", "scoring", "reconcile", "report", "batch")
#: The rooms in the order of the flow; base modules (exceptions, paths, terminal, _lazy) come before all of them,
#: and the entry points (the package itself, cli, synth) after.
LAYERS = {"base": 0, "data": 1, "analyses": 2, "scoring": 3, "reconcile": 3, "report": 4, "batch": 5, "top": 6}
BASE = {"auditkit.exceptions", "auditkit.paths", "auditkit.terminal", "auditkit._lazy"}
#: The imports that go against the flow, each for a reason:
UPWARD = {
    # a department names its indicator framework, and its stated grade must be one of that framework's grades
    ("auditkit.data.schema", "auditkit.scoring.framework"),
    ("auditkit.data.validate", "auditkit.scoring.framework"),
    # formula KPIs' input variables live with their formulas (one registry)
    ("auditkit.data.schema", "auditkit.analyses.metrics"),
}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path: Path, known: set[str]) -> set[str]:
    """The auditkit modules ``path`` imports (``from auditkit.x import y`` is auditkit.x.y when y is a module)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module == "auditkit" and [a.name for a in node.names] == ["__version__"]:
                return  # the version string, not the package's API
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names if f"{node.module}.{alias.name}" in known)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in known}


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in PACKAGE.rglob("*.py")}
    known = set(files)
    return {name: _imports(path, known) - {name} for name, path in files.items()}


def _layer(module: str) -> int:
    if module in BASE:
        return LAYERS["base"]
    parts = module.split(".")
    return LAYERS[parts[1]] if len(parts) > 2 or (len(parts) == 2 and parts[1] in SUBPACKAGES) else LAYERS["top"]


def test_no_module_imports_itself_back() -> None:
    graph = _graph()
    state: dict[str, int] = defaultdict(int)  # 0 new, 1 on the path, 2 done
    path: list[str] = []
    cycles: list[list[str]] = []

    def walk(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if target.startswith(node + "."):
                continue  # a package importing its own module (a re-export), not a cycle
            if state[target] == 1:
                if not node.startswith(target + "."):  # a module importing its own package's __init__ is not one either
                    cycles.append([*path[path.index(target):], target])
            elif state[target] == 0:
                walk(target)
        path.pop()
        state[node] = 2

    for module in sorted(graph):
        if state[module] == 0:
            walk(module)
    assert not cycles, "\n".join(" → ".join(c) for c in cycles)


def test_the_rooms_import_only_from_the_rooms_before_them() -> None:
    against = sorted(
        (module, target)
        for module, targets in _graph().items()
        for target in targets
        if _layer(target) > _layer(module) and (module, target) not in UPWARD
        and not (module.startswith("auditkit.") and target.startswith(module + "."))  # a package re-exporting its modules
    )
    assert not against, "\n".join(f"{m} imports {t}" for m, t in against)


def test_the_upward_exceptions_are_still_needed() -> None:
    graph = _graph()
    assert [pair for pair in UPWARD if pair[1] not in graph[pair[0]]] == []


@pytest.mark.parametrize("name", ["auditkit", *(f"auditkit.{p}" for p in SUBPACKAGES)])
def test_each_sub_package_imports_on_its_own_in_a_fresh_interpreter(name: str) -> None:
    done = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr


def test_the_public_api_names_what_it_exports_and_each_name_resolves() -> None:
    import auditkit

    names = [n for n in auditkit.__all__ if n != "__version__"]
    assert sorted(names) == sorted(auditkit._EXPORTS)
    for name in names:
        assert getattr(auditkit, name) is not None, name


def test_importing_auditkit_imports_neither_pandas_nor_matplotlib() -> None:
    """The command line starts fast: the public API is imported on first use."""
    code = "import sys, auditkit; print(sorted(m for m in ('pandas', 'matplotlib', 'openpyxl') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_every_error_auditkit_raises_is_defined_in_exceptions() -> None:
    """One ``exceptions.py``: no other module defines an Exception subclass."""
    elsewhere = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "exceptions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and (b.id.endswith(("Error", "Exception")) or b.id == "AuditkitError") for b in node.bases
            ):
                elsewhere.append(f"{_module(path)}.{node.name}")
    assert elsewhere == []


def test_every_exception_says_when_it_is_raised() -> None:
    from auditkit import exceptions

    errors = [getattr(exceptions, n) for n in exceptions.__all__ if isinstance(getattr(exceptions, n), type)
              and issubclass(getattr(exceptions, n), Exception)]
    assert len(errors) >= 10
    assert [e.__name__ for e in errors if not (e.__doc__ or "").startswith(("Raised when", "Base class"))] == []
