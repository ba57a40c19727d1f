"""write_amounts, the service behind a paste: every amount in one transaction."""

from __future__ import annotations

from datetime import date

import pytest

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.errors import LockedError
from kkr_desktop.core.statement import Kind, YearLine
from kkr_desktop.services import approval, statements
from kkr_desktop.services.statements import AmountWrite
from kkr_desktop.store import statements as lines_store

HUSLEJE = YearLine("Husleje", Kind.EXPENSE)


def budget(store, sid, year, name="Husleje"):
    return next(ln.budget for ln in lines_store.year_lines(store, sid, year) if ln.name == name)


def test_a_refused_amount_leaves_the_whole_block_unwritten(demo_store, demo_secretariat):
    sid = demo_secretariat.id
    approval.approve(demo_store, demo_secretariat, 2023, ApprovalFacts(
        "KKR Nordjylland", date(2023, 3, 14), "2.4",
        (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),)))
    before = budget(demo_store, sid, 2023)
    with pytest.raises(LockedError):
        statements.write_amounts(demo_store, sid, [
            AmountWrite(2024, HUSLEJE, "budget", 1),   # open: would be written …
            AmountWrite(2023, HUSLEJE, "budget", 2)])  # … but budget 2023 is approved
    assert budget(demo_store, sid, 2024) == 3_761_800
    assert budget(demo_store, sid, 2023) == before


def test_a_post_missing_in_a_year_is_added_and_the_undo_removes_it(demo_store,
                                                                   demo_secretariat):
    sid = demo_secretariat.id
    new = YearLine("Ny post", Kind.EXPENSE)
    statements.write_amounts(demo_store, sid, [AmountWrite(2024, new, "budget", 500, 2),
                                               AmountWrite(2024, new, "actual", 7)])
    lines = lines_store.year_lines(demo_store, sid, 2024)
    assert (lines[2].name, lines[2].budget, lines[2].actual) == ("Ny post", 500, 7)
    statements.write_amounts(demo_store, sid, [], remove=[(2024, "Ny post")])
    assert "Ny post" not in [ln.name for ln in lines_store.year_lines(demo_store, sid, 2024)]
