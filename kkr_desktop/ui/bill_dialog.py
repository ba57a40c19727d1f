"""Filer → Kommunernes samlede opkrævning…: every kommune's bill of the year across the
bodies of the KKR, with a preview per kommune, and buttons that write the letters (PDF),
the CSV, the Excel file or the e-invoices (OIOUBL) through services.billing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.errors import KkrError
from kkr_desktop.core.money import format_amount
from kkr_desktop.services import billing
from kkr_desktop.ui import errors

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store

BUTTONS = (("pdf", "Skriv breve (PDF)…"), ("csv", "Skriv CSV…"), ("xlsx", "Skriv Excel…"),
           ("oioubl", "Skriv e-fakturaer (OIOUBL)…"))
FILTERS = {"pdf": "PDF (*.pdf)", "csv": "CSV (*.csv)", "xlsx": "Excel (*.xlsx)"}


def _item(text: str, *, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class BillDialog(QDialog):
    def __init__(self, store: Store, kkr: str, year: int, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.store, self.kkr = store, kkr
        self.bill_set: billing.BillSet | None = None
        self.setWindowTitle(f"Kommunernes samlede opkrævning – KKR {kkr}")
        self.resize(860, 520)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("År:"))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.year.valueChanged.connect(self.refresh)
        top.addWidget(self.year)
        top.addStretch(1)
        layout.addLayout(top)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        tables = QHBoxLayout()
        self.kommuner = QTableWidget(0, 2)
        self.kommuner.setHorizontalHeaderLabels(["Kommune", "I alt (kr.)"])
        self.kommuner.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.kommuner.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.kommuner.currentCellChanged.connect(lambda row, *_: self.show_parts(row))
        self.kommuner.horizontalHeader().setStretchLastSection(True)
        tables.addWidget(self.kommuner, 2)
        self.parts = QTableWidget(0, 3)
        self.parts.setHorizontalHeaderLabels(["Sekretariat", "Post", "Beløb (kr.)"])
        self.parts.horizontalHeader().setStretchLastSection(True)
        tables.addWidget(self.parts, 3)
        layout.addLayout(tables, 1)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for fmt, text in BUTTONS:
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, f=fmt: self.choose_and_write(f))
            buttons.addWidget(button)
            self.buttons[fmt] = button
        buttons.addStretch(1)
        close = QPushButton("Luk")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.kommuner.setRowCount(0)
        self.parts.setRowCount(0)
        try:
            self.bill_set = billing.kommune_bills(self.store, self.kkr, self.year.value())
        except KkrError as exc:
            self.bill_set = None
            self.notice.setText(exc.message)
        else:
            self.notice.setText(" ".join(self.bill_set.notices))
            for row, bill in enumerate(self.bill_set.bills):
                self.kommuner.insertRow(row)
                self.kommuner.setItem(row, 0, _item(f"{bill.kommunekode} {bill.kommune}"))
                self.kommuner.setItem(row, 1, _item(format_amount(bill.net, decimals=True),
                                                    right=True))
            self.kommuner.resizeColumnsToContents()
            if self.bill_set.bills:
                self.kommuner.selectRow(0)
        for button in self.buttons.values():
            button.setEnabled(self.bill_set is not None)

    def show_parts(self, row: int) -> None:
        self.parts.setRowCount(0)
        if self.bill_set is None or not 0 <= row < len(self.bill_set.bills):
            return
        for i, p in enumerate(self.bill_set.bills[row].parts):
            self.parts.insertRow(i)
            self.parts.setItem(i, 0, _item(p.body))
            self.parts.setItem(i, 1, _item(p.text))
            self.parts.setItem(i, 2, _item(format_amount(p.amount, decimals=True), right=True))
        self.parts.resizeColumnsToContents()

    def choose_and_write(self, fmt: str) -> None:
        name = f"opkraevning_{self.kkr}_{self.year.value()}"
        if fmt == "oioubl":
            target = QFileDialog.getExistingDirectory(self, "Vælg mappe til e-fakturaerne")
        else:
            target, _ = QFileDialog.getSaveFileName(self, "Gem opkrævningen", f"{name}.{fmt}",
                                                    FILTERS[fmt])
        if target:
            self.write_to(fmt, Path(target))

    def write_to(self, fmt: str, target: Path) -> billing.BillWriteResult | None:
        if self.bill_set is None:
            return None
        try:
            try:
                result = billing.write_bills(self.store, self.bill_set, fmt, target)
            except billing.AlreadyBilledError as exc:
                answer = QMessageBox.question(self, "Allerede skrevet",
                                              exc.message + "\n\nSkriv igen?")
                if answer != QMessageBox.StandardButton.Yes:
                    return None
                result = billing.write_bills(self.store, self.bill_set, fmt, target,
                                             again=True)
        except Exception as exc:  # shown, never lost
            errors.show_error(self, exc)
            return None
        errors.show_info(self, "Opkrævningen er skrevet",
                         f"Skrev {len(result.files)} fil(er) til {target}.")
        return result


def open_bill_dialog(parent: QWidget | None, store: Store, secretariat_id: int,
                     year: int) -> None:
    BillDialog(store, billing.kkr_of(store, secretariat_id), year, parent).exec()
