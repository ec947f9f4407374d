"""The folder form: ``data/<year>/<dept_id>/department.yaml`` plus one CSV file per table."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from auditkit.data.model import DepartmentYear
from auditkit.data.raw import Cell, RawData, RawTable, normalize_header
from auditkit.data.schema import FIELDS, SECTIONS, TABLES
from auditkit.data.serialize import dump_yaml, table_columns, table_rows
from auditkit.data.yamltext import NULLS, STR_TAG, compose_text, short_tag
from auditkit.exceptions import Location, Problem
from auditkit.paths import DEPARTMENT_FILE, display

__all__ = ["read_folder", "write_folder"]

_FIELD_KEYS = {f.key for f in FIELDS}
_TABLE_FILES = {t.file: t for t in TABLES.values()}


def read_folder(folder: Path) -> RawData:
    """Read a department folder into raw cells; problems of form (bad YAML, bad CSV) are collected, not raised."""
    folder = Path(folder)
    yaml_path = folder / DEPARTMENT_FILE
    raw = RawData(
        origin=display(folder),
        form="folder",
        info_location=Location(display(yaml_path)),
        folder_name=folder.resolve().name,
        year_folder_name=folder.resolve().parent.name,
    )
    _read_yaml(yaml_path, raw)
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".csv":
            continue
        table = _TABLE_FILES.get(path.name)
        if table is None:
            expected = "、".join(sorted(_TABLE_FILES))
            raw.problems.append(Problem(Location(display(path)), f"不是已知的数据表文件；应为 {expected} 之一"))
            continue
        read = _read_csv(path, table.name, raw)
        if read is None:
            raw.unreadable.add(table.name)
        else:
            raw.tables[table.name] = read
    return raw


def _read_yaml(path: Path, raw: RawData) -> None:
    root = _yaml_root(path, raw)
    if root is None:
        raw.info_found = False
        return
    for section_node, body in root.value:
        _read_section(section_node, body, display(path), raw)


def _yaml_root(path: Path, raw: RawData) -> yaml.MappingNode | None:
    """The top-level mapping of ``department.yaml``; None, with the problem recorded, when the file has none."""
    where = display(path)
    if not path.is_file():
        raw.problems.append(Problem(Location(where), f"缺少 {DEPARTMENT_FILE}（部门基本信息）"))
        return None
    text = _decode(path, raw)
    if text is None:
        return None
    try:
        root = compose_text(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        raw.problems.append(Problem(Location(where, row=row), f"YAML 格式错误：{getattr(exc, 'problem', exc)}"))
        return None
    if root is None:
        raw.problems.append(Problem(Location(where), "文件为空"))
        return None
    if not isinstance(root, yaml.MappingNode):
        raw.problems.append(Problem(Location(where, row=root.start_mark.line + 1), "顶层应为各部分（department、evaluation 等）的映射"))
        return None
    return root


def _read_section(section_node: yaml.Node, body: yaml.Node, where: str, raw: RawData) -> None:
    """One section of ``department.yaml`` (``department:``, ``evaluation:`` …): each of its fields as a cell."""
    section = str(section_node.value)
    loc = Location(where, row=section_node.start_mark.line + 1, key=section)
    if section not in SECTIONS:
        raw.problems.append(Problem(loc, f"未知的部分；应为 {'、'.join(SECTIONS)} 之一", section))
        return
    if not isinstance(body, yaml.MappingNode):
        raw.problems.append(Problem(loc, "应为字段的映射"))
        return
    for key_node, value_node in body.value:
        key = f"{section}.{key_node.value}"
        loc = Location(where, row=key_node.start_mark.line + 1, key=key)
        if key not in _FIELD_KEYS:
            raw.problems.append(Problem(loc, "未知字段（见 docs/data_format.md）", key))
        elif not isinstance(value_node, yaml.ScalarNode):
            raw.problems.append(Problem(loc, "应为单个值，不应是列表或映射"))
        else:
            _read_field(key, value_node, loc, raw)


def _read_field(key: str, node: yaml.ScalarNode, loc: Location, raw: RawData) -> None:
    """A field's value as its source text (issue 16, case 6): unquoted ``012`` stays 012, ``2670.60`` keeps two
    decimals, ``2020-02-30`` is a date the date parser refuses; an explicit tag (``!!int x``) is refused here."""
    if node.tag != STR_TAG:
        raw.problems.append(Problem(loc, f"带 YAML 类型标记「{short_tag(node.tag)}」；请去掉标记，直接写值（数字如 2670.60，"
                                         "日期如 2020-06-30）", node.value))
        return
    value: str | None = node.value
    if node.style is None and node.value in NULLS:
        value = None  # `key:`, `key: ~`, `key: null`: not given
    if key in raw.fields:
        raw.problems.append(Problem(loc, "字段重复"))
    raw.fields[key] = Cell(value, loc)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SAVE_AS = "请在 Excel 中「另存为」「CSV UTF-8（逗号分隔）」，或用文本编辑器以 UTF-8 保存"


def _decode(path: Path, raw: RawData) -> str | None:
    """A file's text: UTF-8 (with or without BOM), else GB18030 (which includes GBK and GB2312: what Excel on Chinese
    Windows saves as "CSV"), noted as a warning for the data log (issue 16, case 12). UTF-16 and anything else is one
    clear error; None then."""
    where = display(path)
    data = path.read_bytes()
    if data.startswith(_UTF16_BOMS) or (len(data) > 1 and b"\x00" in data[:200]):
        raw.problems.append(Problem(Location(where), f"是 UTF-16 编码（Excel 的「Unicode 文本」），无法按表格读取：{_SAVE_AS}"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raw.problems.append(Problem(Location(where), f"既不是 UTF-8 也不是 GB18030/GBK 编码（第 {exc.start} 字节起无法解码）：{_SAVE_AS}"))
        return None
    raw.problems.append(Problem(Location(where), "不是 UTF-8 编码，已按 GB18030（GBK）编码读取（中文版 Excel 保存的 CSV）；"
                                                 f"内容请核对无误。{_SAVE_AS}，此提示即消失", severity="warning"))
    return text


def _read_csv(path: Path, name: str, raw: RawData) -> RawTable | None:
    where = display(path)
    table = RawTable(name, Location(where))
    text = _decode(path, raw)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raw.problems.append(Problem(Location(where), "文件为空：第 1 行应为表头"))
            return table
        for header_text in header:
            base, unit = normalize_header(header_text)
            table.headers.append((base, unit, Location(where, row=1, column=header_text)))
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                raw.problems.append(Problem(Location(where, row=start), f"有 {len(cells)} 个单元格，多于表头的 {len(header)} 列（逗号是否未加引号？）"))
                continue
            row = {}
            for (base, _unit, _hl), value in zip(table.headers, cells, strict=False):
                row[base] = Cell(value, Location(where, row=start, column=base))
            table.rows.append(row)
    except csv.Error as exc:
        raw.problems.append(Problem(Location(where, row=reader.line_num), f"CSV 格式错误：{exc}"))
    return table


def write_folder(dept: DepartmentYear, folder: Path) -> Path:
    """Write a department-year as ``department.yaml`` plus one CSV per table it has (with rows, or read from a file),
    each with the columns it was read with."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DEPARTMENT_FILE).write_text(dump_yaml(dept), encoding="utf-8")
    for table in TABLES.values():
        rows = table_rows(dept, table)
        if not rows and table.name not in dept.layout:
            continue
        with (folder / table.file).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([c.header + (f"({unit})" if unit else "") for c, unit in table_columns(dept, table)])
            writer.writerows(rows)
    return folder
