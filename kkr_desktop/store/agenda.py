"""Stored agenda items («dagsordenspunkter»), their statements and the act approving them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kkr_desktop.core.agenda import AgendaText
from kkr_desktop.core.approval import ApprovalFacts, document_id
from kkr_desktop.core.errors import NotFoundError
from kkr_desktop.store.db import Store, now


@dataclass(frozen=True)
class AgendaItem:
    id: int
    kkr_id: int
    kkr: str
    year: int
    text: AgendaText
    secretariat_ids: list[int]  # in the order the document shows them
    created_at: str
    created_by: str


@dataclass(frozen=True)
class AgendaApproval:
    agenda_id: int
    body: str
    meeting_date: date
    case: str
    content: str
    sha256: str
    approved_at: str
    approved_by: str
    member_ids: list[int]  # the approvals it comprises, by position

    @property
    def document_id(self) -> str:
        return document_id(self.sha256)


_SELECT = ("SELECT i.*, k.name AS kkr FROM agenda_item i JOIN kkr k ON k.id = i.kkr_id")


def _item(store: Store, r) -> AgendaItem:
    ids = [x[0] for x in store.rows("SELECT secretariat_id FROM agenda_item_statement "
                                    "WHERE agenda_id = ? ORDER BY position", (r["id"],))]
    return AgendaItem(r["id"], r["kkr_id"], r["kkr"], r["year"],
                      AgendaText(r["title"], r["case_item"], r["sagsfremstilling"],
                                 r["indstilling"]), ids, r["created_at"], r["created_by"])


def get(store: Store, agenda_id: int) -> AgendaItem:
    r = store.one(_SELECT + " WHERE i.id = ?", (agenda_id,))
    if r is None:
        raise NotFoundError(f"Dagsordenspunkt nr. {agenda_id} findes ikke.")
    return _item(store, r)


def all_items(store: Store, kkr_id: int | None = None, year: int | None = None
              ) -> list[AgendaItem]:
    return [_item(store, r) for r in store.rows(
        _SELECT + " WHERE (CAST(? AS BIGINT) IS NULL OR i.kkr_id = ?) "
        "AND (CAST(? AS BIGINT) IS NULL OR i.year = ?) "
        "ORDER BY i.year, i.id", (kkr_id, kkr_id, year, year))]


def create(store: Store, kkr_id: int, year: int, text: AgendaText) -> int:
    with store.transaction():
        return store.insert("agenda_item", {
            "kkr_id": kkr_id, "year": year, "title": text.title, "case_item": text.case,
            "sagsfremstilling": text.sagsfremstilling, "indstilling": text.indstilling,
            "created_at": now(), "created_by": store.user}, year=year)


def update_text(store: Store, agenda_id: int, year: int, text: AgendaText) -> None:
    with store.transaction():
        store.update("agenda_item", {"id": agenda_id}, {
            "title": text.title, "case_item": text.case,
            "sagsfremstilling": text.sagsfremstilling, "indstilling": text.indstilling},
            year=year)


def set_statements(store: Store, agenda_id: int, year: int, secretariat_ids: list[int]
                   ) -> None:
    with store.transaction():
        store.delete("agenda_item_statement", {"agenda_id": agenda_id}, year=year)
        for position, sid in enumerate(secretariat_ids, start=1):
            store.insert("agenda_item_statement", {"agenda_id": agenda_id,
                                                   "secretariat_id": sid,
                                                   "position": position},
                         key="agenda_id", secretariat_id=sid, year=year)


def approval(store: Store, agenda_id: int) -> AgendaApproval | None:
    r = store.one("SELECT * FROM agenda_approval WHERE agenda_id = ?", (agenda_id,))
    return None if r is None else _approval(store, r)


def _approval(store: Store, r) -> AgendaApproval:
    members = [x[0] for x in store.rows("SELECT approval_id FROM agenda_approval_member "
                                        "WHERE agenda_id = ? ORDER BY position",
                                        (r["agenda_id"],))]
    return AgendaApproval(r["agenda_id"], r["body"], date.fromisoformat(r["meeting_date"]),
                          r["case_item"], r["content"], r["sha256"], r["approved_at"],
                          r["approved_by"], members)


def all_approvals(store: Store) -> list[AgendaApproval]:
    """Every approved item's act (none in a file from before agenda items)."""
    if not store.has_table("agenda_approval"):
        return []
    return [_approval(store, r) for r in store.rows(
        "SELECT * FROM agenda_approval ORDER BY agenda_id")]


def insert_approval(store: Store, agenda_id: int, year: int, facts: ApprovalFacts,
                    content: str, sha256: str, approval_ids: list[int]) -> None:
    """Record the act; from this moment the database freezes the item and its text."""
    assert facts.meeting_date is not None
    with store.transaction():
        store.insert("agenda_approval", {
            "agenda_id": agenda_id, "body": facts.body,
            "meeting_date": facts.meeting_date.isoformat(), "case_item": facts.case,
            "content": content, "sha256": sha256, "approved_at": now(),
            "approved_by": store.user}, key="agenda_id", year=year)
        for position, aid in enumerate(approval_ids, start=1):
            store.insert("agenda_approval_member", {"agenda_id": agenda_id,
                                                    "position": position,
                                                    "approval_id": aid},
                         key="agenda_id", year=year)
