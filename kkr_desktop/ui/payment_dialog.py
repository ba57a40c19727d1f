"""«Registrér betaling…» in the bill dialog: one payment of a kommune (a part payment too),
saved through services.payments, which audits it; a wrong one is later reversed, never
edited."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from kkr_desktop.core.billing import reference_for
from kkr_desktop.core.errors import InputError, KkrError
from kkr_desktop.core.money import format_amount, parse_amount
from kkr_desktop.services import payments
from kkr_desktop.ui import errors
from kkr_desktop.ui.widgets import DateEdit, save_cancel_buttons

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store


class PaymentDialog(QDialog):
    def __init__(self, store: Store, view: payments.PaymentView, kommunekode: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.view = store, view
        self.saved_id: int | None = None
        kkr, year = view.bill_set.kkr, view.bill_set.year
        self.setWindowTitle(f"Registrér betaling – KKR {kkr}, opkrævning {year}")
        form = QFormLayout(self)
        self.kommune = QComboBox()
        for b in view.balances:
            self.kommune.addItem(f"{b.kommunekode} {b.kommune}", b.kommunekode)
        self.kommune.setCurrentIndex(max(self.kommune.findData(kommunekode), 0))
        self.paid_on = DateEdit(date.today())
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("fx 651.908,00 (negativt: udbetalt til kommunen)")
        self.open_label = QLabel()
        self.kommune.currentIndexChanged.connect(self._fill_open)
        self._fill_open()
        form.addRow("Kommune", self.kommune)
        form.addRow("Betalt den", self.paid_on)
        form.addRow("Beløb (kr.)", self.amount)
        form.addRow("", self.open_label)
        form.addRow(save_cancel_buttons(self))

    def _fill_open(self) -> None:
        """The open amount is the likely payment: filled in, to be changed for a part."""
        balance = self.view.balance(self.kommune.currentData())
        if balance is None:
            return
        self.amount.setText(format_amount(balance.open, decimals=True))
        ref = reference_for(self.view.bill_set.year, balance.kommunekode)
        self.open_label.setText(f"Reference {ref} · åbent før betalingen: "
                                f"{format_amount(balance.open, decimals=True)} kr.")

    def accept(self) -> None:
        try:
            paid_on = self.paid_on.value()
            if paid_on is None:
                raise InputError("Skriv datoen, betalingen er modtaget (eller udbetalt).")
            amount = parse_amount(self.amount.text())
            self.saved_id = payments.add_payment(
                self.store, self.view.bill_set.kkr, self.view.bill_set.year,
                self.kommune.currentData(), paid_on, amount)
        except KkrError as exc:
            errors.show_error(self, exc)  # the dialog stays open with what was typed
            return
        super().accept()
