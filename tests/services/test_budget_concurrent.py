"""«Opret budget N+1» and its undo, with another officer on the same database.

The other officer commits at the first moment the code lets another writer in: between the
check and the write when the check is outside the write transaction (as it was), otherwise
after. Either way nothing the other officer saved may be written over or removed. Runs on
SQLite and on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kkr_desktop.core.errors import KkrError
from kkr_desktop.services import budget, statements
from kkr_desktop.services.rates import set_pl_rate
from kkr_desktop.store import rates
from kkr_desktop.store import statements as lines_store
from kkr_desktop.store.db import open_store


@pytest.fixture
def other(demo_store, store_target):
    set_pl_rate(demo_store, 2025, expected=Decimal("3.9"))
    s = open_store(store_target)
    s.user = "lene"
    yield s
    s.close()


def _husleje(store, sid: int, year: int):
    return next((ln for ln in lines_store.year_lines(store, sid, year) if ln.name == "Husleje"),
                None)


def _between(monkeypatch, module, name, store, action) -> list:
    """Run `action` once, at the first call of module.name by `store` outside a transaction."""
    done: list = []
    original = getattr(module, name)

    def hook(*args, **kwargs):
        found = original(*args, **kwargs)
        if args[0] is store and not done and not store.conn.in_transaction:
            done.append(action())
        return found

    monkeypatch.setattr(module, name, hook)
    return done


def test_next_budget_made_twice_at_once_keeps_the_first_officers_edit(
        demo_store, demo_secretariat, other, monkeypatch):
    sid = demo_secretariat.id

    def lene_makes_2025_and_edits_it():
        try:
            budget.create_next_budget(other, demo_secretariat, 2024)
        except KkrError:
            pass  # already made: she edits the one there
        statements.set_line_field(other, sid, 2025, "Husleje", "budget", 50_000_00)
        return True

    done = _between(monkeypatch, rates, "get", demo_store, lene_makes_2025_and_edits_it)
    try:
        budget.create_next_budget(demo_store, demo_secretariat, 2024)
        mine = "made"
    except KkrError as exc:
        assert str(exc) == f"{demo_secretariat.name} har allerede poster for 2025."
        mine = "refused"
    between = bool(done)
    if not between:
        lene_makes_2025_and_edits_it()
    monkeypatch.undo()
    assert _husleje(demo_store, sid, 2025).budget == 50_000_00
    assert mine == ("refused" if between else "made")


def test_removing_a_new_budget_year_never_removes_an_amount_typed_meanwhile(
        demo_store, demo_secretariat, other, monkeypatch):
    sid = demo_secretariat.id
    budget.create_next_budget(demo_store, demo_secretariat, 2024)

    def lene_types_an_actual():
        try:
            statements.set_line_field(other, sid, 2025, "Husleje", "actual", 12_345_00)
        except KkrError:
            return False  # the year was removed first: nothing of hers was saved
        return True

    done = _between(monkeypatch, lines_store, "year_lines", demo_store, lene_types_an_actual)
    try:
        budget.remove_budget_year(demo_store, demo_secretariat, 2025)
    except KkrError as exc:
        assert str(exc) == "2025 har regnskabstal og kan ikke fjernes som et nyt budget."
    if not done:
        done.append(lene_types_an_actual())
    monkeypatch.undo()
    if done == [True]:  # her amount was saved: it is still there
        assert _husleje(demo_store, sid, 2025).actual == 12_345_00
