"""Several officers on one KKR: optimistic concurrency over the audit log.

A view remembers `seen`, the newest audit row's id when it read its data
(`latest_change`, asked BEFORE the data is read, so that nothing it shows is newer). A save
passes `seen`; inside the write transaction (the store serializes writers, so no other
commit can come between the check and the write) `check_lines` looks for audit rows after
`seen` that touched the same row or approved the statement, by anyone, and refuses the save
with a ConflictError naming who changed what. Nothing is written then: the other officer's
value stays, and the window reloads. A save without a view (the command line) passes None:
no check. The same descriptions tell the window what another officer changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from kkr_desktop.core.approval import format_date
from kkr_desktop.core.errors import ConflictError
from kkr_desktop.core.money import format_amount, format_count
from kkr_desktop.services.locks import BUDGET_FIELDS
from kkr_desktop.store import audit
from kkr_desktop.store import statements as lines_store
from kkr_desktop.store.audit import AuditEntry
from kkr_desktop.store.db import Store

_AMOUNTS = ("budget", "actual")
_TABLES = {"population": "folketallene", "pl_rate": "PL-satserne",
           "allocation": "fordelingen", "allocation_row": "fordelingen",
           "result_note": "en fodnote til resultatet", "secretariat": "sekretariatet",
           "membership": "medlemskommunerne", "secretariat_signatory": "underskriverne",
           "approval_signatory": "godkendelsen", "approval_allocation": "godkendelsen",
           "payment": "indbetalingerne", "export_log": "eksporterne"}
SHOWN = 3  # changes named in one message; the rest are counted


@dataclass(frozen=True)
class FieldWrite:
    """One field of the post `name` (its name when the view read it) in `year`."""

    year: int
    name: str
    field: str
    value: object


def latest_change(store: Store) -> int:
    """What a view has seen: ask before reading the data it shows."""
    return audit.latest_id(store)


def check_lines(store: Store, seen: int | None, secretariat_id: int,
                writes: list[FieldWrite], attempted: list[str] | None = None) -> None:
    """Raise ConflictError when, after `seen`, someone changed a row that `writes` change,
    or approved a statement that freezes them. Call it inside the write transaction, before
    writing. seen=None: no check (no view read the data: the command line)."""
    if seen is None or not writes:
        return
    later = audit.after(store, seen, secretariat_id=secretariat_id,
                        tables=("statement_line", "approval"), limit=None)
    if not later:
        return
    found: dict[int, AuditEntry] = {}
    for w in writes:
        line_id = lines_store.find_line_id(store, secretariat_id, w.year, w.name)
        for e in later:
            if _conflicts(e, w, line_id):
                found[e.id] = e
    if not found:
        return
    entries = [found[i] for i in sorted(found)]
    raise ConflictError(
        f"Ændringen er ikke gemt: {changes_text(store, entries)}, efter at du åbnede "
        "opgørelsen.", attempted if attempted is not None
        else [attempted_text(w) for w in writes])


def check_figure(store: Store, seen: int | None, kommunekode: int, quarter: str,
                 attempted: str) -> None:
    """Raise ConflictError when, after `seen`, someone changed or added the population figure
    of `kommunekode` in `quarter` (the population tab's save; inside the write transaction).
    seen=None: no check (the command line, an import)."""
    if seen is None:
        return
    found = [e for e in audit.after(store, seen, tables=("population",), limit=None)
             if _figure_of(e) == (kommunekode, quarter)]
    if found:
        raise ConflictError(
            f"Folketallet er ikke gemt: {'; '.join(_figure_change(e) for e in found[:SHOWN])}"
            ", efter at du åbnede folketallene.", [attempted])


def check_result_note(store: Store, seen: int | None, secretariat_id: int, year: int,
                      field: str, what: str, attempted: str) -> None:
    """Raise ConflictError when, after `seen`, someone changed the note on the result row of
    `field` in `year` (`what` names it: «noten til overskud/underskud i budget 2024»)."""
    if seen is None:
        return
    key = f"{secretariat_id},{year},{field}"
    found = [e for e in audit.after(store, seen, secretariat_id=secretariat_id,
                                    tables=("result_note",), limit=None) if e.key == key]
    if found:
        said = "; ".join(f"{who_text(e)} ændrede {what} {time_text(e.at)}"
                         for e in found[:SHOWN])
        raise ConflictError(f"Noten er ikke gemt: {said}, efter at du åbnede opgørelsen.",
                            [attempted])


def _figure_of(e: AuditEntry) -> tuple[int, str] | None:
    values = {**_values(e.old), **_values(e.new)}
    if "kommune_code" in values and "quarter" in values:
        return int(values["kommune_code"]), str(values["quarter"])
    code, _, quarter = e.key.partition(",")  # an update's key: «851,2020K1»
    return (int(code), quarter) if code.isdigit() and quarter else None


def _figure_change(e: AuditEntry) -> str:
    old, new = _values(e.old).get("value"), _values(e.new).get("value")

    def shown(value: object) -> str:
        return format_count(value) if isinstance(value, int) else "intet tal"

    return (f"{who_text(e)} ændrede folketallet fra {shown(old)} til {shown(new)} "
            f"{time_text(e.at)}")


def _conflicts(e: AuditEntry, w: FieldWrite, line_id: int | None) -> bool:
    if e.table == "approval" and e.action == "insert":
        # Statement Y+1 freezes year Y whole; statement Y the budget side of year Y.
        return e.year == w.year + 1 or (e.year == w.year and w.field in BUDGET_FIELDS)
    if e.table != "statement_line":
        return False
    if line_id is not None:
        return e.key == str(line_id) and not _moved_only(e)
    # The post is gone from the year or renamed: the change that did it.
    return (e.year == w.year and e.action in ("delete", "update")
            and _values(e.old).get("name") == w.name)


def _moved_only(e: AuditEntry) -> bool:
    """An update that only renumbered the row (another post was added, removed or moved):
    what the row says is unchanged, so it conflicts with no edit."""
    return e.action == "update" and set(_values(e.new)) <= {"position"}


def _values(text: str | None) -> dict:
    if not text:
        return {}
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


# --- what changed, in words -------------------------------------------------------------

def changes_text(store: Store, entries: list[AuditEntry]) -> str:
    """«Lene ændrede «Husleje», budget 2024 fra 37.618,00 til 40.000,00 kl. 10.32» for the
    first few, then how many more."""
    keys = {e.key for e in entries if e.table == "statement_line"}
    names = audit.line_names(store, keys) if keys else {}
    said = [describe(e, names) for e in entries]
    unique = list(dict.fromkeys(said))
    text = "; ".join(unique[:SHOWN])
    if len(unique) > SHOWN:
        text += f" og {len(unique) - SHOWN} ændringer mere"
    return text


def describe(e: AuditEntry, names: dict[str, str] | None = None) -> str:
    """One audit row as a Danish sentence without a full stop."""
    who, when = who_text(e), time_text(e.at)
    old, new = _values(e.old), _values(e.new)
    if e.table == "statement_line":
        name = (names or {}).get(e.key) or new.get("name") or old.get("name") or "en post"
        if e.action == "insert":
            return f"{who} tilføjede «{name}» i {e.year} {when}"
        if e.action == "delete":
            return f"{who} slettede «{name}» fra {e.year} {when}"
        fields = [f for f in new if f != "position"]
        if not fields:
            return f"{who} flyttede «{old.get('name') or name}» i {e.year} {when}"
        shown = old.get("name") or name
        parts = [_field_change(f, e.year, old.get(f), new.get(f)) for f in fields]
        return f"{who} ændrede «{shown}», {' og '.join(parts)} {when}"
    if e.table == "approval":
        if e.action == "insert":
            return f"{who} godkendte opgørelsen for {e.year} {when}{_decision(new)}"
        return f"{who} åbnede en ny revision af opgørelsen for {e.year} {when}"
    what = _TABLES.get(e.table, f"databasen ({e.table})")
    return f"{who} ændrede {what} {when}"


def _decision(values: dict) -> str:
    """« (godkendt af KKR Nordjylland den 12. marts 2024, punkt 2.4, revision 1)» from an
    approval's audit row, or "" when the row does not say (a notification's payload)."""
    if not values.get("body"):
        return ""
    try:
        held = f" den {format_date(date.fromisoformat(str(values.get('meeting_date'))))}"
    except ValueError:
        held = ""
    return (f" (godkendt af {values['body']}{held}, punkt {values.get('case_item')}, "
            f"revision {values.get('revision')})")


def _field_change(field: str, year: int | None, old: object, new: object) -> str:
    label = {"budget": f"budget {year}", "actual": f"regnskab {year}",
             "budget_note": f"fodnoten til budget {year}",
             "actual_note": f"fodnoten til regnskab {year}", "name": "navnet",
             "kind": "arten", "role": "rollen"}.get(field, field)
    return f"{label} fra {value_text(field, old)} til {value_text(field, new)}"


def value_text(field: str, value: object) -> str:
    if value is None or value == "":
        return "tom"
    if field in _AMOUNTS and isinstance(value, int):
        return format_amount(value, decimals=True)
    return f"«{value}»"


def attempted_text(w: FieldWrite) -> str:
    """What a refused save would have written: «Husleje», budget 2024: 41.000,00."""
    return f"«{w.name}», {_field_change(w.field, w.year, None, None).split(' fra ')[0]}: " \
           f"{value_text(w.field, w.value)}"


def who_text(e: AuditEntry) -> str:
    if e.db_user and e.db_user != e.who:
        return f"{e.who} ({e.db_user})"
    return e.who or "en anden"


def time_text(at: object, today: date | None = None) -> str:
    """«kl. 10.32» today, «den 4.12.2026 kl. 10.32» another day."""
    moment = at if isinstance(at, datetime) else _parse(at)
    if moment is None:
        return ""
    clock = f"kl. {moment:%H.%M}"
    if moment.date() == (today or date.today()):
        return clock
    return f"den {moment.day}.{moment.month}.{moment.year} {clock}"


def _parse(at: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(at))
    except ValueError:
        return None


# --- which changes concern what a window shows ------------------------------------------

def concerns(e: AuditEntry, secretariat_id: int | None, year: int | None) -> bool:
    """Whether statement `year` of the secretariat (years N−1 and N, frozen by approvals of
    N−1, N and N+1) or what it depends on (rates, population: no secretariat) changed."""
    if e.secretariat_id is None:
        return True
    if e.secretariat_id != secretariat_id:
        return False
    return year is None or e.year is None or year - 1 <= e.year <= year + 1


def approves(e: AuditEntry, secretariat_id: int | None, year: int | None) -> bool:
    """An approval (or a new revision) of the statement shown."""
    return e.table == "approval" and e.secretariat_id == secretariat_id and e.year == year


def watcher(store: Store):
    """What other connections commit to this store, polled (store/watch.py)."""
    from kkr_desktop.store.watch import watcher_for

    return watcher_for(store)
