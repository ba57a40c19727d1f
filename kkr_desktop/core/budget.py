"""A new budget year N+1 from year N: the same lines, the contribution indexed, balanced."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kkr_desktop.core.errors import InputError
from kkr_desktop.core.indexation import index_contribution
from kkr_desktop.core.statement import Kind, Role, YearLine

CARRIED_OVER_NAME = "Overført overskud"


@dataclass(frozen=True)
class NextBudget:
    year: int
    lines: list[YearLine]
    charged_base: int  # the contribution of year N that was indexed (øre)
    contribution: int  # budget N+1's contribution (øre)
    carried_over: int  # suggested so that the budget balances (øre)


def charged_contribution(lines: list[YearLine], final_amount: int | None = None) -> int | None:
    """What year N's contribution actually came to: regnskab N if known, else `final_amount`
    (budget N recomputed with the final rate), else budget N."""
    role = [ln for ln in lines if ln.role is Role.CONTRIBUTION]
    if not role:
        return None
    actuals = [ln.actual for ln in role]
    if all(a is not None for a in actuals):
        return sum(a for a in actuals if a is not None)
    if final_amount is not None:
        return final_amount
    budgets = [ln.budget for ln in role if ln.budget is not None]
    return sum(budgets) if budgets else None


def next_budget(year: int, lines: list[YearLine], expected_rate: Decimal, *,
                unit_ore: int = 100, final_amount: int | None = None) -> NextBudget:
    """Budget `year`+1 from the lines of `year`.

    Every line keeps its name, kind and role, and its budget N as budget N+1; the
    contribution is what year N charged, indexed with the expected PL rate N→N+1 and rounded
    to the unit; the carried-over surplus is set so that income equals expenses (a line
    "Overført overskud" is added when the budget has none), with a footnote saying it is a
    suggestion, but never below 0. Other notes and the actuals start empty.
    """
    if not lines:
        raise InputError(f"Der er ingen poster i {year} at oprette budget {year + 1} ud fra.")
    base = charged_contribution(lines, final_amount)
    if base is None:
        raise InputError(f"Budget {year} har intet bidrag (en linje med rollen «bidrag»), "
                         f"så bidraget for {year + 1} kan ikke fremskrives.")
    contribution = index_contribution(base, expected_rate, unit_ore)
    role_lines = [ln for ln in lines if ln.role is Role.CONTRIBUTION]
    out: list[YearLine] = []
    for ln in lines:
        budget = ln.budget
        if ln.role is Role.CONTRIBUTION:
            # One contribution line takes the whole indexed amount; others (rare) are zeroed.
            budget = contribution if ln is role_lines[0] else 0
        out.append(YearLine(ln.name, ln.kind, ln.role, budget, None))
    if not any(ln.role is Role.CARRIED_OVER for ln in out):
        after = next(i for i, ln in enumerate(out) if ln.role is Role.CONTRIBUTION)
        out.insert(after + 1,
                   YearLine(_free_name(out), Kind.INCOME, Role.CARRIED_OVER, 0, None))
    expenses = sum(ln.budget or 0 for ln in out if ln.kind is Kind.EXPENSE)
    other_income = sum(ln.budget or 0 for ln in out
                       if ln.kind is Kind.INCOME and ln.role is not Role.CARRIED_OVER)
    # Never a negative suggestion: a deficit to carry over is only known from regnskab
    # `year`. When the indexed contribution alone exceeds the expenses, the carry-over is 0
    # and the budget shows its surplus (the balance warning says so).
    carried = max(0, expenses - other_income)
    carried_lines = [ln for ln in out if ln.role is Role.CARRIED_OVER]
    # The carry-over is the program's suggestion, not a decision: its footnote says so, and
    # the footnote can be edited or removed like any other.
    note = (f"Foreslået af programmet, så budget {year + 1} balancerer. Ret beløbet, når "
            f"resultatet af regnskab {year} kendes." if carried else "")
    out = [YearLine(ln.name, ln.kind, ln.role,
                    (carried if ln is carried_lines[0] else 0), None,
                    note if ln is carried_lines[0] else "")
           if ln.role is Role.CARRIED_OVER else ln for ln in out]
    return NextBudget(year + 1, out, base, contribution, carried)


def _free_name(lines: list[YearLine]) -> str:
    names = {ln.name for ln in lines}
    if CARRIED_OVER_NAME not in names:
        return CARRIED_OVER_NAME
    n = 2
    while f"{CARRIED_OVER_NAME} {n}" in names:
        n += 1
    return f"{CARRIED_OVER_NAME} {n}"
