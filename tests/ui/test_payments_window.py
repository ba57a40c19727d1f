"""The window's side of payments and the settings it lacked: the bill dialog's paid/open
columns driven by keys and clicks, the bank import button, the settings' billing unit and
contact, and «Foreslå fodnote» in the note editor."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QPushButton

from kkr_desktop.core.allocation import Unit
from kkr_desktop.core.statement import Column, Kind
from kkr_desktop.services import catalog

SHOT = "/tmp/h15/bill_dialog_payments.png"


def _row(dialog, name: str) -> int:
    return [dialog.kommuner.item(r, 0).text()
            for r in range(dialog.kommuner.rowCount())].index(name)


def _cells(dialog, name: str) -> list[str]:
    r = _row(dialog, name)
    return [dialog.kommuner.item(r, c).text() for c in range(1, 4)]


def _in_modal(qtbot, act) -> None:
    """Run `act(dialog)` on the modal dialog once it is open."""
    def later():
        d = QApplication.activeModalWidget()
        if d is None:
            QTimer.singleShot(20, later)
            return
        act(d)
    QTimer.singleShot(0, later)


def _save(d) -> None:
    d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


def test_register_a_part_payment_with_keys_and_see_it_open(qtbot, export_ready, messages):
    from kkr_desktop.ui.bill_dialog import BillDialog

    store, _ = export_ready
    dialog = BillDialog(store, "Nordjylland", 2024)
    qtbot.addWidget(dialog)
    assert [dialog.kommuner.horizontalHeaderItem(c).text() for c in range(4)] == [
        "Kommune", "I alt (kr.)", "Betalt (kr.)", "Åben (kr.)"]
    assert _cells(dialog, "851 Aalborg") == ["651.908,00", "0,00", "651.908,00"]
    dialog.kommuner.selectRow(_row(dialog, "851 Aalborg"))

    def pay(d):
        assert d.amount.text() == "651.908,00"  # the open amount, to change for a part
        d.paid_on.selectAll()
        qtbot.keyClicks(d.paid_on, "15.01.2024")
        d.amount.selectAll()
        qtbot.keyClicks(d.amount, "300.000,00")
        _save(d)

    _in_modal(qtbot, pay)
    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    assert not messages
    assert _cells(dialog, "851 Aalborg") == ["651.908,00", "300.000,00", "351.908,00"]
    assert dialog.selected_kommune() == 851  # still on Aalborg
    assert [(p.paid_on, p.amount) for p in dialog.view.payments] == [
        (date(2024, 1, 15), 300_000_00)]
    assert dialog.parts.item(0, 1).text() == "Bidrag 2024"

    def bad(d):
        d.amount.selectAll()
        qtbot.keyClicks(d.amount, "1.5")
        _save(d)  # refused: the dialog stays open with the text
        assert d.isVisible() and d.amount.text() == "1.5"
        d.reject()

    _in_modal(qtbot, bad)
    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    assert "ikke et entydigt beløb" in messages[-1][1]
    assert _cells(dialog, "851 Aalborg")[1] == "300.000,00"


def test_import_button_reads_the_bank_file_and_says_what_was_left(qtbot, export_ready,
                                                                  messages, monkeypatch,
                                                                  tmp_path):
    from kkr_desktop.ui.bill_dialog import BillDialog

    store, _ = export_ready
    bank = tmp_path / "bank.csv"
    bank.write_text("Bogføringsdato;Tekst;Beløb\n15-01-2024;KKR2024-851;300.000,00\n"
                    "20-01-2024;KKR2024-860;193.652,00\n21-01-2024;Husleje;-25.000,00\n",
                    encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bank), ""))
    dialog = BillDialog(store, "Nordjylland", 2024)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    title, text = messages[-1]
    assert title == "Betalingerne er indlæst"
    assert "Registreret: 2 betaling(er)" in text and "linje 4" in text and "Husleje" in text
    assert _cells(dialog, "860 Hjørring") == ["193.652,00", "193.652,00", "0,00"]
    dialog.kommuner.selectRow(_row(dialog, "851 Aalborg"))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(SHOT)


def test_settings_store_the_billing_unit_and_the_contact(qtbot, window, messages):
    from kkr_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.store, window.secretariat_id, window)
    qtbot.addWidget(dialog)
    assert dialog.billing_unit.currentData() == Unit.ORE.value
    dialog.billing_unit.setFocus()
    qtbot.keyClicks(dialog.billing_unit, "hele")  # type-ahead: «hele kroner»
    assert dialog.billing_unit.currentData() == Unit.KR.value
    qtbot.keyClicks(dialog.contact, "Jens Hansen, tlf. 9931 3131")
    _save(dialog)
    assert not messages
    sec = catalog.secretariat(window.store, window.secretariat_id)
    assert sec.billing_unit is Unit.KR and sec.contact == "Jens Hansen, tlf. 9931 3131"
    again = SettingsDialog(window.store, window.secretariat_id, window)
    qtbot.addWidget(again)
    assert again.contact.text() == "Jens Hansen, tlf. 9931 3131"


def test_the_note_editor_suggests_the_pl_footnote(qtbot, window, messages):
    from ui_helpers import col_of, row_of

    tab = window.statement_tab
    name = "Indkrævet hos kommunerne"
    tab.table.setCurrentIndex(tab.model.index(row_of(tab.model, name),
                                              col_of(Column.BUDGET, Kind.INCOME)))

    def suggest(d):
        button = next(b for b in d.findChildren(QPushButton) if b.text() == "Foreslå fodnote")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        _save(d)

    _in_modal(qtbot, suggest)
    tab.edit_note()
    line = next(ln for ln in catalog.year_lines(window.store, window.secretariat_id, 2024)
                if ln.name == name)
    assert line.budget_note == (
        "Det indkrævede beløb for 2023 fremskrevet med den forventede pris- og lønudvikling "
        "(4,8 %). Beløbet reguleres til den endelige sats ved opkrævningen ultimo 2024.")


def test_no_suggestion_for_a_post_that_is_no_contribution(qtbot, window):
    from kkr_desktop.ui.note_dialog import NO_SUGGESTION, NoteDialog

    dialog = NoteDialog(None, "Fodnote til «Husleje»", "Huslejen steg.", lambda: None)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.suggest_button, Qt.MouseButton.LeftButton)
    assert dialog.text() == "Huslejen steg." and dialog.hint.text() == NO_SUGGESTION
