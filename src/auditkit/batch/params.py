"""papermill parameter files: ``params/<year>/<dept_id>.yaml``, one per department-year."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from auditkit.exceptions import ParamsError
from auditkit.paths import params_dir, project_root

__all__ = ["ParamsFile", "params_files", "read_params"]

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
    if not isinstance(values, dict):
        raise ParamsError(p, "参数文件应为「参数名: 值」的映射")
    for key in REQUIRED:
        if key not in values:
            raise ParamsError(p, f"缺少参数 {key}（每个参数文件至少含 {'、'.join(REQUIRED)}）")
    return ParamsFile(p, values)


def params_files(root: Path | None = None) -> list[Path]:
    """Every parameters file under ``params/``, sorted by year then department."""
    return sorted((root or params_dir()).glob("*/*.yaml"))
