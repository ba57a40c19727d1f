"""Two officers on one database, seen from the window: another connection's commit shows in
place, a save of a post changed meanwhile is refused without losing either value, and an
approval by someone else makes the open statement read-only in place."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView
from ui_helpers import cell_text, col_of, row_of

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.statement import Column, Kind
from kkr_desktop.services import approval, catalog, statements
from kkr_desktop.store import secretariats
from kkr_desktop.store.db import open_store
from kkr_desktop.ui.frozen_cells import LOCKED

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))


@pytest.fixture
def lene(window, db_path):
    """A second officer: her own connection to the window's database file."""
    other = open_store(db_path)
    other.user = "lene"
    yield other
    other.close()


def _budget_2024(window, name: str):
    return next(ln.budget for ln in catalog.year_lines(window.store, window.secretariat_id,
                                                        2024) if ln.name == name)


def test_another_officers_change_is_shown_in_place(window, lene):
    tab = window.statement_tab
    assert window.year == 2024
    husleje = row_of(tab.model, "Husleje")
    current = tab.model.index(row_of(tab.model, "Løn"), col_of(Column.BUDGET, Kind.EXPENSE))
    tab.table.setCurrentIndex(current)
    extra = tab.model.index(husleje, col_of(Column.BUDGET, Kind.EXPENSE))
    tab.table.selectionModel().select(extra, QItemSelectionModel.SelectionFlag.Select)

    window.live.poll()  # nothing committed elsewhere: nothing happens
    assert cell_text(tab.model, husleje, Column.BUDGET, Kind.EXPENSE) == "37.618"

    statements.set_line_field(lene, window.secretariat_id, 2024, "Husleje", "budget",
                              40_000_00)
    window.live.poll()
    assert cell_text(tab.model, husleje, Column.BUDGET, Kind.EXPENSE) == "40.000"
    assert window.statusBar().currentMessage().startswith(
        "Opdateret: lene ændrede «Husleje», budget 2024 fra 37.618,00 til 40.000,00 kl. ")
    assert tab.table.currentIndex() == current
    assert {(i.row(), i.column()) for i in tab.table.selectionModel().selectedIndexes()} \
        == {(current.row(), current.column()), (extra.row(), extra.column())}


def test_no_refresh_under_an_open_cell_editor(window, lene):
    tab = window.statement_tab
    husleje = row_of(tab.model, "Husleje")
    index = tab.model.index(row_of(tab.model, "Løn"), col_of(Column.BUDGET, Kind.EXPENSE))
    tab.table.setCurrentIndex(index)
    tab.table.edit(index)
    assert tab.table.state() == QAbstractItemView.State.EditingState

    statements.set_line_field(lene, window.secretariat_id, 2024, "Husleje", "budget",
                              40_000_00)
    window.live.poll()
    assert tab.table.state() == QAbstractItemView.State.EditingState  # the editor stays
    assert cell_text(tab.model, husleje, Column.BUDGET, Kind.EXPENSE) == "37.618"

    QTest.keyClick(tab.table.focusWidget() or tab.table, Qt.Key.Key_Escape)
    assert tab.table.state() != QAbstractItemView.State.EditingState
    window.live.poll()  # the change waited for the editor
    assert cell_text(tab.model, husleje, Column.BUDGET, Kind.EXPENSE) == "40.000"


def test_a_save_of_a_post_changed_meanwhile_is_refused_and_the_entry_kept(window, lene,
                                                                         messages):
    tab = window.statement_tab
    husleje = row_of(tab.model, "Husleje")
    index = tab.model.index(husleje, col_of(Column.BUDGET, Kind.EXPENSE))
    # Lene saves before this window's next poll.
    statements.set_line_field(lene, window.secretariat_id, 2024, "Husleje", "budget",
                              40_000_00)
    assert not tab.model.setData(index, "41.000", Qt.ItemDataRole.EditRole)

    assert _budget_2024(window, "Husleje") == 40_000_00  # hers stands
    assert cell_text(tab.model, husleje, Column.BUDGET, Kind.EXPENSE) == "40.000"
    assert window.statusBar().currentMessage() == \
        "Ikke gemt – din indtastning: «Husleje», budget 2024: 41.000,00"
    [(title, text)] = messages
    assert title == "Ændret af en anden"
    assert text.startswith("Ændringen er ikke gemt: lene ændrede «Husleje», budget 2024 fra "
                           "37.618,00 til 40.000,00 kl. ")
    assert text.endswith("efter at du åbnede opgørelsen. Opgørelsen er opdateret; din "
                         "indtastning («Husleje», budget 2024: 41.000,00) står i "
                         "statuslinjen, så du kan skrive den igen.")
    assert tab.error_label.text() == text
    assert window.undo_stack.count() == 0

    # Typed again over the value now on screen, it is saved.
    assert tab.model.setData(index, "41.000", Qt.ItemDataRole.EditRole)
    assert _budget_2024(window, "Husleje") == 41_000_00


def test_an_approval_by_another_makes_the_statement_read_only_in_place(window, lene, qtbot,
                                                                      tmp_path):
    tab = window.statement_tab
    index = tab.model.index(row_of(tab.model, "Løn"), col_of(Column.BUDGET, Kind.EXPENSE))
    tab.table.setCurrentIndex(index)
    assert tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not tab.banner.isVisible()

    approval.approve(lene, secretariats.get(lene, window.secretariat_id), 2024, FACTS)
    window.live.poll()

    assert tab.model.locked
    assert tab.banner.isVisible()
    assert tab.banner.text().startswith("Godkendt af KKR Nordjylland den 12. marts 2024")
    assert window.statusBar().currentMessage().startswith(
        "Opdateret: lene godkendte opgørelsen for 2024 kl. ")
    assert window.statusBar().currentMessage().endswith(" — opgørelsen er nu låst.")
    assert not tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert tab.table.currentIndex() == index
    assert window.grab().save(str(tmp_path / "read_only_in_place.png"))
    tab.table.setFocus()
    QTest.keyClicks(tab.table, "1000")
    assert window.statusBar().currentMessage() == LOCKED
    assert tab.table.state() != QAbstractItemView.State.EditingState
    assert not tab.add_button.isEnabled()
