"""pyproject.toml and environment.yml list the same dependencies; the CI script calls the README's test command."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_pyproject_and_environment_list_the_same_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_side = {_name(r): r for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    entries = [d for d in env["dependencies"] if isinstance(d, str)]
    entries += [d for d in env["dependencies"] if isinstance(d, dict) for d in d["pip"] if not d.startswith("-")]
    conda_side = {_name(d): d.split("#")[0].strip() for d in entries if _name(d) not in ("python", "pip")}
    assert set(pip_side) == set(conda_side)
    for name, requirement in pip_side.items():  # the same lower bounds, too
        assert requirement.replace(" ", "") == conda_side[name].replace(" ", ""), name


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make report" in readme
    commands = [line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))]
    assert commands == ["make test"]


def test_outputs_are_ignored_by_git() -> None:
    assert "/outputs/*" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
