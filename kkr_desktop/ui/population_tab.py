"""The tab "Folketal": population figures per quarter, DST import and hand edits."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core import money
from kkr_desktop.core.errors import KkrError
from kkr_desktop.core.money import format_count
from kkr_desktop.core.quarter import parse_quarter, quarter_label
from kkr_desktop.services import catalog, concurrency
from kkr_desktop.services import population as service
from kkr_desktop.ui import errors
from kkr_desktop.ui.commands import EditContext, SetPopulationCommand
from kkr_desktop.ui.worker import Background

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ["Kommune", "Folketal", "Kilde", "Indlæst"]


def parse_count(text: str) -> int:
    """A population figure as typed: ``58.210``, ``58 210`` or ``58210`` (core's parser:
    it counts the digits before int() and refuses more than one kommune can hold)."""
    return money.parse_count(text)


def _day(iso: str) -> str:
    """An ISO timestamp as a Danish date: ``23.11.2026``."""
    return f"{datetime.fromisoformat(iso):%d.%m.%Y}"


def _quarters_text(quarters: list[str]) -> str:
    """``1. kvt. 2025 og 1. kvt. 2026``, as the quarters are shown on screen."""
    labels = [quarter_label(q) for q in quarters]
    return " og ".join(filter(None, [", ".join(labels[:-1]), *labels[-1:]]))


class PopulationModel(QAbstractTableModel):
    rejected = Signal(str)
    saved = Signal(str)

    def __init__(self, ctx: EditContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store: Store = ctx.store
        self.secretariat_id: int | None = None  # whose statement the window shows
        self.quarter: str | None = None
        self.rows: list[tuple[int, str]] = []
        self.figures: dict = {}
        self.frozen: dict[int, str] = {}  # kommunekode -> why an approval keeps the figure
        self.seen: int | None = None  # the newest audit row when the figures were read

    def load(self, quarter: str | None, kommuner: list[tuple[int, str]]) -> None:
        self.beginResetModel()
        self.quarter = quarter
        self.seen = concurrency.latest_change(self.store)  # asked before the figures are read
        self.figures = catalog.population_figures(self.store, quarter) if quarter else {}
        self.frozen = service.frozen_figures(self.store, quarter) if quarter else {}
        self.rows = kommuner or sorted(
            (code, name) for code, name in ((k.code, k.name) for k in catalog.kommuner(
                self.store)) if code in self.figures)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.rows else len(self.rows) + 1

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if section == 1 and self.quarter:
                return f"Folketal {quarter_label(self.quarter)}"
            return HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if (index.column() == 1 and index.row() < len(self.rows) and self.quarter
                and not self.store.read_only and self.rows[index.row()][0] not in self.frozen):
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        col, row = index.column(), index.row()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if row == len(self.rows):
                known = [self.figures[c].value for c, _ in self.rows if c in self.figures]
                return ["I alt", format_count(sum(known)), "", ""][col]
            code, name = self.rows[row]
            fig = self.figures.get(code)
            if col == 0:
                return f"{code} {name}"
            if fig is None:
                return "mangler" if col == 1 else ""
            return [None, format_count(fig.value), fig.source, _day(fig.imported_at)][col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 1 and row < len(self.rows):
            return self.frozen.get(self.rows[row][0])
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row == len(self.rows):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != 1 or not self.quarter:
            return False
        code, name = self.rows[index.row()]
        if code in self.frozen:
            self.rejected.emit(self.frozen[code])
            return False
        try:
            figure = parse_count(str(value))
        except KkrError as exc:
            self.rejected.emit(exc.message)
            return False
        old = self.figures.get(code)
        if old is not None and old.value == figure:
            return False  # nothing changed: no undo step, no new source
        command = SetPopulationCommand(
            self.ctx, self.secretariat_id,
            f"Ret folketal for {name} ({quarter_label(self.quarter)})", code, self.quarter,
            figure, seen=self.seen)
        if not self.ctx.push(command):
            self.load(self.quarter, self.rows)  # another officer's figure, now shown
            return False
        self.load(self.quarter, self.rows)
        self.saved.emit(f"Folketallet for {name} pr. {quarter_label(self.quarter)} er rettet "
                        f"til {format_count(figure)} (gemt i ændringsloggen).")
        return True


class PopulationTab(QWidget):
    status = Signal(str)
    changed = Signal()

    def __init__(self, ctx: EditContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = ctx.store
        self.secretariat_id: int | None = None
        self.year: int | None = None
        self.background: Background | None = None
        self.quarter = QComboBox()
        # Quarters usually arrive after the tab was first shown (an import): follow them.
        self.quarter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.quarter.setMinimumContentsLength(len(quarter_label("2000K1")))
        self.quarter.currentIndexChanged.connect(self._load)
        self.import_button = QPushButton("Indlæs FOLK1A-fil…")
        self.import_button.clicked.connect(self.choose_file)
        self.import_button.setEnabled(not self.store.read_only)
        self.add_quarter_button = QPushButton("Nyt kvartal…")
        self.add_quarter_button.setToolTip("Tilføj et kvartal og skriv folketallene i hånden")
        self.add_quarter_button.clicked.connect(self.add_quarter)
        self.add_quarter_button.setEnabled(not self.store.read_only)
        self.extra_quarters: set[str] = set()  # added here, no figure typed yet
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color:#b00020; font-weight:bold;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        hint = QLabel("Hent tabellen FOLK1A (folketal pr. kommune og kvartal) som CSV fra "
                      "Danmarks Statistik, og indlæs filen her eller træk den ind på vinduet. "
                      "Dobbeltklik et folketal for at rette det; Ctrl+Z fortryder rettelsen.")
        hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Kvartal"))
        top.addWidget(self.quarter)
        top.addStretch(1)
        top.addWidget(self.add_quarter_button)
        top.addWidget(self.import_button)
        self.model = PopulationModel(ctx, self)
        self.model.rejected.connect(self._rejected)
        self.model.saved.connect(self._saved)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)

    def show_selection(self, secretariat_id: int | None, year: int | None) -> None:
        self.secretariat_id, self.year = secretariat_id, year
        self.model.secretariat_id = secretariat_id
        self._fill_quarters()

    def _fill_quarters(self, prefer: str | None = None) -> None:
        current = prefer or self.quarter.currentData()
        self.quarter.blockSignals(True)
        self.quarter.clear()
        for q in sorted(set(catalog.quarters(self.store)) | self.extra_quarters, reverse=True):
            self.quarter.addItem(quarter_label(q), q)
        i = self.quarter.findData(current)
        self.quarter.setCurrentIndex(max(i, 0))
        self.quarter.blockSignals(False)
        self._load()

    def _load(self) -> None:
        members = []
        if self.secretariat_id is not None:
            members = [(m.kommunekode, m.kommune) for m in
                       catalog.members(self.store, self.secretariat_id, self.year)]
        self.model.load(self.quarter.currentData(), members)

    def _rejected(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.status.emit("Ikke gemt: " + message)

    def _saved(self, message: str) -> None:
        self.error_label.hide()
        self.status.emit(message)
        self.changed.emit()

    def add_quarter(self) -> None:
        """A quarter without figures, to type them by hand (each is saved as it is typed)."""
        text, ok = QInputDialog.getText(self, "Nyt kvartal",
                                        "Kvartal, fx 2024K1 (folketal pr. 1. januar 2024):")
        if not ok or not text.strip():
            return
        try:
            quarter = parse_quarter(text)
        except KkrError as exc:
            self._rejected(exc.message)
            return
        self.error_label.hide()
        self.extra_quarters.add(quarter)
        self._fill_quarters(prefer=quarter)
        self.status.emit(f"Kvartalet {quarter_label(quarter)} er tilføjet. Dobbeltklik et "
                         "folketal for at skrive det.")

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Indlæs folketal (FOLK1A)", "", "CSV-filer (*.csv *.txt);;Alle filer (*)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Import in the background; a bad file is reported and nothing is imported."""
        self.error_label.hide()
        self.background = Background(self, f"Indlæser {path.name} …",
                                     lambda: service.import_population(self.store, path),
                                     self._imported, self._import_failed)

    def _imported(self, result) -> None:
        # The import replaced figures that hand edits on the undo stack refer to.
        self.model.ctx.stack.clear()
        self._fill_quarters(prefer=result.quarters[-1] if result.quarters else None)
        self.status.emit(f"Indlæst {result.source}: {result.kommuner} kommuner pr. "
                         f"{_quarters_text(result.quarters)}; {result.added} nye og "
                         f"{result.changed} ændrede tal.")
        self.changed.emit()

    def _import_failed(self, exc: BaseException) -> None:
        self.error_label.setText(errors.message_for(exc))
        self.error_label.show()
        self.status.emit("Intet er indlæst.")
        errors.show_error(self, exc)
