"""Which years removing, moving or renaming a post touches when an approval fixes one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.errors import LockedError
from kkr_desktop.core.statement import Kind, YearLine
from kkr_desktop.services import approval, budget, locks, statements
from kkr_desktop.services.rates import set_pl_rate
from kkr_desktop.store import statements as lines_store

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))
APPROVED = "budget 2024 er godkendt af KKR Nordjylland den 12. marts 2024 (punkt 2.4, revision 1)"


@pytest.fixture
def year_2025(demo_store, demo_secretariat):
    """Statement 2024 approved, then budget 2025 made from it."""
    approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    set_pl_rate(demo_store, 2025, expected=Decimal("3.9"))
    budget.create_next_budget(demo_store, demo_secretariat, 2024)
    return demo_store, demo_secretariat.id


def names(store, sid, year):
    return [ln.name for ln in lines_store.year_lines(store, sid, year)]


def test_year_lock_says_what_is_fixed(year_2025):
    store, sid = year_2025
    assert locks.year_lock(store, sid, 2025).free
    lock = locks.year_lock(store, sid, 2024)
    assert lock.whole is None and lock.budget is not None and lock.why() == APPROVED
    assert locks.year_lock(store, sid, 2023).why().startswith(
        "budget og regnskab 2023 er godkendt af KKR Nordjylland den 12. marts 2024")


def test_removal_leaves_the_approved_year_and_can_be_undone_at_its_place(year_2025):
    store, sid = year_2025
    before = names(store, sid, 2025)
    change = statements.removal(store, sid, 2025, "Husleje")
    assert change.years == [2025]
    (year, line, position), = change.steps
    assert (year, line.budget, position) == (2025, 3_761_800, before.index("Husleje"))
    assert change.kept == ((2024, APPROVED),)
    statements.remove_line(store, sid, 2025, "Husleje")  # allowed: budget 2025 is open
    assert "Husleje" not in names(store, sid, 2025) and "Husleje" in names(store, sid, 2024)
    statements.add_line(store, sid, 2025, line, position)
    assert names(store, sid, 2025) == before

    # Now only in the approved year: nothing open would change, so it is refused.
    statements.remove_line(store, sid, 2025, "Husleje")
    with pytest.raises(LockedError) as err:
        statements.removal(store, sid, 2025, "Husleje")
    assert err.value.message == (
        f"«Husleje» kan ikke slettes: posten indgår i 2024, og {APPROVED}. Posten er ikke "
        "med i budget 2025; den vises her kun med tallene for 2024 og kommer ikke med i "
        "opgørelsen for 2026. Vælg «Ny revision…» af den godkendte opgørelse for at ændre "
        "den.")


def test_a_post_without_budget_in_the_approved_year_goes_from_it_too(year_2025):
    """The regnskab of 2024 is open: a post that only has a regnskab there may go."""
    store, sid = year_2025
    statements.add_line(store, sid, 2024, YearLine("Konsulent", Kind.EXPENSE, actual=500_00))
    statements.add_line(store, sid, 2025, YearLine("Konsulent", Kind.EXPENSE))
    change = statements.removal(store, sid, 2025, "Konsulent")
    assert change.years == [2024, 2025] and change.kept == ()
    for year, line, _ in change.steps:
        statements.remove_line(store, sid, year, line.name)
    assert "Konsulent" not in names(store, sid, 2024) + names(store, sid, 2025)


def test_an_open_statement_removes_and_moves_in_both_years(demo_store, demo_secretariat):
    sid = demo_secretariat.id
    assert statements.removal(demo_store, sid, 2024, "Husleje").years == [2023, 2024]
    change = statements.move(demo_store, sid, 2024, "Husleje", -1)
    assert change.steps == ((2023, 2, 1), (2024, 2, 1)) and change.kept == ()


def test_an_approved_statement_refuses_removal_and_moves(demo_store, demo_secretariat):
    sid = demo_secretariat.id
    approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    with pytest.raises(LockedError, match="^«Husleje» kan ikke slettes: posten indgår i "
                                          "2023, og budget og regnskab 2023 er godkendt"):
        statements.removal(demo_store, sid, 2024, "Husleje")
    with pytest.raises(LockedError, match="kan ikke flyttes"):
        statements.move(demo_store, sid, 2024, "Husleje", 1)


def test_a_move_changes_the_open_order_only(year_2025):
    store, sid = year_2025
    change = statements.move(store, sid, 2025, "Løn", -1)
    assert change.steps == ((2025, 3, 2),) and change.kept == ((2024, APPROVED),)
    assert statements.move(store, sid, 2025, "Indkrævet hos kommunerne", -1).steps == ()


def test_name_kind_and_role_are_fixed_by_either_year(year_2025):
    store, sid = year_2025
    lines = statements.statement_lines(store, sid, 2025)
    year_locks = statements.statement_locks(store, sid, 2025)
    with pytest.raises(LockedError) as err:
        statements.check_post_field("Husleje", "name", 2025, lines, year_locks)
    assert err.value.message.startswith(
        f"«Husleje» kan ikke omdøbes: posten indgår i 2024, og {APPROVED}. Navnet binder")
    with pytest.raises(LockedError, match="kan ikke skifte art"):
        statements.check_post_field("Husleje", "kind", 2025, lines, year_locks)
    lines[2025].append(YearLine("Ny post", Kind.EXPENSE))  # only in budget 2025: free
    statements.check_post_field("Ny post", "name", 2025, lines, year_locks)
