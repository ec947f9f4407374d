"""papermill parameter files: ``params/<year>/<dept_id>.yaml``, one per department-year.

papermill writes each key verbatim into the notebook's injected cell (``key = repr(value)``): a key is code. So a
file may set only the parameters a notebook declares in its ``parameters`` cell, with values of the declared types,
and this is checked before anything executes (:func:`check_parameters`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from auditkit.batch.catalogue import Notebook
from auditkit.exceptions import ParamsError
from auditkit.paths import display, params_dir, project_root

__all__ = ["ParamsFile", "check_parameters", "params_files", "read_params"]

REQUIRED = ("data_path", "framework")


@dataclass(frozen=True)
class ParamsFile:
    """One department-year's papermill parameters and where they were read from."""

    path: Path
    values: dict[str, object]

    @property
    def data_path(self) -> Path:
        """The department's data, resolved against the project root."""
        return project_root() / str(self.values["data_path"])

    @property
    def framework(self) -> str:
        return str(self.values["framework"])


def read_params(path: str | Path) -> ParamsFile:
    """Read one parameters file; raise :class:`ParamsError` naming the file and the fix."""
    p = Path(path)
    try:
        values = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ParamsError(p, f"无法读取参数文件：{exc}") from exc
    if values is None:
        raise ParamsError(p, "参数文件为空；应为「参数名: 值」的映射，至少含 " + "、".join(REQUIRED))
    if not isinstance(values, dict):
        raise ParamsError(p, f"参数文件应为「参数名: 值」的映射，读到的是{_kind(values)}")
    for key in REQUIRED:
        if key not in values:
            raise ParamsError(p, f"缺少参数 {key}（每个参数文件至少含 {'、'.join(REQUIRED)}）")
    return ParamsFile(p, values)


def params_files(root: Path | None = None) -> list[Path]:
    """Every parameters file under ``params/``, sorted by year then department."""
    return sorted((root or params_dir()).glob("*/*.yaml"))


def _kind(value: object) -> str:
    names = {list: "列表", str: "文本", int: "整数", float: "数字", bool: "布尔值", dict: "映射", type(None): "空值"}
    return names.get(type(value), type(value).__name__)


def _shown(key: object) -> str:
    text = repr(key)
    return text if len(text) <= 60 else text[:57] + "…"


def _plain(value: object) -> bool:
    """A value papermill writes back as the same value: text, numbers, booleans, null, and lists or maps of them."""
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def check_parameters(params: ParamsFile, notebook: Notebook) -> list[str]:
    """Every way ``params`` does not fit ``notebook``'s ``parameters`` cell, each naming the file and the key.

    A key that is not one of the notebook's parameters (a typo such as ``data_pth``, or code) is refused, and so is a
    value of another type than the cell declares, or one papermill cannot write back as itself (a date, ``nan``).
    """
    where = display(params.path)
    declared = {p.name: p for p in notebook.parameters or ()}
    names = "、".join(declared) if declared else "（无）"
    problems = []
    for key, value in params.values.items():
        parameter = declared.get(key) if isinstance(key, str) else None
        if parameter is None:
            reason = (f"笔记本 {notebook.name} 没有标记为 parameters 的单元格，不接受参数" if notebook.parameters is None
                      else f"不是笔记本 {notebook.name} 的参数（其 parameters 单元格只有 {names}）")
            problems.append(f"{where}: 参数名 {_shown(key)} {reason}；请删除或改正这个键")
        elif not _plain(value):
            problems.append(f"{where}: 参数 {key} 的值 {_shown(value)}（{_kind(value)}）无法原样传给笔记本；"
                            "请写成文本（如日期加引号 \"2024-06-30\"）、数字、布尔值或它们的列表")
        elif not parameter.accepts(value):
            problems.append(f"{where}: 参数 {key} 的值 {_shown(value)} 是{_kind(value)}，而笔记本 {notebook.name} "
                            f"的 parameters 单元格声明为 {' | '.join(parameter.types)}；请改正其类型")
    return problems
