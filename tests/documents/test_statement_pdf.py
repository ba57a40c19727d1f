"""The printed statement: what its text layer says, draft and approved."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.money import format_amount, parse_amount
from kkr_desktop.core.statement import Column
from kkr_desktop.services import approval
from kkr_desktop.services.report import render_report, save_report, suggested_filename
from kkr_desktop.services.statements import load_statement

FACTS = ApprovalFacts(
    "KKR Nordjylland", date(2024, 3, 12), "2.4",
    (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),
     Signatory("Mogens Gade", "Næstformand for KKR Nordjylland")))


def pdf_text(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


@pytest.fixture
def draft(demo_store, demo_secretariat):
    return pdf_text(render_report(demo_store, demo_secretariat.id, 2024))


@pytest.fixture
def approved(demo_store, demo_secretariat):
    approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    return pdf_text(render_report(demo_store, demo_secretariat.id, 2024))


def test_draft_shows_title_every_amount_and_the_computed_totals(draft, demo_store,
                                                                demo_secretariat):
    reader, pages = draft
    text = "\n".join(pages)
    assert "Det fælleskommunale Sundhedssekretariat: Regnskab 2023 og budget 2024" in text
    assert "Godkendelse af regnskab 2023 og budget 2024 for de fælleskommunale sekretariater" \
        in text
    st = load_statement(demo_store, demo_secretariat, 2024).statement
    # Regnskab 2023 has øre (1.690.518,25), so that column is printed with øre throughout;
    # the budget columns are whole kroner. Nothing printed is rounded.
    with_ore = {Column.ACTUAL_PREV}
    for line in st.lines:
        for column in Column:
            amount = line.amount(column)
            if amount is not None:
                printed = format_amount(amount, decimals=column in with_ore)
                assert re.search(rf"(?<![\d.,]){re.escape(printed)}(?![\d.,])", text), \
                    (line.name, column)
    totals = text.split("\nI alt\n", 1)[1].split()
    assert totals[:6] == ["2.316.569", "2.316.569", "1.766.191,00", "2.337.680,47",
                          "2.019.061", "2.019.060"]
    assert totals[6:10] == ["Overskud/underskud", "0", "571.489,47", "-1"]
    assert "1.771.663²" in text and "1.690.518,25¹" in text and "33.889,00³" in text
    assert "Beløb i hele kroner; regnskab 2023 i kroner og øre." in text
    assert "¹ Beløbet er reguleret med den endelige pris- og lønudvikling" in text
    assert "² Det indkrævede beløb for 2023 fremskrevet" in text
    assert "Side 1 af" in pages[0]
    assert all(f"Side {i} af {len(pages)}" in p for i, p in enumerate(pages, start=1))


def test_every_printed_column_adds_up_to_its_printed_total(demo_store, demo_secretariat):
    """A regnskab typed with øre (1.781.250,50 and 158.749,50 add up to whole kroner): in
    whole kroner the lines would print as 1.781.251 and 158.750 and sum to 1 kr. more than
    the printed total, the very fault of the 2024 document. Printed with øre, they add up."""
    from kkr_desktop.services import statements

    statements.set_line_field(demo_store, demo_secretariat.id, 2023, "Løn", "actual",
                              1_781_250_50)
    statements.set_line_field(demo_store, demo_secretariat.id, 2023, "Mødeafholdelse",
                              "actual", 158_749_50)
    _, pages = pdf_text(render_report(demo_store, demo_secretariat.id, 2024))
    text = "\n".join(pages)
    assert "1.781.250,50" in text and "158.749,50" in text
    st = load_statement(demo_store, demo_secretariat, 2024).statement
    printed_lines = re.findall(r"(?<![\d.,])\d{1,3}(?:\.\d{3})*,\d{2}(?![\d.,])",
                               text.split("\nI alt\n", 1)[0])
    expenses = st.totals(Column.ACTUAL_PREV).expenses
    assert format_amount(expenses, decimals=True) in text.split("\nI alt\n", 1)[1]
    # The printed øre amounts of the regnskab column: expenses and income lines together
    # equal the printed expenses and income totals.
    totals = st.totals(Column.ACTUAL_PREV)
    assert sum(parse_amount(a) for a in printed_lines) == totals.expenses + totals.income


def test_draft_is_marked_on_every_page_and_carries_no_id(draft):
    _reader, pages = draft
    assert all("KLADDE" in p and "Ikke godkendt" in p for p in pages)
    assert "Dokument-id" not in "".join(pages)


def test_appendix_splits_the_contribution_and_adds_up_to_the_amount_billed(draft):
    _reader, pages = draft
    appendix = next(p for p in pages if "Bilag 1" in p)
    assert "Folketal (1. kvt. 2020)" in appendix
    rows = re.findall(r"^([A-ZÆØÅ][a-zæøå]+)\s+([\d.]+)\s+([\d,]+ %)\s+([\d.]+)$", appendix,
                      re.MULTILINE)
    assert len(rows) == 11
    assert sum(parse_amount(r[3]) for r in rows) == 1_771_663_00
    assert re.search(r"I alt\s+589\.936\s+100,00 %\s+1\.771\.663", appendix)


def test_approved_document_has_approval_signatories_and_id_and_no_draft_mark(
        approved, demo_store, demo_secretariat):
    _reader, pages = approved
    text = "\n".join(pages)
    a = approval.approval_for(demo_store, demo_secretariat.id, 2024)
    assert "KLADDE" not in text.upper() and "Ikke godkendt" not in text
    assert "2.4 Godkendelse af regnskab 2023 og budget 2024" in text
    assert "Godkendt af KKR Nordjylland den 12. marts 2024 (punkt 2.4)." in text
    for name, title in a.signatories:
        assert name in text and title in text
    assert text.count("Underskrift:") == 2 and text.count("Dato:") == 2
    assert all(f"Dokument-id {a.document_id}" in p for p in pages)
    assert "2.019.061" in text and "2.019.060" in text


def test_approved_document_is_printed_from_its_snapshot(demo_store, demo_secretariat):
    approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    first = render_report(demo_store, demo_secretariat.id, 2024)
    approval.new_revision(demo_store, demo_secretariat, 2024, "Lønnen var bogført dobbelt")
    from kkr_desktop.services.statements import set_line_field

    set_line_field(demo_store, demo_secretariat.id, 2024, "Løn", "budget", 1_509_564_00)
    _r, old = pdf_text(render_report(demo_store, demo_secretariat.id, 2024, revision=1))
    _r, new = pdf_text(render_report(demo_store, demo_secretariat.id, 2024))
    assert "1.509.563" in old[0] and "Godkendt af" in "".join(old)
    assert "1.509.564" in new[0] and "Revision 2" in new[0] and "KLADDE" in new[0]
    assert pdf_text(first)[1][0] == old[0]


def test_metadata_and_embedded_fonts(approved, demo_store, demo_secretariat, tmp_path):
    reader, _pages = approved
    meta = reader.metadata
    assert meta.title == "Det fælleskommunale Sundhedssekretariat: Regnskab 2023 og budget 2024"
    assert meta.author == "Det fælleskommunale Sundhedssekretariat"
    assert "Godkendelse af regnskab 2023" in meta.subject
    assert meta.creation_date is not None
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            desc = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            assert desc is not None and "/FontFile2" in desc.get_object(), font
            fonts.add(str(font["/BaseFont"]))
    assert fonts and all("KkrSans" in f or "DejaVu" in f for f in fonts)
    path = save_report(demo_store, demo_secretariat.id, 2024, tmp_path / "a.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    assert suggested_filename(demo_store, demo_secretariat.id, 2024) == \
        "Sundhedssekretariat - regnskab 2023 og budget 2024 (revision 1).pdf"


def test_no_font_below_8_pt(approved):
    reader, _pages = approved
    sizes: list[float] = []

    def visit(op, args, _cm, _tm) -> None:
        if op == b"Tf":
            sizes.append(float(args[1]))

    for page in reader.pages:
        page.extract_text(visitor_operand_before=visit)
    assert sizes and min(sizes) >= 8


def long_statement_document():
    from kkr_desktop.core.approval import ApprovedContent
    from kkr_desktop.core.statement import Kind, Role, Statement, StatementLine
    from kkr_desktop.documents.model import StatementDocument

    lines = [StatementLine("Indkrævet hos kommunerne", Kind.INCOME, Role.CONTRIBUTION,
                           12_969_030_30, 12_969_030_99, 13_969_030_30, budget_note="Bidrag.")]
    lines += [StatementLine(f"Post {i}" + (" med et langt navn" * 4 if i % 7 == 0 else ""),
                            Kind.EXPENSE, Role.NONE, 12_345_678_90 + i, 9_876_543_21,
                            12_345_678_90, actual_prev_note=f"Note {i}" if i % 5 == 0 else "")
              for i in range(60)]
    st = Statement("Sekretariat for Nordjysk Socialaftale", 2025, tuple(lines), 1)
    return StatementDocument(ApprovedContent("Nordjylland", st, ()), 1)


def test_a_long_statement_repeats_the_header_and_keeps_amounts_in_their_columns():
    from kkr_desktop.documents.fonts import text_width
    from kkr_desktop.documents.statement_pdf import render_statement, table_layout

    doc = long_statement_document()
    _reader, pages = pdf_text(render_statement(doc))
    table_pages = [p for p in pages if "Post 1" in p or "Post 5" in p]
    assert len(table_pages) >= 2
    assert all("Poster" in p and "Udgifter" in p and "Budget 2025" in p for p in table_pages)
    assert "12.345.678,90" in pages[0] and "13.969.030,30¹" in pages[0]
    total = "740.740.734,00"  # the expense total of a budget year above: 60 × 12.345.678,90
    layout = table_layout([total], [f"-{total}"], ["¹²"])
    assert layout.size >= 8
    assert text_width(f"-{total}", layout.size, bold=True) + layout.pad + 5 <= \
        layout.amount_width
    assert layout.name_width >= 180


def test_a_decided_payout_is_a_second_appendix_and_frozen_by_the_approval(
        demo_store, demo_secretariat):
    from kkr_desktop.core.allocation import AllocationKind
    from kkr_desktop.services import allocation as allocation_service

    payout = allocation_service.compute(demo_store, demo_secretariat, 2024,
                                        kind=AllocationKind.PAYOUT).allocation
    allocation_id = allocation_service.save(demo_store, demo_secretariat, 2024, payout)
    approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    _reader, pages = pdf_text(render_report(demo_store, demo_secretariat.id, 2024))
    bilag2 = next(p for p in pages if "Bilag 2" in p)
    assert "Udbetaling af overskuddet fra regnskab 2023" in bilag2
    assert re.search(r"I alt\s+589\.936\s+100,00 %\s+324\.092,47", bilag2)
    with pytest.raises(Exception, match="Låst"):
        demo_store.conn.execute("UPDATE allocation_row SET amount = amount + 1 "
                                "WHERE allocation_id = ?", (allocation_id,))


@given(st.one_of(st.integers(min_value=0, max_value=10**12),
                 st.decimals(min_value=0, max_value=10**9, places=9, allow_nan=False)))
def test_a_weight_is_printed_as_babel_writes_it_for_da_dk(value):
    """weight_text formats the key weights of the appendix without babel; its text is
    babel's da_DK «#,##0.######» (six places, half to even), to the character."""
    from babel.numbers import format_decimal

    from kkr_desktop.documents.appendix import weight_text

    assert weight_text(value) == format_decimal(value, format="#,##0.######", locale="da_DK")
