"""The kinds of printed figure (amounts in 万元, percentages, KPI values by unit; exact counts and points) and the
precision the report prevailingly prints each kind with, against which a coarser figure is judged."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from auditkit.data.model import DepartmentYear, Kpi, StatedFigure
from auditkit.data.numbers import Number

_BUDGET_TABLES = ("expenditure", "functional", "income", "costs")
_AMOUNT_ATTRS = ("initial", "reform_adjustment", "direct_adjustment", "net_initial", "adjusted", "final", "prior_final")
_AMOUNT = "万元"
_PERCENT = "%"
#: KPI units that count whole things: a whole number in such a unit is a count, exact (2 家 is not 1.5 to 2.5 家).
_COUNT_UNITS = frozenset({"人", "人次", "名", "家", "个", "场", "场次", "项", "次", "件", "宗", "期", "份", "封", "台", "批次", "户", "所"})
_EXACT_CLAIMS = frozenset({
    "profile.internal_unit_count", "profile.subordinate_unit_count", "score.total", "score.indicator",
})
_AMOUNT_CLAIMS = frozenset({"budget.variance", "budget.change_amount", "yoy.change_amount"})


def _is_count(kpi: Kpi, number: Number) -> bool:
    return kpi.unit in _COUNT_UNITS and number.decimals == 0 and not number.percent


def _kpi_kind(kpi: Kpi) -> str:
    actual = kpi.actual if isinstance(kpi.actual, Number) else None
    return "kpi:%" if (actual is not None and actual.percent) or kpi.unit == "%" else f"kpi:{kpi.unit or ''}"


def _stated_kind(s: StatedFigure) -> str:
    """The kind of a stated figure: a percentage, an amount (by its unit, 万元 by default) or its unit."""
    if isinstance(s.value, Number) and s.value.percent:
        return _PERCENT
    table = s.claim.partition(".")[0]
    if table in _BUDGET_TABLES or s.claim in _AMOUNT_CLAIMS:
        return s.unit or _AMOUNT
    return s.unit or ""


#: The amounts in 万元 outside the budget tables: section → its attributes.
_SECTION_AMOUNTS = (
    ("funds", ("special_allocated", "special_spent", "stock_current", "stock_prior", "carryover",
               "secondary_allocation")),
    ("procurement", ("planned", "actual", "sme", "small_micro")),
    ("assets", ("fixed_total", "fixed_in_use")),
)


def _amounts(dept: DepartmentYear) -> Iterator[tuple[str, object]]:
    """Every amount in 万元 the data prints: the budget tables' columns, funds, procurement and assets."""
    for table in _BUDGET_TABLES:
        for line in getattr(dept, table):
            for attr in _AMOUNT_ATTRS:
                yield _amount_kind(getattr(line, attr)), getattr(line, attr)
    for section, attrs in _SECTION_AMOUNTS:
        for attr in attrs:
            yield _amount_kind(getattr(getattr(dept, section), attr)), getattr(getattr(dept, section), attr)


def _amount_kind(number: object) -> str:
    """An amount printed in 元 (converted to 万元, ``shift`` 4) votes for the precision of 元 figures, not of 万元 ones:
    80,900.00 元 is printed to the fen, not to six decimals of 万元 (issue 16, case 8)."""
    return "元" if isinstance(number, Number) and number.shift else _AMOUNT


def _stated_figures(dept: DepartmentYear) -> Iterator[tuple[str, object]]:
    """The stated percentages and amounts (``other`` and exact counts or points are not figures of a kind)."""
    for s in dept.stated:
        if isinstance(s.value, Number) and s.claim != "other" and s.claim not in _EXACT_CLAIMS:
            if s.value.percent:
                yield _PERCENT, s.value
            elif s.claim in _AMOUNT_CLAIMS or s.claim.partition(".")[0] in _BUDGET_TABLES:
                yield s.unit or _AMOUNT, s.value


def _printed_figures(dept: DepartmentYear) -> Iterator[tuple[str, object]]:
    """Every printed figure that votes on its kind's precision, with its kind."""
    yield from _amounts(dept)
    yield from _stated_figures(dept)
    for score in dept.scores:
        yield _PERCENT, score.rate
    for q in dept.quarterly:
        yield _PERCENT, q.cumulative_rate
    for kpi in dept.kpis:
        for value in (kpi.target, kpi.actual, kpi.prior_actual):
            yield _kpi_kind(kpi), value


def _prevailing_precision(dept: DepartmentYear) -> dict[str, int]:
    """For each kind of figure, the number of decimals the report most often prints it with (ties: the finer).

    Kinds: amounts in 万元 (budget tables, funds, procurement, assets and stated amounts), stated percentages and
    得分率 (``%``), and KPI values by unit (``kpi:万人``). Zeros and exact counts do not vote.
    """
    votes: dict[str, Counter[int]] = defaultdict(Counter)
    for kind, number in _printed_figures(dept):
        if isinstance(number, Number) and number.value != 0:
            votes[kind][number.decimals] += 1
    return {kind: max(counter.items(), key=lambda item: (item[1], item[0]))[0] for kind, counter in votes.items()}
