"""The ``auditkit`` command line: ``validate``, ``template``, ``convert``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from auditkit import __version__
from auditkit.exceptions import AuditkitError
from auditkit.folder import write_folder
from auditkit.loading import load, validate
from auditkit.paths import data_dir, department_dirs, display
from auditkit.schema import TABLES
from auditkit.workbook import write_template, write_workbook

__all__ = ["main"]


def _cmd_validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or department_dirs()
    if not paths:
        print(f"{display(data_dir())} 下没有部门数据（应为 data/<年度>/<部门编号>/department.yaml）", file=sys.stderr)
        return 1
    failed = 0
    for path in paths:
        problems = validate(path)
        if problems:
            failed += 1
            print(f"✘ {display(path)}：{len(problems)} 处问题")
            for problem in problems:
                print(f"  - {problem}")
        else:
            dept = load(path)
            rows = sum(len(getattr(dept, name)) for name in TABLES)
            print(f"✔ {display(path)}：通过（{dept.department.name} {dept.fiscal_year} 年度，{rows} 行数据）")
    print(f"共 {len(paths)} 个部门，{len(paths) - failed} 个通过，{failed} 个有问题")
    return 1 if failed else 0


def _cmd_template(args: argparse.Namespace) -> int:
    path = write_template(Path(args.path))
    print(f"已写出空白工作簿 {display(path)}")
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    dept = load(args.source)
    target = Path(args.target)
    if target.exists() and not args.force:
        print(f"{display(target)} 已存在；加 --force 覆盖", file=sys.stderr)
        return 1
    if target.suffix.lower() == ".xlsx":
        write_workbook(dept, target)
    else:
        write_folder(dept, target)
    print(f"已将 {display(args.source)} 写为 {display(target)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="auditkit", description="部门整体支出绩效评价工作簿")
    parser.add_argument("--version", action="version", version=f"auditkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="检查部门数据（文件夹或工作簿），一次列出全部问题")
    p.add_argument("paths", nargs="*", help="data/<年度>/<部门编号>/ 或 .xlsx；缺省为 data/ 下全部部门")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("template", help="写出空白数据工作簿（含填写说明与数据有效性）")
    p.add_argument("path", help="输出路径，如 部门数据.xlsx")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("convert", help="在文件夹与工作簿两种形式之间转换")
    p.add_argument("source", help="data/<年度>/<部门编号>/ 或 .xlsx")
    p.add_argument("target", help="以 .xlsx 结尾写工作簿，否则写文件夹")
    p.add_argument("--force", action="store_true", help="覆盖已存在的目标")
    p.set_defaults(func=_cmd_convert)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except AuditkitError as exc:
        print(str(exc), file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
