"""Dates typed the way Danes type them, in the window's date fields (keys, not setDate)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kkr_desktop.ui import approval as ui


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


@pytest.mark.parametrize("typed", ["12.03.2024", "12-3-24", "12.3.2024", "12/3/2024",
                                   "12. marts 2024", "12 mar 2024", "2024-03-12"])
def test_a_typed_meeting_date_is_the_date_typed(dialog, typed):
    """Before: the QDateEdit turned «12.03.2024» into 14. december 2032."""
    type_into(dialog.date_edit, typed)
    assert dialog.facts().meeting_date == date(2024, 3, 12)
