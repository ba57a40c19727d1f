"""What the window shows on a database with no secretariat yet: the first steps."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

TEXT = (
    "<h2>Der er endnu ingen sekretariater i databasen</h2>"
    "<p>Kom i gang på en af to måder:</p><ul>"
    "<li><b>Nyt sekretariat…</b> opretter et sekretariat med alle kommuner i dets KKR "
    "som medlemmer og et tomt første budget, som du udfylder i fanen "
    "«Regnskab og budget».</li>"
    "<li><b>Indlæs opgørelse…</b> henter poster og beløb fra en CSV- eller Excel-fil i "
    "udvekslingsformatet (kolonnerne sekretariat; år; post; art; rolle; budget; "
    "regnskab). Findes sekretariatet ikke, bliver det oprettet.</li></ul>"
    "<p>Bagefter: indlæs folketal fra Danmarks Statistik (FOLK1A) under fanen "
    "«Folketal», så bidraget kan fordeles på kommunerne.</p>")


class WelcomePage(QWidget):
    """The first steps, with a button for each (`create`, `load`), which the window wires;
    the buttons are off when the database is open read-only."""

    def __init__(self, *, enabled: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        text = QLabel(TEXT)
        text.setWordWrap(True)
        text.setMaximumWidth(640)
        self.create = QPushButton("Nyt sekretariat…")
        self.load = QPushButton("Indlæs opgørelse…")
        buttons = QHBoxLayout()
        for button in (self.create, self.load):
            button.setEnabled(enabled)
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout()
        column.addWidget(text)
        column.addLayout(buttons)
        column.addStretch(1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 3)
        outer.addStretch(1)
