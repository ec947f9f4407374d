"""auditkit.batch.manifest: what an output's input hash covers."""

from __future__ import annotations

from auditkit.batch.manifest import code_files
from tests.conftest import ROOT


def test_the_code_fingerprint_covers_the_whole_package() -> None:
    """A change to any module, template or framework re-renders the reports built with it, not only to batch/."""
    package = ROOT / "src" / "auditkit"
    rooms = {p.relative_to(package).parts[0] for p in code_files() if len(p.relative_to(package).parts) > 1}
    assert {"data", "analyses", "scoring", "reconcile", "report", "batch"} <= rooms
    names = {p.relative_to(package).as_posix() for p in code_files()}
    assert {"report/evaluation.py", "report/templates/auditkit/report.css", "scoring/frameworks/gd-municipal-2019.yaml",
            "__init__.py"} <= names
