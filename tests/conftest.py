"""Shared fixtures: a small, valid department folder that tests break one way at a time."""

from __future__ import annotations

import csv
import dataclasses
import functools
from pathlib import Path

import pytest
import yaml

from auditkit import DepartmentYear, load
from auditkit.data.model import Assets, Funds, Procurement, Projects

ROOT = Path(__file__).resolve().parent.parent
#: The five seed departments by seed number (../shared/seeds/NNN_*.txt) and by department id.
SEEDS = {"000": "2021/gd-ldgx", "001": "2021/gd-zwfw", "002": "2024/panyu-rsj", "003": "2019/shaoguan-rsj", "004": "2024/lechang-rsj"}
SAMPLES = {path.split("/")[1]: ROOT / "data" / path for path in SEEDS.values()}


@functools.cache
def seed(number: str) -> DepartmentYear:
    """The sample department of seed ``number`` (e.g. "003"), loaded once per test session."""
    return load(ROOT / "data" / SEEDS[number])


def bare(dept: DepartmentYear) -> DepartmentYear:
    """The department with every optional table and section absent: only its identity is left."""
    return dataclasses.replace(
        dept, funds=Funds(), procurement=Procurement(), assets=Assets(), projects=Projects(), income=(), expenditure=(),
        functional=(), costs=(), quarterly=(), kpis=(), kpi_inputs=(), staffing=(), units=(), scores=(), stated=(),
        texts=(), notes=(),
    )

DEPARTMENT = {
    "department": {"id": "demo-rsj", "name": "示例市人力资源和社会保障局", "level": "市", "region": "广东省示例市", "fiscal_year": 2019},
    "evaluation": {
        "kind": "第三方评价",
        "evaluator": "示例咨询有限公司",
        "framework": "gd-municipal-2019",
        "report_title": "示例市人力资源和社会保障局2019年度部门整体支出绩效评价报告",
        "report_date": "2020-06-30",
    },
    "funds": {"stock_current": "2670.6", "stock_prior": "4978.72"},
}
TABLES: dict[str, list[list[str]]] = {
    "expenditure.csv": [
        ["项目", "上级", "行类型", "年初预算", "涉改调整", "财政直接调整", "剔除后预算", "调整预算", "决算", "来源"],
        ["基本支出", "", "", "1753.87", "136.10", "", "1617.77", "2474.88", "2474.88", "示例 表3"],
        ["人员经费", "基本支出", "", "1504.87", "105.59", "", "1399.28", "2264.11", "2264.11", "示例 表3"],
        ["日常公用经费", "基本支出", "", "249.00", "30.50", "", "218.50", "210.77", "210.77", "示例 表3"],
        ["项目支出", "", "", "34404.62", "4858.30", "17703.56", "11842.76", "11392.72", "11392.72", "示例 表3"],
        ["基本建设类项目", "项目支出", "其中", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "示例 表3"],
        ["合计", "", "合计", "36158.49", "4994.40", "17703.56", "13460.53", "13867.60", "13867.60", "示例 表3"],
    ],
    "kpis.csv": [
        ["分组", "指标名称", "单位", "方向", "目标值", "实际值", "上年实际值", "公式", "来源"],
        ["就业创业", "城镇新增就业人数", "人", "≥", "30000", "30342", "", "", "示例 表4"],
        ["就业创业", "城镇登记失业率", "%", "≤", "3.5%", "2.11%", "", "", "示例 表4"],
        ["人才服务", "举办企业人才活动周活动", "", "定性", "举办", "举办", "", "", "示例 表6"],
        ["劳动关系协调", "劳动人事争议仲裁结案率", "%", "≥", "90%", "94.2%", "", "arbitration_closure_rate", "示例 表8"],
    ],
    "kpi_inputs.csv": [
        ["指标名称", "变量", "数值", "来源"],
        ["劳动人事争议仲裁结案率", "当期审结案件数", "145", "示例"],
    ],
    "scores.csv": [
        ["编号", "上级编号", "层级", "指标名称", "分值", "得分", "得分率", "评分说明", "来源"],
        ["A", "", "1", "预算编制情况", "30", "24", "80%", "", "示例 二（二）"],
        ["A.1", "A", "2", "预算编制", "18", "14", "77.77%", "", "示例"],
        ["A.1.1", "A.1", "3", "预算编制合理性", "5", "3", "", "功能分类和经济分类编制不够准确，扣2分。", "示例"],
    ],
    "stated.csv": [
        ["指标", "对象", "数值", "单位", "原文", "来源"],
        ["budget.adjustment_rate", "合计", "3.02%", "%", "预算调整率为3.02%", "示例 一（四）"],
        ["score.grade", "", "良", "", "绩效等级为“良”", "示例 摘要"],
        ["kpi.completion_rate", "城镇新增就业人数", "101.14%", "%", "", "示例 表4"],
    ],
}


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def write_department(root: Path, department: dict | None = None, tables: dict | None = None) -> Path:
    """The department's folder at <root>/data/2019/<its id> (demo-rsj by default)."""
    department = department or DEPARTMENT
    folder = root / "data" / "2019" / department["department"]["id"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "department.yaml").write_text(
        yaml.safe_dump(department, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    for name, rows in (tables or TABLES).items():
        write_csv(folder / name, rows)
    return folder


def write_two_departments(root: Path) -> None:
    """demo-rsj and other-rsj (另一局), both valid, for tests of a batch over several departments."""
    write_department(root)
    write_department(root, {**DEPARTMENT, "department": {**DEPARTMENT["department"], "id": "other-rsj", "name": "另一局"}})


@pytest.fixture
def department_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid department folder at <tmp>/data/2019/demo-rsj, with the working directory at <tmp>."""
    (tmp_path / "params").mkdir()
    monkeypatch.chdir(tmp_path)
    return write_department(tmp_path)
