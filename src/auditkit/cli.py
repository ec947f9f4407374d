"""The ``auditkit`` command line: ``validate``, ``template``, ``convert``, ``run``, ``new-year``, ``score``, ``check``,
``synth``."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from auditkit import __version__
from auditkit.data.folder import write_folder
from auditkit.data.loading import load
from auditkit.data.schema import TABLES
from auditkit.data.workbook import write_template, write_workbook
from auditkit.exceptions import AuditkitError, DataValidationError, FrameworkError, Problem, UnknownFormatError
from auditkit.paths import DEPARTMENT_FILE, data_dir, department_dirs, display

if TYPE_CHECKING:
    from auditkit.batch.plan import Job, Result
    from auditkit.data.model import DepartmentYear
    from auditkit.scoring.framework import Framework

__all__ = ["main"]

#: What ``auditkit run`` writes unless told otherwise: the page and the Word document evaluators edit.
DEFAULT_FORMATS = ("html", "docx")
FORMATS = ("html", "docx", "pdf")


def _all_data() -> list[Path]:
    """What ``validate`` with no argument checks: every department folder under data/, every workbook there, and every
    folder there that lacks department.yaml (reported, not skipped in silence)."""
    entries = set(department_dirs())
    for year in sorted(p for p in data_dir().glob("*") if p.is_dir()):
        for entry in year.iterdir():
            if entry.name.startswith("."):
                continue
            if (entry.is_dir() and not (entry / DEPARTMENT_FILE).exists()) or entry.suffix.lower() in (".xlsx", ".xlsm"):
                entries.add(entry)
    return sorted(entries)


def _cmd_validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or _all_data()
    if not paths:
        print(f"{display(data_dir())} 下没有部门数据（应为 data/<年度>/<部门编号>/department.yaml）", file=sys.stderr)
        return 1
    failed = 0
    for path in paths:  # each department read once (issue 16, case 16)
        try:
            dept = load(path)
        except DataValidationError as exc:
            failed += 1
            print(f"✘ {display(path)}：{len(exc.problems)} 处问题")
            for problem in exc.problems:
                print(f"  - {problem}")
            _print_warnings(exc.warnings)
            continue
        except UnknownFormatError as exc:
            failed += 1
            print(f"✘ {exc}")
            continue
        rows = sum(len(getattr(dept, name)) for name in TABLES)
        print(f"✔ {display(path)}：通过（{dept.department.name} {dept.fiscal_year} 年度，{rows} 行数据）")
        _print_warnings(dept.warnings)
    print(f"共 {len(paths)} 个部门，{len(paths) - failed} 个通过，{failed} 个有问题")
    return 1 if failed else 0


def _print_warnings(warnings: Sequence[Problem]) -> None:
    for warning in warnings:
        print(f"  ⚠ 提示：{warning}")


def _cmd_template(args: argparse.Namespace) -> int:
    target = Path(args.path)
    if target.exists() and not args.force:
        print(f"{display(target)} 已存在，未覆盖（可能是已填写的工作簿）；加 --force 覆盖", file=sys.stderr)
        return 1
    with _replacing(target) as beside:
        write_template(beside)
    print(f"已写出空白工作簿 {display(target)}")
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    target = Path(args.target)
    if target.exists() and not args.force:
        print(f"{display(target)} 已存在；加 --force 覆盖", file=sys.stderr)
        return 1
    dept = load(args.source)
    with _replacing(target) as beside:  # a folder is replaced whole: no CSV of the old one is left behind
        if target.suffix.lower() == ".xlsx":
            write_workbook(dept, beside)
        else:
            write_folder(dept, beside)
    print(f"已将 {display(args.source)} 写为 {display(target)}")
    return 0


@contextlib.contextmanager
def _replacing(target: Path) -> Iterator[Path]:
    """A path beside ``target`` to write into; once written, it takes ``target``'s place whole (a folder's old files
    do not survive), and on failure ``target`` is left as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    beside = target.with_name(f".{target.name}.{os.getpid()}.new")
    old = target.with_name(f".{target.name}.{os.getpid()}.old")
    try:
        yield beside
        if target.exists():
            target.rename(old)
        beside.rename(target)
    finally:
        for leftover in (beside, old):
            if leftover.is_dir():
                shutil.rmtree(leftover)
            elif leftover.exists():
                leftover.unlink()


def _cmd_run(args: argparse.Namespace) -> int:
    """``auditkit run``: exit 0 when every report is done, 1 when one failed, 2 when the batch could not start, 128 +
    the signal's number (130 for Ctrl-C, 143 for SIGTERM) when a signal stopped it."""
    from auditkit.batch.catalogue import catalogue
    from auditkit.batch.params import params_files
    from auditkit.batch.plan import plan, plan_years
    from auditkit.batch.runner import preflight
    from auditkit.exceptions import BatchError
    from auditkit.paths import outputs_dir

    files = [Path(p) for p in args.params] or params_files()
    available = catalogue(scope=None)
    names = [n.name for n in available]
    unknown = [n for n in args.only or [] if n not in names]
    if unknown:
        print(f"未知笔记本 {'、'.join(unknown)}；可选 {'、'.join(names)}", file=sys.stderr)
        return 2
    notebooks = [n for n in available if n.name in args.only] if args.only else available
    if not files or not notebooks:
        print("没有可运行的参数文件（params/<年度>/<部门编号>.yaml）或笔记本（notebooks/*.ipynb）", file=sys.stderr)
        return 1
    formats = _formats(args.formats, args.pdf)
    if formats is None:
        return 2
    if args.timeout < 0:
        print(f"--timeout 应为不小于 0 的秒数（0 表示不限时），读到 {args.timeout:g}", file=sys.stderr)
        return 2
    received: list[int] = []

    def on_signal(signum: int, frame: object) -> None:
        """Outside the batch (planning, the summary): the first signal stops the command, later ones change nothing."""
        if not received:
            received.append(signum)
            raise KeyboardInterrupt

    # the batch installs its own while it runs, then puts these back
    saved = {signum: signal.signal(signum, on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        preflight(outputs_dir(), args.scheduler)  # before any work: a read-only outputs/, an unreachable scheduler
        # each department's notebooks, then once per fiscal year its year-scope notebooks (the results summary)
        pdf, docx = "pdf" in formats, "docx" in formats
        jobs = [*plan(files, [n for n in notebooks if n.scope == "department"], outputs_dir(), pdf=pdf, docx=docx),
                *plan_years(files, notebooks, outputs_dir(), pdf=pdf, docx=docx)]
        return _run_jobs(jobs, args, received)
    except BatchError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # while planning, before anything ran
        print("\n已中断：尚未运行任何笔记本，outputs/ 未改动", file=sys.stderr)
        return 128 + (received[0] if received else signal.SIGINT)
    finally:  # once stopped by a signal, the command is ending: a later signal must not cut its exit short
        for signum, handler in saved.items():
            signal.signal(signum, signal.SIG_IGN if received else handler)


def _run_jobs(jobs: list[Job], args: argparse.Namespace, received: list[int]) -> int:
    from tqdm import tqdm

    from auditkit.batch.plan import Result as ResultType
    from auditkit.batch.runner import run_batch
    from auditkit.exceptions import BatchInterrupted

    workers = args.jobs or os.cpu_count() or 1
    try:
        with tqdm(total=len(jobs), unit="份", desc="生成报告", dynamic_ncols=True) as bar:

            def advance(result: Result) -> None:
                bar.update(1)

            results = run_batch(jobs, workers=workers, force=args.force, progress=advance, scheduler=args.scheduler,
                                timeout=args.timeout)
    except BatchInterrupted as stopped:
        received.append(stopped.signum)  # from now on a signal changes nothing: the summary is printed whole
        finished = [r for r in stopped.results if isinstance(r, ResultType)]
        _print_summary(finished)
        _print_failures(finished)
        print(f"\n已中断（信号 {_signal_name(stopped.signum)}）：未再启动新的笔记本，运行中的内核已停止；"
              "已完成的报告已写入清单与索引，其余报告保持上次的结果。", file=sys.stderr)
        for label, keys in (("运行中被停止", stopped.running), ("未开始", stopped.pending)):
            if keys:
                print(f"  {label}（{len(keys)} 份）：{'、'.join(keys)}", file=sys.stderr)
        return 128 + stopped.signum
    _print_summary(results)
    return 1 if _print_failures(results) else 0


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return str(signum)


def _print_failures(results: Sequence[Result]) -> int:
    """Each failure's message once per department (a department whose data does not validate fails every notebook
    with one message); returns how many reports failed."""
    failed = [r for r in results if r.status == "failed"]
    groups: dict[tuple[str, str], list[Result]] = {}
    for r in failed:
        groups.setdefault((f"{r.fiscal_year}/{r.dept_id}", r.error or ""), []).append(r)
    for (dept, error), items in groups.items():
        which = items[0].key if len(items) == 1 else f"{dept}（{len(items)} 份报告：{'、'.join(r.notebook for r in items)}）"
        print(f"\n✘ {which}：{error}", file=sys.stderr)
        for r in items:
            if r.failed_ipynb:
                print(f"  出错的笔记本（红色标记处为出错单元格）：{r.failed_ipynb}", file=sys.stderr)
    return len(failed)


def _formats(value: str, pdf: bool) -> set[str] | None:
    """The formats ``--formats`` names (``--pdf`` adds pdf); None, with the message printed, for an unknown one."""
    chosen = {f.strip().lower() for f in value.split(",") if f.strip()}
    unknown = sorted(chosen - set(FORMATS))
    if unknown:
        print(f"未知输出格式 {'、'.join(unknown)}；可选 {'、'.join(FORMATS)}（如 --formats html,docx,pdf）", file=sys.stderr)
        return None
    return chosen | {"html"} | ({"pdf"} if pdf else set())


def _print_summary(results: Sequence[Result]) -> None:
    """The batch's summary table (部门, 报告, 状态, 秒), aligned by display width, and the counts."""
    from auditkit.paths import outputs_dir
    from auditkit.terminal import pad, width

    labels = {"ok": "完成", "failed": "失败", "skipped": "未变更（跳过）"}
    rows = [(f"{r.fiscal_year}/{r.dept_id}" if r.dept_id else f"{r.fiscal_year} 年度", r.report or r.notebook,
             "超时" if r.timed_out else labels[r.status], f"{r.seconds:.1f}") for r in results]
    head = ("部门", "报告", "状态", "秒")
    widths = [max([width(head[i]), *(width(row[i]) for row in rows)]) + 2 for i in range(4)]
    print()
    for row in (head, *rows):
        print("".join(pad(cell, widths[i], right=i == 3) for i, cell in enumerate(row)).rstrip())
    counts = {k: sum(r.status == k for r in results) for k in labels}
    timed_out = sum(r.timed_out for r in results)
    print(f"\n共 {len(results)} 份：完成 {counts['ok']}，跳过 {counts['skipped']}，失败 {counts['failed']}"
          f"{f'（其中超时 {timed_out}）' if timed_out else ''}。索引：{display(outputs_dir() / 'index.html')}")


def _cmd_new_year(args: argparse.Namespace) -> int:
    from auditkit.batch.params import params_files, read_params
    from auditkit.data.newyear import scaffold_year
    from auditkit.paths import params_dir, project_root

    available = {p.stem: p for p in params_files() if p.parent.name == str(args.source_year)}
    wanted = args.departments or sorted(available)
    missing = [d for d in wanted if d not in available]
    for dept_id in missing:
        print(f"✘ {display(params_dir() / str(args.source_year) / (dept_id + '.yaml'))} 不存在：{args.source_year} 年度没有部门 {dept_id}", file=sys.stderr)
    if not wanted:
        print(f"{display(params_dir() / str(args.source_year))} 下没有参数文件", file=sys.stderr)
        return 1
    for dept_id in (d for d in wanted if d in available):
        params = read_params(available[dept_id])
        done = scaffold_year(load(params.data_path), params.values, args.year, project_root(), args.framework)
        if done.created:
            print(f"✔ {display(done.data_dir)} 与 {display(done.params_file)}：已生成（上年数字已填入，本年数字待填写）")
        else:
            print(f"- {dept_id}：{done.reason}")
    return 1 if missing else 0


def _cmd_synth(args: argparse.Namespace) -> int:
    import shutil

    import yaml

    from auditkit.paths import notebooks_dir
    from auditkit.synth import synth_department

    out = Path(args.out)
    written = 0
    frameworks = args.framework or ["gd-municipal-2019"]
    for n, seed in enumerate(range(args.first, args.first + args.departments)):
        dept = synth_department(seed, fiscal_year=args.year, framework=frameworks[n % len(frameworks)],
                                with_findings=not args.clean)
        folder, params = out / "data" / str(args.year) / dept.id, out / "params" / str(args.year) / f"{dept.id}.yaml"
        if folder.exists() or params.exists():
            print(f"- {display(folder)} 已存在，未覆盖", file=sys.stderr)
            continue
        write_folder(dept, folder)
        params.parent.mkdir(parents=True, exist_ok=True)
        values = {"data_path": f"data/{args.year}/{dept.id}", "framework": dept.evaluation.framework}
        params.write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
        written += 1
    if not (out / "notebooks").exists():
        if not notebooks_dir().is_dir():
            print(f"未复制笔记本：{display(notebooks_dir())} 不存在；请在 auditkit 项目目录下运行，或自行复制 notebooks/", file=sys.stderr)
            return 1
        shutil.copytree(notebooks_dir(), out / "notebooks")  # so that OUT is a project `auditkit run` can render
    print(f"已写出 {written} 个合成部门（{args.year} 年度）到 {display(out)}；运行：AUDITKIT_ROOT={display(out)} auditkit run")
    return 0


def _add_run(p: argparse.ArgumentParser) -> None:
    """``auditkit run``'s arguments."""
    from auditkit.batch.plan import DEFAULT_TIMEOUT

    p.add_argument("params", nargs="*", help="参数文件 params/<年度>/<部门编号>.yaml；缺省为 params/ 下全部")
    p.add_argument("--jobs", "-j", type=int, default=0, help="并行数（默认：CPU 核数）")
    p.add_argument("--only", nargs="+", metavar="NOTEBOOK", help="只运行这些笔记本，如 budget_variance")
    p.add_argument("--force", action="store_true", help="输入未变也重新运行")
    p.add_argument("--formats", default=",".join(DEFAULT_FORMATS), metavar="html,docx,pdf",
                   help=f"输出格式，逗号分隔（默认 {','.join(DEFAULT_FORMATS)}）：html 报告页（总是生成）、docx Word 文档、pdf A4 PDF（无头 Chromium）")
    p.add_argument("--pdf", action="store_true", help="同 --formats 加上 pdf")
    p.add_argument("--scheduler", metavar="ADDRESS", help="在 Dask 分布式集群上执行，如 tcp://10.0.0.5:8786")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"每个笔记本的运行时限（秒，默认 {DEFAULT_TIMEOUT:g}；0 为不限时）：超时的笔记本中止并记为失败，其余照常")
    p.set_defaults(func=_cmd_run)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="auditkit", description="部门整体支出绩效评价工作簿")
    parser.add_argument("--version", action="version", version=f"auditkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="检查部门数据（文件夹或工作簿），一次列出全部问题")
    p.add_argument("paths", nargs="*", help="data/<年度>/<部门编号>/ 或 .xlsx；缺省为 data/ 下全部部门")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("template", help="写出空白数据工作簿（含填写说明与数据有效性）")
    p.add_argument("path", help="输出路径，如 部门数据.xlsx")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("convert", help="在文件夹与工作簿两种形式之间转换")
    p.add_argument("source", help="data/<年度>/<部门编号>/ 或 .xlsx")
    p.add_argument("target", help="以 .xlsx 结尾写工作簿，否则写文件夹")
    p.add_argument("--force", action="store_true", help="覆盖已存在的目标")
    p.set_defaults(func=_cmd_convert)
    _add_run(sub.add_parser("run", help="批量执行笔记本并生成 HTML 报告（outputs/）"))
    p = sub.add_parser("new-year", help="由上一年度数据生成新年度的数据文件夹与参数文件（不覆盖已有文件）")
    p.add_argument("year", type=int, help="新年度，如 2025")
    p.add_argument("--from", dest="source_year", type=int, required=True, help="上一年度，如 2024")
    p.add_argument("departments", nargs="*", help="部门编号；缺省为上一年度全部部门")
    p.add_argument("--framework", help="改用的指标体系（缺省沿用上一年度）")
    p.set_defaults(func=_cmd_new_year)
    p = sub.add_parser("score", help="按指标体系计分：评分表、各级得分与得分率、总分与等级")
    p.add_argument("path", help="data/<年度>/<部门编号>/ 或 .xlsx")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    p.add_argument("--framework", help="指标体系编号或 YAML 文件路径（缺省为部门数据中的 evaluation.framework）")
    p.set_defaults(func=_cmd_score)
    p = sub.add_parser("check", help="勾稽校验：重算报告列示的每个数，列出全部矛盾（有错误时退出码为 1）")
    p.add_argument("paths", nargs="*", help="data/<年度>/<部门编号>/ 或 .xlsx；缺省为 data/ 下全部部门")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text；json 为全部发现的列表）")
    p.set_defaults(func=_cmd_check)
    p = sub.add_parser("install-template", help="让 jupyter nbconvert --template auditkit 在本环境中可用（make setup 会调用）")
    p.set_defaults(func=_cmd_install_template)
    p = sub.add_parser("synth", help="生成合成部门数据（内部一致、可通过校验），用于试运行与性能测试")
    p.add_argument("out", help="输出的项目文件夹：写入 data/<年度>/ 与 params/<年度>/，并复制 notebooks/")
    p.add_argument("--departments", "-n", type=int, default=10, help="部门数（默认 10）")
    p.add_argument("--year", type=int, default=2024, help="年度（默认 2024）")
    p.add_argument("--first", type=int, default=0, help="第一个部门的种子（部门编号 synth-<种子>，默认 0）")
    p.add_argument("--framework", action="append", metavar="ID",
                   help="评分表采用的指标体系（默认 gd-municipal-2019）；可重复给出，各部门依次轮换")
    p.add_argument("--clean", action="store_true",
                   help="只生成无扣分问题、无勾稽错误的部门（默认另有部分部门扣分较多、含勾稽错误、为自评或总分无法复核）")
    p.set_defaults(func=_cmd_synth)
    return parser


def _cmd_install_template(args: argparse.Namespace) -> int:
    from auditkit.report.render import install_template

    print(f"nbconvert 模板 auditkit：{install_template()}（jupyter nbconvert --to html --template auditkit 可用）")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    import json

    from auditkit.data.prior_year import link_prior_year
    from auditkit.reconcile import format_findings, reconciliation

    paths = [Path(p) for p in args.paths] or department_dirs()
    if not paths:
        print(f"{display(data_dir())} 下没有部门数据（应为 data/<年度>/<部门编号>/department.yaml）", file=sys.stderr)
        return 1
    linked = [link_prior_year(load(p)) for p in paths]  # with data/<year-1>/<id>, when there is one
    results = [(link.dept, reconciliation(link.dept, _own_framework(link.dept), prior=link)) for link in linked]
    if args.format == "json":
        print(json.dumps([f.as_dict() for _, r in results for f in r.findings], ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(format_findings(dept, r) for dept, r in results))
    return 1 if any(r.errors for _, r in results) else 0


def _own_framework(dept: DepartmentYear) -> Framework | None:
    """The framework a department names (``evaluation.framework``), for its grade; None when it cannot be loaded, so
    that the stated grade is reported as not checkable rather than the check failing."""
    from auditkit.scoring.framework import load_framework

    try:
        return load_framework(dept.evaluation.framework)
    except FrameworkError:
        return None


def _cmd_score(args: argparse.Namespace) -> int:
    import json

    from auditkit.scoring.framework import load_framework
    from auditkit.scoring.scorecard import format_scorecard, score

    dept = load(args.path)
    card = score(dept, load_framework(args.framework or dept.evaluation.framework))
    if args.format == "json":
        print(json.dumps(card.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_scorecard(card))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        # argparse cannot split `new-year 2025 --from 2024 DEPT …` around the option; the rest are departments
        if args.command != "new-year" or any(e.startswith("-") for e in extra):
            parser.error(f"无法识别的参数：{' '.join(extra)}")
        args.departments = [*args.departments, *extra]
    try:
        return int(args.func(args))
    except AuditkitError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except BrokenPipeError:  # `auditkit check | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
