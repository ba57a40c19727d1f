"""Approval freezes statement N in the database itself; "Ny revision" opens a new draft."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.core.approval import ApprovalFacts, Signatory, from_canonical
from kkr_desktop.core.errors import InputError, LockedError, NotFoundError
from kkr_desktop.core.statement import Kind, YearLine
from kkr_desktop.services import approval, statements
from kkr_desktop.store import allocations, audit

FACTS = ApprovalFacts(
    "KKR Nordjylland", date(2024, 3, 12), "2.4",
    (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),
     Signatory("Mogens Gade", "Næstformand for KKR Nordjylland")))


@pytest.fixture
def approved(demo_store, demo_secretariat):
    return approval.approve(demo_store, demo_secretariat, 2024, FACTS)


def test_approve_records_the_facts_and_a_hash(demo_store, demo_secretariat, approved):
    a = approval.approval_for(demo_store, demo_secretariat.id, 2024)
    assert a is not None
    assert (a.body, a.meeting_date, a.case, a.revision) == \
        ("KKR Nordjylland", date(2024, 3, 12), "2.4", 1)
    assert a.signatories == [("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),
                             ("Mogens Gade", "Næstformand for KKR Nordjylland")]
    assert len(a.document_id) == 8 and a.sha256.startswith(a.document_id)
    # the demo's key is 2020K1, not 2023K1: approval warns about the fallback too
    assert [w.code for w in approved.warnings] == ["budget_unbalanced", "key_quarter_fallback"]
    assert approval.approval_for(demo_store, demo_secretariat.id, 2023) is None


def test_approval_stores_the_contribution_key_it_shows(demo_store, demo_secretariat, approved):
    stored = allocations.latest(demo_store, demo_secretariat.id, 2024,
                                AllocationKind.CONTRIBUTION)
    assert stored is not None and stored.allocation.total == 1_771_663_00
    content, _facts, _rev = from_canonical(approved.approval.content)
    assert content.allocations == (stored.allocation,)


def test_plain_sql_cannot_change_frozen_lines(demo_store, demo_secretariat, approved):
    conn = demo_store.conn
    sid = demo_secretariat.id
    for sql in ("UPDATE statement_line SET actual = 1 WHERE year = 2023 AND name = 'Løn'",
                "UPDATE statement_line SET budget = 1 WHERE year = 2023 AND name = 'Løn'",
                "UPDATE statement_line SET budget = 1 WHERE year = 2024 AND name = 'Løn'",
                "UPDATE statement_line SET name = 'x' WHERE year = 2024 AND name = 'Løn'",
                "DELETE FROM statement_line WHERE year = 2024 AND name = 'Løn'",
                "DELETE FROM statement_line WHERE year = 2023",
                "INSERT INTO statement_line (secretariat_id, year, position, name, kind, budget)"
                f" VALUES ({sid}, 2024, 99, 'Ny', 'udgift', 100)",
                "INSERT INTO statement_line (secretariat_id, year, position, name, kind, actual)"
                f" VALUES ({sid}, 2023, 99, 'Ny', 'udgift', 100)"):
        with pytest.raises(sqlite3.IntegrityError, match="^Låst"):
            conn.execute(sql)
    # regnskab 2024 is entered a year later: it stays open
    conn.execute("UPDATE statement_line SET actual = 500 WHERE year = 2024 AND name = 'Løn'")


def test_plain_sql_cannot_change_the_approval_or_its_key(demo_store, approved):
    conn = demo_store.conn
    aid = approved.approval.id
    for sql in (f"UPDATE approval SET body = 'x' WHERE id = {aid}",
                f"DELETE FROM approval WHERE id = {aid}",
                f"UPDATE approval_signatory SET name = 'x' WHERE approval_id = {aid}",
                "UPDATE allocation_row SET amount = amount + 100",
                "DELETE FROM allocation"):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(sql)


def test_services_refuse_with_a_message_naming_the_approval(demo_store, demo_secretariat,
                                                             approved):
    sid = demo_secretariat.id
    with pytest.raises(LockedError, match=r"godkendt af KKR Nordjylland den 12\. marts 2024 "
                                          r"\(punkt 2\.4, revision 1\)"):
        statements.set_line_field(demo_store, sid, 2024, "Løn", "budget", 1)
    with pytest.raises(LockedError, match="Ny revision"):
        statements.set_line_field(demo_store, sid, 2023, "Løn", "actual", 1)
    with pytest.raises(LockedError):
        statements.remove_line(demo_store, sid, 2024, "Løn")  # refused by the trigger
    with pytest.raises(LockedError):
        statements.add_line(demo_store, sid, 2024, YearLine("Ny", Kind.EXPENSE, budget=100))
    statements.set_line_field(demo_store, sid, 2024, "Løn", "actual", 1_500_000_00)


def test_import_of_a_frozen_year_is_refused_whole(demo_store, demo_secretariat, approved,
                                                   data_dir, tmp_path):
    text = (data_dir / "sundhedssekretariat.csv").read_text(encoding="utf-8")
    changed = tmp_path / "changed.csv"
    changed.write_text(text.replace(";1.509.563;", ";1.509.564;"), encoding="utf-8")
    with pytest.raises(LockedError):
        statements.import_statement(demo_store, changed)
    lines = statements.load_statement(demo_store, demo_secretariat, 2024).statement.lines
    assert next(ln for ln in lines if ln.name == "Løn").budget == 1_509_563_00


def test_approving_twice_is_refused(demo_store, demo_secretariat, approved):
    with pytest.raises(LockedError, match="allerede godkendt"):
        approval.approve(demo_store, demo_secretariat, 2024, FACTS)


def test_bad_facts_are_refused_and_nothing_is_stored(demo_store, demo_secretariat):
    with pytest.raises(InputError, match="dagsordenspunktet"):
        approval.approve(demo_store, demo_secretariat, 2024,
                         ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), " "))
    assert approval.approval_for(demo_store, demo_secretariat.id, 2024) is None
    assert allocations.for_secretariat(demo_store, demo_secretariat.id) == []


def test_new_revision_opens_a_draft_and_keeps_the_approved_one(demo_store, demo_secretariat,
                                                                approved):
    sid = demo_secretariat.id
    assert approval.new_revision(demo_store, demo_secretariat, 2024,
                                 "Lønnen var bogført dobbelt") == 2
    assert approval.approval_for(demo_store, sid, 2024) is None
    assert approval.current_revision(demo_store, sid, 2024) == 2
    statements.set_line_field(demo_store, sid, 2024, "Løn", "budget", 1_509_564_00)
    history = approval.approval_history(demo_store, sid, 2024)
    assert [(a.revision, a.in_force) for a in history] == [(1, False)]
    content, _, _ = from_canonical(history[0].content)
    assert next(ln for ln in content.statement.lines if ln.name == "Løn").budget == \
        1_509_563_00
    second = approval.approve(demo_store, demo_secretariat, 2024, FACTS).approval
    assert second.revision == 2 and second.sha256 != approved.approval.sha256
    tables = {(e.table, e.action) for e in audit.entries(demo_store, secretariat_id=sid,
                                                         year=2024)}
    assert {("approval", "insert"), ("approval", "update")} <= tables


def test_new_revision_of_a_draft_is_refused(demo_store, demo_secretariat):
    with pytest.raises(InputError, match="ikke godkendt"):
        approval.new_revision(demo_store, demo_secretariat, 2024, "Lønnen var bogført dobbelt")


def test_unknown_revision_is_named(demo_store, demo_secretariat, approved):
    with pytest.raises(NotFoundError, match="ingen revision 7. Godkendte revisioner: 1"):
        approval.require_revision(demo_store, demo_secretariat, 2024, 7)


def test_a_draft_prints_without_population_but_approval_needs_the_key(demo_store,
                                                                      demo_secretariat):
    from kkr_desktop.services.report import build_document

    demo_store.conn.execute("DELETE FROM population")
    doc = build_document(demo_store, demo_secretariat, 2024)
    assert doc.content.allocations == () and not doc.approved
    with pytest.raises(InputError, match="Folketal"):
        approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    assert approval.approval_for(demo_store, demo_secretariat.id, 2024) is None
