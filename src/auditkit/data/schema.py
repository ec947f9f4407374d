"""The shape of one department-year's data: every field and table, its Chinese header and its type.

This module is the single source of truth for the folder form (``department.yaml`` + CSV files), the
workbook form (one sheet per table), the blank template and its explanation sheet. The format is
described for people in ``docs/data_format.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

from auditkit.analyses.metrics import KPI_FORMULAS
from auditkit.scoring.framework import framework_ids

if TYPE_CHECKING:
    from auditkit.data.model import DepartmentYear

__all__ = [
    "CLAIMS",
    "EVALUATION_KINDS",
    "FIELDS",
    "FORMULA_VARIABLES",
    "FRAMEWORKS",
    "INFO_SHEET",
    "KPI_DIRECTIONS",
    "KPI_TABLE_COLUMNS",
    "LEVELS",
    "ROW_KINDS",
    "TABLES",
    "TEXT_CATEGORIES",
    "UNIT_KINDS",
    "Column",
    "EvaluationKind",
    "Field",
    "KpiDirection",
    "Level",
    "RowKind",
    "Table",
    "UnitKind",
    "place",
]

#: 行政级别 of a department.
Level = Literal["省", "市", "区县"]
#: 评价类型: the department's own evaluation or a third party's.
EvaluationKind = Literal["自评", "第三方评价"]
#: 行类型 of a budget line: 明细 (additive), 其中 (a memo line, not additive) or 合计 (the grand total).
RowKind = Literal["明细", "其中", "合计"]
#: 方向 of a KPI: ≥ 不低于目标, ≤ 不高于目标, = 等于, or 定性 (met or not, no rate).
KpiDirection = Literal["≥", "≤", "=", "定性"]
#: 类型 of an organisational unit.
UnitKind = Literal["内设机构", "下属单位"]

LEVELS: tuple[Level, ...] = get_args(Level)
EVALUATION_KINDS: tuple[EvaluationKind, ...] = get_args(EvaluationKind)
ROW_KINDS: tuple[RowKind, ...] = get_args(RowKind)
KPI_DIRECTIONS: tuple[KpiDirection, ...] = get_args(KpiDirection)
UNIT_KINDS: tuple[UnitKind, ...] = get_args(UnitKind)
#: The indicator frameworks shipped with auditkit (one file each in auditkit/frameworks/); a department may also name
#: a framework file of its own by path.
FRAMEWORKS = tuple(framework_ids())
TEXT_CATEGORIES = (
    "职能", "年度任务", "重点任务", "绩效目标", "摘要", "支出情况说明", "评价结论",
    "主要绩效", "存在问题", "相关建议", "整改情况", "加减分事项",
)
#: Formula KPIs and the inputs each needs, by formula name (the registry is :data:`auditkit.analyses.metrics.KPI_FORMULAS`).
FORMULA_VARIABLES: dict[str, tuple[str, ...]] = {name: f.variables for name, f in KPI_FORMULAS.items()}

#: The columns a KPI completion table may print (texts.csv 表列), by the header the report prints, with what each shows.
KPI_TABLE_COLUMNS: dict[str, str] = {
    "指标": "name", "指标名称": "name", "单位": "unit", "目标值": "target", "计划数": "target", "实际数": "actual",
    "实际值": "actual", "计划完成率": "completion", "完成率": "completion", "同比去年": "yoy", "同比": "yoy",
    "指标解释/计算公式": "formula", "计算公式": "formula",
}

#: What a stated figure (``stated.csv``) may claim to be, with its Chinese name.
CLAIMS: dict[str, str] = {
    "budget.execution_rate": "预算执行率（决算÷调整预算）",
    "budget.execution_rate_initial": "预算执行率（决算÷年初预算）",
    "budget.variance": "预决算差异（预算−决算）",
    "budget.adjustment_rate": "预算调整率",
    "budget.carryover_rate": "结转结余率",
    "budget.quarterly_average": "季度平均执行率",
    "budget.change_amount": "预算较上年增减额",
    "budget.change_rate": "预算较上年增减率",
    "yoy.change_amount": "较上年增减额",
    "yoy.change_rate": "较上年增减率",
    "funds.stock_change_rate": "存量资金变动率",
    "funds.special_spend_rate": "专项资金支出率",
    "procurement.sme_share": "授予中小企业合同金额占比",
    "procurement.small_micro_share": "授予小微企业合同金额占比",
    "procurement.execution_rate": "政府采购执行率",
    "cost.control_rate": "经费控制率",
    "cost.per_unit": "人均或单位成本",
    "kpi.completion_rate": "计划完成率",
    "kpi.yoy_change": "同比",
    "kpi.overall_completion": "绩效目标总体完成率",
    "staff.control_rate": "财政供养人员控制率",
    "assets.utilization_rate": "固定资产利用率",
    "projects.goal_coverage": "绩效目标覆盖率",
    "projects.self_evaluation_rate": "项目自评完成比例",
    "profile.internal_unit_count": "内设机构数",
    "profile.subordinate_unit_count": "下属单位数",
    "score.total": "总得分",
    "score.grade": "绩效等级",
    "score.indicator": "指标得分（文中列示）",
    "score.rate": "指标得分率（文中列示）",
    "other": "其他列示数",
}


@dataclass(frozen=True)
class Column:
    """One column of a table: its Chinese header, the model attribute it fills, and its kind.

    Kinds: ``text``, ``enum`` (one of ``choices``), ``code`` (digits), ``amount`` (万元, or 元 when the
    header says so), ``number``, ``integer``, ``rate`` (a percentage, ``%`` optional), ``figure`` (any
    printed number: percent and comparator allowed), ``kpi_value`` (a figure, or text for a 定性 KPI),
    ``stated_value`` (a figure, or text such as a grade), ``bool`` (是/否), ``index`` (a whole number
    kept as a plain ``int``: 季度, 层级, 序号), ``framework`` (a shipped framework id or a path to a framework file).
    """

    header: str
    attr: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class Table:
    """One table of a department-year: its CSV file, its workbook sheet and its columns."""

    name: str
    file: str
    sheet: str
    title: str
    columns: tuple[Column, ...]
    doc: str = ""

    def column(self, attr: str) -> Column:
        return next(c for c in self.columns if c.attr == attr)


@dataclass(frozen=True)
class Field:
    """One scalar of ``department.yaml`` (and of the workbook's 基本信息 sheet), addressed as ``section.name``."""

    key: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    doc: str = ""

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def attr(self) -> str:
        return self.key.split(".", 1)[1]


_SOURCE = Column("来源", "source", doc="出处：种子报告及章节/表号，或工作表与单元格")

FIELDS: tuple[Field, ...] = (
    Field("department.id", "部门编号", "slug", True, doc="小写字母、数字和连字符，与文件夹名一致，如 shaoguan-rsj"),
    Field("department.name", "部门名称", "text", True),
    Field("department.level", "行政级别", "enum", True, LEVELS),
    Field("department.region", "所在地区", "text", True, doc="如 广东省韶关市"),
    Field("department.fiscal_year", "评价年度", "year", True, doc="与上级文件夹名一致"),
    Field("department.budget_units", "预算单位数量", "integer", doc="报告所述口径"),
    Field("department.internal_units", "内设机构数", "integer",
          doc="报告所述的内设机构数，「机构」表只列出其中一部分时填写（如「…等16个股室」只点名 6 个：填 16）"),
    Field("department.subordinate_units", "下属单位数", "integer",
          doc="报告所述的下属单位数，「机构」表只列出其中一部分时填写"),
    Field("department.source", "出处", "text"),
    Field("evaluation.kind", "评价类型", "enum", True, EVALUATION_KINDS),
    Field("evaluation.evaluator", "评价机构", "text", True, doc="第三方机构名称；自评填部门名称"),
    Field("evaluation.commissioned_by", "委托单位", "text"),
    Field("evaluation.framework", "指标体系", "framework", True,
          doc=f"自带指标体系编号（{'、'.join(FRAMEWORKS)}）或指标体系 YAML 文件路径"),
    Field("evaluation.report_title", "报告标题", "text", True),
    Field("evaluation.report_date", "报告日期", "date", doc="YYYY-MM-DD"),
    Field("evaluation.report_number", "报告编号", "text", doc="评价机构的报告编号（印在封面；无则不填）"),
    Field("evaluation.preparer", "填报人", "text"),
    Field("evaluation.seed", "来源文件", "text", doc="样例数据的种子报告文件名"),
    Field("evaluation.source", "出处", "text"),
    Field("funds.special_allocated", "专项资金下达数", "amount"),
    Field("funds.special_spent", "专项资金支出数", "amount"),
    Field("funds.stock_current", "年末存量资金", "amount"),
    Field("funds.stock_prior", "上年末存量资金", "amount"),
    Field("funds.carryover", "结转结余金额", "amount"),
    Field("funds.secondary_allocation", "二次分配下达资金", "amount"),
    Field("funds.source", "出处", "text"),
    Field("procurement.planned", "政府采购计划金额", "amount"),
    Field("procurement.actual", "政府采购实际金额", "amount"),
    Field("procurement.sme", "授予中小企业合同金额", "amount"),
    Field("procurement.small_micro", "授予小微企业合同金额", "amount"),
    Field("procurement.source", "出处", "text"),
    Field("assets.fixed_total", "固定资产总额", "amount"),
    Field("assets.fixed_in_use", "在用固定资产", "amount"),
    Field("assets.building_area", "房屋面积（平方米）", "number"),
    Field("assets.equipment_over_1m", "单价100万元以上设备（台）", "integer"),
    Field("assets.source", "出处", "text"),
    Field("projects.count", "项目总数", "integer"),
    Field("projects.with_goals", "设置绩效目标的项目数", "integer"),
    Field("projects.self_evaluated", "已开展绩效自评的项目数", "integer"),
    Field("projects.source", "出处", "text"),
)
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(f.section for f in FIELDS))
INFO_SHEET = "基本信息"

_BUDGET_HIERARCHY = (
    Column("项目", "name", "text", True, doc="行名称，按报告原样"),
    Column("上级", "parent", "text", doc="上级行名称；顶层行和合计行留空"),
    Column("行类型", "row_kind", "enum", choices=ROW_KINDS, doc="明细（默认，可加总）、其中（备注行，不加总）、合计"),
)
_INITIAL = Column("年初预算", "initial", "amount")
_ADJUSTED = Column("调整预算", "adjusted", "amount")
_FINAL = Column("决算", "final", "amount")
_PRIOR_FINAL = Column("上年决算", "prior_final", "amount")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table("income", "income.csv", "收入", "收入预决算",
              (*_BUDGET_HIERARCHY, _INITIAL, _ADJUSTED, _FINAL, _PRIOR_FINAL, _SOURCE)),
        Table("expenditure", "expenditure.csv", "支出", "支出预决算", (
            *_BUDGET_HIERARCHY, _INITIAL,
            Column("涉改调整", "reform_adjustment", "amount", doc="因机构改革划出的金额（正数）"),
            Column("财政直接调整", "direct_adjustment", "amount", doc="财政部门直接调整划出的金额（正数）"),
            Column("剔除后预算", "net_initial", "amount", doc="年初预算 − 涉改调整 − 财政直接调整"),
            _ADJUSTED, _FINAL, _PRIOR_FINAL, _SOURCE)),
        Table("functional", "functional.csv", "功能分类", "支出功能分类预决算", (
            Column("科目编码", "code", "code", doc="功能分类科目编码，如 208；合计行留空"),
            *_BUDGET_HIERARCHY, _INITIAL, _ADJUSTED, _FINAL, _PRIOR_FINAL, _SOURCE)),
        Table("costs", "costs.csv", "成本费用", "三公经费及公用经费",
              (*_BUDGET_HIERARCHY, _INITIAL,
               Column("剔除后预算", "net_initial", "amount",
                      doc="年初预算剔除涉改调整后的预算（003「调整后公用经费预算214.5万元」＝245−30.5）；不是调整预算数"),
               _ADJUSTED, _FINAL, _PRIOR_FINAL, _SOURCE),
              doc="三公经费（因公出国（境）费、公务用车购置及运行维护费、公务接待费）、公用经费、会议费、培训费"),
        Table("quarterly", "quarterly.csv", "季度执行", "分季度预算执行", (
            Column("季度", "quarter", "index", True, doc="1–4"),
            Column("累计执行率", "cumulative_rate", "rate", True),
            Column("时间进度", "benchmark", "rate", doc="默认 25%、50%、75%、100%"),
            _SOURCE)),
        Table("kpis", "kpis.csv", "绩效指标", "绩效目标及完成情况", (
            Column("编号", "id", "text"),
            Column("分组", "group", "text", True),
            Column("指标名称", "name", "text", True),
            Column("单位", "unit", "text"),
            Column("方向", "direction", "enum", True, KPI_DIRECTIONS, doc="≥ 不低于目标；≤ 不高于目标；= 等于；定性"),
            Column("目标值", "target", "kpi_value"),
            Column("实际值", "actual", "kpi_value"),
            Column("上年实际值", "prior_actual", "kpi_value"),
            Column("公式", "formula", "enum", choices=tuple(FORMULA_VARIABLES)),
            Column("公式说明", "formula_text", "text",
                   doc="报告所印的指标解释/计算公式，按原文（003 表8：签订率=实际签订的/应该签订的×100%）；"
                       "缺省时完成情况表印「公式」的标准写法"),
            _SOURCE)),
        Table("kpi_inputs", "kpi_inputs.csv", "公式数据", "公式类指标的计算数据", (
            Column("指标名称", "kpi", "text", True),
            Column("变量", "variable", "text", True),
            Column("数值", "value", "number", True),
            _SOURCE)),
        Table("staffing", "staffing.csv", "人员编制", "编制与实有人数", (
            Column("类别", "category", "text", True),
            Column("上级", "parent", "text"),
            Column("单位", "unit", "enum", choices=("人", "台")),
            Column("编制数", "authorized", "integer"),
            Column("实有数", "actual", "integer"),
            _SOURCE)),
        Table("units", "units.csv", "机构", "内设机构与下属单位", (
            Column("类型", "kind", "enum", True, UNIT_KINDS),
            Column("名称", "name", "text", True),
            Column("独立核算", "independent", "bool"),
            _SOURCE)),
        Table("scores", "scores.csv", "评分", "评分表", (
            Column("编号", "id", "text", True, doc="一级 A、B、C（加减分项 X）；二级 A.1；三级 A.1.1"),
            Column("上级编号", "parent", "text"),
            Column("层级", "level", "index", True, doc="1、2 或 3"),
            Column("指标名称", "name", "text", True),
            Column("分值", "max", "number", True),
            Column("得分", "score", "number"),
            Column("得分率", "rate", "rate"),
            Column("评分说明", "reason", "text", doc="扣分理由，评价人原文"),
            _SOURCE)),
        Table("stated", "stated.csv", "报告列示数", "报告列示的计算结果", (
            Column("指标", "claim", "text", True, doc="CLAIMS 词表中的键，或 <表>.<列> 表示对表中单元格的再次列示"),
            Column("对象", "subject", "text"),
            Column("数值", "value", "stated_value", True),
            Column("单位", "unit", "text"),
            Column("原文", "quote", "text"),
            _SOURCE)),
        Table("texts", "texts.csv", "文字", "报告文字（原文）", (
            Column("类别", "category", "enum", True, TEXT_CATEGORIES),
            Column("序号", "order", "index"),
            Column("标题", "title", "text"),
            Column("内容", "content", "text", True),
            Column("分组", "group", "text", doc="主要绩效：该段之后列示其完成情况表的指标分组（绩效指标表「分组」）"),
            Column("表题", "table_title", "text", doc="主要绩效：该完成情况表的标题，按报告原样（如 就业创业工作完成情况表）"),
            Column("表列", "table_columns", "text",
                   doc=f"主要绩效：该表的列，按报告原样以「、」分隔，可用 {'、'.join(KPI_TABLE_COLUMNS)}；缺省为 指标、目标值、实际数、计划完成率"),
            _SOURCE)),
        Table("notes", "notes.csv", "数据说明", "数据日志：解读与矛盾；评价机构对勾稽校验发现的决定", (
            Column("对象", "subject", "text", True),
            Column("解读", "reading", "text", True),
            Column("理由", "reason", "text"),
            Column("发现", "finding", "text", doc="所决定的勾稽校验发现的编号（复核意见中列示）；填写即为一项决定"),
            Column("采用", "stands", "text", doc="决定采用的数（如 报告列示的 9.6 分），或说明哪一处为准"),
            Column("决定人", "decided_by", "text", doc="作出决定的人（评价机构及经办人）"),
            Column("日期", "decided_on", "date", doc="决定日期，YYYY-MM-DD"),
        )),
    )
}


def place(dept: DepartmentYear, table: str, row: str, column: str | None, source: str | None) -> str:
    """Where a figure of ``dept`` is: its file (or workbook sheet), row and column, and its 来源."""
    workbook = dept.origin.lower().endswith((".xlsx", ".xlsm"))
    t = TABLES.get(table)
    if t is None:
        container = f"{dept.origin} 工作表「基本信息」" if workbook else f"{dept.origin}/department.yaml"
    else:
        container = f"{dept.origin} 工作表「{t.sheet}」" if workbook else f"{dept.origin}/{t.file}"
    return f"{container}「{row}」{column or ''}" + (f"（{source}）" if source else "")
