"""Every error auditkit raises on purpose. Each class says when it is raised and carries structured fields."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "AuditkitError",
    "DataValidationError",
    "Location",
    "NumberFormatError",
    "Problem",
    "UnknownFormatError",
]


class AuditkitError(Exception):
    """Base class: every error auditkit raises on purpose derives from it."""


class NumberFormatError(AuditkitError, ValueError):
    """Raised when a cell that must hold a number holds something else.

    ``raw`` is the value found, ``reason`` says what is wrong with it (in Chinese, for the evaluator).
    """

    def __init__(self, raw: object, reason: str) -> None:
        self.raw = raw
        self.reason = reason
        super().__init__(f"{raw!r} {reason}")


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
    """Raised when a department-year's data has one or more problems; ``problems`` lists every one."""

    def __init__(self, source: str | Path, problems: list[Problem]) -> None:
        self.source = str(source)
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{self.source}: {len(problems)} 处数据问题\n{lines}")


class UnknownFormatError(AuditkitError):
    """Raised when a path is neither a department folder nor an .xlsx workbook."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        super().__init__(
            f"{self.path}: 不是部门数据文件夹（含 department.yaml）也不是 .xlsx 工作簿；"
            "请指向 data/<年度>/<部门编号>/ 或一个工作簿"
        )
