from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kkr_desktop.core.allocation import AllocationKind, Unit, allocate, split
from kkr_desktop.core.errors import InputError

# Bopælskommunefolketal 1. kvt. 2020 (fixtures/folk1a_nordjylland_2020K1.csv)
POP_2020K1 = {773: 20247, 787: 43423, 810: 36304, 813: 59654, 820: 36727, 825: 1786,
              840: 30113, 846: 41800, 849: 38324, 851: 217075, 860: 64483}


def test_contribution_2024_by_the_2020_key_adds_up():
    amounts = split(1_771_663_00, POP_2020K1, Unit.KR)
    assert sum(amounts.values()) == 1_771_663_00
    assert all(a % 100 == 0 for a in amounts.values())
    assert amounts[851] == 651_908_00  # Aalborg: 217075/589936 of it
    assert amounts[825] == 5_364_00  # Læsø


def test_erhvervshus_key_in_thousands_adds_up_to_the_printed_total(data_dir):
    """The real printed key: 17.645 t.kr. in 1.000 kr. must add up to 17.645 exactly."""
    amounts = split(17_645_000_00, POP_2020K1, Unit.TKR)
    assert sum(amounts.values()) == 17_645_000_00
    assert all(a % 100_000 == 0 for a in amounts.values())
    printed = {}
    for line in (data_dir / "erhvervshus_nordjylland_2023_key.csv").read_text(
            encoding="utf-8").splitlines()[1:]:
        name, tkr = line.split(";")
        printed[name] = int(tkr.replace(".", ""))
    assert sum(printed.values()) == 17_645


def test_ties_are_broken_by_kommunekode():
    amounts = split(100, {860: 1, 101: 1, 851: 1}, Unit.ORE)
    assert amounts == {101: 34, 851: 33, 860: 33}


def test_negative_total_is_symmetric():
    assert split(-100, {2: 1, 1: 1, 3: 1}) == {1: -34, 2: -33, 3: -33}


def test_total_not_divisible_by_unit_is_refused():
    with pytest.raises(InputError, match="går ikke op"):
        split(324_092_47, POP_2020K1, Unit.KR)


def test_no_weights_is_refused():
    with pytest.raises(InputError):
        split(100, {}, Unit.ORE)
    with pytest.raises(InputError):
        split(100, {1: 0, 2: 0}, Unit.ORE)


def test_allocate_rows_carry_share_and_names():
    a = allocate(AllocationKind.CONTRIBUTION, 1_771_663_00, POP_2020K1,
                 {851: "Aalborg"}, unit=Unit.KR, quarter="2020K1")
    row = next(r for r in a.rows if r.kommunekode == 851)
    assert row.kommune == "Aalborg"
    assert float(row.share) == pytest.approx(217075 / 589936)
    assert a.population_total == 589936


weights = st.dictionaries(st.integers(min_value=101, max_value=999),
                          st.integers(min_value=0, max_value=2_000_000), min_size=1,
                          max_size=98).filter(lambda w: sum(w.values()) > 0)
units = st.sampled_from(list(Unit))


@given(st.integers(min_value=-10**8, max_value=10**8), weights, units)
def test_parts_always_add_up_exactly(units_total, w, unit):
    total = units_total * unit.ore
    amounts = split(total, w, unit)
    assert sum(amounts.values()) == total
    assert set(amounts) == set(w)
    assert all(a % unit.ore == 0 for a in amounts.values())


@given(st.integers(min_value=0, max_value=10**10), weights)
def test_deterministic_whatever_the_order(total, w):
    reordered = dict(reversed(list(w.items())))
    assert split(total, w) == split(total, reordered)


@given(st.integers(min_value=0, max_value=10**10), weights)
def test_a_larger_population_never_pays_less(total, w):
    amounts = split(total, w)
    codes = sorted(w)
    for a in codes:
        for b in codes:
            if w[a] > w[b]:
                assert amounts[a] >= amounts[b]


@given(st.integers(min_value=0, max_value=10**10), weights)
def test_each_part_is_within_one_unit_of_its_exact_quota(total, w):
    amounts = split(total, w)
    s = sum(w.values())
    for code, weight in w.items():
        exact = Decimal(total) * weight / s
        assert abs(amounts[code] - exact) < 1
