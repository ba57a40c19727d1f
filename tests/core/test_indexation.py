from __future__ import annotations

from decimal import Decimal

from kkr_desktop.core.disposition import balancing_carry_over, dispose_surplus
from kkr_desktop.core.indexation import adjustment, index_contribution
from kkr_desktop.core.statement import build_statement
from kkr_desktop.formats.interchange import read_statement_csv

NAME = "Det fælleskommunale Sundhedssekretariat"


def test_budget_2024_contribution_is_1_771_663():
    # 1.690.518,25 × 1,048 = 1.771.663,13 -> whole kroner
    assert index_contribution(1_690_518_25, Decimal("4.8"), 100) == 1_771_663_00
    assert index_contribution(1_690_518_25, Decimal("4.8"), 1) == 1_771_663_13


def test_2023_expected_and_final_rates_from_the_2022_base():
    base = 1_623_936_84  # the 2022 contribution: 1.690.518,25 / 1,041, to the øre
    assert index_contribution(base, Decimal("4.1"), 1) == 1_690_518_25  # charged for 2023
    assert index_contribution(base, Decimal("2.8"), 100) == 1_669_407_00  # budget 2023
    # efterregulering 2023: what the final rate gives less what the budget said
    assert adjustment(base, 1_669_407_00, Decimal("4.1"), 1) == 21_111_25


def test_surplus_disposition(data_dir):
    data = read_statement_csv(data_dir / "sundhedssekretariat.csv")
    st = build_statement(NAME, 2024, data.years[(NAME, 2023)], data.years[(NAME, 2024)])
    d = dispose_surplus(st)
    assert d.result == 571_489_47
    assert d.carried_over == 247_397_00  # what budget 2024's transfer line says
    # The printed document rounded the surplus to 571.490 and paid back 324.093; the exact
    # payout is 0,53 kr. less, and that is what the kommuner get.
    assert d.payout == 324_092_47
    # What would really balance budget 2024 (its expenses are 2.019.061, not 2.019.060):
    assert balancing_carry_over(st) == 247_398_00
