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

import sqlite_utils

from kkr_desktop.core.errors import StoreError
from kkr_desktop.paths import migrations_dir, resources_dir

_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


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

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        self.db = sqlite_utils.Database(conn)
        self.user = current_user()
        self._depth = 0

    # --- transactions -----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One atomic unit of work; nested calls become savepoints."""
        if self._depth == 0:
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.conn.execute(f"SAVEPOINT sp{self._depth}")
        self._depth += 1
        try:
            yield self
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("ROLLBACK")
            else:
                self.conn.execute(f"ROLLBACK TO sp{self._depth}")
                self.conn.execute(f"RELEASE sp{self._depth}")
            raise
        else:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("COMMIT")
            else:
                self.conn.execute(f"RELEASE sp{self._depth}")

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
        self.conn.execute(
            "INSERT INTO audit_log (at, who, tbl, key, secretariat_id, year, action, "
            "old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (now(), self.user, table, str(key), secretariat_id, year, action,
             _dump(old), _dump(new)))

    def insert(self, table: str, values: dict, *, key: str = "id",
               secretariat_id: int | None = None, year: int | None = None) -> int:
        self._require_transaction()
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cur = self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})",
                                tuple(values.values()))
        rowid = cur.lastrowid
        self.audit(table, values.get(key, rowid), "insert", None, values,
                   secretariat_id=secretariat_id, year=year)
        return int(rowid) if rowid is not None else 0

    def update(self, table: str, where: dict, values: dict, *,
               secretariat_id: int | None = None, year: int | None = None) -> None:
        self._require_transaction()
        cond = " AND ".join(f"{k} = ?" for k in where)
        old = self.one(f"SELECT * FROM {table} WHERE {cond}", tuple(where.values()))
        if old is None:
            raise StoreError(f"Rækken {where} i {table} findes ikke.")
        sets = ", ".join(f"{k} = ?" for k in values)
        self.conn.execute(f"UPDATE {table} SET {sets} WHERE {cond}",
                          (*values.values(), *where.values()))
        self.audit(table, _key_text(where), "update", dict(old), values,
                   secretariat_id=secretariat_id, year=year)

    def delete(self, table: str, where: dict, *, secretariat_id: int | None = None,
               year: int | None = None) -> None:
        self._require_transaction()
        cond = " AND ".join(f"{k} = ?" for k in where)
        for old in self.rows(f"SELECT * FROM {table} WHERE {cond}", tuple(where.values())):
            self.audit(table, _key_text(where), "delete", dict(old), None,
                       secretariat_id=secretariat_id, year=year)
        self.conn.execute(f"DELETE FROM {table} WHERE {cond}", tuple(where.values()))

    def close(self) -> None:
        self.conn.close()

    @property
    def schema_version(self) -> int:
        return int(self.scalar("PRAGMA user_version"))


def _dump(values: dict | None) -> str | None:
    return None if values is None else json.dumps(values, ensure_ascii=False, default=str)


def _key_text(where: dict) -> str:
    return ",".join(f"{v}" for v in where.values()) if len(where) > 1 else str(
        next(iter(where.values())))


def connect(path: Path | str | None) -> sqlite3.Connection:
    target = ":memory:" if path is None else str(path)
    conn = sqlite3.connect(target, isolation_level=None, timeout=10.0,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    if path is not None:
        # Local disk: WAL with full sync survives a power cut without losing a commit.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    return conn


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
        kkr_ids: dict[str, int] = {}
        for row in rows:
            if row["kkr"] not in kkr_ids:
                kkr_ids[row["kkr"]] = store.insert("kkr", {"name": row["kkr"]}, key="name")
        store.conn.executemany(
            "INSERT INTO kommune (code, name, kkr_id) VALUES (?, ?, ?)",
            [(int(r["kommunekode"]), r["kommune"], kkr_ids[r["kkr"]]) for r in rows])


def open_store(path: Path | str | None, *, create: bool = True) -> Store:
    """Open (and create, migrate and seed) a database. None opens one in memory."""
    p = Path(path) if path is not None else None
    if p is not None:
        if not p.exists():
            if not create:
                raise StoreError(f"Databasen {p} findes ikke.")
            p.parent.mkdir(parents=True, exist_ok=True)
        elif p.is_dir():
            raise StoreError(f"{p} er en mappe, ikke en databasefil.")
    conn = connect(p)
    try:
        migrate(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{p} kan ikke åbnes som database: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    store = Store(conn, p)
    seed_reference(store)
    return store
