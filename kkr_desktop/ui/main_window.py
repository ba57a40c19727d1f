"""The main window: navigator, the four tabs, menus, status bar and remembered layout."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from kkr_desktop import APP_NAME, APP_TITLE
from kkr_desktop.core.errors import ConflictError, KkrError
from kkr_desktop.services import catalog
from kkr_desktop.ui import errors, features
from kkr_desktop.ui.commands import EditContext
from kkr_desktop.ui.navigator import Navigator
from kkr_desktop.ui.statement_tab import StatementTab
from kkr_desktop.ui.welcome import WelcomePage

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store

TAB_STATEMENT, TAB_ALLOCATION, TAB_POPULATION, TAB_CHART = range(4)


class MainWindow(QMainWindow):
    def __init__(self, store: Store, *, settings: QSettings | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings or QSettings(APP_NAME, APP_NAME)
        self.setWindowTitle(APP_TITLE + (" (skrivebeskyttet)" if store.read_only else ""))
        self.setAcceptDrops(True)
        self.undo_stack = QUndoStack(self)
        self.ctx = EditContext(store, self.undo_stack, self._changed, self._error)
        self.secretariat_id: int | None = None
        self.year: int | None = None
        self.background = None  # the running import, if any

        from kkr_desktop.ui.allocation_tab import AllocationTab
        from kkr_desktop.ui.chart_tab import ChartTab
        from kkr_desktop.ui.population_tab import PopulationTab

        self.navigator = Navigator()
        self.navigator.selected.connect(self.select)
        self.statement_tab = StatementTab(self.ctx)
        self.statement_tab.status.connect(self.say)
        self.statement_tab.year_created.connect(self._year_created)
        self.allocation_tab = AllocationTab(store)
        self.allocation_tab.status.connect(self.say)
        self.population_tab = PopulationTab(self.ctx)
        self.population_tab.status.connect(self.say)
        self.population_tab.changed.connect(self._population_changed)
        self.chart_tab = ChartTab(store)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.statement_tab, "Regnskab og budget")
        self.tabs.addTab(self.allocation_tab, "Fordeling")
        self.tabs.addTab(self.population_tab, "Folketal")
        self.tabs.addTab(self.chart_tab, "Udvikling")
        self._side_tabs = {TAB_ALLOCATION: self.allocation_tab,
                           TAB_POPULATION: self.population_tab, TAB_CHART: self.chart_tab}
        self._stale: set[int] = set()
        self.tabs.currentChanged.connect(self._tab_changed)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.navigator)
        self.pages = QStackedWidget()  # the tabs, or the first steps when there is nothing
        self.pages.addWidget(self.tabs)
        self.welcome = WelcomePage(enabled=not store.read_only)
        self.welcome.create.clicked.connect(self.new_secretariat)
        self.welcome.load.clicked.connect(lambda: self.import_statement())
        self.welcome_buttons = (self.welcome.create, self.welcome.load)
        self.pages.addWidget(self.welcome)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)

        self.saved_label = QLabel("")
        self.statusBar().addPermanentWidget(self.statement_tab.sum_label)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.statusBar().addPermanentWidget(QLabel(f"Database: {store.where}"))
        self._build_menus()
        self._restore()
        from kkr_desktop.ui.live_refresh import LiveRefresh

        self.live = LiveRefresh(self)  # other officers' commits, shown in place

    # --- selection and refresh ----------------------------------------------------------
    def select(self, secretariat_id: int | None, year: int | None) -> None:
        self.secretariat_id, self.year = secretariat_id, year
        self.statement_tab.clear_error()
        self.statement_tab.show_statement(secretariat_id, year)
        self._refresh_tabs(TAB_ALLOCATION, TAB_POPULATION, TAB_CHART)

    def _refresh_tabs(self, *indexes: int) -> None:
        """Redraw these tabs for the selection: the one on screen now, the others when they
        are next shown (switching statements stays fast with hidden tabs left alone)."""
        for index in indexes:
            if index == self.tabs.currentIndex():
                self._side_tabs[index].show_selection(self.secretariat_id, self.year)
            else:
                self._stale.add(index)

    def refresh_navigator(self, select: tuple[int | None, int | None] | None = None) -> None:
        nodes = catalog.navigator_tree(self.store)
        self.pages.setCurrentWidget(self.tabs if nodes else self.welcome)
        self.navigator.rebuild(nodes, select or (self.secretariat_id, self.year))

    def new_secretariat(self) -> None:
        if self.store.read_only:
            self.say("Databasen er åbnet skrivebeskyttet: der kan ikke oprettes sekretariater.")
            return
        from kkr_desktop.ui.new_secretariat import new_secretariat

        created = new_secretariat(self, self.store)
        if created is not None:
            self.refresh_navigator(created)
            self.tabs.setCurrentWidget(self.statement_tab)
            self.saved_label.setText("✓ Gemt")
            self.say(f"Oprettet: {catalog.secretariat(self.store, created[0]).name}, budget "
                     f"{created[1]}. Udfyld posterne, og tilføj flere med «Ny post».")

    def _changed(self, secretariat_id: int | None) -> None:
        """After every stored edit, undo or redo: redraw and say it is saved."""
        self.statement_tab.clear_error()
        years = {n.secretariat.id: n.years for n in catalog.navigator_tree(self.store)}
        if self.year is not None and self.year not in years.get(secretariat_id, []) \
                and secretariat_id == self.secretariat_id:
            self.refresh_navigator()
        else:
            self.statement_tab.reload()
            self._refresh_tabs(TAB_ALLOCATION, TAB_POPULATION, TAB_CHART)
        self.saved_label.setText("✓ Gemt")
        self.say("Ændringen er gemt.")

    def _year_created(self, secretariat_id: int, year: int) -> None:
        self.refresh_navigator((secretariat_id, year))

    def _population_changed(self) -> None:
        self.saved_label.setText("✓ Gemt")
        self._refresh_tabs(TAB_ALLOCATION)

    def _error(self, exc: KkrError) -> None:
        if isinstance(exc, ConflictError):  # someone else saved first: show theirs
            errors.show_warning(self, "Ændret af en anden", self.live.conflict(exc))
            return
        self.say("Ikke gemt: " + exc.message.splitlines()[0])
        errors.show_error(self, exc)

    def say(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)

    def _tab_changed(self, index: int) -> None:
        if index in self._stale:
            self._stale.discard(index)
            self._side_tabs[index].show_selection(self.secretariat_id, self.year)

    # --- menus --------------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        f = bar.addMenu("&Filer")
        # Ctrl+N is «Ny post», the everyday action; a new secretariat is rare.
        self._action(f, "Nyt sekretariat…", self.new_secretariat, "Ctrl+Shift+N")
        self._action(f, "Indlæs opgørelse (CSV eller Excel)…", self.import_statement, "Ctrl+O")
        self._action(f, "Eksportér opgørelse (Excel eller CSV)…", self._export_statement)
        self._action(f, "Eksportér fordeling til Excel…", self._export_allocation)
        self._action(f, "Indlæs folketal…", self.population_tab.choose_file, "Ctrl+I")
        f.addSeparator()
        self._action(f, "Godkend opgørelse…", self._approve)
        self._action(f, "Ny revision…", self._new_revision)
        self._action(f, "Udskriv…", lambda: self._feature("ui.print_preview",
                                                          "open_print_preview"),
                     QKeySequence.StandardKey.Print)
        self._action(f, "Gem som PDF…", lambda: self._feature("ui.print_preview",
                                                              "save_pdf_dialog"))
        self._action(f, "Eksportér til ERP…", lambda: self._feature("ui.export_dialog",
                                                                    "open_export_dialog"),
                     "Ctrl+E")
        self._action(f, "Kommunernes samlede opkrævning…", lambda: self._feature(
            "ui.bill_dialog", "open_bill_dialog"))
        self._action(f, "Dagsordenspunkt…", lambda: self._feature(
            "ui.agenda_dialog", "open_agenda_dialog"))
        f.addSeparator()
        self._action(f, "Tag sikkerhedskopi nu", lambda: features.call(
            self, "ui.backup_actions", "backup_now", self.store))
        self._action(f, "Gendan fra sikkerhedskopi…", self._restore_backup)
        f.addSeparator()
        self._action(f, "Afslut", self.close, QKeySequence.StandardKey.Quit)

        e = bar.addMenu("&Rediger")
        undo = self.undo_stack.createUndoAction(self, "Fortryd")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "Annuller fortryd")
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        e.addAction(undo)
        e.addAction(redo)
        e.addSeparator()
        st = self.statement_tab
        # Each action is enabled as its button in the statement tab is, with the same
        # tooltip saying why not (shown in the menu).
        e.setToolTipsVisible(True)
        self.statement_actions = [
            (self._action(e, "Ny post", st.add_line, "Ctrl+N"), st.add_button),
            (self._action(e, "Slet post", st.remove_line, "Ctrl+Shift+Delete"),
             st.remove_button),
            (self._action(e, "Flyt post op", lambda: st.move_line(-1), "Alt+Up"), st.up_button),
            (self._action(e, "Flyt post ned", lambda: st.move_line(1), "Alt+Down"),
             st.down_button),
            (self._action(e, "Fodnote…", st.edit_note, "Ctrl+Shift+F"), st.note_button),
            (self._action(e, "Opret budget for næste år…", st.create_next_budget),
             st.next_button)]
        self._button_mirror = ButtonMirror(self.statement_actions, self)
        e.addSeparator()
        self._action(e, "Sekretariatets indstillinger…", self.open_settings)
        self._action(e, "PL-satser…", self.open_rates)

        v = bar.addMenu("&Vis")
        for i, name in enumerate(("Regnskab og budget", "Fordeling", "Folketal", "Udvikling")):
            self._action(v, name, lambda _=False, i=i: self.tabs.setCurrentIndex(i),
                         f"Ctrl+{i + 1}")
        v.addSeparator()
        self._action(v, "Ændringslog…", lambda: features.call(
            self, "ui.audit_view", "open_audit_view", self.store, self.secretariat_id,
            self.year))
        self._action(v, "Genindlæs", lambda: self.refresh_navigator(),
                     QKeySequence.StandardKey.Refresh)

        h = bar.addMenu("&Hjælp")
        self._action(h, "Vejledning", self.open_help, "F1")
        h.addSeparator()
        self._action(h, f"Om {APP_TITLE}", self.open_about)

    def import_statement(self, path: Path | None = None) -> None:
        from kkr_desktop.ui.file_actions import describe, import_statement_file

        def done(result) -> None:
            self.undo_stack.clear()  # the import replaced lines the stack refers to
            self.refresh_navigator()
            self.tabs.setCurrentWidget(self.statement_tab)
            self.saved_label.setText("✓ Gemt")
            self.say(describe(result))

        import_statement_file(self, self.store, path, done,
                              started=lambda job: setattr(self, "background", job))

    def _feature(self, module: str, function: str) -> None:
        if self.secretariat_id is None or self.year is None:
            self.say("Vælg først et sekretariat og et år.")
            return
        features.call(self, module, function, self.store, self.secretariat_id, self.year)

    def _approve(self) -> None:
        self._feature("ui.approval", "open_approval_dialog")
        self.statement_tab.reload()

    def _export_statement(self) -> None:
        from kkr_desktop.ui.file_actions import export_statement_file

        if self.secretariat_id is None or self.year is None:
            self.say("Vælg først et sekretariat og et år.")
            return
        path = export_statement_file(self, self.store, self.secretariat_id, self.year)
        if path is not None:
            self.say(f"Opgørelsen er gemt: {path}")

    def _export_allocation(self) -> None:
        from kkr_desktop.ui.file_actions import export_allocation_file

        if self.secretariat_id is None or self.year is None:
            self.say("Vælg først et sekretariat og et år.")
            return
        kind = self.allocation_tab.current_kind()
        path = export_allocation_file(self, self.store, self.secretariat_id, self.year, kind)
        if path is not None:
            self.say(f"Fordelingen er gemt: {path}")

    def _new_revision(self) -> None:
        self._feature("ui.approval", "open_new_revision_dialog")
        self.statement_tab.reload()

    def _restore_backup(self) -> None:
        if features.call(self, "ui.backup_actions", "restore_dialog", self.store):
            self.undo_stack.clear()
            self.refresh_navigator()

    def open_settings(self) -> None:
        from kkr_desktop.ui.settings_dialog import SettingsDialog

        if self.secretariat_id is None:
            self.say("Vælg først et sekretariat.")
            return
        if SettingsDialog(self.store, self.secretariat_id, self).exec():
            self.refresh_navigator()
            self.saved_label.setText("✓ Gemt")

    def open_rates(self) -> None:
        from kkr_desktop.ui.rates_dialog import RatesDialog

        if RatesDialog(self.store, self).exec():
            self.statement_tab.reload()
            self.saved_label.setText("✓ Gemt")

    def open_help(self) -> None:
        from kkr_desktop.ui.help_dialog import HelpDialog, shortcut_rows

        table_menu = self.statement_tab.build_context_menu()
        rows = shortcut_rows(self.menuBar(), table_menu)
        table_menu.deleteLater()
        self.help_dialog = HelpDialog(rows, self)
        self.help_dialog.show()

    def open_about(self) -> None:
        from kkr_desktop.ui.about import AboutDialog

        AboutDialog(self.store, self).exec()

    # --- drag and drop: a statement or a population file onto the window ---------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """A statement (interchange CSV or .xlsx) is imported as one; any other file is read
        as population (FOLK1A), whose import says clearly what it could not read."""
        from kkr_desktop.services.statements import is_statement_file

        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            path = Path(files[0])
            if is_statement_file(path):
                self.import_statement(path)
            else:
                self.tabs.setCurrentIndex(TAB_POPULATION)
                self.population_tab.import_file(path)
            event.acceptProposedAction()

    # --- remembered layout --------------------------------------------------------------
    def _restore(self) -> None:
        s = self.settings
        if not self.restoreGeometry(s.value("window/geometry", b"")):
            self.resize(1400, 860)
        self.splitter.restoreState(s.value("window/splitter", b""))
        self.statement_tab.splitter.restoreState(s.value("statement/splitter", b""))
        self.statement_tab.bottom_splitter.restoreState(s.value("statement/bottom", b""))
        sid, year = s.value("selection/secretariat"), s.value("selection/year")
        self.refresh_navigator((_int(sid), _int(year)))
        if not s.value("window/splitter"):
            # Wide enough for the secretariats' names, within reason; the user's own width
            # is remembered from then on.
            wanted = self.navigator.sizeHintForColumn(0) + 2 * self.navigator.frameWidth() + 8
            navigator = max(240, min(wanted, 380))
            self.splitter.setSizes([navigator, max(self.width() - navigator, 600)])
        self.tabs.setCurrentIndex(_int(s.value("window/tab")) or 0)

    def save_layout(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("statement/splitter", self.statement_tab.splitter.saveState())
        s.setValue("statement/bottom", self.statement_tab.bottom_splitter.saveState())
        s.setValue("window/tab", self.tabs.currentIndex())
        s.setValue("selection/secretariat", self.secretariat_id or "")
        s.setValue("selection/year", self.year or "")
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.live.stop()
        self.save_layout()
        super().closeEvent(event)


class ButtonMirror(QObject):
    """Keeps menu actions enabled, and their tooltips, as the buttons they stand for."""

    def __init__(self, pairs: list[tuple[QAction, QWidget]], parent: QObject) -> None:
        super().__init__(parent)
        self.actions = {button: action for action, button in pairs}
        for button in self.actions:
            button.installEventFilter(self)
            self.sync(button)

    def sync(self, button: QWidget) -> None:
        action = self.actions[button]
        action.setEnabled(button.isEnabled())
        action.setToolTip(button.toolTip() or action.text())

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if obj in self.actions and event.type() in (QEvent.Type.EnabledChange,
                                                   QEvent.Type.ToolTipChange):
            self.sync(obj)
        return False


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

