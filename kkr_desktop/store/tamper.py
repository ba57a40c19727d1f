"""What verification reads below the services: the guard triggers as the migrations define
them and as the file has them, the audit log in order, and the log rows that should match.

Nothing here trusts the triggers: it reads what is there."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kkr_desktop.core import chain
from kkr_desktop.store.db import Store, migrations

_STATEMENT = re.compile(
    r"^(?:CREATE TRIGGER (\w+)\b.*?^END;|DROP TRIGGER (?:IF EXISTS )?(\w+)\s*;)", re.M | re.S)
CHAIN_START = ("audit_log", "kæde")  # (tbl, key) of the row migration 0006 adds


@lru_cache(maxsize=8)
def expected_triggers(version: int) -> dict[str, str]:
    """Every trigger the migrations up to `version` leave, with the SQL that SQLite keeps
    for it in sqlite_master (the statement without its semicolon)."""
    out: dict[str, str] = {}
    for number, path in migrations():
        if number > version:
            break
        for m in _STATEMENT.finditer(path.read_text(encoding="utf-8")):
            if m[1]:
                out[m[1]] = m[0][:-1]
            else:
                out.pop(m[2], None)
    return out


def trigger_differences(store: Store) -> list[tuple[str, str | None, str | None]]:
    """(name, expected SQL or None for a trigger no migration made, SQL found or None)."""
    expected = expected_triggers(store.schema_version)
    found = {r[0]: r[1] for r in store.rows(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    out: list[tuple[str, str | None, str | None]] = [
        (name, sql, found.get(name)) for name, sql in expected.items()
        if found.get(name) != sql]
    out += [(name, None, sql) for name, sql in found.items() if name not in expected]
    return out


def server_guard_problems(store: Store) -> list[str]:
    """On PostgreSQL: the guard triggers and their functions as the migrations made them
    (missing, disabled or altered ones, in Danish; see store/pg_schema.py)."""
    from kkr_desktop.store import pg_schema

    return pg_schema.drift(store.conn.raw)


def restore_triggers(store: Store, differences: list[tuple[str, str | None, str | None]]
                     ) -> None:
    """Put the triggers back as the migrations made them, in one audited transaction."""
    with store.transaction():
        for name, expected, found in differences:
            store.conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            if expected is not None:
                store.conn.execute(expected)
            action = "update" if expected and found else ("insert" if expected else "delete")
            store.audit("sqlite_master", name, action,
                        None if found is None else {"sql": found},
                        None if expected is None else {"sql": expected})


def has_chain(store: Store) -> bool:
    return "chain" in store.columns("audit_log")


def audit_rows(store: Store, after: int = 0
               ) -> Iterator[tuple[tuple[Any, ...], str | None]]:
    """The audit rows after row `after`, in id order: (values in chain.FIELDS order, chain)."""
    cur = store.conn.execute(f"SELECT {', '.join(chain.FIELDS)}, chain FROM audit_log "
                             "WHERE id > ? ORDER BY id", (after,))
    for r in cur:
        values = tuple(r)
        yield values[:-1], values[-1]


@dataclass(frozen=True)
class Checkpoint:
    """Where a walk last found the chain whole: the row, its link, the rows up to it."""

    row_id: int
    link: str
    rows: int
    full_walk: str  # YYYY-MM-DD


def checkpoint(store: Store) -> Checkpoint | None:
    try:
        r = store.one("SELECT row_id, link, rows, full_walk FROM audit_checkpoint WHERE id = 1")
    except sqlite3.OperationalError:  # dropped by hand: walk from the start
        return None
    return None if r is None else Checkpoint(r[0], r[1], r[2], r[3])


def checkpoint_holds(store: Store, cp: Checkpoint) -> bool:
    """The row the bookmark names still carries its link, with as many rows before it.

    The rows up to the bookmark are counted as all rows less those after it: SQLite counts
    a whole table from its narrowest index without reading a row, and the rows after the
    bookmark are the few the open walks anyway. Counting `id <= bookmark` directly reads
    every row before it (a scan that grows with the log: 4 ms at 55,000 rows, 67 ms at a
    million)."""
    link = store.scalar("SELECT chain FROM audit_log WHERE id = ?", (cp.row_id,))
    if link != cp.link:
        return False
    total = store.scalar("SELECT count(*) FROM audit_log")
    after = store.scalar("SELECT count(*) FROM audit_log WHERE id > ?", (cp.row_id,))
    return total - after == cp.rows


def set_checkpoint(store: Store, cp: Checkpoint) -> None:
    """Move the bookmark (not audited: it records no business data, only a walk)."""
    with store.transaction(), contextlib.suppress(sqlite3.OperationalError):
        # a bookmark table dropped by hand: every open then walks from the start
        store.conn.execute("INSERT INTO audit_checkpoint (id, row_id, link, rows, full_walk) "
                           "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                           "row_id = excluded.row_id, link = excluded.link, "
                           "rows = excluded.rows, full_walk = excluded.full_walk",
                           (cp.row_id, cp.link, cp.rows, cp.full_walk))


def export_log_mismatches(store: Store) -> tuple[list[tuple[str, str]], list[int], list[int]]:
    """(exports the audit log recorded that the export log no longer has: (id, at);
    export log rows the audit log never recorded; export log rows without any file)."""
    missing = [(r[0], r[1]) for r in store.rows(
        "SELECT l.key, l.at FROM audit_log l WHERE l.tbl = 'export_log' AND l.action = 'insert' "
        "AND NOT EXISTS (SELECT 1 FROM export_log e WHERE CAST(e.id AS TEXT) = l.key) "
        "ORDER BY l.id")]
    unaudited = [r[0] for r in store.rows(
        "SELECT e.id FROM export_log e WHERE NOT EXISTS (SELECT 1 FROM audit_log l "
        "WHERE l.tbl = 'export_log' AND l.action = 'insert' AND l.key = CAST(e.id AS TEXT)) "
        "ORDER BY e.id")]
    fileless = [r[0] for r in store.rows(
        "SELECT e.id FROM export_log e WHERE NOT EXISTS (SELECT 1 FROM export_file f "
        "WHERE f.export_id = e.id) ORDER BY e.id")]
    return missing, unaudited, fileless


def audited_hash(store: Store, table: str, key: int) -> str | None:
    """The SHA-256 the audit log recorded when the row `key` of `table` (an approval, an
    agenda item's act) was inserted: None when there is no such audit row, "" when it holds
    none."""
    r = store.one("SELECT new_value FROM audit_log WHERE tbl = ? AND action = 'insert' "
                  "AND key = ? ORDER BY id LIMIT 1", (table, str(key)))
    if r is None or r[0] is None:
        return None
    try:
        return json.loads(r[0]).get("sha256")
    except (ValueError, AttributeError):
        return ""
