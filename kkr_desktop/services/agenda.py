"""«Dagsordenspunkt»: the statements of several secretariats of one KKR and year in one
agenda item, one document and one approval act (each statement still approved on its own)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from kkr_desktop.core import agenda as core
from kkr_desktop.core.agenda import AgendaText, Member
from kkr_desktop.core.approval import ApprovalFacts, content_hash, validate_facts
from kkr_desktop.core.errors import InputError, KkrError, LockedError
from kkr_desktop.documents.model import AgendaDocument
from kkr_desktop.formats import atomic
from kkr_desktop.formats.atomic import safe_file_name
from kkr_desktop.services import outputs, verify
from kkr_desktop.services.approval import (
    ApprovalResult,
    DateNeedsConfirmation,
    approval_result,
    document_allocations,
    meeting_date_warnings,
    record_approval,
)
from kkr_desktop.services.report import approved_document, build_document
from kkr_desktop.store import agenda as store_agenda
from kkr_desktop.store import approvals, reference, secretariats
from kkr_desktop.store.agenda import AgendaApproval, AgendaItem
from kkr_desktop.store.db import Store


@dataclass(frozen=True)
class AgendaResult:
    approval: AgendaApproval
    statements: list[tuple[str, ApprovalResult]]  # (secretariat, its approval) in order


def get_item(store: Store, agenda_id: int) -> AgendaItem:
    return store_agenda.get(store, agenda_id)


def item_approval(store: Store, agenda_id: int) -> AgendaApproval | None:
    return store_agenda.approval(store, agenda_id)


def list_items(store: Store, kkr: str | None = None, year: int | None = None
               ) -> list[AgendaItem]:
    kkr_id = reference.find_kkr(store, kkr)[0] if kkr else None
    return store_agenda.all_items(store, kkr_id, year)


def _clean(text: AgendaText) -> AgendaText:
    return AgendaText(" ".join(text.title.split()), " ".join(text.case.split()),
                      text.sagsfremstilling.strip(), text.indstilling.strip())


def _statement_ids(store: Store, kkr_id: int, kkr: str, ids: list[int] | None) -> list[int]:
    """The secretariats the item holds: those given (each of this KKR, once), else every
    secretariat of the KKR."""
    in_kkr = [s for s in secretariats.all_secretariats(store) if s.kkr_id == kkr_id]
    if not ids:
        ids = [s.id for s in in_kkr]
        if not ids:
            raise InputError(f"KKR {kkr} har ingen sekretariater at sætte på dagsordenen.")
        return ids
    known = {s.id for s in in_kkr}
    for sid in ids:
        if sid not in known:
            name = secretariats.get(store, sid).name
            raise InputError(f"{name} hører ikke under KKR {kkr}; et dagsordenspunkt samler "
                             "sekretariaterne i ét KKR.")
    if len(set(ids)) != len(ids):
        raise InputError("Det samme sekretariat er valgt to gange.")
    return list(ids)


def create_item(store: Store, *, kkr: str, year: int, text: AgendaText,
                secretariat_ids: list[int] | None = None) -> int:
    """A new agenda item of `kkr` and `year` holding the given secretariats' statements
    (default: every secretariat of the KKR), in one transaction; returns its id."""
    text = _clean(text)
    problems = core.validate_text(text)
    if problems:
        raise InputError("Dagsordenspunktet kan ikke gemmes:\n  " + "\n  ".join(problems))
    if not 2000 <= year <= 2100:
        raise InputError(f"Året {year} ligger uden for 2000–2100.")
    kkr_id, kkr_name = reference.find_kkr(store, kkr)
    ids = _statement_ids(store, kkr_id, kkr_name, secretariat_ids)
    with store.transaction():
        agenda_id = store_agenda.create(store, kkr_id, year, text)
        store_agenda.set_statements(store, agenda_id, year, ids)
    return agenda_id


def edit_item(store: Store, agenda_id: int, *, text: AgendaText | None = None,
              secretariat_ids: list[int] | None = None) -> None:
    """Change a draft item's text or statements; an approved item is refused."""
    item = store_agenda.get(store, agenda_id)
    _require_draft(store, item)
    if text is not None:
        text = _clean(text)
        problems = core.validate_text(text)
        if problems:
            raise InputError("Dagsordenspunktet kan ikke gemmes:\n  " + "\n  ".join(problems))
    ids = (None if secretariat_ids is None
           else _statement_ids(store, item.kkr_id, item.kkr, secretariat_ids))
    with store.transaction():
        if text is not None:
            store_agenda.update_text(store, agenda_id, item.year, text)
        if ids is not None:
            store_agenda.set_statements(store, agenda_id, item.year, ids)


def _require_draft(store: Store, item: AgendaItem) -> None:
    done = store_agenda.approval(store, item.id)
    if done is not None:
        raise LockedError(f"Dagsordenspunkt {item.text.case} ({item.kkr} {item.year}) er "
                          f"godkendt af {done.body} og kan ikke ændres.")


def approval_problems(store: Store, item: AgendaItem) -> list[str]:
    """Why one of the item's statements cannot be approved now (already approved, a
    contribution that cannot be split, a payout that no longer matches), each named."""
    problems = []
    for sid in item.secretariat_ids:
        sec = secretariats.get(store, sid)
        current = approvals.in_force(store, sid, item.year)
        if current is not None:
            problems.append(f"{sec.name}: regnskab {item.year - 1} og budget {item.year} er "
                            f"allerede godkendt (revision {current.revision}, Dokument-id "
                            f"{current.document_id}).")
            continue
        try:
            document_allocations(store, sec, item.year)
        except KkrError as exc:
            problems.append(f"{sec.name}: {exc.message}")
    return problems


def approve_item(store: Store, agenda_id: int, facts: ApprovalFacts, *,
                 force: bool = False) -> AgendaResult:
    """Approve every statement of the item with the same facts, and the item's text, in ONE
    transaction: all or none. Each statement goes through the same freeze as a single
    approval (services.approval.record_approval) and gets its own Dokument-id; the act's
    snapshot holds the text and the members' SHA-256s, and the item is frozen."""
    item = store_agenda.get(store, agenda_id)
    _require_draft(store, item)
    if not facts.case.strip():
        facts = replace(facts, case=item.text.case)
    problems = validate_facts(facts)
    if facts.case != item.text.case:
        problems.append(f"Dagsordenspunktet er {item.text.case}, ikke {facts.case}.")
    if not item.secretariat_ids:
        problems.append("Dagsordenspunktet har ingen opgørelser.")
    problems += approval_problems(store, item)
    if problems:
        raise InputError("Dagsordenspunktet kan ikke godkendes; intet er godkendt:\n  "
                         + "\n  ".join(problems))
    assert facts.meeting_date is not None
    odd: list[str] = []
    for sid in item.secretariat_ids:
        for w in meeting_date_warnings(store, sid, item.year, facts.meeting_date):
            if w not in odd:
                odd.append(w)
    if odd and not force:
        raise DateNeedsConfirmation(odd)
    done: list[tuple] = []
    with store.transaction():
        members: list[Member] = []
        for sid in item.secretariat_ids:
            sec = secretariats.get(store, sid)
            try:
                view, shown, notices = record_approval(store, sec, item.year, facts)
            except KkrError as exc:
                raise type(exc)(f"{sec.name}: {exc.message}\nIntet er godkendt.") from exc
            record = approvals.in_force(store, sid, item.year)
            assert record is not None
            members.append(Member(sid, sec.name, record.id, record.revision, record.sha256))
            done.append((sec, view, shown, notices))
        text = core.canonical_json(core.to_dict(item.id, item.kkr, item.year, item.text,
                                                facts, members))
        store_agenda.insert_approval(store, item.id, item.year, facts, text,
                                     content_hash(text), [m.approval_id for m in members])
    act = store_agenda.approval(store, item.id)
    assert act is not None
    return AgendaResult(act, [(sec.name, approval_result(store, sec, item.year, view, shown,
                                                         notices))
                              for sec, view, shown, notices in done])


def build_agenda_document(store: Store, agenda_id: int) -> AgendaDocument:
    """The item's document: as approved (from the act's and the members' snapshots, each
    verified first), or a draft of the item's text and its statements as they stand."""
    item = store_agenda.get(store, agenda_id)
    act = store_agenda.approval(store, agenda_id)
    if act is not None:
        verify.require_agenda_intact(store, act)
        kkr, year, text, facts, members = core.from_canonical(act.content)
        docs = []
        for m in members:
            record = approvals.by_id(store, m.approval_id)
            verify.require_approval_intact(store, record)
            docs.append(approved_document(record))
        return AgendaDocument(kkr, year, text, tuple(docs), facts, act.sha256)
    docs = [build_document(store, secretariats.get(store, sid), item.year)
            for sid in item.secretariat_ids]
    return AgendaDocument(item.kkr, item.year, item.text, tuple(docs))


def render_agenda(store: Store, agenda_id: int) -> bytes:
    from kkr_desktop.documents.agenda_pdf import render_agenda as render

    return render(build_agenda_document(store, agenda_id))


def save_agenda_report(store: Store, agenda_id: int, path: Path | str) -> Path:
    """Write the item's PDF; the file appears whole or not at all."""
    data = render_agenda(store, agenda_id)
    target = Path(path).resolve()
    atomic.write_file(target, data, protected=outputs.protected(store))
    return target


def suggested_filename(store: Store, agenda_id: int) -> str:
    """``Dagsordenspunkt 2.4 - KKR Nordjylland 2024 (godkendt).pdf``."""
    item = store_agenda.get(store, agenda_id)
    state = "godkendt" if store_agenda.approval(store, agenda_id) else "kladde"
    return safe_file_name(f"Dagsordenspunkt {item.text.case} - KKR {item.kkr} {item.year} "
                          f"({state})", ".pdf")
