"""«Eksportér til ERP…»: choose the allocation and the profile, see the first rows, the total
and the number of kommuner, and be warned before an allocation is exported a second time.

A stored allocation that no longer matches the statement is shown in a red box, and the
export button stays off until the user ticks «Eksportér den gemte fordeling alligevel»: the
box and the tick are on screen next to the total, so the difference is read before the
click, where a question after the click is easily answered out of habit. Re-saving under
Fordeling and reopening the dialog clears the box. An unapproved statement is only noted.

What stops the export is shown as its first line, with the rest (one line per kommune when
ERP fields are missing, 29 in KKR Hovedstaden) in a short scrollable box, so a long list
cannot push the dialog off the screen; missing fields point to «ERP-oplysninger…».
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.core.erp import STANDARD, booking_period, default_text
from kkr_desktop.core.errors import KkrError
from kkr_desktop.core.money import format_amount
from kkr_desktop.services import catalog, members
from kkr_desktop.services import export as service
from kkr_desktop.ui import errors
from kkr_desktop.ui.widgets import DateEdit

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store

ONE_FILE, PER_KOMMUNE, JOURNAL = 0, 1, 2
PREVIEW_ROWS = 5
STALE_STYLE = ("QLabel { background: #fdecea; border: 1px solid #c0392b; color: #7a1010; "
               "padding: 6px; }")
DRAFT_STYLE = "QLabel { background: #fff4e5; border: 1px solid #e0a040; padding: 6px; }"
DETAIL_LINES = 8  # at most this many lines of details before the box scrolls
FILE_TYPES = (("xlsx", "Excel-projektmappe (.xlsx): CVR, EAN og konto som tekst"),
              ("csv", "CSV-fil i profilens format"))
SAVE_FILTERS = {"csv": "CSV-filer (*.csv);;Alle filer (*)",
                "xlsx": "Excel-projektmappe (*.xlsx);;Alle filer (*)"}
CSV_IN_EXCEL = ("Åbner du en CSV-fil i Excel, viser Excel et EAN-nummer på 13 cifre som "
                "5,8E+12 og gemmer det sådan, så cifrene er tabt; skal filen åbnes i Excel, "
                "så vælg Excel-projektmappe (.xlsx).")


MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december")


class ExportDialog(QDialog):
    def __init__(self, store: Store, secretariat_id: int, year: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.secretariat = catalog.secretariat(store, secretariat_id)
        self.year = year
        self.plan: service.ErpPlan | None = None
        self.setWindowTitle(f"Eksportér til ERP – {self.secretariat.name} {year}")
        self.resize(980, 600)

        self.kind = QComboBox()
        for k in AllocationKind:
            self.kind.addItem(k.label, k.value)
        self.profile = QComboBox()
        profiles_button = QPushButton("Profiler…")
        profiles_button.clicked.connect(self.edit_profiles)
        self.members_button = QPushButton("ERP-oplysninger…")
        self.members_button.setToolTip("Medlemskommunernes CVR-nummer, EAN-nummer og "
                                       "kontostreng")
        self.members_button.clicked.connect(self.edit_members)
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile, 1)
        profile_row.addWidget(profiles_button)
        profile_row.addWidget(self.members_button)
        due = service.default_due(year)
        self.due = DateEdit(due)  # typed as Danes type dates (core/dates.py)
        self.period = QComboBox()  # the booking month in the kommuner's ERP
        self.period.addItem("", None)  # named after the due date's month: _name_period
        for month, name in enumerate(MONTHS, start=1):
            self.period.addItem(f"{month} – {name}", month)
        self.period.setToolTip(f"Den måned i {year}, kommunerne bogfører beløbet i. Som "
                               f"standard forfaldsdatoens måned (januar eller december, hvis "
                               f"forfaldsdatoen ligger før eller efter {year}).")
        self.text = QLineEdit()
        self.text.setPlaceholderText("Tekst på linjerne")
        self.mode = QButtonGroup(self)
        mode_row = QHBoxLayout()
        for i, label in ((ONE_FILE, "Én fil med alle kommuner"),
                         (PER_KOMMUNE, "Én fil pr. kommune (i en mappe)"),
                         (JOURNAL, "Kassekladde til værtskommunens bogføring")):
            button = QRadioButton(label)
            self.mode.addButton(button, i)
            mode_row.addWidget(button)
        self.mode.button(ONE_FILE).setChecked(True)
        self.file_type = QComboBox()
        for value, label in FILE_TYPES:
            self.file_type.addItem(label, value)
        self.file_type.setCurrentIndex(self.file_type.findData("csv"))
        self.excel_note = QLabel(CSV_IN_EXCEL)
        self.excel_note.setWordWrap(True)
        self.excel_note.setStyleSheet("color: #7a4a00;")
        self.file_type.currentIndexChanged.connect(
            lambda: self.excel_note.setVisible(self.file_format() == "csv"))
        form = QFormLayout()
        form.addRow("Fordeling", self.kind)
        form.addRow("Profil", profile_row)
        form.addRow("Forfaldsdato", self.due)
        form.addRow("Periode", self.period)
        form.addRow("Tekst", self.text)
        form.addRow("Filer", mode_row)
        form.addRow("Filtype", self.file_type)
        form.addRow("", self.excel_note)

        self.preview = QTableWidget(0, 0)
        self.preview.verticalHeader().setVisible(False)
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.summary = QLabel()
        self.draft = QLabel()
        self.draft.setWordWrap(True)
        self.draft.setStyleSheet(DRAFT_STYLE)
        self.stale = QLabel()
        self.stale.setWordWrap(True)
        self.stale.setStyleSheet(STALE_STYLE)
        self.force = QCheckBox("Eksportér den gemte fordeling alligevel")
        self.force.toggled.connect(self._update_button)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #a00000;")
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setStyleSheet("QPlainTextEdit { color: #a00000; }")
        self.details.hide()
        self.members_hint = QLabel()
        self.members_hint.setWordWrap(True)
        self.members_hint.setStyleSheet("font-weight: bold;")
        self.members_hint.linkActivated.connect(lambda _link: self.edit_members())
        self.members_hint.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText("Eksportér…")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Luk")
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(f"De første {PREVIEW_ROWS} rækker, som de skrives i filen:"))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.stale)
        layout.addWidget(self.force)
        layout.addWidget(self.draft)
        layout.addWidget(self.warning)
        layout.addWidget(self.details)
        layout.addWidget(self.members_hint)
        layout.addWidget(self.buttons)

        self._fill_profiles(STANDARD)
        stored = service.stored_kinds(store, self.secretariat, year)
        if stored:
            self.kind.setCurrentIndex(self.kind.findData(stored[0].value))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.profile.currentIndexChanged.connect(self.refresh)
        self._name_period()
        self.due.dateChanged.connect(self._name_period)
        self.due.dateChanged.connect(self.refresh)
        self.period.currentIndexChanged.connect(self.refresh)
        self.text.editingFinished.connect(self.refresh)
        self.mode.idToggled.connect(lambda _id, on: on and self.refresh())
        self._kind_changed()

    # --- state ---------------------------------------------------------------------------
    def _fill_profiles(self, select: str) -> None:
        self.profile.blockSignals(True)
        self.profile.clear()
        for p in service.profiles(self.store):
            self.profile.addItem(p.name)
        self.profile.setCurrentText(select)
        self.profile.blockSignals(False)

    def file_format(self) -> str:
        return self.file_type.currentData()

    def _name_period(self) -> None:
        """The default period's label says the month it gives for the due date shown: the
        due date's month, or January/December when the due date lies outside the year."""
        due = self.due.value() or service.default_due(self.year)
        month = MONTHS[booking_period(self.year, due) - 1]
        if due.year == self.year:
            label = f"Forfaldsdatoens måned ({month})"
        else:
            where = "før" if due.year < self.year else "efter"
            label = f"{month.capitalize()} (forfaldsdatoen ligger {where} {self.year})"
        self.period.setItemText(0, label)

    def kind_value(self) -> AllocationKind:
        return AllocationKind(self.kind.currentData())

    def _kind_changed(self) -> None:
        self.text.setText(default_text(self.kind_value(), self.year, self.secretariat.name))
        self.refresh()

    def refresh(self) -> None:
        """Re-plan and show the preview, or say what stops the export."""
        need = ("cvr",) if self.mode.checkedId() == JOURNAL else ("cvr", "ean", "konto")
        try:
            self.plan = service.plan_erp(
                self.store, self.secretariat, self.year, self.kind_value(),
                profile=self.profile.currentText() or None,
                due=self.due.value() or service.default_due(self.year),
                period=self.period.currentData(),
                text=self.text.text(), need=need)
        except KkrError as exc:
            self.plan = None
            self._show_rows([])
            self.summary.setText("")
            self._show_notices(None, None)
            self._show_problem(exc.message, self._members_missing(need))
            self._update_button()
            return
        self._show_rows(self.plan.preview(PREVIEW_ROWS), self.plan.amount_columns)
        self.summary.setText(f"{self.plan.kommuner} kommuner, i alt "
                             f"{format_amount(self.plan.total, decimals=True)} kr.")
        self._show_notices(self.plan.stale, " ".join(
            t for t in (self.plan.draft, self.plan.key) if t) or None)
        self._show_problem(self.plan.warning(self._what()) or "")
        self._update_button()

    def _show_problem(self, message: str, missing: tuple[int, int] = (0, 0)) -> None:
        """The first line of `message` as the headline, the rest in the scrollable box; when
        `missing` = (kommuner without the ERP fields, members) is not (0, _), where to fill
        them in."""
        first, _, rest = message.partition("\n")
        self.warning.setText(first)
        lines = [line.strip() for line in rest.splitlines() if line.strip()]
        self.details.setPlainText("\n".join(lines))
        if lines:
            shown = min(len(lines), DETAIL_LINES)
            margins = self.details.contentsMargins()
            self.details.setFixedHeight(
                shown * self.details.fontMetrics().lineSpacing() + margins.top()
                + margins.bottom() + 2 * self.details.document().documentMargin() + 2)
        self.details.setVisible(bool(lines))
        count, of = missing
        self.members_hint.setText(
            f"{count} af {of} kommuner mangler oplysninger. Udfyld dem med knappen "
            "«ERP-oplysninger…» øverst ved Profil (<a href=\"members\">åbn den</a>); listen "
            "her opdateres, når du gemmer." if count else "")
        self.members_hint.setVisible(bool(count))
        self.members_button.setStyleSheet("font-weight: bold;" if count else "")

    def _members_missing(self, need: tuple[str, ...]) -> tuple[int, int]:
        """(How many of this year's members lack an ERP field in `need`, how many members)."""
        codes = {m.kommunekode for m in catalog.members(self.store, self.secretariat.id,
                                                        self.year)}
        fields = [f for f in members.member_fields(self.store, self.secretariat.id)
                  if f.kommunekode in codes]
        return sum(1 for f in fields if f.problems(need)), len(codes)

    def _show_notices(self, stale: str | None, draft: str | None) -> None:
        if stale != (self.stale.text() or None):
            self.force.setChecked(False)  # a new difference must be confirmed anew
        self.stale.setText(stale or "")
        self.stale.setVisible(bool(stale))
        self.force.setVisible(bool(stale))
        self.draft.setText(draft or "")
        self.draft.setVisible(bool(draft))

    def _update_button(self) -> None:
        self.export_button.setEnabled(
            self.plan is not None and (not self.plan.stale or self.force.isChecked()))

    def _what(self) -> str:
        return "journal" if self.mode.checkedId() == JOURNAL else "erp"

    def _show_rows(self, rows: list[list[str]], amounts: list[int] | None = None) -> None:
        self.preview.clear()
        if not rows:
            self.preview.setRowCount(0)
            self.preview.setColumnCount(0)
            return
        self.preview.setColumnCount(len(rows[0]))
        self.preview.setHorizontalHeaderLabels(rows[0])
        self.preview.setRowCount(len(rows) - 1)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, row in enumerate(rows[1:]):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)
                if c in (amounts or ()):
                    item.setTextAlignment(right)
                self.preview.setItem(r, c, item)
        for c in amounts or ():
            self.preview.horizontalHeaderItem(c).setTextAlignment(right)
        self.preview.resizeColumnsToContents()

    # --- actions -------------------------------------------------------------------------
    def edit_profiles(self) -> None:
        from kkr_desktop.ui.profiles_dialog import open_profiles_dialog

        current = self.profile.currentText()
        open_profiles_dialog(self, self.store, current)
        self._fill_profiles(current)
        self.refresh()

    def edit_members(self) -> None:
        from kkr_desktop.ui.members_erp import open_members_erp_dialog

        if open_members_erp_dialog(self, self.store, self.secretariat.id):
            self.refresh()

    def choose_target(self) -> Path | None:
        """Where to write; a folder for one file per kommune. None when cancelled."""
        assert self.plan is not None
        if self.mode.checkedId() == PER_KOMMUNE:
            folder = QFileDialog.getExistingDirectory(self, "Vælg mappe til filerne")
            return Path(folder) if folder else None
        prefix = "kassekladde_" if self.mode.checkedId() == JOURNAL else ""
        fmt = self.file_format()
        name = prefix + service.file_name(self.plan, fmt=fmt)
        path, _ = QFileDialog.getSaveFileName(self, "Gem ERP-fil", name, SAVE_FILTERS[fmt])
        if not path:
            return None
        target = Path(path)
        return target if target.suffix.lower() in (".csv", ".xlsx") else target.with_name(
            target.name + service.FORMATS[fmt])

    def _format_for(self, target: Path) -> str:
        """The chosen file type; a single file named .csv or .xlsx by the user is that."""
        if self.mode.checkedId() != PER_KOMMUNE and target.suffix.lower() in (".csv", ".xlsx"):
            return target.suffix.lower()[1:]
        return self.file_format()

    def confirm_again(self, warning: str) -> bool:
        answer = QMessageBox.question(
            self, "Allerede eksporteret", warning + "\n\nVil du eksportere den igen?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def export(self) -> None:
        self.refresh()
        if self.plan is None or not self.export_button.isEnabled():
            return
        warning = self.plan.warning(self._what())
        if warning and not self.confirm_again(warning):
            return
        target = self.choose_target()
        if target is None:
            return
        self.export_to(target, again=bool(warning))

    def export_to(self, target: Path, *, again: bool = False) -> service.ExportResult | None:
        assert self.plan is not None
        try:
            force = self.force.isChecked()
            if self.mode.checkedId() == JOURNAL:
                result = service.export_journal(self.store, self.plan, target, again=again,
                                                force=force, fmt=self._format_for(target))
            else:
                result = service.export_erp(self.store, self.plan, target, again=again,
                                            force=force, fmt=self._format_for(target),
                                            per_kommune=self.mode.checkedId() == PER_KOMMUNE)
        except (KkrError, OSError) as exc:
            errors.show_error(self, exc)
            return None
        where = (f"{len(result.files)} filer i {target}" if len(result.files) > 1
                 else str(result.files[0]))
        errors.show_info(self, "Eksporteret",
                         f"{result.rows} kommuner, i alt "
                         f"{format_amount(result.total, decimals=True)} kr., er skrevet til "
                         f"{where}. Eksporten er noteret i loggen.")
        self.refresh()
        return result


def open_export_dialog(parent: QWidget | None, store: Store, secretariat_id: int,
                       year: int) -> None:
    ExportDialog(store, secretariat_id, year, parent).exec()
