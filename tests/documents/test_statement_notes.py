"""The footnotes of the printed statement: under their table, numbered once per text, and
marks that do not move the amounts they stand on."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from kkr_desktop.documents.fonts import text_width
from kkr_desktop.services.report import render_report
from kkr_desktop.services.statements import set_line_field

AMOUNT = re.compile(r"^-?\d{1,3}(?:\.\d{3})*(?:,\d{2})?([⁰¹²³⁴⁵⁶⁷⁸⁹]*)$")


def pages_of(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def test_the_notes_stand_under_the_table_on_its_page(demo_store, demo_secretariat):
    """The demo's table and its three notes fit page 1 (tighter spacing when needed);
    KeepTogether used to push the notes, or the whole table, to page 2."""
    pages = pages_of(render_report(demo_store, demo_secretariat.id, 2024))
    table_page = next(i for i, p in enumerate(pages) if "\nI alt\n" in p)
    assert table_page == 0
    first = "¹ Beløbet er reguleret med den endelige pris- og lønudvikling"
    assert "Noter" in pages[0] and first in pages[0]
    assert pages[0].index("I alt") < pages[0].index("Noter") < pages[0].index(first)
    assert "³ Huslejen steg i midten af 2023" in pages[0]


def test_a_table_longer_than_a_page_keeps_its_start_and_prints_its_notes_after():
    from kkr_desktop.documents.statement_pdf import render_statement
    from tests.documents.test_statement_pdf import long_statement_document

    pages = pages_of(render_statement(long_statement_document()))
    assert "Post 1\n" in pages[0]  # the table is not moved off page 1
    text = "\n".join(pages)
    assert text.index("Overskud/underskud") < text.index("Noter")
    assert "Bidrag." in text.split("Noter", 1)[1]


def test_one_note_text_at_several_amounts_is_one_note_printed_once(demo_store,
                                                                   demo_secretariat):
    text = "Beløbet er skønnet; det endelige tal kommer med årsregnskabet."
    for name in ("Løn", "Husleje"):
        set_line_field(demo_store, demo_secretariat.id, 2024, name, "budget_note", text)
    printed = "\n".join(pages_of(render_report(demo_store, demo_secretariat.id, 2024)))
    assert printed.count("det endelige tal kommer med årsregnskabet") == 1
    mark = re.search(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*Beløbet er skønnet", printed).group(1)
    assert "37.618" + mark in printed and "1.509.563" + mark in printed


def amount_right_edges(data: bytes) -> list[tuple[str, float]]:
    """Every amount of the statement table on page 1 with the x of the right edge of its
    digits (its footnote mark, if any, not counted), from the PDF's own text positions and
    the fonts' widths."""
    page = PdfReader(io.BytesIO(data)).pages[0]
    found: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size) -> None:
        match = AMOUNT.match(text.strip())
        if not match or font is None:
            return
        digits = text.strip()[:len(text.strip()) - len(match.group(1))]
        scale = cm[0]
        x = tm[4] * scale + cm[4]
        bold = str(font.get("/BaseFont", "")).endswith("-Bold")  # DejaVuSans-Bold
        found.append((text.strip(), x + text_width(digits, size * tm[0] * scale,
                                                   bold=bold)))

    page.extract_text(visitor_text=visit)
    return found


def test_a_footnote_mark_does_not_move_the_decimals(demo_store, demo_secretariat):
    """In every amount column the digits end at the same x, marked or not: the mark hangs
    in the cell's right padding."""
    edges = amount_right_edges(render_report(demo_store, demo_secretariat.id, 2024))
    marked = [t for t, _x in edges if t[-1] in "¹²³"]
    assert len(marked) == 3 and len(edges) >= 60
    columns = sorted({round(x, 1) for _t, x in edges})
    # Six amount columns (three years × Udgifter | Indtægter), each one right edge.
    assert len(columns) == 6, columns
