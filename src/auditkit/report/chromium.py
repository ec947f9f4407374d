"""Headless Chromium (Debian's ``chromium``) for what only a browser can tell: the DOM after scripts, screenshots, PDF."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from auditkit.exceptions import ChromiumError

__all__ = ["chromium_path", "dump_dom", "print_pdf", "screenshot"]

_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--mute-audio",
)


def chromium_path() -> str | None:
    """The Chromium executable, if installed (``make test`` installs Debian's ``chromium``)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(page: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    exe = chromium_path()
    if exe is None:
        raise ChromiumError(None, "找不到 Chromium；请安装 Debian 的 chromium（apt-get install chromium）")
    with tempfile.TemporaryDirectory(prefix="auditkit-chromium-") as profile:
        command = [exe, *_FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise ChromiumError(page, f"Chromium 退出码 {done.returncode}：{done.stderr[-500:]}")
    return done


def dump_dom(page: Path) -> str:
    """The page's DOM after every script on it has run (none should)."""
    return _run(page, "--dump-dom", "--virtual-time-budget=2000").stdout


def screenshot(page: Path, png: Path, width: int = 1240, height: int = 1754) -> Path:
    """A PNG of the page's first screen (default: an A4 page at 150 dpi)."""
    _run(page, f"--screenshot={png.resolve()}", f"--window-size={width},{height}", "--virtual-time-budget=2000")
    return png


def print_pdf(page: Path, pdf: Path) -> Path:
    """Print the page to an A4 PDF with page numbers in the footer (the page's own @page rules apply)."""
    _run(page, f"--print-to-pdf={pdf.resolve()}", "--no-pdf-header-footer", "--virtual-time-budget=2000")
    return pdf
