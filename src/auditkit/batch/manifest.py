"""What a batch produced and from which inputs: input hashes for incremental runs, and ``outputs/manifest.json``."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["atomic_write", "code_files", "code_fingerprint", "hash_files", "read_manifest", "tool_versions", "write_manifest"]

_PACKAGE_DIR = Path(__file__).parent.parent  # the whole auditkit package, not only batch/


def hash_files(paths: list[Path], extra: str = "") -> str:
    """SHA-256 over the files' relative names and bytes (folders are walked), plus ``extra``."""
    digest = hashlib.sha256(extra.encode())
    files: list[Path] = []
    for p in paths:
        files.extend(sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p])
    for f in files:
        digest.update(f.name.encode())
        digest.update(b"\0")
        digest.update(f.read_bytes() if f.exists() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def code_fingerprint() -> str:
    """auditkit's version and source: a change to the package re-runs every output built with it."""
    from auditkit import __version__

    return hash_files(code_files(), extra=__version__)


def code_files() -> list[Path]:
    """Every file of the auditkit package a report depends on: its modules, templates and frameworks."""
    return sorted(p for p in _PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in (".py", ".j2", ".css", ".yaml", ".json"))


def tool_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("auditkit", "papermill", "nbconvert", "nbclient", "pandas", "matplotlib"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "?"
    return versions


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``path`` completely or not at all: a temporary file beside it, then an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_manifest(path: Path) -> dict[str, Any]:
    """``outputs/manifest.json``: ``outputs`` (one entry per report) and ``departments`` (header facts and score by
    department, keyed by the hash of its inputs); empty when missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"outputs": {}}
    return data if isinstance(data, dict) and isinstance(data.get("outputs"), dict) else {"outputs": {}}


def write_manifest(path: Path, outputs: dict[str, Any], departments: dict[str, Any] | None = None) -> None:
    data = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": tool_versions(),
        "outputs": dict(sorted(outputs.items())),
        "departments": dict(sorted((departments or {}).items())),
    }
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
