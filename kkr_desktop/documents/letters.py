"""The kommune's letter: one portrait A4 page per kommune with what it pays (or receives)
for the year, a line per body and kind, the net, the due date, the payment reference and
each body's contact. reportlab is imported by the functions that use it."""

from __future__ import annotations

import io
from datetime import date

from kkr_desktop.core.approval import format_date
from kkr_desktop.core.billing import Body, KommuneBill
from kkr_desktop.core.erp import MemberErp
from kkr_desktop.core.money import format_amount
from kkr_desktop.documents.fonts import BOLD, REGULAR, register_fonts
from kkr_desktop.documents.pages import DRAFT_RED, GREY, MARGIN

HEADER_BLUE = (0.88, 0.91, 0.95)


def _kr(ore: int) -> str:
    return format_amount(ore, decimals=True)


def letters_pdf(kkr: str, year: int, due: date, bills: list[KommuneBill],
                bodies: list[Body], members: dict[int, MemberErp], *, draft: bool = False,
                today: date | None = None) -> bytes:
    """Every kommune's letter in one PDF, one page each, in kommunekode order."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, SimpleDocTemplate

    register_fonts()
    buf = io.BytesIO()
    written = today or date.today()

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColorRGB(*GREY)
        canvas.drawString(MARGIN, MARGIN - 20, f"KKR {kkr} · fælleskommunale sekretariater")
        canvas.drawRightString(A4[0] - MARGIN, MARGIN - 20,
                               f"Opkrævning {year} · udskrevet {format_date(written)}")
        canvas.restoreState()

    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN * 1.5,
                            rightMargin=MARGIN * 1.5, topMargin=MARGIN * 1.5,
                            bottomMargin=MARGIN * 1.5,
                            title=f"Opkrævning {year} – KKR {kkr}", author=f"KKR {kkr}")
    story: list = []
    for i, bill in enumerate(bills):
        if i:
            story.append(PageBreak())
        story += _page(kkr, year, due, bill, bodies, members, written, doc.width, draft)
    if not story:
        story = _empty(kkr, year)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def _styles() -> dict:
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=13.5)
    return {"body": base,
            "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11,
                                    textColor=GREY),
            "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=14,
                                    leading=18, spaceBefore=18, spaceAfter=8),
            "bold": ParagraphStyle("bold", parent=base, fontName=BOLD),
            "draft": ParagraphStyle("draft", parent=base, fontName=BOLD, fontSize=10,
                                    textColor=DRAFT_RED, spaceAfter=10),
            "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=12),
            "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=BOLD,
                                        fontSize=9.5, leading=12)}


def _empty(kkr: str, year: int) -> list:
    from reportlab.platypus import Paragraph

    return [Paragraph(f"Ingen kommune i KKR {kkr} skal betale eller modtage noget for {year}.",
                      _styles()["body"])]


def _page(kkr: str, year: int, due: date, bill: KommuneBill, bodies: list[Body],
          members: dict[int, MemberErp], written: date, width: float, draft: bool
          ) -> list:
    from reportlab.platypus import Paragraph, Spacer

    st = _styles()
    m = members.get(bill.kommunekode, MemberErp(bill.kommunekode, bill.kommune))
    ids = " · ".join(x for x in (f"CVR {m.cvr}" if m.cvr else "",
                                 f"EAN {m.ean}" if m.ean else "") if x)
    pays = bill.net >= 0
    verb, towards = ("skal betale", "til") if pays else ("modtager", "fra")
    out = [Paragraph(f"KKR {kkr} · de fælleskommunale sekretariater", st["small"]),
           Spacer(1, 14)]
    if draft:
        out.append(Paragraph("KLADDE – et sekretariats opgørelse er ikke godkendt endnu, så "
                             "beløbene kan nå at ændre sig.", st["draft"]))
    out += [Paragraph(f"{bill.kommune} Kommune", st["bold"]),
           Paragraph("Att.: Økonomiafdelingen", st["body"])]
    if ids:
        out.append(Paragraph(ids, st["body"]))
    out += [Spacer(1, 6),
            Paragraph(f"{format_date(written)}", st["small"]),
            Paragraph(f"{'Opkrævning' if pays else 'Udbetaling'} {year}: "
                      f"{bill.kommune} Kommunes andel af de fælleskommunale sekretariater",
                      st["title"]),
            Paragraph(f"Her er, hvad {bill.kommune} Kommune {verb} for {year} {towards}"
                      f" de fælleskommunale sekretariater i KKR {kkr}, fordelt efter "
                      "sekretariaternes fordelingsnøgler. Beløbene er i kroner; negative "
                      "beløb modtager kommunen.", st["body"]),
            Spacer(1, 10),
            _table(bill, st, width),
            Spacer(1, 14)]
    net = _kr(abs(bill.net))
    if bill.net > 0:
        say = (f"Beløbet <b>{net} kr.</b> bedes betalt senest <b>{format_date(due)}</b> "
               f"med reference <b>{bill.reference()}</b>.")
    elif bill.net < 0:
        say = (f"Beløbet <b>{net} kr.</b> udbetales til kommunen senest "
               f"<b>{format_date(due)}</b> med reference <b>{bill.reference()}</b>.")
    else:
        say = "Beløbene går lige op; der er intet at betale eller modtage."
    out.append(Paragraph(say, st["body"]))
    out.append(Paragraph("Faktura eller kreditnota sendes elektronisk (OIOUBL) til kommunens "
                         "EAN-nummer.", st["small"]))
    out.append(Spacer(1, 14))
    out.append(Paragraph("Spørgsmål", st["bold"]))
    shown = {p.body_id for p in bill.parts}
    for body in bodies:
        if body.id in shown:
            out.append(Paragraph(f"{body.name}: {body.contact}", st["body"]))
    return out


def _table(bill: KommuneBill, st: dict, width: float):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    rows = [[Paragraph("Sekretariat", st["cell_bold"]), Paragraph("Post", st["cell_bold"]),
             Paragraph("Beløb", st["cell_bold"])]]
    for p in bill.parts:
        rows.append([Paragraph(p.body, st["cell"]), Paragraph(p.text, st["cell"]),
                     _kr(p.amount)])
    label = "I alt at betale" if bill.net >= 0 else "I alt til kommunen"
    rows.append([Paragraph(label, st["cell_bold"]), "", _kr(bill.net if bill.net >= 0
                                                          else -bill.net)])
    table = Table(rows, colWidths=[width * 0.42, width * 0.38, width * 0.20], repeatRows=1)
    grid = colors.Color(0.55, 0.6, 0.68)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), REGULAR, 9.5),
        ("FONT", (2, -1), (2, -1), BOLD, 9.5),
        ("ALIGN", (2, 0), (2, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(*HEADER_BLUE)),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, grid),
        ("LINEABOVE", (0, -1), (-1, -1), 0.9, grid),
        ("LINEBELOW", (0, -1), (-1, -1), 0.9, grid),
        ("SPAN", (0, -1), (1, -1)),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table
