"""The page «Underskrivere» of the secretariat settings: who usually signs (name, title)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.approval import Signatory
from kkr_desktop.services import approval as service

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store


class SignatoriesWidget(QWidget):
    def __init__(self, store: Store, secretariat_id: int, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.store = store
        self.secretariat_id = secretariat_id
        intro = QLabel("Dem, der normalt underskriver den godkendte opgørelse, i den "
                       "rækkefølge de skriver under (fx formand og næstformand). De foreslås, "
                       "når en opgørelse godkendes, og kan rettes der.")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Navn", "Titel"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for person in service.default_signatories(store, secretariat_id):
            self.add_row(person)
        add = QPushButton("Tilføj underskriver")
        add.clicked.connect(lambda: self.add_row(Signatory("", "")))
        remove = QPushButton("Fjern")
        remove.clicked.connect(self.remove_row)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_row(self, person: Signatory) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(person.name))
        self.table.setItem(row, 1, QTableWidgetItem(person.title))

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def people(self) -> list[Signatory]:
        def text(row: int, col: int) -> str:
            item = self.table.item(row, col)
            return item.text() if item is not None else ""

        return [Signatory(text(r, 0), text(r, 1)) for r in range(self.table.rowCount())]

    def save(self) -> None:
        """Called by the settings dialog inside its transaction; raises InputError."""
        service.set_default_signatories(self.store, self.secretariat_id, self.people())


def create_section(store: Store, secretariat_id: int) -> QWidget:
    return SignatoriesWidget(store, secretariat_id)
