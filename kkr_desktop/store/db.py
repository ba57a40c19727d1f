"""Opening the database, migrations, transactions and the audit log."""

from __future__ import annotations

import csv
import getpass
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from kkr_desktop.core import chain
from kkr_desktop.core.errors import FaultError, StoreError
from kkr_desktop.core.faults import fault_text, is_busy, is_damage, is_fault
from kkr_desktop.paths import migrations_dir, resources_dir
from kkr_desktop.store.files import disk_is_full, read_only_uri
from kkr_desktop.store.network import is_network_path, journal_mode_for  # noqa: F401 (API)

_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 10_000
QUICK_CHECK_ABOVE = 200 * 1024 * 1024  # bytes; a full integrity_check of more takes too long
# to wait for before a write (the window's background check runs the full one at any size)
# Less free space than this when SQLite reports an I/O error: the disk is full (SQLite
# reports a full disk as SQLITE_FULL only where it notices; a WAL index that cannot grow, or
# a write the OS refuses, comes as a plain SQLITE_IOERR).
READ_ONLY_MESSAGE = ("Databasen er åbnet skrivebeskyttet (den er åben hos en anden), så intet "
                     "kan ændres. Luk og åbn den igen, når den anden har lukket den.")


class DamagedError(StoreError):
    """The database file fails SQLite's integrity check or is not a database at all."""

    def __init__(self, path: Path | None, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:5])
        super().__init__(f"Databasefilen {path} er beskadiget og kan ikke bruges sikkert:\n"
                         f"{shown}\nGendan den nyeste gode sikkerhedskopi (kommandoen "
                         "«restore» eller «Filer → Gendan fra sikkerhedskopi…»).")


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account): still audit something
        return "ukendt"


def migrations() -> list[tuple[int, Path]]:
    found = []
    for path in sorted(migrations_dir().iterdir()):
        m = _MIGRATION.match(path.name)
        if m:
            found.append((int(m[1]), path))
    numbers = [n for n, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise StoreError(f"Migrationerne er ikke nummereret 1, 2, 3, …: {numbers}")
    return found


class Store:
    """One open database. Every write goes through `transaction()` and is audited."""

    def __init__(self, conn: sqlite3.Connection | Any, path: Path | None, *,
                 read_only: bool = False) -> None:
        self.conn = conn
        self.path = path
        # "sqlite" (a file, one writer at a time by the lock file) or "postgresql" (a server,
        # several writers, queued per transaction); `url` names the server, without password
        self.backend: str = getattr(conn, "backend", "sqlite")
        self.url: str | None = getattr(conn, "url", None)
        self.read_only = read_only
        self.user = current_user()
        self.on_close: list[Any] = []  # callables run by close(), e.g. releasing the lock
        self.notices: list[str] = []  # said to the user after opening (a failed backup)
        self._depth = 0
        # The audit rows this store committed (a change watcher's "not news"), and those of
        # the transaction under way, with where each open savepoint began in it
        self.own_audit_ids: set[int] = set()
        self._pending_ids: list[int] = []
        self._savepoint_marks: list[int] = []
        self._db = None
        self._has_chain: bool | None = None  # audit_log has its chain column (asked once)
        # The full integrity check owed before the first write (see open_store): True once
        # it passed or when none was asked for; the problems once it failed.
        self.sound = True
        self.damage: list[str] = []

    @property
    def db(self):
        """sqlite-utils' view of the same connection (introspection, tooling). Created on
        first use: importing sqlite-utils costs a tenth of a second of every start. Schema
        and money columns are never left to it: migrations declare them (INTEGER øre)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    # --- transactions -----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One atomic unit of work; nested calls become savepoints."""
        if self._depth == 0:
            if self.read_only:
                raise StoreError(READ_ONLY_MESSAGE)
            self.require_sound()
            try:
                if self.backend == "postgresql":
                    from kkr_desktop.store.pg import WRITER_LOCK

                    self.conn.execute("BEGIN")
                    self.conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITER_LOCK,))
                else:
                    self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                self._roll_back()
                raise self._write_error(exc) from exc
        else:
            self.conn.execute(f"SAVEPOINT sp{self._depth}")
            self._savepoint_marks.append(len(self._pending_ids))
        self._depth += 1
        try:
            yield self
        except BaseException as exc:
            self._depth -= 1
            if self._depth == 0:
                self._pending_ids.clear()
            else:
                del self._pending_ids[self._savepoint_marks.pop():]
            # After SQLITE_FULL or an I/O error SQLite may already have rolled the whole
            # transaction back; a ROLLBACK then fails and would hide the real error. So
            # does a server connection that broke: the server rolled it back itself.
            if self.conn.in_transaction and not self._connection_lost():
                if self._depth == 0:
                    self._roll_back()
                else:
                    self.conn.execute(f"ROLLBACK TO sp{self._depth}")
                    self.conn.execute(f"RELEASE sp{self._depth}")
            if isinstance(exc, sqlite3.Error) and (self.backend == "postgresql"
                                                   and _lost_server(exc)
                                                   or is_fault_of_disk(exc)):
                raise self._write_error(exc) from exc
            raise
        else:
            self._depth -= 1
            if self._depth > 0:
                self._savepoint_marks.pop()
            if self._depth == 0:
                pending, self._pending_ids = self._pending_ids, []
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.Error as exc:
                    self._roll_back()
                    raise self._write_error(exc) from exc
                self.own_audit_ids.update(pending)
            else:
                self.conn.execute(f"RELEASE sp{self._depth}")

    def _connection_lost(self) -> bool:
        raw = getattr(self.conn, "raw", None)
        return raw is not None and (raw.closed or raw.broken)

    def _roll_back(self) -> None:
        """ROLLBACK if a transaction is open; a failure of it never hides the real error."""
        if self._connection_lost() or not self.conn.in_transaction:
            return
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def _write_error(self, exc: sqlite3.Error) -> StoreError:
        if self._connection_lost():
            return StoreError(f"Forbindelsen til databaseserveren {self.where} blev afbrudt, "
                              "så ændringen er ikke gemt (serveren har rullet den tilbage). "
                              "Luk programmet, og åbn det igen, når serveren svarer.")
        if self.backend == "postgresql":
            return StoreError(f"Databaseserveren {self.where} tog ikke imod ændringen: {exc}. "
                              "Intet er gemt.")
        return _write_error(exc, self.path)

    @property
    def where(self) -> str:
        """The database as the user knows it: the file, or the server (without password)."""
        if self.url is not None:
            from kkr_desktop.store.pg import safe_url

            return safe_url(self.url)
        return str(self.path) if self.path is not None else "i hukommelsen"

    def has_table(self, name: str) -> bool:
        return table_exists(self.conn, name)

    def columns(self, table: str) -> list[str]:
        """The table's column names, in order."""
        if self.backend == "postgresql":
            return [r[0] for r in self.rows(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND table_schema = current_schema() ORDER BY ordinal_position", (table,))]
        return [r[1] for r in self.rows(f"PRAGMA table_info({table})")]

    def require_sound(self) -> None:
        """Raise DamagedError unless the full integrity check has passed: run it now if it
        is owed (opening only read the file; the window runs it in the background)."""
        if self.damage:
            raise DamagedError(self.path, self.damage)
        if self.sound:
            return
        self.mark_checked(integrity_problems(self.conn, self.path, full=True))
        if self.damage:
            raise DamagedError(self.path, self.damage)

    def mark_checked(self, problems: list[str]) -> None:
        """The full integrity check's verdict (run here or on another connection)."""
        self.damage = list(problems)
        self.sound = not problems

    def _require_transaction(self) -> None:
        if self._depth == 0:
            raise RuntimeError("writes must run inside Store.transaction()")

    # --- queries ----------------------------------------------------------------------
    def rows(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: tuple | dict = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # --- audited writes ---------------------------------------------------------------
    def audit(self, table: str, key: Any, action: str, old: dict | None, new: dict | None,
              *, secretariat_id: int | None = None, year: int | None = None) -> None:
        self._require_transaction()
        if old is not None and new is not None:
            changed = {k for k in new if old.get(k) != new.get(k)}
            if not changed:
                return
            old = {k: old.get(k) for k in sorted(changed)}
            new = {k: new[k] for k in sorted(changed)}
        if not self._chained():  # a schema from before the chain (an old file, tests)
            self.conn.execute(
                "INSERT INTO audit_log (at, who, tbl, key, secretariat_id, year, action, "
                "old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (now(), self.user, table, str(key), secretariat_id, year, action,
                 _dump(old), _dump(new)))
            return
        # Chained to the newest row (see core/chain.py); the write transaction holds the
        # database, so no other writer comes between reading it and appending.
        last = self.one(f"SELECT {', '.join(chain.FIELDS)}, chain FROM audit_log "
                        "ORDER BY id DESC LIMIT 1")
        values = ((last["id"] + 1) if last else 1, now(), self.user, table, str(key),
                  secretariat_id, year, action, _dump(old), _dump(new))
        previous = chain.link_of(last["chain"], tuple(last)[:-1]) if last else ""
        self.conn.execute(
            "INSERT INTO audit_log (id, at, who, tbl, key, secretariat_id, year, action, "
            "old_value, new_value, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, chain.link(previous, values)))
        self._pending_ids.append(values[0])

    def _chained(self) -> bool:
        """Asked of the schema once per store, not on every audited write: a Store is made
        after migrating, and a restore migrates its content to the same (latest) schema."""
        if self._has_chain is None:
            self._has_chain = "chain" in self.columns("audit_log")
        return self._has_chain

    def insert(self, table: str, values: dict, *, key: str | tuple[str, ...] = "id",
               secretariat_id: int | None = None, year: int | None = None) -> int:
        """Insert and audit one row; `key` names the column (or the columns of a key of
        several, as update and delete write it) that the audit row is keyed by."""
        self._require_transaction()
        cols = ", ".join(_quoted(c) for c in values)
        marks = ", ".join("?" for _ in values)
        cur = self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})",
                                tuple(values.values()))
        rowid = cur.lastrowid
        logged = (_key_text({k: values[k] for k in key}) if isinstance(key, tuple)
                  else values.get(key, rowid))
        self.audit(table, logged, "insert", None, values,
                   secretariat_id=secretariat_id, year=year)
        return int(rowid) if rowid is not None else 0

    def update(self, table: str, where: dict, values: dict, *,
               secretariat_id: int | None = None, year: int | None = None) -> None:
        self._require_transaction()
        cond = " AND ".join(f"{_quoted(k)} = ?" for k in where)
        old = self.one(f"SELECT * FROM {table} WHERE {cond}", tuple(where.values()))
        if old is None:
            raise StoreError(f"Rækken {where} i {table} findes ikke.")
        sets = ", ".join(f"{_quoted(k)} = ?" for k in values)
        self.conn.execute(f"UPDATE {table} SET {sets} WHERE {cond}",
                          (*values.values(), *where.values()))
        self.audit(table, _key_text(where), "update", dict(old), values,
                   secretariat_id=secretariat_id, year=year)

    def delete(self, table: str, where: dict, *, secretariat_id: int | None = None,
               year: int | None = None) -> None:
        self._require_transaction()
        cond = " AND ".join(f"{_quoted(k)} = ?" for k in where)
        for old in self.rows(f"SELECT * FROM {table} WHERE {cond}", tuple(where.values())):
            self.audit(table, _key_text(where), "delete", dict(old), None,
                       secretariat_id=secretariat_id, year=year)
        self.conn.execute(f"DELETE FROM {table} WHERE {cond}", tuple(where.values()))

    def close(self) -> None:
        self.conn.close()
        callbacks, self.on_close = self.on_close, []
        for callback in callbacks:
            callback()

    @property
    def schema_version(self) -> int:
        if self.backend == "postgresql":
            from kkr_desktop.store import pg

            return pg.schema_version(self.conn)
        return int(self.scalar("PRAGMA user_version"))


def table_exists(conn: Any, name: str) -> bool:
    """The database has a table of that name (a file from before it has none)."""
    if getattr(conn, "backend", "sqlite") == "postgresql":
        return conn.execute("SELECT to_regclass(?)", (name,)).fetchone()[0] is not None
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def _lost_server(exc: sqlite3.Error) -> bool:
    """The server connection broke or the server refused the write (not a refusal of ours:
    those are integrity errors with their own message)."""
    return isinstance(exc, sqlite3.OperationalError)


def is_fault_of_disk(exc: BaseException) -> bool:
    """A SQLite error of the disk or the file system (full, I/O, read-only, no access)."""
    return is_fault(exc) and not isinstance(exc, OSError)


def fault_error(exc: BaseException, path: Path | None, then: str = "") -> FaultError:
    """A disk or file system fault while using the database file, in Danish."""
    subject = f"databasen {path}" if path is not None else "databasen"
    text = fault_text(exc, subject, disk_full=disk_is_full(path))
    return FaultError(f"{text} {then}".strip())


def _write_error(exc: sqlite3.Error, path: Path | None) -> StoreError:
    """A write that SQLite refused: busy (another writer), or a fault of the disk."""
    if is_busy(exc):
        return _busy_error(exc)
    if is_damage(exc):
        return DamagedError(path, [str(exc)])
    return fault_error(exc, path, "Intet er gemt.")


def _busy_error(exc: sqlite3.Error) -> StoreError:
    """SQLite gave up waiting for another writer: say so in words, never as a traceback."""
    return StoreError("Databasen er optaget af en anden, der gemmer, og blev ikke ledig inden "
                      f"for {BUSY_TIMEOUT_MS // 1000} sekunder. Intet er gemt; prøv igen. "
                      f"({exc})")


def _quoted(column: str) -> str:
    """A column name as an SQL identifier: some are words PostgreSQL reserves (`by`)."""
    return '"' + column.replace('"', '""') + '"'


def _dump(values: dict | None) -> str | None:
    return None if values is None else json.dumps(values, ensure_ascii=False, default=str)


def _key_text(where: dict) -> str:
    return ",".join(f"{v}" for v in where.values()) if len(where) > 1 else str(
        next(iter(where.values())))


def connect(path: Path | str | None, *, read_only: bool = False,
            network: bool | None = None) -> sqlite3.Connection:
    if path is None:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    elif read_only:
        uri = read_only_uri(path)
        conn = sqlite3.connect(uri, uri=True, isolation_level=None,
                               timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None,
                               timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    try:
        _configure(conn, path, read_only=read_only, network=network)
    except BaseException:
        # A damaged file fails here ("file is not a database"). Closed now, not when the
        # error's traceback goes: Windows cannot move aside a file that is still open.
        conn.close()
        raise
    return conn


def _configure(conn: sqlite3.Connection, path: Path | str | None, *, read_only: bool,
               network: bool | None) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    # REPLACE's implicit delete then fires the DELETE triggers that guard approved rows
    conn.execute("PRAGMA recursive_triggers = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if path is not None and not read_only:
        mode = journal_mode_for(path, network)
        try:
            conn.execute(f"PRAGMA journal_mode = {mode}")
        except sqlite3.OperationalError:
            pass  # another connection holds the file; it keeps the mode it has until then
        # FULL: a commit is on the disk before it is reported, so a power cut loses none.
        conn.execute("PRAGMA synchronous = FULL")


def integrity_problems(conn: sqlite3.Connection, path: Path | None = None, *,
                       full: bool = True, any_size: bool = False) -> list[str]:
    """SQLite's integrity_check; [] when the file is ok. full=False: quick_check (every page
    and b-tree, not the indexes against their tables: a tenth of the time); so is a file
    over QUICK_CHECK_ABOVE unless any_size (a check nobody waits for)."""
    size = path.stat().st_size if path is not None and path.exists() else 0
    quick = not full or (size > QUICK_CHECK_ABOVE and not any_size)
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = conn.execute(f"PRAGMA {pragma}(20)").fetchall()
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return [str(exc)]
        raise fault_error(exc, path) from exc  # a full disk is no damage to the file
    return [str(r[0]) for r in rows if r[0] != "ok"]


def pending_migrations(conn: sqlite3.Connection) -> tuple[int, int]:
    """(the file's schema version, the newest this program knows)."""
    known = migrations()
    return (int(conn.execute("PRAGMA user_version").fetchone()[0]),
            known[-1][0] if known else 0)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration newer than the file, each in its own transaction."""
    known = migrations()
    latest = known[-1][0] if known else 0
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > latest:
        raise StoreError(
            f"Databasen er fra en nyere version af programmet (skemaversion {version}, "
            f"dette program kender op til {latest}). Opdater programmet for at åbne den.")
    for number, path in known:
        if number <= version:
            continue
        sql = path.read_text(encoding="utf-8")
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\n"
                               "COMMIT;")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if is_fault_of_disk(exc):
                raise fault_error(exc, None, f"Opdateringen af databasen ({path.name}) er "
                                  "ikke sket; databasen er uændret.") from exc
            raise StoreError(f"Opdatering af databasen ({path.name}) mislykkedes: {exc}. "
                             "Databasen er uændret.") from exc
    conn.execute("PRAGMA foreign_keys = ON")
    return latest


def seed_reference(store: Store) -> None:
    """The five KKR and the 98 kommuner, from resources/kommuner.csv (idempotent)."""
    if store.scalar("SELECT count(*) FROM kommune"):
        return
    with open(resources_dir() / "kommuner.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    with store.transaction():
        kkr_ids = {r["name"]: r["id"] for r in store.rows("SELECT id, name FROM kkr")}
        for row in rows:
            if row["kkr"] not in kkr_ids:
                kkr_ids[row["kkr"]] = store.insert("kkr", {"name": row["kkr"]}, key="name")
        store.conn.executemany(
            "INSERT INTO kommune (code, name, kkr_id) VALUES (?, ?, ?)",
            [(int(r["kommunekode"]), r["kommune"], kkr_ids[r["kkr"]]) for r in rows])


def _open_error(exc: sqlite3.DatabaseError, path: Path | None) -> StoreError:
    """Damage only when SQLite says so (SQLITE_CORRUPT, SQLITE_NOTADB); a full disk, an I/O
    error or a missing permission is said as such, and no restore is offered for it."""
    if is_damage(exc):
        return DamagedError(path, [str(exc)])
    if is_busy(exc):
        return _busy_error(exc)
    return fault_error(exc, path, "Databasen er ikke ændret.")


def open_store(path: Path | str | None, *, create: bool = True, check: bool = False,
               later: bool = False, read_only: bool = False, network: bool | None = None
               ) -> Store:
    """Open (and create, migrate and seed) a database. None opens one in memory.

    check: make sure of the file: SQLite's quick_check now (DamagedError), and the full
    integrity_check before the store's first write (Store.require_sound), so the check's
    cost grows with the file only for a session that writes. later=True skips the
    quick_check too (the window runs the full check in the background after its first
    paint); a file that is not a database at all is refused either way.
    read_only: open without writing anything (no migration, no seeding); writes raise.
    network: the user's "the file is on a network share" setting (None: detect).
    An existing file is backed up (backups/…-migration.sqlite) before a migration runs.
    """
    from kkr_desktop.store import pg

    if pg.is_url(path):
        return open_server_store(str(path), read_only=read_only)
    p = Path(path) if path is not None else None
    if p is not None:
        if not p.exists():
            if not create or read_only:
                raise StoreError(f"Databasen {p} findes ikke.")
            p.parent.mkdir(parents=True, exist_ok=True)
        elif p.is_dir():
            raise StoreError(f"{p} er en mappe, ikke en databasefil.")
    try:
        conn = connect(p, read_only=read_only, network=network)
    except sqlite3.DatabaseError as exc:
        raise _open_error(exc, p) from exc
    try:
        version, latest = pending_migrations(conn)  # reads the header: not a database?
        migrating = p is not None and 0 < version < latest and not read_only
        if check and (migrating or not later):
            problems = integrity_problems(conn, p, full=migrating)
            if problems:
                raise DamagedError(p, problems)
        if read_only:
            if version < latest:
                raise StoreError(f"Databasen {p} skal opdateres til en nyere skemaversion, "
                                 "og det kan ikke ske, når den er åbnet skrivebeskyttet.")
            if version > latest:
                migrate(conn)  # raises the "newer program" message
            return Store(conn, p, read_only=True)  # never writes: owes no check
        if migrating:
            from kkr_desktop.store import backup

            backup.take(conn, p, "migration")
        migrate(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _open_error(exc, p) from exc
    except BaseException:
        conn.close()
        raise
    store = Store(conn, p)
    store.sound = not check or migrating  # a migration was preceded by the full check
    seed_reference(store)
    return store


def open_server_store(url: str, *, read_only: bool = False) -> Store:
    """Open the KKR's database on a PostgreSQL server: migrate it when the connected role
    owns the schema (the administrator, `server init`), else require it to be current."""
    from kkr_desktop.store import pg

    conn = pg.connect(url)
    try:
        version, latest = pg.pending(conn)
        if version > latest or (version < latest and not read_only and pg.may_migrate(conn)):
            pg.migrate(conn)
        elif version < latest:
            pg.require_current_schema(conn)  # the administrator's to migrate, said so
    except BaseException:
        conn.close()
        raise
    store = Store(conn, None, read_only=read_only)
    if not read_only:
        seed_reference(store)
    return store
