"""The printed statement: built from the approved snapshot, or from the live lines as a draft."""

from __future__ import annotations

from pathlib import Path

from kkr_desktop.core.approval import ApprovedContent, from_canonical
from kkr_desktop.documents.model import StatementDocument
from kkr_desktop.formats import atomic
from kkr_desktop.formats.atomic import safe_file_name  # also for the window's names
from kkr_desktop.services import outputs, verify
from kkr_desktop.services.approval import (
    document_allocations,
    replaced_revision,
    require_revision,
)
from kkr_desktop.services.statements import load_statement
from kkr_desktop.store import approvals, secretariats
from kkr_desktop.store.approvals import ApprovalRecord
from kkr_desktop.store.db import Store
from kkr_desktop.store.secretariats import Secretariat


def build_document(store: Store, secretariat: Secretariat, year: int,
                   revision: int | None = None) -> StatementDocument:
    """The document of statement `year`: an approved revision exactly as approved (from its
    snapshot), or, when none is in force (or the draft revision is asked for), the draft."""
    record: ApprovalRecord | None
    if revision is None:
        record = approvals.in_force(store, secretariat.id, year)
    else:
        record = require_revision(store, secretariat, year, revision)
    if record is not None:
        verify.require_approval_intact(store, record)  # a forged snapshot is never printed
        return approved_document(record)
    view = load_statement(store, secretariat, year)
    shown, _notices = document_allocations(store, secretariat, year, strict=False)
    kkr = secretariats.get(store, secretariat.id).kkr
    revision = approvals.next_revision(store, secretariat.id, year)
    content = ApprovedContent(kkr, view.statement, tuple(a for _, a in shown),
                              replaced_revision(store, secretariat.id, year, revision))
    return StatementDocument(content, revision)


def approved_document(record: ApprovalRecord) -> StatementDocument:
    content, facts, revision = from_canonical(record.content)
    return StatementDocument(content, revision, facts, record.sha256)


def render_report(store: Store, secretariat_id: int, year: int,
                  revision: int | None = None) -> bytes:
    """The document as PDF bytes: the one source of what preview, paper and file show."""
    from kkr_desktop.documents.statement_pdf import render_statement

    secretariat = secretariats.get(store, secretariat_id)
    return render_statement(build_document(store, secretariat, year, revision))


def save_report(store: Store, secretariat_id: int, year: int, path: Path | str,
                revision: int | None = None) -> Path:
    """Write the PDF; the file appears whole or not at all."""
    data = render_report(store, secretariat_id, year, revision)
    target = Path(path).resolve()
    atomic.write_file(target, data, protected=outputs.protected(store))
    return target


def suggested_filename(store: Store, secretariat_id: int, year: int,
                       revision: int | None = None) -> str:
    """``Sundhedssekretariat - regnskab 2023 og budget 2024 (revision 1).pdf``."""
    name = secretariats.get(store, secretariat_id).name
    short = name.removeprefix("Det fælleskommunale ").removeprefix("Sekretariat for ")
    record = (approvals.in_force(store, secretariat_id, year) if revision is None
              else approvals.by_revision(store, secretariat_id, year, revision))
    state = (f"revision {record.revision}" if record else
             f"kladde, revision {approvals.next_revision(store, secretariat_id, year)}")
    return safe_file_name(f"{short} - regnskab {year - 1} og budget {year} ({state})",
                                 ".pdf")
