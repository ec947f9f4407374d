"""The lint and type checks pass: ruff over the code, tests and benchmark, and mypy --strict over the package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """The tool as a module of this interpreter, from the project root, so it reads pyproject.toml's settings."""
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(("ruff", "check", "src", "tests", "bench"), id="ruff"),  # well under a second: in the quick loop
        pytest.param(("mypy",), id="mypy", marks=pytest.mark.slow),  # a minute or more without a warm cache
    ],
)
def test_finds_nothing(command: tuple[str, ...]) -> None:
    result = _run(*command)
    assert result.returncode == 0, f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
