"""Headless Chromium (Debian's ``chromium``) for what only a browser can tell: the DOM after scripts, screenshots, PDF.

:func:`print_pdf` starts a Chromium for each page (about a second each). :class:`Printer` keeps one browser for many
pages, through Playwright's Python API driving the same Debian chromium (``executable_path``; Playwright's own browser
downloads are never used); where Playwright is not installed or cannot start the browser, it prints as
:func:`print_pdf` does.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from auditkit.exceptions import ChromiumError

__all__ = ["Printer", "chromium_path", "dump_dom", "print_pdf", "screenshot"]

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


class Printer:
    """Prints pages to A4 PDF with one headless Chromium for all of them (a batch worker keeps one).

    The browser starts on the first page; each page gets a tab of its own, closed after printing. ``mode`` says how
    pages are printed: ``"playwright"`` (one browser) or ``"process"`` (one Chromium per page: Playwright missing or
    unable to start, ``reason`` says why).
    """

    def __init__(self, timeout: float = 120) -> None:
        self.timeout = timeout
        self.mode: str | None = None
        self.reason: str | None = None
        self._playwright: Any = None
        self._browser: Any = None

    def _start(self) -> None:
        exe = chromium_path()
        if exe is None:
            raise ChromiumError(None, "找不到 Chromium；请安装 Debian 的 chromium（apt-get install chromium）")
        try:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=exe, args=list(_FLAGS[1:]))
            self.mode = "playwright"
        except Exception as exc:  # Playwright absent, or its driver or the browser did not start: print as before
            self.close()
            self.mode, self.reason = "process", f"{type(exc).__name__}: {exc}"[:300]

    def print_pdf(self, page: Path, pdf: Path) -> Path:
        """Print ``page`` to ``pdf`` (A4, page numbers from the page's own @page rules)."""
        if self.mode is None:
            self._start()
        if self.mode != "playwright":
            return print_pdf(page, pdf)
        tab = self._browser.new_page()
        try:
            tab.goto(page.resolve().as_uri(), wait_until="load", timeout=self.timeout * 1000)
            tab.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        except Exception as exc:
            raise ChromiumError(page, f"Chromium 打印 PDF 失败：{exc}"[:600]) from exc
        finally:
            tab.close()
        return pdf

    def close(self) -> None:
        """Close the browser and Playwright's driver (a later page starts them again)."""
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        with contextlib.suppress(Exception):  # already gone with its process
            if browser is not None:
                browser.close()
        with contextlib.suppress(Exception):
            if playwright is not None:
                playwright.stop()
        if self.mode == "playwright":
            self.mode = None
