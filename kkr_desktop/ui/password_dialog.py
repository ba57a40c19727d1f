"""Asking for the server password at start, when neither the keyring nor a pgpass file has
it (or the server refused the one found). The password is used for this session only,
unless the user ticks «Husk adgangskoden …»: then it goes to the OS keyring, never into the
settings."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.ui import errors


@dataclass(frozen=True)
class PasswordAnswer:
    password: str
    remember: bool


class PasswordDialog(QDialog):
    def __init__(self, address: str, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Adgangskode til databaseserveren")
        layout = QVBoxLayout(self)
        why = QLabel(reason)
        why.setWordWrap(True)
        layout.addWidget(why)
        layout.addWidget(QLabel(f"Adgangskode for {address}:"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.password)
        self.remember = QCheckBox("Husk adgangskoden i Windows' legitimationsadministrator")
        layout.addWidget(self.remember)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Forbind")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def answer(self) -> PasswordAnswer:
        return PasswordAnswer(self.password.text(), self.remember.isChecked())


def ask_password(parent: QWidget | None, address: str, reason: str) -> PasswordAnswer | None:
    """The typed password, or None when cancelled. Tests replace this function. Offscreen
    no one can type: the reason goes to stderr and counts as cancelled."""
    if errors.headless():
        errors.to_stderr("Adgangskode til databaseserveren",
                         f"{reason}\nUden skærm kan ingen skrive den, så programmet stopper.")
        return None
    dialog = PasswordDialog(address, reason, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.password.text():
        return None
    return dialog.answer()
