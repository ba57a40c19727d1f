"""Rediger → Fodnote…: the footnote of one amount, with «Foreslå fodnote», which fills in
the PL footnote the rates on file give (services.statements.suggested_note, the same text
`statement show` lists under «Forslag til fodnoter»)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.errors import KkrError
from kkr_desktop.ui.widgets import save_cancel_buttons

NO_SUGGESTION = ("Programmet har intet forslag: fodnoter foreslås for bidragets beløb, når "
                 "PL-satsen for året er registreret (Data → PL-satser).")


class NoteDialog(QDialog):
    def __init__(self, parent: QWidget | None, label: str, text: str,
                 suggest: Callable[[], str | None]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fodnote")
        self.resize(560, 260)
        self._suggest = suggest
        layout = QVBoxLayout(self)
        prompt = QLabel(label)
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        self.editor = QPlainTextEdit(text)
        layout.addWidget(self.editor, 1)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        row = QHBoxLayout()
        self.suggest_button = QPushButton("Foreslå fodnote")
        self.suggest_button.setToolTip("Indsæt PL-fodnoten ud fra de registrerede PL-satser")
        self.suggest_button.clicked.connect(self.fill_suggestion)
        row.addWidget(self.suggest_button)
        row.addStretch(1)
        row.addWidget(save_cancel_buttons(self))
        layout.addLayout(row)

    def fill_suggestion(self) -> None:
        try:
            text = self._suggest()
        except KkrError as exc:
            self.hint.setText(exc.message)
            return
        if text is None:
            self.hint.setText(NO_SUGGESTION)
            return
        self.hint.setText("")
        self.editor.setPlainText(text)  # one undo step in the editor (Ctrl+Z) brings it back

    def text(self) -> str:
        return self.editor.toPlainText()

    @staticmethod
    def ask(parent: QWidget | None, label: str, text: str,
            suggest: Callable[[], str | None]) -> tuple[str, bool]:
        """(the note, True) when saved; (…, False) when cancelled."""
        dialog = NoteDialog(parent, label, text, suggest)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.text(), ok
