"""A secretariat's standing signatories (name and title), in the order they sign."""

from __future__ import annotations

from kkr_desktop.core.approval import Signatory
from kkr_desktop.store.db import Store


def get(store: Store, secretariat_id: int) -> list[Signatory]:
    return [Signatory(r["name"], r["title"]) for r in store.rows(
        "SELECT name, title FROM secretariat_signatory WHERE secretariat_id = ? "
        "ORDER BY position", (secretariat_id,))]


def replace(store: Store, secretariat_id: int, people: list[Signatory]) -> None:
    """Make the list exactly `people`; every change is in the audit log."""
    with store.transaction():
        old = get(store, secretariat_id)
        if old == people:
            return
        store.delete("secretariat_signatory", {"secretariat_id": secretariat_id},
                     secretariat_id=secretariat_id)
        for position, person in enumerate(people, start=1):
            store.insert("secretariat_signatory", {
                "secretariat_id": secretariat_id, "position": position,
                "name": person.name, "title": person.title}, key="name",
                secretariat_id=secretariat_id)
