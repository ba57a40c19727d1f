"""Export profiles, the members' ERP fields, the journal accounts and the export log."""

from __future__ import annotations

import json
from dataclasses import dataclass

from kkr_desktop.core.erp import ExportProfile, MemberErp
from kkr_desktop.core.errors import InputError, NotFoundError
from kkr_desktop.store.db import Store, now

# --- profiles -------------------------------------------------------------------------


def _profile(r) -> ExportProfile:
    return ExportProfile(r["name"], tuple((f, h) for f, h in json.loads(r["columns"])),
                         r["separator"], r["decimal_separator"], r["date_format"],
                         r["encoding"], r["line_end"], bool(r["quote_text"]),
                         bool(r["builtin"]), r["id"])


def profiles(store: Store) -> list[ExportProfile]:
    return [_profile(r) for r in store.rows(
        "SELECT * FROM export_profile ORDER BY builtin DESC, name")]


def profile(store: Store, name: str) -> ExportProfile:
    r = store.one("SELECT * FROM export_profile WHERE name = ?", (name,))
    if r is None:
        known = "; ".join(p.name for p in profiles(store))
        raise NotFoundError(f"Eksportprofilen «{name}» findes ikke. Kendte: {known}.")
    return _profile(r)


def _values(p: ExportProfile) -> dict:
    return {"name": p.name.strip(), "columns": json.dumps([list(c) for c in p.columns],
                                                          ensure_ascii=False),
            "separator": p.separator, "decimal_separator": p.decimal_separator,
            "date_format": p.date_format, "encoding": p.encoding, "line_end": p.line_end,
            "quote_text": int(p.quote_text), "updated_at": now()}


def save_profile(store: Store, p: ExportProfile) -> int:
    """Insert (id None) or update a profile. A shipped profile is never changed."""
    clash = store.one("SELECT id FROM export_profile WHERE name = ?", (p.name.strip(),))
    if clash is not None and clash["id"] != p.id:
        raise InputError(f"Der findes allerede en profil med navnet «{p.name}».")
    with store.transaction():
        if p.id is None:
            return store.insert("export_profile", {**_values(p), "builtin": 0}, key="name")
        old = store.one("SELECT builtin FROM export_profile WHERE id = ?", (p.id,))
        if old is None:
            raise NotFoundError(f"Eksportprofilen «{p.name}» findes ikke længere.")
        if old["builtin"]:
            raise InputError(f"«{p.name}» følger med programmet og kan ikke ændres. "
                             "Kopiér den og ret kopien.")
        store.update("export_profile", {"id": p.id}, _values(p))
        return p.id


def delete_profile(store: Store, p: ExportProfile) -> None:
    if p.builtin:
        raise InputError(f"«{p.name}» følger med programmet og kan ikke slettes.")
    with store.transaction():
        store.delete("export_profile", {"id": p.id})


# --- members' ERP fields --------------------------------------------------------------


def member_fields(store: Store, secretariat_id: int) -> dict[int, MemberErp]:
    """The fields this secretariat uses per kommune: its own where it has them, otherwise the
    kommune's shared ones. Kommuner with neither are not in the result."""
    rows = store.rows(
        "SELECT k.code, k.name, e.cvr, e.ean, e.account, 0 AS own FROM kommune_erp e "
        "JOIN kommune k ON k.code = e.kommune_code "
        "UNION ALL SELECT k.code, k.name, m.cvr, m.ean, m.account, 1 FROM member_erp m "
        "JOIN kommune k ON k.code = m.kommune_code WHERE m.secretariat_id = ? "
        "ORDER BY own", (secretariat_id,))
    return {r["code"]: MemberErp(r["code"], r["name"], r["cvr"], r["ean"], r["account"],
                                 bool(r["own"])) for r in rows}  # own rows come last: win


def _upsert(store: Store, table: str, key: dict, values: dict, secretariat_id: int) -> bool:
    """Insert or update one row of `table`; True when something changed."""
    cond = " AND ".join(f"{k} = ?" for k in key)
    old = store.one(f"SELECT cvr, ean, account FROM {table} WHERE {cond}",
                    tuple(key.values()))
    if old is None:
        store.insert(table, {**key, **values, "updated_at": now()}, key="kommune_code",
                     secretariat_id=secretariat_id)
        return True
    if dict(old) == values:
        return False
    store.update(table, key, {**values, "updated_at": now()}, secretariat_id=secretariat_id)
    return True


def set_member_fields(store: Store, secretariat_id: int, fields: list[MemberErp]) -> int:
    """Store the fields of these kommuner (others are left alone); returns how many changed.

    A field set marked `own` is kept for this secretariat only; any other is the kommune's
    shared value (every secretariat without its own sees it), and this secretariat's own
    values for that kommune, if it had any, are dropped."""
    changed = 0
    with store.transaction():
        for m in fields:
            values = {"cvr": m.cvr, "ean": m.ean, "account": m.konto}
            mine = {"secretariat_id": secretariat_id, "kommune_code": m.kommunekode}
            if m.own:
                changed += _upsert(store, "member_erp", mine, values, secretariat_id)
                continue
            shared = _upsert(store, "kommune_erp", {"kommune_code": m.kommunekode}, values,
                             secretariat_id)
            had_own = store.one("SELECT 1 FROM member_erp WHERE secretariat_id = ? AND "
                                "kommune_code = ?", (secretariat_id, m.kommunekode))
            if had_own:
                store.delete("member_erp", mine, secretariat_id=secretariat_id)
            changed += shared or bool(had_own)
    return changed


def journal_accounts(store: Store, secretariat_id: int) -> tuple[str, str]:
    """(receivable, income) accounts of the host's journal; '' when not set."""
    r = store.one("SELECT receivable_account, income_account FROM secretariat_journal "
                  "WHERE secretariat_id = ?", (secretariat_id,))
    return (r[0], r[1]) if r else ("", "")


def set_journal_accounts(store: Store, secretariat_id: int, receivable: str, income: str
                         ) -> None:
    values = {"receivable_account": receivable.strip(), "income_account": income.strip(),
              "updated_at": now()}
    with store.transaction():
        if store.one("SELECT 1 FROM secretariat_journal WHERE secretariat_id = ?",
                     (secretariat_id,)):
            store.update("secretariat_journal", {"secretariat_id": secretariat_id}, values,
                         secretariat_id=secretariat_id)
        else:
            store.insert("secretariat_journal", {"secretariat_id": secretariat_id, **values},
                         key="secretariat_id", secretariat_id=secretariat_id)


# --- the export log -------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFile:
    path: str
    sha256: str
    total: int


@dataclass(frozen=True)
class ExportRecord:
    id: int
    secretariat_id: int
    year: int
    kind: str | None
    allocation_id: int | None
    what: str
    profile: str
    exported_at: str
    exported_by: str
    total: int
    rows: int
    files: tuple[ExportFile, ...]


def log_export(store: Store, *, secretariat_id: int, year: int, kind: str | None,
               allocation_id: int | None, what: str, profile: str, total: int, rows: int,
               files: list[ExportFile]) -> int:
    with store.transaction():
        eid = store.insert("export_log", {
            "secretariat_id": secretariat_id, "year": year, "kind": kind,
            "allocation_id": allocation_id, "what": what, "profile": profile,
            "exported_at": now(), "exported_by": store.user, "total": total, "rows": rows},
            secretariat_id=secretariat_id, year=year)
        store.conn.executemany(
            "INSERT INTO export_file (export_id, path, sha256, total) VALUES (?, ?, ?, ?)",
            [(eid, f.path, f.sha256, f.total) for f in files])
    return eid


def withdraw_export(store: Store, export_id: int, reason: str) -> None:
    """Record that a logged export's files were never put in place. The log is append-only:
    the export stays on record, marked withdrawn, and no longer counts as billed."""
    with store.transaction():
        row = store.one("SELECT secretariat_id, year FROM export_log WHERE id = ?",
                        (export_id,))
        if row is None:
            return
        store.insert("export_withdrawn", {"export_id": export_id, "withdrawn_at": now(),
                                          "withdrawn_by": store.user, "reason": reason},
                     key="export_id", secretariat_id=row["secretariat_id"], year=row["year"])


def exports(store: Store, secretariat_id: int, year: int | None = None,
            kind: str | None = None, what: str | None = None) -> list[ExportRecord]:
    """Recorded exports, oldest first; a withdrawn one (its files never reached their place)
    is not among them."""
    conds = ["secretariat_id = ?",
             "id NOT IN (SELECT export_id FROM export_withdrawn)"]
    params: list = [secretariat_id]
    for column, value in (("year", year), ("kind", kind), ("what", what)):
        if value is not None:
            conds.append(f"{column} = ?")
            params.append(value)
    rows = store.rows("SELECT * FROM export_log WHERE " + " AND ".join(conds)
                      + " ORDER BY id", tuple(params))
    out = []
    for r in rows:
        files = tuple(ExportFile(f["path"], f["sha256"], f["total"]) for f in store.rows(
            "SELECT * FROM export_file WHERE export_id = ? ORDER BY path", (r["id"],)))
        out.append(ExportRecord(r["id"], r["secretariat_id"], r["year"], r["kind"],
                                r["allocation_id"], r["what"], r["profile"],
                                r["exported_at"], r["exported_by"], r["total"], r["rows"],
                                files))
    return out
