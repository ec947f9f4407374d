"""auditkit.analyses.procurement: 政府采购执行率 and the shares awarded to small and medium firms, from the seeds' data.

Golden figures cite the seed (000…004) and its section.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd
import pytest

from auditkit.analyses.procurement import procurement_findings, procurement_summary
from auditkit.batch.catalogue import catalogue
from auditkit.batch.plan import plan
from auditkit.batch.runner import run_batch
from auditkit.data.model import Procurement
from auditkit.data.numbers import parse_number, pct
from tests.conftest import ROOT, bare, seed


def indicator(df: pd.DataFrame, name: str) -> pd.Series:
    return df.set_index("指标").loc[name]


def test_procurement_of_000() -> None:
    """000 二（三）5: 授予中小企业合同金额 41.92 of 142.08 → 29.50% (小微企业 the same); no plan, so no 执行率."""
    df = procurement_summary(seed("000"))
    assert pct(indicator(df, "中小企业合同金额占比")["数值"]) == "29.50%"
    assert pct(indicator(df, "小微企业合同金额占比")["数值"]) == "29.50%"
    execution = indicator(df, "政府采购执行率")
    assert math.isnan(execution["数值"]) and execution["来源"] == "未列示采购计划金额，无法计算"


def test_procurement_execution_of_004_and_003() -> None:
    """004 三（二）1.(4): 19.16 of 19.16 → 100%; 003 二（三）1.(4): 24.89 of 35 → 71.11% (not above plan)."""
    assert pct(indicator(procurement_summary(seed("004")), "政府采购执行率")["数值"]) == "100.00%"
    assert pct(indicator(procurement_summary(seed("003")), "政府采购执行率")["数值"]) == "71.11%"
    assert procurement_findings(seed("003")) == []


def test_buying_more_than_planned_is_a_finding() -> None:
    dept = dataclasses.replace(seed("004"), procurement=Procurement(planned=parse_number("10"), actual=parse_number("12.5")))
    assert procurement_findings(dept) == ["政府采购实际金额 12.50 万元超过采购计划 10.00 万元（执行率 125.00%）。"]
    assert procurement_findings(seed("004")) == []  # 19.16 of 19.16: exactly the plan


def test_a_department_without_procurement_figures_gets_an_empty_table_and_no_finding() -> None:
    assert len(procurement_summary(bare(seed("003")))) == 0
    assert procurement_findings(bare(seed("003"))) == []


@pytest.mark.slow
@pytest.mark.parametrize(("params", "figures"), [
    ("2021/gd-ldgx", ["142.08", "41.92", "29.50"]),  # 000 二（三）5: 41.92 ÷ 142.08 = 29.50 (单位 %)
    ("2019/shaoguan-rsj", ["35.00", "24.89", "71.11"]),  # 003 二（三）1.(4): 24.89 ÷ 35 = 71.11 (单位 %)
])
def test_the_procurement_notebook_shows_the_seeds_figures(tmp_path: Path, params: str, figures: list[str]) -> None:
    """The notebook, run by the batch like every other, renders the plan, the actual and the rate of each seed."""
    notebook = [n for n in catalogue(ROOT / "notebooks") if n.name == "procurement"]
    jobs = plan([ROOT / "params" / f"{params}.yaml"], notebook, tmp_path)
    [result] = run_batch(jobs, workers=1, out_root=tmp_path)
    assert result.status == "ok", result.error
    assert result.report == "政府采购分析"
    page = (tmp_path / params / "procurement.html").read_text(encoding="utf-8")
    assert all(figure in page for figure in figures)
    assert "表1 政府采购执行情况" in page
