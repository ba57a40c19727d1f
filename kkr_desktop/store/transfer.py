"""Copying a whole database between the two back ends: a SQLite file and a PostgreSQL server.

Every table the schema has is copied row for row, ids kept, in foreign-key order, in ONE
transaction on the target. The guard triggers check changes as the program makes them (an
approval inserted in force then superseded, the audit log grown by one row after the
newest); a copy replays the end state, not the history, so a superseded approval or the
audit rows the migrations and seeding wrote on the target would be refused. So the guards
are switched off for the copy and put back before the transaction commits: on PostgreSQL
`ALTER TABLE … DISABLE/ENABLE TRIGGER USER` (DDL is transactional; it takes the tables'
owner), on SQLite the triggers are dropped and made again from the migrations' own SQL
(store/tamper.expected_triggers). The caller then verifies the copy on the same
connection, still inside the transaction (see services/transfer.py): nothing is committed
that the tamper check would not accept.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kkr_desktop.core.errors import InputError, StoreError
from kkr_desktop.store import db, pg, tamper
from kkr_desktop.store.db import Store

BATCH = 2000
# What a freshly made database holds before anyone has used it: the migrations' start of
# the audit chain and default export profile, and the reference data (the KKR and their
# kommuner) that opening seeds, audited.
FRESH_AUDIT = "(tbl = 'audit_log' AND key = 'kæde') OR tbl IN ('kkr', 'kommune')"


@dataclass
class Copied:
    """What a copy moved: rows per table, in the order copied."""

    tables: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def open_source(target: Path | str) -> Store:
    """The database to copy from, read-only (a file is never written, not even migrated)."""
    if pg.is_url(target):
        return db.open_store(str(target), read_only=True)
    path = Path(target)
    if not path.is_file():
        raise InputError(f"Databasen {path} findes ikke.")
    return db.open_store(path, read_only=True, check=True)


def new_file(path: Path) -> Store:
    """A new SQLite file with the program's schema and nothing seeded (the copy brings the
    reference data with everything else)."""
    if path.exists():
        raise InputError(f"Filen {path} findes allerede. Intet er skrevet; vælg et nyt filnavn "
                         "(ingen kommando overskriver en database).")
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = db.connect(path)
    try:
        db.migrate(conn)
    except BaseException:
        conn.close()
        raise
    return Store(conn, path)


def open_server_target(url: str) -> Store:
    """The server database to copy into, migrated (it must be empty: see require_empty)."""
    conn = pg.connect(url)
    try:
        version, latest = pg.pending(conn)
        if version < latest and pg.may_migrate(conn):
            pg.migrate(conn)
        from kkr_desktop.store.server import require_current_schema

        require_current_schema(conn.raw)
    except BaseException:
        conn.close()
        raise
    return Store(conn, None)


def require_empty(target: Store) -> None:
    """Refuse a target that already holds a KKR's data (a secretariat, or audit rows other
    than what making and opening an empty database writes)."""
    secretariats = target.scalar("SELECT count(*) FROM secretariat")
    audited = target.scalar(f"SELECT count(*) FROM audit_log WHERE NOT ({FRESH_AUDIT})")
    if secretariats or audited:
        raise InputError(
            f"Databasen {target.where} er ikke tom: den har {secretariats} sekretariat(er) "
            f"og {audited} række(r) i revisionssporet. Intet er flyttet. Flyt kun til en ny, "
            "tom database (fx oprettet med «kkr-desktop server init»).")


def tables_in_order(store: Store) -> list[str]:
    """The schema's tables, each after the tables it refers to (read from SQLite's
    catalogue: the migrations of both back ends make the same tables and references)."""
    if store.backend != "sqlite":
        raise RuntimeError("the table order is read from the SQLite side")
    names = [r[0] for r in store.rows(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    refers = {t: {r[2] for r in store.rows(f"PRAGMA foreign_key_list({t})")} - {t}
              for t in names}
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [t for t in names if t not in ordered and refers[t] <= set(ordered)]
        if not ready:
            raise StoreError("Databasens tabeller henviser til hinanden i ring; de kan ikke "
                             "kopieres i rækkefølge.")
        ordered += ready
    return ordered


def counts(store: Store, tables: list[str]) -> dict[str, int]:
    return {t: int(store.scalar(f"SELECT count(*) FROM {t}")) for t in tables}


@contextmanager
def snapshot(source: Store) -> Iterator[None]:
    """Read the source as of one moment, whatever others commit meanwhile."""
    conn = source.conn
    conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                 if source.backend == "postgresql" else "BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


@contextmanager
def copying(source: Store, target: Store) -> Iterator[Copied]:
    """Copy every table of `source` into the empty `target` in one transaction, the guards
    off for the copy and back on before the caller's code runs; the caller verifies inside
    the `with` (an exception rolls everything back on the target)."""
    order = tables_in_order(source if source.backend == "sqlite" else target)
    if source.schema_version != target.schema_version:
        raise StoreError(f"Databaserne har ikke samme skemaversion ({source.where}: "
                         f"{source.schema_version}, {target.where}: {target.schema_version}).")
    copied = Copied()
    with snapshot(source), target.transaction():
        # asked again under the writer lock: a write to the target since the caller asked
        # would be deleted below with the rest of what opening it wrote
        require_empty(target)
        guards = _guards_off(target, order)
        for table in reversed(order):  # what making and opening the target wrote
            target.conn.execute(f"DELETE FROM {table}")
        for table in order:
            copied.tables[table] = _copy_table(source, target, table)
        _guards_on(target, order, guards)
        if target.backend == "postgresql":
            _advance_sequences(target, order)
        differ = {t: (n, copied.tables[t]) for t, n in counts(target, order).items()
                  if n != copied.tables[t]}
        if differ:
            raise StoreError(f"Kopien har ikke samme antal rækker som kilden: {differ}.")
        yield copied


def _columns(store: Store, table: str) -> list[str]:
    return store.columns(table)


def _copy_table(source: Store, target: Store, table: str) -> int:
    cols = _columns(target, table)
    if set(cols) != set(_columns(source, table)):
        raise StoreError(f"Tabellen {table} har ikke de samme kolonner i {source.where} og "
                         f"{target.where}; databaserne kan ikke kopieres.")
    names = ", ".join(f'"{c}"' for c in cols)
    insert = (f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in cols)})")
    cur = source.conn.execute(f"SELECT {names} FROM {table} ORDER BY 1")
    n = 0
    while True:
        batch = [tuple(r) for r in cur.fetchmany(BATCH)]
        if not batch:
            return n
        target.conn.executemany(insert, batch)
        n += len(batch)


def _guards_off(target: Store, tables: list[str]) -> list[tuple[str, str]]:
    """Switch the guard triggers off inside the open transaction; what _guards_on needs."""
    if target.backend == "postgresql":
        try:
            for table in tables:
                target.conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        except sqlite3.IntegrityError as exc:  # no privilege: not the tables' owner
            raise InputError(
                f"Flytningen skal foretages som databasens ejer (dens ejerrolle eller en "
                f"superbruger) på {target.where}: {exc}. Intet er flyttet.") from exc
        return []
    found = [(r[0], r[1]) for r in target.rows(
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")]
    for name, _table in found:
        target.conn.execute(f'DROP TRIGGER "{name}"')
    return found


def _guards_on(target: Store, tables: list[str], _found: list[tuple[str, str]]) -> None:
    if target.backend == "postgresql":
        for table in tables:
            target.conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        return
    # as the migrations made them, whatever the file had: verify() compares the same text
    for sql in tamper.expected_triggers(target.schema_version).values():
        target.conn.execute(sql)


def _advance_sequences(target: Store, tables: list[str]) -> None:
    """Each identity column's next value after the largest id copied."""
    with_identity = {r[0] for r in target.rows(
        "SELECT table_name FROM information_schema.columns WHERE column_name = 'id' "
        "AND table_schema = current_schema() AND is_identity = 'YES'")}
    for table in tables:
        if table not in with_identity:
            continue
        seq = target.scalar("SELECT pg_get_serial_sequence(?, 'id')", (table,))
        top = target.scalar(f"SELECT max(id) FROM {table}")
        if top is None:
            target.scalar("SELECT setval(?, 1, false)", (seq,))
        else:
            target.scalar("SELECT setval(?, ?)", (seq, int(top)))
