"""The floor for the printed document: a bare reportlab document of the same pages as the
demo statement's (A4; page 1 the statement, a table of 34 lines × 4 columns with a heading
and notes; page 2 the approval text; page 3 the appendix, a table of 12 kommuner × 5
columns), in the same embedded DejaVu fonts, with no database and no program code.

    python benchmarks/bare_report.py FONTS_DIR OUT.pdf

Timing `python -m kkr_desktop report …` and this as whole processes compares the program's
document with what reportlab itself costs for the same pages.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(fonts: Path, out: Path) -> int:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

    pdfmetrics.registerFont(TTFont("Sans", str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("Sans-Bold", str(fonts / "DejaVuSans-Bold.ttf")))
    body = ParagraphStyle("body", fontName="Sans", fontSize=9, leading=11)
    head = ParagraphStyle("head", fontName="Sans-Bold", fontSize=14, leading=17)
    style = [("FONT", (0, 0), (-1, -1), "Sans", 8), ("FONT", (0, 0), (-1, 0), "Sans-Bold", 8),
             ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
             ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black)]
    story: list = [Paragraph("Regnskab 2023 og budget 2024", head), Spacer(1, 4 * mm)]
    rows = [["Post", "Budget 2023", "Regnskab 2023", "Budget 2024"]]
    rows += [[f"Post nummer {i}", f"{i * 123_457:,}".replace(",", "."),
              f"{i * 121_001:,}".replace(",", "."), f"{i * 127_301:,}".replace(",", ".")]
             for i in range(1, 35)]
    story += [Table(rows, colWidths=[70 * mm, 32 * mm, 32 * mm, 32 * mm], style=style),
              Spacer(1, 4 * mm)]
    story += [Paragraph(f"Note {i}: Stigningen skyldes nye opgaver i sekretariatet.", body)
              for i in range(1, 6)]
    story += [PageBreak(), Paragraph("Godkendelse", head)]
    story += [Paragraph("Godkendt af KKR Nordjylland på mødet den 12. marts 2024, punkt 5.",
                        body) for _ in range(6)]
    story += [PageBreak(), Paragraph("Bilag 1: Fordeling af bidraget", head)]
    rows = [["Kommune", "Folketal", "Andel", "Beløb", "Afrundet"]]
    rows += [[f"Kommune {i}", f"{i * 17_011:,}".replace(",", "."), f"{i * 1.3:.2f} %",
              f"{i * 1_234_567:,}".replace(",", "."), f"{i * 1_234_000:,}".replace(",", ".")]
             for i in range(1, 13)]
    story.append(Table(rows, style=style))
    SimpleDocTemplate(str(out), pagesize=A4).build(story)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    raise SystemExit(main(Path(sys.argv[1]), Path(sys.argv[2])))
