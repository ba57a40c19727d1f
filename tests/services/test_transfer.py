"""`migrate-to`: a KKR's database moved from a SQLite file to an empty PostgreSQL database
and back, whole (every table, approvals with their hashes, the audit chain), verified on
arrival, in one transaction; the source never changed; refusals leave the target as it was."""

from __future__ import annotations

import gc
import hashlib
import sqlite3
from pathlib import Path

import pytest

from kkr_desktop.cli import main
from kkr_desktop.services import transfer, verify
from kkr_desktop.store import pg_schema
from kkr_desktop.store import transfer as store_transfer
from kkr_desktop.store.db import open_store

SEC = ["--secretariat", "sundhed", "--year", "2024"]
APPROVE = ["approve", *SEC, "--body", "KKR Nordjylland", "--date", "2024-03-12",
           "--case", "2.4", "--signatory", "A B, Formand"]


def run(db: Path | str, *argv: str) -> int:
    return main(["--db", str(db), *argv])


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The demo with its contribution 2024 saved, approved, exported, then reopened («Ny
    revision») and approved again: a superseded approval, an approval in force, an export."""
    d = tmp_path / "kilde.sqlite"
    assert run(d, "init", "--demo") == 0
    assert run(d, "allocate", *SEC, "--save") == 0
    assert run(d, *APPROVE) == 0
    assert run(d, "export", *SEC, "-o", str(tmp_path / "bidrag.csv")) == 0
    assert run(d, "revision", *SEC, "--reason", "Rettelse af en note") == 0
    assert run(d, *APPROVE) == 0
    # The commands above leave their stores to the garbage collector (a command is one
    # process); collected later, the last one folds the WAL into the file and changes its
    # bytes. Collected now, the file is at rest before the source is fingerprinted.
    gc.collect()
    assert not d.with_name(d.name + "-wal").exists()
    return d


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def contents(target: Path | str) -> tuple[dict[str, int], list[tuple], list[tuple]]:
    """(rows per table, approvals' (id, revision, sha256), the audit log's (id, chain))."""
    store = open_store(target, read_only=True)
    try:
        tables = store_transfer.tables_in_order(store) if store.backend == "sqlite" else [
            t for t in _sqlite_tables() if t != "kkr_schema"]
        return (store_transfer.counts(store, tables),
                [tuple(r) for r in store.rows(
                    "SELECT id, revision, sha256 FROM approval ORDER BY id")],
                [tuple(r) for r in store.rows("SELECT id, chain FROM audit_log ORDER BY id")])
    finally:
        store.close()


def _sqlite_tables() -> list[str]:
    store = open_store(None)
    try:
        return store_transfer.tables_in_order(store)
    finally:
        store.close()


def audit_rows_of(url: str) -> int:
    store = open_store(url, read_only=True)
    try:
        return int(store.scalar("SELECT count(*) FROM audit_log"))
    finally:
        store.close()


def test_file_to_server_and_back_keeps_everything(source, pg_url, tmp_path, capsys):
    before = digest(source)
    want = contents(source)
    assert len(want[1]) == 2 and want[0]["export_log"] == 1  # the data worth moving

    assert run(source, "migrate-to", pg_url) == 0
    said = capsys.readouterr().out
    assert "1 sekretariat, 2 godkendelser (Dokument-id" in said
    assert "Alle godkendelser er kontrolleret efter flytningen." in said
    assert digest(source) == before  # the source is never written
    assert contents(pg_url) == want

    server = open_store(pg_url)
    try:
        result = verify.verify(server, full=True)
        assert result.ok and not result.repaired
        assert pg_schema.drift(server.conn.raw) == []
        with server.transaction():  # the sequences moved past the copied ids
            new_id = server.insert("kkr", {"name": "KKR Prøve"}, key="name")
        assert new_id == server.scalar("SELECT max(id) FROM kkr") > 5
        assert verify.verify(server, full=True).ok  # the chain goes on from the copy
    finally:
        server.close()


def test_server_to_new_file_is_the_same_and_opens(source, pg_url, tmp_path):
    assert run(source, "migrate-to", pg_url) == 0
    want = contents(pg_url)
    back = tmp_path / "arkiv.sqlite"
    assert run(pg_url, "migrate-to", str(back)) == 0
    assert contents(back) == want
    assert contents(back)[2] == contents(source)[2]  # the chain, link for link
    store = open_store(back)  # as the program opens it: writable, migrated, checked
    try:
        result = verify.verify(store, full=True)
        assert result.ok and not result.repaired
        with store.transaction():
            assert store.insert("kkr", {"name": "KKR Prøve"}, key="name") == 6
    finally:
        store.close()
    assert not list(tmp_path.glob("*.kopieres*"))


def test_a_target_holding_data_is_refused_and_left_unchanged(source, pg_url, capsys):
    assert run(source, "migrate-to", pg_url) == 0
    capsys.readouterr()
    before = contents(pg_url)
    assert run(source, "migrate-to", pg_url) == 2
    assert "er ikke tom" in capsys.readouterr().err
    assert contents(pg_url) == before


def test_an_existing_target_file_is_refused(source, pg_url, tmp_path, capsys):
    assert run(source, "migrate-to", pg_url) == 0
    target = tmp_path / "findes.sqlite"
    target.write_bytes(b"noget andet")
    assert run(pg_url, "migrate-to", str(target)) == 2
    assert "findes allerede" in capsys.readouterr().err
    assert target.read_bytes() == b"noget andet"
    assert run(pg_url, "migrate-to", str(source)) == 2  # the source file itself, too
    assert run(source, "migrate-to", str(source) + "-wal") == 2  # a file to a file: never


def forge(db: Path) -> None:
    """Change a frozen amount of the approval in force, its guard dropped first."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER allocation_row_frozen_update")
    conn.execute("UPDATE allocation_row SET amount = amount + 100000 WHERE allocation_id = "
                 "(SELECT max(allocation_id) FROM approval_allocation)")
    conn.close()


def test_a_forged_source_is_refused_and_nothing_is_moved(source, pg_url, capsys):
    forge(source)
    assert run(source, "migrate-to", pg_url) == 1
    err = capsys.readouterr().err
    assert "bestod ikke kontrollen" in err and "er ikke den godkendte fordeling" in err
    assert audit_rows_of(pg_url) <= 1  # only what making the database wrote
    store = open_store(pg_url, read_only=True)
    try:
        assert store.scalar("SELECT count(*) FROM secretariat") == 0
        assert store.scalar("SELECT count(*) FROM approval") == 0
    finally:
        store.close()


def test_without_the_verification_a_forged_source_would_move(source, pg_url):
    """The check above is what refuses: skipped, the forgery arrives on the server."""
    forge(source)
    moved = transfer.migrate_to(source, pg_url, check=False)
    assert len(moved.approvals) == 2


def test_backup_on_a_server_says_whose_and_writes_a_sqlite_copy(source, pg_url, tmp_path,
                                                                 capsys):
    assert run(source, "migrate-to", pg_url) == 0
    capsys.readouterr()
    assert run(pg_url, "backup") == 2  # no backup taken: said so, and how to get a copy
    err = capsys.readouterr().err
    assert "pg_dump" in err and "-o FIL.sqlite" in err
    copy = tmp_path / "kopi.sqlite"
    assert run(pg_url, "backup", "-o", str(copy)) == 0
    assert "Kopieret til" in capsys.readouterr().out
    assert contents(copy) == contents(pg_url)
    before = digest(copy)
    assert run(pg_url, "backup", "-o", str(copy)) == 2  # never over an existing file
    assert digest(copy) == before
