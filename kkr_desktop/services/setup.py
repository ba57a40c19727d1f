"""Opening a database for the program, and the demo."""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kkr_desktop.core.errors import KkrError, StoreError
from kkr_desktop.core.faults import is_damage
from kkr_desktop.paths import default_db_path, demo_db_path, resources_dir
from kkr_desktop.store import secretariats
from kkr_desktop.store.credentials import ServerError, is_server_url, masked
from kkr_desktop.store.db import DamagedError, Store, current_user, fault_error, open_store

DEMO_SECRETARIAT = "Det fælleskommunale Sundhedssekretariat"
DEMO_KEY_QUARTER = "2020K1"
DEMO_PL_SOURCE = "Demo: KL's PL-skøn som i Sundhedssekretariatets budget"
AALBORG = 851


def resolve_db(db: Path | str | None, demo: bool) -> Path:
    """The database file to use. A server URL is no file: a StoreError says so (restore,
    for one, works on files only)."""
    if is_server_url(db):
        raise ServerError(f"Det virker kun på en databasefil, ikke på en server ({masked(db)}). "
                          "På en server tager serverens administrator sikkerhedskopierne "
                          "(pg_dump).")
    if db is not None:
        return Path(db)
    return demo_db_path() if demo else default_db_path()


@dataclass(frozen=True)
class DemoSummary:
    secretariat: str
    members: int
    years: list[int]
    key_quarter: str


def load_demo(store: Store) -> DemoSummary:
    """KKR Nordjylland's Sundhedssekretariat: statement 2023–2024, the 2020K1 key, PL rates.
    Loading twice changes nothing."""
    # imported here: every open goes through this module, and only the demo loads data
    from kkr_desktop.services.members import load_demo_fields
    from kkr_desktop.services.population import import_population
    from kkr_desktop.services.rates import set_pl_rate
    from kkr_desktop.services.statements import import_statement

    with store.transaction():
        import_statement(store, resources_dir() / "sundhedssekretariat.csv", kkr="Nordjylland")
        sec = secretariats.find(store, DEMO_SECRETARIAT)
        secretariats.update(store, sec.id, host_kommune=AALBORG, unit="kr")
        import_population(store, resources_dir() / "folk1a_nordjylland_2020K1.csv")
        set_pl_rate(store, 2023, expected=Decimal("2.8"), final=Decimal("4.1"),
                    source=DEMO_PL_SOURCE)
        set_pl_rate(store, 2024, expected=Decimal("4.8"), source=DEMO_PL_SOURCE)
        # CVR, EAN and accounts for the ERP export (demo EAN and accounts: never invoice)
        load_demo_fields(store, sec.id)
    return DemoSummary(sec.name, len(secretariats.members(store, sec.id, 2024)), [2023, 2024],
                       DEMO_KEY_QUARTER)


def demo_instead(store: Store) -> Path | None:
    """The demo database, when `store` is the default database, has no secretariat yet, and
    the demo's file exists: the user most likely filled the demo and forgot --demo."""
    if store.path is None or secretariats.all_secretariats(store):
        return None
    demo = demo_db_path()
    if Path(store.path).resolve() != default_db_path().resolve() or not demo.is_file():
        return None
    return demo


def network_setting() -> bool | None:
    """The user's "the database is on a network share" setting for non-GUI use:
    KKR_DB_NETWORK=1 (rollback journal) or 0 (WAL); unset means detect from the path."""
    value = os.environ.get("KKR_DB_NETWORK", "").strip().lower()
    if value in ("1", "ja", "yes", "true"):
        return True
    if value in ("0", "nej", "no", "false"):
        return False
    return None


_FOLDER_ERRORS = {
    errno.EEXIST: "der ligger en fil med samme navn",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
    errno.EACCES: "du har ikke skriveadgang dér",
    errno.EPERM: "du har ikke skriveadgang dér",
    errno.EROFS: "drevet er skrivebeskyttet",
    errno.ENOSPC: "disken er fuld",
}


def make_folder(folder: Path) -> None:
    """Create the folder the database lives in (and its parents), or say in Danish why not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = _FOLDER_ERRORS.get(exc.errno, exc.strerror or str(exc))
        # Windows says EEXIST where POSIX says ENOTDIR: name the file that is in the way
        in_the_way = next((p for p in (folder, *folder.parents) if p.is_file()), None)
        if in_the_way is not None:
            reason = _FOLDER_ERRORS[errno.EEXIST if in_the_way == folder else errno.ENOTDIR]
        raise StoreError(f"Mappen til databasen, {folder}, kan ikke oprettes: {reason}."
                         ) from exc


def open_for_use(db: Path | str | None, *, demo: bool = False, session: bool = False,
                 read_only: bool = False, take_over: bool = False,
                 network: bool | None = None) -> Store:
    """Open the database the program works on; a demo database is filled on first use.

    Every open makes sure the file is a database and owes the full integrity check before
    its first write (store/db.py open_store: DamagedError); a command line open also runs
    SQLite's quick_check and takes the day's first backup. The window (session=True) does
    neither while it starts: it runs AfterOpenCheck after its first paint.
    session=True is for an interactive program instance (the window): it takes the
    single-writer lock for as long as the store is open and raises LockHeldError naming
    the holder; take_over=True takes a stale one (after the user was asked). read_only opens
    without lock, backup or writes. CLI commands (session=False) are short single
    transactions that SQLite serialises with its busy timeout.
    """
    from kkr_desktop.store import lock

    if is_server_url(db):  # no lock file and no file checks: the server keeps its own
        from kkr_desktop.services import verify
        from kkr_desktop.services.connection import open_server

        store = open_server(db)
        try:  # as on a file: approvals, guards and logs as the program wrote them
            verify.check_on_open(store)
        except BaseException:
            store.close()
            raise
        return store
    path = resolve_db(db, demo)
    network = network_setting() if network is None else network
    if not read_only:
        # Before the lock: its file lies beside the database, and on a first start the
        # data folder does not exist yet.
        make_folder(path.parent)
    held = None
    if session and not read_only:
        held = lock.acquire(path, user=current_user(), take_over=take_over)
    try:
        store = open_store(path, check=True, later=session, read_only=read_only,
                           network=network)
    except BaseException:
        if held is not None:
            held.release()
        raise
    if held is not None:
        store.on_close.append(held.release)
    try:
        _after_opening(store, path, demo=demo, session=session, read_only=read_only)
    except sqlite3.DatabaseError as exc:  # opening read no more than it needed until here
        store.close()
        if is_damage(exc):
            raise DamagedError(path, [str(exc)]) from exc
        raise fault_error(exc, path, "Databasen er ikke ændret.") from exc
    except BaseException:
        store.close()
        raise
    return store


def _after_opening(store: Store, path: Path, *, demo: bool, session: bool,
                   read_only: bool) -> None:
    from kkr_desktop.services import safety, verify

    if not read_only and not session:
        try:
            safety.daily_backup(store)
        except (KkrError, OSError) as exc:
            store.notices.append(f"Dagens sikkerhedskopi kunne ikke tages: {exc}")
    if demo and not read_only and not secretariats.all_secretariats(store):
        load_demo(store)
    verify.check_on_open(store)  # approvals, triggers and logs as the program wrote them


@dataclass
class AfterOpen:
    """What the checks after the window's first paint found."""

    damage: list[str] = field(default_factory=list)  # the integrity check's problems
    backup_failed: str = ""  # why the day's backup could not be taken
    chain: list[str] = field(default_factory=list)  # the audit log's chain is broken
    bookmark: Any = None  # the whole walk's bookmark, for verify.record_walk


class AfterOpenCheck:
    """The checks that grow with the file, off the window's start: the full integrity check
    (any size), then the day's first backup of a sound file, then the day's walk of the
    whole audit chain. `run()` is for a worker thread: it opens its own read-only
    connection and never touches the window's store; `cancel()` may come from any thread
    (the program is closing) and ends it with CancelledError."""

    class CancelledError(Exception):
        pass

    def __init__(self, path: Path | None, *, take_backup: bool,
                 server: Any = None) -> None:
        """`server`: on a server, a callable giving this check its own connection; the
        server keeps its own integrity and backups, so only the chain is walked."""
        self.path = None if path is None else Path(path)
        self.server = server
        self.take_backup = take_backup
        self._conn = None
        self._cancelled = False
        # sqlite3_interrupt on a connection being closed is a use after free: the closing
        # and the interrupt must never overlap
        self._lock = threading.Lock()

    def cancel(self) -> None:
        self._cancelled = True
        with self._lock:
            if self._conn is not None:
                self._conn.interrupt()

    def _step(self) -> None:
        if self._cancelled:
            raise self.CancelledError

    def run(self) -> AfterOpen:
        from kkr_desktop.services import verify
        from kkr_desktop.store import backup
        from kkr_desktop.store.db import integrity_problems

        result = AfterOpen()
        if self.server is not None:
            return self._walk_on_server(result)
        try:
            store = open_store(self.path, create=False, read_only=True)
        except KkrError as exc:
            if isinstance(exc, DamagedError):
                result.damage = exc.problems
                return result
            raise
        with self._lock:
            self._conn = store.conn
        try:
            self._step()
            result.damage = integrity_problems(store.conn, self.path, any_size=True)
            if result.damage:
                return result
            self._step()
            if self.take_backup:
                try:
                    backup.daily(store.conn, self.path)
                except (KkrError, OSError) as exc:
                    result.backup_failed = f"Dagens sikkerhedskopi kunne ikke tages: {exc}"
            self._step()
            result.chain, result.bookmark = verify.daily_walk(store)
        except sqlite3.OperationalError:
            if self._cancelled:
                raise self.CancelledError from None
            raise
        finally:
            with self._lock:
                self._conn = None
            store.close()
        return result

    def _walk_on_server(self, result: AfterOpen) -> AfterOpen:
        from kkr_desktop.services import verify

        store = Store(self.server(), None, read_only=True)
        with self._lock:
            self._conn = store.conn
        try:
            self._step()
            result.chain, result.bookmark = verify.daily_walk(store)
        except sqlite3.OperationalError:  # the server cancelled the walk: the program closes
            if self._cancelled:
                raise self.CancelledError from None
            raise
        finally:
            with self._lock:
                self._conn = None
            store.close()
        return result


def after_open_check(store: Store) -> AfterOpenCheck | None:
    """The checks the window runs after its first paint: on a file the integrity check, the
    day's backup and the day's walk of the audit chain; on a server the walk (the server
    keeps its own integrity and backups); none for a database in memory."""
    if store.url is not None:
        return AfterOpenCheck(None, take_backup=False, server=store.conn.clone)
    if store.path is None:
        return None
    return AfterOpenCheck(store.path, take_backup=not store.read_only)
