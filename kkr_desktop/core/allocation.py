"""Splitting an amount over kommuner so that the parts add up exactly to the whole.

Largest-remainder (Hamilton) method in whole units: every kommune gets the floor of its
exact quota, and the units left over go one by one to the largest remainders, ties broken
by the lower kommunekode. A negative total (a deficit charged extra, a credit) is split as
its absolute value and negated, so the rule is symmetric.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from kkr_desktop.core.errors import InputError
from kkr_desktop.core.money import format_amount


class Unit(StrEnum):
    ORE = "ore"
    KR = "kr"
    TKR = "tkr"

    @property
    def ore(self) -> int:
        return {Unit.ORE: 1, Unit.KR: 100, Unit.TKR: 100_000}[self]

    @property
    def label(self) -> str:
        return {Unit.ORE: "øre", Unit.KR: "hele kroner", Unit.TKR: "1.000 kr."}[self]


class AllocationKind(StrEnum):
    CONTRIBUTION = "contribution"
    PAYOUT = "payout"
    ADJUSTMENT = "adjustment"

    @property
    def label(self) -> str:
        return {AllocationKind.CONTRIBUTION: "Opkrævning af bidrag",
                AllocationKind.PAYOUT: "Udbetaling af overskud",
                AllocationKind.ADJUSTMENT: "Efterregulering"}[self]


class KeyKind(StrEnum):
    POPULATION = "population"
    EQUAL = "equal"
    FIXED = "fixed"

    @property
    def label(self) -> str:
        return {KeyKind.POPULATION: "Folketal", KeyKind.EQUAL: "Ligelig fordeling",
                KeyKind.FIXED: "Faste andele"}[self]


@dataclass(frozen=True)
class AllocationRow:
    kommunekode: int
    kommune: str
    weight: Decimal  # population, 1 for an equal split, or the agreed share
    share: Fraction
    amount: int  # øre


@dataclass(frozen=True)
class Allocation:
    kind: AllocationKind
    total: int
    unit: Unit
    key_kind: KeyKind
    quarter: str | None
    rows: tuple[AllocationRow, ...]

    def title(self, year: int) -> str:
        """What this allocation is, for statement `year`, worded by its sign: a payout of a
        negative result is a deficit charged, and it is the result of regnskab `year`−1."""
        if self.kind is AllocationKind.CONTRIBUTION:
            return f"Opkrævning af bidrag {year}"
        if self.kind is AllocationKind.PAYOUT:
            return (f"Udbetaling af overskud {year - 1}" if self.total >= 0
                    else f"Opkrævning af underskud {year - 1}")
        return (f"Efterregulering af bidrag {year}" if self.total >= 0
                else f"Efterregulering af bidrag {year} (tilbagebetaling)")

    @property
    def population_total(self) -> Decimal:
        return sum((r.weight for r in self.rows), Decimal(0))


def _integer_weights(weights: Mapping[int, Decimal | int]) -> dict[int, int]:
    """The weights as integers in the same proportions (decimals scaled by a power of ten),
    so the split is exact integer arithmetic."""
    if not weights:
        raise InputError("Der er ingen kommuner at fordele beløbet på.")
    dec = {code: Decimal(w) for code, w in weights.items()}
    if any(not d.is_finite() or d < 0 for d in dec.values()):
        raise InputError("En fordelingsnøgle kan ikke have negative vægte.")
    scale = max(0, -min(int(d.as_tuple().exponent) for d in dec.values()))
    ints = {code: int(d.scaleb(scale)) for code, d in dec.items()}
    if sum(ints.values()) == 0:
        raise InputError("Fordelingsnøglens vægte summer til 0; beløbet kan ikke fordeles.")
    return ints


def split(total_ore: int, weights: Mapping[int, Decimal | int], unit: Unit = Unit.ORE
          ) -> dict[int, int]:
    """Split `total_ore` by `weights` (kommunekode -> weight) in multiples of `unit`."""
    return _split(total_ore, _integer_weights(weights), unit)


def _split(total_ore: int, ints: dict[int, int], unit: Unit) -> dict[int, int]:
    if total_ore % unit.ore:
        raise InputError(
            f"Beløbet {format_amount(total_ore, decimals=True)} kr. kan ikke fordeles i "
            f"{unit.label}: det går ikke op. Vælg en mindre enhed (fx øre).")
    sign = -1 if total_ore < 0 else 1
    units = abs(total_ore) // unit.ore
    weight_sum = sum(ints.values())
    floors: dict[int, int] = {}
    remainders: list[tuple[int, int]] = []
    for code, w in ints.items():
        # every quota has the denominator weight_sum, so remainders compare as integers
        floors[code], rest = divmod(units * w, weight_sum)
        remainders.append((-rest, code))
    left = units - sum(floors.values())
    remainders.sort()
    for _, code in remainders[:left]:
        floors[code] += 1
    return {code: sign * n * unit.ore for code, n in sorted(floors.items())}


def allocate(kind: AllocationKind, total_ore: int, weights: Mapping[int, Decimal | int],
             names: Mapping[int, str], *, unit: Unit = Unit.ORE,
             key_kind: KeyKind = KeyKind.POPULATION, quarter: str | None = None
             ) -> Allocation:
    """An allocation with one row per kommune, in the order of `weights`."""
    ints = _integer_weights(weights)
    amounts = _split(total_ore, ints, unit)
    weight_sum = sum(ints.values())
    rows = tuple(
        AllocationRow(code, names.get(code, str(code)), Decimal(weights[code]),
                      Fraction(ints[code], weight_sum), amounts[code])
        for code in weights
    )
    return Allocation(kind, total_ore, unit, key_kind, quarter, rows)


def equal_weights(codes: list[int]) -> dict[int, Decimal]:
    return {code: Decimal(1) for code in codes}


def share_text(share: Fraction, digits: int = 10) -> str:
    """A share as a decimal string with a dot ("0.0343201234")."""
    q = Decimal(share.numerator) / Decimal(share.denominator)
    return f"{q:.{digits}f}"


def format_share(share: Fraction) -> str:
    """A share as a Danish percentage with two decimals (``3,43 %``)."""
    from decimal import ROUND_HALF_UP

    pct = (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{pct:.2f}".replace(".", ",") + " %"
