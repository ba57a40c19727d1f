"""PL rates: per year pair the expected and the final rate, with their source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.errors import InputError, KkrError
from kkr_desktop.core.money import format_rate, parse_rate
from kkr_desktop.services.rates import all_rates, set_pl_rate
from kkr_desktop.ui import errors
from kkr_desktop.ui.widgets import save_cancel_buttons

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store

HEADERS = ["År (N−1 → N)", "Forventet PL (%)", "Endelig PL (%)", "Kilde"]


class RatesDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("PL-satser")
        self.resize(760, 380)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col in range(3):
            self.table.horizontalHeader().setSectionResizeMode(
                col, QHeaderView.ResizeMode.ResizeToContents)
        self.years: list[int] = []
        for rate in all_rates(store):
            self._add_row(rate.year, format_rate(rate.expected).removesuffix(" %"),
                          format_rate(rate.final).removesuffix(" %"), rate.source)
        add = QPushButton("Tilføj år")
        add.clicked.connect(self.add_year)
        hint = QLabel("Satsen for år N er udviklingen fra N−1 til N. Skriv procent med komma, "
                      "fx 4,8. Den endelige sats bruges til efterregulering.")
        hint.setWordWrap(True)
        buttons = save_cancel_buttons(self)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def _add_row(self, year: int, expected: str, final: str, source: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.years.append(year)
        label = QTableWidgetItem(f"{year - 1} → {year}")
        label.setFlags(label.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, 0, label)
        for col, text in ((1, expected), (2, final), (3, source)):
            self.table.setItem(row, col, QTableWidgetItem(text))

    def add_year(self) -> None:
        year = (max(self.years) + 1) if self.years else 2025
        self._add_row(year, "", "", "")

    def accept(self) -> None:
        try:
            with self.store.transaction():
                for row, year in enumerate(self.years):
                    expected, final, source = (self._text(row, c) for c in (1, 2, 3))
                    if not (expected or final):
                        continue
                    set_pl_rate(self.store, year,
                                expected=_rate(expected, year, "forventede"),
                                final=_rate(final, year, "endelige"), source=source)
        except KkrError as exc:
            errors.show_error(self, exc)
            return
        super().accept()

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item else ""


def _rate(text: str, year: int, label: str):
    if not text:
        return None
    try:
        return parse_rate(text)
    except InputError as exc:
        raise InputError(f"Den {label} sats for {year - 1}→{year}: {exc.message}") from exc
