"""A footnote on the «Overskud/underskud» row: kept, audited, frozen by an approval as the
lines' notes are, in the approval's snapshot, and checked by verification."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from datetime import date

import pytest

from kkr_desktop.core.approval import (
    ApprovalFacts,
    Signatory,
    canonical_json,
    content_hash,
    from_canonical,
)
from kkr_desktop.core.errors import LockedError
from kkr_desktop.core.statement import Column
from kkr_desktop.services import approval, verify
from kkr_desktop.services.result_notes import set_result_note
from kkr_desktop.services.statements import load_statement
from kkr_desktop.store import audit

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))
NOTE = "Overskuddet udbetales til kommunerne efter folketal pr. 1. januar 2023."


def _notes(store, sec, year=2024):
    return dict(load_statement(store, sec, year).statement.result_notes)


def test_set_change_and_remove_a_result_note(demo_store, demo_secretariat):
    sid = demo_secretariat.id
    set_result_note(demo_store, sid, 2024, Column.ACTUAL_PREV, f"  {NOTE}  ")
    assert _notes(demo_store, demo_secretariat) == {Column.ACTUAL_PREV: NOTE}
    # stored on year 2023's regnskab: statement 2025 shows nothing of it (it shows 2024)
    set_result_note(demo_store, sid, 2024, Column.BUDGET, "Budgettet balancerer ikke.")
    assert _notes(demo_store, demo_secretariat, 2025) == {
        Column.BUDGET_PREV: "Budgettet balancerer ikke."}
    set_result_note(demo_store, sid, 2024, Column.ACTUAL_PREV, "Ny tekst")
    set_result_note(demo_store, sid, 2024, Column.ACTUAL_PREV, "")
    assert _notes(demo_store, demo_secretariat) == {Column.BUDGET: "Budgettet balancerer ikke."}
    logged = [(e.action, e.key) for e in audit.entries(demo_store, secretariat_id=sid)
              if e.table == "result_note"]
    assert logged[::-1] == [("insert", f"{sid},2023,actual"), ("insert", f"{sid},2024,budget"),
                            ("update", f"{sid},2023,actual"), ("delete", f"{sid},2023,actual")]


def test_approval_freezes_the_result_notes_as_the_lines_notes(demo_store, demo_secretariat):
    sid = demo_secretariat.id
    set_result_note(demo_store, sid, 2024, Column.ACTUAL_PREV, NOTE)
    approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    for column in Column:  # year 2023 whole and budget 2024
        with pytest.raises(LockedError) as refused:
            set_result_note(demo_store, sid, 2024, column, "Ændret")
        assert refused.value.message.startswith(
            f"Noten til overskud/underskud i {column.label(2024).lower()} kan ikke ændres: "
            "regnskab 2023 og budget 2024 er godkendt af KKR Nordjylland den 12. marts 2024")
        assert "Ny revision" in refused.value.message
    assert _notes(demo_store, demo_secretariat) == {Column.ACTUAL_PREV: NOTE}
    # regnskab 2024 is entered later: its note (statement 2025's Regnskab 2024) stays open
    set_result_note(demo_store, sid, 2025, Column.ACTUAL_PREV, "Regnskab 2024 er foreløbigt.")
    assert _notes(demo_store, demo_secretariat, 2025)[Column.ACTUAL_PREV] == \
        "Regnskab 2024 er foreløbigt."


@pytest.mark.sqlite_file
def test_plain_sql_cannot_change_frozen_result_notes(demo_store, demo_secretariat):
    sid = demo_secretariat.id
    set_result_note(demo_store, sid, 2024, Column.ACTUAL_PREV, NOTE)
    set_result_note(demo_store, sid, 2025, Column.ACTUAL_PREV, "Åben note")  # (2024, actual)
    approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    conn = demo_store.conn
    for sql in (
            f"INSERT OR REPLACE INTO result_note VALUES ({sid}, 2023, 'actual', 'x')",
            f"REPLACE INTO result_note VALUES ({sid}, 2023, 'actual', 'x')",
            f"INSERT INTO result_note VALUES ({sid}, 2023, 'budget', 'x')",
            f"INSERT INTO result_note VALUES ({sid}, 2024, 'budget', 'x')",
            "UPDATE result_note SET text = 'x' WHERE year = 2023",
            "DELETE FROM result_note WHERE year = 2023",
            # an open note moved onto the frozen one's key: REPLACE would delete that
            "UPDATE OR REPLACE result_note SET year = 2023 WHERE year = 2024",
            "UPDATE result_note SET field = 'budget' WHERE year = 2024"):
        with pytest.raises(sqlite3.IntegrityError, match="^Låst"):
            conn.execute(sql)
    assert [tuple(r) for r in conn.execute(
        "SELECT year, field, text FROM result_note ORDER BY year")] == [
            (2023, "actual", NOTE), (2024, "actual", "Åben note")]
    conn.execute("UPDATE result_note SET text = 'Rettet' WHERE year = 2024")  # still open


@pytest.mark.sqlite_file
def test_the_snapshot_holds_the_result_notes_and_verification_checks_them(
        demo_store, demo_secretariat):
    sid = demo_secretariat.id
    set_result_note(demo_store, sid, 2024, Column.BUDGET, "Underskuddet dækkes af kassen.")
    result = approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    d = json.loads(result.approval.content)
    assert d["format"] == 3
    assert d["result_notes"] == {"budget": "Underskuddet dækkes af kassen."}
    content, _facts, _rev = from_canonical(result.approval.content)
    assert content.statement.result_note(Column.BUDGET) == "Underskuddet dækkes af kassen."
    assert verify.verify(demo_store).ok
    with demo_store.transaction():  # as a forger would: the guard dropped first
        demo_store.conn.execute("DROP TRIGGER result_note_frozen_update")
        demo_store.conn.execute("UPDATE result_note SET text = 'Intet underskud.'")
    problems = verify.approval_problems(demo_store,
                                        approval.approval_for(demo_store, sid, 2024))
    assert problems == ["noten til overskud/underskud i budget 2024 er «Intet underskud.» "
                        "i databasen, men «Underskuddet dækkes af kassen.» i det godkendte"]


def test_a_snapshot_without_result_notes_is_written_as_before(demo_store, demo_secretariat):
    result = approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    d = json.loads(result.approval.content)
    assert d["format"] == 1 and "result_notes" not in d


def test_an_approval_made_before_result_notes_still_verifies(tmp_path, data_dir):
    """The demo approved by the program of schema 12 (main before this change): opened, it
    is migrated, verifies whole, and its snapshot serializes to the same bytes and hash."""
    from kkr_desktop.services import locks
    from kkr_desktop.store import secretariats
    from kkr_desktop.store.db import open_store

    path = tmp_path / "old.sqlite"
    with gzip.open(data_dir / "approved_on_schema_12.sqlite.gz", "rb") as src, \
            open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 12
    store = open_store(path)
    try:
        assert store.schema_version >= 13
        found = verify.verify(store)
        assert found.ok and not found.repaired, found.messages()
        sec = secretariats.find(store, "sundhed")
        record = approval.approval_for(store, sec.id, 2024)
        assert content_hash(canonical_json(*from_canonical(record.content))) == record.sha256
        assert not locks.edit_state(store, sec.id, 2024).tampered
    finally:
        store.close()
