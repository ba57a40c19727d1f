"""Secretariat settings: name, KKR, host kommune, rounding units (budget and billing), the
contact on the bills, members, signatories, and CVR/EAN/account string per member.

The last two pages come from modules listed in SECTION_PAGES, each with
`create_section(store, secretariat_id) -> QWidget`; the widget's `save()` is called inside
the same transaction as the rest of the dialog, so the dialog saves all or nothing.
"""

from __future__ import annotations

import importlib
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.allocation import Unit
from kkr_desktop.core.errors import KkrError
from kkr_desktop.services import catalog
from kkr_desktop.services.secretariat_settings import (
    SECRETARIAT_UNITS,
    MemberPeriod,
    update_settings,
)
from kkr_desktop.ui import errors
from kkr_desktop.ui.widgets import save_cancel_buttons

SECTION_PAGES = (  # modules with create_section(store, secretariat_id) -> QWidget
    ("ui.settings_signatories", "Underskrivere"),
    ("ui.members_erp", "ERP-oplysninger"),
    ("ui.database_settings", "Database"),
)

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store
NO_END = 0  # the "til år" spin box's special value: still a member


class SettingsDialog(QDialog):
    def __init__(self, store: Store, secretariat_id: int, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.store = store
        self.secretariat_id = secretariat_id
        sec = catalog.secretariat(store, secretariat_id)
        self.setWindowTitle(f"Indstillinger for {sec.name}")
        self.resize(720, 560)

        self.name = QLineEdit(sec.name)
        self.kkr = QComboBox()
        self.kkr.addItems([f"KKR {k}" for k in catalog.kkr_names(store)])
        self.kkr.setCurrentText(f"KKR {sec.kkr}")
        self.host = QComboBox()
        self.host.addItem("(ingen)", None)
        for k in catalog.kommuner(store):
            self.host.addItem(f"{k.code} {k.name}", k.code)
        self.host.setCurrentIndex(max(self.host.findData(sec.host_kommune), 0))
        self.unit = QComboBox()
        for u in SECRETARIAT_UNITS:
            self.unit.addItem(u.label, u.value)
        self.unit.setCurrentIndex(max(self.unit.findData(sec.unit.value), 0))
        self.billing_unit = QComboBox()
        for u in SECRETARIAT_UNITS:
            self.billing_unit.addItem(u.label, u.value)
        self.billing_unit.setCurrentIndex(
            max(self.billing_unit.findData(sec.billing_unit.value), 0))
        self.billing_unit.setToolTip("Hvad opkrævningen afrundes til: bidraget med den "
                                     "endelige PL-sats (oftest øre)")
        self.contact = QLineEdit(sec.contact)
        self.contact.setPlaceholderText("fx Jens Hansen, tlf. 9931 3131, jh@aalborg.dk "
                                        "(tom: værtskommunen)")
        self.contact.setToolTip("Står på brevene til kommunerne og i e-fakturaen")
        general = QWidget()
        form = QFormLayout(general)
        form.addRow("Navn", self.name)
        form.addRow("KKR", self.kkr)
        form.addRow("Værtskommune", self.host)
        form.addRow("Afrunding af budgettets bidrag", self.unit)
        form.addRow("Afrunding ved opkrævning", self.billing_unit)
        form.addRow("Kontakt på opkrævningen", self.contact)

        self.members = QTableWidget(0, 3)
        self.members.setHorizontalHeaderLabels(["Kommune (medlem)", "Fra år", "Til år"])
        self.members.verticalHeader().setVisible(False)
        self.members.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        stored = catalog.members(store, secretariat_id)
        years = [y for n in catalog.navigator_tree(store) if n.secretariat.id == secretariat_id
                 for y in n.years]
        # A kommune ticked here joins from the year the others joined (or the first year).
        self.default_from = (min(m.from_year for m in stored) if stored
                             else min(years) - 1 if years else date.today().year)
        self._fill_members(sec.kkr)
        self.kkr.currentTextChanged.connect(
            lambda text: self._fill_members(text.removeprefix("KKR ")))
        all_button = QPushButton("Markér alle i KKR'et")
        all_button.clicked.connect(lambda: self._check_all(True))
        none_button = QPushButton("Fjern alle markeringer")
        none_button.clicked.connect(lambda: self._check_all(False))
        member_buttons = QHBoxLayout()
        member_buttons.addWidget(all_button)
        member_buttons.addWidget(none_button)
        member_buttons.addStretch(1)
        members_page = QWidget()
        members_layout = QVBoxLayout(members_page)
        members_layout.addWidget(QLabel("Kommunerne, der betaler til sekretariatet. Listen "
                                        "viser KKR'ets kommuner og de nuværende medlemmer."))
        members_layout.addLayout(member_buttons)
        members_layout.addWidget(self.members)

        self.tabs = QTabWidget()
        self.tabs.addTab(general, "Generelt")
        self.tabs.addTab(members_page, "Medlemmer")
        self.sections: list[QWidget] = []
        for module, title in SECTION_PAGES:
            widget = importlib.import_module(f"kkr_desktop.{module}").create_section(
                store, secretariat_id)
            self.sections.append(widget)
            self.tabs.addTab(widget, title)

        buttons = save_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _fill_members(self, kkr: str) -> None:
        """The KKR's kommuner and the stored members; ticks already changed in the dialog
        are kept when the KKR is changed."""
        current = {m.kommunekode: m for m in catalog.members(self.store, self.secretariat_id)}
        ticked = {self.members.item(r, 0).data(Qt.ItemDataRole.UserRole):
                  self.members.item(r, 0).checkState() for r in range(self.members.rowCount())}
        kommuner = [k for k in catalog.kommuner(self.store)
                    if k.kkr == kkr or k.code in current or ticked.get(k.code)
                    == Qt.CheckState.Checked]
        self.kkr_codes = {k.code for k in kommuner if k.kkr == kkr}
        self.members.setRowCount(len(kommuner))
        for row, k in enumerate(kommuner):
            item = QTableWidgetItem(f"{k.code} {k.name}")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(ticked.get(k.code, Qt.CheckState.Checked if k.code in current
                                          else Qt.CheckState.Unchecked))
            item.setData(Qt.ItemDataRole.UserRole, k.code)
            self.members.setItem(row, 0, item)
            m = current.get(k.code)
            start = _year_box(2000)
            start.setValue(m.from_year if m else self.default_from)
            end = _year_box(NO_END)
            end.setSpecialValueText("–")
            end.setValue(m.to_year if m and m.to_year else NO_END)
            self.members.setCellWidget(row, 1, start)
            self.members.setCellWidget(row, 2, end)

    def _check_all(self, on: bool) -> None:
        """Tick every kommune of the chosen KKR (and untick the others), or untick all."""
        for row in range(self.members.rowCount()):
            item = self.members.item(row, 0)
            wanted = on and item.data(Qt.ItemDataRole.UserRole) in self.kkr_codes
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def member_periods(self) -> list[MemberPeriod]:
        out = []
        for row in range(self.members.rowCount()):
            item = self.members.item(row, 0)
            if item.checkState() != Qt.CheckState.Checked:
                continue
            start = self.members.cellWidget(row, 1)
            end = self.members.cellWidget(row, 2)
            assert isinstance(start, QSpinBox) and isinstance(end, QSpinBox)
            out.append(MemberPeriod(item.data(Qt.ItemDataRole.UserRole), start.value(),
                                    end.value() or None))
        return out

    def accept(self) -> None:
        try:
            with self.store.transaction():
                update_settings(self.store, self.secretariat_id, name=self.name.text(),
                                kkr=self.kkr.currentText(), host_kommune=self.host.currentData(),
                                unit=Unit(self.unit.currentData()),
                                members=self.member_periods(),
                                billing_unit=Unit(self.billing_unit.currentData()),
                                contact=self.contact.text())
                for section in self.sections:
                    section.save()  # type: ignore[attr-defined]
        except KkrError as exc:
            errors.show_error(self, exc)
            return
        super().accept()


def _year_box(minimum: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(minimum, 2100)
    box.setGroupSeparatorShown(False)
    return box
