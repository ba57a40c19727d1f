"""«Dagsordenspunkt»: two secretariats of KKR Nordjylland in one document and one act."""

from __future__ import annotations

import io
import sqlite3
from datetime import date

import pytest
from pypdf import PdfReader

from kkr_desktop.core.agenda import AgendaText, parse_text_file
from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.errors import InputError, LockedError
from kkr_desktop.services import agenda, approval, statements, verify
from kkr_desktop.store import approvals, secretariats

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "",
                      (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))
TEXT = AgendaText("Godkendelse af regnskab 2023 og budget 2024 for de fælleskommunale "
                  "sekretariater", "2.4",
                  "KKR Nordjylland har to fælleskommunale sekretariater.",
                  "Det indstilles, at KKR Nordjylland godkender begge opgørelser.")


@pytest.fixture
def item(demo_store, data_dir):
    """The demo's Sundhedssekretariat and the Socialaftale (the real table) in item 2.4."""
    statements.import_statement(demo_store, data_dir / "socialaftale.csv")
    agenda_id = agenda.create_item(demo_store, kkr="Nordjylland", year=2024, text=TEXT)
    return demo_store, agenda_id


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def sec(store, part):
    return secretariats.find(store, part)


def test_the_item_holds_every_secretariat_of_the_kkr_by_default(item):
    store, agenda_id = item
    held = agenda.get_item(store, agenda_id).secretariat_ids
    assert held == [sec(store, "sundhed").id, sec(store, "social").id]


def test_the_draft_pdf_carries_both_tables_and_the_agenda_text(item):
    store, agenda_id = item
    text = pdf_text(agenda.render_agenda(store, agenda_id))
    assert "2.4 Godkendelse af regnskab 2023 og budget 2024" in text
    assert "KKR Nordjylland har to fælleskommunale sekretariater." in text
    assert "Det indstilles, at KKR Nordjylland godkender begge opgørelser." in text
    assert "Det fælleskommunale Sundhedssekretariat: Regnskab 2023 og budget 2024" in text
    assert "Sekretariat for Nordjysk Socialaftale: Regnskab 2023 og budget 2024" in text
    assert "1.771.663" in text and "1.969.030,30" in text  # each secretariat's contribution
    assert "KLADDE" in text
    # the appendix per kommune of each, numbered on across the secretariats
    assert "Bilag 1: Fordeling af bidraget for 2024" in text
    assert "Bilag 2: Fordeling af bidraget for 2024" in text


def test_one_act_approves_both_statements_each_with_its_own_document_id(item):
    store, agenda_id = item
    result = agenda.approve_item(store, agenda_id, FACTS)
    health = approvals.in_force(store, sec(store, "sundhed").id, 2024)
    social = approvals.in_force(store, sec(store, "social").id, 2024)
    assert health is not None and social is not None
    assert health.document_id != social.document_id
    assert health.case == social.case == "2.4"
    assert result.approval.member_ids == [health.id, social.id]
    assert [r.approval.id for _, r in result.statements] == [health.id, social.id]
    # the act's own id covers the text and the members' hashes
    assert health.sha256 in result.approval.content and social.sha256 in result.approval.content
    assert TEXT.indstilling in result.approval.content
    text = pdf_text(agenda.render_agenda(store, agenda_id))
    assert f"Dokument-id {result.approval.document_id}" in text
    assert f"Dokument-id {health.document_id}" in text
    assert f"Dokument-id {social.document_id}" in text
    assert text.count("Underskrift:") == 1  # one signature block for the item
    assert "KLADDE" not in text
    assert verify.verify(store).ok


def test_an_already_approved_statement_refuses_the_whole_act(item):
    store, agenda_id = item
    approval.approve(store, sec(store, "social"), 2024,
                     ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.5", FACTS.signatories))
    with pytest.raises(InputError, match="Sekretariat for Nordjysk Socialaftale.*allerede"):
        agenda.approve_item(store, agenda_id, FACTS)
    assert approvals.in_force(store, sec(store, "sundhed").id, 2024) is None
    assert agenda.item_approval(store, agenda_id) is None


def test_a_failure_inside_the_transaction_rolls_back_the_approvals_before_it(item, monkeypatch):
    store, agenda_id = item
    approval.approve(store, sec(store, "social"), 2024,
                     ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.5", FACTS.signatories))
    # past the early check: the freeze of the second statement itself refuses
    monkeypatch.setattr(agenda, "approval_problems", lambda store, item: [])
    with pytest.raises(LockedError, match="(?s)Socialaftale.*Intet er godkendt"):
        agenda.approve_item(store, agenda_id, FACTS)
    assert approvals.in_force(store, sec(store, "sundhed").id, 2024) is None
    assert store.scalar("SELECT count(*) FROM approval") == 1
    assert agenda.item_approval(store, agenda_id) is None


@pytest.mark.sqlite_file
def test_an_approved_item_cannot_be_edited(item):
    store, agenda_id = item
    agenda.approve_item(store, agenda_id, FACTS)
    with pytest.raises(LockedError, match="godkendt"):
        agenda.edit_item(store, agenda_id, text=TEXT.__class__(TEXT.title, "2.4", "x", "y"))
    conn = sqlite3.connect(store.path, isolation_level=None)
    with pytest.raises(sqlite3.DatabaseError, match="Låst"):
        conn.execute("UPDATE agenda_item SET indstilling = 'Ændret' WHERE id = ?",
                     (agenda_id,))
    conn.close()


@pytest.mark.sqlite_file
def test_a_plain_sql_change_to_the_approved_text_is_found(item):
    store, agenda_id = item
    agenda.approve_item(store, agenda_id, FACTS)
    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.execute("DROP TRIGGER agenda_item_frozen_update")
    conn.execute("UPDATE agenda_item SET indstilling = 'Det indstilles at afvise.' "
                 "WHERE id = ?", (agenda_id,))
    conn.close()
    found = verify.verify(store)
    assert "indstillingen" in " ".join(found.by_agenda[agenda_id])
    assert any("dagsordenspunkt 2.4" in m and "uden om programmet" in m
               for m in found.messages())
    # the trigger is back, and the changed item is never printed as approved
    assert store.scalar("SELECT 1 FROM sqlite_master WHERE name = 'agenda_item_frozen_update'")
    with pytest.raises(verify.TamperedError):
        agenda.render_agenda(store, agenda_id)


@pytest.mark.sqlite_file
def test_a_member_approval_swapped_by_plain_sql_is_found(item):
    store, agenda_id = item
    agenda.approve_item(store, agenda_id, FACTS)
    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.execute("DROP TRIGGER agenda_approval_member_no_delete")
    conn.execute("DELETE FROM agenda_approval_member WHERE position = 2")
    conn.close()
    assert "godkendelserne" in " ".join(verify.verify(store).by_agenda[agenda_id])


def test_the_text_file_has_two_headed_parts():
    assert parse_text_file("Sagsfremstilling:\nA\n\nB\nIndstilling\nC\n") == ("A\n\nB", "C")
    assert parse_text_file("Kun tekst\n") == ("Kun tekst", "")


def test_a_secretariat_of_another_kkr_is_refused(demo_store):
    from kkr_desktop.services.secretariat_settings import create_secretariat

    other = create_secretariat(demo_store, name="Erhvervshus Midtjylland", kkr="Midtjylland",
                               first_year=2024)
    with pytest.raises(InputError, match="hører ikke under KKR Nordjylland"):
        agenda.create_item(demo_store, kkr="Nordjylland", year=2024, text=TEXT,
                           secretariat_ids=[sec(demo_store, "sundhed").id, other])
    assert agenda.list_items(demo_store) == []
