"""Backups: the online backup API, daily copies and pruning, checking, restoring."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from kkr_desktop.core.errors import InputError
from kkr_desktop.services import safety
from kkr_desktop.services.rates import set_pl_rate
from kkr_desktop.store import backup, rates
from kkr_desktop.store.db import open_store

pytestmark = pytest.mark.sqlite_file  # backups of the SQLite file


def test_a_backup_is_one_complete_checked_file(demo_store, db_path):
    path = backup.take(demo_store.conn, db_path, "manual")
    assert path.parent == db_path.parent / "backups"
    assert not path.with_name(path.name + "-wal").exists()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    n = conn.execute("SELECT count(*) FROM statement_line").fetchone()[0]
    conn.close()
    assert n == demo_store.scalar("SELECT count(*) FROM statement_line") > 0
    [listed] = backup.list_backups(db_path)
    assert listed.kind == "manual" and listed.path == path


def test_two_backups_in_one_second_are_both_kept(store, db_path):
    when = datetime(2024, 3, 1, 8, 0, 0)
    a = backup.take(store.conn, db_path, "manual", when)
    b = backup.take(store.conn, db_path, "manual", when)
    assert a != b and a.exists() and b.exists()


def test_the_daily_backup_is_taken_once_a_day(store, db_path):
    assert backup.daily(store.conn, db_path, date(2024, 3, 1)) is not None
    assert backup.daily(store.conn, db_path, date(2024, 3, 1)) is None
    assert backup.daily(store.conn, db_path, date(2024, 3, 2)) is not None
    assert [b.kind for b in backup.list_backups(db_path)] == ["daily", "daily"]


def test_pruning_keeps_30_days_and_one_per_month_for_a_year(tmp_path):
    db_path = tmp_path / "kkr.sqlite"
    folder = backup.backup_dir(db_path)
    folder.mkdir()
    today = date(2024, 6, 15)
    for n in range(500):
        day = today - timedelta(days=n)
        (folder / backup.backup_name(db_path, "daily", datetime.combine(
            day, datetime.min.time()))).write_bytes(b"x")
    (folder / backup.backup_name(db_path, "manual", datetime(2020, 1, 1))).write_bytes(b"x")
    (folder / "other-20200101-000000-daily.sqlite").write_bytes(b"x")
    backup.prune(db_path, today)
    left = backup.list_backups(db_path)
    dailies = [b.taken_at.date() for b in left if b.kind == "daily"]
    assert dailies[:30] == [today - timedelta(days=n) for n in range(30)]
    older = dailies[30:]
    months = {(d.year, d.month) for d in older}
    assert len(older) == len(months)  # one per month
    assert all(d.day == 1 for d in older)  # the month's first copy
    assert {(d.year, d.month) for d in dailies} == {
        ((2024 * 12 + 5 - k) // 12, (2024 * 12 + 5 - k) % 12 + 1) for k in range(12)}
    assert any(b.kind == "manual" for b in left)  # the user's own copies are never pruned
    assert (folder / "other-20200101-000000-daily.sqlite").exists()


def test_restore_brings_back_the_backup_and_keeps_the_current_file(demo_store, db_path):
    copy = safety.backup_now(demo_store)
    set_pl_rate(demo_store, 2025, expected=Decimal("3.1"))
    result = safety.restore(demo_store, copy)
    assert rates.get(demo_store, 2025) is None
    assert result.previous is not None and result.previous.exists()
    conn = sqlite3.connect(result.previous)
    assert conn.execute("SELECT count(*) FROM pl_rate WHERE year = 2025").fetchone()[0] == 1
    conn.close()
    [entry] = safety.audit_rows(demo_store, limit=1)
    assert "gendannet fra" in entry.change
    assert safety.check(demo_store) == []


def test_restore_refuses_a_file_that_is_not_a_good_backup(demo_store, tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database" * 100)
    with pytest.raises(InputError, match="brugbar"):
        safety.restore(demo_store, junk)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(InputError, match="ikke en sikkerhedskopi"):
        safety.restore(demo_store, other)
    assert safety.backups(demo_store.path) == []  # nothing was touched


def test_a_damaged_database_is_moved_aside_and_replaced(demo_store, db_path):
    copy = safety.backup_now(demo_store)
    demo_store.close()
    db_path.write_bytes(b"garbage" * 5000)
    result = safety.restore_file(db_path, copy)
    assert result.previous is not None and result.previous.read_bytes().startswith(b"garbage")
    s = open_store(db_path, check=True)
    assert s.scalar("SELECT count(*) FROM statement_line") > 0
    s.close()
    assert safety.newest_good_backup(db_path).path == copy  # the damaged file is never offered


def test_newest_good_skips_a_damaged_backup(store, db_path):
    good = backup.take(store.conn, db_path, "daily", datetime(2024, 1, 1, 9))
    bad = backup.take(store.conn, db_path, "daily", datetime(2024, 1, 2, 9))
    bad.write_bytes(b"broken" * 1000)
    assert safety.newest_good_backup(db_path).path == good


def test_backup_to_a_chosen_file_or_folder(store, tmp_path):
    assert safety.backup_now(store, tmp_path / "kopi.sqlite").exists()
    out = tmp_path / "ud"
    out.mkdir()
    assert safety.backup_now(store, out).parent == out
    with pytest.raises(InputError):
        safety.backup_now(store, store.path)


def test_a_backup_from_an_older_version_is_migrated_when_restored(db_path, tmp_path,
                                                                  monkeypatch):
    from kkr_desktop.store import db

    every = db.migrations()
    old_file = tmp_path / "old" / "gammel.sqlite"
    monkeypatch.setattr(db, "migrations", lambda: every[:1])
    open_store(old_file).close()
    monkeypatch.setattr(db, "migrations", lambda: every)
    s = open_store(db_path)
    try:
        safety.restore(s, old_file)
        assert s.schema_version == len(every)
        assert safety.check(s) == []
    finally:
        s.close()


def test_pruning_clears_temporary_files_of_killed_backups(store, db_path):
    import os

    folder = backup.backup_dir(db_path)
    folder.mkdir()
    old = folder / f".{db_path.stem}-20240101-000000-daily.sqlite.123.tmp"
    new = folder / f".{db_path.stem}-20240102-000000-daily.sqlite.124.tmp"
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    os.utime(old, (0, 0))
    backup.prune(db_path)
    assert not old.exists() and new.exists()
