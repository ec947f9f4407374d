"""Raw cells to a validated :class:`~auditkit.data.model.DepartmentYear`, collecting every problem in one pass."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from auditkit.data.model import (
    Assets,
    BudgetLine,
    Department,
    DepartmentYear,
    Evaluation,
    Funds,
    Kpi,
    KpiInput,
    Note,
    OrgUnit,
    Procurement,
    Projects,
    Quarter,
    Score,
    Staffing,
    StatedFigure,
    TextItem,
)
from auditkit.data.numbers import Number, parse_number
from auditkit.data.raw import UNREADABLE, Cell, RawData, RawTable
from auditkit.data.schema import (
    CLAIMS,
    FIELDS,
    FORMULA_VARIABLES,
    FRAMEWORKS,
    KPI_TABLE_COLUMNS,
    TABLES,
    Column,
    Field,
    Table,
)
from auditkit.exceptions import (
    CellValueError,
    DataValidationError,
    FrameworkError,
    Location,
    NumberFormatError,
    Problem,
)
from auditkit.scoring.framework import Framework, load_framework, resolve_framework

__all__ = ["WARNING", "build"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE = re.compile(r"^\d{1,12}$")
_WAN_PER_YUAN = Decimal("0.0001")
#: A problem that does not stop the data from loading: it is printed by ``auditkit validate`` and kept on the model
#: (:attr:`~auditkit.data.model.DepartmentYear.warnings`) for the review memo's data log.
WARNING = "warning"
#: OCR residue in a text: a number broken by a space after its decimal point ("116. 27%", "808. 56 万元"; issue 14).
_BROKEN_NUMBER = re.compile(r"(?<![\d.])\d+\.[ \u3000]+\d+(?:\s*(?:%|％|万元|亿元|元))?")
_Row = TypeVar("_Row")

_SECTION_CLASSES: dict[str, type] = {
    "department": Department,
    "evaluation": Evaluation,
    "funds": Funds,
    "procurement": Procurement,
    "assets": Assets,
    "projects": Projects,
}
_ROW_CLASSES: dict[str, type] = {
    "income": BudgetLine,
    "expenditure": BudgetLine,
    "functional": BudgetLine,
    "costs": BudgetLine,
    "quarterly": Quarter,
    "kpis": Kpi,
    "kpi_inputs": KpiInput,
    "staffing": Staffing,
    "units": OrgUnit,
    "scores": Score,
    "stated": StatedFigure,
    "texts": TextItem,
    "notes": Note,
}


class _Collector:
    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)

    def add(self, location: Location, message: str, value: object = None, severity: str = "error") -> None:
        self.problems.append(Problem(location, message, value, severity))


def build(raw: RawData) -> DepartmentYear:
    """Validate ``raw`` and build the model; raise :class:`DataValidationError` listing every problem."""
    out = _Collector(raw.problems)
    sections = {name: _build_section(name, raw, out) for name in _SECTION_CLASSES}
    built = {name: _build_table(TABLES[name], raw.tables.get(name), out) for name in _ROW_CLASSES}
    tables = {name: tuple(row for row, _ in pairs) for name, pairs in built.items()}
    cells = {name: [cells for _, cells in pairs] for name, pairs in built.items()}
    _check_identity(raw, sections["department"], out)
    _check_unit_counts(sections["department"], tables["units"], raw, out)
    evaluation = sections["evaluation"]
    framework = _framework(raw, evaluation if isinstance(evaluation, Evaluation) else None, out)
    _check_cross_rows(tables, cells, _RawKeys(raw), framework, out)
    _check_ocr_residue(raw, out)
    errors = [p for p in out.problems if p.severity != WARNING]
    warnings = tuple(p for p in out.problems if p.severity == WARNING)
    if errors:
        raise DataValidationError(raw.origin, errors, warnings)
    return DepartmentYear(**sections, **tables, origin=raw.origin, warnings=warnings, layout=_layout(raw))  # type: ignore[arg-type]


def _layout(raw: RawData) -> dict[str, tuple[tuple[str, str | None], ...]]:
    """The columns each table was read with (万元, the default unit, as None); a workbook's sheet without rows is a
    sheet of the template, not a table of the data."""
    return {
        name: tuple((base, None if unit == "万元" else unit) for base, unit, _ in t.headers)
        for name, t in raw.tables.items() if raw.form == "folder" or t.rows
    }


# --- cells --------------------------------------------------------------------------------------------


#: What a cell parses to: text, a whole number (年度, 季度), 是/否, a printed number; None when it is empty.
_Parsed = str | int | bool | Number | None
#: A parser of one column kind: the stripped cell value, the column's choices and unit → the parsed value.
_Parser = Callable[[object, tuple[str, ...], str | None], _Parsed]


def _parse(kind: str, cell: Cell, choices: tuple[str, ...], unit: str | None, out: _Collector) -> _Parsed:
    """Parse one cell by its column kind; on a problem record it and return None."""
    value = cell.value
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "" or value is UNREADABLE:
        return None
    try:
        return _PARSERS[kind](value, choices, unit)
    except CellValueError as exc:
        out.add(cell.location, exc.reason, exc.raw)
        return None


def _parse_text(value: object, choices: tuple[str, ...], unit: str | None) -> str:
    text = _text(value)
    if _CONTROL.search(text):
        raise CellValueError(text, "含不可见的控制字符（常见于从 PDF 复制的文字）；请删除")
    return text


def _parse_enum(value: object, choices: tuple[str, ...], unit: str | None) -> str:
    text = _text(value)
    if text not in choices:
        raise CellValueError(text, f"不是允许的取值；应为 {'、'.join(choices)} 之一")
    return text


def _parse_framework(value: object, choices: tuple[str, ...], unit: str | None) -> str:
    """A shipped framework's id or a framework file's path (whether it loads is checked with the section)."""
    text = _text(value)
    if text not in FRAMEWORKS and not text.lower().endswith((".yaml", ".yml")):
        raise CellValueError(text, f"不是已知的指标体系；应为 {'、'.join(FRAMEWORKS)} 之一，或指标体系 YAML 文件路径")
    return text


def _parse_slug(value: object, choices: tuple[str, ...], unit: str | None) -> str:
    text = _text(value)
    if not _SLUG.match(text):
        raise CellValueError(text, "不是有效的部门编号：只用小写字母、数字和连字符，如 shaoguan-rsj")
    return text


def _parse_code(value: object, choices: tuple[str, ...], unit: str | None) -> str:
    text = _text(value)
    if not _CODE.match(text):
        raise CellValueError(text, "不是有效的科目编码：应为数字，如 208")
    return text


def _parse_date(value: object, choices: tuple[str, ...], unit: str | None) -> str:
    text = _text(value)
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise CellValueError(text, "不是有效日期：应为 YYYY-MM-DD，如 2022-06-06") from None


def _parse_bool(value: object, choices: tuple[str, ...], unit: str | None) -> bool:
    text = _text(value)
    if text in ("是", "true", "True", "1", "Y", "y"):
        return True
    if text in ("否", "false", "False", "0", "N", "n"):
        return False
    raise CellValueError(text, "应为 是 或 否")


def _parse_index(value: object, choices: tuple[str, ...], unit: str | None) -> int | None:
    """A whole number kept as a plain ``int`` (季度, 层级, 序号)."""
    number = parse_number(value)
    if number is None:
        return None
    if number.percent or number.value != number.value.to_integral_value():
        raise NumberFormatError(value, "不是整数")
    return int(number.value)


def _parse_year(value: object, choices: tuple[str, ...], unit: str | None) -> int | None:
    year = _parse_index(value, choices, unit)
    if year is not None and not 1990 <= year <= 2100:
        raise CellValueError(value, "不是有效年度：应为四位年份，如 2024")
    return year


def _parse_number(value: object, choices: tuple[str, ...], unit: str | None) -> Number | None:
    """A plain number (not a rate)."""
    number = parse_number(value)
    if number is not None and number.percent:
        raise NumberFormatError(value, "带 % 号，此列应为数值而非比率")
    return number


def _parse_integer(value: object, choices: tuple[str, ...], unit: str | None) -> Number | None:
    number = _parse_number(value, choices, unit)
    if number is not None and number.value != number.value.to_integral_value():
        raise NumberFormatError(value, "不是整数")
    return number


def _parse_amount(value: object, choices: tuple[str, ...], unit: str | None) -> Number | None:
    """An amount in 万元; in 元 when the header says so, converted to 万元 with four more decimals."""
    number = _parse_number(value, choices, unit)
    return number.scaled(_WAN_PER_YUAN, 4) if number is not None and unit == "元" else number


def _parse_rate(value: object, choices: tuple[str, ...], unit: str | None) -> Number | None:
    """A percentage, the % sign optional."""
    number = parse_number(value)
    return Number(number.value, number.decimals, True, None, number.raw) if number is not None else None


def _parse_figure(value: object, choices: tuple[str, ...], unit: str | None) -> Number | None:
    """A printed number, percent and comparator allowed."""
    return parse_number(value, allow_comparator=True)


#: The parser of each column kind (:class:`~auditkit.data.schema.Column` lists the kinds).
_PARSERS: dict[str, _Parser] = {
    "text": _parse_text,
    "enum": _parse_enum,
    "framework": _parse_framework,
    "slug": _parse_slug,
    "code": _parse_code,
    "date": _parse_date,
    "bool": _parse_bool,
    "year": _parse_year,
    "index": _parse_index,
    "amount": _parse_amount,
    "number": _parse_number,
    "integer": _parse_integer,
    "rate": _parse_rate,
    "figure": _parse_figure,
    "kpi_value": _parse_figure,
    "stated_value": _parse_figure,
}


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- department.yaml sections -------------------------------------------------------------------------


def _build_section(name: str, raw: RawData, out: _Collector) -> object:
    if not raw.info_found:  # already reported: the file or sheet could not be read at all
        return None
    values: dict[str, _Parsed] = {}
    missing = []
    for f in (f for f in FIELDS if f.section == name):
        cell = raw.fields.get(f.key)
        before = len(out.problems)
        value = _parse(f.kind, cell, f.choices, None, out) if cell else None
        if value is None and f.required:
            # empty, blanks only ("\u3000") or a not-reported mark ("-"): missing; an unreadable or malformed cell has
            # its problem recorded already
            if len(out.problems) == before and (cell is None or cell.value is not UNREADABLE):
                missing.append(f)
            continue
        values[f.attr] = value
    for f in missing:
        cell = raw.fields.get(f.key)
        out.add(cell.location if cell else _field_location(raw, f), f"缺少必填字段 {f.key}（{f.label}）")
    if missing or any(f.required and f.attr not in values for f in FIELDS if f.section == name):
        return None
    return _SECTION_CLASSES[name](**values)


def _field_location(raw: RawData, f: Field) -> Location:
    loc = raw.info_location
    return Location(loc.file, sheet=loc.sheet, key=f.key)


def _check_identity(raw: RawData, dept: object, out: _Collector) -> None:
    if not isinstance(dept, Department) or raw.form != "folder":
        return
    cell = raw.fields["department.id"]
    if raw.folder_name and dept.id != raw.folder_name:
        out.add(cell.location, f"部门编号与文件夹名「{raw.folder_name}」不一致；二者应相同", dept.id)
    year_cell = raw.fields["department.fiscal_year"]
    if raw.year_folder_name and str(dept.fiscal_year) != raw.year_folder_name:
        out.add(year_cell.location, f"评价年度与上级文件夹名「{raw.year_folder_name}」不一致；应放在 data/{dept.fiscal_year}/ 下", dept.fiscal_year)


def _check_unit_counts(dept: object, units: tuple[Any, ...], raw: RawData, out: _Collector) -> None:
    """A stated 内设机构数 or 下属单位数 says the units list is incomplete; it cannot be smaller than the list."""
    if not isinstance(dept, Department):
        return
    for attr, kind in (("internal_units", "内设机构"), ("subordinate_units", "下属单位")):
        stated = getattr(dept, attr)
        listed = sum(1 for u in units if u.kind == kind)
        if stated is not None and stated.value < listed:
            out.add(raw.fields[f"department.{attr}"].location,
                    f"少于「机构」表所列的 {listed} 个{kind}；应为报告所述的总数（不少于所列个数），或删去此字段", str(stated))


def _framework(raw: RawData, evaluation: Evaluation | None, out: _Collector) -> Framework | None:
    """The department's own framework (``evaluation.framework``), loaded: one that cannot be is a problem of the data.

    None when it cannot be loaded, or the evaluation section has a problem of its own.
    """
    if evaluation is None:
        return None
    where, ref, shipped = raw.fields["evaluation.framework"].location, evaluation.framework, "、".join(FRAMEWORKS)
    try:
        path = resolve_framework(ref)
    except FrameworkError:
        out.add(where, f"找不到此指标体系文件；应为内置指标体系 {shipped} 之一，或一个存在的指标体系 YAML 文件的路径"
                       "（相对于工作目录或项目根目录）", ref)
        return None
    try:
        return load_framework(path)
    except FrameworkError as exc:
        reasons = "；".join(str(p) for p in exc.problems)
        out.add(where, f"指标体系文件 {exc.path} 无法使用：{reasons}。请更正该文件，或改用内置指标体系 {shipped} 之一", ref)
        return None


# --- tables -------------------------------------------------------------------------------------------


def _build_table(table: Table, raw_table: RawTable | None, out: _Collector) -> list[tuple[object, dict[str, Cell]]]:
    """The valid rows of a table, each with the raw cells it came from (for locating later problems)."""
    if raw_table is None:
        return []
    by_header = {c.header: c for c in table.columns}
    units: dict[str, str | None] = {}
    seen: Counter[str] = Counter()
    for base, unit, loc in raw_table.headers:
        seen[base] += 1
        if base == "":
            out.add(loc, "表头为空")
        elif base not in by_header:
            out.add(loc, f"未知列；「{table.sheet}」表的列为 {'、'.join(by_header)}", base)
        elif seen[base] == 2:
            out.add(loc, "列重复", base)
        elif unit is not None and not _unit_fits(by_header[base], unit):
            out.add(loc, f"单位「{unit}」不适用于此列", base)
        units[base] = unit
    missing = [c for c in table.columns if c.required and c.header not in units]
    for c in missing:
        out.add(raw_table.location, f"缺少必填列「{c.header}」")
    if missing:
        return []
    cls = _ROW_CLASSES[table.name]
    rows = []
    for raw_row in raw_table.rows:
        row = _build_row(table, cls, raw_row, units, out)
        if row is not None:
            rows.append((row, raw_row))
    return rows


def _unit_fits(column: Column, unit: str) -> bool:
    if column.kind == "amount":
        return unit in ("元", "万元")
    if column.kind == "rate":
        return unit == "%"
    return column.kind in ("integer", "number") and unit in ("人", "台")


def _build_row(table: Table, cls: type, raw_row: dict[str, Cell], units: dict[str, str | None], out: _Collector) -> object:
    values: dict[str, _Parsed] = {}
    ok = True
    direction = None
    if table.name == "kpis" and "方向" in raw_row:
        direction = str(raw_row["方向"].value).strip()
    any_cell = next(iter(raw_row.values()))
    row_loc = Location(any_cell.location.file, any_cell.location.sheet, any_cell.location.row)
    value: object
    for column in table.columns:
        cell = raw_row.get(column.header)
        if cell is None:
            value = None
        elif column.kind == "kpi_value" and direction == "定性":  # a text, checked as any text (control characters)
            before = len(out.problems)
            value = _parse("text", cell, (), None, out)
            ok = ok and len(out.problems) == before
        elif column.kind == "stated_value":
            value = _stated_value(cell, raw_row, out)
        else:
            before = len(out.problems)
            value = _parse(column.kind, cell, column.choices, units.get(column.header), out)
            ok = ok and len(out.problems) == before
        if value is None and column.required:
            if cell is None or cell.value is None or str(cell.value).strip() == "":
                where = cell.location if cell else Location(row_loc.file, row_loc.sheet, row_loc.row, column.header)
                out.add(where, f"必填列「{column.header}」为空")
            ok = False
            continue
        if value is not None:
            values[column.attr] = value
    if not ok:
        return None
    return cls(**values)


def _stated_value(cell: Cell, raw_row: dict[str, Cell], out: _Collector) -> Number | str | None:
    claim = str(raw_row["指标"].value).strip() if "指标" in raw_row else ""
    try:
        return parse_number(cell.value, allow_comparator=True)
    except NumberFormatError as exc:
        if claim in ("score.grade", "other"):  # a grade is checked against the framework's (_check_stated)
            return _parse("text", cell, (), None, out)  # type: ignore[return-value]  # text kind: str or None
        out.add(cell.location, exc.reason, exc.raw)
        return None


# --- checks across rows -------------------------------------------------------------------------------


class _Anything(set[str]):
    """The names of a table that could not be read: any name may be among them (its file's error is the one reported)."""

    def __contains__(self, item: object) -> bool:
        return True


class _RawKeys:
    """Names as written in every row, valid or not, so that one bad row does not make its references fail too."""

    def __init__(self, raw: RawData) -> None:
        self.raw = raw

    def __call__(self, table: str, *headers: str) -> set[str]:
        if table in self.raw.unreadable:
            return _Anything()
        raw_table = self.raw.tables.get(table)
        if raw_table is None:
            return set()
        return {_text(row[h].value) for row in raw_table.rows for h in headers if h in row and row[h].value not in (None, "")}


def _check_cross_rows(
    tables: dict[str, tuple[Any, ...]], cells: dict[str, list[dict[str, Cell]]], keys: _RawKeys,
    framework: Framework | None, out: _Collector,
) -> None:
    """The checks across rows and tables; ``tables`` holds each table's valid rows (of its own class), ``cells`` the
    raw cells of each, to locate a problem."""
    def loc(table: str, index: int, header: str) -> Location:
        row = cells[table][index]
        cell = row.get(header) or next(iter(row.values()))
        return cell.location

    for name in ("income", "expenditure", "functional", "costs"):
        _check_hierarchy(tables[name], name, keys(name, "项目"), partial(loc, name), out)
    _check_quarters(tables["quarterly"], partial(loc, "quarterly"), out)
    _check_kpis(tables["kpis"], partial(loc, "kpis"), out)
    _check_kpi_inputs(tables["kpi_inputs"], tables["kpis"], keys("kpis", "指标名称"), partial(loc, "kpi_inputs"), out)
    _check_staffing(tables["staffing"], keys("staffing", "类别"), partial(loc, "staffing"), out)
    _check_unique(tables["units"], lambda u: (u.kind, u.name), "名称", lambda i: loc("units", i, "名称"), out)
    _check_scores(tables["scores"], keys("scores", "编号"), partial(loc, "scores"), out)
    _check_stated(keys, partial(loc, "stated"), tables["stated"], framework, out)
    _check_texts(tables["texts"], keys("kpis", "分组"), partial(loc, "texts"), out)
    indicator_ids = keys("scores", "编号") | ({i.id for i in framework.indicators} if framework is not None else set())
    _check_problem_indicators(tables["texts"], indicator_ids, partial(loc, "texts"), out)
    _check_decisions(tables["notes"], partial(loc, "notes"), out)


#: The categories whose texts may give the printed title (表题) of the table they introduce or annotate: 绩效目标 (003
#: 一（三）: the lead-in to 表1), 支出情况说明 (003 一（四）: the 备注 of 表2 and 表3).
_TITLED_TABLES = ("绩效目标", "支出情况说明")


def _check_problem_indicators(texts: tuple[TextItem, ...], indicators: set[str], where: Callable[[int, str], Location],
                              out: _Collector) -> None:
    """A 存在问题 may name in 分组 the indicator 编号 it concerns (「B.5、B.2.2」): each must be an indicator of the
    评分表 or the framework; it introduces no table."""
    for i, t in enumerate(texts):
        if t.category != "存在问题" or t.group is None:
            continue
        if t.table_title is not None or t.table_columns is not None:
            out.add(where(i, "表题"), "「存在问题」的段落不引出表格：请删去表题、表列", t.table_title or t.table_columns)
        unknown = [x for x in t.indicator_ids if x not in indicators]
        if unknown:
            out.add(where(i, "分组"), "「存在问题」的分组应为其涉及的指标编号（以「、」分隔），评分表和指标体系中都找不到此编号",
                    "、".join(unknown))


def _check_texts(texts: tuple[TextItem, ...], groups: set[str], where: Callable[[int, str], Location], out: _Collector) -> None:
    """A 主要绩效 section that names a KPI group (分组) must name one of ``kpis.csv``, and only 主要绩效 has a table."""
    for i, t in enumerate(texts):
        if t.group is None and t.table_title is None and t.table_columns is None:
            continue
        if t.category == "存在问题" and t.group is not None:
            continue  # the indicators it concerns: _check_problem_indicators
        if t.category in _TITLED_TABLES and t.group is None and t.table_columns is None:
            continue  # 003 一（三）表1, 一（四）表2/表3: the title of the table this text introduces or annotates
        if t.category != "主要绩效":
            out.add(where(i, "分组" if t.group else "表题"), "只有「主要绩效」的段落可以指定其后的指标完成情况表", t.category)
        elif t.group is None:
            out.add(where(i, "分组"), "填写了表题，但没有填写分组：请写明该表列示哪个指标分组（绩效指标表「分组」）", t.table_title)
        elif t.group not in groups:
            out.add(where(i, "分组"), "在「绩效指标」表中找不到此分组", t.group)
        unknown = [c for c in _columns(t.table_columns) if c not in KPI_TABLE_COLUMNS]
        if unknown:
            out.add(where(i, "表列"), f"不是完成情况表可用的列；应为 {'、'.join(KPI_TABLE_COLUMNS)} 之一", "、".join(unknown))


def _check_ocr_residue(raw: RawData, out: _Collector) -> None:
    """A warning for each number broken by a space in the report's words (texts.csv 标题 and 内容): OCR residue that
    would print as found. The text is kept as it is; the warning names the file, row and column."""
    table = raw.tables.get("texts")
    for row in table.rows if table is not None else ():
        for header in ("标题", "内容"):
            cell = row.get(header)
            if cell is None or not isinstance(cell.value, str):
                continue
            for match in _BROKEN_NUMBER.finditer(cell.value):
                found = match.group(0)
                fixed = found.split(".", 1)[1].lstrip(" \u3000")  # only the space after the point
                out.add(cell.location, f"含被空格断开的数字「{found}」（疑为 OCR 残留，应为「{found.split('.', 1)[0]}.{fixed}」？）："
                                       "请对照原报告删去空格", None, WARNING)


def _columns(text: str | None) -> list[str]:
    return [c.strip() for c in (text or "").split("、") if c.strip()]


#: What a decision on a finding must record, besides which finding (发现) and why (解读).
_DECISION_FIELDS = (("stands", "采用"), ("decided_by", "决定人"), ("decided_on", "日期"))


def _check_decisions(notes: tuple[Note, ...], where: Callable[[int, str], Location], out: _Collector) -> None:
    """A decision (a note naming a finding) says which figure stands, who decided and when."""
    for i, n in enumerate(notes):
        if not n.is_decision:
            continue
        for attr, header in _DECISION_FIELDS:
            if getattr(n, attr) is None:
                out.add(where(i, header), f"对勾稽校验发现 {n.finding} 的决定须写明「{header}」（采用哪一个数、由谁、于何日决定）")


def _check_quarters(quarters: tuple[Quarter, ...], where: Callable[[int, str], Location], out: _Collector) -> None:
    _check_unique(quarters, lambda r: r.quarter, "季度", lambda i: where(i, "季度"), out)
    for i, q in enumerate(quarters):
        if not 1 <= q.quarter <= 4:
            out.add(where(i, "季度"), "季度应为 1 至 4", q.quarter)


def _check_kpis(kpis: tuple[Kpi, ...], where: Callable[[int, str], Location], out: _Collector) -> None:
    _check_unique(kpis, lambda k: k.name, "指标名称", lambda i: where(i, "指标名称"), out)
    _check_unique([k for k in kpis if k.id], lambda k: k.id, "编号", lambda i: where(i, "编号"), out)
    for i, k in enumerate(kpis):
        for attr, header in (("target", "目标值"), ("actual", "实际值"), ("prior_actual", "上年实际值")):
            value = getattr(k, attr)
            if k.direction != "定性" and isinstance(value, Number) and value.comparator and attr != "target":
                out.add(where(i, header), "实际值不应带比较符", str(value))


def _check_kpi_inputs(
    inputs: tuple[KpiInput, ...], kpis: tuple[Kpi, ...], kpi_names: set[str], where: Callable[[int, str], Location],
    out: _Collector,
) -> None:
    """Each formula input names a KPI with a formula, and one of that formula's variables, once."""
    formulas = {k.name: k.formula for k in kpis}
    seen: set[tuple[str, str]] = set()
    for i, inp in enumerate(inputs):
        if inp.kpi not in kpi_names:
            out.add(where(i, "指标名称"), "在「绩效指标」表中找不到此指标", inp.kpi)
            continue
        if inp.kpi not in formulas:
            continue  # its KPI row has a problem of its own
        formula = formulas[inp.kpi]
        if formula is None:
            out.add(where(i, "指标名称"), "此指标在「绩效指标」表中没有填写公式", inp.kpi)
            continue
        allowed = FORMULA_VARIABLES[formula]
        if inp.variable not in allowed:
            out.add(where(i, "变量"), f"不是公式 {formula} 的变量；应为 {'、'.join(allowed)} 之一", inp.variable)
        if (inp.kpi, inp.variable) in seen:
            out.add(where(i, "变量"), "变量重复", inp.variable)
        seen.add((inp.kpi, inp.variable))


def _check_staffing(staffing: tuple[Staffing, ...], names: set[str], where: Callable[[int, str], Location], out: _Collector) -> None:
    _check_unique(staffing, lambda s: s.category, "类别", lambda i: where(i, "类别"), out)
    for i, s in enumerate(staffing):
        if s.parent and s.parent not in names:
            out.add(where(i, "上级"), "上级类别不存在", s.parent)


def _check_unique(rows: Iterable[_Row], key: Callable[[_Row], object], header: str, where: Callable[[int], Location], out: _Collector) -> None:
    seen: set[object] = set()
    for i, row in enumerate(rows):
        k = key(row)
        if k in seen:
            out.add(where(i), f"「{header}」重复", k if not isinstance(k, tuple) else k[-1])
        seen.add(k)


def _check_hierarchy(
    lines: tuple[BudgetLine, ...], table: str, names: set[str], where: Callable[[int, str], Location], out: _Collector
) -> None:
    sheet = TABLES[table].sheet
    _check_unique(lines, lambda b: (b.code, b.name, b.parent), "项目", lambda i: where(i, "项目"), out)
    totals = [i for i, b in enumerate(lines) if b.row_kind == "合计"]
    for i in totals[1:]:
        out.add(where(i, "行类型"), f"「{sheet}」表只能有一行合计")
    for i, b in enumerate(lines):
        if b.parent is None:
            if b.row_kind == "其中":
                out.add(where(i, "上级"), "「其中」行必须填写上级行", b.name)
            continue
        if b.row_kind == "合计":
            out.add(where(i, "上级"), "合计行不应有上级", b.parent)
        elif b.parent == b.name:
            out.add(where(i, "上级"), "上级不能是本行", b.parent)
        elif b.parent not in names:
            out.add(where(i, "上级"), f"在「{sheet}」表中找不到上级行", b.parent)
    parents = {b.name: b.parent for b in lines if b.row_kind != "合计"}
    for i, b in enumerate(lines):
        seen, node = {b.name}, b.parent
        while node in parents:
            if node in seen:
                out.add(where(i, "上级"), "上级关系成环", b.parent)
                break
            seen.add(node)
            node = parents[node]


def _check_scores(scores: tuple[Score, ...], ids: set[str], where: Callable[[int, str], Location], out: _Collector) -> None:
    _check_unique(scores, lambda s: s.id, "编号", lambda i: where(i, "编号"), out)
    by_id = {s.id: s for s in scores}
    parents = {s.parent for s in scores if s.parent}
    for i, s in enumerate(scores):
        if s.parent is None and s.level != 1:
            out.add(where(i, "层级"), "非一级指标必须填写上级编号", s.level)
        elif s.parent is not None:
            parent = by_id.get(s.parent)
            if s.parent not in ids:
                out.add(where(i, "上级编号"), "找不到上级指标", s.parent)
            elif parent is not None and s.level != parent.level + 1:
                out.add(where(i, "层级"), f"层级应为上级（{parent.level}）加一", s.level)
        if s.max.value < 0:
            out.add(where(i, "分值"), "分值不能为负", str(s.max))
        bonus = s.id == "X" or s.id.startswith("X.")
        if s.score is not None:
            low = -s.max.value if bonus else Decimal(0)
            if not low <= s.score.value <= s.max.value:
                out.add(where(i, "得分"), f"得分超出 [{low}, {s.max}] 范围（指标 {s.id} {s.name}）", str(s.score))
            elif s.id not in parents and s.score.value < s.max.value and not bonus and not s.reason:
                out.add(where(i, "评分说明"), f"指标 {s.id} {s.name} 得分低于分值，必须写明扣分理由")


def _check_stated(
    keys: _RawKeys, where: Callable[[int, str], Location], stated: tuple[StatedFigure, ...], framework: Framework | None,
    out: _Collector,
) -> None:
    kpi_names = keys("kpis", "指标名称")
    score_ids = keys("scores", "编号")
    for i, s in enumerate(stated):
        if s.claim == "score.grade" and isinstance(s.value, str) and framework is not None:
            grades = [g.name for g in framework.grades]
            if s.value not in grades:
                out.add(where(i, "数值"), f"不是绩效等级；指标体系 {framework.id} 的等级为 {'、'.join(grades)}", s.value)
        if s.claim in CLAIMS:
            if s.claim in ("kpi.completion_rate", "kpi.yoy_change") and s.subject not in kpi_names:
                out.add(where(i, "对象"), "在「绩效指标」表中找不到此指标", s.subject)
            if s.claim in ("score.indicator", "score.rate") and s.subject not in score_ids:
                out.add(where(i, "对象"), "在「评分」表中找不到此指标编号", s.subject)
            continue
        table_name, _, header = s.claim.partition(".")
        table = TABLES.get(table_name)
        if table is None or header not in {c.header for c in table.columns}:
            out.add(where(i, "指标"), "不是已知的列示指标（见 docs/data_format.md 的词表），也不是「表名.列名」", s.claim)
            continue
        if s.subject not in keys(table_name, "项目", "科目编码", "类别", "编号", "指标名称", "名称"):
            out.add(where(i, "对象"), f"在「{table.sheet}」表中找不到此行", s.subject)
