"""Approving the statement "Regnskab N−1 og budget N", and opening a new revision of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kkr_desktop.core.allocation import Allocation, AllocationKind
from kkr_desktop.core.approval import (
    ApprovalFacts,
    ApprovedContent,
    Replaces,
    Signatory,
    canonical_json,
    content_hash,
    date_warnings,
    format_date,
    validate_facts,
)
from kkr_desktop.core.errors import InputError, LockedError, NotFoundError
from kkr_desktop.core.statement import Column, Role, Warning
from kkr_desktop.services import allocation as allocation_service
from kkr_desktop.services.statements import StatementView, load_statement
from kkr_desktop.store import allocations, approvals, secretariats, signatories
from kkr_desktop.store.approvals import ApprovalRecord
from kkr_desktop.store.db import Store
from kkr_desktop.store.secretariats import Secretariat


class DateNeedsConfirmation(InputError):
    """The meeting date is odd (see core.approval.date_warnings): approve again with
    force=True once the user has said it is right."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__("Mødedatoen ser forkert ud:\n  " + "\n  ".join(warnings))
        self.warnings = warnings


@dataclass(frozen=True)
class ApprovalResult:
    approval: ApprovalRecord
    warnings: list[Warning]  # the statement's warnings at the moment it was approved
    notices: list[str]  # what approving did besides (e.g. saved the contribution's key)


def approval_for(store: Store, secretariat_id: int, year: int) -> ApprovalRecord | None:
    """The approval in force for statement `year`, or None (a draft).

    The record has .body, .meeting_date, .case, .signatories ((name, title) pairs),
    .document_id and .revision.
    """
    return approvals.in_force(store, secretariat_id, year)


def approval_history(store: Store, secretariat_id: int, year: int) -> list[ApprovalRecord]:
    """Every approved revision of the statement, the oldest first."""
    return approvals.all_for(store, secretariat_id, year)


def suggested_facts(store: Store, secretariat_id: int) -> tuple[str, list]:
    """The body and signatories to offer for a new approval: the body of the secretariat's
    last approval (else its KKR); the signatories of its settings, else of that approval."""
    last = approvals.latest_for_secretariat(store, secretariat_id)
    body = last.body if last is not None else (
        f"KKR {secretariats.get(store, secretariat_id).kkr}")
    standing = signatories.get(store, secretariat_id)
    if standing:
        return body, standing
    return body, list(last.signatories) if last is not None else []


def default_signatories(store: Store, secretariat_id: int) -> list[Signatory]:
    return signatories.get(store, secretariat_id)


def set_default_signatories(store: Store, secretariat_id: int,
                            people: list[Signatory]) -> None:
    """The settings' signatories; a title without a name is refused, blank rows dropped."""
    clean = []
    for i, person in enumerate(people, start=1):
        name, title = person.name.strip(), person.title.strip()
        if not name and not title:
            continue
        if not name:
            raise InputError(f"Underskriver {i} har en titel («{title}») men intet navn.")
        clean.append(Signatory(name, title))
    signatories.replace(store, secretariat_id, clean)


def current_revision(store: Store, secretariat_id: int, year: int) -> int:
    """The revision the statement is at: the approved one in force, else the next draft."""
    current = approvals.in_force(store, secretariat_id, year)
    if current is not None:
        return current.revision
    return approvals.next_revision(store, secretariat_id, year)


def document_allocations(store: Store, secretariat: Secretariat, year: int, *,
                         strict: bool = True
                         ) -> tuple[list[tuple[int | None, Allocation]], list[str]]:
    """The allocations statement `year` shows: the contribution of budget N and, when one is
    decided (stored), the payout of the surplus of regnskab N−1. Each comes with its stored
    id, or None when computed for a draft. Also the notices about how they were found.

    Not strict (a draft): a contribution that cannot be split yet (no population figures)
    is left out with a notice instead of stopping the document."""
    out: list[tuple[int | None, Allocation]] = []
    notices: list[str] = []
    contribution = _contribution(store, secretariat, year, notices, strict)
    if contribution is not None:
        out.append(contribution)
    payout = allocations.latest(store, secretariat.id, year, AllocationKind.PAYOUT)
    if payout is not None:
        # The saved payout must still be what the statement leaves to pay out: approval
        # freezes it, and the export then pays it without asking again.
        try:
            implied = allocation_service.default_amount(store, secretariat, year,
                                                        AllocationKind.PAYOUT)
            differs = allocation_service.amount_mismatch(payout.allocation, year, implied)
        except InputError as exc:
            differs = exc.message
        if differs and strict:
            raise InputError(f"{differs}. Gem udbetalingen igen under fanen Fordeling (eller "
                             f"kkr-desktop allocate --kind payout --save), før opgørelsen "
                             "godkendes.")
        if differs:
            notices.append(f"{differs}.")
        out.append((payout.id, payout.allocation))
    return out, notices


def _contribution(store: Store, secretariat: Secretariat, year: int, notices: list[str],
                  strict: bool) -> tuple[int | None, Allocation] | None:
    st = load_statement(store, secretariat, year).statement
    amount = st.role_amount(Role.CONTRIBUTION, Column.BUDGET)
    if not amount:
        return None
    stored = allocations.latest(store, secretariat.id, year, AllocationKind.CONTRIBUTION)
    differs = (None if stored is None
               else allocation_service.amount_mismatch(stored.allocation, year, amount))
    if stored is not None and not differs:
        return stored.id, stored.allocation
    try:
        result = allocation_service.compute(store, secretariat, year)
    except InputError as exc:
        if strict:
            raise
        notices.append(exc.message)
        return None
    if result.warning:  # said before approval (the dialog), as a warning after it
        notices.append(result.warning)
    if result.notice:
        notices.append(result.notice)
    if differs:
        notices.append(f"{differs}; fordelingen er beregnet på ny.")
    return None, result.allocation


def meeting_date_warnings(store: Store, secretariat_id: int, year: int,
                          meeting_date: date) -> list[str]:
    """What is odd about `meeting_date` for statement `year`: outside the plausible window
    or before the meeting that approved the previous revision (core.approval.date_warnings)."""
    history = approvals.all_for(store, secretariat_id, year)
    previous = history[-1].meeting_date if history else None
    return date_warnings(meeting_date, year, previous)


def replaced_revision(store: Store, secretariat_id: int, year: int, revision: int
                      ) -> Replaces | None:
    """What revision `revision` replaces and why it was opened; None for the first."""
    previous = approvals.by_revision(store, secretariat_id, year, revision - 1)
    if previous is None:
        return None
    reason = approvals.revision_reason(store, secretariat_id, year, revision) or ""
    return Replaces(previous.revision, previous.document_id, previous.meeting_date, reason)


def approve(store: Store, secretariat: Secretariat, year: int, facts: ApprovalFacts, *,
            force: bool = False) -> ApprovalResult:
    """Record the approval of statement `year` and freeze what it covers, in one transaction.

    The contribution's key is stored if the document would otherwise show a computed one,
    so that the approved key is the one billing and export use. An odd meeting date
    (meeting_date_warnings) raises DateNeedsConfirmation unless `force`.
    """
    problems = validate_facts(facts)
    if problems:
        raise InputError("Godkendelsen kan ikke gemmes:\n  " + "\n  ".join(problems))
    assert facts.meeting_date is not None
    odd = meeting_date_warnings(store, secretariat.id, year, facts.meeting_date)
    if odd and not force:
        raise DateNeedsConfirmation(odd)
    with store.transaction():
        view, shown, notices = record_approval(store, secretariat, year, facts)
    return approval_result(store, secretariat, year, view, shown, notices)


def approval_result(store: Store, secretariat: Secretariat, year: int, view: StatementView,
                    shown: list[tuple[int | None, Allocation]], notices: list[str]
                    ) -> ApprovalResult:
    """What approving statement `year` did, once committed: the record, the warnings the
    statement had, and the notices (a key from an older quarter is a warning)."""
    record = approvals.in_force(store, secretariat.id, year)
    assert record is not None
    key_warnings = [Warning("key_quarter_fallback", text, Column.BUDGET, 0)
                    for _, alloc in shown
                    if (text := allocation_service.key_warning(store, year, alloc))]
    said = {w.message for w in key_warnings}
    return ApprovalResult(record, view.warnings + key_warnings,
                          [n for n in notices if n not in said])


def record_approval(store: Store, secretariat: Secretariat, year: int, facts: ApprovalFacts
                    ) -> tuple[StatementView, list[tuple[int | None, Allocation]], list[str]]:
    """The freeze itself, inside the caller's write transaction (one statement's approval,
    or one of an agenda item's: all or none). Returns the statement as approved, the
    allocations it shows and the notices; the caller has validated the facts."""
    # Inside the write transaction: what is hashed is exactly what gets frozen, even if
    # another PC saved a change a moment ago.
    current = approvals.in_force(store, secretariat.id, year)
    if current is not None:
        raise LockedError(
            f"Regnskab {year - 1} og budget {year} er allerede godkendt af {current.body} "
            f"den {format_date(current.meeting_date)} (punkt {current.case}, revision "
            f"{current.revision}). Vælg «Ny revision» for at godkende en rettet udgave.")
    view = load_statement(store, secretariat, year)
    kkr = secretariats.get(store, secretariat.id).kkr
    shown, notices = document_allocations(store, secretariat, year)
    ids: list[int] = []
    for stored_id, alloc in shown:
        if stored_id is None:
            stored_id = allocations.save(store, secretariat.id, year, alloc)
            notices.append(f"{alloc.title(year)} er gemt som fordeling nr. "
                           f"{stored_id}; den bruges ved opkrævningen.")
        ids.append(stored_id)
    revision = approvals.next_revision(store, secretariat.id, year)
    content = ApprovedContent(kkr, view.statement, tuple(a for _, a in shown),
                              replaced_revision(store, secretariat.id, year, revision))
    text = canonical_json(content, facts, revision)
    approvals.insert(store, secretariat.id, year, revision, facts, text,
                     content_hash(text), ids)
    return view, shown, notices


def new_revision(store: Store, secretariat: Secretariat, year: int, reason: str) -> int:
    """"Ny revision": the approved statement stays on record and printable; its lines
    become editable again as a new draft revision, whose number is returned. `reason` (why
    the approved statement is reopened) is kept and printed on the revised document."""
    reason = " ".join(reason.split())
    if not reason:
        raise InputError("Angiv årsagen til den nye revision (fx «Lønudgiften var bogført "
                         "dobbelt»); den står på det reviderede dokument.")
    with store.transaction():
        current = approvals.in_force(store, secretariat.id, year)
        if current is None:
            raise InputError(f"Regnskab {year - 1} og budget {year} for {secretariat.name} er "
                             "ikke godkendt; den kan rettes uden en ny revision.")
        approvals.supersede(store, current)
        revision = approvals.next_revision(store, secretariat.id, year)
        approvals.add_revision_reason(store, secretariat.id, year, revision, reason)
    return revision


def require_revision(store: Store, secretariat: Secretariat, year: int, revision: int
                     ) -> ApprovalRecord | None:
    """The approved revision `revision`, or None when it is the current draft."""
    record = approvals.by_revision(store, secretariat.id, year, revision)
    if record is not None:
        return record
    if revision == approvals.next_revision(store, secretariat.id, year) and \
            approvals.in_force(store, secretariat.id, year) is None:
        return None
    known = [str(a.revision) for a in approvals.all_for(store, secretariat.id, year)]
    raise NotFoundError(
        f"Regnskab {year - 1} og budget {year} for {secretariat.name} har ingen revision "
        f"{revision}. Godkendte revisioner: {', '.join(known) or 'ingen'}.")
