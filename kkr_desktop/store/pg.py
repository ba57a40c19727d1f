"""PostgreSQL as the store's second back end: a psycopg 3 connection that speaks like sqlite3.

The store's modules write their SQL once, in the dialect both databases share, with `?`
placeholders, and read rows by name or position. `PgConnection` gives them the same small
surface as a `sqlite3.Connection` (execute, executemany, executescript, in_transaction,
close): it turns `?` into psycopg's `%s`, returns rows that index like `sqlite3.Row`, gives
an INSERT's new id as `lastrowid`, and raises the DB-API errors of the `sqlite3` module, so
the callers' error handling (an integrity error from a trigger is a refusal; an operational
error is a fault) is the same on both. PostgreSQL's trigger refusals carry the same Danish
text as SQLite's RAISE(ABORT, …), and SQLSTATE 23000.

psycopg is imported here only, and only when a server is used: the single user's program
never loads it.
"""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any

from kkr_desktop.core.errors import StoreError
from kkr_desktop.paths import pg_migrations_dir

# One lock for every writer: a write transaction takes it first, so writers queue as on
# SQLite (BEGIN IMMEDIATE) and the audit chain stays one line. A transaction-level advisory
# lock needs no privilege and is released by COMMIT or ROLLBACK, also when a client dies.
WRITER_LOCK = 0x4B4B52  # "KKR"
_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# One row per applied migration (as store/server.py reads it)
VERSION_TABLE_SQL = ("CREATE TABLE IF NOT EXISTS kkr_schema (version integer PRIMARY KEY, "
                     "applied_at timestamptz NOT NULL DEFAULT now(), "
                     "applied_by text NOT NULL DEFAULT session_user)")


def is_url(target: object) -> bool:
    from kkr_desktop.store.credentials import is_server_url

    return is_server_url(target)


def safe_url(url: str) -> str:
    """The URL as it may be shown or logged: without a password."""
    from kkr_desktop.store.credentials import masked

    return masked(url)


class Row(tuple):
    """A row read by position or by column name, like sqlite3.Row (and dict(row) works)."""

    _names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._names.index(key))
            except ValueError:
                raise IndexError(f"No item with that key: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@lru_cache(maxsize=64)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"_names": names, "__slots__": ()})


def _row_factory(cursor: Any) -> Any:
    desc = cursor.description
    if desc is None:
        return tuple
    cls = _row_class(tuple(d.name for d in desc))
    return lambda values: cls(values)


_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+([A-Za-z_][A-Za-z0-9_]*)", re.I)


@lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """`?` → `%s` and `%` → `%%` outside quoted text and comments; the rest is untouched."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c in ("'", '"'):
            j = i + 1
            while j < n:
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i:j + 1].replace("%", "%%"))
            i = j + 1
        elif c == "-" and sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(sql[i:j].replace("%", "%%"))
            i = j
        elif c == "?":
            out.append("%s")
            i += 1
        elif c == "%":
            out.append("%%")
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _error(exc: Exception) -> sqlite3.Error:
    """psycopg's error as the sqlite3 module's class of the same DB-API kind, with the
    server's own message (for a trigger: the Danish refusal, word for word)."""
    import psycopg

    diag = getattr(exc, "diag", None)
    text = (getattr(diag, "message_primary", None) or str(exc)).strip()
    state = getattr(exc, "sqlstate", None) or ""
    if isinstance(exc, psycopg.errors.IntegrityError) or state.startswith("23"):
        err: sqlite3.Error = sqlite3.IntegrityError(text)
    elif state == "P0001":  # a RAISE without an error code: a refusal all the same
        err = sqlite3.IntegrityError(text)
    elif isinstance(exc, psycopg.errors.InsufficientPrivilege):
        err = sqlite3.IntegrityError(f"Ingen adgang: {text}")
    elif isinstance(exc, psycopg.errors.ProgrammingError | psycopg.errors.DataError):
        err = sqlite3.OperationalError(text)
    elif isinstance(exc, psycopg.OperationalError):
        err = sqlite3.OperationalError(text)
    else:
        err = sqlite3.DatabaseError(text)
    err.sqlstate = state  # type: ignore[attr-defined]
    return err


class PgCursor:
    """The part of sqlite3.Cursor the store uses."""

    def __init__(self, cur: Any, lastrowid: int | None = None) -> None:
        self._cur = cur
        self.lastrowid = lastrowid

    @property
    def rowcount(self) -> int:
        return int(self._cur.rowcount)

    def fetchone(self) -> Any:
        return self._cur.fetchone() if self._cur.description is not None else None

    def fetchall(self) -> list[Any]:
        return self._cur.fetchall() if self._cur.description is not None else []

    def fetchmany(self, size: int = 1) -> list[Any]:
        return self._cur.fetchmany(size) if self._cur.description is not None else []

    def __iter__(self):
        return iter(self.fetchall())


class PgConnection:
    """A psycopg connection with sqlite3.Connection's manners (autocommit; the Store issues
    BEGIN/SAVEPOINT/COMMIT itself, as it does on SQLite)."""

    backend = "postgresql"

    def __init__(self, raw: Any, url: str, dsn: str | None = None,
                 password: str | None = None) -> None:
        self.raw = raw
        self.url = url  # without password: shown, logged
        self._dsn = dsn or url
        self._password = password
        self._id_tables: set[str] | None = None

    def clone(self) -> PgConnection:
        """Another session of the store's kind, as the same user (a worker thread's own)."""
        return connect(self._dsn, password=self._password)

    def connect_again(self) -> Any:
        """Another session as the same user (psycopg's own, autocommit), e.g. to LISTEN."""
        from kkr_desktop.store import credentials

        return credentials.connect(self._dsn, password=self._password, autocommit=True)

    # the tables whose rows get an id from the database (INSERT … RETURNING id)
    def _has_identity(self, table: str) -> bool:
        if self._id_tables is None:
            cur = self.raw.execute(
                "SELECT table_name FROM information_schema.columns WHERE column_name = 'id' "
                "AND table_schema = current_schema() AND (is_identity = 'YES' "
                "OR column_default LIKE 'nextval%%')")
            self._id_tables = {r[0] for r in cur.fetchall()}
        return table.lower() in self._id_tables

    def forget_schema(self) -> None:
        self._id_tables = None

    def execute(self, sql: str, params: Any = ()) -> PgCursor:
        import psycopg

        args = tuple(params) if isinstance(params, list) else (params or None)
        # without parameters psycopg reads no placeholders, so `%` must stay single
        text = translate(sql) if args else sql
        m = _INSERT.match(sql)
        returning = (m is not None and " RETURNING " not in sql.upper()
                     and self._has_identity(m[1]))
        if returning:
            text = text.rstrip().rstrip(";") + " RETURNING id"
        try:
            cur = self.raw.execute(text, args)
        except psycopg.Error as exc:
            raise self._failure(exc) from exc
        if returning:
            row = cur.fetchone()
            return PgCursor(cur, int(row[0]) if row else None)
        return PgCursor(cur)

    def executemany(self, sql: str, seq: Any) -> PgCursor:
        import psycopg

        try:
            with self.raw.cursor() as cur:
                cur.executemany(translate(sql), list(seq))
                return PgCursor(cur)
        except psycopg.Error as exc:
            raise self._failure(exc) from exc

    def _failure(self, exc: Exception) -> Exception:
        """The error as the store's callers know it; a broken connection in Danish."""
        if self.raw.closed or self.raw.broken:
            return StoreError(
                f"Forbindelsen til databaseserveren {self.url} blev afbrudt, så intet er "
                "gemt eller læst (serveren ruller en påbegyndt ændring tilbage). Luk "
                "programmet, og åbn det igen, når serveren svarer.")
        return _error(exc)

    def executescript(self, sql: str) -> None:
        """Statements without parameters, as sqlite3's executescript (tests, migrations)."""
        import psycopg

        try:
            self.raw.execute(sql.encode("utf-8"), prepare=False)
        except psycopg.Error as exc:
            raise _error(exc) from exc

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()

    @property
    def info(self) -> Any:
        """psycopg's connection info (backend_pid, dbname, host, port)."""
        return self.raw.info

    def interrupt(self) -> None:
        self.raw.cancel_safe() if hasattr(self.raw, "cancel_safe") else self.raw.cancel()


def _numeric_as_int(raw: Any) -> None:
    """sum() and the like of BIGINT give NUMERIC: read a whole number as int (money is
    integer øre), a fraction as Decimal. No column of ours is NUMERIC."""
    from decimal import Decimal

    from psycopg.types.numeric import NumericLoader

    class WholeNumericLoader(NumericLoader):
        def load(self, data: Any) -> Any:
            value = super().load(data)
            if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral():
                return int(value)
            return value

    raw.adapters.register_loader("numeric", WholeNumericLoader)


def connect(url: str, *, password: str | None = None) -> PgConnection:
    """Connect (autocommit, rows like sqlite3.Row), the password found as
    store/credentials.py says; a Danish ServerError naming the server if it cannot."""
    from kkr_desktop.store import credentials

    raw = credentials.connect(url, password=password, autocommit=True)
    raw.row_factory = _row_factory
    _numeric_as_int(raw)
    raw.execute("SET TIME ZONE 'Europe/Copenhagen'")
    address, _ = credentials.parse(url)
    return PgConnection(raw, address.url(), url, password)


# --- migrations ----------------------------------------------------------------------------

def pg_migrations() -> list[tuple[int, Path]]:
    """db/migrations_pg's files, numbered 1, 2, 3, … without a gap."""
    folder = pg_migrations_dir()
    found = sorted((int(m[1]), p) for p in (folder.iterdir() if folder.is_dir() else ())
                   if (m := _MIGRATION.match(p.name)))
    numbers = [n for n, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise StoreError(f"PostgreSQL-migrationerne i {folder} er ikke nummereret 1, 2, 3, …: "
                         f"{numbers}")
    return found


def latest_version() -> int:
    found = pg_migrations()
    return found[-1][0] if found else 0


def schema_version(conn: Any) -> int:
    """The newest migration applied to the database (0: none, or no version table yet);
    `conn` is the store's PgConnection or psycopg's own."""
    raw = getattr(conn, "raw", conn)
    if raw.execute("SELECT to_regclass('kkr_schema')").fetchone()[0] is None:
        return 0
    return int(raw.execute("SELECT coalesce(max(version), 0) FROM kkr_schema").fetchone()[0])


def require_current_schema(conn: Any) -> None:
    """Refuse to work on a database whose schema is not the program's: older (the server's
    administrator must migrate it; an officer cannot) or newer (the program is too old)."""
    conn = getattr(conn, "raw", conn)
    have, want = schema_version(conn), latest_version()
    where = f"Databasen «{conn.info.dbname}» på PostgreSQL-serveren {conn.info.host}:" \
            f"{conn.info.port}"
    if have < want:
        raise StoreError(
            f"{where} har skemaversion {have}, men programmet kræver version {want}. "
            "Serverens administrator skal opdatere den med «kkr-desktop server migrate "
            "postgresql://…» (en ny database: «kkr-desktop server init postgresql://…»); "
            "en medarbejder kan ikke selv gøre det.")
    if have > want:
        raise StoreError(f"{where} har skemaversion {have}, som er nyere end programmets "
                         f"({want}). Installér den nyeste version af programmet.")


def pending(conn: PgConnection) -> tuple[int, int]:
    known = pg_migrations()
    return schema_version(conn), (known[-1][0] if known else 0)


def migrate(conn: PgConnection | Any) -> int:
    """Apply every migration newer than the database, each in its own transaction. Only the
    schema's owner can (CREATE and ALTER): an officer's connection gets a Danish refusal
    from require_current (below) before it comes here."""
    import psycopg

    known = pg_migrations()
    latest = known[-1][0] if known else 0
    version = schema_version(conn)
    if version > latest:
        raise StoreError(
            f"Databasen på serveren er fra en nyere version af programmet (skemaversion "
            f"{version}, dette program kender op til {latest}). Opdater programmet.")
    raw = getattr(conn, "raw", conn)  # a PgConnection, or psycopg's own (server init)
    for number, path in known:
        if number <= version:
            continue
        sql = path.read_text(encoding="utf-8")
        try:
            with raw.transaction():
                raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
                if schema_version(raw) >= number:  # another PC migrated meanwhile
                    continue
                raw.execute(VERSION_TABLE_SQL)
                raw.execute(sql.encode("utf-8"), prepare=False)
                raw.execute("INSERT INTO kkr_schema (version) VALUES (%s)", (number,))
        except psycopg.Error as exc:
            raise StoreError(f"Opdatering af databasen på serveren ({path.name}) mislykkedes: "
                             f"{_error(exc)}. Databasen er uændret.") from exc
    if isinstance(conn, PgConnection):
        conn.forget_schema()
    return latest


def may_migrate(conn: PgConnection) -> bool:
    """Whether opening may migrate: the connected role may create in the schema (its owner
    or a superuser), and the database is not one `server init` made. Such a database is
    migrated by `server migrate` only, as its owner role with the officers' grants renewed;
    an officer's connection never migrates."""
    row = conn.raw.execute(
        "SELECT has_schema_privilege(current_schema(), 'CREATE'), "
        "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user), "
        "(SELECT pg_get_userbyid(datdba) = current_database() || '_owner' FROM pg_database "
        "WHERE datname = current_database())").fetchone()
    return bool(row[0] or row[1]) and not row[2]
