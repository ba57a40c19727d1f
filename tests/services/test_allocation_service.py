from __future__ import annotations

from decimal import Decimal

import pytest

from kkr_desktop.core.allocation import AllocationKind, KeyKind, Unit
from kkr_desktop.core.errors import InputError
from kkr_desktop.services import allocation, population, rates
from kkr_desktop.store import allocations


def test_contribution_uses_budget_n_and_the_secretariat_unit(demo_store, demo_secretariat):
    result = allocation.compute(demo_store, demo_secretariat, 2024)
    a = result.allocation
    assert a.total == 1_771_663_00 and a.unit is Unit.KR
    assert sum(r.amount for r in a.rows) == a.total
    assert len(a.rows) == 11
    assert a.quarter == "2020K1"
    # the demo has only 2020K1: a warning (not a notice) naming the key used
    assert "1. kvt. 2023 findes ikke" in result.warning and "1. kvt. 2020" in result.warning


def test_payout_of_the_2023_surplus(demo_store, demo_secretariat):
    a = allocation.compute(demo_store, demo_secretariat, 2024,
                           kind=AllocationKind.PAYOUT).allocation
    assert a.total == 324_092_47 and a.unit is Unit.ORE  # not whole kroner: øre
    assert sum(r.amount for r in a.rows) == 324_092_47


def test_adjustment_needs_the_final_rate(demo_store, demo_secretariat):
    with pytest.raises(InputError, match="endelige PL-sats for 2023→2024"):
        allocation.compute(demo_store, demo_secretariat, 2024, kind=AllocationKind.ADJUSTMENT)
    rates.set_pl_rate(demo_store, 2024, final=Decimal("5.0"))
    a = allocation.compute(demo_store, demo_secretariat, 2024,
                           kind=AllocationKind.ADJUSTMENT).allocation
    # 1.690.518,25 × 1,05 in the billing unit (øre) − budget (whole kroner)
    assert a.total == 1_775_044_16 - 1_771_663_00
    assert sum(r.amount for r in a.rows) == a.total


def test_missing_population_names_kommune_and_quarter(demo_store, demo_secretariat):
    population.set_figure(demo_store, 851, "2023K1", 220000)
    with pytest.raises(InputError) as err:
        allocation.compute(demo_store, demo_secretariat, 2024)
    assert "Folketal pr. 1. kvt. 2023 mangler for: Morsø" in err.value.message
    assert "Aalborg" not in err.value.message


def test_equal_split_and_given_amount_in_thousands(demo_store, demo_secretariat):
    a = allocation.compute(demo_store, demo_secretariat, 2024, amount=17_645_000_00,
                           unit=Unit.TKR, quarter="2020K1").allocation
    assert sum(r.amount for r in a.rows) == 17_645_000_00
    e = allocation.compute(demo_store, demo_secretariat, 2024, amount=1_100_00,
                           key_kind=KeyKind.EQUAL).allocation
    assert {r.amount for r in e.rows} == {100_00}


def test_saved_allocation_reads_back_the_same(demo_store, demo_secretariat):
    a = allocation.compute(demo_store, demo_secretariat, 2024).allocation
    aid = allocation.save(demo_store, demo_secretariat, 2024, a)
    stored = allocations.latest(demo_store, demo_secretariat.id, 2024,
                                AllocationKind.CONTRIBUTION)
    assert stored is not None and stored.id == aid
    assert stored.allocation.rows == tuple(sorted(a.rows, key=lambda r: r.kommunekode))
    assert stored.created_by
