"""Stored approvals: the record, its signatories, the allocations it froze."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kkr_desktop.core.approval import ApprovalFacts, Signatory, document_id
from kkr_desktop.store.db import Store, now


@dataclass(frozen=True)
class ApprovalRecord:
    id: int
    secretariat_id: int
    year: int
    revision: int
    body: str
    meeting_date: date
    case: str
    signatories: list[Signatory]  # (name, title) pairs
    content: str  # canonical JSON snapshot
    sha256: str
    approved_at: str
    approved_by: str
    superseded_at: str | None
    superseded_by: str | None

    @property
    def document_id(self) -> str:
        return document_id(self.sha256)

    @property
    def in_force(self) -> bool:
        return self.superseded_at is None

    @property
    def facts(self) -> ApprovalFacts:
        return ApprovalFacts(self.body, self.meeting_date, self.case, tuple(self.signatories))


def _record(store: Store, r) -> ApprovalRecord:
    signatories = [Signatory(s["name"], s["title"]) for s in store.rows(
        "SELECT name, title FROM approval_signatory WHERE approval_id = ? ORDER BY position",
        (r["id"],))]
    return ApprovalRecord(
        r["id"], r["secretariat_id"], r["year"], r["revision"], r["body"],
        date.fromisoformat(r["meeting_date"]), r["case_item"], signatories, r["content"],
        r["sha256"], r["approved_at"], r["approved_by"], r["superseded_at"],
        r["superseded_by"])


def in_force(store: Store, secretariat_id: int, year: int) -> ApprovalRecord | None:
    r = store.one("SELECT * FROM approval WHERE secretariat_id = ? AND year = ? "
                  "AND superseded_at IS NULL", (secretariat_id, year))
    return None if r is None else _record(store, r)


def all_for(store: Store, secretariat_id: int, year: int) -> list[ApprovalRecord]:
    """Every approval of the statement, oldest revision first."""
    return [_record(store, r) for r in store.rows(
        "SELECT * FROM approval WHERE secretariat_id = ? AND year = ? ORDER BY revision",
        (secretariat_id, year))]


def by_revision(store: Store, secretariat_id: int, year: int, revision: int
                ) -> ApprovalRecord | None:
    r = store.one("SELECT * FROM approval WHERE secretariat_id = ? AND year = ? "
                  "AND revision = ?", (secretariat_id, year, revision))
    return None if r is None else _record(store, r)


def next_revision(store: Store, secretariat_id: int, year: int) -> int:
    """The revision number the statement has while it is a draft: one past the last."""
    last = store.scalar("SELECT max(revision) FROM approval WHERE secretariat_id = ? "
                        "AND year = ?", (secretariat_id, year))
    return int(last or 0) + 1


def insert(store: Store, secretariat_id: int, year: int, revision: int,
           facts: ApprovalFacts, content: str, sha256: str,
           allocation_ids: list[int]) -> int:
    """Record an approval; from this moment the database freezes what it covers."""
    with store.transaction():
        aid = store.insert("approval", {
            "secretariat_id": secretariat_id, "year": year, "revision": revision,
            "body": facts.body, "meeting_date": facts.meeting_date.isoformat(),
            "case_item": facts.case, "content": content, "sha256": sha256,
            "approved_at": now(), "approved_by": store.user},
            secretariat_id=secretariat_id, year=year)
        for position, s in enumerate(facts.signatories, start=1):
            store.insert("approval_signatory", {"approval_id": aid, "position": position,
                                                "name": s.name, "title": s.title},
                         key="approval_id", secretariat_id=secretariat_id, year=year)
        for allocation_id in allocation_ids:
            store.insert("approval_allocation", {"approval_id": aid,
                                                 "allocation_id": allocation_id},
                         key="approval_id", secretariat_id=secretariat_id, year=year)
    return aid


def supersede(store: Store, approval: ApprovalRecord) -> None:
    """"Ny revision": the approval stops freezing the lines; it stays on record."""
    values = {"superseded_at": now(), "superseded_by": store.user}
    with store.transaction():
        # The audit row comes first: the database refuses the change unless the newest
        # audit row is exactly this change (db/migrations, approval_supersede_audited).
        store.audit("approval", approval.id, "update",
                    {"superseded_at": None, "superseded_by": None}, values,
                    secretariat_id=approval.secretariat_id, year=approval.year)
        store.conn.execute("UPDATE approval SET superseded_at = ?, superseded_by = ? "
                           "WHERE id = ?", (*values.values(), approval.id))


def latest_for_secretariat(store: Store, secretariat_id: int) -> ApprovalRecord | None:
    """The secretariat's most recent approval of any year (to suggest body and signatories)."""
    r = store.one("SELECT * FROM approval WHERE secretariat_id = ? ORDER BY id DESC LIMIT 1",
                  (secretariat_id,))
    return None if r is None else _record(store, r)


def frozen_allocation_ids(store: Store, approval_id: int) -> list[int]:
    """The allocations the approval froze, by id (matched to the snapshot by kind)."""
    return [r[0] for r in store.rows("SELECT allocation_id FROM approval_allocation "
                                     "WHERE approval_id = ? ORDER BY allocation_id",
                                     (approval_id,))]


def everything(store: Store) -> list[ApprovalRecord]:
    """Every approval in the database, by secretariat, year and revision."""
    return [_record(store, r) for r in store.rows(
        "SELECT * FROM approval ORDER BY secretariat_id, year, revision")]


def add_revision_reason(store: Store, secretariat_id: int, year: int, revision: int,
                        reason: str) -> None:
    """Why revision `revision` was opened (append-only; db/migrations, revision_reason)."""
    store.insert("revision_reason", {
        "secretariat_id": secretariat_id, "year": year, "revision": revision,
        "reason": reason, "at": now(), "by": store.user},
        secretariat_id=secretariat_id, year=year)


def revision_reason(store: Store, secretariat_id: int, year: int, revision: int
                    ) -> str | None:
    """Why revision `revision` was opened, or None (the first, or opened before reasons)."""
    return store.scalar("SELECT reason FROM revision_reason WHERE secretariat_id = ? "
                        "AND year = ? AND revision = ?", (secretariat_id, year, revision))


def by_id(store: Store, approval_id: int) -> ApprovalRecord:
    r = store.one("SELECT * FROM approval WHERE id = ?", (approval_id,))
    if r is None:
        from kkr_desktop.core.errors import NotFoundError

        raise NotFoundError(f"Godkendelse nr. {approval_id} findes ikke.")
    return _record(store, r)
