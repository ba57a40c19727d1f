"""Work that takes a moment (reading an import file), run right after the event that asked
for it, with a busy cursor; `done(result)` or `error(exc)` is called when it ends.

It runs in the GUI thread on purpose. An earlier version ran it in a QThread on the
window's own SQLite connection, trusting a modal dialog to keep the GUI thread off the
database; but paint and timer events still ran, and the suite crashed now and then (a
segfault in the GUI thread right after such an import). A connection must not be shared
by two threads, and the imports take well under a second.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


class Background(QObject):
    """Run `fn` once the current event is handled; `running` is true until it has ended and
    `done(result)` or `error(exc)` has been called."""

    def __init__(self, parent: QWidget, label: str, fn: Callable[[], Any],
                 done: Callable[[Any], None], error: Callable[[BaseException], None]) -> None:
        super().__init__(parent)
        self.label = label  # what is being done (the status line may show it)
        self.running = True
        self._fn, self._done, self._error = fn, done, error
        QTimer.singleShot(0, self._run)

    @Slot()
    def _run(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self._fn()
        except Exception as exc:  # shown by `error`, in words
            QGuiApplication.restoreOverrideCursor()
            self.running = False
            self._error(exc)
        else:
            QGuiApplication.restoreOverrideCursor()
            self.running = False
            self._done(result)
