"""``outputs/index.html``: every department and report of the batch, its status and links, for the reviewer."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from auditkit.batch.manifest import atomic_write

__all__ = ["write_index"]

_STATUS = {"ok": "完成", "failed": "失败", "skipped": "未变更"}
_CSS = """
body{margin:0 auto;max-width:1100px;padding:24px;color:#1f2328;line-height:1.6;
font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","微软雅黑",sans-serif}
h1{font-size:1.5rem;border-bottom:3px double #1f4e79;padding-bottom:8px}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border:1px solid #d0d7de;padding:5px 8px;vertical-align:top}
thead th{background:#eef2f7}td.ok a{color:#1f4e79}.failed{background:#fff5f5}.err{color:#b42318;white-space:pre-wrap;font-size:.82rem}
.muted{color:#57606a;font-size:.85rem}td.num{text-align:right;white-space:nowrap}
"""


def _href(out_root: Path, key: str, suffix: str, recorded: object) -> str | None:
    """The link to one of the run's own files, ``<year>/<dept_id>/<notebook><suffix>`` under ``out_root``, when the
    manifest records it and it is there; never a path the manifest names (a planted ``/etc/passwd``), never a file
    that resolves outside ``outputs/`` (a symbolic link)."""
    parts = key.split("/")
    if not recorded or len(parts) != 3 or any(not p or p.startswith(".") for p in parts):
        return None
    target = out_root / parts[0] / parts[1] / f"{parts[2]}{suffix}"
    try:
        target.resolve().relative_to(out_root.resolve())
    except (OSError, ValueError):
        return None
    return "/".join(quote(p) for p in (parts[0], parts[1], f"{parts[2]}{suffix}")) if target.is_file() else None


def write_index(
    out_root: Path,
    outputs: dict[str, Any],
    scores: dict[tuple[str, str], tuple[str, str]] | None = None,
    *,
    titles: Mapping[str, str] | None = None,
    order: Sequence[str] = (),
) -> Path:
    """Write the index page from the manifest's outputs; every value from data is escaped.

    ``scores`` maps (year, dept_id) to the department's (total, grade) as the scoring engine computes them;
    ``titles`` names each notebook's report (else the manifest's, else the notebook's name), ``order`` the notebooks
    in the reader's order (the catalogue's); others follow by name.
    """
    scores = scores or {}
    by_dept: dict[tuple[str, str], dict[str, dict[str, Any]]] = defaultdict(dict)
    names: dict[str, str] = {}
    for key, entry in outputs.items():
        year, dept_id, notebook = key.split("/", 2)
        by_dept[(year, dept_id)][notebook] = entry
        names.setdefault(notebook, entry.get("report") or notebook)
    names.update(titles or {})
    notebooks = [n for n in order if n in names]
    notebooks += sorted(set(names) - set(notebooks))
    e = html.escape
    head = "".join(f"<th>{e(names[n])}</th>" for n in notebooks)
    rows = []
    failures = 0
    for (year, dept_id), entries in sorted(by_dept.items()):
        name = next((v["department"] for v in entries.values() if v.get("department")), dept_id)
        cells = []
        errors: dict[str, list[str]] = {}  # one message, once, with every report it failed (a department's data)
        for n in notebooks:
            entry = entries.get(n)
            if entry is None:
                cells.append("<td>—</td>")
                continue
            link = _href(out_root, f"{year}/{dept_id}/{n}", ".html", entry.get("html"))
            if entry.get("status") == "failed":
                failures += 1
                failed = _href(out_root, f"{year}/{dept_id}/{n}", ".failed.ipynb", entry.get("failed_ipynb"))
                parts = ["超时" if entry.get("timed_out") else "失败"]
                if failed:
                    parts.append(f'<a href="{e(failed)}">出错的笔记本</a>')
                if link:
                    parts.append(f'<a href="{e(link)}">上次成功的报告</a>')
                cells.append(f'<td class="failed">{" · ".join(parts)}</td>')
                errors.setdefault(str(entry.get("error") or ""), []).append(names[n])
            else:
                label = f'<a href="{e(link)}">查看</a>' if link else "—"
                label += "".join(f' · <a href="{e(other)}">{kind}</a>' for kind, other in
                                 (("Word", _href(out_root, f"{year}/{dept_id}/{n}", ".docx", entry.get("docx"))),
                                  ("PDF", _href(out_root, f"{year}/{dept_id}/{n}", ".pdf", entry.get("pdf")))) if other)
                cells.append(f'<td class="ok">{label} <span class="muted">{entry.get("seconds", 0):.1f}s</span></td>')
        error_html = ""
        if errors:
            unique = [f"{'、'.join(reports)}：{msg}" for msg, reports in errors.items()]
            error_html = "".join(f'<div class="err">{e(msg)}</div>' for msg in unique[:3])
        total, grade = scores.get((year, dept_id), ("—", "—"))
        rows.append(f"<tr><td>{e(year)}</td><td>{e(name)}<div class='muted'>{e(dept_id)}</div>{error_html}</td>"
                    f"<td class='num'>{e(total)}</td><td>{e(grade)}</td>{''.join(cells)}</tr>")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>部门整体支出绩效评价 · 报告索引</title><style>{_CSS}</style></head>
<body><h1>部门整体支出绩效评价 · 报告索引</h1>
<p class="muted">共 {len(by_dept)} 个部门，{failures} 份报告失败。更新于 {datetime.now().strftime("%Y-%m-%d %H:%M")}。</p>
<table><thead><tr><th>年度</th><th>部门</th><th>得分</th><th>等级</th>{head}</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""
    path = out_root / "index.html"
    atomic_write(path, page)
    return path
