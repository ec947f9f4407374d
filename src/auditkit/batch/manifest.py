"""What a batch produced and from which inputs: input hashes for incremental runs, and ``outputs/manifest.json``."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import sys
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["atomic_write", "code_files", "code_fingerprint", "hash_files", "manifest_problem", "read_manifest", "tool_versions",
           "write_manifest"]

_PACKAGE_DIR = Path(__file__).parent.parent  # the whole auditkit package, not only batch/


def hash_files(paths: list[Path], extra: str = "") -> str:
    """SHA-256 over the files' relative names and bytes, plus ``extra``.

    A folder is walked, each file named relative to it (``sub/x.csv``: moving a file between sub-folders changes the
    hash); a file given itself is named by its base name.
    """
    digest = hashlib.sha256(extra.encode())
    files: list[tuple[str, Path]] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted((f.relative_to(p).as_posix(), f) for f in p.rglob("*") if f.is_file()))
        else:
            files.append((p.name, p))
    for name, f in files:
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(f.read_bytes() if f.exists() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def code_fingerprint() -> str:
    """auditkit's version and source, and the versions of the libraries that render a report
    (:func:`tool_versions`): a change to the package, or an upgrade of pandas, matplotlib, nbconvert, papermill or
    the CJK font, re-runs every output built with it."""
    from auditkit import __version__

    return hash_files(code_files(), extra=f"{__version__}:{json.dumps(tool_versions(), sort_keys=True)}")


def code_files() -> list[Path]:
    """Every file of the auditkit package a report depends on: its modules, templates and frameworks."""
    return sorted(p for p in _PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in (".py", ".j2", ".css", ".yaml", ".json"))


#: The libraries a report's figures, charts and page depend on (mplfonts carries the CJK font of the charts).
_TOOLS = ("auditkit", "papermill", "nbconvert", "nbclient", "nbformat", "ipykernel", "pandas", "numpy", "matplotlib",
          "mplfonts", "jinja2", "pyyaml", "openpyxl")


def tool_versions() -> dict[str, str]:
    """The Python version and each of :data:`_TOOLS`' installed versions ("?" when not installed)."""
    versions = {"python": platform.python_version()}
    for name in _TOOLS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "?"
    return versions


def _umask() -> int:
    """The process's umask, read without changing it where the system tells (Linux), else by setting it back."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``path`` completely or not at all: a temporary file beside it, then an atomic rename.

    The file gets the mode any file the process creates gets (0666 less the umask: 0644 under umask 022), not
    ``mkstemp``'s 0600. The temporary's name carries the writing process's id (``.<name>.<pid>.<random>.tmp``), so
    that a later batch removes it only once that process is gone.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_KEY = re.compile(r"[^/.][^/]*")
_OPTIONAL_TEXT = ("department", "report", "error", "html", "ipynb", "failed_ipynb", "pdf", "last_ok_hash", "params_file",
                  "fiscal_year", "dept_id", "notebook")


def _number(value: object, optional: bool = False) -> bool:
    return (value is None and optional) or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _output_problem(key: object, entry: object) -> str | None:
    """What is wrong with one entry of ``outputs`` (None: nothing)."""
    # a department's report is 年度/部门编号/笔记本; a year's own (the results summary) 年度/笔记本
    if not isinstance(key, str) or len(key.split("/")) not in (2, 3) or not all(_KEY.fullmatch(part) for part in key.split("/")):
        return f"键 {key!r} 不是「年度/部门编号/笔记本」或「年度/笔记本」"
    if not isinstance(entry, dict):
        return f"{key} 应为映射，读到 {type(entry).__name__}"
    if entry.get("status") not in ("ok", "failed"):
        return f"{key} 的 status 应为 ok 或 failed，读到 {entry.get('status')!r}"
    if not isinstance(entry.get("input_hash"), str):
        return f"{key} 的 input_hash 应为文本"
    bad = [k for k in _OPTIONAL_TEXT if entry.get(k) is not None and not isinstance(entry.get(k), str)]
    if bad:
        return f"{key} 的 {bad[0]} 应为文本，读到 {entry[bad[0]]!r}"
    if not _number(entry.get("seconds", 0)) or not _number(entry.get("memory_mb"), optional=True):
        return f"{key} 的 seconds 或 memory_mb 应为数字"
    if entry.get("failed_cell") is not None and not isinstance(entry.get("failed_cell"), int):
        return f"{key} 的 failed_cell 应为整数"
    if not isinstance(entry.get("versions", {}), dict):
        return f"{key} 的 versions 应为映射"
    return None


def _department_problem(key: object, entry: object) -> str | None:
    """What is wrong with one entry of ``departments`` (None: nothing)."""
    if not isinstance(key, str) or len(key.split("/")) != 2 or not isinstance(entry, dict):
        return f"departments 中 {key!r} 应为「年度/部门编号」: 映射"
    score = entry.get("score")
    if not (isinstance(score, list) and len(score) == 2 and all(isinstance(v, str) for v in score)):
        return f"departments 中 {key} 的 score 应为两项文本（得分、等级），读到 {score!r}"
    if not isinstance(entry.get("key"), str) or not isinstance(entry.get("meta"), dict):
        return f"departments 中 {key} 的 key 应为文本、meta 应为映射"
    if entry.get("problem") is not None and not isinstance(entry.get("problem"), str):
        return f"departments 中 {key} 的 problem 应为文本"
    return None


def manifest_problem(data: object) -> str | None:
    """What does not fit the manifest's layout in ``data`` (the parsed JSON), or None."""
    if not isinstance(data, dict):
        return f"应为 JSON 对象，读到 {type(data).__name__}"
    outputs, departments = data.get("outputs"), data.get("departments", {})
    if not isinstance(outputs, dict):
        return f"outputs 应为映射，读到 {type(outputs).__name__}"
    if not isinstance(departments, dict):
        return f"departments 应为映射，读到 {type(departments).__name__}"
    for key, entry in outputs.items():
        if problem := _output_problem(key, entry):
            return problem
    for key, entry in departments.items():
        if problem := _department_problem(key, entry):
            return problem
    return None


def read_manifest(path: Path, *, warn: bool = True) -> dict[str, Any]:
    """``outputs/manifest.json``: ``outputs`` (one entry per report) and ``departments`` (header facts and score by
    department, keyed by the hash of its inputs).

    Empty when missing; also when it cannot be read or does not fit the layout (wrong types, an entry that is a list,
    a folder): then, with ``warn``, a warning on stderr says so, and the batch re-renders and rewrites it.
    """
    empty: dict[str, Any] = {"outputs": {}, "departments": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return empty
    except (OSError, ValueError) as exc:
        problem: str | None = f"无法读取（{type(exc).__name__}: {exc}）"
    else:
        problem = manifest_problem(data)
    if problem is None:
        return {"outputs": data["outputs"], "departments": data.get("departments", {}), **{
            k: v for k, v in data.items() if k not in ("outputs", "departments")}}
    if warn:
        from auditkit.paths import display

        print(f"警告：{display(path)} 格式不对（{problem}），按不存在处理：本次不跳过任何报告，结束时写出新的清单",
              file=sys.stderr)
    return empty


def write_manifest(path: Path, outputs: dict[str, Any], departments: dict[str, Any] | None = None) -> None:
    data = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": tool_versions(),
        "outputs": dict(sorted(outputs.items())),
        "departments": dict(sorted((departments or {}).items())),
    }
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
