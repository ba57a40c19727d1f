"""The approval dialog, "Ny revision", and the GUI refusing to edit an approved statement."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from ui_helpers import col_of, row_of

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.statement import Column, Kind
from kkr_desktop.services import approval as service
from kkr_desktop.ui import approval as ui

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))


@pytest.fixture
def dialog(qtbot, demo_store, demo_secretariat, messages):
    d = ui.ApprovalDialog(None, demo_store, demo_secretariat.id, 2024)
    qtbot.addWidget(d)
    return d


def test_dialog_suggests_the_kkr_and_the_chairs(dialog):
    assert dialog.body_edit.text() == "KKR Nordjylland"
    assert dialog.signatories.rowCount() == 2
    assert dialog.signatories.item(0, 1).text() == "Formand for KKR Nordjylland"
    assert dialog.facts().signatories == ()  # titles without names are not signatories


def test_dialog_says_before_approval_which_key_it_will_freeze(dialog):
    """The demo has population for 1. kvt. 2020 only: the split by that older key is said
    in the dialog, next to the 1 kr. imbalance, before anything is frozen."""
    text = dialog.notice_box.text()
    assert dialog.notice_box.isVisibleTo(dialog)
    assert "Budget 2024 balancerer ikke" in text
    assert "Fordelingen, som godkendelsen fastlåser:" in text
    assert "1. kvt. 2023 findes ikke" in text and "1. kvt. 2020" in text


def test_dialog_approves_with_the_facts_typed(dialog, demo_store, demo_secretariat, messages):
    dialog.case_edit.setText("2.4")
    dialog.date_edit.setDate(QDate(2024, 3, 12))
    dialog.signatories.item(0, 0).setText("Thomas  Kastrup-Larsen")
    dialog.signatories.item(1, 0).setText("Mogens Gade")
    assert dialog.approve()
    a = service.approval_for(demo_store, demo_secretariat.id, 2024)
    assert (a.body, a.meeting_date, a.case) == ("KKR Nordjylland", date(2024, 3, 12), "2.4")
    assert a.signatories == [("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),
                             ("Mogens Gade", "Næstformand for KKR Nordjylland")]
    assert messages[-1][0] == "Godkendt" and a.document_id in messages[-1][1]


def test_dialog_says_what_is_missing_and_stores_nothing(dialog, demo_store, demo_secretariat,
                                                       messages):
    assert not dialog.approve()
    assert "dagsordenspunktet" in messages[-1][1]
    assert service.approval_for(demo_store, demo_secretariat.id, 2024) is None


def test_next_approval_suggests_the_last_signatories(qtbot, demo_store, demo_secretariat,
                                                     messages):
    service.approve(demo_store, demo_secretariat, 2024, FACTS)
    service.new_revision(demo_store, demo_secretariat, 2024, "Lønnen var bogført dobbelt")
    d = ui.ApprovalDialog(None, demo_store, demo_secretariat.id, 2024)
    qtbot.addWidget(d)
    assert d.facts().signatories == FACTS.signatories


def test_an_approved_statement_offers_a_new_revision(demo_store, demo_secretariat, monkeypatch,
                                                     messages):
    service.approve(demo_store, demo_secretariat, 2024, FACTS)
    asked: list[str] = []
    monkeypatch.setattr(ui, "ask", lambda parent, title, text: asked.append(text) or True)
    monkeypatch.setattr(ui, "ask_reason", lambda parent, year, current: "Rettet løn")
    assert ui.open_approval_dialog(None, demo_store, demo_secretariat.id, 2024) is False
    assert "godkendt af KKR Nordjylland den 12. marts 2024" in asked[0]
    assert service.approval_for(demo_store, demo_secretariat.id, 2024) is None
    assert "Revision 2 er oprettet" in messages[-1][1]


def test_a_new_revision_says_it_is_a_draft_and_which_was_approved(window, qtbot):
    from kkr_desktop.ui.print_preview import revision_choices

    sec = window.secretariat_id
    service.approve(window.store, service.secretariats.get(window.store, sec), 2024, FACTS)
    service.new_revision(window.store, service.secretariats.get(window.store, sec), 2024,
                         "Lønnen var bogført dobbelt")
    window.refresh_navigator((sec, 2024))
    banner = window.statement_tab.banner
    assert banner.isVisibleTo(window)
    assert banner.text().startswith("Revision 2 er en kladde, ikke godkendt. Senest godkendt "
                                    "er revision 1 (KKR Nordjylland, 12. marts 2024, punkt 2.4)")
    assert not window.statement_tab.model.locked  # the draft can be edited
    labels = [label for label, _ in revision_choices(window.store, sec, 2024)]
    assert labels[0] == "Revision 2 – kladde, ikke godkendt"
    assert labels[1].endswith("(senest godkendte; revision 2 er under udarbejdelse)")


def test_new_revision_can_be_declined(demo_store, demo_secretariat, monkeypatch, messages):
    service.approve(demo_store, demo_secretariat, 2024, FACTS)
    monkeypatch.setattr(ui, "ask_reason", lambda parent, year, current: None)  # Annuller
    assert not ui.open_new_revision_dialog(None, demo_store, demo_secretariat.id, 2024)
    assert service.approval_for(demo_store, demo_secretariat.id, 2024) is not None


def test_the_window_refuses_an_edit_of_an_approved_statement(window, demo_store,
                                                             demo_secretariat, messages):
    service.approve(demo_store, demo_secretariat, 2024, FACTS)
    tab = window.statement_tab
    model = tab.model
    index = model.index(row_of(model, "Løn"), col_of(Column.BUDGET, Kind.EXPENSE))
    assert not model.setData(index, "1.000")  # the model, before any reload, asks the service
    assert messages and "godkendt af KKR Nordjylland" in messages[-1][1]
    lines = {ln.name: ln for ln in service.load_statement(
        demo_store, demo_secretariat, 2024).statement.lines}
    assert lines["Løn"].budget == 1_509_563_00


def test_a_first_year_says_only_its_budget_is_frozen(qtbot, store, messages):
    """A new secretariat has no year before its first budget: the dialog does not speak of
    budget and regnskab 2026."""
    from kkr_desktop.services.secretariat_settings import create_secretariat

    sid = create_secretariat(store, name="Rammeaftaler", kkr="Hovedstaden", first_year=2027)
    d = ui.ApprovalDialog(None, store, sid, 2027)
    qtbot.addWidget(d)
    (note,) = [label.text() for label in d.findChildren(ui.QLabel)
               if label.text().startswith("Når opgørelsen er godkendt")]
    assert note.startswith("Når opgørelsen er godkendt, er budget 2027 låst (regnskab 2027 "
                           "kan stadig indtastes)")
    assert "2026" not in note
