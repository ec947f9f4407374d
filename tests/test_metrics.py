"""auditkit.analyses.metrics: each formula reproduces the figure a seed computes by hand, on exact inputs and on intervals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from auditkit import parse_number
from auditkit.analyses.intervals import Interval
from auditkit.analyses.metrics import (
    adjustment_rate,
    arbitration_closure_rate,
    change_rate,
    change_rate_from_amount,
    completion_rate,
    contract_signing_rate,
    execution_rate,
    mean,
    mediation_success_rate,
    net_budget,
    progress_gap,
    reduction_rate,
    share,
    total,
)


def _i(text: str) -> Interval:
    number = parse_number(text)
    assert number is not None
    return Interval.of(number)


def test_adjustment_rate_of_003() -> None:
    """003 一（四）: (13,867.60 − 13,460.53) ÷ 13,460.53 = 3.02%."""
    assert round(adjustment_rate(Decimal("13867.60"), Decimal("13460.53")), 2) == Decimal("3.02")


def test_stock_change_rate_of_003() -> None:
    """003 二（三）1.(3): 2,670.6 vs 4,978.72 → −46.36%."""
    assert round(change_rate(Decimal("2670.6"), Decimal("4978.72")), 2) == Decimal("-46.36")


def test_year_on_year_of_000() -> None:
    """000 一（四）: 收入 1,087.17 vs 1,309.60 → −16.98%; 支出 1,114.44 vs 1,138.46 → −2.11%."""
    assert round(change_rate(Decimal("1087.17"), Decimal("1309.60")), 2) == Decimal("-16.98")
    assert round(change_rate(Decimal("1114.44"), Decimal("1138.46")), 2) == Decimal("-2.11")


def test_procurement_share_of_000() -> None:
    """000 二（三）5: 41.92 of 142.08 → 29.50%."""
    assert round(share(Decimal("41.92"), Decimal("142.08")), 2) == Decimal("29.50")


def test_special_funds_of_001() -> None:
    """001 二（二）2.(2): 2,445.41 of 2,500 → 97.82%."""
    assert round(execution_rate(Decimal("2445.41"), Decimal("2500")), 2) == Decimal("97.82")


def test_formula_kpis_of_004() -> None:
    """004 三（三）3.(4): 仲裁结案率 145 ÷ (3 + 143) = 99.32%; 调解成功率 (324 + 56) ÷ (324 + 145) = 81.02%."""
    assert round(arbitration_closure_rate(Decimal(145), Decimal(3), Decimal(143)), 2) == Decimal("99.32")
    assert round(mediation_success_rate(Decimal(324), Decimal(56), Decimal(324), Decimal(145)), 2) == Decimal("81.02")


@pytest.mark.parametrize(
    ("actual", "target", "direction", "expected"),
    [
        ("4.74", "3.21", "≥", "147.66"),  # 003 表5 降低企业社会保险成本
        ("2.11", "3.5", "≤", "100"),  # 003 表4 城镇登记失业率: a ceiling met is 100%, never more
        ("4.2", "3.5", "≤", "83.33"),  # a ceiling missed shows the shortfall
        ("37419", "38800", "≥", "96.44"),  # 004 企业职工基本养老保险参保人数: missed
    ],
)
def test_completion_rate_by_direction(actual: str, target: str, direction: str, expected: str) -> None:
    assert round(completion_rate(Decimal(actual), Decimal(target), direction), 2) == Decimal(expected)


def test_missing_inputs_and_zero_denominators_give_none() -> None:
    assert execution_rate(None, Decimal(1)) is None
    assert execution_rate(Decimal(1), Decimal(0)) is None
    assert completion_rate(Decimal(1), None, "≥") is None
    assert completion_rate("完成", "完成", "定性") is None
    assert mean([]) is None and mean([Decimal(1), None]) is None


def test_intervals_carry_printed_rounding_through_a_formula() -> None:
    """003 表5: 9,160 ÷ 7,200 lies in [127.21%, 127.24%] at any rounding of the inputs, so 127.15% is impossible."""
    rate = completion_rate(_i("9160"), _i("7200"), "≥")
    assert Decimal("127.22") in rate and Decimal("127.15") not in rate
    # 000 二（三）7.(2): 会议费 +0.84 on a prior of 2.75 − 0.84: 44.39% is possible within rounding
    change = change_rate(_i("2.75"), _i("2.75") - _i("0.84"))
    assert Decimal("44.39") in change


def test_ceiling_rate_on_intervals() -> None:
    assert completion_rate(_i("2.11"), _i("3.5"), "≤") == Interval(Decimal(100), Decimal(100))
    straddling = completion_rate(_i("3.5"), _i("3.5"), "≤")
    assert straddling.hi == 100 and straddling.lo < 100


def test_contract_signing_rate_and_reduction_rate() -> None:
    """003 表8: 签订率 = 实际签订数 ÷ 应签订数; 降幅 is the fall, positive (the report states +26.44% against 25%)."""
    assert round(contract_signing_rate(Decimal(958), Decimal(1000)), 2) == Decimal("95.80")
    assert round(reduction_rate(Decimal("73.56"), Decimal(100)), 2) == Decimal("26.44")
    assert reduction_rate(Decimal(120), Decimal(100)) < 0  # a rise is a negative 降幅
    assert reduction_rate(Decimal(1), Decimal(0)) is None


def test_progress_gap_is_in_percentage_points() -> None:
    """000 二（三）2: a quarterly average of 51.30% against the 62.5% benchmark lags by 11.2 points."""
    assert progress_gap(Decimal("51.30"), Decimal("62.5")) == Decimal("-11.20")
    assert mean([Decimal(25), Decimal(50), Decimal(75), Decimal(100)]) == Decimal("62.5")
    assert progress_gap(None, Decimal(25)) is None


def test_net_budget_of_003() -> None:
    """003 表3 合计: 36,158.49 − 4,994.40 − 17,703.56 = 13,460.53; a missing adjustment is a missing result."""
    assert net_budget(Decimal("36158.49"), Decimal("4994.40"), Decimal("17703.56")) == Decimal("13460.53")
    assert net_budget(Decimal("1753.87"), Decimal("136.10"), None) is None  # 003 表3 基本支出: column B is blank


def test_change_rate_from_the_printed_change_amount_of_000() -> None:
    """000 二（三）7.(1): 1.63 万元, 增加 0.36 → 28.35% (not the printed 17.19%); 7.(3) 8.84, +5.57 → 170.34%."""
    assert round(change_rate_from_amount(Decimal("1.63"), Decimal("0.36")), 2) == Decimal("28.35")
    assert round(change_rate_from_amount(Decimal("8.84"), Decimal("5.57")), 2) == Decimal("170.34")
    bounds = change_rate_from_amount(_i("1.63"), _i("0.36"))
    assert Decimal("27.74") in bounds and Decimal("28.96") in bounds and Decimal("17.19") not in bounds
    assert change_rate_from_amount(Decimal("0.12"), Decimal("0.12")) is None  # 000 公务接待费: from 0, no rate


def test_total_of_parts() -> None:
    """003 表3 基本支出: 1,504.87 + 249.00 = 1,753.87; on intervals the rounding of each part adds up."""
    assert total([Decimal("1504.87"), Decimal("249.00")]) == Decimal("1753.87")
    assert total([_i("105.59"), _i("30.50")]) == Interval(Decimal("136.08"), Decimal("136.10"))
    assert total([]) is None and total([Decimal(1), None]) is None
