"""Data safety for the GUI and the CLI: backups, restore, the integrity check, the audit log."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from kkr_desktop.core.approval import document_id, format_date
from kkr_desktop.core.errors import FaultError, InputError, StoreError
from kkr_desktop.core.faults import fault_text, is_damage
from kkr_desktop.core.money import format_amount
from kkr_desktop.services.concurrency import who_text
from kkr_desktop.store import approval_summary, audit, backup, lock, secretariats
from kkr_desktop.store.backup import BackupFile
from kkr_desktop.store.db import (
    DamagedError,
    Store,
    connect,
    fault_error,
    integrity_problems,
    migrate,
    migrations,
    open_store,
    seed_reference,
)
from kkr_desktop.store.lock import LockHeldError

# What the window catches and shows; re-exported so ui/ need not reach into store/.
__all__ = ["BackupFile", "DamagedError", "LockHeldError"]

KIND_LABELS = {"daily": "Daglig", "migration": "Før opdatering", "manual": "Manuel",
               "restore": "Før gendannelse", "damaged": "Beskadiget fil"}


def latest_version() -> int:
    known = migrations()
    return known[-1][0] if known else 0


def _file_of(store: Store) -> Path:
    if store.path is None:
        raise StoreError("En database i hukommelsen har ingen fil at sikkerhedskopiere.")
    return store.path


# --- backups ------------------------------------------------------------------------------

def backup_now(store: Store, target: Path | None = None) -> Path:
    """A backup taken now: into the backups folder, or to `target` if given."""
    path = _file_of(store)
    if target is None:
        return backup.take(store.conn, path, "manual")
    from kkr_desktop.formats.atomic import refuse_protected, refuse_special
    from kkr_desktop.services.outputs import protected

    target = Path(target)
    folder = backup.backup_dir(path)
    try:
        if target.is_dir() and folder.is_dir() and os.path.samefile(target, folder):
            return backup.take(store.conn, path, "manual")  # where it would go without -o
        if target.is_dir():
            target = target / backup.backup_name(path, "manual", datetime.now())
    except OSError as exc:  # a name too long, a folder without access
        raise FaultError(fault_text(exc, f"sikkerhedskopien {target}")) from exc
    refuse_protected(target, protected(store))  # never over the database or its backups
    refuse_special(target)
    return backup.copy_database(store.conn, target)


def daily_backup(store: Store) -> Path | None:
    """The day's first backup (and pruning of old ones); None if one was already taken."""
    if store.path is None or store.read_only:
        return None
    return backup.daily(store.conn, store.path)


def backups(db_path: Path) -> list[BackupFile]:
    return backup.list_backups(Path(db_path))


def newest_good_backup(db_path: Path) -> BackupFile | None:
    return backup.newest_good(Path(db_path), latest_version())


def check(store: Store) -> list[str]:
    """The integrity check's problems ([] when the file is sound)."""
    return integrity_problems(store.conn, store.path)


# --- restore ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous: Path | None  # the file as it was before, kept in the backups folder


class ApprovalsDroppedError(InputError):
    """A restore would drop (or change) approvals the open database holds; nothing changed.
    `lost` lists them, one Danish line each."""

    def __init__(self, message: str, lost: list[str]) -> None:
        super().__init__(message)
        self.lost = lost


def approvals_lost(store: Store, source: Path) -> list[str]:
    """Each approval of the open database that restoring `source` would drop, or whose
    approved content differs in `source`, as one Danish line (secretariat, statement,
    revision, Dokument-id, meeting date). The backup is opened read-only."""
    current = approval_summary.summaries(store.conn)
    if not current:
        return []
    source = Path(source)
    try:
        conn = connect(source, read_only=True)
        try:
            theirs = {a.key: a for a in approval_summary.summaries(conn)}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise InputError(f"Godkendelserne i {source.name} kan ikke læses ({exc}); "
                         "intet er ændret.") from exc
    out = []
    for a in current:
        other = theirs.get(a.key)
        if other is None:
            how = "findes ikke i sikkerhedskopien"
        elif (other.sha256, other.meeting_date, other.facts) != (a.sha256, a.meeting_date,
                                                                  a.facts):
            how = (f"er anderledes i sikkerhedskopien (Dokument-id "
                   f"{document_id(other.sha256)} dér)")
        else:
            continue
        try:
            meeting = format_date(date.fromisoformat(a.meeting_date))
        except ValueError:
            meeting = a.meeting_date
        out.append(f"{a.secretariat}: regnskab {a.year - 1} og budget {a.year}, revision "
                   f"{a.revision}, Dokument-id {document_id(a.sha256)}, godkendt på mødet "
                   f"{meeting} – {how}")
    return out


def _refuse_lost_approvals(store: Store, source: Path) -> None:
    lost = approvals_lost(store, source)
    if lost:
        raise ApprovalsDroppedError(
            f"Gendannelse fra {Path(source).name} fjerner eller ændrer "
            f"{'denne godkendelse' if len(lost) == 1 else f'disse {len(lost)} godkendelser'}"
            ":\n  " + "\n  ".join(lost) + "\nIntet er ændret.", lost)


def restore(store: Store, source: Path, *, drop_approvals: bool = False) -> RestoreResult:
    """Replace the open database's content with a backup's. The current content is backed
    up first; the backup is checked before anything is touched; the open store stays valid
    (and is migrated if the backup is from an older version).

    A backup that lacks (or differs in) approvals the database holds is refused with
    ApprovalsDroppedError unless `drop_approvals` (the user was asked, or gave --force)."""
    path = _file_of(store)
    source = Path(source)
    if store.read_only:
        raise StoreError("Databasen er åbnet skrivebeskyttet og kan ikke gendannes herfra.")
    if source.resolve() == path.resolve():
        raise InputError("Vælg en sikkerhedskopi, ikke selve databasen.")
    backup.verify(source, latest_version())
    if not drop_approvals:
        _refuse_lost_approvals(store, source)
    previous = backup.take(store.conn, path, "restore")
    backup.copy_into(source, store.conn)
    migrate(store.conn)
    seed_reference(store)
    audit.record(store, "database", path.name, {"indhold": f"gemt som {previous.name}"},
                 {"indhold": f"gendannet fra {source.name}"})
    return RestoreResult(source, previous)


def restore_file(db_path: Path, source: Path, *, drop_approvals: bool = False
                 ) -> RestoreResult:
    """Restore a database that is not open (the CLI, or a damaged file at start).

    A sound current file is backed up and then overwritten through the backup API (and,
    as `restore`, refused when it would drop approvals unless `drop_approvals`); a
    damaged one is moved aside into the backups folder (kind ``damaged``) and replaced:
    its approvals cannot be trusted, and the file is kept.
    Refuses while a session has the database open for writing.
    """
    db_path, source = Path(db_path), Path(source)
    if lock.is_held(db_path):
        info = lock.holder(db_path)
        who = info.describe() if info else "Åben i et andet vindue"
        raise StoreError(f"Databasen kan ikke gendannes nu: {who}. Luk programmet dér først.")
    backup.verify(source, latest_version())
    if db_path.exists() and not _is_damaged(db_path):
        store = open_store(db_path)
        try:
            return restore(store, source, drop_approvals=drop_approvals)
        finally:
            store.close()
    previous = _move_aside(db_path) if db_path.exists() else None
    conn = connect(source, read_only=True)
    try:
        backup.copy_database(conn, db_path)
    finally:
        conn.close()
    store = open_store(db_path)
    try:
        before = f"beskadiget, flyttet til {previous.name}" if previous else "ingen fil"
        audit.record(store, "database", db_path.name, {"indhold": before},
                     {"indhold": f"gendannet fra {source.name}"})
    finally:
        store.close()
    return RestoreResult(source, previous)


def _is_damaged(db_path: Path) -> bool:
    """Whether the file is damaged. Only SQLite's own verdict counts (SQLITE_CORRUPT,
    SQLITE_NOTADB, a failed integrity check): a disk that is full or cannot be read raises
    a FaultError instead, and the healthy file is never moved aside for it."""
    try:
        conn = connect(db_path, read_only=True)
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return True
        raise fault_error(exc, db_path, "Intet er gendannet.") from exc
    try:
        return bool(integrity_problems(conn, db_path))
    finally:
        conn.close()


def _move_aside(db_path: Path) -> Path:
    """Move a damaged database and its -wal/-shm/-journal into the backups folder, all or
    none: on Windows a file another program has open cannot be moved, and a database moved
    without its -wal would lose what the -wal holds."""
    folder = backup.backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / backup.backup_name(db_path, "damaged", datetime.now())
    moves = [(db_path, target)] + [
        (db_path.with_name(db_path.name + suffix), target.with_name(target.name + suffix))
        for suffix in ("-wal", "-shm", "-journal")
        if db_path.with_name(db_path.name + suffix).exists()]
    done: list[tuple[Path, Path]] = []
    try:
        for source, destination in moves:
            os.replace(source, destination)
            done.append((source, destination))
    except OSError as exc:
        for source, destination in reversed(done):  # put back what was moved
            os.replace(destination, source)
        raise StoreError(
            f"Den beskadigede database {db_path.name} kan ikke flyttes til side "
            f"({Path(exc.filename or db_path).name}): den er måske åben i et andet program. "
            "Luk det, og prøv igen. Intet er ændret.") from exc
    return target


# --- the audit log ------------------------------------------------------------------------

TABLE_LABELS = {"statement_line": "Post", "secretariat": "Sekretariat",
                "membership": "Medlemskab", "population": "Folketal", "pl_rate": "PL-sats",
                "allocation": "Fordeling", "allocation_row": "Fordelingsrække", "kkr": "KKR",
                "kommune": "Kommune", "approval": "Godkendelse", "database": "Databasen",
                "approval_signatory": "Underskriver", "approval_allocation": "Godkendt fordeling",
                "export_log": "Eksport", "export_withdrawn": "Eksport trukket tilbage",
                "export_profile": "Eksportprofil", "member_erp": "ERP-oplysninger",
                "kommune_erp": "ERP-oplysninger", "secretariat_journal": "Kassekladdens konti",
                "secretariat_signatory": "Fast underskriver", "result_note": "Note til resultat",
                "revision_reason": "Årsag til ny revision", "payment": "Betaling",
                "agenda_item": "Dagsordenspunkt", "agenda_item_statement": "Dagsordenspunkt",
                "agenda_approval": "Godkendt dagsordenspunkt",
                "agenda_approval_member": "Godkendt dagsordenspunkt",
                "sqlite_master": "Databasens beskyttelse", "audit_log": "Revisionsspor"}
FIELD_LABELS = {"name": "navn", "kind": "art", "role": "rolle", "budget": "budget",
                "actual": "regnskab", "budget_note": "note til budget",
                "actual_note": "note til regnskab", "position": "plads", "value": "folketal",
                "expected": "forventet", "final": "endelig", "source": "kilde",
                "total": "beløb", "amount": "beløb", "unit": "enhed",
                "host_kommune": "værtskommune", "kommune_code": "kommune",
                "quarter": "kvartal", "from_year": "fra år", "to_year": "til år",
               "text": "tekst", "field": "kolonne", "reason": "årsag", "cvr": "CVR",
               "ean": "EAN", "account": "konto", "paid_on": "betalt den"}
MONEY_FIELDS = {"budget", "actual", "total", "amount"}
RATE_FIELDS = {"expected", "final"}
ACTION_LABELS = {"insert": "Oprettet", "update": "Ændret", "delete": "Slettet"}
HIDDEN_FIELDS = {"id", "secretariat_id", "year", "created_at", "imported_at", "updated_at"}


@dataclass(frozen=True)
class AuditRow:
    at: str          # "01.03.2024 14.05"
    who: str
    secretariat: str
    year: int | None
    what: str        # "Post «Husleje»"
    action: str      # "Ændret"
    change: str      # "budget: 33.076 → 34.000"


def audit_rows(store: Store, *, secretariat_id: int | None = None, year: int | None = None,
               who: str | None = None, since: str | None = None, until: str | None = None,
               limit: int = 1000, offset: int = 0) -> list[AuditRow]:
    """The audit log, newest first, in words. since/until: ISO dates, until exclusive.
    limit/offset: one page of it (the dialog shows more on request)."""
    names = {s.id: s.name for s in secretariats.all_secretariats(store)}
    found = audit.entries(store, secretariat_id=secretariat_id, year=year, who=who,
                          since=since, until=until, limit=limit, offset=offset)
    lines = audit.line_names(store, {e.key for e in found if e.table == "statement_line"})
    out = []
    for e in found:
        old, new = _load(e.old), _load(e.new)
        # on a server also the login the server recorded: «lene (kkr_lene)»
        out.append(AuditRow(_when(e.at), who_text(e), names.get(e.secretariat_id or -1, ""),
                            e.year, _what(e.table, e.key, old, new, lines),
                            ACTION_LABELS.get(e.action, e.action), _change(old, new)))
    return out


def secretariat_choices(store: Store) -> list[tuple[int, str]]:
    return [(s.id, s.name) for s in secretariats.all_secretariats(store)]


def audit_users(store: Store) -> list[str]:
    return audit.users(store)


def audit_years(store: Store) -> list[int]:
    return audit.years(store)


def _load(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"værdi": text}
    return value if isinstance(value, dict) else {"værdi": value}


def _when(at: str) -> str:
    try:
        return datetime.fromisoformat(at).strftime("%d.%m.%Y %H.%M")
    except ValueError:
        return at


def _what(table: str, key: str, old: dict, new: dict, lines: dict[str, str]) -> str:
    label = TABLE_LABELS.get(table, table)
    if table == "statement_line":
        name = new.get("name") or old.get("name") or lines.get(key)
        return f"{label} «{name}»" if name else f"{label} nr. {key}"
    if table in ("secretariat", "kkr"):
        return f"{label} «{new.get('name') or old.get('name') or key}»"
    return f"{label} {key}"


def _value(field: str, value: object) -> str:
    if value is None or value == "":
        return "–"
    if field in MONEY_FIELDS and isinstance(value, int):
        return format_amount(value, decimals=None)
    if field in RATE_FIELDS:
        return f"{value}".replace(".", ",") + " %"
    return str(value)


def _change(old: dict, new: dict) -> str:
    fields = [f for f in dict.fromkeys([*old, *new]) if f not in HIDDEN_FIELDS]
    parts = []
    for f in fields:
        label = FIELD_LABELS.get(f, f)
        if old and new:
            parts.append(f"{label}: {_value(f, old.get(f))} → {_value(f, new.get(f))}")
        elif (new or old).get(f) not in (None, ""):
            parts.append(f"{label}: {_value(f, (new or old).get(f))}")
    return "; ".join(parts)
