"""PL indexation: contribution(N) = contribution charged (N−1) × (1 + PL(N−1→N))."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class PLRate:
    """The PL rate from year N−1 to `year` (N), in percent."""

    year: int
    expected: Decimal | None = None
    final: Decimal | None = None
    source: str = ""


def index_contribution(charged_prev_ore: int, rate_percent: Decimal, unit_ore: int = 1) -> int:
    """Index an amount with a rate, rounded to the unit (half away from zero)."""
    exact = Decimal(charged_prev_ore) * (1 + rate_percent / 100)
    units = (exact / unit_ore).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(units) * unit_ore


def adjustment(charged_prev_ore: int, budget_contribution_ore: int, final_percent: Decimal,
               unit_ore: int = 1) -> int:
    """Efterregulering: what the final rate gives less what the budget charged."""
    return index_contribution(charged_prev_ore, final_percent, unit_ore) - budget_contribution_ore
