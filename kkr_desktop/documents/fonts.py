"""The fonts every document embeds: DejaVu Sans from resources/fonts, never the PC's own."""

from __future__ import annotations

from kkr_desktop.core.errors import KkrError
from kkr_desktop.paths import resources_dir

REGULAR = "KkrSans"
BOLD = "KkrSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}


def register_fonts() -> None:
    """Register the shipped TrueType fonts with reportlab (once per process)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    folder = resources_dir() / "fonts"
    for name, filename in _FILES.items():
        path = folder / filename
        if not path.is_file():
            raise KkrError(f"Skrifttypen {path} mangler; programmet er ikke installeret helt.")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    return pdfmetrics.stringWidth(text, BOLD if bold else REGULAR, size)
