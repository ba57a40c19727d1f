"""Connection settings by location, the integrity check, read-only use, backup before migration."""

from __future__ import annotations

import os
import sqlite3
import sys

import pytest

from kkr_desktop.core.errors import StoreError
from kkr_desktop.store import backup, db
from kkr_desktop.store.db import DamagedError, is_network_path, journal_mode_for, open_store

pytestmark = pytest.mark.sqlite_file  # SQLite's PRAGMA settings


def test_local_file_uses_wal_full_sync_and_foreign_keys(store):
    assert store.scalar("PRAGMA journal_mode") == "wal"
    assert store.scalar("PRAGMA synchronous") == 2  # FULL
    assert store.scalar("PRAGMA foreign_keys") == 1
    assert store.scalar("PRAGMA busy_timeout") == db.BUSY_TIMEOUT_MS


def test_network_share_uses_the_rollback_journal(db_path):
    s = open_store(db_path, network=True)
    try:
        assert s.scalar("PRAGMA journal_mode") == "delete"
        assert s.scalar("PRAGMA synchronous") == 2
        assert s.scalar("PRAGMA foreign_keys") == 1
    finally:
        s.close()


@pytest.mark.parametrize("path, network", [
    (r"\\server\share\kkr\kkr-budget.sqlite", True),
    ("//server/share/kkr-budget.sqlite", True),
    (r"\\?\UNC\server\share\kkr-budget.sqlite", True),
    (r"\\?\C:\data\kkr-budget.sqlite", False),
    ("/home/anne/kkr-budget.sqlite", False),
    ("kkr-budget.sqlite", False),
])
def test_unc_paths_are_network_paths(path, network):
    assert is_network_path(path) is network
    assert journal_mode_for(path) == ("delete" if network else "wal")


def test_the_users_setting_overrides_detection():
    assert journal_mode_for("/local/file.sqlite", network=True) == "delete"
    assert journal_mode_for(r"\\server\share\f.sqlite", network=False) == "wal"


def _corrupt(path, offset: int, length: int = 512) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(b"\xa5" * length)


def test_a_damaged_file_is_refused_with_a_clear_message(db_path):
    s = open_store(db_path)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = s.scalar("PRAGMA page_count")
    s.close()
    assert pages > 4
    for page in range(2, pages):  # b-tree page headers (page numbers start at 1)
        _corrupt(db_path, 4096 * (page - 1), 12)
    with pytest.raises(DamagedError) as err:
        open_store(db_path, check=True)
    assert "beskadiget" in err.value.message and err.value.problems


def test_a_file_that_is_not_a_database_is_damaged(db_path):
    db_path.write_bytes(b"this is not a database, just text\n" * 200)
    with pytest.raises(DamagedError, match="beskadiget"):
        open_store(db_path, check=True)


def test_read_only_store_refuses_writes(db_path):
    open_store(db_path).close()
    ro = open_store(db_path, read_only=True)
    try:
        assert ro.read_only
        assert ro.scalar("SELECT count(*) FROM kommune") == 98
        with pytest.raises(StoreError, match="skrivebeskyttet"), ro.transaction():
            pass
    finally:
        ro.close()


def test_a_busy_database_is_a_danish_error_not_a_traceback(store, db_path):
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store.conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(StoreError, match="optaget"), store.transaction():
            pass
        assert store._depth == 0
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_an_existing_file_is_backed_up_before_a_migration(db_path, monkeypatch):
    every = db.migrations()
    monkeypatch.setattr(db, "migrations", lambda: every[:1])
    open_store(db_path).close()
    assert backup.list_backups(db_path) == []  # a brand-new file is not backed up
    monkeypatch.setattr(db, "migrations", lambda: every)
    s = open_store(db_path)
    s.close()
    if len(every) == 1:
        pytest.skip("only one migration exists")
    [copy] = backup.list_backups(db_path)
    assert copy.kind == "migration"
    conn = sqlite3.connect(copy.path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_up_to_date_file_is_not_backed_up_on_open(db_path):
    open_store(db_path).close()
    open_store(db_path).close()
    assert backup.list_backups(db_path) == []


def test_read_only_uri_survives_odd_names(tmp_path):
    # what a URI reads as query, fragment or escape; Windows forbids «?» in a file name
    odd = tmp_path / ("budget 2024 #1 %41 æøå" + ("" if os.name == "nt" else " ?") + ".sqlite")
    open_store(odd).close()
    uri = db.read_only_uri(odd)
    assert uri.startswith("file:///") and uri.endswith(".sqlite?mode=ro")
    assert "#" not in uri and uri.count("?") == 1 and "%2541" in uri
    ro = open_store(odd, read_only=True)
    assert ro.scalar("SELECT count(*) FROM kkr") == 5
    ro.close()


def _handles_on(path) -> list[str]:
    """This process's open file descriptors on `path` (Linux; elsewhere none are listed,
    and the move below is the check: Windows refuses to move a file that is open)."""
    fds = "/proc/self/fd"
    if not sys.platform.startswith("linux"):  # (Wine shows Linux's /proc as Z:\proc)
        return []
    return [fd for fd in os.listdir(fds)
            if os.path.realpath(os.path.join(fds, fd)) == os.path.realpath(path)]


def test_a_refused_damaged_file_is_not_left_open(tmp_path):
    """The window keeps the DamagedError to offer a restore, which moves the file aside: on
    Windows that failed («kan ikke flyttes til side») while the refused connection lived
    on in the error's traceback."""
    path = tmp_path / "budget.sqlite"
    path.write_bytes(b"\x00" * 8192)
    with pytest.raises(DamagedError) as caught:
        open_store(path)
    assert caught.value.__cause__ is not None  # the error, and its traceback, still alive
    assert _handles_on(path) == []
    os.replace(path, tmp_path / "beskadiget.sqlite")
