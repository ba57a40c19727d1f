"""The footnote on the «Overskud/underskud» row of a statement: set, change or remove it.

The row is computed, so its note is not a line's (store/result_notes.py). It is frozen as
the lines' notes are: an approval of statement N freezes the notes of year N−1 and the
budget note of year N (the database refuses the rest, db/migrations/0013_result_note.sql).
"""

from __future__ import annotations

from kkr_desktop.core.errors import LockedError
from kkr_desktop.core.statement import Column
from kkr_desktop.services import concurrency, locks
from kkr_desktop.store import approvals, result_notes
from kkr_desktop.store.db import Store

RESULT_LABEL = "Overskud/underskud"


def set_result_note(store: Store, secretariat_id: int, year: int, column: Column,
                    text: str, *, seen: int | None = None) -> None:
    """Make the note on the result of `column` in statement `year` `text` (empty: remove
    it). LockedError, naming the approval, when an approval froze it; ConflictError when
    another officer changed the note since the window's view read it (`seen`)."""
    stored_year, field = column.source(year)
    frozen = approvals.in_force(store, secretariat_id, stored_year + 1) or (
        approvals.in_force(store, secretariat_id, stored_year) if field == "budget" else None)
    if frozen is not None:
        raise LockedError(locks.locked_message(
            frozen, f"Noten til {RESULT_LABEL.lower()} i {column.label(year).lower()}"))
    what = f"noten til {RESULT_LABEL.lower()} i {column.label(year).lower()}"
    with store.transaction(), locks.guard(store, secretariat_id, stored_year):
        concurrency.check_result_note(store, seen, secretariat_id, stored_year, field, what,
                                      f"{what}: «{text.strip()}»")
        result_notes.set_note(store, secretariat_id, stored_year, field, text)
