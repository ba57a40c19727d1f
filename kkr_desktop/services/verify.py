"""Verification that does not trust the triggers.

The triggers of db/migrations stop changes to approved data, but whoever holds the file can
drop them (DROP TRIGGER, PRAGMA writable_schema). So the program checks what is there:

- each approval's snapshot still hashes to its stored SHA-256 (the Dokument-id printed is
  its first eight hex digits), and that SHA-256 is the one the audit log recorded;
- the approval's row, signatories and frozen allocations say what its snapshot says, and for
  the approval in force, the frozen lines (year N−1, the budget side of year N) too;
- every trigger the migrations made exists with its SQL (a missing or altered one is put
  back, audited, and said loudly; an unknown one is removed);
- the audit log's hash chain is whole, and the export log (the guard against billing twice)
  has every export the audit log recorded.

It runs on every open (cheap: a few hashes and queries per approval, and the audit rows
written since the last walk: see chain_problems) and before an ERP export, and with the whole
chain walked in `approvals` and before an approved revision is printed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from kkr_desktop.core import chain
from kkr_desktop.core.approval import allocation_dict, content_hash, document_id, line_dict
from kkr_desktop.core.errors import KkrError
from kkr_desktop.core.money import format_amount
from kkr_desktop.core.statement import Column, build_statement
from kkr_desktop.services import agenda_verify
from kkr_desktop.store import agenda as store_agenda
from kkr_desktop.store import allocations, approvals, result_notes, secretariats, tamper
from kkr_desktop.store import statements as lines_store
from kkr_desktop.store.agenda import AgendaApproval
from kkr_desktop.store.approvals import ApprovalRecord
from kkr_desktop.store.db import Store

TAMPERED = "er ændret uden om programmet"
REPAIRED = "ADVARSEL: Databasens beskyttelse"


class TamperedError(KkrError):
    """Approved data, the audit log or the export log differ from what the program wrote."""


@dataclass
class Verification:
    by_approval: dict[int, list[str]] = field(default_factory=dict)  # approval id -> what
    general: list[str] = field(default_factory=list)  # the logs
    repaired: list[str] = field(default_factory=list)  # triggers put back
    records: dict[int, ApprovalRecord] = field(default_factory=dict)
    by_agenda: dict[int, list[str]] = field(default_factory=dict)  # agenda id -> what
    agenda_acts: dict[int, AgendaApproval] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.by_approval and not self.general and not self.by_agenda

    def messages(self, secretariat_id: int | None = None, year: int | None = None
                 ) -> list[str]:
        """Loud Danish messages: for the approvals of (secretariat, year), or all of them,
        then the logs."""
        out = []
        for aid, whats in self.by_approval.items():
            r = self.records[aid]
            if secretariat_id is not None and (r.secretariat_id, r.year) != (secretariat_id,
                                                                             year):
                continue
            out.append(f"{describe(r)} {TAMPERED}:\n  " + "\n  ".join(whats))
        if secretariat_id is None:  # an agenda item's text is not what export bills
            for agenda_id, whats in self.by_agenda.items():
                out.append(f"{agenda_verify.describe(self.agenda_acts[agenda_id])} "
                           f"{TAMPERED}:\n  " + "\n  ".join(whats))
        if self.general:
            out.append(f"Databasen {TAMPERED}:\n  " + "\n  ".join(self.general))
        return out


def describe(r: ApprovalRecord) -> str:
    return (f"Godkendelsen af regnskab {r.year - 1} og budget {r.year}, revision {r.revision} "
            f"(Dokument-id {document_id(r.sha256)})")


def verify(store: Store, *, full: bool = True, daily: bool = True) -> Verification:
    """Check everything (see the module); put missing or altered triggers back unless the
    store is read-only. full=False walks only the audit rows since the last walk (opening);
    printing an approved revision, exporting and `approvals` walk the whole chain.
    daily=False: not even the day's first walk from the start (see check_on_open)."""
    result = Verification()
    for record in approvals.everything(store):
        result.records[record.id] = record
        problems = approval_problems(store, record)
        if problems:
            result.by_approval[record.id] = problems
    for act in store_agenda.all_approvals(store):
        result.agenda_acts[act.agenda_id] = act
        problems = agenda_verify.agenda_problems(store, act)
        if problems:
            result.by_agenda[act.agenda_id] = problems
    result.general += (chain_problems(store, full=full, daily=daily)
                       + export_log_problems(store))
    if store.backend == "postgresql":
        # The server's triggers belong to its owner role: an officer can neither drop nor
        # restore them, so a difference is the administrator's to repair, and said loudly.
        drift = tamper.server_guard_problems(store)
        if drift:
            result.general.append(
                "Beskyttelsen af godkendte tal på serveren mangler eller er ændret: "
                + " ".join(drift) + " Serverens administrator skal genskabe den med "
                "«kkr-desktop server migrate»; kontrollér derefter godkendelserne.")
        return result
    differences = tamper.trigger_differences(store)
    if differences:
        names = ", ".join(f"«{name}»" for name, _, _ in differences)
        if store.read_only:
            result.general.append(f"Databasens beskyttelse ({names}) mangler eller er ændret; "
                                  "den genskabes, når databasen åbnes uden skrivebeskyttelse.")
        else:
            tamper.restore_triggers(store, differences)
            result.repaired.append(
                f"{REPAIRED} af godkendte tal ({names}) var fjernet eller "
                f"ændret uden om programmet og er nu genskabt (det står i revisionssporet). "
                "Kontrollér godkendelserne.")
    return result


def check_on_open(store: Store) -> None:
    """On every open: say what verification found (the window shows store.notices). The
    chain is walked from its bookmark only: the day's walk from the start grows with the
    log, so the window runs it in the background after its first paint (daily_walk), and
    `approvals`, printing an approved revision and exporting walk it all."""
    try:
        result = verify(store, full=False, daily=False)
    except KkrError as exc:  # e.g. busy: opening goes on, and the next check runs again
        store.notices.append(f"Godkendelserne kunne ikke kontrolleres: {exc}")
        return
    store.notices += result.repaired + result.messages()


def is_warning(notice: str) -> bool:
    """Whether a notice from opening is verification's alarm (shown as a warning)."""
    return TAMPERED in notice or notice.startswith(REPAIRED)


def require_approval_intact(store: Store, record: ApprovalRecord) -> None:
    """Before an approved revision is printed as approved: refuse a tampered one."""
    result = verify(store)
    problems = result.by_approval.get(record.id)
    if problems:
        raise TamperedError(f"{describe(record)} {TAMPERED}:\n  " + "\n  ".join(problems)
                            + "\nDen udskrives ikke som godkendt. Gendan en sikkerhedskopi "
                            "fra før ændringen.")


def require_agenda_intact(store: Store, act: AgendaApproval) -> None:
    """Before an approved agenda item is printed as approved: refuse a tampered one."""
    problems = verify(store).by_agenda.get(act.agenda_id)
    if problems:
        raise TamperedError(f"{agenda_verify.describe(act)} {TAMPERED}:\n  "
                            + "\n  ".join(problems) + "\nDen udskrives ikke som godkendt. "
                            "Gendan en sikkerhedskopi fra før ændringen.")


def require_year_intact(store: Store, secretariat_id: int, year: int) -> None:
    """Before an ERP export of (secretariat, year): its approvals and the logs must hold.
    The audit chain is walked from its bookmark (a deleted row is found; an edited old row
    is found by the day's walk and by `approvals`): a full walk per file would make the
    export of a year's allocations take seconds each on a large log."""
    messages = verify(store, full=False).messages(secretariat_id, year)
    if messages:
        raise TamperedError("\n".join(messages) + "\nIntet er eksporteret. Gendan en "
                            "sikkerhedskopi fra før ændringen.")


# --- one approval -------------------------------------------------------------------------

def approval_problems(store: Store, r: ApprovalRecord) -> list[str]:
    computed = content_hash(r.content)
    if computed != r.sha256:
        return [f"det gemte indhold passer ikke med sin SHA-256 (gemt {r.sha256[:8]}…, "
                f"indholdet giver {computed[:8]}…)"]
    audited = tamper.audited_hash(store, "approval", r.id)
    problems = []
    if audited is not None and audited != r.sha256:
        problems.append(f"revisionssporet viser, at den blev godkendt med SHA-256 "
                        f"{audited[:8]}…, ikke {r.sha256[:8]}…")
    try:
        d = json.loads(r.content)
    except ValueError:
        return [*problems, "indholdet er ikke læsbart"]
    ap = d.get("approval", {})
    for label, stored, approved in (
            ("revisionen", r.revision, d.get("revision")), ("året", r.year, d.get("year")),
            ("det godkendende organ", r.body, ap.get("body")),
            ("mødedatoen", r.meeting_date.isoformat(), ap.get("meeting_date")),
            ("dagsordenspunktet", r.case, ap.get("case"))):
        if stored != approved:
            problems.append(f"{label} er «{stored}» i databasen, men «{approved}» i det "
                            "godkendte")
    signed = [(s.get("name"), s.get("title")) for s in ap.get("signatories", [])]
    if [tuple(s) for s in r.signatories] != signed:
        problems.append("underskriverne er " + _people(r.signatories) + " i databasen, men "
                        + _people(signed) + " i det godkendte")
    problems += _allocation_problems(store, r, d)
    if r.in_force:
        problems += _line_problems(store, r, d) + _result_note_problems(store, r, d)
    return problems


def _people(people) -> str:
    return ", ".join(f"«{n}{', ' + t if t else ''}»" for n, t in people) or "ingen"


def _allocation_problems(store: Store, r: ApprovalRecord, d: dict) -> list[str]:
    approved = {a["kind"]: a for a in d.get("allocations", [])}
    problems = []
    frozen = {}
    for aid in approvals.frozen_allocation_ids(store, r.id):
        try:
            stored = allocations.load(store, aid)
        except KkrError:
            problems.append(f"fordeling nr. {aid}, som godkendelsen låste, findes ikke")
            continue
        kind = stored.allocation.kind
        frozen[kind.value] = aid
        if (stored.secretariat_id, stored.year) != (r.secretariat_id, r.year):
            problems.append(f"fordeling nr. {aid} hører ikke til det godkendte år")
        if allocation_dict(stored.allocation) != approved.get(kind.value):
            problems.append(f"fordeling nr. {aid} ({kind.label} {r.year}) er ikke den "
                            "godkendte fordeling")
    for kind in approved:
        if kind not in frozen:
            problems.append(f"den godkendte fordeling ({kind}) er ikke længere låst")
    if r.in_force:  # what export bills: the newest of each kind must be the frozen one
        for kind, aid in frozen.items():
            newest = store.scalar("SELECT max(id) FROM allocation WHERE secretariat_id = ? "
                                  "AND year = ? AND kind = ?", (r.secretariat_id, r.year, kind))
            if newest != aid:
                problems.append(f"fordeling nr. {newest} er lagt ind efter godkendelsen og "
                                f"ville blive opkrævet i stedet for den godkendte nr. {aid}")
    return problems


_FIELDS = (("budget_prev", "budget {p}"), ("actual_prev", "regnskab {p}"),
           ("budget", "budget {n}"), ("budget_prev_note", "noten til budget {p}"),
           ("actual_prev_note", "noten til regnskab {p}"), ("budget_note", "noten til budget {n}"))


def _line_problems(store: Store, r: ApprovalRecord, d: dict) -> list[str]:
    """The frozen lines against the snapshot: every figure and note by line name; kind and
    role where year N's line is frozen too (it has a budget) or N has no such line."""
    prev = lines_store.year_lines(store, r.secretariat_id, r.year - 1)
    cur = lines_store.year_lines(store, r.secretariat_id, r.year)
    name = secretariats.get(store, r.secretariat_id).name
    live = {ln["name"]: ln for ln in (line_dict(x) for x in build_statement(
        name, r.year, prev, cur).lines) if _has_value(ln)}
    approved = {ln["name"]: ln for ln in d.get("lines", []) if _has_value(ln)}
    free_kind = {ln.name for ln in cur if ln.budget is None and not ln.budget_note}
    problems = []
    for line in sorted(approved.keys() | live.keys()):
        a, b = approved.get(line), live.get(line)
        if a is None:
            problems.append(f"posten «{line}» findes i databasen, men ikke i det godkendte")
            continue
        if b is None:
            problems.append(f"posten «{line}» er i det godkendte, men mangler i databasen")
            continue
        for key, label in _FIELDS:
            if a[key] != b[key]:
                what = label.format(p=r.year - 1, n=r.year)
                problems.append(f"«{line}»: {what} er {_shown(b[key])} i databasen, men "
                                f"{_shown(a[key])} i det godkendte")
        if line not in free_kind and (a["kind"], a["role"]) != (b["kind"], b["role"]):
            problems.append(f"«{line}»: arten er ændret efter godkendelsen")
    return problems


def _result_note_problems(store: Store, r: ApprovalRecord, d: dict) -> list[str]:
    """The footnotes on Overskud/underskud against the snapshot (none in it: none stored).
    An approval of N freezes all three columns' notes (year N−1 whole, budget N)."""
    live = {c.value: text for c, text in
            result_notes.statement_notes(store, r.secretariat_id, r.year).items()}
    approved = d.get("result_notes", {})
    problems = []
    for column in Column:
        a, b = approved.get(column.value, ""), live.get(column.value, "")
        if a != b:
            problems.append(f"noten til overskud/underskud i {column.label(r.year).lower()} "
                            f"er {_shown(b)} i databasen, men {_shown(a)} i det godkendte")
    return problems


def _has_value(ln: dict) -> bool:
    return any(ln.get(k) not in (None, "") for k, _ in _FIELDS)


def _shown(value) -> str:
    if isinstance(value, int):
        return f"{format_amount(value, decimals=True)} kr."
    return "tom" if value in (None, "") else f"«{value}»"


# --- the logs -----------------------------------------------------------------------------

CHECKPOINT_EVERY = 1000  # rows walked before a bookmark is set or moved (a write)


def chain_problems(store: Store, *, full: bool = False, today: date | None = None,
                   daily: bool = True) -> list[str]:
    """Whether the audit log's chain is whole. Walks only the rows since the last walk's
    bookmark when it holds; from the start once a day (unless daily=False), when asked
    (`full`), and when the bookmark does not hold (a row before it was deleted or edited)."""
    if not tamper.has_chain(store):
        return []
    day = (today or date.today()).isoformat()
    cp = None if full else tamper.checkpoint(store)
    if cp is not None and (cp.full_walk == day or not daily) \
            and tamper.checkpoint_holds(store, cp):
        return _walk_tail(store, cp, cp.full_walk)
    problems, bookmark = daily_walk(store, today)
    if bookmark is not None and not store.read_only:
        tamper.set_checkpoint(store, bookmark)
    return problems


def daily_walk(store: Store, today: date | None = None
               ) -> tuple[list[str], tamper.Checkpoint | None]:
    """Walk the whole chain (any store, a read-only one in a worker thread too): its
    problems, and the bookmark to record (record_walk) when it is whole and long."""
    if not tamper.has_chain(store):
        return [], None
    problems, end = _walk_all(store)
    # a small log is walked whole every time: opening then never writes to the file
    if problems or end is None or end[2] < CHECKPOINT_EVERY:
        return problems, None
    return [], tamper.Checkpoint(*end, (today or date.today()).isoformat())


def record_walk(store: Store, bookmark: tamper.Checkpoint) -> None:
    """Keep the bookmark of a whole walk made on another connection, if it still holds."""
    if not store.read_only and tamper.checkpoint_holds(store, bookmark):
        tamper.set_checkpoint(store, bookmark)


def _walk_tail(store: Store, cp: tamper.Checkpoint, day: str) -> list[str]:
    previous, walked, last_id = cp.link, 0, cp.row_id
    for values, link in tamper.audit_rows(store, after=cp.row_id):
        if link != chain.link(previous, values):
            return _walk_all(store)[0] or [_broken(values[0])]
        previous, walked, last_id = link, walked + 1, values[0]
    if walked >= CHECKPOINT_EVERY and not store.read_only:
        tamper.set_checkpoint(store, tamper.Checkpoint(last_id, previous, cp.rows + walked,
                                                       day))
    return []


def _walk_all(store: Store) -> tuple[list[str], tuple[int, str, int] | None]:
    """Walk the chain from the row where it starts (the tamper-guard migration): (problems,
    (the last row, its link, the number of rows) when it is whole)."""
    count = 0
    previous: str | None = None  # the link of the row before, once the chain has begun
    last_id = start_id = 0
    for values, link in tamper.audit_rows(store):
        row_id = values[0]
        if previous is None:
            if (values[3], values[4]) == tamper.CHAIN_START:
                start = json.loads(values[9] or "{}")
                if count != start.get("rows_before"):
                    return [f"Revisionssporet er brudt ved række {row_id}: der var "
                            f"{start.get('rows_before')} rækker før den, nu er der "
                            f"{count}."], None
                previous = chain.link_of(link, values)
                start_id = row_id
            count += 1
            last_id = row_id
            continue
        if link != chain.link(previous, values):
            return [_broken(row_id)], None
        previous, count, last_id = link, count + 1, row_id
    if previous is None:
        if count:
            return ["Revisionssporet er brudt: rækken, hvor kæden begynder, er slettet."], None
        return [], None
    if last_id == start_id:  # the start row has no stored link to bookmark
        return [], None
    return [], (last_id, previous, count)


def _broken(row_id: int) -> str:
    return (f"Revisionssporet er brudt ved række {row_id}: en række før den er slettet, "
            "eller rækken er ændret uden om programmet.")


def export_log_problems(store: Store) -> list[str]:
    missing, unaudited, fileless = tamper.export_log_mismatches(store)
    problems = [f"Eksportloggen mangler eksport nr. {key} (fra {at[:10]}): den er slettet, og "
                "vagten mod at opkræve to gange kan ikke stoles på." for key, at in missing]
    problems += [f"Eksportloggen har eksport nr. {eid}, som revisionssporet ikke kender."
                 for eid in unaudited]
    problems += [f"Eksportloggens eksport nr. {eid} har ingen filer." for eid in fileless]
    return problems
