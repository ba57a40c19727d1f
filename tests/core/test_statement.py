"""The Sundhedssekretariat's real statement: every fact in ../shared/fixtures/README.md."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kkr_desktop.core.statement import (
    Column,
    Kind,
    Role,
    YearLine,
    build_statement,
    check_statement,
)
from kkr_desktop.formats.interchange import read_statement_csv

NAME = "Det fælleskommunale Sundhedssekretariat"


@pytest.fixture
def statement(data_dir):
    data = read_statement_csv(data_dir / "sundhedssekretariat.csv")
    return build_statement(NAME, 2024, data.years[(NAME, 2023)], data.years[(NAME, 2024)])


def test_budget_2023_balances(statement):
    t = statement.totals(Column.BUDGET_PREV)
    assert (t.expenses, t.income, t.result) == (2_316_569_00, 2_316_569_00, 0)


def test_regnskab_2023_totals_and_result(statement):
    t = statement.totals(Column.ACTUAL_PREV)
    assert t.expenses == 1_766_191_00
    assert t.income == 2_337_680_47
    assert t.result == 571_489_47


def test_budget_2024_hides_a_one_krone_imbalance(statement):
    t = statement.totals(Column.BUDGET)
    assert t.expenses == 2_019_061_00  # the printed original says 2.019.060
    assert t.income == 2_019_060_00
    assert t.result == -100
    warnings = check_statement(statement, expected_rate=Decimal("4.8"))
    assert [(w.code, w.column, w.amount) for w in warnings] == [
        ("budget_unbalanced", Column.BUDGET, -100)]
    assert "Budget 2024 balancerer ikke" in warnings[0].message
    assert "2.019.061" in warnings[0].message


def test_pl_check_accepts_1_771_663(statement):
    # 1.690.518,25 × 1,048 = 1.771.663,13, rounded to whole kroner
    assert check_statement(statement, expected_rate=Decimal("4.8"))[0].code != (
        "contribution_not_indexed")
    codes = [w.code for w in check_statement(statement, expected_rate=Decimal("5.0"))]
    assert "contribution_not_indexed" in codes


def test_pl_check_shows_both_figures(statement):
    w = next(w for w in check_statement(statement, expected_rate=Decimal("5.0"))
             if w.code == "contribution_not_indexed")
    assert "1.771.663" in w.message and "1.775.044" in w.message  # 1.690.518,25 × 1,05
    assert w.amount == 1_771_663_00 - 1_775_044_00
    assert w.line == "Indkrævet hos kommunerne"


def test_lines_keep_the_document_order_and_match_by_name(statement):
    assert len(statement.lines) == 17
    assert statement.lines[0].name == "Indkrævet hos kommunerne"
    assert statement.lines[0].role is Role.CONTRIBUTION
    husleje = statement.lines[2]
    assert (husleje.name, husleje.kind) == ("Husleje", Kind.EXPENSE)
    assert (husleje.budget_prev, husleje.actual_prev, husleje.budget) == (
        33_076_00, 33_889_00, 37_618_00)


def test_footnotes_in_order_of_appearance(statement):
    notes = statement.notes()
    assert [(ln.name, col) for ln, col, _ in notes] == [
        ("Indkrævet hos kommunerne", Column.ACTUAL_PREV),
        ("Indkrævet hos kommunerne", Column.BUDGET),
        ("Husleje", Column.ACTUAL_PREV)]
    # the fixture's note holds an unquoted semicolon; the whole text is kept
    assert notes[2][2].endswith("stigningen er indregnet i budget 2024.")


def test_carried_over_exceeding_result_is_flagged():
    prev = [YearLine("Bidrag", Kind.INCOME, Role.CONTRIBUTION, 1000_00, 1000_00),
            YearLine("Løn", Kind.EXPENSE, Role.NONE, 1000_00, 900_00)]
    cur = [YearLine("Bidrag", Kind.INCOME, Role.CONTRIBUTION, 1000_00),
           YearLine("Overført overskud", Kind.INCOME, Role.CARRIED_OVER, 150_00),
           YearLine("Løn", Kind.EXPENSE, Role.NONE, 1150_00)]
    st = build_statement("X", 2025, prev, cur)
    w = [w for w in check_statement(st) if w.code == "carried_over_exceeds_result"]
    assert len(w) == 1 and w[0].amount == 50_00


def test_line_only_in_previous_year_stays_in_place():
    prev = [YearLine("A", Kind.EXPENSE, budget=1), YearLine("B", Kind.EXPENSE, budget=2),
            YearLine("C", Kind.EXPENSE, budget=3)]
    cur = [YearLine("A", Kind.EXPENSE, budget=1), YearLine("C", Kind.EXPENSE, budget=3),
           YearLine("D", Kind.EXPENSE, budget=4)]
    st = build_statement("X", 2025, prev, cur)
    assert [ln.name for ln in st.lines] == ["A", "B", "C", "D"]
    assert st.lines[1].budget is None and st.lines[1].budget_prev == 2


def test_missing_contribution_is_flagged():
    st = build_statement("X", 2025, [], [YearLine("Løn", Kind.EXPENSE, budget=100)])
    (w,) = [w for w in check_statement(st) if w.code == "contribution_missing"]
    assert "ingen linje med rollen «bidrag»" in w.message and w.line is None
    # The line is there but not filled in (a new secretariat's first budget).
    st = build_statement("X", 2025, [], [
        YearLine("Indkrævet hos kommunerne", Kind.INCOME, Role.CONTRIBUTION),
        YearLine("Løn", Kind.EXPENSE, budget=100)])
    (w,) = [w for w in check_statement(st) if w.code == "contribution_missing"]
    assert w.message == "Budget 2025: bidraget «Indkrævet hos kommunerne» har intet beløb."
    assert w.line == "Indkrævet hos kommunerne"


def test_a_negative_carry_over_that_pays_out_more_than_the_surplus_is_flagged():
    """Regnskab 2027 leaves 120.000 kr.; budget 2028 carries over −100.450 kr.: the payout
    would be 220.450 kr., more than the surplus (a case found in review)."""
    prev = [YearLine("Indkrævet hos kommunerne", Kind.INCOME, Role.CONTRIBUTION,
                     2_450_000_00, 2_450_000_00),
            YearLine("Løn", Kind.EXPENSE, budget=2_450_000_00, actual=2_330_000_00)]
    cur = [YearLine("Indkrævet hos kommunerne", Kind.INCOME, Role.CONTRIBUTION,
                    budget=2_550_450_00),
           YearLine("Overført overskud", Kind.INCOME, Role.CARRIED_OVER, budget=-100_450_00),
           YearLine("Løn", Kind.EXPENSE, budget=2_450_000_00)]
    st = build_statement("X", 2028, prev, cur)
    (w,) = [w for w in check_statement(st) if w.code == "carried_over_negative"]
    assert w.message == ("Overført overskud i budget 2028 er negativt (-100.450 kr.), så "
                         "udbetalingen til kommunerne (220.450 kr.) bliver større end "
                         "resultatet af regnskab 2027 (120.000 kr.).")
    assert w.line == "Overført overskud"
    # Before regnskab 2027 is entered, a negative carry-over has no deficit to come from.
    st = build_statement("X", 2028, [ln.__class__(ln.name, ln.kind, ln.role, ln.budget)
                                     for ln in prev], cur)
    (w,) = [w for w in check_statement(st) if w.code == "carried_over_negative"]
    assert "intet regnskab 2027 med et underskud" in w.message
    # A deficit carried over as it is, is no fault: regnskab −50.000, carried −50.000.
    prev[1] = YearLine("Løn", Kind.EXPENSE, budget=2_450_000_00, actual=2_500_000_00)
    cur[1] = YearLine("Overført overskud", Kind.INCOME, Role.CARRIED_OVER, budget=-50_000_00)
    st = build_statement("X", 2028, prev, cur)
    assert "carried_over_negative" not in [w.code for w in check_statement(st)]
