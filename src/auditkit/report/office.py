"""LibreOffice (Debian's ``libreoffice-writer-nogui``) for what only an office suite can tell: how a .docx reads.

:func:`docx_to_pdf` converts a Word document with ``soffice --headless --convert-to pdf``, on a private profile (two
conversions on one profile fail) and with :data:`auditkit.report.docx.FONTCONFIG`, which maps 仿宋, 宋体 and 黑体 to Noto
CJK, so that the PDF shows Chinese where Windows would use its own fonts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from auditkit.exceptions import OfficeError

__all__ = ["docx_to_pdf", "soffice_path"]


def soffice_path() -> str | None:
    """LibreOffice's ``soffice``, if installed (``make test`` installs Debian's ``libreoffice-writer-nogui``)."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def docx_to_pdf(document: Path, out_dir: Path, timeout: float = 180) -> Path:
    """Convert ``document`` to ``out_dir/<stem>.pdf`` with LibreOffice; the PDF's path."""
    from auditkit.report.docx import FONTCONFIG

    exe = soffice_path()
    if exe is None:
        raise OfficeError(document, "找不到 LibreOffice；请安装 Debian 的 libreoffice-writer-nogui（apt-get install libreoffice-writer-nogui）")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="auditkit-soffice-") as profile:
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG), "HOME": profile}
        command = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(out_dir), str(document)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, env=env)
        except subprocess.TimeoutExpired as exc:
            raise OfficeError(document, f"LibreOffice 在 {timeout:.0f} 秒内未完成转换") from exc
    pdf = out_dir / f"{document.stem}.pdf"
    if done.returncode != 0 or not pdf.exists():
        raise OfficeError(document, f"LibreOffice 转换失败（退出码 {done.returncode}）：{(done.stderr or done.stdout)[-500:]}")
    return pdf
