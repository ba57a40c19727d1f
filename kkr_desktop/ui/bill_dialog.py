"""Filer → Kommunernes samlede opkrævning…: every kommune's bill of the year across the
bodies of the KKR with what it has paid and what is open, a preview per kommune, buttons
that write the letters (PDF), the CSV, the Excel file or the e-invoices (OIOUBL) through
services.billing, and the payment follow-up (services.payments): register one payment, or
import a bank statement matched by reference."""

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
from kkr_desktop.services import billing, payments
from kkr_desktop.ui import errors
from kkr_desktop.ui.payment_dialog import PaymentDialog

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store

BUTTONS = (("pdf", "Skriv breve (PDF)…"), ("csv", "Skriv CSV…"), ("xlsx", "Skriv Excel…"),
           ("oioubl", "Skriv e-fakturaer (OIOUBL)…"))
KOMMUNE_COLUMNS = ("Kommune", "I alt (kr.)", "Betalt (kr.)", "Åben (kr.)")
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
        self.view: payments.PaymentView | None = None
        self.setWindowTitle(f"Kommunernes samlede opkrævning – KKR {kkr}")
        self.resize(1100, 560)
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
        self.kommuner = QTableWidget(0, len(KOMMUNE_COLUMNS))
        self.kommuner.setHorizontalHeaderLabels(list(KOMMUNE_COLUMNS))
        self.kommuner.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.kommuner.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.kommuner.currentCellChanged.connect(lambda row, *_: self.show_parts(row))
        self.kommuner.horizontalHeader().setStretchLastSection(True)
        self.kommuner.verticalHeader().setVisible(False)
        tables.addWidget(self.kommuner, 1)
        self.parts = QTableWidget(0, 3)
        self.parts.setHorizontalHeaderLabels(["Sekretariat", "Post", "Beløb (kr.)"])
        self.parts.horizontalHeader().setStretchLastSection(True)
        self.parts.verticalHeader().setVisible(False)
        tables.addWidget(self.parts, 1)
        layout.addLayout(tables, 1)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for fmt, text in BUTTONS:
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, f=fmt: self.choose_and_write(f))
            buttons.addWidget(button)
            self.buttons[fmt] = button
        buttons.addStretch(1)
        layout.addLayout(buttons)
        buttons = QHBoxLayout()
        self.register_button = QPushButton("Registrér betaling…")
        self.register_button.setToolTip("Registrér en betaling (også en delbetaling) fra den "
                                         "valgte kommune")
        self.register_button.clicked.connect(self.register_payment)
        self.import_button = QPushButton("Indlæs betalinger…")
        self.import_button.setToolTip("Indlæs en CSV fra banken eller ERP-systemet; rækker med "
                                      "referencen KKR<år>-<kommunekode> registreres")
        self.import_button.clicked.connect(self.choose_and_import)
        buttons.addWidget(self.register_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        close = QPushButton("Luk")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected_kommune()  # kept selected across the refresh
        self.kommuner.setRowCount(0)
        self.parts.setRowCount(0)
        try:
            self.view = payments.payment_view(self.store, self.kkr, self.year.value())
        except KkrError as exc:
            self.bill_set = self.view = None
            self.notice.setText(exc.message)
        else:
            self.bill_set = self.view.bill_set
            self.notice.setText(" ".join(self.bill_set.notices))
            for row, b in enumerate(self.view.balances):
                self.kommuner.insertRow(row)
                self.kommuner.setItem(row, 0, _item(f"{b.kommunekode} {b.kommune}"))
                for col, ore in enumerate((b.billed, b.paid, b.open), start=1):
                    self.kommuner.setItem(row, col, _item(format_amount(ore, decimals=True),
                                                          right=True))
                self.kommuner.item(row, 0).setData(Qt.ItemDataRole.UserRole, b.kommunekode)
            self.kommuner.resizeColumnsToContents()
            codes = [b.kommunekode for b in self.view.balances]
            if codes:
                self.kommuner.selectRow(codes.index(selected) if selected in codes else 0)
                self.show_parts(self.kommuner.currentRow())
        for button in (*self.buttons.values(), self.register_button, self.import_button):
            button.setEnabled(self.bill_set is not None)

    def selected_kommune(self) -> int | None:
        item = self.kommuner.item(self.kommuner.currentRow(), 0)
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def register_payment(self) -> int | None:
        """«Registrér betaling…»: the dialog for the selected kommune; the id saved."""
        if self.view is None:
            return None
        dialog = PaymentDialog(self.store, self.view, self.selected_kommune(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        self.refresh()
        return dialog.saved_id

    def choose_and_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Indlæs betalinger (CSV fra banken eller "
                                              "ERP)", "", "CSV (*.csv *.txt);;Alle filer (*)")
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> payments.ImportResult | None:
        try:
            result = payments.import_payments(self.store, self.kkr, self.year.value(), path)
        except KkrError as exc:
            errors.show_error(self, exc)
            return None
        self.refresh()
        errors.show_info(self, "Betalingerne er indlæst",
                         f"{path.name}:\n" + "\n".join(payments.describe_import(result)))
        return result

    def show_parts(self, row: int) -> None:
        self.parts.setRowCount(0)
        code = self.kommuner.item(row, 0).data(Qt.ItemDataRole.UserRole) \
            if self.kommuner.item(row, 0) is not None else None
        bill = next((b for b in self.bill_set.bills if b.kommunekode == code),
                    None) if self.bill_set is not None else None
        if bill is None:
            return
        for i, p in enumerate(bill.parts):
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
