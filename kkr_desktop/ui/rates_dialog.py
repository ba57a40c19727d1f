"""PL rates: per year pair the expected and the final rate, with their source.

A year is added by choosing it (the one after the newest is offered), and a year that has
not been saved yet can be removed again. Saving stores only the rows that were changed, so
«Ændret» keeps saying when a rate was really last changed, and a new row left empty is not
stored at all.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.errors import InputError, KkrError
from kkr_desktop.core.indexation import PLRate
from kkr_desktop.core.money import format_rate, parse_rate
from kkr_desktop.services.rates import all_rates, changed_on, set_pl_rate, suggested_year
from kkr_desktop.ui import errors
from kkr_desktop.ui.widgets import save_cancel_buttons

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store

HEADERS = ["År (N−1 → N)", "Forventet PL (%)", "Endelig PL (%)", "Kilde", "Ændret"]
YEAR, EXPECTED, FINAL, SOURCE, CHANGED = range(len(HEADERS))
_YEAR_ROLE = Qt.ItemDataRole.UserRole


def _rate_text(rate: Decimal | None) -> str:
    return format_rate(rate).removesuffix(" %")


class RatesDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("PL-satser")
        self.resize(820, 400)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        for col in range(len(HEADERS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SOURCE, QHeaderView.ResizeMode.Stretch)
        self.saved: dict[int, PLRate] = {rate.year: rate for rate in all_rates(store)}
        changed = changed_on(store)
        for rate in self.saved.values():
            day = changed.get(rate.year)
            self._add_row(rate.year, _rate_text(rate.expected), _rate_text(rate.final),
                          rate.source, f"{day:%d.%m.%Y}" if day else "")

        self.new_year = QSpinBox()
        self.new_year.setRange(2000, 2100)
        self.new_year.setToolTip("Året N for den nye sats (udviklingen fra N−1 til N)")
        self.new_year.valueChanged.connect(self._update_buttons)
        self.add_button = QPushButton("Tilføj år")
        self.add_button.clicked.connect(lambda: self.add_year())
        self.remove_button = QPushButton("Fjern år")
        self.remove_button.clicked.connect(self.remove_year)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        hint = QLabel("Satsen for år N er udviklingen fra N−1 til N. Skriv procent med komma, "
                      "fx 4,8. Den endelige sats bruges til efterregulering.")
        hint.setWordWrap(True)
        buttons = save_cancel_buttons(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Nyt år N:"))
        row.addWidget(self.new_year)
        row.addWidget(self.add_button)
        row.addSpacing(16)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self._offer_next_year()

    # --- rows ----------------------------------------------------------------------------
    @property
    def years(self) -> list[int]:
        """The years of the rows, top to bottom."""
        return [self.table.item(r, YEAR).data(_YEAR_ROLE) for r in range(self.table.rowCount())]

    def _add_row(self, year: int, expected: str, final: str, source: str,
                 changed: str) -> int:
        row = sum(1 for y in self.years if y < year)  # rows stay in year order
        self.table.insertRow(row)
        label = QTableWidgetItem(f"{year - 1} → {year}")
        label.setData(_YEAR_ROLE, year)
        for col, text in ((YEAR, label), (EXPECTED, expected), (FINAL, final),
                          (SOURCE, source), (CHANGED, changed)):
            item = text if isinstance(text, QTableWidgetItem) else QTableWidgetItem(text)
            if col in (YEAR, CHANGED):
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, col, item)
        return row

    def _offer_next_year(self) -> None:
        self.new_year.setValue(suggested_year(self.years))
        self._update_buttons()

    def _update_buttons(self) -> None:
        year = self.new_year.value()
        taken = year in self.years
        self.add_button.setEnabled(not taken)
        self.add_button.setToolTip(f"{year - 1} → {year} findes allerede i tabellen." if taken
                                   else f"Tilføj en række for {year - 1} → {year}.")
        current = self.current_year()
        removable = current is not None and current not in self.saved
        self.remove_button.setEnabled(removable)
        self.remove_button.setToolTip(
            "Vælg et år, der ikke er gemt endnu." if current is None else
            f"Fjern {current - 1} → {current}; det er ikke gemt endnu." if removable else
            f"{current - 1} → {current} er gemt og kan være brugt til et budget; ret satsen "
            "i stedet for at fjerne den.")

    def current_year(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.years[rows[0].row()] if rows else None

    def add_year(self, year: int | None = None) -> None:
        """A row for `year` (default: the year chosen next to the button), ready to type in."""
        year = year or self.new_year.value()
        if year in self.years:
            return
        row = self._add_row(year, "", "", "", "ikke gemt")
        self.table.selectRow(row)
        self.table.setCurrentCell(row, EXPECTED)
        self.table.editItem(self.table.item(row, EXPECTED))
        self._offer_next_year()

    def remove_year(self) -> None:
        """Remove the selected row; only a year not saved yet can go."""
        year = self.current_year()
        if year is None or year in self.saved:
            return
        self.table.removeRow(self.years.index(year))
        self._offer_next_year()

    # --- saving --------------------------------------------------------------------------
    def accept(self) -> None:
        try:
            with self.store.transaction():
                for row, year in enumerate(self.years):
                    self._save_row(row, year)
        except KkrError as exc:
            errors.show_error(self, exc)
            return
        super().accept()

    def _save_row(self, row: int, year: int) -> None:
        expected, final, source = (self._text(row, c) for c in (EXPECTED, FINAL, SOURCE))
        old = self.saved.get(year)
        pair = f"{year - 1}→{year}"
        if old is None and not (expected or final):
            if source:
                raise InputError(f"Skriv en sats for {pair}, eller fjern året.")
            return  # an empty new row: nothing to store
        new = PLRate(year, _rate(expected, pair, "forventede"), _rate(final, pair, "endelige"),
                     source)
        if old is not None:
            for label, was, now in (("forventede", old.expected, new.expected),
                                    ("endelige", old.final, new.final)):
                if was is not None and now is None:
                    raise InputError(f"Den {label} sats for {pair} er gemt og kan ikke "
                                     "fjernes, kun rettes.")
            if new == old:
                return  # unchanged: keep its date
        set_pl_rate(self.store, year, expected=new.expected, final=new.final, source=source)

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item else ""


def _rate(text: str, pair: str, label: str) -> Decimal | None:
    if not text:
        return None
    try:
        return parse_rate(text)
    except InputError as exc:
        raise InputError(f"Den {label} sats for {pair}: {exc.message}") from exc
