"""Lazy re-exports (PEP 562): a package names its public API without importing it, so ``import auditkit`` stays cheap.

``auditkit`` itself re-exports dozens of names from modules that pull in pandas, matplotlib and openpyxl; the command
line and the batch planner need almost none of them. Each name is imported on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["exports"]


def exports(package: str, names: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``names`` maps each public name to ``module`` (the module
    itself, when the name is the module's own last part) or ``module:attribute``."""

    def __getattr__(name: str) -> Any:
        target = names.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = target.partition(":")
        value = importlib.import_module(module)
        return getattr(value, attribute) if attribute else value

    def __dir__() -> list[str]:
        return sorted(names)

    return __getattr__, __dir__
