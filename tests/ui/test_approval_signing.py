"""Signing safely, driven with keys and clicks: a named signatory, a typed meeting date (no
silent today), an odd date asked about, and «Ny revision» that asks why."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.services import approval as service
from kkr_desktop.store import approvals
from kkr_desktop.ui import approval as ui

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))


@pytest.fixture
def dialog(qtbot, demo_store, demo_secretariat, messages):
    d = ui.ApprovalDialog(None, demo_store, demo_secretariat.id, 2024)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def type_into(widget, text: str) -> None:
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Tab)


def type_name(dialog, row: int, name: str) -> None:
    """Click the name cell, F2, type, Enter: as a user fills in a signatory."""
    table = dialog.signatories
    table.setFocus()
    table.setCurrentCell(row, 0)
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    QTest.keyClicks(editor, name)
    QTest.keyClick(editor, Qt.Key.Key_Return)


def click_approve(dialog) -> None:
    QTest.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)


def test_the_meeting_date_starts_empty_and_is_required(dialog, demo_store, demo_secretariat,
                                                       messages):
    assert dialog.date_edit.text() == ""  # not today: nobody typed it
    type_into(dialog.case_edit, "2.4")
    type_name(dialog, 0, "Thomas Kastrup-Larsen")
    click_approve(dialog)
    assert "Angiv mødedatoen" in messages[-1][1]
    assert service.approval_for(demo_store, demo_secretariat.id, 2024) is None


def test_titles_without_a_name_are_no_signature(dialog, demo_store, demo_secretariat,
                                                messages):
    type_into(dialog.date_edit, "12.03.2024")
    type_into(dialog.case_edit, "2.4")
    click_approve(dialog)  # the two suggested rows carry titles only
    assert "mindst én underskriver med navn" in messages[-1][1]
    assert service.approval_for(demo_store, demo_secretariat.id, 2024) is None
    type_name(dialog, 0, "Thomas Kastrup-Larsen")
    click_approve(dialog)
    a = service.approval_for(demo_store, demo_secretariat.id, 2024)
    assert a.meeting_date == date(2024, 3, 12)
    assert a.signatories == [("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland")]


def test_an_unreadable_date_is_said_in_the_field_and_refused(dialog, demo_store,
                                                             demo_secretariat, messages):
    type_into(dialog.date_edit, "31.02.2024")
    assert "februar 2024 har ingen 31. dag" in dialog.date_edit.problem
    type_into(dialog.case_edit, "2.4")
    type_name(dialog, 0, "Thomas Kastrup-Larsen")
    click_approve(dialog)
    assert "februar 2024 har ingen 31. dag" in messages[-1][1]
    assert service.approval_for(demo_store, demo_secretariat.id, 2024) is None


def test_an_odd_meeting_date_is_a_question(dialog, demo_store, demo_secretariat, monkeypatch):
    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(ui, "ask", lambda parent, title, text: asked.append(text) or answer[0])
    type_into(dialog.date_edit, "12.03.2034")  # ten years on: a slip of the finger
    assert dialog.date_edit.text() == "12. marts 2034"  # the field says what it read
    type_into(dialog.case_edit, "2.4")
    type_name(dialog, 0, "Thomas Kastrup-Larsen")
    click_approve(dialog)
    assert "efter budgetåret 2024 er slut" in asked[-1]
    assert service.approval_for(demo_store, demo_secretariat.id, 2024) is None
    answer[0] = True
    click_approve(dialog)
    assert service.approval_for(demo_store, demo_secretariat.id, 2024).meeting_date == \
        date(2034, 3, 12)


def drive_reason_dialog(qtbot, text: str | None, seen: dict) -> None:
    """When the reason dialog opens: note whether OK is enabled empty, type, press OK."""

    def act() -> None:
        d = QApplication.activeModalWidget()
        if not isinstance(d, ui.RevisionReasonDialog):
            QTimer.singleShot(20, act)
            return
        seen["enabled_empty"] = d.ok_button.isEnabled()
        if text is None:
            QTest.keyClick(d, Qt.Key.Key_Escape)
            return
        QTest.keyClicks(d.reason_edit, text)
        seen["enabled_typed"] = d.ok_button.isEnabled()
        seen["screenshot"] = d.grab()
        QTest.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)


def test_new_revision_asks_why_and_keeps_the_reason(qtbot, demo_store, demo_secretariat,
                                                    messages, tmp_path):
    service.approve(demo_store, demo_secretariat, 2024, FACTS)
    seen: dict = {}
    drive_reason_dialog(qtbot, "Lønnen var bogført dobbelt", seen)
    assert ui.open_new_revision_dialog(None, demo_store, demo_secretariat.id, 2024)
    assert seen["enabled_empty"] is False and seen["enabled_typed"] is True
    assert approvals.revision_reason(demo_store, demo_secretariat.id, 2024, 2) == \
        "Lønnen var bogført dobbelt"
    assert service.approval_for(demo_store, demo_secretariat.id, 2024) is None


def test_new_revision_cancelled_changes_nothing(qtbot, demo_store, demo_secretariat,
                                                messages):
    service.approve(demo_store, demo_secretariat, 2024, FACTS)
    seen: dict = {}
    drive_reason_dialog(qtbot, None, seen)
    assert not ui.open_new_revision_dialog(None, demo_store, demo_secretariat.id, 2024)
    assert service.approval_for(demo_store, demo_secretariat.id, 2024) is not None
