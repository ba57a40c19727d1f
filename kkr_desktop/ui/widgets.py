"""Small pieces several dialogs share."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QPoint, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QToolTip, QWidget

from kkr_desktop.core.dates import EXAMPLE, format_long, parse_date
from kkr_desktop.core.errors import InputError


def save_cancel_buttons(dialog: QDialog) -> QDialogButtonBox:
    """«Gem» and «Annuller», wired to the dialog's accept() and reject()."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText("Gem")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class DateEdit(QLineEdit):
    """A date field that reads what a Dane types (12.03.2024, 12-3-24, 12. marts 2024, …,
    see core/dates.py) and, once the field is left, shows the date it understood in words.

    Unlike QDateEdit it never turns typing into another date, and it may be empty: a date
    nobody typed is not silently today. date() is a QDate (invalid when empty or unreadable)
    so it can stand where a QDateEdit stood; value() is the date, None, or the Danish error.
    """

    dateChanged = Signal(QDate)  # noqa: N815 (Qt's name, as on QDateEdit)

    def __init__(self, value: date | QDate | None = None, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setPlaceholderText(EXAMPLE.removeprefix("fx "))
        self.setToolTip(f"Skriv datoen som dag, måned og år, {EXAMPLE}.")
        self._last: date | None = None
        self.problem = ""
        self.editingFinished.connect(self._finished)
        self.textEdited.connect(self._edited)
        self.setDate(value)

    def value(self) -> date | None:
        """The date typed, None when the field is empty; InputError when it is no date."""
        if not self.text().strip():
            return None
        return parse_date(self.text())

    def date(self) -> QDate:  # noqa: A003 (QDateEdit's name)
        try:
            d = self.value()
        except InputError:
            return QDate()
        return QDate() if d is None else QDate(d.year, d.month, d.day)

    def setDate(self, value: date | QDate | None) -> None:  # noqa: N802 (Qt's name)
        if isinstance(value, QDate):
            value = (date(value.year(), value.month(), value.day()) if value.isValid()
                     else None)
        self.setText("" if value is None else format_long(value))
        self._show_problem("")
        self._announce(value)

    def _edited(self, _text: str) -> None:
        if self.problem:  # typing again clears the red until the field is left
            self._show_problem("")

    def _finished(self) -> None:
        try:
            d = self.value()
        except InputError as exc:
            self._show_problem(exc.message)
            return
        self._show_problem("")
        if d is not None:
            self.setText(format_long(d))
        self._announce(d)

    def _announce(self, d: date | None) -> None:
        if d != self._last:
            self._last = d
            self.dateChanged.emit(self.date())

    def _show_problem(self, message: str) -> None:
        self.problem = message
        self.setStyleSheet("QLineEdit { border: 1px solid #c0392b; background: #fdecea; }"
                           if message else "")
        if message:
            self.setToolTip(message)
            if self.isVisible():
                QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), message, self)
        else:
            self.setToolTip(f"Skriv datoen som dag, måned og år, {EXAMPLE}.")
