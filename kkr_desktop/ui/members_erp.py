"""CVR, EAN and account string per member kommune, and the accounts of the host's journal.

A kommune's values are typed once and shared by every secretariat in the database; a row
ticked «Kun dette sekretariat» keeps values of this secretariat's own instead.

The same widget is a page of the secretariat settings (`create_section`, saved with the
rest of the dialog) and a dialog of its own (`open_members_erp_dialog`). Values are checked
while they are typed: a malformed CVR or EAN turns red and says why.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.erp import MemberErp
from kkr_desktop.core.errors import KkrError
from kkr_desktop.core.ids import cvr_problem, ean_problem
from kkr_desktop.services import catalog
from kkr_desktop.services import members as service
from kkr_desktop.ui import errors
from kkr_desktop.ui.widgets import save_cancel_buttons

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store

HEADERS = ["Kommune", "CVR-nummer", "EAN-nummer (GLN)", "Kontostreng",
           "Kun dette sekretariat"]
CVR, EAN, ACCOUNT, OWN = 1, 2, 3, 4
OWN_TIP = ("Uden flueben gælder oplysningerne kommunen i alle sekretariater i databasen. "
           "Med flueben bruges de kun her, og de fælles oplysninger røres ikke.")
BAD = QColor("#f8d0d0")


class MembersErpWidget(QWidget):
    def __init__(self, store: Store, secretariat_id: int, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.store = store
        self.secretariat_id = secretariat_id
        self.fields = service.member_fields(store, secretariat_id)
        self.table = QTableWidget(len(self.fields), len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(ACCOUNT, QHeaderView.ResizeMode.Stretch)
        self._fill(self.fields)
        self.table.itemChanged.connect(self._check)

        receivable, income = service.journal_accounts(store, secretariat_id)
        self.receivable = QLineEdit(receivable)
        self.income = QLineEdit(income)
        accounts = QFormLayout()
        accounts.addRow("Debitorkonto (værtskommunens kassekladde)", self.receivable)
        accounts.addRow("Indtægtskonto (værtskommunens kassekladde)", self.income)

        self.load_button = QPushButton("Indlæs fra fil…")
        self.load_button.setToolTip("CSV med kolonnerne kommunekode;cvr;ean;konto")
        self.load_button.clicked.connect(self.choose_file)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.load_button)
        row.addStretch()
        layout = QVBoxLayout(self)
        intro = QLabel("CVR- og EAN-nummer og kommunens egen kontostreng bruges, når en "
                       "fordeling eksporteres til kommunernes ERP-systemer. De gælder "
                       "kommunen i alle sekretariater i databasen, så de skal kun skrives "
                       "én gang; sæt flueben i «Kun dette sekretariat» for at bruge andre "
                       "oplysninger her.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addLayout(accounts)
        layout.addWidget(self.status)
        self._update_status()

    def _fill(self, fields: list[MemberErp]) -> None:
        self.table.blockSignals(True)
        by_code = {m.kommunekode: m for m in fields}
        for r, member in enumerate(self.fields):
            m = by_code.get(member.kommunekode, member)
            name = QTableWidgetItem(f"{m.kommunekode} {m.kommune}")
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            name.setData(Qt.ItemDataRole.UserRole, m.kommunekode)
            self.table.setItem(r, 0, name)
            for c, value in ((CVR, m.cvr), (EAN, m.ean), (ACCOUNT, m.konto)):
                item = QTableWidgetItem(value)
                self.table.setItem(r, c, item)
                self._mark(item)
            own = QTableWidgetItem()
            own.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            own.setCheckState(Qt.CheckState.Checked if m.own else Qt.CheckState.Unchecked)
            own.setToolTip(OWN_TIP)
            self.table.setItem(r, OWN, own)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()

    def _check(self, item: QTableWidgetItem) -> None:
        self._mark(item)
        self._update_status()

    def _mark(self, item: QTableWidgetItem) -> None:
        text = item.text().strip()
        problem = None
        if text and item.column() == CVR:
            problem = cvr_problem(text)
        elif text and item.column() == EAN:
            problem = ean_problem(text)
        item.setBackground(QBrush(BAD) if problem else QBrush())
        item.setToolTip(problem or "")

    def values(self) -> list[MemberErp]:
        out = []
        for r, m in enumerate(self.fields):
            out.append(replace(m, cvr=self.table.item(r, CVR).text(),
                               ean=self.table.item(r, EAN).text(),
                               konto=self.table.item(r, ACCOUNT).text(),
                               own=self.table.item(r, OWN).checkState()
                               == Qt.CheckState.Checked))
        return out

    def _update_status(self) -> None:
        if not hasattr(self, "status"):
            return
        missing = service.incomplete(self.values())
        if missing:
            self.status.setText("Mangler før eksport:\n" + "\n".join(missing[:6])
                                + (f"\n… og {len(missing) - 6} mere" if len(missing) > 6 else ""))
        else:
            self.status.setText("Alle medlemskommuner har CVR, EAN og kontostreng.")

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Indlæs ERP-oplysninger", "",
                                              "CSV-filer (*.csv *.txt);;Alle filer (*)")
        if path:
            self.load_file(path)

    def load_file(self, path: str) -> bool:
        """Fill the table from a file; nothing is stored before Gem."""
        try:
            rows = service.read_members_file(self.store, self.secretariat_id, path)
        except KkrError as exc:
            errors.show_error(self, exc)
            return False
        self._fill(rows)
        self._update_status()
        return True

    def save(self) -> None:
        # In the settings dialog the member list may have changed on another page, saved
        # just before this one: a kommune that left keeps its fields but is not saved here.
        current = {m.kommunekode for m in catalog.members(self.store, self.secretariat_id)}
        with self.store.transaction():
            service.set_member_fields(self.store, self.secretariat_id,
                                      [m for m in self.values() if m.kommunekode in current])
            service.set_journal_accounts(self.store, self.secretariat_id,
                                         self.receivable.text(), self.income.text())


def create_section(store: Store, secretariat_id: int) -> QWidget:
    """The page «ERP-oplysninger» of the secretariat settings."""
    return MembersErpWidget(store, secretariat_id)


class MembersErpDialog(QDialog):
    def __init__(self, store: Store, secretariat_id: int, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle("ERP-oplysninger for medlemskommunerne")
        self.resize(820, 560)
        self.widget = MembersErpWidget(store, secretariat_id)
        buttons = save_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.widget)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            self.widget.save()
        except KkrError as exc:
            errors.show_error(self, exc)
            return
        super().accept()


def open_members_erp_dialog(parent: QWidget | None, store: Store, secretariat_id: int) -> bool:
    """True when the user saved."""
    return MembersErpDialog(store, secretariat_id, parent).exec() == QDialog.DialogCode.Accepted
