"""Typing into a cell that cannot be edited (approved, frozen, computed) says why at once,
in the status bar, instead of the keystroke vanishing without a word."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView

LOCKED = ("Opgørelsen er godkendt og kan ikke rettes her. Vælg «Ny revision» for at rette "
          "den (se teksten over tabellen).")


class TypingRefusal(QObject):
    """An event filter on a table view: a printable key on a cell without ItemIsEditable
    calls `say(refusal(index))`. The key is then handled as before (nothing is edited)."""

    def __init__(self, view: QAbstractItemView, refusal: Callable[[object], str | None],
                 say: Callable[[str], None]) -> None:
        super().__init__(view)
        self.view, self.refusal, self.say = view, refusal, say
        view.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if obj is self.view and event.type() == QEvent.Type.KeyPress:
            text = event.text()
            index = self.view.currentIndex()
            if (text and text.isprintable() and index.isValid()
                    and not event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                                 | Qt.KeyboardModifier.AltModifier)
                    and not index.flags() & Qt.ItemFlag.ItemIsEditable):
                message = self.refusal(index)
                if message:
                    self.say(message)
        return False
