"""The footnote on «Overskud/underskud» in the printed statement: its mark after the result
amount, its text under «Noter», numbered together with the lines' notes."""

from __future__ import annotations

import re

from kkr_desktop.core.statement import Column
from kkr_desktop.services.report import render_report
from kkr_desktop.services.result_notes import set_result_note
from tests.documents.test_statement_notes import amount_right_edges, pages_of

PAYOUT = "Overskuddet udbetales til medlemskommunerne efter folketal."


def results(page: str) -> list[str]:
    """The amounts of the Overskud/underskud row, as the PDF's text layer has them."""
    return page.split("\nOverskud/underskud\n", 1)[1].split("\nNoter", 1)[0].splitlines()


def test_the_result_note_is_marked_on_the_result_and_printed_under_noter(
        demo_store, demo_secretariat):
    set_result_note(demo_store, demo_secretariat.id, 2024, Column.ACTUAL_PREV, PAYOUT)
    data = render_report(demo_store, demo_secretariat.id, 2024)
    page = pages_of(data)[0]
    # the demo's three line notes come first (row by row); the result row is the last
    assert "⁴ " + PAYOUT in page
    assert page.index("Overskud/underskud") < page.index("Noter") < page.index(PAYOUT)
    assert results(page) == ["0", "571.489,47⁴", "-1"]
    # the mark hangs in the padding: the result's digits end where the column's others do
    edges = amount_right_edges(data)
    assert ("571.489,47⁴" in [t for t, _x in edges]
            and len({round(x, 1) for _t, x in edges}) == 6)


def test_a_result_note_with_a_line_notes_text_has_that_number(demo_store, demo_secretariat):
    page = pages_of(render_report(demo_store, demo_secretariat.id, 2024))[0]
    rent = re.search(r"³ (Huslejen steg[^\n]*)", page).group(1)
    set_result_note(demo_store, demo_secretariat.id, 2024, Column.BUDGET, rent)
    page = pages_of(render_report(demo_store, demo_secretariat.id, 2024))[0]
    assert page.count("Huslejen steg") == 1 and "⁴" not in page
    assert results(page) == ["0", "571.489,47", "-1³"]
