"""Filer → Gendan fra sikkerhedskopi…: a backup older than an approval is only restored after
a Danish question that lists the approvals it drops; No (the default) changes nothing."""

from __future__ import annotations

from datetime import date

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.services import approval, safety

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand"),))
SUNDHED = "Det fælleskommunale Sundhedssekretariat"


def test_the_window_asks_listing_the_approvals_no_keeps_everything(
        window, messages, monkeypatch, demo_secretariat):
    from PySide6.QtWidgets import QMessageBox

    from kkr_desktop.ui import backup_actions

    store = window.store
    copy = safety.backup_now(store)
    approval.approve(store, demo_secretariat, 2024, FACTS)
    record = approval.approval_for(store, demo_secretariat.id, 2024)
    monkeypatch.setattr(backup_actions, "choose_backup", lambda parent, path: copy)
    asked: list[tuple] = []
    answer = [QMessageBox.StandardButton.No]

    def question(parent, title, text, buttons, default):
        asked.append((title, text, default))
        return answer[0]

    monkeypatch.setattr(backup_actions.QMessageBox, "question", question)
    assert backup_actions.restore_dialog(window, store) is False
    title, text, default = asked[-1]
    assert default == QMessageBox.StandardButton.No
    assert f"• {SUNDHED}: regnskab 2023 og budget 2024, revision 1, Dokument-id " \
           f"{record.document_id}, godkendt på mødet 12. marts 2024" in text
    assert text.endswith("Vil du gendanne alligevel?")
    assert store.scalar("SELECT count(*) FROM approval") == 1

    answer[0] = QMessageBox.StandardButton.Yes
    assert backup_actions.restore_dialog(window, store) is True
    assert store.scalar("SELECT count(*) FROM approval") == 0 and messages[-1][0] == "Gendannet"
