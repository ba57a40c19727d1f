"""The document the approving body receives: "⟨Sekretariat⟩: Regnskab N−1 og budget N".

Landscape A4, so the seven columns (Poster and three groups of Udgifter | Indtægter) fit at
9 pt. Every total is computed here from the lines; amounts are in Danish format. A column
is printed in whole kroner unless one of its amounts has øre (a regnskab often does) or the
secretariat works in øre: then the whole column shows øre. Nothing printed is rounded, so
every printed column adds up to its printed total. Each amount is one text run, so a PDF's
text layer
gives "1.771.663" whole. Footnote marks are superscript digits hung in the cell's right
padding, so amounts stay aligned whether or not they carry a mark.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from kkr_desktop import APP_TITLE, __version__
from kkr_desktop.core.approval import Signatory, approval_line, format_date, replaces_line
from kkr_desktop.core.money import format_amount
from kkr_desktop.core.statement import Column, Kind, Statement, column_decimals
from kkr_desktop.documents import appendix
from kkr_desktop.documents.flow import first_that_fits
from kkr_desktop.documents.fonts import BOLD, REGULAR, register_fonts, text_width
from kkr_desktop.documents.markup import escape
from kkr_desktop.documents.model import StatementDocument
from kkr_desktop.documents.pages import (
    MARGIN,
    PageTexts,
    draw_running_texts,
    draw_watermark,
    numbered_canvas,
)

BODY_SIZE = 9
MIN_SIZE = 8  # never smaller: the approving body reads it on paper
TABLE_WIDTH = 756  # landscape A4 less the margins
AMOUNT_WIDTH = 80  # the least; wider when the amounts need it
MIN_NAME_WIDTH = 180
CELL_LEFT_PAD = 5
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def note_mark(number: int) -> str:
    return str(number).translate(_SUPERSCRIPT)


RESULT = "result"  # the key of the Overskud/underskud row's notes in numbered_notes


def numbered_notes(s: Statement) -> tuple[dict[tuple[int | str, Column], int], list[str]]:
    """Each noted amount's footnote number, keyed (id(line), column) or (RESULT, column),
    and the texts in order of appearance (the result row last): the same text at several
    amounts is one note, printed once, with one number."""
    numbers: dict[str, int] = {}
    at: dict[tuple[int | str, Column], int] = {}
    for line, column, text in s.notes():
        at[(id(line), column)] = numbers.setdefault(text, len(numbers) + 1)
    for column, text in s.result_notes:
        at[(RESULT, column)] = numbers.setdefault(text, len(numbers) + 1)
    return at, list(numbers)


def money(ore: int | None, decimals: bool) -> str:
    """An amount as printed, with øre or in whole kroner (see `column_decimals`)."""
    if ore is None:
        return ""
    return format_amount(ore, decimals=decimals)


def render_statement(doc: StatementDocument) -> bytes:
    """The whole document as PDF bytes."""
    register_fonts()  # before the story: its styles name the fonts
    story = statement_story(doc)
    story += appendix.appendix_story(doc)
    return render_pdf(story, page_texts(doc), title=doc.title, author=doc.secretariat,
                      subject=doc.heading, document_id=doc.document_id)


def render_pdf(story: list, texts: PageTexts, *, title: str, author: str, subject: str,
               document_id: str | None) -> bytes:
    """A landscape A4 PDF of `story` (made after register_fonts()) in the house style: the
    running texts on every page and the KLADDE watermark on a draft; the Dokument-id (or
    «Kladde») among the keywords."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate

    buf = io.BytesIO()
    template = SimpleDocTemplate(
        buf, pagesize=landscape(A4), leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN + 8, bottomMargin=MARGIN + 4, title=title, author=author,
        subject=subject, creator=f"{APP_TITLE} {__version__}",
        keywords=f"Dokument-id {document_id}" if document_id else "Kladde",
        lang="da-DK", initialFontName=REGULAR, displayDocTitle=True)

    def decorate(canvas, page: int, pages: int) -> None:
        # Over the content, translucent: table backgrounds would hide it underneath.
        draw_watermark(canvas, texts)
        draw_running_texts(canvas, texts, page, pages)

    template.build(story, canvasmaker=numbered_canvas(decorate))
    return buf.getvalue()


def page_texts(doc: StatementDocument) -> PageTexts:
    left = f"{doc.body} · {doc.title}"
    revision = f"Revision {doc.revision}"
    if doc.approval is None:
        return PageTexts(left, "KLADDE · Ikke godkendt", revision, "Ikke godkendt", True)
    right = f"Godkendt {format_date(doc.approval.meeting_date)} · punkt {doc.approval.case}"
    return PageTexts(left, right, revision, f"Dokument-id {doc.document_id}", False)


def styles() -> dict:
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("body", fontName=REGULAR, fontSize=BODY_SIZE, leading=11.5,
                          alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10,
                                textColor=(0.3, 0.3, 0.3)),
        "meeting": ParagraphStyle("meeting", parent=base, fontSize=10, leading=13,
                                  textColor=(0.25, 0.25, 0.25)),
        "heading": ParagraphStyle("heading", parent=base, fontName=BOLD, fontSize=13,
                                  leading=17, spaceAfter=6),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=12,
                                leading=15, spaceBefore=4, spaceAfter=2),
        "section": ParagraphStyle("section", parent=base, fontName=BOLD, fontSize=10.5,
                                  leading=14, spaceBefore=12, spaceAfter=4),
        "note": ParagraphStyle("note", parent=base, leftIndent=12, firstLineIndent=-12,
                               spaceAfter=3),
        "cell": ParagraphStyle("cell", parent=base, leading=11),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=BOLD, leading=11),
        "draft": ParagraphStyle("draft", parent=base, fontName=BOLD, fontSize=9,
                                leading=12, textColor=(0.7, 0.1, 0.1), spaceBefore=3),
        "replaces": ParagraphStyle("replaces", parent=base, fontName=BOLD, fontSize=9.5,
                                   leading=12.5, spaceBefore=3),
        "approval": ParagraphStyle("approval", parent=base, fontName=BOLD, fontSize=10.5,
                                   leading=14, spaceBefore=10),
    }


def statement_story(doc: StatementDocument) -> list:
    from reportlab.platypus import Paragraph, Spacer

    st = styles()
    s = doc.content.statement
    meeting = doc.body
    if doc.approval is not None:
        meeting += f" · møde den {format_date(doc.approval.meeting_date)}"
    story: list = [Paragraph(escape(meeting), st["meeting"]),
                   Paragraph(escape(doc.heading), st["heading"]),
                   Paragraph(escape(doc.title), st["title"]),
                   Paragraph(escape(unit_text(s)), st["small"])]
    if doc.approval is None:
        story.append(Paragraph("KLADDE – ikke godkendt. Tallene kan stadig ændres; dokumentet "
                               "får et dokument-id, når opgørelsen er godkendt.", st["draft"]))
    if doc.content.replaces is not None:
        story.append(Paragraph(escape(replaces_line(doc.content.replaces)), st["replaces"]))
    story.append(Spacer(0, 6))
    story += statement_section(doc, st)
    story += approval_story(doc, st)
    return story


def statement_section(doc: StatementDocument, st: dict, first_appendix: int = 1) -> list:
    """The table, its notes and the key of each allocation (whose appendices are numbered
    from `first_appendix`): what an agenda item shows of each of its statements too."""
    from reportlab.platypus import Paragraph

    s = doc.content.statement
    story: list = [table_with_notes(s, st)]
    # The key actually used, on the page the approving body reads (the appendix has the
    # split); a quarter other than the usual one says so.
    for number, allocation in enumerate(doc.content.allocations, start=first_appendix):
        story.append(Paragraph(escape(
            f"{allocation.title(s.year)}: {appendix.key_text(allocation, s.year)}, "
            f"se bilag {number}."), st["note"]))
    return story


def table_with_notes(s: Statement, st: dict):
    """The table with its notes under it on the same page when there is room: first with
    the usual spacing, then tighter (cell padding, 8 pt notes); when neither fits, the
    table flows on and the notes follow it (see documents/flow.py for why not
    KeepTogether)."""
    from reportlab.lib.styles import ParagraphStyle

    _marks, texts = numbered_notes(s)
    if not texts:
        return statement_table(s, st)
    compact = {
        "section": ParagraphStyle("section_tight", parent=st["section"], fontSize=9,
                                  leading=11, spaceBefore=5, spaceAfter=2),
        "note": ParagraphStyle("note_tight", parent=st["note"], fontSize=MIN_SIZE,
                               leading=10, spaceAfter=2),
    }
    usual = [statement_table(s, st), *note_paragraphs(texts, st)]
    tight = [statement_table(s, st, tight=True), *note_paragraphs(texts, compact)]
    return first_that_fits([usual, tight], fallback=usual)


def note_paragraphs(texts: list[str], st: dict) -> list:
    """«Noter» and each note with its number."""
    from reportlab.platypus import Paragraph

    return [Paragraph("Noter", st["section"]), *(
        Paragraph(f"{note_mark(number)}\u00a0{escape(text)}", st["note"])
        for number, text in enumerate(texts, start=1))]


def unit_text(s: Statement) -> str:
    """What the amounts are in: the columns printed with øre are named."""
    decimals = column_decimals(s)
    if all(decimals.values()):
        return "Beløb i kroner og øre."
    with_ore = [c.label(s.year) for c in Column if decimals[c] and s.has_column(c)]
    if not with_ore:
        return "Beløb i hele kroner."
    return f"Beløb i hele kroner; {' og '.join(with_ore).lower()} i kroner og øre."


@dataclass(frozen=True)
class TableLayout:
    """Font size and column widths chosen so the widest amount fits its column."""

    size: float
    name_width: float
    amount_width: float
    pad: float  # right padding of an amount cell; a footnote mark hangs in it


def table_layout(amounts: list[str], totals: list[str], marks: list[str]) -> TableLayout:
    pad = 4 + max((text_width(m, BODY_SIZE) for m in marks), default=2)
    for size in (BODY_SIZE, 8.5, MIN_SIZE):
        widest = max([text_width(t, size) for t in amounts]
                     + [text_width(t, size, bold=True) for t in totals]
                     + [text_width("Indtægter", size, bold=True)])
        amount_width = max(AMOUNT_WIDTH, widest + pad + CELL_LEFT_PAD)
        name_width = TABLE_WIDTH - 6 * amount_width
        if name_width >= MIN_NAME_WIDTH or size == MIN_SIZE:
            return TableLayout(size, max(name_width, MIN_NAME_WIDTH), amount_width, pad)
    raise AssertionError("unreachable")


def statement_table(s: Statement, st: dict, *, tight: bool = False):
    """Poster | (Udgifter | Indtægter) × 3, "I alt" and "Overskud/underskud"."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    columns = list(Column)
    numbers, _texts = numbered_notes(s)
    marks = {key: note_mark(number) for key, number in numbers.items()}
    decimals = column_decimals(s)
    cells = [[money(line.amount(c), decimals[c]) + marks.get((id(line), c), "")
              for c in columns] for line in s.lines]
    total_row, result_row = _total_rows(s, columns)
    for c, column in enumerate(columns):  # the result stands in the Indtægter column
        result_row[2 * c + 1] += marks.get((RESULT, column), "")
    layout = table_layout([t for row in cells for t in row], total_row + result_row,
                          list(marks.values()))
    size = layout.size
    plain = ParagraphStyle("cell", parent=st["cell"], fontSize=size, leading=size + 2)
    bold = ParagraphStyle("cell_bold", parent=st["cell_bold"], fontSize=size, leading=size + 2)
    head1: list = ["Poster"]
    head2: list = [""]
    for column in columns:
        head1 += [column.label(s.year), ""]
        head2 += ["Udgifter", "Indtægter"]
    rows: list[list] = [head1, head2]
    style: list = []
    for r, (line, texts) in enumerate(zip(s.lines, cells, strict=True), start=2):
        row: list = [Paragraph(escape(line.name), plain)]
        income = line.kind is Kind.INCOME
        for c, (column, text) in enumerate(zip(columns, texts, strict=True)):
            row += ["", text] if income else [text, ""]
            mark = marks.get((id(line), column))
            if mark:
                col = 1 + 2 * c + (1 if income else 0)
                style.append(("RIGHTPADDING", (col, r), (col, r),
                              layout.pad - text_width(mark, size)))
        rows.append(row)
    rows.append([Paragraph("I alt", bold), *total_row])
    rows.append([Paragraph("Overskud/underskud", bold), *result_row])
    for c, column in enumerate(columns):
        mark = marks.get((RESULT, column))
        if mark:
            col = 2 + 2 * c
            style.append(("RIGHTPADDING", (col, len(rows) - 1), (col, len(rows) - 1),
                          layout.pad - text_width(mark, size, bold=True)))
    first_total = len(rows) - 2
    widths = [layout.name_width] + [layout.amount_width] * (2 * len(columns))
    table = Table(rows, colWidths=widths, repeatRows=2, splitByRow=1)
    grid = colors.Color(0.55, 0.55, 0.55)
    light = colors.Color(0.82, 0.82, 0.82)
    base = [
        ("FONT", (0, 0), (-1, -1), REGULAR, size),
        ("FONT", (0, 0), (-1, 1), BOLD, size),
        ("FONT", (0, first_total), (-1, -1), BOLD, size),
        ("SPAN", (0, 0), (0, 1)),
        ("VALIGN", (0, 0), (0, 1), "BOTTOM"),
        ("ALIGN", (1, 0), (-1, 0), "CENTER"),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (1, 2), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_LEFT_PAD),
        ("RIGHTPADDING", (1, 1), (-1, -1), layout.pad),
        ("TOPPADDING", (0, 0), (-1, -1), 1 if tight else 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 if tight else 3),
        ("BACKGROUND", (0, 0), (-1, 1), colors.Color(0.88, 0.91, 0.95)),
        ("LINEBELOW", (0, 1), (-1, 1), 0.9, grid),
        ("LINEABOVE", (0, first_total), (-1, first_total), 0.9, grid),
        ("LINEBELOW", (0, -1), (-1, -1), 0.9, grid),
        ("LINEABOVE", (0, 0), (-1, 0), 0.9, grid),
        ("ROWBACKGROUNDS", (0, 2), (-1, first_total - 1),
         [colors.white, colors.Color(0.965, 0.965, 0.965)]),
    ]
    for c in range(len(columns)):
        col = 1 + 2 * c
        base.append(("SPAN", (col, 0), (col + 1, 0)))
        base.append(("LINEBEFORE", (col, 0), (col, -1), 0.6, light))
    table.setStyle(TableStyle(base + style))
    return table


def _total_rows(s: Statement, columns: list[Column]) -> tuple[list[str], list[str]]:
    total: list[str] = []
    result: list[str] = []
    for column in columns:
        if not s.has_column(column):
            total += ["", ""]
            result += ["", ""]
            continue
        t = s.totals(column)
        decimals = column_decimals(s)[column]
        total += [money(t.expenses, decimals), money(t.income, decimals)]
        result += ["", money(t.result, decimals)]
    return total, result


def approval_story(doc: StatementDocument, st: dict) -> list:
    """The approval line and the signature block, or the draft's notice."""
    from reportlab.platypus import Paragraph

    if doc.approval is None:
        return []
    return signed_block(doc.approval, st, [
        Paragraph(f"Dokument-id {doc.document_id} (SHA-256 {doc.sha256}), "
                  f"revision {doc.revision}.", st["small"])])


def signed_block(facts, st: dict, identity: list) -> list:
    """The approval line, what was approved (`identity`) and the signature block, kept
    together. Always a signature block: an approval stored before a named signatory was
    required gets blank lines to write name and title on."""
    from reportlab.platypus import KeepTogether, Paragraph

    blank = "Navn: " + "_" * 40
    people = facts.signatories or (Signatory(blank, "Titel: " + "_" * 40),) * 2
    return [KeepTogether([Paragraph(escape(approval_line(facts)) + ".", st["approval"]),
                          *identity, signature_table(people, st)])]


def signature_table(signatories, st: dict):
    """Two signatories side by side: name, title, a date line and a signature line."""
    from reportlab.platypus import Paragraph, Table, TableStyle

    cells = []
    for s in signatories:
        cells.append([
            Paragraph(escape(s.name), st["cell_bold"]),
            Paragraph(escape(s.title) or "\u00a0", st["cell"]),
            "", "Dato: " + "_" * 22, "", "Underskrift: " + "_" * 40,
        ])
    per_row = 2
    width = 370
    rows = []
    for i in range(0, len(cells), per_row):
        pair = cells[i:i + per_row] + [[""] * 6] * (per_row - len(cells[i:i + per_row]))
        for k in range(6):
            rows.append([pair[j][k] for j in range(per_row)])
    table = Table(rows, colWidths=[width] * per_row, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), REGULAR, BODY_SIZE),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        *[("TOPPADDING", (0, r), (-1, r), 10) for r in range(len(rows)) if r % 6 == 0],
        *[("BOTTOMPADDING", (0, r), (-1, r), 6) for r in range(len(rows)) if r % 6 in (2, 4)],
    ]))
    return table

