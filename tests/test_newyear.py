"""auditkit.data.newyear: last year's results become this year's 上年 columns; nothing existing is overwritten."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from auditkit import load, validate
from auditkit.cli import main
from auditkit.data.newyear import carry_forward

ROOT = Path(__file__).resolve().parent.parent


def test_carry_forward_moves_results_to_prior_columns() -> None:
    """003 表3 决算 13,867.60 becomes 2020's 上年决算; 表5 实际数 become 上年实际值; 2019 年末存量资金 2,670.6 → 上年末."""
    prev = load(ROOT / "data/2019/shaoguan-rsj")
    new = carry_forward(prev, 2020)
    total = new.total("expenditure")
    assert total is not None and total.prior_final == prev.total("expenditure").final  # type: ignore[union-attr]
    assert total.final is None and total.initial is None  # this year's to fill: empty, not zero
    kpis = {k.name: k for k in new.kpis}
    assert str(kpis["降低企业社会保险成本"].prior_actual) == "4.74" and kpis["降低企业社会保险成本"].actual is None
    assert new.funds.stock_prior == prev.funds.stock_current and new.funds.stock_current is None
    assert new.evaluation.report_title == "韶关市人力资源和社会保障局2020年度部门整体支出绩效评价报告"
    assert [s.authorized for s in new.staffing] == [s.authorized for s in prev.staffing]
    assert all(s.actual is None for s in new.staffing)
    assert not new.scores and not new.stated
    assert new.texts_of("职能") and not new.texts_of("存在问题")


def test_new_year_command_scaffolds_validates_and_never_overwrites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(ROOT / "data/2024", tmp_path / "data/2024")
    shutil.copytree(ROOT / "params/2024", tmp_path / "params/2024")
    monkeypatch.chdir(tmp_path)
    assert main(["new-year", "2025", "--from", "2024", "lechang-rsj", "--framework", "gd-municipal-2019"]) == 0
    assert validate(tmp_path / "data/2025/lechang-rsj") == []
    params = (tmp_path / "params/2025/lechang-rsj.yaml").read_text(encoding="utf-8")
    assert "data_path: data/2025/lechang-rsj" in params and "framework: gd-municipal-2019" in params
    assert not (tmp_path / "data/2025/panyu-rsj").exists()  # only the department named
    marker = tmp_path / "data/2025/lechang-rsj/kpis.csv"
    marker.write_text(marker.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    before = marker.read_bytes()
    assert main(["new-year", "2025", "--from", "2024"]) == 0
    assert marker.read_bytes() == before
    out = capsys.readouterr().out
    assert "data/2025/lechang-rsj 已存在，未覆盖" in out and "data/2025/panyu-rsj" in out
    assert main(["new-year", "2025", "--from", "2024", "no-such-dept"]) == 1
