from __future__ import annotations

from decimal import Decimal

import pytest

from kkr_desktop.core.errors import InputError
from kkr_desktop.core.statement import Column
from kkr_desktop.services.budget import create_next_budget, remove_budget_year
from kkr_desktop.services.rates import set_pl_rate
from kkr_desktop.services.statements import load_statement
from kkr_desktop.store import statements as lines_store


def test_create_next_budget_stores_a_balanced_indexed_year(demo_store, demo_secretariat):
    set_pl_rate(demo_store, 2025, expected=Decimal("3.9"))
    plan = create_next_budget(demo_store, demo_secretariat, 2024)
    view = load_statement(demo_store, demo_secretariat, 2025)
    assert view.statement.totals(Column.BUDGET).result == 0
    assert plan.contribution == 184_075_800  # 1.771.663 × 1,039 = 1.840.757,86 → 1.840.758
    assert not [w for w in view.warnings if w.column is Column.BUDGET]


def test_missing_expected_rate_is_refused_and_nothing_is_stored(demo_store, demo_secretariat):
    with pytest.raises(InputError, match="PL-sats"):
        create_next_budget(demo_store, demo_secretariat, 2024)
    assert lines_store.year_lines(demo_store, demo_secretariat.id, 2025) == []


def test_an_existing_year_is_not_overwritten(demo_store, demo_secretariat):
    set_pl_rate(demo_store, 2024, expected=Decimal("4.8"))
    with pytest.raises(InputError, match="allerede"):
        create_next_budget(demo_store, demo_secretariat, 2023)


def test_remove_budget_year_undoes_the_creation(demo_store, demo_secretariat):
    set_pl_rate(demo_store, 2025, expected=Decimal("3.9"))
    create_next_budget(demo_store, demo_secretariat, 2024)
    remove_budget_year(demo_store, demo_secretariat, 2025)
    assert lines_store.year_lines(demo_store, demo_secretariat.id, 2025) == []
