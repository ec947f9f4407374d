"""The notebooks of a project, as the batch runs them: one registry, read from the notebooks themselves.

Every ``notebooks/*.ipynb`` is an analysis the batch runs for every department-year. What the batch needs to know of
one is in the notebook:

- its **title** (the report's name, e.g. 预算执行与预决算差异分析): its first Markdown heading;
- its **place** in the reader's order: ``metadata.auditkit.order`` (the shipped notebooks number themselves; a
  notebook without one comes after them, by file name);
- the title of its **self-evaluation** form, where it differs (``metadata.auditkit.self_evaluation_title``: the
  evaluation report of a 自评 department is a 自评报告);
- its **imports**: the modules its code cells import, which every kernel has already imported before the notebook
  starts (:mod:`auditkit.batch.kernels`), so a notebook costs its own work, not its imports;
- its **parameters**: the names its cell tagged ``parameters`` assigns, each with the types it accepts (from the
  annotation, ``data_path: str = …``, else from the default's literal). A parameters file may set only these, with
  values of these types (:func:`auditkit.batch.params.check_parameters`): papermill writes each key verbatim into
  the injected cell, so an unchecked key is code.
- its **scope** (``metadata.auditkit.scope``): ``department`` (the default: run for every department-year, with
  ``data_path`` and ``framework``) or ``year`` (run once per fiscal year, after that year's departments, with
  ``fiscal_year``: the results summary, 评价结果汇总).

So a team drops its own analysis into ``notebooks/`` and the batch runs it, under its own title, with nothing to
register in the package.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from auditkit.paths import notebooks_dir

__all__ = ["BASE_PRELOAD", "SCOPES", "Notebook", "Parameter", "Scope", "catalogue", "preload"]

#: What a notebook runs for: each department-year, or each fiscal year (all of that year's departments).
Scope = Literal["department", "year"]
SCOPES: tuple[Scope, ...] = get_args(Scope)

#: Imported in every kernel whatever the notebooks import: what rendering a report always needs.
BASE_PRELOAD = ("pandas", "matplotlib.pyplot")
#: Where a notebook without ``metadata.auditkit.order`` goes: after the shipped ones.
_UNORDERED = 1000
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)


#: The value types a parameter may take, by the name of its annotation (``float`` also takes an ``int``).
_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "list": (list,), "dict": (dict,),
    "None": (type(None),),
}


@dataclass(frozen=True)
class Parameter:
    """One parameter of a notebook: its name and the types of its values (``types`` empty: any plain value)."""

    name: str
    types: tuple[str, ...] = ()

    def accepts(self, value: object) -> bool:
        """Whether ``value`` is of one of the parameter's types (a bool is never an int or a float)."""
        if not self.types:
            return True
        if isinstance(value, bool):
            return "bool" in self.types
        return any(isinstance(value, _TYPES[t]) for t in self.types)


@dataclass(frozen=True)
class Notebook:
    """One notebook of the catalogue: its name (the file's stem), path, title, order and imports.

    ``imports`` are ``module`` or ``module:name`` (``from auditkit import budget`` is ``auditkit:budget``);
    ``parameters`` is None when the notebook has no cell tagged ``parameters`` (then it takes none).
    """

    name: str
    path: Path
    title: str
    order: int = _UNORDERED
    self_evaluation_title: str | None = None
    imports: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] | None = None
    scope: Scope = "department"

    def title_for(self, kind: str | None) -> str:
        """The report's name for a department of this evaluation kind (自评 or 第三方评价)."""
        return self.self_evaluation_title if kind == "自评" and self.self_evaluation_title else self.title


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _title(cells: list[dict[str, Any]], fallback: str) -> str:
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            found = _HEADING.search(_source(cell))
            if found:
                return found.group(1).strip()
    return fallback


def _imports(cells: list[dict[str, Any]]) -> tuple[str, ...]:
    """The modules the code cells import at their top level (a cell that does not parse is skipped)."""
    found: list[str] = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        code = "\n".join(line for line in _source(cell).splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                found += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found += [f"{node.module}:{alias.name}" for alias in node.names if alias.name != "*"]
    return tuple(dict.fromkeys(found))


def _annotation_types(node: ast.expr | None) -> tuple[str, ...]:
    """``str``, ``int | None``, ``Optional[float]``: the type names an annotation allows (empty: unknown, any)."""
    if isinstance(node, ast.Constant) and node.value is None:
        return ("None",)
    if isinstance(node, ast.Name) and node.id in _TYPES:
        return (node.id,)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _annotation_types(node.left), _annotation_types(node.right)
        return (*left, *right) if left and right else ()
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        if node.value.id == "Optional":
            inner = _annotation_types(node.slice)
            return (*inner, "None") if inner else ()
        if node.value.id in ("list", "dict"):
            return (node.value.id,)
    return ()


def _default_types(node: ast.expr | None) -> tuple[str, ...]:
    """The type of a literal default (``delay = 0`` is an int; ``x = None`` or an expression: any)."""
    try:
        value = ast.literal_eval(node) if node is not None else None
    except ValueError:
        return ()
    if value is None:
        return ()
    name = type(value).__name__
    return ("float",) if name == "float" else (name,) if name in _TYPES else ()


def _parameters(cells: list[dict[str, Any]]) -> tuple[Parameter, ...] | None:
    """The names (and types) the first cell tagged ``parameters`` assigns at its top level, as papermill reads them."""
    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in (cell.get("metadata", {}).get("tags") or []):
            try:
                tree = ast.parse(_source(cell))
            except SyntaxError:
                return ()
            found: dict[str, Parameter] = {}
            for node in tree.body:
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    types = _annotation_types(node.annotation) or _default_types(node.value)
                    found[node.target.id] = Parameter(node.target.id, types)
                elif isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            found[target.id] = Parameter(target.id, _default_types(node.value))
            return tuple(found.values())
    return None


def _entry(path: Path) -> Notebook:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Notebook(path.stem, path, path.stem)  # unreadable: the batch reports it when it runs the notebook
    cells = document.get("cells", []) if isinstance(document, dict) else []
    meta = document.get("metadata", {}).get("auditkit", {}) if isinstance(document, dict) else {}
    meta = meta if isinstance(meta, dict) else {}
    order = meta.get("order")
    self_title = meta.get("self_evaluation_title")
    scope: Scope = "year" if meta.get("scope") == "year" else "department"
    return Notebook(
        name=path.stem,
        path=path,
        title=_title(cells, path.stem),
        order=order if isinstance(order, int) and not isinstance(order, bool) else _UNORDERED,
        self_evaluation_title=self_title if isinstance(self_title, str) and self_title else None,
        imports=_imports(cells),
        parameters=_parameters(cells),
        scope=scope,
    )


def catalogue(folder: Path | None = None, scope: Scope | None = "department") -> list[Notebook]:
    """The notebooks under ``folder`` (default ``notebooks/``) of ``scope`` (None: every scope), in the reader's
    order."""
    entries = [_entry(p) for p in (folder or notebooks_dir()).glob("*.ipynb")]
    return sorted((n for n in entries if scope is None or n.scope == scope), key=lambda n: (n.order, n.name))


def preload(notebooks: Iterable[Notebook]) -> tuple[str, ...]:
    """What every kernel imports before it is handed out: :data:`BASE_PRELOAD` and every notebook's imports."""
    return tuple(dict.fromkeys([*BASE_PRELOAD, *(spec for nb in notebooks for spec in nb.imports)]))
