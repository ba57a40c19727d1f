"""Ways round the freeze that a review found, each closed in the database or the service."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from kkr_desktop.core.allocation import AllocationKind, KeyKind
from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.errors import LockedError
from kkr_desktop.services import allocation, approval, export

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))


@pytest.fixture
def approved(demo_store, demo_secretariat, db_path):
    approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    # plain SQL, as another tool would: no recursive_triggers, no services
    raw = sqlite3.connect(db_path, isolation_level=None)
    yield demo_store, demo_secretariat, raw
    raw.close()


def lines(raw, year):
    return raw.execute("SELECT name, budget, actual FROM statement_line WHERE year = ? "
                       "ORDER BY name", (year,)).fetchall()


@pytest.mark.sqlite_file
def test_a_line_cannot_be_moved_into_a_frozen_year(approved):
    store, sec, raw = approved
    raw.execute("INSERT INTO statement_line (secretariat_id, year, position, name, kind, actual) "
                "VALUES (?, 2030, 1, 'Smuglet', 'udgift', 5000000)", (sec.id,))
    before = lines(raw, 2023)
    with pytest.raises(sqlite3.IntegrityError, match="Låst"):
        raw.execute("UPDATE statement_line SET year = 2023 WHERE name = 'Smuglet'")
    with pytest.raises(sqlite3.IntegrityError, match="Låst"):
        raw.execute("UPDATE statement_line SET year = 2024, budget = 1 WHERE name = 'Smuglet'")
    assert lines(raw, 2023) == before


@pytest.mark.sqlite_file
def test_insert_or_replace_cannot_overwrite_a_frozen_line(approved):
    store, sec, raw = approved
    before = lines(raw, 2024), lines(raw, 2023)
    with pytest.raises(sqlite3.IntegrityError, match="Låst"):
        raw.execute("INSERT OR REPLACE INTO statement_line (secretariat_id, year, position, "
                    "name, kind) VALUES (?, 2024, 4, 'Løn', 'udgift')", (sec.id,))
    frozen_id = raw.execute("SELECT id FROM statement_line WHERE year = 2023 LIMIT 1").fetchone()
    with pytest.raises(sqlite3.IntegrityError, match="Låst"):
        raw.execute("INSERT OR REPLACE INTO statement_line (id, secretariat_id, year, position, "
                    "name, kind) VALUES (?, ?, 2031, 1, 'X', 'udgift')", (frozen_id[0], sec.id))
    assert (lines(raw, 2024), lines(raw, 2023)) == before


@pytest.mark.sqlite_file
def test_no_other_key_can_be_saved_for_an_approved_year(approved):
    store, sec, raw = approved
    equal = allocation.compute(store, sec, 2024, key_kind=KeyKind.EQUAL).allocation
    with pytest.raises(LockedError, match="Ny revision"):
        allocation.save(store, sec, 2024, equal)
    with pytest.raises(sqlite3.IntegrityError, match="Låst"):
        raw.execute("INSERT INTO allocation (secretariat_id, year, kind, total, unit, key_kind, "
                    "created_at, created_by) VALUES (?, 2024, 'contribution', 100, 'ore', "
                    "'equal', '', '')", (sec.id,))
    # billing uses the approved population key
    stored = export.stored_allocation(store, sec, 2024, AllocationKind.CONTRIBUTION)
    assert stored.allocation.key_kind is KeyKind.POPULATION
    # after "Ny revision" another key may be saved (and approved again)
    approval.new_revision(store, sec, 2024, "Lønnen var bogført dobbelt")
    allocation.save(store, sec, 2024, equal)


def test_a_saved_payout_the_statement_no_longer_implies_is_not_approved(demo_store,
                                                                         demo_secretariat):
    """Found in review: the payout was saved (324.092,47), then regnskab 2023 corrected by
    10.000 kr.; approval froze the old payout and the export paid it out unchecked."""
    from kkr_desktop.core.allocation import AllocationKind
    from kkr_desktop.core.errors import InputError
    from kkr_desktop.services import statements
    from kkr_desktop.store import approvals
    from kkr_desktop.store import statements as lines_store

    s, sec = demo_store, demo_secretariat
    saved = allocation.compute(s, sec, 2024, kind=AllocationKind.PAYOUT).allocation
    allocation.save(s, sec, 2024, saved)
    husleje = next(ln for ln in lines_store.year_lines(s, sec.id, 2023) if ln.name == "Husleje")
    statements.set_line_field(s, sec.id, 2023, "Husleje", "actual", husleje.actual + 1_000_000)
    with pytest.raises(InputError) as err:
        approval.approve(s, sec, 2024, FACTS)
    assert "(324.092,47 kr.)" in err.value.message and "(314.092,47 kr.)" in err.value.message
    assert "Gem udbetalingen igen" in err.value.message
    assert approvals.in_force(s, sec.id, 2024) is None
    # The draft document still shows it, with the difference said.
    _, notices = approval.document_allocations(s, sec, 2024, strict=False)
    assert any("(314.092,47 kr.)" in n for n in notices)
    # Saved again, it is approved.
    allocation.save(s, sec, 2024, allocation.compute(s, sec, 2024,
                                                     kind=AllocationKind.PAYOUT).allocation)
    approval.approve(s, sec, 2024, FACTS)
    assert approvals.in_force(s, sec.id, 2024) is not None
