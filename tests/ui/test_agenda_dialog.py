"""Filer → Dagsordenspunkt…: choose the secretariats, type the texts, print, approve."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader
from PySide6.QtCore import Qt


def test_the_dialog_saves_prints_a_draft_and_approves_both(qtbot, demo_store, data_dir,
                                                          messages, monkeypatch, tmp_path):
    from kkr_desktop.services import agenda, statements
    from kkr_desktop.store import approvals, secretariats
    from kkr_desktop.ui import agenda_dialog

    statements.import_statement(demo_store, data_dir / "socialaftale.csv")
    sundhed = secretariats.find(demo_store, "sundhed")
    dialog = agenda_dialog.AgendaDialog(demo_store, sundhed.id, 2024)
    qtbot.addWidget(dialog)
    assert dialog.secretariats.count() == 2
    assert dialog.chosen() == [sundhed.id, secretariats.find(demo_store, "social").id]
    dialog.case_edit.setText("2.4")
    dialog.sagsfremstilling.setPlainText("Begge sekretariater aflægger regnskab.")
    dialog.indstilling.setPlainText("Det indstilles at godkende.")
    agenda_id = dialog.save()
    assert agenda_id is not None
    draft = dialog.write_pdf(tmp_path / "kladde.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(draft).pages)
    assert "KLADDE" in text and "Begge sekretariater aflægger regnskab." in text
    assert "Sekretariat for Nordjysk Socialaftale: Regnskab 2023" in text

    dialog.body_edit.setText("KKR Nordjylland")
    dialog.date_edit.setDate(date(2024, 3, 12))
    dialog.signatories.setPlainText("Thomas Kastrup-Larsen, Formand for KKR Nordjylland")
    monkeypatch.setattr(agenda_dialog, "ask", lambda *a: True)
    result = dialog.approve()
    assert result is not None, messages
    assert len(result.statements) == 2
    for sid in dialog.chosen():
        assert approvals.in_force(demo_store, sid, 2024) is not None
    assert agenda.item_approval(demo_store, agenda_id) is not None
    assert not dialog.sagsfremstilling.isEnabled()  # frozen: shown as such
    assert "Godkendt af KKR Nordjylland" in dialog.state.text()


def test_unticking_every_secretariat_is_refused(qtbot, demo_store, messages):
    from kkr_desktop.services import agenda
    from kkr_desktop.store import secretariats
    from kkr_desktop.ui.agenda_dialog import AgendaDialog

    dialog = AgendaDialog(demo_store, secretariats.find(demo_store, "sundhed").id, 2024)
    qtbot.addWidget(dialog)
    dialog.case_edit.setText("2.4")
    dialog.secretariats.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.save() is None
    assert "mindst ét sekretariat" in messages[-1][1]
    assert agenda.list_items(demo_store) == []


def test_the_file_menu_has_the_entry(qtbot, window):
    titles = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Dagsordenspunkt…" in titles
