"""Filer → Nyt sekretariat…: name, KKR, first budget year and rounding unit."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.allocation import Unit
from kkr_desktop.core.errors import KkrError
from kkr_desktop.services import catalog
from kkr_desktop.services.secretariat_settings import SECRETARIAT_UNITS, create_secretariat
from kkr_desktop.ui.widgets import save_cancel_buttons

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store


class NewSecretariatDialog(QDialog):
    """Creates the secretariat on Gem; a refused value keeps the dialog open with the
    reason in red, and nothing is stored."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.created: tuple[int, int] | None = None  # (secretariat id, first year)
        self.setWindowTitle("Nyt sekretariat")
        self.setMinimumWidth(520)
        self.name = QLineEdit()
        self.name.setPlaceholderText("fx Det fælleskommunale Sundhedssekretariat")
        self.kkr = QComboBox()
        for name in catalog.kkr_names(store):
            self.kkr.addItem(f"KKR {name}", name)
        used = {s.kkr for s in catalog.all_secretariats(store)}
        if len(used) == 1:  # the KKR this database is kept for
            self.kkr.setCurrentIndex(max(self.kkr.findData(used.pop()), 0))
        self.host = QComboBox()  # the kommune that employs the staff and keeps the books
        self.kkr.currentIndexChanged.connect(self._fill_hosts)
        self._fill_hosts()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year + 1)
        self.unit = QComboBox()
        for unit in SECRETARIAT_UNITS:
            self.unit.addItem(unit.label.capitalize(), unit.value)
        form = QFormLayout()
        form.addRow("Navn", self.name)
        form.addRow("KKR", self.kkr)
        form.addRow("Værtskommune", self.host)
        form.addRow("Første budgetår", self.year)
        form.addRow("Bidraget afrundes til", self.unit)
        info = QLabel("Alle kommuner i det valgte KKR bliver medlemmer (det kan rettes under "
                      "Rediger → Indstillinger). Budgettet starter med standardposterne i "
                      "rækkefølgen fra KKR's trykte opgørelser («Indkrævet hos kommunerne», "
                      "«Overført overskud», «Husleje», «Løn», …); flere tilføjes med «Ny "
                      "post», og en post, der ikke bruges, kan slettes.")
        info.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color:#b00020; font-weight:bold;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(info)
        layout.addWidget(self.error)
        layout.addWidget(save_cancel_buttons(self))

    def _fill_hosts(self) -> None:
        """The chosen KKR's kommuner; none chosen until the user does (it can wait)."""
        self.host.clear()
        self.host.addItem("(vælges senere)", None)
        for k in catalog.kommuner(self.store):
            if k.kkr == self.kkr.currentData():
                self.host.addItem(f"{k.code} {k.name}", k.code)

    def accept(self) -> None:
        try:
            sid = create_secretariat(self.store, name=self.name.text(),
                                     kkr=self.kkr.currentData(), first_year=self.year.value(),
                                     unit=Unit(self.unit.currentData()),
                                     host_kommune=self.host.currentData())
        except KkrError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.created = (sid, self.year.value())
        super().accept()


def new_secretariat(parent: QWidget, store: Store) -> tuple[int, int] | None:
    """Show the dialog; the new (secretariat id, first year), or None if cancelled."""
    dialog = NewSecretariatDialog(store, parent)
    dialog.exec()
    return dialog.created
