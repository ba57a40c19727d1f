"""The checks that grow with the database, run after the window's first paint in a thread
of their own (services.setup.AfterOpenCheck: the full integrity check, the day's backup,
the day's walk of the audit chain), on their own read-only connection: the window's store
is only touched back in the GUI thread, with the verdict.

What they find is said loudly: a damaged file or a broken chain as a warning, and a damaged
store refuses every write from then on (Store.require_sound; a write before the check is
done runs the check itself first). Closing the program interrupts a check still running.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QThread, QTimer, Slot
from PySide6.QtWidgets import QApplication, QWidget

from kkr_desktop.core.errors import KkrError
from kkr_desktop.services import verify
from kkr_desktop.services.safety import DamagedError
from kkr_desktop.services.setup import AfterOpen, AfterOpenCheck, after_open_check
from kkr_desktop.ui import errors

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store


class _Runner(QThread):
    """Runs the check and keeps what came of it; the GUI thread reads it when the thread
    has finished (QThread.finished), so no Python object crosses threads in a queued
    signal."""

    def __init__(self, check: AfterOpenCheck, parent: QObject) -> None:
        super().__init__(parent)
        self.check = check
        self.result: AfterOpen | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.check.run()
        except AfterOpenCheck.CancelledError:
            return
        except Exception as exc:  # handed to the GUI thread, said there
            self.error = exc


class AfterOpenChecks(QObject):
    """Start the checks for `store` once `window` has painted; `done` is set at the end."""

    def __init__(self, window: QWidget, store: Store) -> None:
        super().__init__(window)
        self.window, self.store = window, store
        self.runner: _Runner | None = None
        self.result: AfterOpen | None = None
        self.check = after_open_check(store)
        self.done = self.check is None
        if self.check is None:
            return
        app = QApplication.instance()
        app.aboutToQuit.connect(self.stop)
        app.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint and obj.isWidgetType() \
                and obj.window() is self.window:
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, self.start)  # after the whole first frame
        return False

    @Slot()
    def start(self) -> None:
        if self.runner is not None or self.done:
            return
        self.runner = _Runner(self.check, self)
        self.runner.finished.connect(self._ended)
        self.runner.start()

    @Slot()
    def _ended(self) -> None:
        runner = self.runner
        if runner is None or self.done:
            return  # stopped: the program is closing
        if runner.error is not None:
            self._failed(runner.error)
        elif runner.result is not None:
            self._found(runner.result)

    @Slot()
    def stop(self) -> None:
        """The program is closing: interrupt the check and wait for its thread (none starts
        after this)."""
        self.done = True
        if self.runner is not None:
            self.runner.check.cancel()
            self.runner.wait()

    @Slot(object)
    def _found(self, result: AfterOpen) -> None:
        self.result, self.done = result, True
        if result.damage:
            self.store.mark_checked(result.damage)
            errors.show_warning(self.window, "Databasen er beskadiget",
                                DamagedError(self.store.path, result.damage).message
                                + "\nIntet kan gemmes, før den er gendannet.")
            return
        if not self.store.sound and not self.store.damage:
            self.store.mark_checked([])
        if result.chain:
            errors.show_warning(self.window, "Data ændret uden om programmet",
                                f"Databasen {verify.TAMPERED}:\n  " + "\n  ".join(result.chain))
        elif result.bookmark is not None:
            try:
                verify.record_walk(self.store, result.bookmark)
            except KkrError:
                pass  # busy or read-only now: the next open walks again
        if result.backup_failed:
            errors.show_info(self.window, "Bemærk", result.backup_failed)

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        self.done = True
        errors.show_warning(self.window, "Databasen kunne ikke kontrolleres",
                            f"Kontrollen af databasen efter åbningen mislykkedes: {exc}\n"
                            "Den køres igen, før der gemmes noget.")
