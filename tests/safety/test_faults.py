"""Faults of the disk and the file system (issue 11 §4): a full disk or an I/O error is said
as such, in Danish, and never taken for a damaged database (which would offer to restore a
backup over a healthy file); a write that fails rolls back whole; backup temp files do not
pile up.

A real full disk is a tiny tmpfs where the test may mount one (root on Linux); everywhere,
SQLite's own SQLITE_FULL comes from PRAGMA max_page_count, and an OSError(ENOSPC) is put in
where no file system can be made full on demand.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kkr_desktop.cli import main
from kkr_desktop.core.errors import FaultError, KkrError
from kkr_desktop.core.faults import fault_text
from kkr_desktop.services import safety
from kkr_desktop.services.setup import load_demo
from kkr_desktop.store import backup, db, lock, population
from kkr_desktop.store.db import DamagedError, integrity_problems, open_store

pytestmark = pytest.mark.sqlite_file  # disk faults of the SQLite file


def _sqlite_error(name: str, code: int, text: str) -> sqlite3.OperationalError:
    """An error as SQLite raises it (Python 3.11 sets these two attributes)."""
    exc = sqlite3.OperationalError(text)
    exc.sqlite_errorcode = code
    exc.sqlite_errorname = name
    return exc


# --- the one mapping ----------------------------------------------------------------------

@pytest.mark.parametrize("exc, start", [
    (OSError(errno.ENOSPC, "No space left on device", "/x/y"), "Disken er fuld"),
    (PermissionError(errno.EACCES, "Permission denied", "/x/y"), "Ingen adgang til"),
    (PermissionError(errno.EPERM, "Operation not permitted", "/x/y"), "Ingen adgang til"),
    (OSError(errno.ENAMETOOLONG, "File name too long", "/x/y"), "Filnavnet er for langt"),
    (OSError(errno.EROFS, "Read-only file system", "/x/y"), "Drevet er skrivebeskyttet"),
    (_sqlite_error("SQLITE_FULL", 13, "database or disk is full"), "Disken er fuld"),
    (_sqlite_error("SQLITE_READONLY", 8, "attempt to write a readonly database"),
     "Drevet er skrivebeskyttet"),
    (_sqlite_error("SQLITE_CANTOPEN", 14, "unable to open database file"),
     "Kan ikke åbne"),
])
def test_each_fault_has_its_danish_sentence(exc, start):
    text = fault_text(exc, "sikkerhedskopien y.sqlite")
    assert text.startswith(start), text
    assert "sikkerhedskopien y.sqlite" in text


def test_an_unknown_fault_is_danish_with_the_english_detail_in_parentheses():
    text = fault_text(OSError(errno.EIO, "Input/output error", "/x/y"), "filen y")
    assert text.startswith("Fejl i filsystemet ved filen y") and "(Input/output error)" in text


# --- SQLite says the disk is full mid-transaction ------------------------------------------

def test_a_full_disk_mid_transaction_rolls_back_and_says_so(demo_store, db_path):
    """PRAGMA max_page_count: SQLite raises its real SQLITE_FULL when the file must grow."""
    before = {(f.kommunekode, f.quarter): f.value for f in population.figures(demo_store)}
    pages = demo_store.scalar("PRAGMA page_count")
    demo_store.conn.execute(f"PRAGMA max_page_count = {pages}")
    many = {(code, f"{year}K{q}"): 50_000 for code in range(101, 900)
            for year in (2010, 2011) for q in (1, 2, 3, 4)}
    names = demo_store.rows("SELECT code FROM kommune")
    many = {k: v for k, v in many.items() if k[0] in {r[0] for r in names}}
    with pytest.raises(FaultError) as err:
        population.put(demo_store, many, "test")
    assert err.value.message.startswith("Disken er fuld"), err.value.message
    assert "Intet er gemt" in err.value.message
    assert not demo_store.conn.in_transaction
    after = {(f.kommunekode, f.quarter): f.value for f in population.figures(demo_store)}
    assert after == before  # nothing half-written
    demo_store.close()
    again = open_store(db_path, check=True)  # the next open does not call it damaged
    try:
        assert {(f.kommunekode, f.quarter): f.value for f in population.figures(again)} == before
    finally:
        again.close()


def test_an_io_error_on_open_is_a_fault_not_damage(demo_store, db_path, monkeypatch):
    demo_store.close()
    shm = _sqlite_error("SQLITE_IOERR_SHMSIZE", 4874, "disk I/O error")

    def failing(conn):
        raise shm

    monkeypatch.setattr(db, "pending_migrations", failing)
    with pytest.raises(KkrError) as err:
        open_store(db_path)
    assert not isinstance(err.value, DamagedError)
    assert "beskadiget" not in err.value.message


class _FailingConnection:
    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def execute(self, *args):
        raise self.exc


def test_the_integrity_check_failing_on_io_is_a_fault_but_corruption_is_a_problem():
    shm = _sqlite_error("SQLITE_IOERR_SHMSIZE", 4874, "disk I/O error")
    with pytest.raises(FaultError):
        integrity_problems(_FailingConnection(shm))
    corrupt = sqlite3.DatabaseError("database disk image is malformed")
    corrupt.sqlite_errorcode, corrupt.sqlite_errorname = 11, "SQLITE_CORRUPT"
    assert integrity_problems(_FailingConnection(corrupt)) == [
        "database disk image is malformed"]


def test_a_real_corrupt_file_is_still_damaged(tmp_path):
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DamagedError):
        open_store(path, check=True)


def test_restore_does_not_move_aside_a_healthy_file_it_cannot_read(demo_store, db_path,
                                                                   monkeypatch):
    """safety.restore_file moved a file aside as «damaged» on any error while checking it."""
    good = backup.take(demo_store.conn, db_path, "manual")
    demo_store.close()
    shm = _sqlite_error("SQLITE_IOERR_SHMSIZE", 4874, "disk I/O error")
    monkeypatch.setattr(safety, "integrity_problems",
                        lambda conn, path=None: (_ for _ in ()).throw(FaultError("x")))
    monkeypatch.setattr(safety, "connect", lambda *a, **k: (_ for _ in ()).throw(shm))
    with pytest.raises(KkrError):
        safety.restore_file(db_path, good)
    assert db_path.exists()
    assert not [b for b in backup.list_backups(db_path) if b.kind == "damaged"]


# --- the window ---------------------------------------------------------------------------

def test_the_window_offers_no_restore_when_the_disk_fails(demo_store, db_path, monkeypatch,
                                                         qapp):
    from kkr_desktop.ui import errors, open_checks

    backup.take(demo_store.conn, db_path, "manual")  # a good backup it could offer
    demo_store.close()
    said: list[str] = []
    monkeypatch.setattr(errors, "_show", lambda parent, icon, title, text: said.append(text))
    asked: list[str] = []
    monkeypatch.setattr(open_checks, "choose",
                        lambda parent, title, text, options: asked.append(title) or None)
    full = _sqlite_error("SQLITE_IOERR_WRITE", 778, "disk I/O error")
    monkeypatch.setattr(db, "pending_migrations",
                        lambda conn: (_ for _ in ()).throw(full))
    assert open_checks.open_database_interactive(db_path, False) is None
    assert asked == [], "a restore was offered for a disk fault"
    assert said and "beskadiget" not in said[0]


# --- a real full disk (tmpfs; where mounting is allowed) ----------------------------------

@pytest.fixture
def full_disk(tmp_path):
    """A 3 MB tmpfs holding the demo database and its backup, then filled to the brim."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if sys.platform != "linux" or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)],
            capture_output=True).returncode != 0:
        pytest.skip("no tmpfs can be mounted here (needs root on Linux)")
    try:
        path = mnt / "kkr.sqlite"
        s = open_store(path)
        load_demo(s)
        backup.take(s.conn, path, "manual")
        s.close()
        filler = mnt / "filler"
        with open(filler, "wb", buffering=0) as fh:
            try:
                while True:
                    fh.write(b"\0" * 4096)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        yield path, filler
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_real_full_disk_is_said_and_the_file_survives(full_disk, capsys, monkeypatch, qapp):
    from kkr_desktop.ui import errors, open_checks

    path, filler = full_disk
    with pytest.raises(KkrError) as err:
        open_store(path, check=True)
    assert not isinstance(err.value, DamagedError)
    assert err.value.message.startswith("Disken er fuld"), err.value.message
    code = main(["--db", str(path), "secretariat", "list"])
    out = capsys.readouterr()
    assert code == 1 and "Disken er fuld" in out.err and "beskadiget" not in out.err
    said: list[str] = []
    monkeypatch.setattr(errors, "_show", lambda parent, icon, title, text: said.append(text))
    asked: list[str] = []
    monkeypatch.setattr(open_checks, "choose",
                        lambda parent, title, text, options: asked.append(title) or None)
    assert open_checks.open_database_interactive(path, False) is None
    assert asked == [] and said and "Disken er fuld" in said[0], said
    filler.unlink()  # room again: the file opens, whole
    s = open_store(path, check=True)
    try:
        assert s.scalar("SELECT count(*) FROM secretariat") == 1
    finally:
        s.close()


# --- backups: Danish messages, no temp files left ------------------------------------------

def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def test_a_backup_that_hits_a_full_disk_leaves_no_temp_file(demo_store, db_path, monkeypatch):
    def no_space(path):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(backup, "_fsync", no_space)
    with pytest.raises(KkrError) as err:
        backup.take(demo_store.conn, db_path, "manual")
    assert err.value.message.startswith("Disken er fuld"), err.value.message
    assert "No space" not in err.value.message.split("(")[0]
    assert _temps(backup.backup_dir(db_path)) == []
    assert backup.list_backups(db_path) == []


def test_a_backup_name_too_long_is_said_in_danish(demo_store, tmp_path):
    with pytest.raises(KkrError) as err:
        safety.backup_now(demo_store, tmp_path / ("k" * 300 + ".sqlite"))
    assert err.value.message.startswith("Filnavnet er for langt"), err.value.message
    assert _temps(tmp_path) == []


def test_stale_temp_files_of_a_killed_backup_are_removed_at_start(demo_store, db_path):
    folder = backup.backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f".{db_path.stem}-20240101-080000-daily.sqlite.4242.tmp"
    old = [folder / stem, folder / (stem + "-journal"), folder / (stem + "-wal")]
    fresh = folder / f".{db_path.stem}-20240101-090000-daily.sqlite.4343.tmp"
    foreign = folder / ".someone-else.tmp"
    hour_ago = time.time() - 3600
    for p in [*old, fresh, foreign]:
        p.write_bytes(b"half a backup")
    for p in [*old, foreign]:
        os.utime(p, (hour_ago, hour_ago))
    safety.daily_backup(demo_store)
    assert not any(p.exists() for p in old)
    assert fresh.exists(), "a temp file of a backup running now must stay"
    assert foreign.exists(), "only the program's own temp files are removed"


# --- the lock file ------------------------------------------------------------------------

def test_a_lock_file_name_too_long_is_said_in_danish(tmp_path):
    db_file = tmp_path / ("l" * 245 + ".sqlite")  # 252 bytes; with ".lock" 257
    with pytest.raises(KkrError) as err:
        lock.acquire(db_file, user="test")
    assert "Filnavnet er for langt" in err.value.message, err.value.message
    assert "File name too long" not in err.value.message.split("(")[0]


def test_the_window_says_a_raw_os_error_in_danish(qapp):
    from kkr_desktop.ui import errors

    text = errors.message_for(OSError(errno.ENOSPC, "No space left on device", "/x/a.pdf"))
    assert text.startswith("Disken er fuld") and "/x/a.pdf" in text
    text = errors.message_for(_sqlite_error("SQLITE_FULL", 13, "database or disk is full"))
    assert text.startswith("Disken er fuld")
