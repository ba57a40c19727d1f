"""The tab "Fordeling": split an amount over the member kommuner and store the split."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.allocation import Allocation, AllocationKind, KeyKind, Unit, format_share
from kkr_desktop.core.errors import KkrError, LockedError
from kkr_desktop.core.money import format_amount, format_count, parse_amount
from kkr_desktop.core.quarter import default_key_quarter, quarter_label
from kkr_desktop.services import allocation as service
from kkr_desktop.services import catalog, locks
from kkr_desktop.ui import errors

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ["Kommune", "Folketal", "Andel", "Beløb"]
SAVE_TIP = "Den gemte fordeling bruges af eksport og dokumenter."


class AllocationModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.allocation: Allocation | None = None

    def set_allocation(self, allocation: Allocation | None) -> None:
        self.beginResetModel()
        self.allocation = allocation
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.allocation else len(self.allocation.rows) + 1

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if section == 1 and self.allocation and self.allocation.quarter:
                return f"Folketal {quarter_label(self.allocation.quarter)}"
            if section == 1 and self.allocation and self.allocation.key_kind is not \
                    KeyKind.POPULATION:
                return "Vægt"
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        a = self.allocation
        if a is None or not index.isValid():
            return None
        total = index.row() == len(a.rows)
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            decimals = True if a.unit is Unit.ORE else None
            if total:
                return ["I alt", format_count(a.population_total), "100,00 %",
                        format_amount(sum(r.amount for r in a.rows), decimals=decimals)][col]
            r = a.rows[index.row()]
            return [f"{r.kommunekode} {r.kommune}", format_count(r.weight),
                    format_share(r.share), format_amount(r.amount, decimals=decimals)][col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            h = Qt.AlignmentFlag.AlignLeft if col == 0 else Qt.AlignmentFlag.AlignRight
            return int(h | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and total:
            font = QFont()
            font.setBold(True)
            return font
        return None


class AllocationTab(QWidget):
    status = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.secretariat_id: int | None = None
        self.year: int | None = None
        self.allocation: Allocation | None = None

        self.kind = QComboBox()
        for k in AllocationKind:
            self.kind.addItem(k.label, k.value)
        self.key = QComboBox()
        for k in (KeyKind.POPULATION, KeyKind.EQUAL):
            self.key.addItem(k.label, k.value)
        self.quarter = QComboBox()
        self.unit = QComboBox()
        self.unit.addItem("Sekretariatets enhed", None)
        for u in Unit:
            self.unit.addItem(u.label, u.value)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("tomt: artens beløb")
        self.amount.setToolTip("Lad feltet stå tomt for at fordele det beløb, arten giver: "
                               "bidraget i budget N, overskuddet fra regnskab N−1, eller "
                               "efterreguleringen.")
        for w in (self.kind, self.key, self.quarter, self.unit):
            w.currentIndexChanged.connect(self.recompute)
        self.amount.editingFinished.connect(self.recompute)

        form = QFormLayout()
        form.addRow("Art", self.kind)
        form.addRow("Nøgle", self.key)
        form.addRow("Nøglens kvartal", self.quarter)
        form.addRow("Afrunding", self.unit)
        form.addRow("Beløb (kr.)", self.amount)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color:#8a5a00;")
        self.save_button = QPushButton("Gem fordeling")
        self.save_button.setToolTip(SAVE_TIP)
        self.save_button.clicked.connect(self.save)
        self.locked_note = QLabel()  # why «Gem fordeling» is off, on screen as well
        self.locked_note.setWordWrap(True)
        self.locked_note.setStyleSheet("color:#555;")
        self.locked_note.hide()

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.summary)
        left.addWidget(self.notice)
        left.addWidget(self.save_button)
        left.addWidget(self.locked_note)
        left.addStretch(1)
        self.model = AllocationModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QHBoxLayout(self)
        box = QWidget()
        box.setLayout(left)
        # A fixed width: the wrapped texts below the form differ per «Art» and must not
        # move the table when it is switched. Wide enough for the longest choice.
        fm = self.fontMetrics()
        box.setFixedWidth(max(340, fm.horizontalAdvance("Nøglens kvartal")
                              + fm.horizontalAdvance("Standard (1. kvt. 2020)") + 90))
        layout.addWidget(box)
        layout.addWidget(self.table, 1)

    def show_selection(self, secretariat_id: int | None, year: int | None) -> None:
        self.secretariat_id, self.year = secretariat_id, year
        self._fill_quarters()
        self.recompute()

    def _fill_quarters(self) -> None:
        current = self.quarter.currentData()
        self.quarter.blockSignals(True)
        self.quarter.clear()
        usual = default_key_quarter(self.year) if self.year else None
        label = "Standard"
        if usual and self.year:
            used, _ = service.key_quarter(self.store, self.year, None)
            label = f"Standard ({quarter_label(used)})"  # the notice says if it is not N−1's
        self.quarter.addItem(label, None)
        for q in catalog.quarters(self.store):
            self.quarter.addItem(quarter_label(q), q)
        i = self.quarter.findData(current)
        self.quarter.setCurrentIndex(max(i, 0))
        self.quarter.blockSignals(False)

    def set_inputs(self, *, kind: AllocationKind | None = None, quarter: str | None = None,
                   unit: Unit | None = None, amount: str | None = None) -> None:
        """Set the choices as a user would (used by keyboard-free callers and tests)."""
        for box, value in ((self.kind, kind), (self.quarter, quarter), (self.unit, unit)):
            if value is not None:
                box.setCurrentIndex(box.findData(str(value)))
        if amount is not None:
            self.amount.setText(amount)
        self.recompute()

    def current_kind(self) -> AllocationKind:
        return AllocationKind(self.kind.currentData())

    def recompute(self) -> None:
        self.allocation = None
        self.notice.clear()
        if self.secretariat_id is None or self.year is None:
            self.model.set_allocation(None)
            self.summary.setText("Vælg et sekretariat og et år.")
            self.summary.show()
            self._allow_save(None)
            return
        try:
            sec = catalog.secretariat(self.store, self.secretariat_id)
            text = self.amount.text().strip()
            unit = self.unit.currentData()
            result = service.compute(
                self.store, sec, self.year, kind=self.current_kind(),
                amount=parse_amount(text) if text else None,
                quarter=self.quarter.currentData(), unit=Unit(unit) if unit else None,
                key_kind=KeyKind(self.key.currentData()))
        except KkrError as exc:
            self.model.set_allocation(None)
            self.summary.setText("")
            self.summary.hide()  # no empty line above the message
            self.notice.setText(exc.message)
            self._allow_save(None)
            return
        a = result.allocation
        self.allocation = a
        self.model.set_allocation(a)
        self.notice.setText(" ".join(t for t in (result.warning, result.notice) if t))
        self.summary.setText(f"{a.title(self.year)}: {format_amount(a.total)} kr. "
                             f"fordelt på {len(a.rows)} kommuner i {a.unit.label}.")
        self.summary.show()
        self._allow_save(self.save_refusal(a))

    def save_refusal(self, allocation: Allocation) -> str | None:
        """Why this allocation cannot be saved, said before the click; None if it can."""
        if self.store.read_only:
            return "Databasen er åbnet skrivebeskyttet, så fordelingen kan ikke gemmes."
        if allocation.total == 0:
            return "Beløbet er 0; der er intet at fordele."
        if allocation.kind is AllocationKind.ADJUSTMENT or self.secretariat_id is None \
                or self.year is None:
            return None  # the adjustment is made after approval (services/allocation.save)
        try:
            locks.ensure_allocation_savable(self.store, self.secretariat_id, self.year,
                                            allocation.kind.label)
        except LockedError as exc:
            return "Fordelingen i den godkendte opgørelse er låst. " + exc.message
        return None

    def _allow_save(self, refusal: str | None) -> None:
        self.save_button.setEnabled(self.allocation is not None and refusal is None)
        self.save_button.setToolTip(refusal or SAVE_TIP)
        self.locked_note.setText(refusal or "")
        self.locked_note.setVisible(refusal is not None)

    def save(self) -> None:
        if self.allocation is None or self.secretariat_id is None or self.year is None:
            return
        try:
            sec = catalog.secretariat(self.store, self.secretariat_id)
            number = service.save(self.store, sec, self.year, self.allocation)
        except KkrError as exc:
            errors.show_error(self, exc)
            return
        self.status.emit(f"Fordelingen er gemt som nr. {number}; den bruges nu af eksport og "
                         "dokumenter.")
