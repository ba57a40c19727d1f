"""What happens to the result of regnskab N−1: carried over into budget N, the rest paid out."""

from __future__ import annotations

from dataclasses import dataclass

from kkr_desktop.core.statement import Column, Kind, Role, Statement


@dataclass(frozen=True)
class Disposition:
    result: int  # regnskab N−1: income − expenses (øre)
    carried_over: int  # into budget N
    payout: int  # to the kommuner; negative = a deficit charged extra

    @property
    def balancing(self) -> bool:
        return self.payout == self.result - self.carried_over


def balancing_carry_over(st: Statement) -> int:
    """The carried-over amount that makes budget N balance, given its other lines."""
    expenses = income_other = 0
    for line in st.lines:
        amount = line.budget or 0
        if line.kind is Kind.EXPENSE:
            expenses += amount
        elif line.role is not Role.CARRIED_OVER:
            income_other += amount
    return expenses - income_other


def dispose_surplus(st: Statement, carried_over: int | None = None) -> Disposition:
    """By default the amount carried over is what budget N's transfer line says, or, if
    the budget has none yet, what would balance it; the payout is the rest of the result."""
    result = st.totals(Column.ACTUAL_PREV).result
    if carried_over is None:
        carried_over = st.role_amount(Role.CARRIED_OVER, Column.BUDGET)
        if carried_over is None:
            carried_over = max(0, min(result, balancing_carry_over(st)))
    return Disposition(result, carried_over, result - carried_over)
