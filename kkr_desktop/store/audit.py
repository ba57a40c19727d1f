"""Reading the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from kkr_desktop.store.db import Store


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    who: str
    table: str
    key: str
    action: str
    old: str | None
    new: str | None
    secretariat_id: int | None
    year: int | None


def entries(store: Store, *, secretariat_id: int | None = None, year: int | None = None,
            who: str | None = None, since: str | None = None, until: str | None = None,
            limit: int = 1000) -> list[AuditEntry]:
    conds, params = [], []
    for column, value in (("secretariat_id", secretariat_id), ("year", year), ("who", who)):
        if value is not None:
            conds.append(f"{column} = ?")
            params.append(value)
    if since:
        conds.append("at >= ?")
        params.append(since)
    if until:
        conds.append("at < ?")
        params.append(until)
    where = (" WHERE " + " AND ".join(conds)) if conds else ""
    rows = store.rows(f"SELECT * FROM audit_log{where} ORDER BY id DESC LIMIT ?",
                      (*params, limit))
    return [AuditEntry(r["id"], r["at"], r["who"], r["tbl"], r["key"], r["action"],
                       r["old_value"], r["new_value"], r["secretariat_id"], r["year"])
            for r in rows]


def users(store: Store) -> list[str]:
    """Everyone who has changed something, for the user filter."""
    return [r[0] for r in store.rows("SELECT DISTINCT who FROM audit_log ORDER BY who")]


def years(store: Store) -> list[int]:
    return [r[0] for r in store.rows(
        "SELECT DISTINCT year FROM audit_log WHERE year IS NOT NULL ORDER BY year DESC")]


def line_names(store: Store) -> dict[str, str]:
    """statement_line id (as the log's key) -> the line's current name."""
    return {str(r[0]): r[1] for r in store.rows("SELECT id, name FROM statement_line")}


def record(store: Store, what: str, key: str, old: dict, new: dict) -> None:
    """Note an event on the whole database (a restore) in the log, in its own transaction."""
    with store.transaction():
        store.audit(what, key, "update", old, new)
