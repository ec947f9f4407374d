"""auditkit.data.validate: every broken input is reported at its file, row and column, all in one run."""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from auditkit import DataValidationError, load, validate
from auditkit.scoring.framework import FRAMEWORKS_DIR
from tests.conftest import DEPARTMENT, TABLES, write_csv

F = "data/2019/demo-rsj"


def test_the_fixture_is_clean(department_dir: Path) -> None:
    assert validate(department_dir) == []
    dept = load(department_dir)
    assert dept.id == "demo-rsj"
    assert str(dept.expenditure[-1].adjusted) == "13867.60"


def _set_cell(name: str, row: int, header: str, value: str) -> Callable[[Path], None]:
    """Mutation: put ``value`` at data row ``row`` (1-based, below the header) in ``header`` of ``name``."""

    def mutate(folder: Path) -> None:
        rows = copy.deepcopy(TABLES[name])
        rows[row][rows[0].index(header)] = value
        write_csv(folder / name, rows)

    return mutate


def _set_field(section: str, key: str, value: object) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        data = copy.deepcopy(DEPARTMENT)
        if value is None:
            del data[section][key]
        else:
            data[section][key] = value
        (folder / "department.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    return mutate


def _append_row(name: str, row: list[str]) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        write_csv(folder / name, [*copy.deepcopy(TABLES[name]), row])

    return mutate


def _write(name: str, text: str | bytes) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        path = folder / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    return mutate


# (what is broken, how, the message expected: file, row, column and what is wrong)
CATALOGUE = [
    ("an amount that is not a number", _set_cell("expenditure.csv", 2, "决算", "12,3a"),
     f"{F}/expenditure.csv，第 3 行，列「决算」: '12,3a' 不是数字"),
    ("a percentage in an amount column", _set_cell("expenditure.csv", 1, "年初预算", "3.02%"),
     f"{F}/expenditure.csv，第 2 行，列「年初预算」: '3.02%' 带 % 号"),
    ("a row type outside the list", _set_cell("expenditure.csv", 1, "行类型", "小计"),
     f"{F}/expenditure.csv，第 2 行，列「行类型」: '小计' 不是允许的取值"),
    ("a parent that does not exist", _set_cell("expenditure.csv", 2, "上级", "基本支岀"),
     f"{F}/expenditure.csv，第 3 行，列「上级」: '基本支岀' 在「支出」表中找不到上级行"),
    ("an of-which line without parent", _set_cell("expenditure.csv", 5, "上级", ""),
     f"{F}/expenditure.csv，第 6 行，列「上级」: '基本建设类项目' 「其中」行必须填写上级行"),
    ("two grand totals", _append_row("expenditure.csv", ["合计", "", "合计", "1", "", "", "", "", "", ""]),
     "「支出」表只能有一行合计"),
    ("an unknown column", _write("expenditure.csv", "项目,预算数\n合计,1\n"),
     f"{F}/expenditure.csv，第 1 行，列「预算数」: '预算数' 未知列"),
    ("a required column missing", _write("kpis.csv", "分组,单位\n就业,人\n"),
     f"{F}/kpis.csv: 缺少必填列「指标名称」"),
    ("a required cell empty", _set_cell("kpis.csv", 1, "指标名称", ""),
     f"{F}/kpis.csv，第 2 行，列「指标名称」: 必填列「指标名称」为空"),
    ("text where a quantitative target is expected", _set_cell("kpis.csv", 1, "目标值", "三万人"),
     f"{F}/kpis.csv，第 2 行，列「目标值」: '三万人' 不是数字"),
    ("an unknown KPI direction", _set_cell("kpis.csv", 1, "方向", "大于"),
     f"{F}/kpis.csv，第 2 行，列「方向」: '大于' 不是允许的取值"),
    ("a duplicated KPI", _append_row("kpis.csv", ["就业创业", "城镇新增就业人数", "人", "≥", "1", "2", "", "", ""]),
     f"{F}/kpis.csv，第 6 行，列「指标名称」: '城镇新增就业人数' 「指标名称」重复"),
    ("a formula input of an unknown variable", _set_cell("kpi_inputs.csv", 1, "变量", "结案数"),
     f"{F}/kpi_inputs.csv，第 2 行，列「变量」: '结案数' 不是公式 arbitration_closure_rate 的变量"),
    ("a formula input for a KPI that does not exist", _set_cell("kpi_inputs.csv", 1, "指标名称", "结案率"),
     f"{F}/kpi_inputs.csv，第 2 行，列「指标名称」: '结案率' 在「绩效指标」表中找不到此指标"),
    ("a score above its maximum", _set_cell("scores.csv", 3, "得分", "6"),
     f"{F}/scores.csv，第 4 行，列「得分」: '6' 得分超出 [0, 5] 范围（指标 A.1.1 预算编制合理性）"),
    ("a deduction without a reason", _set_cell("scores.csv", 3, "评分说明", ""),
     f"{F}/scores.csv，第 4 行，列「评分说明」: 指标 A.1.1 预算编制合理性 得分低于分值，必须写明扣分理由"),
    ("a score whose parent is missing", _set_cell("scores.csv", 3, "上级编号", "A.9"),
     f"{F}/scores.csv，第 4 行，列「上级编号」: 'A.9' 找不到上级指标"),
    ("a level that does not follow its parent", _set_cell("scores.csv", 3, "层级", "2"),
     f"{F}/scores.csv，第 4 行，列「层级」: 2 层级应为上级（2）加一"),
    ("a stated claim outside the vocabulary", _set_cell("stated.csv", 1, "指标", "budget.rate"),
     f"{F}/stated.csv，第 2 行，列「指标」: 'budget.rate' 不是已知的列示指标"),
    ("a grade that is not a grade", _set_cell("stated.csv", 2, "数值", "良好"),
     f"{F}/stated.csv，第 3 行，列「数值」: '良好' 不是绩效等级；指标体系 gd-municipal-2019 的等级为 优、良、中、差"),
    ("a completion rate for an unknown KPI", _set_cell("stated.csv", 3, "对象", "新增就业"),
     f"{F}/stated.csv，第 4 行，列「对象」: '新增就业' 在「绩效指标」表中找不到此指标"),
    ("a row with more cells than headers", _append_row("stated.csv", ["other", "", "1", "", "", "", "多余"]),
     f"{F}/stated.csv，第 5 行: 有 7 个单元格，多于表头的 6 列"),
    ("a file in UTF-16", _write("kpis.csv", "分组,指标名称\n就业,失业率\n".encode("utf-16")),
     f"{F}/kpis.csv: 是 UTF-16 编码"),
    ("an unknown CSV file", _write("budget.csv", "项目\n合计\n"),
     f"{F}/budget.csv: 不是已知的数据表文件"),
    ("a required field missing", _set_field("evaluation", "framework", None),
     f"{F}/department.yaml，字段 evaluation.framework: 缺少必填字段 evaluation.framework（指标体系）"),
    ("an unknown framework", _set_field("evaluation", "framework", "gd-2030"),
     f"{F}/department.yaml，第 10 行，字段 evaluation.framework: 'gd-2030' 不是已知的指标体系"),
    ("a framework file that does not exist", _set_field("evaluation", "framework", "frameworks/gd-2030.yaml"),
     f"{F}/department.yaml，第 10 行，字段 evaluation.framework: 'frameworks/gd-2030.yaml' 找不到此指标体系文件；"
     "应为内置指标体系 gd-district-2024、gd-municipal-2019、gd-municipal-2024、gd-provincial-2021 之一，"
     "或一个存在的指标体系 YAML 文件的路径"),
    ("an id that differs from the folder", _set_field("department", "id", "other-rsj"),
     f"{F}/department.yaml，第 2 行，字段 department.id: 'other-rsj' 部门编号与文件夹名「demo-rsj」不一致"),
    ("a year that differs from the folder", _set_field("department", "fiscal_year", 2020),
     f"{F}/department.yaml，第 6 行，字段 department.fiscal_year: 2020 评价年度与上级文件夹名「2019」不一致"),
    ("an unknown field", _set_field("funds", "stock", "1"),
     f"{F}/department.yaml，第 16 行，字段 funds.stock: 'funds.stock' 未知字段"),
    ("an impossible date", _set_field("evaluation", "report_date", "2020-02-30"),
     f"{F}/department.yaml，第 12 行，字段 evaluation.report_date: '2020-02-30' 不是有效日期"),
    ("an amount that is not a number in YAML", _set_field("funds", "stock_prior", "4978.72万"),
     f"{F}/department.yaml，第 15 行，字段 funds.stock_prior: '4978.72万' 不是数字"),
    ("a control character copied from a PDF", _set_cell("kpis.csv", 1, "指标名称", "城镇\x1f新增就业人数"),
     f"{F}/kpis.csv，第 2 行，列「指标名称」: '城镇\\x1f新增就业人数' 含不可见的控制字符"),
    ("broken YAML", _write("department.yaml", "department:\n  id: [demo\n"),
     f"{F}/department.yaml，第 3 行: YAML 格式错误"),
]


@pytest.mark.parametrize(("what", "mutate", "expected"), CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_broken_input_is_reported_where_it_is(department_dir: Path, what: str, mutate: Callable[[Path], None], expected: str) -> None:
    mutate(department_dir)
    messages = [str(p) for p in validate(department_dir)]
    assert any(expected in m for m in messages), f"{what}: {expected!r} not in {messages}"
    with pytest.raises(DataValidationError, match="处数据问题"):
        load(department_dir)


def test_every_problem_is_reported_in_one_run(department_dir: Path) -> None:
    _set_cell("expenditure.csv", 2, "决算", "12,3a")(department_dir)
    _set_cell("kpis.csv", 1, "方向", "大于")(department_dir)
    _set_field("evaluation", "framework", None)(department_dir)
    problems = validate(department_dir)
    files = {p.location.file.rsplit("/", 1)[-1] for p in problems}
    assert {"expenditure.csv", "kpis.csv", "department.yaml"} <= files


def test_amounts_in_yuan_are_converted_where_the_header_says_so(department_dir: Path) -> None:
    rows = copy.deepcopy(TABLES["expenditure.csv"])
    rows[0][rows[0].index("决算")] = "决算(元)"
    rows[1][rows[0].index("决算(元)")] = "24,748,800"
    write_csv(department_dir / "expenditure.csv", rows)
    line = load(department_dir).expenditure[0]
    assert line.final is not None and line.final.value == Decimal("2474.8800") and str(line.final) == "2474.88"


def test_missing_cells_are_missing_not_zero(department_dir: Path) -> None:
    dept = load(department_dir)
    basic = dept.expenditure[0]
    assert basic.direct_adjustment is None  # printed empty in 003 表3
    assert dept.expenditure[4].initial is not None and dept.expenditure[4].initial.value == 0  # printed 0.00


# --- the department's own framework -------------------------------------------------------------------------


def _own_framework(folder: Path, text: str) -> None:
    """Point the department at a framework file of its own, ``frameworks/own.yaml`` beside ``data/``."""
    path = folder.parents[2] / "frameworks" / "own.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _set_field("evaluation", "framework", "frameworks/own.yaml")(folder)


def _shipped_with_grades(grades: str) -> str:
    """The shipped gd-municipal-2019 framework under another id, with ``grades`` instead of 优 良 中 差."""
    text = (FRAMEWORKS_DIR / "gd-municipal-2019.yaml").read_text(encoding="utf-8")
    start, end = text.index("grades:"), text.index("description:")
    return text[:start].replace("id: gd-municipal-2019", "id: own") + grades + text[end:]


def test_a_stated_grade_is_one_of_the_departments_own_framework(department_dir: Path) -> None:
    _own_framework(department_dir, _shipped_with_grades(
        "grades:\n  - {grade: 优秀, min: 90}\n  - {grade: 良好, min: 75}\n  - {grade: 不合格}\n"))
    with pytest.raises(DataValidationError, match=r"stated\.csv，第 3 行，列「数值」: '良' 不是绩效等级；指标体系 own 的等级为 优秀、良好、不合格"):
        load(department_dir)
    _set_cell("stated.csv", 2, "数值", "良好")(department_dir)
    assert validate(department_dir) == []


def test_a_framework_that_cannot_be_loaded_is_a_problem_of_the_data(department_dir: Path) -> None:
    _own_framework(department_dir, "id: own\nname: 自拟指标体系\n")
    with pytest.raises(DataValidationError) as caught:
        load(department_dir)
    [problem] = caught.value.problems
    assert problem.location.key == "evaluation.framework" and problem.value == "frameworks/own.yaml"
    assert problem.message.startswith("指标体系文件 frameworks/own.yaml 无法使用：缺少满分 max；缺少 grades")
    assert problem.message.endswith("请更正该文件，或改用内置指标体系 gd-district-2024、gd-municipal-2019、gd-municipal-2024、gd-provincial-2021 之一")


def test_a_problem_names_indicators_that_exist(tmp_path: Path) -> None:
    """texts.csv 分组 on a 存在问题 row names the indicator 编号 it concerns (003 五（二）「B.5、B.2.2」): an unknown one
    is reported at its row and column."""
    import shutil

    root = Path(__file__).resolve().parent.parent
    dept = tmp_path / "data" / "2019" / "shaoguan-rsj"
    shutil.copytree(root / "data" / "2019" / "shaoguan-rsj", dept)
    assert not [p for p in validate(dept) if "存在问题" in str(p)]
    text = (dept / "texts.csv").read_text(encoding="utf-8").replace("B.5、B.2.2", "B.5、B.9")
    (dept / "texts.csv").write_text(text, encoding="utf-8")
    messages = [str(p) for p in validate(dept)]
    assert any("texts.csv" in m and "列「分组」" in m and "'B.9'" in m and "找不到此编号" in m for m in messages), messages
