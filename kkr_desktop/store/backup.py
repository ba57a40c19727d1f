"""Backups with SQLite's online backup API, into a `backups` folder beside the database.

A backup is a complete, self-contained database file (rollback journal, no -wal beside it),
written to a temporary name, checked, synced and then renamed, so a half-written backup never
looks like a good one. Names say what and when: ``kkr-budget-20240301-081502-daily.sqlite``.

Kinds: ``daily`` (first start of a day; pruned to the last 30 and one per month for 12
months), ``migration`` (before the schema is updated), ``manual`` (the user asked),
``restore`` (the file as it was before a restore) and ``damaged`` (a damaged file moved
aside; never offered as a source).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from kkr_desktop.core.errors import FaultError, InputError, StoreError
from kkr_desktop.core.faults import fault_text, is_damage, name_too_long
from kkr_desktop.store.files import disk_is_full, read_only_uri

KINDS = ("daily", "migration", "manual", "restore", "damaged")
KEEP_DAILY = 30
KEEP_MONTHS = 12
REPLACE_TRIES = 5
REPLACE_PAUSE = 0.2  # seconds
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<kind>[a-z]+)\.sqlite$")
# What SQLite may put beside the temporary copy while it is written.
_TEMP_SIDECARS = ("", "-journal", "-wal", "-shm")
STALE_TEMP_AFTER = 10 * 60  # seconds; no backup takes that long, so its temp file is left over


@dataclass(frozen=True)
class BackupFile:
    path: Path
    kind: str
    taken_at: datetime

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup_name(db_path: Path, kind: str, when: datetime) -> str:
    return f"{db_path.stem}-{when:%Y%m%d-%H%M%S}-{kind}.sqlite"


def temp_name(target: Path) -> Path:
    """The temporary name a copy to `target` is written under (see remove_stale_temps)."""
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def copy_database(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy the committed state of `conn` into `target` (replaced only when complete).
    Whatever fails, no temporary file is left behind."""
    tmp = temp_name(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_temp(tmp)
        dst = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            conn.backup(dst)
            # The copy carries the source's WAL flag; a backup must be one plain file.
            dst.execute("PRAGMA journal_mode = DELETE")
            result = dst.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dst.close()  # Windows renames no file that is still open
        if result != "ok":
            raise StoreError(f"Sikkerhedskopien {target.name} kunne ikke kontrolleres: "
                             f"{result}. Databasen er uændret.")
        _fsync(tmp)
        _replace(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        if isinstance(exc, sqlite3.Error) and is_damage(exc):
            raise StoreError(f"Sikkerhedskopien {target.name} kunne ikke tages, fordi "
                             f"databasen ikke kan læses helt ({exc}). Databasen er uændret."
                             ) from exc
        if isinstance(exc, PermissionError):  # Windows: mostly a file open elsewhere
            raise FaultError(f"Ingen adgang til sikkerhedskopien {target}: filen er åben i et "
                             "andet program eller skrivebeskyttet, eller mappen må ikke "
                             "skrives i. Databasen er uændret.") from exc
        if name_too_long(tmp):  # Windows (and SQLite) call it a missing file
            exc = OSError(errno.ENAMETOOLONG, "File name too long", str(tmp))
        text = fault_text(exc, f"sikkerhedskopien {target}",
                          disk_full=disk_is_full(target))
        raise FaultError(f"{text} Databasen er uændret.") from exc
    finally:
        _remove_temp(tmp)  # must not hide the error that got us here
    return target


def _remove_temp(tmp: Path) -> None:
    for suffix in _TEMP_SIDECARS:
        with contextlib.suppress(OSError):
            tmp.with_name(tmp.name + suffix).unlink(missing_ok=True)


def remove_stale_temps(db_path: Path, older_than: float = STALE_TEMP_AFTER) -> list[Path]:
    """Remove the temporary files of backups of `db_path` that were killed (a crash, a
    power cut): this program's own pattern only, and only those not touched for a while,
    as another window may be taking a backup right now."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    limit = time.time() - older_than
    mine = re.compile(rf"^\.{re.escape(db_path.stem)}-\d{{8}}-\d{{6}}-[a-z]+\.sqlite"
                      r"\.\d+\.tmp(?:-journal|-wal|-shm)?$")
    removed = []
    for path in folder.iterdir():
        if not mine.match(path.name):
            continue
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed.append(path)
        except OSError:
            pass  # in use on Windows, or gone already; next start tries again
    return removed


def _replace(tmp: Path, target: Path) -> None:
    """os.replace; on Windows tried a few times, as a virus scanner or the search indexer
    may hold the new file for a moment (Windows renames no file that is open)."""
    tries = REPLACE_TRIES if sys.platform == "win32" else 1
    for attempt in range(1, tries + 1):
        try:
            os.replace(tmp, target)
            return
        except PermissionError:
            if attempt == tries:
                raise
            time.sleep(REPLACE_PAUSE)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    except OSError:
        pass  # some network file systems refuse fsync on a read handle; the rename follows
    finally:
        os.close(fd)


def take(conn: sqlite3.Connection, db_path: Path, kind: str,
         when: datetime | None = None) -> Path:
    """A backup of `db_path` (open as `conn`) of the given kind, in the backups folder."""
    if kind not in KINDS:
        raise ValueError(kind)
    when = (when or datetime.now()).replace(microsecond=0)
    target = backup_dir(db_path) / backup_name(db_path, kind, when)
    while target.exists():  # two in the same second: the later one a second on
        when += timedelta(seconds=1)
        target = backup_dir(db_path) / backup_name(db_path, kind, when)
    return copy_database(conn, target)


def list_backups(db_path: Path) -> list[BackupFile]:
    """The backups of this database, newest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        m = _NAME.match(path.name)
        if not m or m["stem"] != db_path.stem or m["kind"] not in KINDS:
            continue
        s = m["stamp"]  # YYYYMMDD-HHMMSS; strptime would import _strptime on every start
        try:
            when = datetime(int(s[0:4]), int(s[4:6]), int(s[6:8]), int(s[9:11]),
                            int(s[11:13]), int(s[13:15]))
        except ValueError:
            continue
        found.append(BackupFile(path, m["kind"], when))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def daily(conn: sqlite3.Connection, db_path: Path, today: date | None = None
          ) -> Path | None:
    """The day's first backup, if none was taken today; then old daily copies are pruned."""
    today = today or date.today()
    remove_stale_temps(db_path)
    if any(b.kind == "daily" and b.taken_at.date() == today for b in list_backups(db_path)):
        return None
    when = datetime.combine(today, datetime.now().time()).replace(microsecond=0)
    path = take(conn, db_path, "daily", when)
    prune(db_path, today)
    return path


def prune(db_path: Path, today: date | None = None) -> list[Path]:
    """Keep the last 30 daily copies and the first copy of each of the last 12 months."""
    today = today or date.today()
    dailies = [b for b in list_backups(db_path) if b.kind == "daily"]
    keep = {b.path for b in dailies[:KEEP_DAILY]}
    months: set[tuple[int, int]] = set()
    this_month = today.year * 12 + today.month - 1
    for b in sorted(dailies, key=lambda b: b.taken_at):
        month = (b.taken_at.year, b.taken_at.month)
        age = this_month - (month[0] * 12 + month[1] - 1)
        if 0 <= age < KEEP_MONTHS and month not in months:
            months.add(month)
            keep.add(b.path)
    removed = remove_stale_temps(db_path)
    for b in dailies:
        if b.path not in keep:
            try:
                b.path.unlink()
                removed.append(b.path)
            except OSError:
                pass  # open in another program; pruned next time
    return removed


def verify(path: Path, latest_version: int) -> int:
    """Check that `path` is a good backup of this program's database; returns its schema
    version. Raises InputError saying what is wrong."""
    if not path.is_file():
        raise InputError(f"Sikkerhedskopien {path} findes ikke.")
    try:
        src = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            problems = [r[0] for r in src.execute("PRAGMA integrity_check(5)") if r[0] != "ok"]
            version = int(src.execute("PRAGMA user_version").fetchone()[0])
            tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master")}
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise FaultError(fault_text(exc, f"sikkerhedskopien {path}")) from exc
        raise InputError(f"{path.name} er ikke en brugbar databasefil: {exc}.") from exc
    if problems:
        raise InputError(f"Sikkerhedskopien {path.name} er selv beskadiget: {problems[0]}.")
    if not {"audit_log", "statement_line"} <= tables:
        raise InputError(f"{path.name} er ikke en sikkerhedskopi af en KKR-database.")
    if version > latest_version:
        raise InputError(f"{path.name} er fra en nyere version af programmet "
                         f"(skemaversion {version}).")
    return version


def copy_into(backup: Path, conn: sqlite3.Connection) -> None:
    """Replace the whole content of the open database `conn` with the backup's (one step,
    under SQLite's write lock, so readers see either the old or the new database)."""
    src = sqlite3.connect(read_only_uri(backup), uri=True)
    try:
        src.backup(conn)
    finally:
        src.close()


def newest_good(db_path: Path, latest_version: int) -> BackupFile | None:
    """The newest backup that passes `verify` (damaged copies are never offered)."""
    for b in list_backups(db_path):
        if b.kind == "damaged":
            continue
        try:
            verify(b.path, latest_version)
        except (InputError, FaultError):
            continue
        return b
    return None
