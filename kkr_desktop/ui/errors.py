"""The one place the window shows a message: errors the user can cause, and notices.

Everything goes through `show_error` / `show_info`, so tests can replace `_show` and the
wording stays in one style.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from kkr_desktop.core.errors import KkrError, LockedError
from kkr_desktop.core.faults import fault_text, is_fault

NOT_AVAILABLE = "Denne funktion er ikke tilgængelig endnu."


def title_for(exc: BaseException) -> str:
    if isinstance(exc, LockedError):
        return "Opgørelsen er godkendt"
    return "Fejl" if isinstance(exc, KkrError) else "Uventet fejl"


def message_for(exc: BaseException) -> str:
    if isinstance(exc, KkrError):
        return exc.message
    if isinstance(exc, OSError):
        return fault_text(exc, str(exc.filename or "en fil"))
    if is_fault(exc):  # a SQLite error of the disk that no service turned into words
        return fault_text(exc, "databasen") + " Intet er gemt i den mislykkede handling."
    return f"Der opstod en uventet fejl: {exc}. Intet er gemt i den mislykkede handling."


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    _show(parent, QMessageBox.Icon.Warning, title_for(exc), message_for(exc))


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    _show(parent, QMessageBox.Icon.Information, title, text)


def show_warning(parent: QWidget | None, title: str, text: str) -> None:
    _show(parent, QMessageBox.Icon.Warning, title, text)


def not_available(parent: QWidget | None) -> None:
    show_info(parent, "Ikke tilgængelig", NOT_AVAILABLE)


def headless() -> bool:
    """Qt draws nowhere (QT_QPA_PLATFORM=offscreen or minimal): a modal box would wait
    forever for a click no one can make, so its text goes to stderr instead."""
    return QGuiApplication.platformName() in ("offscreen", "minimal")


def to_stderr(title: str, text: str) -> None:
    if sys.stderr is not None:  # None in a windowed program without a console
        print(f"{title}: {text}", file=sys.stderr, flush=True)


def _show(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> None:
    if headless():
        to_stderr(title, text)
        return
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.exec()
