"""Opret budget N+1: a new budget year from year N (core.budget), stored in one transaction."""

from __future__ import annotations

from kkr_desktop.core.budget import NextBudget, next_budget
from kkr_desktop.core.errors import InputError
from kkr_desktop.core.indexation import index_contribution
from kkr_desktop.core.money import format_amount
from kkr_desktop.core.statement import Role
from kkr_desktop.services import locks
from kkr_desktop.services.statements import check_editable, require_lines
from kkr_desktop.store import rates
from kkr_desktop.store import statements as lines_store
from kkr_desktop.store.db import Store
from kkr_desktop.store.secretariats import Secretariat


def plan_next_budget(store: Store, secretariat: Secretariat, year: int) -> NextBudget:
    """What "Opret budget year+1" would store, without storing it."""
    lines = require_lines(store, secretariat, year)
    if lines_store.year_lines(store, secretariat.id, year + 1):
        raise InputError(f"{secretariat.name} har allerede poster for {year + 1}.")
    rate = rates.get(store, year + 1)
    if rate is None or rate.expected is None:
        raise InputError(f"Den forventede PL-sats for {year}→{year + 1} er ikke registreret. "
                         "Angiv den under PL-satser.")
    return next_budget(year, lines, rate.expected, unit_ore=secretariat.unit_ore,
                       final_amount=_charged_with_final_rate(store, secretariat, year))


def create_next_budget(store: Store, secretariat: Secretariat, year: int) -> NextBudget:
    """Store budget year+1 (same lines, indexed contribution, balancing carry-over)."""
    # Planned inside the write transaction: another officer's budget year+1, made or
    # edited since a plan read outside it, would be written over.
    with store.transaction(), locks.guard(store, secretariat.id, year + 1):
        plan = plan_next_budget(store, secretariat, year)
        check_editable(store, secretariat.id, plan.year)
        lines_store.replace_year(store, secretariat.id, plan.year, plan.lines)
    return plan


def remove_budget_year(store: Store, secretariat: Secretariat, year: int) -> None:
    """Undo of create_next_budget: remove a budget year that has no regnskab yet."""
    with store.transaction(), locks.guard(store, secretariat.id, year):
        lines = lines_store.year_lines(store, secretariat.id, year)
        if any(ln.actual is not None for ln in lines):
            raise InputError(f"{year} har regnskabstal og kan ikke fjernes som et nyt budget.")
        check_editable(store, secretariat.id, year)
        lines_store.replace_year(store, secretariat.id, year, [])


def describe(plan: NextBudget) -> str:
    """A Danish one-line summary for the status bar."""
    return (f"Budget {plan.year} oprettet: bidrag {format_amount(plan.contribution)} kr. "
            f"({format_amount(plan.charged_base)} kr. fremskrevet), overført overskud "
            f"{format_amount(plan.carried_over)} kr.")


def _charged_with_final_rate(store: Store, secretariat: Secretariat, year: int) -> int | None:
    """Year's contribution recomputed with the final rate, when regnskab year is not known."""
    rate = rates.get(store, year)
    if rate is None or rate.final is None:
        return None
    prev = lines_store.year_lines(store, secretariat.id, year - 1)
    charged = [ln.actual for ln in prev if ln.role is Role.CONTRIBUTION]
    if not charged or any(a is None for a in charged):
        return None
    # What billing charged: rounded to the billing unit, not the budget's.
    return index_contribution(sum(a for a in charged if a is not None), rate.final,
                              secretariat.billing_unit_ore)
