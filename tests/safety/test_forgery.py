"""Forgery from outside the program: plain SQL through a connection of its own, as the
sqlite3 CLI or a script makes it (recursive_triggers OFF, so REPLACE's implicit delete fires
no DELETE trigger). Either the database refuses (a trigger), or, once the triggers are gone
(DROP TRIGGER, writable_schema), verification finds it and report, approvals and export
refuse loudly."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from kkr_desktop.cli import main

SEC = ["--secretariat", "sundhed", "--year", "2024"]
HUSLEJE = "Husleje"


def run(db: Path, *argv: str) -> int:
    return main(["--db", str(db), *argv])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The brief's demo: 2024 approved with its contribution, and that contribution exported."""
    d = tmp_path / "x.sqlite"
    assert run(d, "init", "--demo") == 0
    assert run(d, "allocate", *SEC, "--save") == 0
    assert run(d, "approve", *SEC, "--body", "KKR Nordjylland", "--date", "2024-03-12",
               "--case", "2.4", "--signatory", "A B, Formand") == 0
    assert run(d, "export", *SEC, "-o", str(tmp_path / "bidrag.csv")) == 0
    return d


def attacker(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db, isolation_level=None)
    assert conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 0
    return conn


FROZEN = ("statement_line", "allocation", "allocation_row", "approval", "approval_signatory",
          "approval_allocation", "audit_log", "export_log", "export_file")


def state(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in FROZEN}
    finally:
        conn.close()


def refused(db: Path, *sql: str) -> None:
    """Every statement is refused, and nothing frozen changed."""
    before = state(db)
    conn = attacker(db)
    for statement in sql:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute(statement)
    conn.close()
    assert state(db) == before


def line_id(db: Path, year: int, name: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id FROM statement_line WHERE secretariat_id = 1 AND "
                            "year = ? AND name = ?", (year, name)).fetchone()[0]
    finally:
        conn.close()


def open_line(db: Path) -> int:
    """A line of the approved year without any budget: free to edit, as the program allows."""
    conn = attacker(db)
    conn.execute("INSERT INTO statement_line (secretariat_id, year, position, name, kind) "
                 "VALUES (1, 2024, 99, 'Åben post', 'udgift')")
    rowid = conn.execute("SELECT id FROM statement_line WHERE name = 'Åben post'").fetchone()[0]
    conn.close()
    return rowid


# --- 1. REPLACE conflicts ---------------------------------------------------------------

def test_update_or_replace_cannot_delete_a_frozen_line_by_renaming(db):
    open_line(db)
    refused(db, f"UPDATE OR REPLACE statement_line SET name = '{HUSLEJE}' "
                "WHERE name = 'Åben post'")


def test_update_or_replace_cannot_delete_a_frozen_line_by_taking_its_id(db):
    free = open_line(db)
    refused(db, f"UPDATE OR REPLACE statement_line SET id = {line_id(db, 2023, HUSLEJE)} "
                f"WHERE id = {free}",
            f"UPDATE OR REPLACE statement_line SET id = {line_id(db, 2024, HUSLEJE)} "
            f"WHERE id = {free}")


REPLACED = {  # table -> (the frozen row, a column, its forged value)
    "statement_line": (f"year = 2023 AND name = '{HUSLEJE}'", "actual", 1),
    "allocation": ("id = 1", "total", 100),
    "allocation_row": ("allocation_id = 1 AND kommune_code = 851", "amount", 100),
    "approval": ("id = 1", "body", "Forfalsket organ"),
    "approval_signatory": ("approval_id = 1", "name", "Falsk Underskriver"),
    "approval_allocation": ("approval_id = 1", "allocation_id", 1),
    "audit_log": ("id = 5", "new_value", "{}"),
    "export_log": ("id = 1", "total", 0),
    "export_file": ("export_id = 1", "sha256", "0" * 64),
}


@pytest.mark.parametrize("verb", ["INSERT OR REPLACE INTO", "REPLACE INTO"])
@pytest.mark.parametrize("table", list(REPLACED))
def test_replace_cannot_overwrite_a_frozen_row(db, table, verb):
    where, column, value = REPLACED[table]
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    row = dict(conn.execute(f"SELECT * FROM {table} WHERE {where}").fetchone())
    conn.close()
    row[column] = value
    cols = ", ".join(row)
    values = ", ".join("NULL" if v is None else (str(v) if isinstance(v, int)
                                                 else "'" + str(v).replace("'", "''") + "'")
                       for v in row.values())
    refused(db, f"{verb} {table} ({cols}) VALUES ({values})")


# --- 2. a forged snapshot under the original Dokument-id ----------------------------------

def forged_content(db: Path) -> str:
    conn = sqlite3.connect(db)
    content = json.loads(conn.execute("SELECT content FROM approval WHERE id = 1").fetchone()[0])
    conn.close()
    for line in content["lines"]:
        if line["name"] == HUSLEJE:
            line["budget"] += 100_000_00
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def test_insert_or_replace_cannot_swap_the_approval_snapshot(db):
    text = forged_content(db).replace("'", "''")
    sha = hashlib.sha256(forged_content(db).encode()).hexdigest()
    refused(db, "INSERT OR REPLACE INTO approval SELECT id, secretariat_id, year, revision, "
                f"body, meeting_date, case_item, '{text}', '{sha}', approved_at, approved_by, "
                "superseded_at, superseded_by FROM approval WHERE id = 1")


# --- 3. billing a forged allocation; moves of frozen rows -------------------------------

def test_another_kind_of_allocation_cannot_become_the_contribution(db):
    conn = attacker(db)
    for year, kind in ((2024, "adjustment"), (2025, "contribution")):
        conn.execute("INSERT INTO allocation (secretariat_id, year, kind, total, unit, "
                     "key_kind, quarter, created_at, created_by) VALUES "
                     f"(1, {year}, '{kind}', 100, 'kr', 'equal', NULL, '2024-04-01', 'x')")
    adjustment, later = [r[0] for r in conn.execute("SELECT id FROM allocation WHERE id > 1 "
                                                    "ORDER BY id")]
    conn.close()
    refused(db, f"UPDATE allocation SET kind = 'contribution' WHERE id = {adjustment}",
            f"UPDATE allocation SET year = 2024 WHERE id = {later}",
            f"UPDATE OR REPLACE allocation SET id = 1 WHERE id = {later}",
            "UPDATE allocation SET id = 99 WHERE id = 1")


def test_a_frozen_line_cannot_change_its_id(db):
    refused(db, f"UPDATE statement_line SET id = 10000 WHERE id = {line_id(db, 2023, HUSLEJE)}",
            f"UPDATE statement_line SET id = 10001 WHERE id = {line_id(db, 2024, HUSLEJE)}")


# --- 4. signatories, superseded_at, the audit and export logs ---------------------------

def test_no_signatory_can_be_added_to_an_approval(db):
    refused(db, "INSERT INTO approval_signatory (approval_id, position, name, title) "
                "VALUES (1, 2, 'Falsk Underskriver', 'Formand')")


def test_superseded_at_cannot_be_set_by_hand(db):
    refused(db, "UPDATE approval SET superseded_at = '2024-05-01T10:00:00+02:00', "
                "superseded_by = 'x' WHERE id = 1")


@pytest.mark.parametrize("table", ["audit_log", "export_log", "export_file"])
def test_the_logs_are_append_only(db, table):
    refused(db, f"DELETE FROM {table}", f"UPDATE {table} SET rowid = rowid + 1000",
            f"UPDATE {table} SET {'total = 0' if table != 'audit_log' else 'who = 0'}")


# --- 5. when the triggers are gone: verification ----------------------------------------

def assert_refused_loudly(db: Path, tmp_path: Path, capsys, words: str) -> None:
    capsys.readouterr()
    pdf = tmp_path / "r.pdf"
    assert run(db, "report", *SEC, "--revision", "1", "-o", str(pdf)) != 0
    err = capsys.readouterr().err
    assert "ændret uden om programmet" in err and words in err
    assert not pdf.exists()
    assert run(db, "approvals", *SEC) != 0
    err = capsys.readouterr().err
    assert "ændret uden om programmet" in err and words in err
    assert run(db, "export", *SEC, "--again", "-o", str(tmp_path / "igen.csv")) != 0
    assert "ændret uden om programmet" in capsys.readouterr().err
    assert not (tmp_path / "igen.csv").exists()


def test_a_snapshot_forged_after_drop_trigger_is_never_printed_as_approved(db, tmp_path,
                                                                           capsys):
    conn = attacker(db)
    conn.execute("DROP TRIGGER approval_no_update")
    conn.execute("UPDATE approval SET content = ? WHERE id = 1", (forged_content(db),))
    conn.close()
    assert_refused_loudly(db, tmp_path, capsys, "SHA-256")
    conn = sqlite3.connect(db)  # the guard is back, and its return is in the audit log
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                        "AND name = 'approval_no_update'").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM audit_log WHERE key = 'approval_no_update'"
                        ).fetchone()[0] >= 1


def test_a_snapshot_forged_with_its_own_hash_is_found_by_the_frozen_lines(db, tmp_path,
                                                                          capsys):
    text = forged_content(db)
    conn = attacker(db)
    conn.execute("DROP TRIGGER approval_no_update")
    conn.execute("UPDATE approval SET content = ?, sha256 = ? WHERE id = 1",
                 (text, hashlib.sha256(text.encode()).hexdigest()))
    conn.close()
    assert_refused_loudly(db, tmp_path, capsys, HUSLEJE)


def test_a_line_changed_through_writable_schema_is_found(db, tmp_path, capsys):
    conn = attacker(db)
    conn.execute("PRAGMA writable_schema = ON")
    for name in ("statement_line_frozen_prev_update", "statement_line_frozen_move_in"):
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'trigger' AND name = ?",
                     (f"CREATE TRIGGER {name} BEFORE UPDATE ON statement_line WHEN 0 "
                      "BEGIN SELECT 1; END", name))
    conn.close()
    conn = attacker(db)  # a fresh connection reads the edited schema
    conn.execute(f"UPDATE statement_line SET actual = actual + 100000 WHERE year = 2023 "
                 f"AND name = '{HUSLEJE}'")
    conn.close()
    assert_refused_loudly(db, tmp_path, capsys, HUSLEJE)


def test_a_deleted_audit_row_breaks_the_chain(db, tmp_path, capsys):
    assert run(db, "revision", *SEC, "--reason", "Rettelse") == 0  # audited after the chain began
    assert run(db, "approve", *SEC, "--body", "KKR Nordjylland", "--date", "2024-04-12",
               "--case", "3.1", "--signatory", "C D, Næstformand") == 0
    conn = attacker(db)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    last = conn.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    conn.execute(f"DELETE FROM audit_log WHERE id = {last - 2}")
    conn.close()
    capsys.readouterr()
    assert run(db, "approvals", *SEC) != 0
    assert "Revisionssporet er brudt ved række" in capsys.readouterr().err


def test_a_deleted_export_log_row_is_found_before_billing_again(db, tmp_path, capsys):
    conn = attacker(db)
    conn.execute("DROP TRIGGER IF EXISTS export_file_no_delete")
    conn.execute("DROP TRIGGER IF EXISTS export_log_no_delete")
    conn.execute("DELETE FROM export_file")
    conn.execute("DELETE FROM export_log")
    conn.close()
    capsys.readouterr()
    target = tmp_path / "igen.csv"
    assert run(db, "export", *SEC, "-o", str(target)) != 0
    assert "Eksportloggen" in capsys.readouterr().err
    assert not target.exists()


def test_signatories_changed_after_drop_trigger_are_found(db, tmp_path, capsys):
    conn = attacker(db)
    conn.execute("DROP TRIGGER approval_signatory_no_update")
    conn.execute("UPDATE approval_signatory SET name = 'Falsk Underskriver'")
    conn.close()
    assert_refused_loudly(db, tmp_path, capsys, "underskriverne")


def test_a_frozen_allocation_changed_after_drop_trigger_is_never_billed(db, tmp_path, capsys):
    conn = attacker(db)
    conn.execute("DROP TRIGGER allocation_row_frozen_update")
    conn.execute("UPDATE allocation_row SET amount = amount + 100000 WHERE kommune_code = 851")
    conn.execute("UPDATE allocation_row SET amount = amount - 100000 WHERE kommune_code = 849")
    conn.close()
    assert_refused_loudly(db, tmp_path, capsys, "fordeling nr. 1")


def test_a_newer_contribution_slipped_in_after_drop_trigger_is_never_billed(db, tmp_path,
                                                                           capsys):
    conn = attacker(db)
    conn.execute("DROP TRIGGER allocation_frozen_year_insert")
    conn.execute("INSERT INTO allocation (secretariat_id, year, kind, total, unit, key_kind, "
                 "quarter, created_at, created_by) SELECT secretariat_id, year, kind, total, "
                 "unit, key_kind, quarter, created_at, created_by FROM allocation WHERE id = 1")
    conn.execute("INSERT INTO allocation_row SELECT 2, kommune_code, weight, amount "
                 "FROM allocation_row WHERE allocation_id = 1")
    conn.close()
    assert_refused_loudly(db, tmp_path, capsys, "lagt ind efter godkendelsen")


# --- the program's own paths, and the window ---------------------------------------------

def test_what_the_program_itself_does_verifies_clean(db, tmp_path):
    from kkr_desktop.services.verify import verify
    from kkr_desktop.store.db import open_store

    assert run(db, "revision", *SEC, "--reason", "Rettelse") == 0
    assert run(db, "approve", *SEC, "--body", "KKR Nordjylland", "--date", "2024-04-12",
               "--case", "3.1", "--signatory", "C D, Næstformand") == 0
    assert run(db, "report", *SEC, "--revision", "1", "-o", str(tmp_path / "r1.pdf")) == 0
    assert run(db, "approvals", *SEC) == 0
    store = open_store(db)
    result = verify(store)
    assert (result.ok, result.repaired, result.messages()) == (True, [], [])
    store.close()


def test_the_window_warns_when_it_opens_a_forged_database(db, monkeypatch, qapp):
    from PySide6.QtWidgets import QMessageBox

    from kkr_desktop.ui import errors, open_checks

    shown = []
    monkeypatch.setattr(errors, "_show", lambda parent, icon, title, text:
                        shown.append((icon, text)))
    conn = attacker(db)
    conn.execute("DROP TRIGGER approval_no_update")
    conn.execute("UPDATE approval SET body = 'KKR Falsk'")
    conn.close()
    store = open_checks.open_database_interactive(db, False)
    assert store is not None
    store.close()
    warnings = [text for icon, text in shown if icon == QMessageBox.Icon.Warning]
    assert any("approval_no_update" in t and "genskabt" in t for t in warnings)
    assert any("ændret uden om programmet" in t and "KKR Falsk" in t for t in warnings)


def test_rows_from_before_the_chain_are_counted(tmp_path, monkeypatch, capsys):
    from kkr_desktop.store import db as db_module

    d = tmp_path / "old.sqlite"
    every = db_module.migrations()
    tamper = next(n for n, path in every if "tamper" in path.name)
    before = [m for m in every if m[0] < tamper]  # later migrations come after it, too
    monkeypatch.setattr(db_module, "migrations", lambda: before)
    old = db_module.open_store(d)  # a database from before the chain, with audit rows
    with old.transaction():
        for i in range(5):
            old.audit("kommune", i, "update", {"name": "før"}, {"name": "efter"})
    old.close()
    monkeypatch.setattr(db_module, "migrations", lambda: every)
    assert run(d, "init", "--demo") == 0  # migrated: the chain starts after those rows
    assert run(d, "allocate", *SEC, "--save") == 0
    assert run(d, "approvals", *SEC) == 0
    conn = attacker(d)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE id = 3")
    conn.close()
    capsys.readouterr()
    assert run(d, "approvals", *SEC) != 0
    assert "Revisionssporet er brudt ved række" in capsys.readouterr().err


# --- the chain's bookmark: opening walks only the new rows, and is not fooled by it --------

@pytest.fixture
def bookmark_every_row(monkeypatch):
    """The demo's log is short; a real one sets its bookmark after a thousand rows."""
    from kkr_desktop.services import verify

    monkeypatch.setattr(verify, "CHECKPOINT_EVERY", 1)


def edit_old_audit_row(db: Path) -> None:
    conn = attacker(db)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    first = conn.execute("SELECT min(id) FROM audit_log WHERE chain IS NOT NULL").fetchone()[0]
    conn.execute(f"UPDATE audit_log SET who = 'mallory' WHERE id = {first}")
    conn.close()


def test_an_old_audit_row_edited_today_is_found_by_the_full_walk(db, bookmark_every_row, capsys):
    from kkr_desktop.services import verify
    from kkr_desktop.store import tamper
    from kkr_desktop.store.db import open_store

    store = open_store(db)
    assert verify.chain_problems(store) == []  # today's walk sets the bookmark
    assert tamper.checkpoint(store) is not None
    store.close()
    edit_old_audit_row(db)
    capsys.readouterr()
    assert run(db, "approvals", *SEC) != 0  # walks the whole chain
    assert "Revisionssporet er brudt ved række" in capsys.readouterr().err


def test_an_old_audit_row_edited_is_found_on_the_next_days_open(db, bookmark_every_row):
    from datetime import date, timedelta

    from kkr_desktop.services import verify
    from kkr_desktop.store.db import open_store

    store = open_store(db)
    assert verify.chain_problems(store, full=False) == []
    store.close()
    edit_old_audit_row(db)
    store = open_store(db)
    # the same day the bookmark still holds (the edited row is before it) ...
    assert verify.chain_problems(store, full=False) == []
    # ... and the day's first open walks from the start
    tomorrow = date.today() + timedelta(days=1)
    assert "brudt" in verify.chain_problems(store, full=False, today=tomorrow)[0]
    store.close()


def test_a_row_deleted_before_the_bookmark_is_found_by_opening(db, bookmark_every_row):
    from kkr_desktop.services import verify
    from kkr_desktop.store.db import open_store

    store = open_store(db)
    assert verify.chain_problems(store, full=False) == []
    store.close()
    conn = attacker(db)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE id = (SELECT min(id) + 1 FROM audit_log "
                 "WHERE chain IS NOT NULL)")
    conn.close()
    store = open_store(db)
    assert "Revisionssporet er brudt ved række" in verify.chain_problems(store, full=False)[0]
    store.close()


def test_a_row_deleted_before_the_bookmark_is_found_when_rows_came_after_it(
        db, bookmark_every_row):
    """The rows up to the bookmark are counted as all rows less the newer ones: a deleted
    old row is found however many rows the program wrote after the bookmark."""
    from kkr_desktop.services import verify
    from kkr_desktop.store import tamper
    from kkr_desktop.store.db import open_store

    store = open_store(db)
    assert verify.chain_problems(store, full=False) == []
    bookmark = tamper.checkpoint(store)
    with store.transaction():  # two rows after the bookmark, chained as the program does
        store.audit("test", 1, "insert", None, {"x": 1})
        store.audit("test", 2, "insert", None, {"x": 2})
    assert tamper.checkpoint_holds(store, bookmark)
    store.close()
    conn = attacker(db)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE id = (SELECT min(id) + 1 FROM audit_log "
                 "WHERE chain IS NOT NULL)")
    conn.close()
    store = open_store(db)
    assert not tamper.checkpoint_holds(store, bookmark)
    assert "Revisionssporet er brudt ved række" in verify.chain_problems(
        store, full=False, daily=False)[0]
    store.close()


def test_opening_walks_only_the_rows_since_the_bookmark(db, bookmark_every_row, monkeypatch):
    from kkr_desktop.services import verify
    from kkr_desktop.store import tamper
    from kkr_desktop.store.db import open_store

    store = open_store(db)
    assert verify.chain_problems(store, full=True) == []  # bookmark at the newest row
    walked = []
    real = tamper.audit_rows

    def counting(store, after=0):
        for row in real(store, after):
            walked.append(row[0][0])
            yield row

    monkeypatch.setattr(tamper, "audit_rows", counting)
    with store.transaction():
        store.audit("test", 1, "insert", None, {"x": 1})
    assert verify.chain_problems(store, full=False) == []
    assert len(walked) == 1  # the one new row, not the whole log
    store.close()


def test_a_short_log_never_writes_a_bookmark_on_open(db):
    from kkr_desktop.services import verify
    from kkr_desktop.store import tamper
    from kkr_desktop.store.db import open_store

    store = open_store(db)
    assert verify.chain_problems(store, full=True) == []
    assert tamper.checkpoint(store) is None
    store.close()


def test_every_command_says_loudly_what_opening_repaired_and_found(db, capsys):
    conn = attacker(db)
    conn.execute("DROP TRIGGER statement_line_frozen_budget_update")
    conn.execute("UPDATE statement_line SET budget = 1 WHERE year = 2024 AND name = 'Husleje'")
    conn.close()
    capsys.readouterr()
    assert run(db, "statement", "show", *SEC) == 0  # reading goes on, but not in silence
    err = capsys.readouterr().err
    assert "ADVARSEL: Databasens beskyttelse" in err and "genskabt" in err
    assert "ændret uden om programmet" in err and "Husleje" in err


def test_report_says_that_a_dropped_guard_was_put_back(db, tmp_path, capsys):
    conn = attacker(db)
    conn.execute("DROP TRIGGER statement_line_frozen_budget_update")
    conn.close()
    capsys.readouterr()
    assert run(db, "report", *SEC, "--revision", "1", "-o", str(tmp_path / "r.pdf")) == 0
    err = capsys.readouterr().err
    assert "ADVARSEL: Databasens beskyttelse" in err and "genskabt" in err
