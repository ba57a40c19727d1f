"""«Fodnote…» on the «Overskud/underskud» row (the pinned totals under the grid), driven by
clicks and keys: the note is saved, marked on the result, listed under Fodnoter, undone
with Fortryd, and refused once the statement is approved."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from ui_helpers import col_of

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.statement import Column, Kind
from kkr_desktop.services import approval, catalog
from kkr_desktop.services.statements import load_statement
from kkr_desktop.ui.note_dialog import NoteDialog

NOTE = "Overskuddet udbetales til kommunerne."


def click_result(window, group: Column) -> None:
    tab = window.statement_tab
    index = tab.model.index(tab.model.result_row(), col_of(group, Kind.INCOME))
    rect = tab.totals.visualRect(index)
    assert rect.isValid() and tab.totals.isRowHidden(index.row()) is False
    QTest.mouseClick(tab.totals.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())
    assert tab.table.currentIndex() == index


def answer_note_dialog(text: str, seen: dict) -> None:
    """When the note editor opens: say what it asks, select all, type `text`, press Gem."""

    def act() -> None:
        d = QApplication.activeModalWidget()
        if not isinstance(d, NoteDialog):
            QTimer.singleShot(20, act)
            return
        seen["label"] = d.findChildren(type(d.hint))[0].text()
        seen["before"] = d.text()
        QTest.keyClick(d.editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(d.editor, Qt.Key.Key_Delete)
        QTest.keyClicks(d.editor, text)
        save = d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        QTest.mouseClick(save, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)


def result_notes(window) -> dict:
    sec = catalog.secretariat(window.store, window.secretariat_id)
    return dict(load_statement(window.store, sec, 2024).statement.result_notes)


def test_fodnote_on_the_result_row(window, qtbot):
    tab = window.statement_tab
    assert window.year == 2024
    click_result(window, Column.ACTUAL_PREV)
    assert tab.note_button.isEnabled()
    seen: dict = {}
    answer_note_dialog(NOTE, seen)
    QTest.mouseClick(tab.note_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: result_notes(window) == {Column.ACTUAL_PREV: NOTE})
    assert seen["label"] == ("Fodnote til «Overskud/underskud», Regnskab 2023 (tom tekst "
                             "fjerner fodnoten):") and seen["before"] == ""
    # the mark on the result (after the demo's three line notes) and the Fodnoter box
    result = tab.model.index(tab.model.result_row(), col_of(Column.ACTUAL_PREV, Kind.INCOME))
    assert result.data() == "571.489,47 ⁴"
    assert result.data(Qt.ItemDataRole.ToolTipRole) == NOTE
    listed = [tab.notes.item(i).text() for i in range(tab.notes.count())]
    assert listed[-1] == f"⁴ Regnskab 2023, Overskud/underskud: {NOTE}"

    # the Fodnoter box opens the same note again; an empty text removes it
    answer_note_dialog("", seen)
    tab.notes.setFocus()
    tab.notes.setCurrentRow(3)
    QTest.keyClick(tab.notes, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: result_notes(window) == {})
    assert seen["before"] == NOTE
    # Fortryd brings it back, as any edit
    assert window.undo_stack.undoText() == "Fodnote til «Overskud/underskud»"
    window.undo_stack.undo()
    assert result_notes(window) == {Column.ACTUAL_PREV: NOTE}


def test_fodnote_on_the_result_is_refused_once_approved(window, qtbot):
    tab = window.statement_tab
    click_result(window, Column.BUDGET)
    assert tab.note_button.isEnabled()
    sec = catalog.secretariat(window.store, window.secretariat_id)
    approval.approve(window.store, sec, 2024, ApprovalFacts(
        "KKR Nordjylland", date(2024, 3, 12), "2.4",
        (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),)))
    tab.reload()
    click_result(window, Column.BUDGET)
    assert not tab.note_button.isEnabled()
    assert tab.note_button.toolTip().startswith("Godkendt af KKR Nordjylland")
