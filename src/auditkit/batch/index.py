"""``outputs/index.html``: the reviewer's front door. One row per department, grouped by year and by framework.

Each row gives the department, its evaluation kind (第三方评价 / 自评), total and grade (a total the data cannot verify
is marked as the report's), whether its report is final or a draft (征求意见稿: a reconciliation error is open), the
open errors and warnings of ``check``, and links to each of its reports in every format the run wrote (HTML, Word,
PDF). Each year's heading links that year's results summary (评价结果汇总). Totals are comparable only within a
framework, so each year holds one table per framework and sorting stays inside it.

Filtering (year, grade, framework, status, name) and sorting are done by one script of auditkit's own, the same text
on every page, allowed by its hash in the page's Content-Security-Policy; nothing comes from data but escaped text
and attributes, and the page makes no network request. Without the script every row is shown. Render times and input
hashes stay in ``manifest.json``, linked from the page, not in the reviewer's view.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from auditkit.batch.manifest import atomic_write

__all__ = ["SCRIPT", "SCRIPT_HASH", "write_index"]

#: The page's one script: filters rows by the controls and sorts a table by a clicked header. It reads only the
#: rows' data attributes; it holds nothing of any department's.
SCRIPT = """(function(){
var form=document.getElementById('ak-filters');if(!form)return;
function val(n){var el=form.elements[n];return el?el.value.trim():'';}
function apply(){
var y=val('year'),g=val('grade'),w=val('framework'),s=val('status'),q=val('q'),total=0;
document.querySelectorAll('section.ak-year').forEach(function(sec){
var inYear=0;
sec.querySelectorAll('div.ak-fw').forEach(function(box){
var n=0;
box.querySelectorAll('tbody tr').forEach(function(r){
var d=r.dataset,ok=(!y||sec.dataset.year===y)&&(!g||d.grade===g)&&(!w||box.dataset.fw===w)&&(!s||d.status===s)&&(!q||d.name.indexOf(q)>=0);
r.hidden=!ok;if(ok)n++;});
box.hidden=n===0;inYear+=n;});
sec.hidden=inYear===0;sec.querySelector('.ak-count').textContent=inYear;total+=inYear;});
document.getElementById('ak-shown').textContent=total;}
form.addEventListener('input',apply);form.addEventListener('change',apply);
form.addEventListener('submit',function(ev){ev.preventDefault();});
form.addEventListener('reset',function(){setTimeout(apply,0);});
function sort(th){
var table=th.closest('table'),body=table.tBodies[0],key=th.dataset.sort,num=th.dataset.num==='1';
var dir=th.getAttribute('aria-sort')==='descending'?1:-1;if(!num&&!th.getAttribute('aria-sort'))dir=1;
table.querySelectorAll('th[data-sort]').forEach(function(h){h.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',dir===1?'ascending':'descending');
var rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=a.dataset[key]||'',z=b.dataset[key]||'';
if(num){x=x===''?-1e9:parseFloat(x);z=z===''?-1e9:parseFloat(z);return (x-z)*dir;}
return x.localeCompare(z,'zh')*dir;});
rows.forEach(function(r){body.appendChild(r);});}
document.querySelectorAll('th[data-sort]').forEach(function(th){
th.tabIndex=0;th.title='点击排序';
th.addEventListener('click',function(){sort(th);});
th.addEventListener('keydown',function(ev){if(ev.key==='Enter'||ev.key===' '){ev.preventDefault();sort(th);}});});
})();"""
#: The CSP source that allows exactly :data:`SCRIPT`.
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")

_CSS = """
body{margin:0 auto;max-width:1240px;padding:20px 24px;color:#1f2328;line-height:1.5;
font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","微软雅黑",sans-serif}
h1{font-size:1.45rem;border-bottom:3px double #1f4e79;padding-bottom:8px;margin-bottom:8px}
h2{font-size:1.2rem;margin:28px 0 6px;color:#1f4e79}h3{font-size:1rem;margin:16px 0 4px}
.muted{color:#57606a;font-size:.85rem}.lead{margin:6px 0 12px}
form{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;background:#f6f8fa;border:1px solid #d0d7de;
padding:10px 12px;border-radius:6px;position:sticky;top:0;z-index:2}
form label{font-size:.88rem}select,input{font:inherit;font-size:.88rem;padding:2px 4px}
table{border-collapse:collapse;width:100%;font-size:.86rem;margin-bottom:6px}
th,td{border:1px solid #d0d7de;padding:4px 7px;vertical-align:top;text-align:left}
thead th{background:#eef2f7;white-space:nowrap}th[data-sort]{cursor:pointer}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
td.num{text-align:right;white-space:nowrap}td.nowrap{white-space:nowrap}
.st-draft{color:#9a6700;font-weight:600}.st-final{color:#1a7f37}.st-failed{color:#b42318;font-weight:600}
td.bad{color:#b42318;font-weight:600}td.warn{color:#9a6700}table{table-layout:fixed}tr.failed td{background:#fff5f5}
.err{color:#b42318;white-space:pre-wrap;font-size:.8rem;margin-top:2px}
ul.rep{margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:0 12px;font-size:.82rem}
a{color:#1f4e79}.fmt{font-size:.78rem;margin-left:3px}.summary{margin:2px 0 8px;font-size:.92rem}
.note{font-size:.82rem;color:#57606a;margin:2px 0 4px}
.sub{display:block;white-space:normal;font-size:.74rem;line-height:1.25;color:#57606a;text-align:right}
th:nth-child(3),td:nth-child(3){min-width:6.5em}
"""
_STATUS = {"final": ("定稿", "st-final"), "draft": ("征求意见稿", "st-draft"), "failed": ("有报告生成失败", "st-failed"),
           "unknown": ("未校验", "")}
#: The formats a report may have been written in, as the index names them (the HTML first).
_FORMATS = ((".html", "HTML"), (".docx", "Word"), (".pdf", "PDF"))
_MISSING = "—"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


class _Files:
    """The run's own files under ``out_root``, listed once per folder: regular files only (a symbolic link, which
    could lead outside ``outputs/``, is never linked), in folders that are not links themselves."""

    def __init__(self, out_root: Path) -> None:
        self.root = out_root
        self.listed: dict[tuple[str, ...], frozenset[str]] = {}

    def names(self, folder: tuple[str, ...]) -> frozenset[str]:
        if folder not in self.listed:
            path = self.root.joinpath(*folder)
            found: set[str] = set()
            try:
                inside = all(not self.root.joinpath(*folder[:n]).is_symlink() for n in range(1, len(folder) + 1))
                if inside:
                    with os.scandir(path) as entries:
                        found = {e.name for e in entries if e.is_file(follow_symlinks=False)}
            except OSError:
                found = set()
            self.listed[folder] = frozenset(found)
        return self.listed[folder]

    def href(self, parts: Sequence[str], suffix: str) -> str | None:
        """The link to ``<parts…><suffix>`` when the run wrote it there; never a path the manifest names."""
        if not parts or any(not p or p.startswith(".") or "/" in p or "\\" in p for p in parts):
            return None
        name = f"{parts[-1]}{suffix}"
        if name not in self.names(tuple(parts[:-1])):
            return None
        return "/".join(quote(p) for p in (*parts[:-1], name))


def _links(files: _Files, parts: Sequence[str], label: str, recorded: bool) -> str:
    """``label`` linking the HTML (when the run recorded and wrote it), then each other format present."""
    html_link = files.href(parts, ".html") if recorded else None
    shown = f'<a href="{_e(html_link)}">{_e(label)}</a>' if html_link else _e(label)
    others = [f'<a class="fmt" href="{_e(link)}">{name}</a>' for suffix, name in _FORMATS[1:]
              for link in [files.href(parts, suffix)] if link]
    return shown + "".join(others)


def _number(text: str) -> str:
    """The sortable value of a shown total (``83.3``, ``98.21（报告所列，未复核）``), empty when none."""
    head = text.split("（", 1)[0].strip()
    try:
        return str(float(head))
    except ValueError:
        return ""


def _figure(text: str) -> str:
    """A shown total or grade, its note (``98.21（报告所列，未复核）``) under the figure, small, so it never runs over
    the next column."""
    head, sep, note = text.partition("（")
    if not sep:
        return _e(text)
    return f'{_e(head.strip())}<span class="sub">{_e(note.rstrip("）"))}</span>'


def _status(entries: Mapping[str, Mapping[str, Any]], facts: Mapping[str, Any]) -> str:
    if any(v.get("status") == "failed" for v in entries.values()):
        return "failed"
    draft = facts.get("draft")
    return "unknown" if draft is None else ("draft" if draft else "final")


def _count_cell(value: object, css: str = "bad") -> str:
    if value is None:
        return f'<td class="num">{_MISSING}</td>'
    flagged = f" {css}" if isinstance(value, int) and value > 0 else ""
    return f'<td class="num{flagged}">{_e(value)}</td>'


def _row(files: _Files, year: str, dept_id: str, entries: Mapping[str, Mapping[str, Any]], notebooks: Sequence[str],
         facts: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """One department's row, and its framework, grade and status (for grouping and the filters)."""
    meta, status_facts = facts.get("meta", {}), facts.get("status") or {}
    name = next((v["department"] for v in entries.values() if v.get("department")), meta.get("department") or dept_id)
    total, grade = [*(facts.get("score") or []), _MISSING, _MISSING][:2]
    framework = status_facts.get("framework") or meta.get("framework") or _MISSING
    status = _status(entries, status_facts)
    label, css = _STATUS[status]
    errors: dict[str, list[str]] = {}
    reports = []
    for n in notebooks:
        entry = entries.get(n)
        if entry is None:
            continue
        title = str(entry.get("report") or n)
        parts = (year, dept_id, n)
        if entry.get("status") == "failed":
            failed = files.href(parts, ".failed.ipynb")
            previous = files.href(parts, ".html") if entry.get("html") else None
            bits = [f'{_e(title)}：<span class="st-failed">{"超时" if entry.get("timed_out") else "失败"}</span>']
            if failed:
                bits.append(f'<a class="fmt" href="{_e(failed)}">出错的笔记本</a>')
            if previous:
                bits.append(f'<a class="fmt" href="{_e(previous)}">上次成功的报告</a>')
            reports.append("".join(bits))
            errors.setdefault(str(entry.get("error") or ""), []).append(title)
        else:
            reports.append(_links(files, parts, title, bool(entry.get("html"))))
    error_html = "".join(f'<div class="err">{_e("、".join(titles))}：{_e(msg)}</div>' for msg, titles in list(errors.items())[:3])
    kind = meta.get("kind") or _MISSING
    cells = (
        f'<td><strong>{_e(name)}</strong> <span class="muted">{_e(dept_id)}</span>{error_html}</td>'
        f'<td class="nowrap">{_e(kind)}</td><td class="num">{_figure(str(total))}</td><td class="nowrap">{_figure(str(grade))}</td>'
        f'<td class="nowrap {css}">{_e(label)}</td>{_count_cell(status_facts.get("errors"))}'
        f'{_count_cell(status_facts.get("warnings"), "warn")}'
        f'<td><ul class="rep">{"".join(f"<li>{r}</li>" for r in reports)}</ul></td>'
    )
    attrs = (f' data-name="{_e(name + " " + dept_id)}" data-grade="{_e(grade)}" data-status="{_e(status)}"'
             f' data-kind="{_e(kind)}" data-score="{_e(_number(str(total)))}"'
             f' data-errors="{_e(status_facts.get("errors", ""))}" data-warnings="{_e(status_facts.get("warnings", ""))}"')
    row_class = ' class="failed"' if status == "failed" else ""
    return f"<tr{row_class}{attrs}>{cells}</tr>", str(framework), str(grade), status


_HEAD = ('<colgroup><col style="width:23%"><col style="width:7%"><col style="width:11%"><col style="width:5%">'
         '<col style="width:8%"><col style="width:6%"><col style="width:6%"><col style="width:34%"></colgroup><thead><tr><th data-sort="name">部门</th><th data-sort="kind">评价类型</th>'
         '<th data-sort="score" data-num="1">总分</th><th data-sort="grade">等级</th><th data-sort="status">报告状态</th>'
         '<th data-sort="errors" data-num="1">未决错误</th><th data-sort="warnings" data-num="1">未决警告</th>'
         "<th>报告</th></tr></thead>")


def _summary_line(files: _Files, year: str, entries: Mapping[str, Mapping[str, Any]]) -> str:
    """The year's results summary (评价结果汇总) in each format written, or why there is none."""
    parts = []
    for name, entry in sorted(entries.items()):
        title = str(entry.get("report") or name)
        if entry.get("status") == "failed":
            failed = files.href((year, name), ".failed.ipynb")
            link = f' <a class="fmt" href="{_e(failed)}">出错的笔记本</a>' if failed else ""
            parts.append(f'{_e(title)}：<span class="st-failed">失败</span>{link}<div class="err">{_e(entry.get("error") or "")}</div>')
        else:
            parts.append(_links(files, (year, name), title, bool(entry.get("html"))))
    return f'<p class="summary">{"；".join(parts)}</p>' if parts else '<p class="summary muted">本年度未生成评价结果汇总。</p>'


def _options(name: str, label: str, values: Sequence[tuple[str, str]]) -> str:
    options = "".join(f'<option value="{_e(v)}">{_e(text)}</option>' for v, text in values)
    return f'<label>{label} <select name="{name}"><option value="">全部</option>{options}</select></label>'


def write_index(
    out_root: Path,
    outputs: dict[str, Any],
    departments: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    titles: Mapping[str, str] | None = None,
    order: Sequence[str] = (),
) -> Path:
    """Write the index page from the manifest's ``outputs`` and ``departments`` (each department's header facts,
    (total, grade) and review status, by ``<year>/<dept_id>``); every value from data is escaped.

    ``titles`` names each notebook's report (else the manifest's, else the notebook's name), ``order`` the notebooks
    in the reader's order (the catalogue's); others follow by name.
    """
    departments = departments or {}
    by_dept: dict[tuple[str, str], dict[str, dict[str, Any]]] = defaultdict(dict)
    by_year: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    names: dict[str, str] = {}
    for key, entry in outputs.items():
        parts = key.split("/")
        if len(parts) == 2:
            by_year[parts[0]][parts[1]] = entry
        elif len(parts) == 3:
            by_dept[(parts[0], parts[1])][parts[2]] = entry
            names.setdefault(parts[2], entry.get("report") or parts[2])
    names.update(titles or {})
    notebooks = [n for n in order if n in names]
    notebooks += sorted(set(names) - set(notebooks))

    years: dict[str, dict[str, list[tuple[tuple[bool, float, str], str]]]] = defaultdict(lambda: defaultdict(list))
    grades: dict[str, None] = {}
    statuses: dict[str, None] = {}
    frameworks: dict[str, None] = {}
    files = _Files(out_root)
    for (year, dept_id), entries in sorted(by_dept.items()):
        facts = departments.get(f"{year}/{dept_id}", {})
        row, framework, grade, status = _row(files, year, dept_id, entries, notebooks, facts)
        verified = (facts.get("status") or {}).get("verified", True)
        score = _number(str([*(facts.get("score") or []), ""][0])) if verified else ""  # a report's own total: not ranked
        # the highest total first within its framework (the reader's first question), those without one last
        years[year][framework].append(((score == "", -float(score or 0), dept_id), row))
        grades[grade] = None
        statuses[status] = None
        frameworks[framework] = None
    for year in by_year:
        years.setdefault(year, defaultdict(list))

    sections = []
    for year in sorted(years, reverse=True):
        count = sum(len(rows) for rows in years[year].values())
        tables = "".join(
            f'<div class="ak-fw" data-fw="{_e(fw)}"><h3>指标体系 {_e(fw)}（{len(rows)} 个部门）</h3>'
            f"<table>{_HEAD}<tbody>{''.join(row for _, row in sorted(rows))}</tbody></table></div>"
            for fw, rows in sorted(years[year].items())
        )
        note = ('<p class="note">本年度的部门分属多个指标体系：总分只在同一指标体系内可比，故分表列示、各自排序。</p>'
                if len(years[year]) > 1 else "")
        sections.append(f'<section class="ak-year" data-year="{_e(year)}"><h2>{_e(year)} 年度 · <span class="ak-count">{count}</span> 个部门</h2>'
                        f"{_summary_line(files, year, by_year.get(year, {}))}{note}{tables}</section>")

    drafts = sum(1 for (y, d) in by_dept if (departments.get(f"{y}/{d}", {}).get("status") or {}).get("draft"))
    failed = sum(1 for entries in [*by_dept.values(), *by_year.values()] for v in entries.values() if v.get("status") == "failed")
    # the grades in their frameworks' order (highest first), as each department's status records them
    known = [g for facts in departments.values() for g in (facts.get("status") or {}).get("grades", [])]
    grade_order = [g for g in dict.fromkeys(known) if g in grades] + sorted(g for g in grades if g not in known)
    filters = "".join([
        _options("year", "年度", [(y, y) for y in sorted(years, reverse=True)]),
        _options("framework", "指标体系", [(f, f) for f in sorted(frameworks)]),
        _options("grade", "等级", [(g, g) for g in grade_order]),
        _options("status", "报告状态", [(s, _STATUS[s][0]) for s in _STATUS if s in statuses]),
        '<label>部门 <input name="q" type="search" placeholder="名称或编号"></label>',
        '<button type="reset">清除</button>',
        f'<span class="muted">显示 <span id="ak-shown">{len(by_dept)}</span> / {len(by_dept)} 个部门</span>',
    ])
    manifest = '<a href="manifest.json">manifest.json</a>' if (out_root / "manifest.json").exists() else "manifest.json"
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src '{SCRIPT_HASH}'; img-src 'none'; form-action 'none'; base-uri 'none'">
<title>部门整体支出绩效评价 · 报告索引</title><style>{_CSS}</style></head>
<body><h1>部门整体支出绩效评价 · 报告索引</h1>
<p class="lead">共 {len(by_dept)} 个部门（{len(years)} 个年度），{drafts} 份报告为征求意见稿（有未决的勾稽错误），{failed} 份报告生成失败。
更新于 {datetime.now().strftime("%Y-%m-%d %H:%M")}。<span class="muted">各报告的用时与输入指纹见 {manifest}。</span></p>
<form id="ak-filters" role="search">{filters}</form>
{"".join(sections)}
<script>{SCRIPT}</script>
</body></html>
"""
    path = out_root / "index.html"
    atomic_write(path, page)
    return path
