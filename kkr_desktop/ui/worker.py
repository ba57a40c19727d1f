"""Long work off the GUI thread: a modal progress dialog while a function runs in a QThread.

The store's connection may be used from the worker because the dialog is modal: nothing else
touches the database until the work is done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget


class _Job(QObject):
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed to the GUI thread, shown there
            self.failed.emit(exc)
        else:
            self.finished.emit(result)


class Background(QObject):
    """Run `fn` in a thread; `done(result)` or `error(exc)` is called in the GUI thread."""

    def __init__(self, parent: QWidget, label: str, fn: Callable[[], Any],
                 done: Callable[[Any], None], error: Callable[[BaseException], None]) -> None:
        super().__init__(parent)
        self.running = True
        self._done, self._error = done, error
        self.dialog = QProgressDialog(label, "", 0, 0, parent)
        self.dialog.setWindowTitle("Arbejder …")
        self.dialog.setCancelButton(None)
        self.dialog.setMinimumDuration(300)
        self.dialog.setModal(True)
        self.thread = QThread(self)
        self.job = _Job(fn)
        self.job.moveToThread(self.thread)
        self.thread.started.connect(self.job.run)
        self.job.finished.connect(self._finished)
        self.job.failed.connect(self._failed)
        self.thread.start()

    def _stop(self) -> None:
        self.thread.quit()
        self.thread.wait()
        self.dialog.reset()
        self.dialog.hide()
        self.running = False

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self._stop()
        self._done(result)

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        self._stop()
        self._error(exc)
