"""Ændringslog: the audit log in words, filtered by secretariat, year, user and period."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.services.safety import (
    AuditRow,
    audit_rows,
    audit_users,
    audit_years,
    secretariat_choices,
)
from kkr_desktop.ui.widgets import DateEdit

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store

HEADERS = ["Tidspunkt", "Bruger", "Sekretariat", "År", "Hvad", "Handling", "Ændring"]
PAGE = 200  # rows per page: «Vis flere» fetches the next
ALL = "Alle"
# Widths (in characters) of all but the last column: sizing to the contents would measure
# every row of the model on each reload.
WIDTHS = [15, 8, 22, 5, 30, 8]


class AuditModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AuditRow] = []

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def add_rows(self, rows: list[AuditRow]) -> None:
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
        self.rows = self.rows + rows
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        values = (r.at, r.who, r.secretariat, "" if r.year is None else str(r.year), r.what,
                  r.action, r.change)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return values[index.column()]
        return None


class AuditDialog(QDialog):
    """The log, newest first. Every filter change reloads; nothing here can change data."""

    def __init__(self, store: Store, secretariat_id: int | None = None,
                 year: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Ændringslog")
        self.resize(1100, 600)

        self.secretariat = QComboBox()
        self.secretariat.addItem(ALL, None)
        for sid, name in secretariat_choices(store):
            self.secretariat.addItem(name, sid)
        self.year = QComboBox()
        self.year.addItem(ALL, None)
        years = sorted(set(audit_years(store)) | ({year} if year else set()), reverse=True)
        for y in years:
            self.year.addItem(str(y), y)
        self.user = QComboBox()
        self.user.addItem(ALL, None)
        for who in audit_users(store):
            self.user.addItem(who, who)
        self.use_period = QCheckBox("Kun perioden")
        self.since = DateEdit(QDate.currentDate().addMonths(-1))
        self.until = DateEdit(QDate.currentDate())
        for edit in (self.since, self.until):
            edit.setEnabled(False)
        self._select(self.secretariat, secretariat_id)
        self._select(self.year, year)

        period = QHBoxLayout()
        period.addWidget(self.use_period)
        period.addWidget(QLabel("fra"))
        period.addWidget(self.since)
        period.addWidget(QLabel("til og med"))
        period.addWidget(self.until)
        period.addStretch(1)
        form = QFormLayout()
        form.addRow("Sekretariat:", self.secretariat)
        form.addRow("År:", self.year)
        form.addRow("Bruger:", self.user)
        form.addRow("Periode:", period)

        self.model = AuditModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        char = self.table.fontMetrics().horizontalAdvance("0")
        for col, width in enumerate(WIDTHS):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width * char + 12)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.count = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Luk")
        buttons.rejected.connect(self.reject)
        self.more = buttons.addButton("Vis flere", QDialogButtonBox.ButtonRole.ActionRole)
        self.more.clicked.connect(self.show_more)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(buttons)

        for combo in (self.secretariat, self.year, self.user):
            combo.currentIndexChanged.connect(self.reload)
        self.use_period.toggled.connect(self._period_toggled)
        self.since.dateChanged.connect(self.reload)
        self.until.dateChanged.connect(self.reload)
        self.reload()

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        i = combo.findData(value)
        if value is not None and i >= 0:
            combo.setCurrentIndex(i)

    def _period_toggled(self, on: bool) -> None:
        self.since.setEnabled(on)
        self.until.setEnabled(on)
        self.reload()

    def _page(self, offset: int) -> list[AuditRow]:
        since = until = None
        if self.use_period.isChecked():
            first, last = self.since.date(), self.until.date()  # invalid: not limited
            since = first.toString("yyyy-MM-dd") if first.isValid() else None
            until = last.addDays(1).toString("yyyy-MM-dd") if last.isValid() else None
        # one row past the page says whether there are more
        return audit_rows(self.store, secretariat_id=self.secretariat.currentData(),
                          year=self.year.currentData(), who=self.user.currentData(),
                          since=since, until=until, limit=PAGE + 1, offset=offset)

    def reload(self) -> None:
        rows = self._page(0)
        self.model.set_rows(rows[:PAGE])
        self._counted(len(rows) > PAGE)

    def show_more(self) -> None:
        rows = self._page(len(self.model.rows))
        self.model.add_rows(rows[:PAGE])
        self._counted(len(rows) > PAGE)

    def _counted(self, more: bool) -> None:
        shown = len(self.model.rows)
        self.more.setEnabled(more)
        if not shown:
            self.count.setText("Ingen ændringer for dette udvalg.")
        elif more:
            self.count.setText(f"De nyeste {shown} ændringer vises; «Vis flere» viser de "
                               "næste, eller afgræns med filtrene.")
        else:
            self.count.setText(f"{shown} ændringer.")


def open_audit_view(parent: QWidget | None, store: Store, secretariat_id: int | None,
                    year: int | None) -> None:
    """Show the audit log, filtered to the secretariat and year in view (changeable)."""
    AuditDialog(store, secretariat_id, year, parent).exec()
