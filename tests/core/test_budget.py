from __future__ import annotations

from decimal import Decimal

import pytest

from kkr_desktop.core.budget import CARRIED_OVER_NAME, charged_contribution, next_budget
from kkr_desktop.core.errors import InputError
from kkr_desktop.core.statement import Kind, Role, YearLine

LINES_2023 = [
    YearLine("Indkrævet hos kommunerne", Kind.INCOME, Role.CONTRIBUTION, 166_940_700,
             169_051_825, actual_note="reguleret"),
    YearLine("Overført overskud", Kind.INCOME, Role.CARRIED_OVER, 64_716_200, 64_716_222),
    YearLine("Løn", Kind.EXPENSE, Role.NONE, 149_875_200, 150_177_800),
    YearLine("Husleje", Kind.EXPENSE, Role.NONE, 3_307_600, 3_388_900),
]


def test_contribution_is_the_charged_amount_indexed_with_the_expected_rate():
    plan = next_budget(2023, LINES_2023, Decimal("4.8"), unit_ore=100)
    # The real figure: 1.690.518,25 × 1,048 = 1.771.663 in whole kroner.
    assert plan.charged_base == 169_051_825
    assert plan.contribution == 177_166_300
    assert plan.year == 2024


# Budget 2023 with a larger Løn: the indexed contribution (1.771.663) does not cover the
# expenses (1.850.000 + 33.076), so the carry-over makes up the difference.
LINES_SHORT = [LINES_2023[0], LINES_2023[1],
               YearLine("Løn", Kind.EXPENSE, Role.NONE, 185_000_000, 150_177_800),
               LINES_2023[3]]


def test_the_new_budget_balances_through_the_carried_over_line():
    plan = next_budget(2023, LINES_SHORT, Decimal("4.8"))
    income = sum(ln.budget or 0 for ln in plan.lines if ln.kind is Kind.INCOME)
    expenses = sum(ln.budget or 0 for ln in plan.lines if ln.kind is Kind.EXPENSE)
    assert income == expenses
    assert plan.carried_over == 185_000_000 + 3_307_600 - 177_166_300 == 11_141_300


def test_a_contribution_above_the_expenses_carries_nothing_over_and_shows_the_surplus():
    """The indexed contribution (1.771.663) exceeds the expenses (1.531.828): no negative
    carry-over is suggested (it would pay the kommuner more than any surplus); the budget
    shows its surplus, and the balance warning says so."""
    from kkr_desktop.core.statement import build_statement, check_statement

    plan = next_budget(2023, LINES_2023, Decimal("4.8"))
    assert plan.carried_over == 0
    carried = next(ln for ln in plan.lines if ln.role is Role.CARRIED_OVER)
    assert carried.budget == 0 and carried.budget_note == ""
    st = build_statement("X", 2024, LINES_2023, plan.lines)
    (w,) = [w for w in check_statement(st) if w.code == "budget_unbalanced"]
    assert w.amount == 177_166_300 - 149_875_200 - 3_307_600  # the surplus, 239.835 kr.


def test_lines_keep_order_and_budget_but_not_actuals_or_notes():
    plan = next_budget(2023, LINES_SHORT, Decimal("4.8"))
    assert [ln.name for ln in plan.lines] == [ln.name for ln in LINES_SHORT]
    assert plan.lines[2].budget == 185_000_000
    assert all(ln.actual is None and not ln.actual_note for ln in plan.lines)
    # Only the suggested carry-over has a footnote, saying it is a suggestion.
    noted = [(ln.role, ln.budget_note) for ln in plan.lines if ln.budget_note]
    assert noted == [(Role.CARRIED_OVER, "Foreslået af programmet, så budget 2024 balancerer. "
                      "Ret beløbet, når resultatet af regnskab 2023 kendes.")]


def test_a_carried_over_line_is_added_after_the_contribution_when_missing():
    lines = [LINES_2023[0], LINES_2023[2]]
    plan = next_budget(2023, lines, Decimal("4.8"))
    assert [ln.name for ln in plan.lines] == [
        "Indkrævet hos kommunerne", CARRIED_OVER_NAME, "Løn"]
    assert plan.lines[1].role is Role.CARRIED_OVER


def test_without_regnskab_the_final_rate_amount_then_the_budget_is_the_base():
    no_actual = [YearLine(ln.name, ln.kind, ln.role, ln.budget) for ln in LINES_2023]
    assert charged_contribution(no_actual) == 166_940_700
    assert charged_contribution(no_actual, final_amount=169_051_825) == 169_051_825


def test_no_contribution_line_is_refused():
    with pytest.raises(InputError, match="bidrag"):
        next_budget(2023, LINES_2023[2:], Decimal("4.8"))
