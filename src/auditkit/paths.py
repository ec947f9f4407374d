"""Every path auditkit uses, defined once.

The project root is ``$AUDITKIT_ROOT`` when set, else the nearest folder at or above the working
directory that holds both ``data/`` and ``params/``, else the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "DEPARTMENT_FILE",
    "data_dir",
    "department_dirs",
    "display",
    "notebooks_dir",
    "outputs_dir",
    "params_dir",
    "project_root",
]

DEPARTMENT_FILE = "department.yaml"


def project_root() -> Path:
    env = os.environ.get("AUDITKIT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data").is_dir() and (folder / "params").is_dir():
            return folder
    return here


def data_dir() -> Path:
    """``data/``: extracted data, one folder per department-year (``data/<year>/<dept_id>/``). Immutable."""
    return project_root() / "data"


def params_dir() -> Path:
    """``params/``: papermill parameters, one YAML file per department-year (``params/<year>/<dept_id>.yaml``)."""
    return project_root() / "params"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def outputs_dir() -> Path:
    """``outputs/``: everything rendered; never committed, rebuilt by one command."""
    return project_root() / "outputs"


def department_dirs(root: Path | None = None) -> list[Path]:
    """Every department-year folder under ``root`` (default ``data/``), sorted by year then id."""
    base = root or data_dir()
    return sorted(p.parent for p in base.glob(f"*/*/{DEPARTMENT_FILE}"))


def display(path: str | os.PathLike[str]) -> str:
    """``path`` as the user would type it: relative to the working directory when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
