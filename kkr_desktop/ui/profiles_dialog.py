"""Export profiles: copy one, then choose its columns, their order and headers, the separator,
decimal sign, date format, encoding and line ends. The shipped profile is read-only."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.erp import DATE_FORMATS, ENCODINGS, FIELDS, LINE_ENDS, ExportProfile
from kkr_desktop.core.errors import KkrError
from kkr_desktop.services import export as service
from kkr_desktop.ui import errors

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store

SEPARATORS = {";": "Semikolon (;)", ",": "Komma (,)", "\t": "Tabulator", "|": "Lodret streg (|)"}
DECIMALS = {",": "Komma (1234,56)", ".": "Punktum (1234.56)"}


def _combo(options: dict[str, str]) -> QComboBox:
    box = QComboBox()
    for value, label in options.items():
        box.addItem(label, value)
    return box


def _select(box: QComboBox, value: str) -> None:
    i = box.findData(value)
    if i < 0:
        box.addItem(value, value)
        i = box.count() - 1
    box.setCurrentIndex(i)


class ProfilesDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None,
                 select: str | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Eksportprofiler")
        self.resize(860, 560)
        self.profiles: list[ExportProfile] = []
        self.current: ExportProfile | None = None

        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._show)
        copy = QPushButton("Kopiér…")
        copy.clicked.connect(self.ask_copy)
        self.delete_button = QPushButton("Slet")
        self.delete_button.clicked.connect(self.delete)
        left = QVBoxLayout()
        left.addWidget(self.list)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(copy)
        buttons_row.addWidget(self.delete_button)
        left.addLayout(buttons_row)

        self.note = QLabel()
        self.note.setWordWrap(True)
        self.name = QLineEdit()
        self.separator = _combo(SEPARATORS)
        self.decimal = _combo(DECIMALS)
        self.date_format = QComboBox()
        self.date_format.setEditable(True)
        self.date_format.addItems(DATE_FORMATS)
        self.encoding = _combo(ENCODINGS)
        self.line_end = _combo(LINE_ENDS)
        self.quote_text = QCheckBox("Sæt tekstfelter (CVR, EAN, konto, tekst …) i "
                                    "anførselstegn \"…\"")
        self.quote_text.setToolTip("Nogle ERP-systemer læser kun et nummer som tekst, når "
                                   "det står i anførselstegn. Excel ser bort fra dem.")
        form = QFormLayout()
        form.addRow("Navn", self.name)
        form.addRow("Skilletegn", self.separator)
        form.addRow("Decimaltegn", self.decimal)
        form.addRow("Datoformat", self.date_format)
        form.addRow("Tegnsæt", self.encoding)
        form.addRow("Linjeskift", self.line_end)
        form.addRow("Anførselstegn", self.quote_text)

        self.columns = QTableWidget(0, 2)
        self.columns.setHorizontalHeaderLabels(["Felt (med i filen)", "Overskrift i filen"])
        self.columns.verticalHeader().setVisible(False)
        self.columns.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        up, down = QPushButton("Flyt op"), QPushButton("Flyt ned")
        up.clicked.connect(lambda: self.move(-1))
        down.clicked.connect(lambda: self.move(1))
        self.save_button = QPushButton("Gem profil")
        self.save_button.clicked.connect(self.save)
        moves = QHBoxLayout()
        moves.addWidget(up)
        moves.addWidget(down)
        moves.addStretch()
        moves.addWidget(self.save_button)

        self.editor = QWidget()
        right = QVBoxLayout(self.editor)
        right.addLayout(form)
        right.addWidget(self.columns)
        right.addLayout(moves)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        side = QVBoxLayout()
        side.addWidget(self.note)
        side.addWidget(self.editor)
        body.addLayout(side, 3)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Luk")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)
        self.reload(select)

    def reload(self, select: str | None = None) -> None:
        self.profiles = service.profiles(self.store)
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems([p.name for p in self.profiles])
        self.list.blockSignals(False)
        names = [p.name for p in self.profiles]
        self.list.setCurrentRow(names.index(select) if select in names else 0)
        self._show(self.list.currentRow())

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.profiles):
            return
        p = self.current = self.profiles[row]
        self.note.setText("Profilen følger med programmet og kan ikke rettes. Kopiér den for "
                          "at lave din egen." if p.builtin else "")
        self.editor.setEnabled(not p.builtin)
        self.delete_button.setEnabled(not p.builtin)
        self.name.setText(p.name)
        _select(self.separator, p.separator)
        _select(self.decimal, p.decimal_separator)
        self.date_format.setCurrentText(p.date_format)
        _select(self.encoding, p.encoding)
        _select(self.line_end, p.line_end)
        self.quote_text.setChecked(p.quote_text)
        chosen = dict(p.columns)
        order = [f for f, _ in p.columns] + [f for f in FIELDS if f not in chosen]
        self.columns.setRowCount(len(order))
        for r, field in enumerate(order):
            self._set_row(r, field, chosen.get(field, field), field in chosen)

    def _set_row(self, r: int, field: str, header: str, included: bool) -> None:
        item = QTableWidgetItem(f"{field} – {FIELDS[field]}")
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                      | Qt.ItemFlag.ItemIsSelectable)
        item.setCheckState(Qt.CheckState.Checked if included else Qt.CheckState.Unchecked)
        item.setData(Qt.ItemDataRole.UserRole, field)
        self.columns.setItem(r, 0, item)
        self.columns.setItem(r, 1, QTableWidgetItem(header))

    def _row(self, r: int) -> tuple[str, str, bool]:
        item = self.columns.item(r, 0)
        return (item.data(Qt.ItemDataRole.UserRole), self.columns.item(r, 1).text(),
                item.checkState() == Qt.CheckState.Checked)

    def move(self, step: int) -> None:
        r = self.columns.currentRow()
        other = r + step
        if r < 0 or not 0 <= other < self.columns.rowCount():
            return
        a, b = self._row(r), self._row(other)
        self._set_row(r, *b)
        self._set_row(other, *a)
        self.columns.setCurrentCell(other, 0)

    def edited(self) -> ExportProfile:
        assert self.current is not None
        rows = [self._row(r) for r in range(self.columns.rowCount())]
        return replace(self.current, name=self.name.text().strip(),
                       columns=tuple((f, h.strip()) for f, h, on in rows if on),
                       separator=self.separator.currentData(),
                       decimal_separator=self.decimal.currentData(),
                       date_format=self.date_format.currentText().strip(),
                       encoding=self.encoding.currentData(),
                       line_end=self.line_end.currentData(),
                       quote_text=self.quote_text.isChecked())

    def save(self) -> bool:
        try:
            profile = self.edited()
            service.save_profile(self.store, profile)
        except KkrError as exc:
            errors.show_error(self, exc)
            return False
        self.reload(profile.name)
        return True

    def ask_copy(self) -> None:
        if self.current is None:
            return
        name, ok = QInputDialog.getText(self, "Kopiér profil", "Navn på kopien:",
                                        text=f"{self.current.name} (kopi)")
        if ok:
            self.copy(name)

    def copy(self, name: str) -> bool:
        assert self.current is not None
        try:
            new = service.copy_profile(self.store, self.current.name, name)
        except KkrError as exc:
            errors.show_error(self, exc)
            return False
        self.reload(new.name)
        return True

    def delete(self) -> None:
        if self.current is None:
            return
        try:
            service.delete_profile(self.store, self.current)
        except KkrError as exc:
            errors.show_error(self, exc)
            return
        self.reload()


def open_profiles_dialog(parent: QWidget | None, store: Store, select: str | None = None
                         ) -> None:
    ProfilesDialog(store, parent, select).exec()
