"""The appendices: each allocation the document shows, split per kommune, with its total
row equal to the amount billed (or paid out)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from kkr_desktop.core.allocation import (
    Allocation,
    AllocationKind,
    KeyKind,
    Unit,
    format_share,
)
from kkr_desktop.core.money import format_amount, format_count, format_thousands
from kkr_desktop.core.quarter import default_key_quarter, quarter_label
from kkr_desktop.documents.fonts import BOLD, REGULAR
from kkr_desktop.documents.markup import escape
from kkr_desktop.documents.model import StatementDocument

SIZE = 9


def appendix_title(number: int, allocation: Allocation, year: int) -> str:
    if allocation.kind is AllocationKind.CONTRIBUTION:
        what = f"Fordeling af bidraget for {year} på kommunerne"
    elif allocation.kind is AllocationKind.PAYOUT and allocation.total < 0:
        what = f"Opkrævning af underskuddet fra regnskab {year - 1} hos kommunerne"
    elif allocation.kind is AllocationKind.PAYOUT:
        what = f"Udbetaling af overskuddet fra regnskab {year - 1} til kommunerne"
    else:
        what = f"Efterregulering af bidraget for {year}"
    return f"Bilag {number}: {what}"


def key_text(allocation: Allocation, year: int | None = None) -> str:
    """How the amount is split; a population key of another quarter than the usual one for
    `year` says so, so that the reader sees which key was actually used."""
    if allocation.key_kind is KeyKind.POPULATION and allocation.quarter:
        text = f"fordelt efter bopælskommunefolketal pr. {quarter_label(allocation.quarter)}"
        usual = default_key_quarter(year) if year is not None else allocation.quarter
        if allocation.quarter != usual:
            text += f" (ikke det sædvanlige {quarter_label(usual)})"
        return text
    if allocation.key_kind is KeyKind.EQUAL:
        return "fordelt ligeligt mellem kommunerne"
    return "fordelt efter de aftalte andele"


def unit_amount(ore: int, unit: Unit) -> str:
    if unit is Unit.TKR:
        return format_thousands(ore)
    return format_amount(ore, decimals=unit is Unit.ORE)


def amount_heading(unit: Unit) -> str:
    return {Unit.TKR: "Beløb (1.000 kr.)", Unit.KR: "Beløb (kr.)", Unit.ORE: "Beløb (kr.)"}[unit]


def weight_heading(allocation: Allocation) -> str:
    if allocation.key_kind is KeyKind.POPULATION:
        q = f" ({quarter_label(allocation.quarter)})" if allocation.quarter else ""
        return f"Folketal{q}"
    return "Vægt" if allocation.key_kind is KeyKind.FIXED else "Andele"


_SIX_PLACES = Decimal("0.000001")


def weight_text(value: int | Decimal) -> str:
    """A key weight (a population, or a weight with decimals) in Danish: ``217.075`` or
    ``1.234,5``. The text babel's da_DK ``#,##0.######`` gives (half to even at the sixth
    place), without loading babel's locale data for a dozen numbers on every print."""
    d = Decimal(value).quantize(_SIX_PLACES, rounding=ROUND_HALF_EVEN)
    whole, _, places = f"{abs(d):f}".partition(".")
    places = places.rstrip("0")
    sign = "-" if d < 0 and (whole != "0" or places) else ""
    return sign + format_count(int(whole)) + ("," + places if places else "")


def appendix_story(doc: StatementDocument) -> list:
    from reportlab.platypus import PageBreak

    story: list = []
    for number, allocation in enumerate(doc.content.allocations, start=1):
        story.append(PageBreak())
        story += allocation_section(number, allocation, doc.year)
    return story


def allocation_section(number: int, allocation: Allocation, year: int) -> list:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Spacer

    title = ParagraphStyle("bilag", fontName=BOLD, fontSize=12, leading=15, spaceAfter=4)
    body = ParagraphStyle("bilag_body", fontName=REGULAR, fontSize=SIZE, leading=12)
    total = unit_amount(allocation.total, allocation.unit)
    unit = "t.kr." if allocation.unit is Unit.TKR else "kr."
    intro = (f"{allocation.title(year)}: {total} {unit} {key_text(allocation, year)}. "
             "Beløbene summerer præcist til totalen (største brøkdels metode).")
    return [Paragraph(escape(appendix_title(number, allocation, year)), title),
            Paragraph(escape(intro), body), Spacer(0, 8), allocation_table(allocation)]


def allocation_table(allocation: Allocation):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    rows: list[list] = [["Kommune", weight_heading(allocation), "Andel",
                         amount_heading(allocation.unit)]]
    for r in allocation.rows:
        rows.append([r.kommune, weight_text(r.weight), format_share(r.share),
                     unit_amount(r.amount, allocation.unit)])
    rows.append(["I alt", weight_text(allocation.population_total), "100,00 %",
                 unit_amount(sum(r.amount for r in allocation.rows), allocation.unit)])
    grid = colors.Color(0.55, 0.55, 0.55)
    table = Table(rows, colWidths=[190, 110, 80, 110], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), REGULAR, SIZE),
        ("FONT", (0, 0), (-1, 0), BOLD, SIZE),
        ("FONT", (0, -1), (-1, -1), BOLD, SIZE),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("RIGHTPADDING", (1, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.91, 0.95)),
        ("LINEABOVE", (0, 0), (-1, 0), 0.9, grid),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, grid),
        ("LINEABOVE", (0, -1), (-1, -1), 0.9, grid),
        ("LINEBELOW", (0, -1), (-1, -1), 0.9, grid),
        ("ROWBACKGROUNDS", (0, 1), (-1, -2), [colors.white, colors.Color(0.965, 0.965, 0.965)]),
    ]))
    return table
