"""pyproject.toml and environment.yml list the same dependencies, pip accepts environment.yml's pip section, and the
CI script calls the README's test command."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pip_section() -> list[str]:
    """The entries of environment.yml's ``pip:`` section, as conda hands them to pip (YAML comments already gone)."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    (section,) = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert all(isinstance(entry, str) for entry in section)
    return list(section)


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


def test_the_only_pip_option_line_is_the_editable_install_of_the_project() -> None:
    """The entries starting with "-" are not dependencies (the test above skips them): the one there is ``-e .``, this
    project in editable mode (its dependencies are the conda packages). ``--no-deps -e .`` was there once: pip refuses
    it in a requirements file ("no such option: --no-deps"), which the next test has pip itself say."""
    assert [entry for entry in _pip_section() if entry.startswith("-")] == ["-e ."]


def _pip(requirements: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """pip of this interpreter, from the repository root (as conda runs it beside environment.yml), on ``requirements``:
    a dry run that installs nothing and asks no index."""
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--no-index", *options, "-r", str(requirements)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def _build_backend_is_here() -> bool:
    """Whether this interpreter has what pyproject.toml's build-system requires (setuptools >= 77 for the SPDX
    ``license = "MIT"``): only then can pip prepare the editable project without build isolation, hence without an index."""
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    for text in requires:
        requirement = Requirement(text)
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            return False
        if installed not in requirement.specifier:
            return False
    return True


@pytest.mark.slow  # two pip runs, one preparing the project's metadata (seconds)
def test_pip_accepts_every_entry_of_the_pip_section(tmp_path: Path) -> None:
    """Every entry of environment.yml's pip section, written to a requirements file as conda writes it, is checked by
    pip itself, with no index (mplfonts is installed already):

    1. the entries that are not editable installs: ``pip install --dry-run --no-deps --no-index -r`` must succeed, so
       each line is one pip accepts (an unknown option fails with "no such option", a malformed requirement with
       "Invalid requirement") and each requirement is met here;
    2. the whole section, editable line included: pip parses every line of the file before it prepares any
       requirement, so reaching "Obtaining file:///<repository root> (from -r … (line N))" for the editable line means
       the file parsed and the line names this project. Preparing it for real needs pyproject.toml's build backend
       (setuptools >= 77) in this interpreter, since without an index pip cannot build in isolation: where it is here
       (a conda env from environment.yml) the dry run must succeed and would install auditkit; where it is not (a
       ``python -m venv`` of Python 3.11 brings setuptools 65), pip must fail only at that build step
       ("metadata-generation-failed"), never at the parse (a usage error, before anything is obtained).
    The old line ``--no-deps -e .`` (or ``-e . --no-deps``) fails both: pip says "no such option: --no-deps"."""
    entries = _pip_section()
    editable = [e for e in entries if re.match(r"(-e|--editable)\s", e)]

    plain = tmp_path / "plain.txt"
    plain.write_text("".join(f"{e}\n" for e in entries if e not in editable), encoding="utf-8")
    result = _pip(plain)
    assert result.returncode == 0, f"pip refused {plain.read_text(encoding='utf-8')!r}:\n{result.stdout}{result.stderr}"
    assert "Requirement already satisfied: mplfonts" in result.stdout
    assert editable, "environment.yml installs the project itself from its pip section"

    whole = tmp_path / "requirements.txt"
    whole.write_text("".join(f"{e}\n" for e in entries), encoding="utf-8")
    result = _pip(whole, "--no-build-isolation")
    output = result.stdout + result.stderr
    for n, entry in enumerate(entries, start=1):
        if entry in editable:
            assert f"Obtaining {ROOT.as_uri()} (from -r {whole} (line {n}))" in result.stdout, output
    if _build_backend_is_here():
        assert result.returncode == 0, output
        version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
        assert f"Would install auditkit-{version}" in result.stdout, output
    else:
        assert result.returncode == 1 and "metadata-generation-failed" in output, output


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make report" in readme
    commands = [line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))]
    assert commands == ["make test"]


def test_outputs_are_ignored_by_git() -> None:
    assert "/outputs/*" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
