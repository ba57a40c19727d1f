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
    db_user: str | None = None  # the server's user (PostgreSQL), where the log has it


def entries(store: Store, *, secretariat_id: int | None = None, year: int | None = None,
            who: str | None = None, since: str | None = None, until: str | None = None,
            limit: int = 1000, offset: int = 0) -> list[AuditEntry]:
    """Newest first: by time, then by id (so each filter walks one of the indexes of
    migration audit_speed in order and stops after `limit` rows)."""
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
    rows = store.rows(f"SELECT * FROM audit_log{where} ORDER BY at DESC, id DESC "
                      "LIMIT ? OFFSET ?", (*params, limit, offset))
    return [_entry(r) for r in rows]


def _entry(r) -> AuditEntry:
    return AuditEntry(r["id"], r["at"], r["who"], r["tbl"], r["key"], r["action"],
                      r["old_value"], r["new_value"], r["secretariat_id"], r["year"],
                      r["db_user"] if "db_user" in r.keys() else None)


def latest_id(store: Store) -> int:
    """The newest audit row's id (0 for an empty log): what a view has seen when it reads
    its data after asking this."""
    return int(store.scalar("SELECT coalesce(max(id), 0) FROM audit_log"))


def after(store: Store, seen: int, *, secretariat_id: int | None = None,
          tables: tuple[str, ...] = (), limit: int | None = 1000) -> list[AuditEntry]:
    """The audit rows newer than `seen`, oldest first; only those of one secretariat, or of
    the given tables, when given (a walk of the primary key from `seen`: cheap however long
    the log). limit=None: all of them (a check that must not miss one)."""
    cond, params = "id > ?", [seen]
    if secretariat_id is not None:
        cond += " AND secretariat_id = ?"
        params.append(secretariat_id)
    if tables:
        cond += f" AND tbl IN ({', '.join('?' for _ in tables)})"
        params += list(tables)
    sql = f"SELECT * FROM audit_log WHERE {cond} ORDER BY id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_entry(r) for r in store.rows(sql, tuple(params))]


def users(store: Store) -> list[str]:
    """Everyone who has changed something, for the user filter: one index step per user
    (a DISTINCT would read the whole log)."""
    return [r[0] for r in store.rows(
        "WITH RECURSIVE u(who) AS (SELECT min(who) FROM audit_log UNION ALL "
        "SELECT (SELECT min(who) FROM audit_log WHERE who > u.who) FROM u "
        "WHERE u.who IS NOT NULL) SELECT who FROM u WHERE who IS NOT NULL")]


def years(store: Store) -> list[int]:
    """The years the log names, newest first: one index step per year."""
    return [r[0] for r in store.rows(
        "WITH RECURSIVE y(year) AS (SELECT max(year) FROM audit_log UNION ALL "
        "SELECT (SELECT max(year) FROM audit_log WHERE year < y.year) FROM y "
        "WHERE y.year IS NOT NULL) SELECT year FROM y WHERE year IS NOT NULL")]


def line_names(store: Store, keys: set[str] | None = None) -> dict[str, str]:
    """statement_line id (as the log's key) -> the line's current name; only those of
    `keys` when given (the page shown, not every line of the file)."""
    if keys is None:
        return {str(r[0]): r[1] for r in store.rows("SELECT id, name FROM statement_line")}
    ids = [int(k) for k in keys if k.isdigit()]
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ", ".join("?" for _ in chunk)
        out.update({str(r[0]): r[1] for r in store.rows(
            f"SELECT id, name FROM statement_line WHERE id IN ({marks})", tuple(chunk))})
    return out


def record(store: Store, what: str, key: str, old: dict, new: dict) -> None:
    """Note an event on the whole database (a restore) in the log, in its own transaction."""
    with store.transaction():
        store.audit(what, key, "update", old, new)
