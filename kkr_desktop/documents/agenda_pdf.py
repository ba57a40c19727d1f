"""The document of an agenda item («dagsordenspunkt»): the agenda text (sagsfremstilling
and indstilling), each secretariat's statement with its footnotes, one approval line and
signature block, and the appendices per kommune of every secretariat.

The statements are drawn by the flowables of statement_pdf and appendix, exactly as a
single statement's document draws them; only the frame around them is the item's.
"""

from __future__ import annotations

from kkr_desktop.core.approval import format_date, replaces_line
from kkr_desktop.documents import appendix
from kkr_desktop.documents.fonts import register_fonts
from kkr_desktop.documents.markup import escape
from kkr_desktop.documents.model import AgendaDocument, StatementDocument
from kkr_desktop.documents.pages import PageTexts
from kkr_desktop.documents.statement_pdf import (
    render_pdf,
    signed_block,
    statement_section,
    styles,
    unit_text,
)


def render_agenda(doc: AgendaDocument) -> bytes:
    """The whole item as PDF bytes."""
    register_fonts()  # before the story: its styles name the fonts
    return render_pdf(agenda_story(doc), page_texts(doc), title=doc.heading, author=doc.body,
                      subject=doc.heading, document_id=doc.document_id)


def page_texts(doc: AgendaDocument) -> PageTexts:
    left = f"{doc.body} · Dagsordenspunkt {doc.text.case}"
    footer = f"Regnskab {doc.year - 1} og budget {doc.year}"
    if doc.approval is None:
        return PageTexts(left, "KLADDE · Ikke godkendt", footer, "Ikke godkendt", True)
    right = f"Godkendt {format_date(doc.approval.meeting_date)} · punkt {doc.approval.case}"
    return PageTexts(left, right, footer, f"Dokument-id {doc.document_id}", False)


def paragraphs(text: str, style) -> list:
    """Typed text: a blank line starts a new paragraph, a single line break is kept."""
    from reportlab.platypus import Paragraph

    out = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [escape(line.strip()) for line in block.strip().split("\n")]
        if any(lines):
            out.append(Paragraph("<br/>".join(lines), style))
    return out


def agenda_story(doc: AgendaDocument) -> list:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    st = styles()
    text_style = ParagraphStyle("agenda_text", parent=st["body"], fontSize=10, leading=13.5,
                                spaceAfter=6)
    meeting = doc.body
    if doc.approval is not None:
        meeting += f" · møde den {format_date(doc.approval.meeting_date)}"
    story: list = [Paragraph(escape(meeting), st["meeting"]),
                   Paragraph(escape(doc.heading), st["heading"])]
    if doc.approval is None:
        story.append(Paragraph("KLADDE – ikke godkendt. Tekst og tal kan stadig ændres; "
                               "dokumentet får et dokument-id, når punktet er godkendt.",
                               st["draft"]))
    for heading, body in (("Sagsfremstilling", doc.text.sagsfremstilling),
                          ("Indstilling", doc.text.indstilling)):
        story.append(Paragraph(heading, st["section"]))
        story += paragraphs(body, text_style) or [Paragraph("(ingen tekst)", st["small"])]
    story.append(Paragraph("Opgørelser i punktet", st["section"]))
    for number, s in enumerate(doc.statements, start=1):
        story.append(Paragraph(escape(f"{number}. {s.title} – {_state(s)}"), st["note"]))
    appendix_no = 1
    for s in doc.statements:
        story += [PageBreak(), Paragraph(escape(s.title), st["title"]),
                  Paragraph(escape(unit_text(s.content.statement)), st["small"])]
        if s.content.replaces is not None:
            story.append(Paragraph(escape(replaces_line(s.content.replaces)), st["replaces"]))
        story.append(Spacer(0, 6))
        story += statement_section(s, st, appendix_no)
        appendix_no += len(s.content.allocations)
    story += approval_block(doc, st)
    number = 1
    for s in doc.statements:
        for allocation in s.content.allocations:
            story += [PageBreak(), Paragraph(escape(s.secretariat), st["meeting"]),
                      *appendix.allocation_section(number, allocation, s.year)]
            number += 1
    return story


def _state(s: StatementDocument) -> str:
    if s.approval is None:
        return f"kladde, revision {s.revision}"
    return f"revision {s.revision}, Dokument-id {s.document_id}"


def approval_block(doc: AgendaDocument, st: dict) -> list:
    """One approval line and one signature block for all the item's statements."""
    from reportlab.platypus import Paragraph

    if doc.approval is None:
        return []
    return signed_block(doc.approval, st, [
        Paragraph(f"Dokument-id {doc.document_id} for dagsordenspunktet (SHA-256 "
                  f"{doc.sha256}); det omfatter:", st["small"]),
        *(Paragraph(escape(f"{s.title}: Dokument-id {s.document_id} (SHA-256 {s.sha256}), "
                           f"revision {s.revision}."), st["small"])
          for s in doc.statements)])
