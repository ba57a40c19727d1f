"""What every page carries: the running header, "Side X af Y", the document id, and on a
draft the "KLADDE" watermark. reportlab is imported by the caller's functions only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kkr_desktop.documents.fonts import BOLD, REGULAR

MARGIN = 42.5  # 15 mm
GREY = (0.35, 0.35, 0.35)
DRAFT_RED = (0.7, 0.1, 0.1)


@dataclass(frozen=True)
class PageTexts:
    """The running texts: left and right of the header, left and right of the footer."""

    header_left: str
    header_right: str
    footer_left: str
    footer_right: str
    draft: bool


def draw_watermark(canvas, texts: PageTexts) -> None:
    """A large, light, diagonal "KLADDE" behind the content of every page of a draft."""
    if not texts.draft:
        return
    width, height = canvas._pagesize
    canvas.saveState()
    canvas.setFillColorRGB(0.85, 0.55, 0.55)
    canvas.setFillAlpha(0.16)
    canvas.setFont(BOLD, 150)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(28)
    canvas.drawCentredString(0, -50, "KLADDE")
    canvas.restoreState()


def draw_running_texts(canvas, texts: PageTexts, page: int, pages: int) -> None:
    width, height = canvas._pagesize
    canvas.saveState()
    canvas.setFont(REGULAR, 8)
    canvas.setFillColorRGB(*GREY)
    top = height - MARGIN + 14
    canvas.drawString(MARGIN, top, texts.header_left)
    if texts.draft:
        canvas.setFillColorRGB(*DRAFT_RED)
        canvas.setFont(BOLD, 9)
    canvas.drawRightString(width - MARGIN, top, texts.header_right)
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(REGULAR, 8)
    canvas.setStrokeColorRGB(0.75, 0.75, 0.75)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, top - 4, width - MARGIN, top - 4)
    bottom = MARGIN - 20
    canvas.line(MARGIN, bottom + 11, width - MARGIN, bottom + 11)
    canvas.drawString(MARGIN, bottom, texts.footer_left)
    canvas.setFont(BOLD, 9)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawCentredString(width / 2, bottom, f"Side {page} af {pages}")
    canvas.setFont(REGULAR, 8)
    canvas.setFillColorRGB(*GREY)
    canvas.drawRightString(width - MARGIN, bottom, texts.footer_right)
    canvas.restoreState()


def numbered_canvas(decorate: Callable[[object, int, int], None]):
    """A canvas class that holds every page back until the end, so each can say
    "Side X af Y", then lets `decorate(canvas, page, pages)` draw on it."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                decorate(self, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas
