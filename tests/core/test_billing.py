"""The kommune's bill: every part is a row of a billed allocation, and the parts add up to
the net, and the nets to the billed totals, to the øre."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kkr_desktop.core.allocation import AllocationKind, Unit, allocate
from kkr_desktop.core.billing import Body, billed_total, build_bills, part_text

CODES = [773, 787, 810, 813, 820, 825, 840, 846, 849, 851, 860]
amounts = st.integers(min_value=-500_000_000, max_value=500_000_000)


def _alloc(kind, total, weights):
    names = {c: f"Kommune {c}" for c in weights}
    return allocate(kind, total, {c: Decimal(w) for c, w in weights.items()}, names,
                    unit=Unit.ORE)


@st.composite
def bodies(draw):
    out = []
    for body_id in range(1, draw(st.integers(1, 4)) + 1):
        members = draw(st.lists(st.sampled_from(CODES), min_size=1, unique=True))
        weights = {c: draw(st.integers(1, 250_000)) for c in members}
        kinds = draw(st.lists(st.sampled_from(list(AllocationKind)), unique=True))
        allocs = {k: _alloc(k, draw(amounts), weights) for k in kinds}
        out.append(Body(body_id, f"Organ {body_id}", "", "", "", allocs))
    return out


@settings(max_examples=150, deadline=None)
@given(bodies())
def test_parts_add_up_to_net_and_nets_to_the_billed_total(found):
    bills = build_bills(2024, found)
    for bill in bills:
        assert bill.net == sum(p.amount for p in bill.parts)
        for body in found:
            expected = sum((-r.amount if k is AllocationKind.PAYOUT else r.amount)
                           for k, a in body.allocations.items() for r in a.rows
                           if r.kommunekode == bill.kommunekode)
            assert bill.body_net(body.id) == expected
    assert sum(b.net for b in bills) == billed_total(found)


def test_payout_is_received_and_a_deficit_is_charged():
    surplus = _alloc(AllocationKind.PAYOUT, 1_000_00, {851: 1, 860: 1})
    deficit = _alloc(AllocationKind.PAYOUT, -300_00, {851: 1, 860: 1})
    bills = build_bills(2024, [Body(1, "A", "", "", "", {AllocationKind.PAYOUT: surplus}),
                               Body(2, "B", "", "", "", {AllocationKind.PAYOUT: deficit})])
    aalborg = bills[0]
    assert [p.amount for p in aalborg.parts] == [-500_00, 150_00]
    assert aalborg.net == -350_00
    assert [p.text for p in aalborg.parts] == ["Udbetaling af overskud 2023",
                                               "Opkrævning af underskud 2023"]
    assert part_text(AllocationKind.CONTRIBUTION, 2024, 1) == "Bidrag 2024"
