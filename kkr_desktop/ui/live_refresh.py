"""Several officers on one KKR, in the window: what another connection commits shows here.

A timer polls the store's watcher (services/concurrency.watcher) about once a second. A
change to the statement on screen (or to what it depends on: rates, population) reloads it
in place, by the same path as opening it, with the current cell, the selection and the
scroll kept, and the status bar says who changed what. An approval by someone else makes the
tab read-only in place: the reload shows it as any approved statement (banner, grey cells,
editing refused). Nothing is reloaded under an open cell editor: the changes wait until the
editor has closed. A save refused because someone else changed the post first
(ConflictError) reloads the statement and keeps what the user typed in sight.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView

from kkr_desktop.core.errors import ConflictError
from kkr_desktop.services import catalog, concurrency

if TYPE_CHECKING:
    from kkr_desktop.ui.main_window import MainWindow

INTERVAL_MS = 1000


class LiveRefresh(QObject):
    def __init__(self, window: MainWindow, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(window)
        self.window = window
        self.pending: list = []  # changes noticed while an editor was open
        try:
            self.watcher = concurrency.watcher(window.store)
        except Exception as exc:  # noqa: BLE001 - e.g. no second connection to the server
            self.watcher = None
            window.say(f"Vinduet opdateres ikke automatisk med andres ændringer ({exc}).")
        self.tree = catalog.navigator_tree(window.store)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None

    # --- another connection committed ----------------------------------------------------
    def poll(self) -> None:
        """Take what other connections committed; redraw what it touches, unless the user
        is typing into a cell (then on a later tick)."""
        if self.watcher is None:
            return
        try:
            self.pending += self.watcher.poll()
        except Exception as exc:  # noqa: BLE001 - a background check must not end the window
            self.stop()
            self.window.say(f"Vinduet opdateres ikke længere automatisk med andres "
                            f"ændringer ({exc}). Luk og åbn databasen igen.")
            return
        if not self.pending or self.editing():
            return
        changes, self.pending = self.pending, []
        self.apply(changes)

    def editing(self) -> bool:
        return any(view.state() == QAbstractItemView.State.EditingState
                   for view in self.window.findChildren(QAbstractItemView))

    def apply(self, changes: list) -> None:
        w = self.window
        store = w.store
        tree = catalog.navigator_tree(store)
        if tree != self.tree:  # a secretariat or a year came or went
            self.tree = tree
            w.refresh_navigator()
        shown = [c for c in changes if concurrency.concerns(c, w.secretariat_id, w.year)]
        if not shown:
            return
        self.reload_in_place()
        w._refresh_tabs(*w._side_tabs)
        approved = [c for c in shown if c.action == "insert"
                    and concurrency.approves(c, w.secretariat_id, w.year)]
        if approved:  # the rows an approval writes beside it (its key, signatures) go unsaid
            w.say(f"Opdateret: {concurrency.changes_text(store, approved)} — opgørelsen er "
                  "nu låst.")
        else:
            w.say(f"Opdateret: {concurrency.changes_text(store, shown)}.")

    def reload_in_place(self) -> None:
        """The statement tab's reload, with its scroll and selection as they were."""
        tab = self.window.statement_tab
        table = tab.table
        scroll = (table.verticalScrollBar().value(), table.horizontalScrollBar().value())
        cells = [(i.row(), i.column()) for i in table.selectionModel().selectedIndexes()]
        tab.reload()
        model = tab.model
        selection = QItemSelection()
        for row, col in cells:
            if row < model.rowCount() and col < model.columnCount():
                index = model.index(row, col)
                selection.select(index, index)
        table.selectionModel().select(selection,
                                      QItemSelectionModel.SelectionFlag.ClearAndSelect)
        table.verticalScrollBar().setValue(scroll[0])
        table.horizontalScrollBar().setValue(scroll[1])

    # --- this window's save was refused --------------------------------------------------
    def conflict(self, exc: ConflictError) -> str:
        """Reload the statement with the other officer's values and keep what the user
        typed in the status bar and over the table. Returns the whole message."""
        self.reload_in_place()
        # What was noticed meanwhile is on screen now: not said again over the typed value.
        self.pending = []
        if self.watcher is not None:
            self.watcher.poll()
        typed = "; ".join(exc.attempted)
        text = exc.message + " Opgørelsen er opdateret"
        if typed:
            text += f"; din indtastning ({typed}) står i statuslinjen, så du kan skrive den igen"
        text += "."
        tab = self.window.statement_tab
        tab.error_label.setText(text)
        tab.error_label.show()
        self.window.statusBar().showMessage(
            f"Ikke gemt – din indtastning: {typed}" if typed else "Ikke gemt.")
        return text
