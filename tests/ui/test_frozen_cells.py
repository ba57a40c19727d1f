"""Frozen cells look frozen, and typing into one says why at once (keys, not setData)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ui_helpers import col_of, row_of

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.statement import Column, Kind
from kkr_desktop.services import approval as service
from kkr_desktop.ui.frozen_cells import LOCKED

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))


def approve(window):
    sec = service.secretariats.get(window.store, window.secretariat_id)
    service.approve(window.store, sec, 2024, FACTS)
    window.refresh_navigator((window.secretariat_id, 2024))
    return sec


def test_typing_into_an_approved_cell_says_why_at_once(window, qtbot):
    approve(window)
    tab = window.statement_tab
    index = tab.model.index(row_of(tab.model, "Løn"), col_of(Column.BUDGET, Kind.EXPENSE))
    tab.table.setFocus()
    tab.table.setCurrentIndex(index)
    window.statusBar().clearMessage()
    QTest.keyClicks(tab.table, "1000")
    assert window.statusBar().currentMessage() == LOCKED
    assert tab.model.data(index) == "1.509.563"  # nothing changed


def test_frozen_cells_are_greyed_and_the_open_ones_not(window, qtbot):
    approve(window)
    tab = window.statement_tab
    model = tab.model
    row = row_of(model, "Løn")
    frozen = model.index(row, col_of(Column.BUDGET, Kind.EXPENSE))
    background = model.data(frozen, Qt.ItemDataRole.BackgroundRole)
    assert background is not None and background.color().name() == "#e4e4e4"
    assert model.data(frozen, Qt.ItemDataRole.ForegroundRole).color().name() == "#5f6368"
    if shots := os.environ.get("KKR_SHOTS"):
        window.grab().save(str(Path(shots) / "frozen_cells.png"))


def test_a_draft_banner_is_not_the_approved_green(window, qtbot):
    sec = approve(window)
    tab = window.statement_tab
    approved_style = tab.banner.styleSheet()
    assert "#e3f1e3" in approved_style  # approved: green
    service.new_revision(window.store, sec, 2024, "Lønnen var bogført dobbelt")
    window.refresh_navigator((window.secretariat_id, 2024))
    assert tab.banner.isVisibleTo(window) and tab.banner.text().startswith("Revision 2 er en")
    assert "#e3f1e3" not in tab.banner.styleSheet()


def test_an_approval_changed_outside_the_program_is_never_shown_as_approved(window, qtbot,
                                                                            tmp_path):
    import sqlite3

    approve(window)
    conn = sqlite3.connect(window.store.path)  # an attacker's own connection
    with conn:
        conn.execute("DROP TRIGGER statement_line_frozen_budget_update")
        conn.execute("UPDATE statement_line SET budget = 9999900 WHERE year = 2024 "
                     "AND name = 'Husleje'")
    conn.close()
    window.refresh_navigator((window.secretariat_id, 2024))
    tab = window.statement_tab
    text = tab.banner.text()
    assert tab.banner.isVisible() or not window.isVisible()
    assert "ændret uden om programmet" in text and "Husleje" in text
    assert not text.startswith("Godkendt af") and "#e3f1e3" not in tab.banner.styleSheet()
    assert "#c62828" in tab.banner.styleSheet()
    if shots := os.environ.get("KKR_SHOTS"):
        window.grab().save(str(Path(shots) / "tampered_banner.png"))
