"""The footnotes on the «Overskud/underskud» row (db/migrations/0013_result_note.sql), per
secretariat, year and field ("budget" or "actual", as a line's budget_note/actual_note)."""

from __future__ import annotations

from kkr_desktop.core.statement import Column
from kkr_desktop.store.db import Store

FIELDS = ("budget", "actual")
_KEY = ("secretariat_id", "year", "field")


def notes(store: Store, secretariat_id: int, years: tuple[int, ...]
          ) -> dict[tuple[int, str], str]:
    """(year, field) -> text of the notes stored for these years."""
    marks = ", ".join("?" for _ in years)
    return {(r["year"], r["field"]): r["text"] for r in store.rows(
        f"SELECT year, field, text FROM result_note WHERE secretariat_id = ? "
        f"AND year IN ({marks})", (secretariat_id, *years))}


def set_note(store: Store, secretariat_id: int, year: int, field: str, text: str) -> None:
    """Make the note `text`; an empty (or blank) text removes it. Audited."""
    if field not in FIELDS:
        raise ValueError(f"not a result note field: {field}")
    key = {"secretariat_id": secretariat_id, "year": year, "field": field}
    text = text.strip()
    with store.transaction():
        old = store.one("SELECT text FROM result_note WHERE secretariat_id = ? AND year = ? "
                        "AND field = ?", (secretariat_id, year, field))
        if old is None and text:
            store.insert("result_note", {**key, "text": text}, key=_KEY,
                         secretariat_id=secretariat_id, year=year)
        elif old is not None and not text:
            store.delete("result_note", key, secretariat_id=secretariat_id, year=year)
        elif old is not None and old[0] != text:
            store.update("result_note", key, {"text": text},
                         secretariat_id=secretariat_id, year=year)


def statement_notes(store: Store, secretariat_id: int, year: int) -> dict[Column, str]:
    """The result notes statement `year` shows: budget and regnskab N−1, budget N."""
    stored = notes(store, secretariat_id, (year - 1, year))
    return {c: stored[c.source(year)] for c in Column if c.source(year) in stored}
