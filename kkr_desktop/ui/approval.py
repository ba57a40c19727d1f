""""Godkend opgørelse…": record the approval of statement N; and "Ny revision" of it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.approval import ApprovalFacts, Signatory, format_date
from kkr_desktop.core.errors import InputError, KkrError
from kkr_desktop.core.statement import Column
from kkr_desktop.services import approval as service
from kkr_desktop.services import catalog
from kkr_desktop.services.statements import load_statement
from kkr_desktop.ui import errors
from kkr_desktop.ui.widgets import DateEdit


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """Yes or no; tests replace this."""
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class ApprovalDialog(QDialog):
    """The approval's facts: body, meeting date, agenda item, signatories."""

    def __init__(self, parent: QWidget | None, store, secretariat_id: int, year: int) -> None:
        super().__init__(parent)
        self.store, self.secretariat_id, self.year = store, secretariat_id, year
        self.secretariat = catalog.secretariat(store, secretariat_id)
        self.result_record = None
        self.setWindowTitle(f"Godkend regnskab {year - 1} og budget {year}")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{self.secretariat.name}</b>: regnskab {year - 1} og "
                                f"budget {year}, revision "
                                f"{service.current_revision(store, secretariat_id, year)}"))
        view = load_statement(store, self.secretariat, year)
        warnings = view.warnings
        # How the contribution will be split: the key is frozen by the approval, so a key
        # from an older quarter is said now, not afterwards.
        _, notices = service.document_allocations(store, self.secretariat, year, strict=False)
        parts = []
        if warnings:
            parts.append("Opgørelsen har advarsler:\n" + "\n".join(
                f"• {w.message}" for w in warnings))
        if notices:
            parts.append("Fordelingen, som godkendelsen fastlåser:\n" + "\n".join(
                f"• {n}" for n in notices))
        self.notice_box = QLabel("\n\n".join(parts))
        self.notice_box.setWordWrap(True)
        self.notice_box.setStyleSheet("QLabel { background: #fff4e5; border: 1px solid "
                                      "#e0a040; padding: 6px; }")
        self.notice_box.setVisible(bool(parts))
        layout.addWidget(self.notice_box)
        body, signatories = service.suggested_facts(store, secretariat_id)
        form = QFormLayout()
        self.body_edit = QLineEdit(body)
        self.date_edit = DateEdit()  # empty: the meeting's date is typed, never assumed
        self.case_edit = QLineEdit()
        self.case_edit.setPlaceholderText("fx 2.4")
        form.addRow("Godkendt af (organ):", self.body_edit)
        form.addRow("Mødedato:", self.date_edit)
        form.addRow("Dagsordenspunkt:", self.case_edit)
        layout.addLayout(form)
        layout.addWidget(QLabel("Underskrivere (navn og titel):"))
        self.signatories = QTableWidget(0, 2)
        self.signatories.setHorizontalHeaderLabels(["Navn", "Titel"])
        self.signatories.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.signatories.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.signatories.verticalHeader().hide()
        kkr = self.secretariat.kkr
        for s in signatories or [Signatory("", f"Formand for KKR {kkr}"),
                                 Signatory("", f"Næstformand for KKR {kkr}")]:
            self.add_signatory(s.name, s.title)
        layout.addWidget(self.signatories)
        row = QHBoxLayout()
        add = QPushButton("Tilføj underskriver")
        add.clicked.connect(lambda: self.add_signatory("", ""))
        remove = QPushButton("Fjern underskriver")
        remove.clicked.connect(self.remove_signatory)
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        statement = view.statement
        first_year = not (statement.has_column(Column.BUDGET_PREV)
                          or statement.has_column(Column.ACTUAL_PREV))
        frozen = (f"budget {year}" if first_year  # a new secretariat: no year before
                  else f"budget {year - 1}, regnskab {year - 1} og budget {year}")
        note = QLabel(f"Når opgørelsen er godkendt, er {frozen} låst (regnskab {year} kan "
                      "stadig indtastes). En rettelse kræver en ny revision, som godkendes "
                      "for sig; den godkendte udgave kan altid udskrives igen.")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
        self.approve_button = buttons.addButton("Godkend", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.approve)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def add_signatory(self, name: str, title: str) -> None:
        r = self.signatories.rowCount()
        self.signatories.insertRow(r)
        self.signatories.setItem(r, 0, QTableWidgetItem(name))
        self.signatories.setItem(r, 1, QTableWidgetItem(title))

    def remove_signatory(self) -> None:
        rows = sorted({i.row() for i in self.signatories.selectedIndexes()}, reverse=True)
        for r in rows or [self.signatories.rowCount() - 1]:
            if r >= 0:
                self.signatories.removeRow(r)

    def facts(self) -> ApprovalFacts:
        people = []
        for r in range(self.signatories.rowCount()):
            name, title = (self._cell(r, c) for c in (0, 1))
            if name:  # a row with only a title is the suggestion nobody filled in
                people.append(Signatory(name, title))
        try:
            meeting: date | None = self.date_edit.value()
        except InputError:
            meeting = None  # approve() says what is wrong with the text
        return ApprovalFacts(self.body_edit.text().strip(), meeting,
                             self.case_edit.text().strip(), tuple(people))

    def _cell(self, row: int, column: int) -> str:
        item = self.signatories.item(row, column)
        return " ".join(item.text().split()) if item else ""

    def approve(self) -> bool:
        """Store the approval; on an error say so and keep the dialog open. An odd meeting
        date is asked about first."""
        try:
            self.date_edit.value()
        except InputError as exc:
            errors.show_error(self, exc)
            self.date_edit.setFocus()
            return False
        facts = self.facts()
        try:
            try:
                result = service.approve(self.store, self.secretariat, self.year, facts)
            except service.DateNeedsConfirmation as exc:
                if not ask(self, "Kontrollér mødedatoen", "\n".join(exc.warnings) + (
                        "\n\nEr mødedatoen rigtig?")):
                    self.date_edit.setFocus()
                    return False
                result = service.approve(self.store, self.secretariat, self.year, facts,
                                         force=True)
        except KkrError as exc:
            errors.show_error(self, exc)
            return False
        self.result_record = result.approval
        a = result.approval
        text = (f"Regnskab {self.year - 1} og budget {self.year} er godkendt af {a.body} den "
                f"{format_date(a.meeting_date)} (punkt {a.case}).\n\nDokument-id "
                f"{a.document_id}, revision {a.revision}.")
        if result.notices:
            text += "\n\n" + "\n".join(result.notices)
        errors.show_info(self, "Godkendt", text)
        self.accept()
        return True


def open_approval_dialog(parent: QWidget | None, store, secretariat_id: int, year: int) -> bool:
    """Approve statement `year`; True if it was approved. When it already is, say by whom and
    offer "Ny revision"."""
    current = service.approval_for(store, secretariat_id, year)
    if current is not None:
        text = (f"Regnskab {year - 1} og budget {year} er godkendt af {current.body} den "
                f"{format_date(current.meeting_date)} (punkt {current.case}), revision "
                f"{current.revision}, dokument-id {current.document_id}.\n\nVil du oprette en "
                "ny revision, så tallene kan rettes og godkendes igen?")
        if ask(parent, "Opgørelsen er godkendt", text):
            open_new_revision_dialog(parent, store, secretariat_id, year)
        return False
    dialog = ApprovalDialog(parent, store, secretariat_id, year)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    return dialog.exec() == QDialog.DialogCode.Accepted


class RevisionReasonDialog(QDialog):
    """«Ny revision»: why the approved statement is reopened. The reason is kept and printed
    on the revised document, so the revision cannot be opened without one."""

    def __init__(self, parent: QWidget | None, year: int, current) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ny revision")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        explain = QLabel(
            f"Opret revision {current.revision + 1} af regnskab {year - 1} og budget {year}? "
            f"Revision {current.revision} (dokument-id {current.document_id}, godkendt "
            f"{format_date(current.meeting_date)}) bevares og kan stadig udskrives; den nye "
            "revision skal godkendes for sig.")
        explain.setWordWrap(True)
        layout.addWidget(explain)
        layout.addWidget(QLabel("Årsag til den nye revision (står på det reviderede "
                                "dokument):"))
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText("fx Lønudgiften i regnskab 2023 var bogført "
                                            "dobbelt.")
        self.reason_edit.setFixedHeight(80)
        layout.addWidget(self.reason_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
        self.ok_button = buttons.addButton(f"Opret revision {current.revision + 1}",
                                           QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setEnabled(False)
        self.reason_edit.textChanged.connect(
            lambda: self.ok_button.setEnabled(bool(self.reason().strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def reason(self) -> str:
        return " ".join(self.reason_edit.toPlainText().split())


def ask_reason(parent: QWidget | None, year: int, current) -> str | None:
    """The reason typed in RevisionReasonDialog, or None when cancelled."""
    dialog = RevisionReasonDialog(parent, year, current)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason()


def open_new_revision_dialog(parent: QWidget | None, store, secretariat_id: int, year: int
                             ) -> bool:
    """"Ny revision": with a reason typed, the approved statement stays on record and
    printable and its lines can be edited again as the next revision. True if opened."""
    current = service.approval_for(store, secretariat_id, year)
    if current is None:
        errors.show_info(parent, "Ny revision", f"Regnskab {year - 1} og budget {year} er "
                         "ikke godkendt; tallene kan rettes direkte.")
        return False
    reason = ask_reason(parent, year, current)
    if reason is None:
        return False
    try:
        revision = service.new_revision(store, catalog.secretariat(store, secretariat_id),
                                        year, reason)
    except KkrError as exc:
        errors.show_error(parent, exc)
        return False
    errors.show_info(parent, "Ny revision", (
        f"Revision {revision} er oprettet og kan redigeres. Revision {current.revision} er "
        "bevaret og kan udskrives fra «Udskriv…»."))
    return True
