"""A new fiscal year from last year's: the profile carried forward, last year's results as this year's 上年 columns.

This year's own figures are left empty for the evaluator to fill. Nothing that exists is ever overwritten.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import yaml

from auditkit.data.folder import write_folder
from auditkit.data.model import BudgetLine, DepartmentYear, Funds, Kpi, Note, Staffing
from auditkit.data.numbers import Number
from auditkit.paths import display

__all__ = ["Scaffold", "carry_forward", "scaffold_year"]

_CARRIED_TEXTS = ("职能",)


def carry_forward(prev: DepartmentYear, year: int, framework: str | None = None) -> DepartmentYear:
    """The department-year ``year`` as far as ``prev`` (an earlier year) determines it.

    Carried: identity, evaluator and framework (or ``framework``), budget-line and KPI structure, 编制数, internal
    and subordinate units, 职能. Moved to the 上年 columns: 决算 → 上年决算, KPI 实际值 → 上年实际值, 年末存量资金 →
    上年末存量资金. Everything else is this year's to fill: left empty, never zero.
    """
    source = f"承接自 {prev.origin or prev.id}（{prev.fiscal_year} 年度）"
    title = prev.evaluation.report_title.replace(str(prev.fiscal_year), str(year))

    def line(b: BudgetLine) -> BudgetLine:
        return BudgetLine(b.name, b.parent, b.row_kind, b.code, prior_final=b.final, source=source)

    def kpi(k: Kpi) -> Kpi:
        prior = k.actual if isinstance(k.actual, Number) or k.direction == "定性" else None
        return Kpi(k.group, k.name, k.direction, k.unit, formula=k.formula, id=k.id, prior_actual=prior, source=source)

    return DepartmentYear(
        department=dataclasses.replace(prev.department, fiscal_year=year, source=source),
        evaluation=dataclasses.replace(
            prev.evaluation, framework=framework or prev.evaluation.framework, report_title=title,
            report_date=None, preparer=None, seed=None, source=source,
        ),
        funds=Funds(stock_prior=prev.funds.stock_current, source=source if prev.funds.stock_current else None),
        assets=dataclasses.replace(prev.assets, fixed_total=None, fixed_in_use=None, source=source),
        income=tuple(line(b) for b in prev.income),
        expenditure=tuple(line(b) for b in prev.expenditure),
        functional=tuple(line(b) for b in prev.functional),
        costs=tuple(line(b) for b in prev.costs),
        kpis=tuple(kpi(k) for k in prev.kpis),
        staffing=tuple(Staffing(s.category, s.parent, s.unit, authorized=s.authorized, source=source) for s in prev.staffing),
        units=prev.units,
        texts=tuple(dataclasses.replace(t, source=source) for t in prev.texts if t.category in _CARRIED_TEXTS),
        notes=(Note("本年度数据", f"由 auditkit new-year 自 {prev.fiscal_year} 年度生成：上年决算、上年实际值与上年末存量资金取自上年数据，"
                    "本年数字留空待评价人填写。", source),),
        origin="",
    )


@dataclass(frozen=True)
class Scaffold:
    """What ``scaffold_year`` did for one department: the folder and params written, or why it was skipped."""

    dept_id: str
    data_dir: Path
    params_file: Path
    created: bool
    reason: str = ""


def scaffold_year(prev: DepartmentYear, prev_params: dict[str, object], year: int, root: Path, framework: str | None = None) -> Scaffold:
    """Write ``data/<year>/<id>/`` and ``params/<year>/<id>.yaml`` for ``prev``'s department; never overwrite."""
    data_dir = root / "data" / str(year) / prev.id
    params_file = root / "params" / str(year) / f"{prev.id}.yaml"
    for existing in (data_dir, params_file):
        if existing.exists():
            return Scaffold(prev.id, data_dir, params_file, False, f"{display(existing)} 已存在，未覆盖")
    new = carry_forward(prev, year, framework)
    write_folder(new, data_dir)
    params = {**prev_params, "data_path": f"data/{year}/{prev.id}", "framework": new.evaluation.framework}
    params_file.parent.mkdir(parents=True, exist_ok=True)
    params_file.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Scaffold(prev.id, data_dir, params_file, True)
