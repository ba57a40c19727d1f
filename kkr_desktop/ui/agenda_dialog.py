"""Filer → Dagsordenspunkt…: put several secretariats' statements of the KKR and year in one
agenda item, type its sagsfremstilling and indstilling, print it (a draft says KLADDE) and
approve them all in one act, through services.agenda."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.agenda import AgendaText, default_title
from kkr_desktop.core.approval import ApprovalFacts, format_date, parse_signatory
from kkr_desktop.core.errors import KkrError
from kkr_desktop.services import agenda, catalog
from kkr_desktop.services import approval as approval_service
from kkr_desktop.ui import errors
from kkr_desktop.ui.approval import ask
from kkr_desktop.ui.widgets import DateEdit

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store


class AgendaDialog(QDialog):
    def __init__(self, store: Store, secretariat_id: int, year: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.year = store, year
        first = catalog.secretariat(store, secretariat_id)
        self.kkr = first.kkr
        self.agenda_id: int | None = None
        self.setWindowTitle(f"Dagsordenspunkt – KKR {self.kkr}, regnskab {year - 1} og "
                            f"budget {year}")
        self.resize(760, 720)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Punkt:"))
        self.items = QComboBox()
        top.addWidget(self.items, 1)
        layout.addLayout(top)
        self.state = QLabel()
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        layout.addWidget(QLabel("Sekretariater på punktet:"))
        self.secretariats = QListWidget()
        self.secretariats.setMaximumHeight(110)
        for s in catalog.all_secretariats(store):
            if s.kkr_id == first.kkr_id:
                item = QListWidgetItem(s.name)
                item.setData(Qt.ItemDataRole.UserRole, s.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
                self.secretariats.addItem(item)
        layout.addWidget(self.secretariats)
        form = QFormLayout()
        self.title_edit = QLineEdit(default_title(year))
        self.case_edit = QLineEdit()
        self.case_edit.setPlaceholderText("fx 2.4")
        form.addRow("Overskrift:", self.title_edit)
        form.addRow("Punkt nr.:", self.case_edit)
        self.sagsfremstilling = QPlainTextEdit()
        self.indstilling = QPlainTextEdit()
        self.indstilling.setMaximumHeight(90)
        form.addRow("Sagsfremstilling:", self.sagsfremstilling)
        form.addRow("Indstilling:", self.indstilling)
        body, people = approval_service.suggested_facts(store, secretariat_id)
        self.body_edit = QLineEdit(body)
        self.date_edit = DateEdit()
        self.signatories = QPlainTextEdit("\n".join(
            f"{p.name}, {p.title}" if p.title else p.name for p in people))
        self.signatories.setPlaceholderText("Én underskriver pr. linje: Navn, Titel")
        self.signatories.setMaximumHeight(60)
        form.addRow("Godkendt af (organ):", self.body_edit)
        form.addRow("Mødedato:", self.date_edit)
        form.addRow("Underskrivere:", self.signatories)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Gem")
        self.save_button.clicked.connect(lambda: self.save() and None)
        self.pdf_button = QPushButton("Gem som PDF…")
        self.pdf_button.clicked.connect(self.choose_pdf)
        self.approve_button = QPushButton("Godkend alle…")
        self.approve_button.clicked.connect(self.approve)
        close = QPushButton("Luk")
        close.clicked.connect(self.accept)
        for b in (self.save_button, self.pdf_button, self.approve_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.items.addItem("Nyt dagsordenspunkt", None)
        for item in agenda.list_items(store, self.kkr, year):
            self.items.addItem(f"{item.text.case} {item.text.title}", item.id)
        self.items.currentIndexChanged.connect(lambda _i: self.load(self.items.currentData()))
        if self.items.count() > 1:
            self.items.setCurrentIndex(self.items.count() - 1)
        else:
            self.load(None)

    # --- what is shown --------------------------------------------------------------------
    def load(self, agenda_id: int | None) -> None:
        self.agenda_id = agenda_id
        act = None
        if agenda_id is not None:
            item = agenda.get_item(self.store, agenda_id)
            act = agenda.item_approval(self.store, agenda_id)
            self.title_edit.setText(item.text.title)
            self.case_edit.setText(item.text.case)
            self.sagsfremstilling.setPlainText(item.text.sagsfremstilling)
            self.indstilling.setPlainText(item.text.indstilling)
            for row in range(self.secretariats.count()):
                w = self.secretariats.item(row)
                held = w.data(Qt.ItemDataRole.UserRole) in item.secretariat_ids
                w.setCheckState(Qt.CheckState.Checked if held else Qt.CheckState.Unchecked)
        self.state.setText(
            "Ikke gemt endnu." if agenda_id is None else "Kladde: kan rettes." if act is None
            else f"Godkendt af {act.body} den {format_date(act.meeting_date)} (Dokument-id "
                 f"{act.document_id}); punktet kan ikke rettes.")
        editable = act is None
        for w in (self.secretariats, self.title_edit, self.case_edit, self.sagsfremstilling,
                  self.indstilling, self.body_edit, self.date_edit, self.signatories,
                  self.save_button, self.approve_button):
            w.setEnabled(editable)

    def chosen(self) -> list[int]:
        return [self.secretariats.item(r).data(Qt.ItemDataRole.UserRole)
                for r in range(self.secretariats.count())
                if self.secretariats.item(r).checkState() == Qt.CheckState.Checked]

    def text(self) -> AgendaText:
        return AgendaText(self.title_edit.text(), self.case_edit.text(),
                          self.sagsfremstilling.toPlainText(), self.indstilling.toPlainText())

    # --- actions --------------------------------------------------------------------------
    def save(self) -> int | None:
        """Create or update the item from the fields; its id, or None (the error shown)."""
        try:
            if not self.chosen():
                raise KkrError("Vælg mindst ét sekretariat til dagsordenspunktet.")
            if self.agenda_id is None:
                agenda_id = agenda.create_item(self.store, kkr=self.kkr, year=self.year,
                                               text=self.text(),
                                               secretariat_ids=self.chosen())
                self.items.blockSignals(True)
                self.items.addItem(f"{self.case_edit.text()} {self.title_edit.text()}",
                                   agenda_id)
                self.items.setCurrentIndex(self.items.count() - 1)
                self.items.blockSignals(False)
            else:
                agenda_id = self.agenda_id
                agenda.edit_item(self.store, agenda_id, text=self.text(),
                                 secretariat_ids=self.chosen())
        except Exception as exc:  # shown, never lost
            errors.show_error(self, exc)
            return None
        self.load(agenda_id)
        return agenda_id

    def choose_pdf(self) -> None:
        if self.agenda_id is None or agenda.item_approval(self.store, self.agenda_id) is None:
            if self.save() is None:
                return
        assert self.agenda_id is not None
        target, _ = QFileDialog.getSaveFileName(
            self, "Gem dagsordenspunktet som PDF",
            agenda.suggested_filename(self.store, self.agenda_id), "PDF (*.pdf)")
        if target:
            self.write_pdf(Path(target))

    def write_pdf(self, target: Path) -> Path | None:
        assert self.agenda_id is not None
        try:
            path = agenda.save_agenda_report(self.store, self.agenda_id, target)
        except Exception as exc:  # shown, never lost
            errors.show_error(self, exc)
            return None
        errors.show_info(self, "Dagsordenspunktet er gemt", f"Skrev {path}.")
        return path

    def approve(self) -> agenda.AgendaResult | None:
        agenda_id = self.save()
        if agenda_id is None:
            return None
        try:
            people = tuple(parse_signatory(line) for line in
                           self.signatories.toPlainText().splitlines() if line.strip())
            facts = ApprovalFacts(self.body_edit.text().strip(), self.date_edit.value(),
                                  self.case_edit.text().strip(), people)
            names = ", ".join(catalog.secretariat(self.store, s).name for s in self.chosen())
            if not ask(self, "Godkend dagsordenspunktet",
                       f"Godkend regnskab {self.year - 1} og budget {self.year} for {names} i "
                       "én beslutning? Hver opgørelse låses og får sit eget dokument-id; "
                       "punktets tekst låses også."):
                return None
            try:
                result = agenda.approve_item(self.store, agenda_id, facts)
            except approval_service.DateNeedsConfirmation as exc:
                if not ask(self, "Mødedatoen", exc.message + "\n\nGodkend alligevel?"):
                    return None
                result = agenda.approve_item(self.store, agenda_id, facts, force=True)
        except Exception as exc:  # shown, never lost
            errors.show_error(self, exc)
            return None
        self.load(agenda_id)
        ids = "\n".join(f"{name}: Dokument-id {r.approval.document_id}"
                        for name, r in result.statements)
        errors.show_info(self, "Dagsordenspunktet er godkendt",
                         f"Punktets Dokument-id {result.approval.document_id}.\n{ids}")
        return result


def open_agenda_dialog(parent: QWidget | None, store: Store, secretariat_id: int,
                       year: int) -> None:
    AgendaDialog(store, secretariat_id, year, parent).exec()
