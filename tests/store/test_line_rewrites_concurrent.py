"""Adding, removing or moving a post rewrites its whole year: another officer's change of
another post, committed while that happens, must not be written back over.

The other officer commits at the first moment the code lets another writer in: between
reading the year and writing it back when the read is outside the write transaction (as it
was: the four-writer run on a server found budgets set back by an added post), otherwise
after. Either way both changes must stand. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from kkr_desktop.core.statement import Kind, YearLine
from kkr_desktop.services import statements
from kkr_desktop.store import secretariats
from kkr_desktop.store import statements as lines_store
from kkr_desktop.store.db import open_store


@pytest.fixture
def other(demo_store, store_target):
    """A second officer's connection to the same database."""
    s = open_store(store_target)
    s.user = "lene"
    yield s
    s.close()


def _budget(store, sid: int, name: str) -> int | None:
    return next((ln.budget for ln in lines_store.year_lines(store, sid, 2024)
                 if ln.name == name), None)


@pytest.mark.parametrize("change", ["add", "remove", "move"])
def test_a_post_rewrite_keeps_a_change_committed_meanwhile(demo_store, other, monkeypatch,
                                                          change):
    sid = secretariats.find(demo_store, "sundhed").id
    read = lines_store.year_lines
    hers: list[bool] = []

    def lene_saves():
        statements.set_line_field(other, sid, 2024, "Husleje", "budget", 40_000_00)
        hers.append(True)

    def year_lines(store, secretariat_id, year):
        found = read(store, secretariat_id, year)
        if store is demo_store and not hers and not demo_store.conn.in_transaction:
            lene_saves()  # between this read and the write that follows it
        return found

    monkeypatch.setattr(lines_store, "year_lines", year_lines)
    if change == "add":
        statements.add_line(demo_store, sid, 2024, YearLine("Ny post", Kind.EXPENSE,
                                                            budget=1_00))
    elif change == "remove":
        statements.remove_line(demo_store, sid, 2024, "Mødeafholdelse")
    else:
        statements.move_line(demo_store, sid, 2024, "Løn", 0)
    if not hers:
        lene_saves()
    monkeypatch.undo()

    assert _budget(demo_store, sid, "Husleje") == 40_000_00
    names = [ln.name for ln in lines_store.year_lines(demo_store, sid, 2024)]
    assert ("Ny post" in names) == (change == "add")
    assert ("Mødeafholdelse" in names) == (change != "remove")
    assert (names[0] == "Løn") == (change == "move")
