"""Every error auditkit raises on purpose. Each class says when it is raised and carries structured fields.

Messages are in Chinese, for the evaluator: they name the value, where it came from (file, sheet, row, column or
indicator), and the fix. The command line prints them as they are; nothing auditkit raises on purpose is a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditkit.paths import display

__all__ = [
    "AuditkitError",
    "BatchError",
    "BatchInterrupted",
    "CellValueError",
    "ChromiumError",
    "DataValidationError",
    "FrameworkError",
    "FrameworkProblem",
    "KernelError",
    "Location",
    "NumberFormatError",
    "OfficeError",
    "ParamsError",
    "PriorYearError",
    "Problem",
    "ScoreProblem",
    "ScoringError",
    "UnknownFormatError",
    "YamlValueError",
]


class AuditkitError(Exception):
    """Base class: every error auditkit raises on purpose derives from it."""


class CellValueError(AuditkitError, ValueError):
    """Raised when a cell's value is not of its column's kind (a date, a code, one of the allowed values, …).

    ``raw`` is the value found, ``reason`` says what is wrong with it and what is expected (in Chinese, for the
    evaluator). Validation records it as a :class:`Problem` at the cell's :class:`Location`.
    """

    def __init__(self, raw: object, reason: str) -> None:
        self.raw = raw
        self.reason = reason
        super().__init__(f"{raw!r} {reason}")


class NumberFormatError(CellValueError):
    """Raised when a cell that must hold a number holds something else (``raw``, ``reason`` as for any cell)."""


@dataclass(frozen=True)
class Location:
    """Where a value came from: a file, and within it a sheet, a row and a column (or a YAML key)."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.cell:
            parts.append(f"单元格 {self.cell}")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"列「{self.column}」")
        if self.key:
            parts.append(f"字段 {self.key}")
        return "，".join(parts)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a department's data: where, what was found, what was expected."""

    location: Location
    message: str
    value: object = None
    severity: str = "error"

    def __str__(self) -> str:
        found = "" if self.value is None else f"{self.value!r} "
        return f"{self.location}: {found}{self.message}"


class DataValidationError(AuditkitError):
    """Raised when a department-year's data has one or more problems; ``problems`` lists every one (errors), and
    ``warnings`` what was found besides that would not have stopped the data from loading."""

    def __init__(self, source: str | Path, problems: list[Problem], warnings: tuple[Problem, ...] = ()) -> None:
        self.source = str(source)
        self.problems = problems
        self.warnings = warnings
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{self.source}: {len(problems)} 处数据问题\n{lines}")


class UnknownFormatError(AuditkitError):
    """Raised when a path is neither a department folder nor an .xlsx workbook (or is no path at all, such as the
    number 123); ``path`` is what was given, ``reason`` says what is wrong and what is expected."""

    def __init__(self, path: str | Path, reason: str | None = None) -> None:
        self.path = str(path)
        self.reason = reason or ("不是部门数据文件夹（含 department.yaml）也不是 .xlsx 工作簿；"
                                 "请指向 data/<年度>/<部门编号>/ 或一个工作簿")
        super().__init__(f"{self.path}: {self.reason}")


class YamlValueError(AuditkitError, ValueError):
    """Raised when a YAML scalar cannot be built under the core schema auditkit reads typed YAML with (an explicit
    ``!!timestamp`` that is no date, ``!!int x``, a 5000-digit integer); ``line`` is its 1-based line when known,
    ``reason`` says what (in Chinese)."""

    def __init__(self, line: int | None, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"第 {line} 行：{reason}" if line else reason)


# --- indicator frameworks and scoring ---------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkProblem:
    """One thing wrong with a framework file: the indicator it concerns (None for the file as a whole) and what."""

    indicator: str | None
    message: str

    def __str__(self) -> str:
        return f"指标 {self.indicator}：{self.message}" if self.indicator else self.message


class FrameworkError(AuditkitError):
    """Raised when a framework cannot be found, read or validated.

    ``path`` is the file (or the id asked for), ``problems`` lists every problem found, each naming its indicator;
    ``indicator`` is the first indicator named, for callers that handle one.
    """

    def __init__(self, path: str, problems: list[FrameworkProblem]) -> None:
        self.path = path
        self.problems = problems
        self.indicator = next((p.indicator for p in problems if p.indicator), None)
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"指标体系 {path}：{len(problems)} 处问题\n{lines}")


@dataclass(frozen=True)
class ScoreProblem:
    """One thing wrong with a department's score for one indicator."""

    indicator: str
    name: str
    message: str

    def __str__(self) -> str:
        return f"指标 {self.indicator} {self.name}：{self.message}"


class ScoringError(AuditkitError):
    """Raised when a department's scores do not fit its framework; ``problems`` lists every one, each naming its indicator."""

    def __init__(self, department: str, framework: str, problems: list[ScoreProblem]) -> None:
        self.department = department
        self.framework = framework
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{department}（指标体系 {framework}）：{len(problems)} 处评分问题\n{lines}")


# --- the prior year, parameters, kernels, Chromium ---------------------------------------------------


class PriorYearError(AuditkitError):
    """Raised when the prior year found for a department cannot be used: unreadable, invalid, or not that
    department's preceding year. ``path`` is where it was found, ``reason`` says why (in Chinese)."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = display(path)
        self.reason = reason
        super().__init__(f"上年数据 {self.path} 无法使用：{reason}")


class ParamsError(AuditkitError):
    """Raised when a parameters file cannot be read or lacks a required key; ``path`` names the file."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = display(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class KernelError(AuditkitError):
    """Raised when no Jupyter kernel can be started for a notebook: the pre-imported zygote failed or died, and a
    stock kernel could not start either. ``reason`` says what happened; the notebook it was for fails alone."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"无法启动笔记本内核：{reason}")


class OfficeError(AuditkitError):
    """Raised when LibreOffice is not installed, or fails or times out converting a document; ``path`` names it."""

    def __init__(self, path: str | Path | None, reason: str) -> None:
        self.path = str(path) if path else None
        self.reason = reason
        super().__init__(f"{self.path + ': ' if self.path else ''}{reason}")


class ChromiumError(AuditkitError):
    """Raised when Chromium is not installed or fails on a page; ``path`` names the page."""

    def __init__(self, path: str | Path | None, reason: str) -> None:
        self.path = str(path) if path else None
        self.reason = reason
        super().__init__(f"{self.path + ': ' if self.path else ''}{reason}")


class BatchError(AuditkitError):
    """Raised when a batch cannot run at all, before it starts any work: ``outputs/`` cannot be written (read-only,
    full), ``outputs/manifest.json`` is a folder, waiting for another run's lock was interrupted, or the Dask
    scheduler cannot be reached. ``reason`` says what and the fix (in Chinese); ``auditkit run`` exits 2."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class BatchInterrupted(AuditkitError):
    """Raised when a batch is stopped by a signal (Ctrl-C's SIGINT, SIGTERM), after it stopped the running kernels
    and wrote the manifest and index for what finished.

    ``signum`` is the signal; ``results`` the jobs that ended (ok, failed, skipped); ``running`` the keys of the jobs
    stopped mid-way and ``pending`` those never started (their previous outputs stay as they were).
    """

    def __init__(self, signum: int, results: list[object], running: list[str], pending: list[str]) -> None:
        self.signum = signum
        self.results = results
        self.running = running
        self.pending = pending
        super().__init__(f"批处理被信号 {signum} 中断：{len(running)} 份报告运行中被停止，{len(pending)} 份未开始")
