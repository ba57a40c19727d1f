"""The tab "Regnskab og budget": the statement table, its footnotes and its warnings."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.errors import KkrError
from kkr_desktop.core.statement import Column, Kind
from kkr_desktop.services import catalog, concurrency, locks
from kkr_desktop.services.result_notes import RESULT_LABEL
from kkr_desktop.services.statements import StatementView, load_statement
from kkr_desktop.ui.commands import (
    EditContext,
)
from kkr_desktop.ui.frozen_cells import LOCKED, TypingRefusal
from kkr_desktop.ui.sheet import AmountDelegate, ComboDelegate, SheetView
from kkr_desktop.ui.statement_actions import (
    KEPT_MOVE,
    KEPT_REMOVE,
    StatementActions,
    years_text,
)
from kkr_desktop.ui.statement_model import (
    AMOUNT_COLUMNS,
    FIRST_AMOUNT,
    KIND,
    KIND_LABELS,
    NAME,
    ROLE,
    ROLE_LABELS,
    AmountColumn,
    StatementModel,
    superscript,
)

_BANNER = "background:#e3f1e3; border:1px solid #7cb07c; padding:6px; color:#1d4d1d;"
# A draft (e.g. a new revision) is not approved: amber, never the approved green.
_TAMPERED_BANNER = ("background:#fde8e8; border:2px solid #c62828; padding:6px; "
                    "color:#7f0000; font-weight:bold;")
_DRAFT_BANNER = "background:#fff4e5; border:1px solid #e0a040; padding:6px; color:#5a3a00;"
_ERROR = "color:#b00020; font-weight:bold;"
# Room on both sides of a figure: the style's text margins and a little air before the grid.
_CELL_PADDING = 14


class StatementTab(StatementActions, QWidget):
    status = Signal(str)
    year_created = Signal(int, int)  # secretariat id, year

    def __init__(self, ctx: EditContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.secretariat_id: int | None = None
        self.year: int | None = None
        self.view: StatementView | None = None
        self.notice: str | None = None  # why nothing can be edited, when the banner says so

        self.banner = QLabel()
        self.banner.setStyleSheet(_BANNER)
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")

        self.add_button = QPushButton("Ny post")
        self.remove_button = QPushButton("Slet post")
        self.up_button = QPushButton("Flyt op")
        self.down_button = QPushButton("Flyt ned")
        self.note_button = QPushButton("Fodnote…")
        self.next_button = QPushButton("Opret budget N+1")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button,
                  self.note_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        self.add_button.clicked.connect(self.add_line)
        self.remove_button.clicked.connect(self.remove_line)
        self.up_button.clicked.connect(lambda: self.move_line(-1))
        self.down_button.clicked.connect(lambda: self.move_line(1))
        self.note_button.clicked.connect(self.edit_note)
        self.next_button.clicked.connect(self.create_next_budget)

        self.error_label = QLabel()
        self.error_label.setStyleSheet(_ERROR)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        # The error line's height is kept whether or not it says something, so that the
        # grid does not jump under the cursor when an entry is refused; a long paste
        # summary scrolls within it.
        self.error_box = QScrollArea()
        self.error_box.setWidget(self.error_label)
        self.error_box.setWidgetResizable(True)
        self.error_box.setFrameShape(QScrollArea.Shape.NoFrame)
        self.error_box.viewport().setAutoFillBackground(False)
        self.error_label.setAutoFillBackground(False)
        self.error_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        bold = self.error_label.font()
        bold.setBold(True)
        self.error_box.setFixedHeight(QFontMetrics(bold).lineSpacing() * 3 + 6)
        self.sum_label = QLabel()  # «Sum: … · Antal: …» of the selected amounts

        self.model = StatementModel(ctx, self)
        self.model.edit_rejected.connect(self._rejected)
        self.model.edit_accepted.connect(self.clear_error)
        self.table = SheetView()
        self.table.viewport().installEventFilter(self)  # Post's width follows the window
        self.table.setModel(self.model)
        self.table.selectionModel().currentChanged.connect(self._update_actions)
        TypingRefusal(self.table, self._refusal, self.status.emit)
        self.table.setItemDelegateForColumn(KIND, ComboDelegate(list(KIND_LABELS.values()),
                                                                self.table))
        self.table.setItemDelegateForColumn(ROLE, ComboDelegate(list(ROLE_LABELS.values()),
                                                                self.table))
        self.table.doubleClicked.connect(self._double_clicked)
        self.amount_delegate = AmountDelegate(self.table)
        for col in range(FIRST_AMOUNT, self.model.columnCount()):
            self.table.setItemDelegateForColumn(col, self.amount_delegate)
        self.amount_delegate.refused.connect(self._rejected)
        self.table.paste_requested.connect(self.paste_text)
        self.model.move_requested.connect(self.move_post)
        self.table.selectionModel().selectionChanged.connect(self._update_sum)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self.show_context_menu)
        self.context_menu = None

        self.totals = self._totals_view()

        self.notes = QListWidget()
        self.notes.setWordWrap(True)
        self.notes.itemActivated.connect(self._note_activated)
        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        self.warnings.itemClicked.connect(self._warning_clicked)
        self.warnings.itemActivated.connect(self._warning_clicked)

        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(_titled("Fodnoter", self.notes))
        bottom.addWidget(_titled("Advarsler", self.warnings))
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        grid = QWidget()
        grid_layout = QVBoxLayout(grid)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.setSpacing(0)
        grid_layout.addWidget(self.table, 1)
        grid_layout.addWidget(self.totals)
        self.splitter.addWidget(grid)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.bottom_splitter = bottom

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        layout.addWidget(self.error_box)
        layout.addWidget(self.splitter, 1)

    def _totals_view(self) -> QTableView:
        """«I alt» and «Overskud/underskud» pinned under the grid: a second view of the same
        model and selection that shows only those two rows, with the grid's column widths
        and horizontal scroll, so the totals stay in sight however far the posts scroll."""
        totals = QTableView()
        totals.setModel(self.model)
        totals.setSelectionModel(self.table.selectionModel())
        totals.horizontalHeader().hide()
        totals.verticalHeader().hide()
        totals.verticalHeader().setDefaultSectionSize(
            self.table.verticalHeader().defaultSectionSize())
        totals.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        totals.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        totals.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        totals.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        totals.setWordWrap(False)
        totals.setFixedHeight(2 * totals.verticalHeader().defaultSectionSize()
                              + 2 * totals.frameWidth())
        self.table.horizontalHeader().sectionResized.connect(
            lambda col, _old, new: totals.setColumnWidth(col, new))
        self.table.horizontalScrollBar().valueChanged.connect(
            totals.horizontalScrollBar().setValue)
        return totals

    def _pin_totals(self) -> None:
        """The grid shows the posts, the pinned view the two computed rows."""
        first_total = self.model.total_row() if self.view is not None else 0
        for row in range(self.model.rowCount()):
            self.table.setRowHidden(row, row >= first_total)
            self.totals.setRowHidden(row, row < first_total)
        for col in range(self.model.columnCount()):
            self.totals.setColumnWidth(col, self.table.columnWidth(col))

    # --- loading ------------------------------------------------------------------------
    def show_statement(self, secretariat_id: int | None, year: int | None) -> None:
        self.secretariat_id, self.year = secretariat_id, year
        self.reload()

    def reload(self) -> None:
        """Rebuild from the database, keeping the current cell."""
        current = self.table.currentIndex()
        self.view = None
        state = None
        # Asked before the data is read: a save is checked against what came after it.
        self.ctx.seen = concurrency.latest_change(self.ctx.store)
        if self.secretariat_id is not None and self.year is not None:
            try:
                sec = catalog.secretariat(self.ctx.store, self.secretariat_id)
                self.view = load_statement(self.ctx.store, sec, self.year)
                state = locks.edit_state(self.ctx.store, self.secretariat_id, self.year)
            except KkrError as exc:
                self.title.setText(exc.message)
        frozen = state.frozen if state else frozenset()
        self.model.set_view(self.view, frozen=frozen)
        notice = state.notice if state else None
        self.notice = notice if self.model.locked else None
        self.banner.setVisible(notice is not None)
        self.banner.setText(notice or "")
        self.banner.setStyleSheet(_TAMPERED_BANNER if state and state.tampered else
                                  _BANNER if self.model.locked else _DRAFT_BANNER)
        # A new post goes into year N only.
        self.add_button.setEnabled(self.view is not None and Column.BUDGET not in frozen)
        self._update_next_button()
        if self.view is not None:
            st = self.view.statement
            self.title.setText(f"{st.secretariat}: Regnskab {st.year - 1} og budget {st.year}")
            self._fill_notes()
            self._fill_warnings()
            self._size_columns()
        else:
            self.notes.clear()
            self.warnings.clear()
        self._pin_totals()
        if current.isValid():
            self.table.setCurrentIndex(self.model.index(
                min(current.row(), self.model.rowCount() - 1), current.column()))
        self._update_actions()

    def _update_actions(self) -> None:
        """«Slet post», «Flyt op/ned» and «Fodnote…» are enabled when the menu's action
        would do something for the current cell; a disabled button's tooltip says why."""
        row = self._current_line_row()
        for button, plan, done, verb in (
                (self.remove_button, lambda r: self.model.removal(r), "Sletter posten fra",
                 KEPT_REMOVE),
                (self.up_button, lambda r: self.model.move(r, -1), "Flytter posten op i",
                 KEPT_MOVE),
                (self.down_button, lambda r: self.model.move(r, 1), "Flytter posten ned i",
                 KEPT_MOVE)):
            enabled, tip = False, self.notice or "Vælg en post i tabellen."
            if row is not None and self.notice is None:
                try:
                    change = plan(row)
                except KkrError as exc:
                    tip = exc.message
                else:
                    enabled = bool(change.steps)
                    tip = f"{done} {years_text(change)}. {change.kept_text(verb)}".strip() \
                        if enabled else "Posten står allerede yderst."
            button.setEnabled(enabled)
            button.setToolTip(tip)
        refusal = self._note_refusal()
        self.note_button.setEnabled(refusal is None)
        self.note_button.setToolTip(refusal or "Fodnote til det valgte beløb")

    def _update_next_button(self) -> None:
        """«Opret budget N+1» only while year N+1 does not exist; otherwise say why not."""
        if self.view is None or self.secretariat_id is None or self.year is None:
            self.next_button.setEnabled(False)
            self.next_button.setToolTip("")
            return
        following = self.year + 1
        self.next_button.setText(f"Opret budget {following}")
        exists = bool(catalog.year_lines(self.ctx.store, self.secretariat_id, following))
        self.next_button.setEnabled(not exists and not self.ctx.store.read_only)
        self.next_button.setToolTip(
            f"Budget {following} findes allerede" if exists else
            f"Opret budget {following} ud fra budget {self.year} med fremskrevet bidrag")

    def _size_columns(self) -> None:
        """Each amount column is as wide as its widest figure and its header, Art and Rolle as
        their words, and Post takes the rest: the header stretches it to the viewport, net of
        the scrollbar, on every resize. A long name is elided; its tooltip has it in full."""
        header = self.table.horizontalHeader()
        fm = self.table.fontMetrics()
        widths = {KIND: fm.horizontalAdvance("Indtægt") + 34,
                  ROLE: fm.horizontalAdvance("Overførsel") + 34}
        needed = {col: max(self._widest_text(col) + _CELL_PADDING,
                           header.sectionSizeFromContents(col).width())
                  for col in range(FIRST_AMOUNT, self.model.columnCount())}
        for col in needed:  # Udgifter and Indtægter of a column group alike, for a calm grid
            group = AMOUNT_COLUMNS[col - FIRST_AMOUNT].group
            widths[col] = max(w for c, w in needed.items()
                              if AMOUNT_COLUMNS[c - FIRST_AMOUNT].group is group)
        for col, width in widths.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, width)
        header.setMinimumHeight(fm.height() * 2 + 12)
        self._fit_name_column()

    def _fit_name_column(self) -> None:
        """Post stretches over what the other columns leave. When that is less than ten
        letters (larger text on Windows, a small screen), Post keeps ten letters and the
        horizontal scrollbar reaches the last column; a stretched Post would shrink to
        nothing and push the last amounts out of reach."""
        header = self.table.horizontalHeader()
        if self.model.columnCount() <= FIRST_AMOUNT:
            return
        others = sum(header.sectionSize(c) for c in range(KIND, self.model.columnCount()))
        minimum = self.table.fontMetrics().horizontalAdvance("M" * 10)
        if self.table.viewport().width() - others >= minimum:
            header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(NAME, minimum)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_name_column()
        return super().eventFilter(watched, event)

    def _widest_text(self, col: int) -> int:
        """The widest figure in a column as drawn, in bold where the row is bold (I alt)."""
        # Measured on every switch of statement: the two metrics are made once, not per cell.
        plain = self.table.fontMetrics()
        bold = QFontMetrics(self.model.data(self.model.index(self.model.total_row(), col),
                                            Qt.ItemDataRole.FontRole))
        widest = 0
        for row in range(self.model.rowCount()):
            metrics = plain if self.model.line(row) is not None else bold
            widest = max(widest, metrics.horizontalAdvance(self.model.index(row, col).data()
                                                           or ""))
        return widest

    def _fill_notes(self) -> None:
        assert self.view is not None
        self.notes.clear()
        for n, (line, column, text) in enumerate(self.view.statement.notes(), start=1):
            item = QListWidgetItem(f"{superscript(n)} {column.label(self.view.statement.year)}, "
                                   f"{line.name}: {text}")
            item.setData(Qt.ItemDataRole.UserRole, (line.name, column.value))
            self.notes.addItem(item)
        st = self.view.statement
        for n, (column, text) in enumerate(st.result_notes, start=self.notes.count() + 1):
            item = QListWidgetItem(f"{superscript(n)} {column.label(st.year)}, "
                                   f"{RESULT_LABEL}: {text}")
            item.setData(Qt.ItemDataRole.UserRole, (None, column.value))
            self.notes.addItem(item)
        if not self.notes.count():
            self.notes.addItem("Ingen fodnoter. Vælg et beløb og tryk «Fodnote…».")

    def _fill_warnings(self) -> None:
        assert self.view is not None
        self.warnings.clear()
        for w in self.view.warnings:
            item = QListWidgetItem("⚠ " + w.message)
            item.setData(Qt.ItemDataRole.UserRole, self.warnings.count())
            item.setForeground(Qt.GlobalColor.darkRed)
            self.warnings.addItem(item)
        if not self.view.warnings:
            self.warnings.addItem("✓ Ingen advarsler: opgørelsen er i orden.")

    # --- reactions ----------------------------------------------------------------------
    def _rejected(self, index: QModelIndex, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        rect = self.table.visualRect(index)
        QToolTip.showText(self.table.viewport().mapToGlobal(rect.bottomLeft()), message,
                          self.table)
        self.status.emit("Ikke gemt: " + message)

    def clear_error(self) -> None:
        self.error_label.hide()
        self.error_label.clear()
        self.error_label.setToolTip("")

    def _warning_clicked(self, item: QListWidgetItem) -> None:
        i = item.data(Qt.ItemDataRole.UserRole)
        if self.view is None or i is None:
            return
        index = self.model.index_for_warning(self.view.warnings[i])
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self.table.setFocus()

    def _note_activated(self, item: QListWidgetItem) -> None:
        key = item.data(Qt.ItemDataRole.UserRole)
        if key is None:
            return
        name, column = key
        if name is None:  # the note on Overskud/underskud, in the pinned totals
            ac = AMOUNT_COLUMNS.index(AmountColumn(Column(column), Kind.INCOME))
            self.table.setCurrentIndex(self.model.index(self.model.result_row(),
                                                        FIRST_AMOUNT + ac))
            self.edit_note()
            return
        row = next(i for i, ln in enumerate(self.model.lines) if ln.name == name)
        line = self.model.lines[row]
        ac = AMOUNT_COLUMNS.index(next(a for a in AMOUNT_COLUMNS
                                       if a.group.value == column and a.side is line.kind))
        self.table.setCurrentIndex(self.model.index(row, FIRST_AMOUNT + ac))
        self.edit_note()

    def _double_clicked(self, index: QModelIndex) -> None:
        if self.model.locked:
            return
        if self.model.line(index.row()) is None:
            self.status.emit("«I alt» og resultatet beregnes; de kan ikke rettes.")
        elif index.column() < FIRST_AMOUNT:
            refusal = self.model.field_refusal(index.row(), index.column())
            if refusal:
                self.status.emit(refusal)
        elif self.model.is_frozen(index.column()):
            self.status.emit(self._frozen_text(index.column()))

    def _refusal(self, index: QModelIndex) -> str | None:
        """Why the cell at `index` cannot be typed into (see _double_clicked)."""
        if self.model.locked:
            return LOCKED
        if self.model.line(index.row()) is None:
            return "«I alt» og resultatet beregnes; de kan ikke rettes."
        if index.column() < FIRST_AMOUNT:
            return self.model.field_refusal(index.row(), index.column())
        return self._frozen_text(index.column()) if self.model.is_frozen(index.column()) \
            else None

    def _frozen_text(self, col: int) -> str:
        assert self.view is not None
        label = AMOUNT_COLUMNS[col - FIRST_AMOUNT].group.label(self.view.statement.year)
        return (f"{label} indgår i en godkendt opgørelse og kan ikke rettes her "
                "(se teksten over tabellen).")


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    label = QLabel(title)
    label.setStyleSheet("font-weight: bold;")
    layout.addWidget(label)
    layout.addWidget(widget)
    return box

