"""The kommune's bill: what one kommune pays (or receives) for one year across every joint
body (secretariat) of its KKR, one part per body and kind, and the net.

Pure data. The amounts come from the allocations each body bills (the approved ones for an
approved year); nothing is re-split here, so a kommune's parts are exactly the rows of those
allocations, and its net is their exact sum in øre.

Signs: a positive amount is what the kommune pays, a negative one what it receives. The
contribution and the adjustment keep the sign of their allocation; a payout allocation is a
surplus paid out when positive (the kommune receives) and a deficit charged when negative.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from kkr_desktop.core.allocation import Allocation, AllocationKind

# The order of the parts on the letter, the CSV and the e-invoice.
KIND_ORDER = (AllocationKind.CONTRIBUTION, AllocationKind.ADJUSTMENT, AllocationKind.PAYOUT)


def signed(kind: AllocationKind, amount: int) -> int:
    """An allocation row's amount as the kommune sees it: + it pays, − it receives."""
    return -amount if kind is AllocationKind.PAYOUT else amount


def part_text(kind: AllocationKind, year: int, amount: int) -> str:
    """What one part is called, by its kind and the sign of what the kommune pays."""
    if kind is AllocationKind.CONTRIBUTION:
        return f"Bidrag {year}"
    if kind is AllocationKind.ADJUSTMENT:
        return f"Efterregulering af bidrag {year}"
    if amount > 0:
        return f"Opkrævning af underskud {year - 1}"
    return f"Udbetaling af overskud {year - 1}"


@dataclass(frozen=True)
class Body:
    """One joint body of the KKR as billing sees it: its billed allocations of one year."""

    id: int
    name: str
    contact: str  # who the kommune asks: printed on the letter and put in the e-invoice
    seller_cvr: str  # the host kommune's CVR ('' when unknown)
    seller_name: str  # the host kommune's name ('' when none)
    allocations: Mapping[AllocationKind, Allocation]


@dataclass(frozen=True)
class BillPart:
    body_id: int
    body: str
    kind: AllocationKind
    text: str
    amount: int  # øre; + the kommune pays, − it receives


@dataclass(frozen=True)
class KommuneBill:
    kommunekode: int
    kommune: str
    year: int
    parts: tuple[BillPart, ...]

    @property
    def net(self) -> int:
        """What the kommune pays in all (negative: receives), in øre."""
        return sum(p.amount for p in self.parts)

    def body_net(self, body_id: int) -> int:
        return sum(p.amount for p in self.parts if p.body_id == body_id)

    def reference(self) -> str:
        """The payment reference of this bill: stable, so payments can be matched to it."""
        return reference_for(self.year, self.kommunekode)


def build_bills(year: int, bodies: list[Body]) -> list[KommuneBill]:
    """One bill per kommune that any body bills, in kommunekode order; parts in the order
    of `bodies`, then KIND_ORDER. A zero row is left out (nothing to pay or receive)."""
    names: dict[int, str] = {}
    parts: dict[int, list[BillPart]] = {}
    for body in bodies:
        for kind in KIND_ORDER:
            alloc = body.allocations.get(kind)
            if alloc is None:
                continue
            for row in alloc.rows:
                names.setdefault(row.kommunekode, row.kommune)
                amount = signed(kind, row.amount)
                if amount == 0:
                    continue
                parts.setdefault(row.kommunekode, []).append(BillPart(
                    body.id, body.name, kind, part_text(kind, year, amount), amount))
    return [KommuneBill(code, names[code], year, tuple(parts.get(code, ())))
            for code in sorted(names)]


def billed_total(bodies: list[Body]) -> int:
    """The sum of every billed allocation, signed as the kommuner see it: what the bills
    must add up to together."""
    return sum(signed(kind, alloc.total) for body in bodies
               for kind, alloc in body.allocations.items())


# --- payments ------------------------------------------------------------------------------

_REFERENCE = re.compile(r"KKR\s*(\d{4})\s*-\s*(\d{3})(?!\d)", re.IGNORECASE)


def reference_for(year: int, kommunekode: int) -> str:
    """The payment reference of a kommune's bill of `year` (as KommuneBill.reference)."""
    return f"KKR{year}-{kommunekode}"


def find_reference(text: str) -> tuple[int, int] | None:
    """(year, kommunekode) of the first bill reference in a bank text, or None. Banks cut,
    upper-case and space the text they pass on («kkr2024 - 851»), so those are read too."""
    m = _REFERENCE.search(text)
    return (int(m[1]), int(m[2])) if m else None


@dataclass(frozen=True)
class Payment:
    """One recorded payment: + the kommune paid, − it received (as a bill's net)."""

    id: int
    year: int
    kommunekode: int
    paid_on: date
    amount: int  # øre
    source: str
    reverses: int | None = None

    def key(self) -> tuple[date, int, str]:
        """What makes a bank entry the same entry again: its day, amount and reference."""
        return (self.paid_on, self.amount, reference_for(self.year, self.kommunekode))


@dataclass(frozen=True)
class Balance:
    """A kommune's bill against what it has paid: the open amount is what is still to be
    paid (negative: still to be paid out to the kommune)."""

    kommunekode: int
    kommune: str
    billed: int
    paid: int

    @property
    def open(self) -> int:
        return self.billed - self.paid


def balances(bills: list[KommuneBill], payments: list[Payment]) -> list[Balance]:
    """Each bill's balance, in the bills' order; a payment to a kommune without a bill is
    kept too (a row with nothing billed), so no money recorded disappears from view."""
    paid: dict[int, int] = {}
    for p in payments:
        paid[p.kommunekode] = paid.get(p.kommunekode, 0) + p.amount
    out = [Balance(b.kommunekode, b.kommune, b.net, paid.pop(b.kommunekode, 0))
           for b in bills]
    out += [Balance(code, "", 0, amount) for code, amount in sorted(paid.items())]
    return out
