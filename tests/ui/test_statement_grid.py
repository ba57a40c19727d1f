"""The statement grid works like Excel: copy and paste of blocks through the real
clipboard, a right-click menu, the sum of a selection, Tab over the cells that take a
figure, a refused entry kept in its cell, and cell arithmetic."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit
from ui_helpers import cell_text, col_of, row_of

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.statement import Column, Kind
from kkr_desktop.services import approval, catalog
from kkr_desktop.services.rates import set_pl_rate

HUSLEJE, LON = "Husleje", "Løn"


def stored(window, year: int, name: str):
    return next(ln for ln in catalog.year_lines(window.store, window.secretariat_id, year)
                if ln.name == name)


def select_block(tab, top: int, left: int, bottom: int, right: int) -> None:
    model = tab.model
    tab.table.setCurrentIndex(model.index(top, left))
    tab.table.selectionModel().select(
        QItemSelection(model.index(top, left), model.index(bottom, right)),
        QItemSelectionModel.SelectionFlag.ClearAndSelect)


def press(qtbot, widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, key, modifier)


def test_ctrl_c_copies_a_block_as_excel_does_with_danish_numbers(window, qtbot):
    tab = window.statement_tab
    model = tab.model
    husleje = row_of(model, HUSLEJE)
    # Husleje and the next post, Budget 2023 and Regnskab 2023 (Udgifter and Indtægter).
    select_block(tab, husleje, col_of(Column.BUDGET_PREV, Kind.EXPENSE),
                 husleje + 1, col_of(Column.ACTUAL_PREV, Kind.INCOME))
    QGuiApplication.clipboard().clear()
    press(qtbot, tab.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QGuiApplication.clipboard().text()
    rows = [r.split("\t") for r in text.split("\n")]
    assert rows[-1] == [""] and len(rows) == 3  # a newline after every row, as Excel
    nxt = model.lines[husleje + 1]
    expected = [cell_text(model, husleje, Column.BUDGET_PREV, Kind.EXPENSE), "",
                cell_text(model, husleje, Column.ACTUAL_PREV, Kind.EXPENSE).split(" ")[0], ""]
    assert rows[0] == expected
    # No footnote mark in the copy; the regnskab column has øre, so its whole amounts too.
    assert rows[0] == ["33.076", "", "33.889,00", ""]
    assert len(rows[1]) == 4 and nxt.kind is Kind.EXPENSE


def test_ctrl_v_pastes_an_excel_block_as_one_undo_step_and_names_refused_cells(
        window, qtbot):
    tab = window.statement_tab
    model = tab.model
    husleje, lon = row_of(model, HUSLEJE), row_of(model, LON)
    assert lon == husleje + 1
    col = col_of(Column.BUDGET, Kind.EXPENSE)
    # Two rows × two columns from Excel: CRLF, a trailing newline, «kr.» and space
    # thousands, a formula, and a figure on the Indtægter side of an expense.
    QGuiApplication.clipboard().setText("40.000,50 kr.\t\r\n1 500 000+2,5\t17\r\n")
    tab.table.setCurrentIndex(model.index(husleje, col))
    press(qtbot, tab.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    assert stored(window, 2024, HUSLEJE).budget == 4_000_050
    assert stored(window, 2024, LON).budget == 150_000_250
    assert window.undo_stack.count() == 1  # one step for the whole block
    said = tab.error_label.text()
    assert tab.error_label.isVisible()
    assert said.startswith("Indsat 2 beløb; 1 celle afvist:")
    assert "Løn, Budget 2024 indtægter: «Løn» er en udgift; beløbet skal stå under Udgifter" \
        in said

    window.undo_stack.undo()
    assert stored(window, 2024, HUSLEJE).budget == 3_761_800
    assert stored(window, 2024, LON).budget == 150_956_300
    window.undo_stack.redo()
    assert stored(window, 2024, LON).budget == 150_000_250


def test_a_paste_past_the_last_post_is_refused_whole(window, qtbot):
    tab = window.statement_tab
    model = tab.model
    last = len(model.lines) - 1
    before = stored(window, 2024, model.lines[last].name).budget
    QGuiApplication.clipboard().setText("1\n2\n3\n")
    tab.table.setCurrentIndex(model.index(last - 1, col_of(Column.BUDGET, Kind.EXPENSE)))
    press(qtbot, tab.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert tab.error_label.text().startswith("Det indsatte har 3 rækker, men fra «")
    assert "Intet er indsat" in tab.error_label.text()
    assert stored(window, 2024, model.lines[last].name).budget == before
    assert window.undo_stack.count() == 0
    # One column too many to the right.
    QGuiApplication.clipboard().setText("1\t2\n")
    tab.table.setCurrentIndex(model.index(0, model.columnCount() - 1))
    press(qtbot, tab.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert tab.error_label.text().startswith("Det indsatte har 2 kolonner")
    assert window.undo_stack.count() == 0


def test_the_status_bar_shows_the_sum_of_the_selected_amounts(window, qtbot):
    tab = window.statement_tab
    model = tab.model
    husleje = row_of(model, HUSLEJE)
    col = col_of(Column.BUDGET, Kind.EXPENSE)
    tab.table.setCurrentIndex(model.index(husleje, col))
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert tab.sum_label.text() == "Sum: 1.547.181,00 · Antal: 2"  # 37.618 + 1.509.563
    assert tab.sum_label.isVisible()  # in the window's status bar


def test_tab_moves_over_the_cells_that_take_a_figure_and_enter_moves_down(window, qtbot):
    tab = window.statement_tab
    model, table = tab.model, tab.table
    husleje = row_of(model, HUSLEJE)
    table.setCurrentIndex(model.index(husleje, 0))  # on the post's name
    press(qtbot, table, Qt.Key.Key_Tab)
    # Husleje is an expense: Art, Rolle and the Indtægter cells are passed over.
    assert table.currentIndex() == model.index(husleje, col_of(Column.BUDGET_PREV,
                                                               Kind.EXPENSE))
    press(qtbot, table, Qt.Key.Key_Tab)
    assert table.currentIndex().column() == col_of(Column.ACTUAL_PREV, Kind.EXPENSE)
    press(qtbot, table, Qt.Key.Key_Tab)
    assert table.currentIndex().column() == col_of(Column.BUDGET, Kind.EXPENSE)
    press(qtbot, table, Qt.Key.Key_Tab)  # on to the next post, past its name
    assert (table.currentIndex().row(), table.currentIndex().column()) == (
        husleje + 1, col_of(Column.BUDGET_PREV, Kind.EXPENSE))
    press(qtbot, table, Qt.Key.Key_Backtab)
    assert table.currentIndex() == model.index(husleje, col_of(Column.BUDGET, Kind.EXPENSE))
    press(qtbot, table, Qt.Key.Key_Return)
    assert table.currentIndex().row() == husleje + 1


@pytest.fixture
def window_2025(window):
    """Statement 2025 after statement 2024 is approved: budget 2024 is frozen."""
    sec = catalog.secretariat(window.store, window.secretariat_id)
    approval.approve(window.store, sec, 2024, ApprovalFacts(
        "KKR Nordjylland", date(2024, 3, 12), "2.4",
        (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),)))
    set_pl_rate(window.store, 2025, expected=Decimal("3.9"))
    window.statement_tab.create_next_budget()
    assert window.year == 2025
    window.undo_stack.clear()
    return window


def test_tab_skips_an_approved_year_and_a_paste_there_is_refused(window_2025, qtbot):
    tab = window_2025.statement_tab
    model, table = tab.model, tab.table
    husleje = row_of(model, HUSLEJE)
    table.setCurrentIndex(model.index(husleje, 0))
    press(qtbot, table, Qt.Key.Key_Tab)  # Budget 2024 is approved: on to Regnskab 2024
    assert table.currentIndex() == model.index(husleje, col_of(Column.ACTUAL_PREV,
                                                               Kind.EXPENSE))
    # A row from Excel over Budget 2024 and Regnskab 2024: the approved figure is refused
    # with the reason, the open one is pasted.
    QGuiApplication.clipboard().setText("1\t\t2\n")
    table.setCurrentIndex(model.index(husleje, col_of(Column.BUDGET_PREV, Kind.EXPENSE)))
    press(qtbot, table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert stored(window_2025, 2024, HUSLEJE).actual == 200
    assert stored(window_2025, 2024, HUSLEJE).budget == 3_761_800
    assert "Husleje, Budget 2024 udgifter: Budget 2024 indgår i en godkendt opgørelse" \
        in tab.error_label.text()
    assert window_2025.undo_stack.count() == 1


def test_a_refused_entry_stays_in_its_cell_with_the_reason(window, qtbot):
    tab = window.statement_tab
    model, table = tab.model, tab.table
    husleje = row_of(model, HUSLEJE)
    index = model.index(husleje, col_of(Column.BUDGET, Kind.EXPENSE))
    table.setCurrentIndex(index)
    height = tab.error_box.height()
    y = table.mapTo(tab, table.rect().topLeft()).y()
    table.setFocus()
    qtbot.keyClicks(table, "1")
    editor = table.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "2,3,4")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert table.focusWidget() is editor and editor.isVisible()  # still editing
    assert editor.text() == "12,3,4"
    assert "red" in editor.styleSheet() or "#b00020" in editor.styleSheet()
    assert "«12,3,4» har mere end ét decimalkomma." in tab.error_label.text()
    assert tab.error_label.isVisible()
    assert table.currentIndex() == index  # the cursor did not move
    assert tab.error_box.height() == height  # the grid did not jump
    assert table.mapTo(tab, table.rect().topLeft()).y() == y
    assert stored(window, 2024, HUSLEJE).budget == 3_761_800
    # Corrected in place, with a formula: stored, and the cursor moves down.
    editor.selectAll()
    qtbot.keyClicks(editor, "30000+7502")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1)
    assert stored(window, 2024, HUSLEJE).budget == 3_750_200
    assert table.currentIndex().row() == husleje + 1
    assert not tab.error_label.isVisible()


def test_the_right_click_menu_copies_pastes_clears_and_undoes(window, qtbot):
    tab = window.statement_tab
    model, table = tab.model, tab.table
    husleje = row_of(model, HUSLEJE)
    col = col_of(Column.BUDGET, Kind.EXPENSE)
    rect = table.visualRect(model.index(husleje, col))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    table.customContextMenuRequested.emit(rect.center())  # what a right click sends
    menu = tab.context_menu
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts[:4] == ["Kopiér", "Indsæt", "Slet indhold", "Fortryd"]
    assert {"Ny post", "Slet post", "Flyt op", "Flyt ned", "Fodnote…"} <= set(texts)

    def choose(text: str) -> None:
        table.customContextMenuRequested.emit(rect.center())
        action = next(a for a in tab.context_menu.actions() if a.text().startswith(text))
        qtbot.mouseClick(tab.context_menu, Qt.MouseButton.LeftButton,
                         pos=tab.context_menu.actionGeometry(action).center())

    choose("Kopiér")
    assert QGuiApplication.clipboard().text() == "37.618\n"
    choose("Slet indhold")
    assert stored(window, 2024, HUSLEJE).budget is None
    choose("Indsæt")
    assert stored(window, 2024, HUSLEJE).budget == 3_761_800
    choose("Fortryd")
    assert stored(window, 2024, HUSLEJE).budget is None


def test_the_totals_stay_in_sight_when_the_posts_scroll(window, qtbot):
    window.resize(1366, 600)
    tab = window.statement_tab
    model, table, totals = tab.model, tab.table, tab.totals
    for _ in range(6):
        tab.add_line()
        table.closePersistentEditor(table.currentIndex())
    qtbot.wait(50)
    assert table.verticalScrollBar().isVisible()
    col = col_of(Column.BUDGET, Kind.EXPENSE)
    for key in (Qt.Key.Key_Home, Qt.Key.Key_End):  # top of the posts, then the bottom
        press(qtbot, table, key, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(20)
        for row, text in ((model.total_row(), "I alt"), (model.result_row(),
                                                          "Overskud/underskud")):
            rect = totals.visualRect(model.index(row, 0))
            assert totals.viewport().rect().contains(rect), (key, row)
            assert model.index(row, 0).data() == text
        assert totals.visualRect(model.index(model.total_row(), col)).left() == \
            table.visualRect(model.index(0, col)).left()  # under its column
    assert table.isRowHidden(model.total_row())  # shown once, in the pinned rows
    assert cell_text(model, model.total_row(), Column.BUDGET, Kind.EXPENSE) == "2.019.061"


def drag_post(qtbot, table, model, source: int, target: int) -> None:
    """Drag the post in row `source` by its name and drop it on row `target`: the events a
    mouse drag delivers to the grid."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    data = model.mimeData([model.index(source, 0)])
    pos = table.visualRect(model.index(target, 0)).center()
    viewport = table.viewport()
    args = (Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, data,
            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, QDragEnterEvent(pos, *args))
    QApplication.sendEvent(viewport, QDragMoveEvent(pos, *args))
    QApplication.sendEvent(viewport, QDropEvent(QPointF(pos), *args))


def test_a_post_dragged_onto_another_row_moves_there_as_one_undo_step(window, qtbot):
    tab = window.statement_tab
    model = tab.model
    before = [ln.name for ln in model.lines]
    husleje = row_of(model, HUSLEJE)
    drag_post(qtbot, tab.table, model, husleje, 0)
    after = [ln.name for ln in model.lines]
    assert after == [HUSLEJE] + [n for n in before if n != HUSLEJE]
    for year in (2023, 2024):  # through «Flyt post»'s service, in both years
        assert [ln.name for ln in catalog.year_lines(window.store, window.secretariat_id,
                                                     year)][0] == HUSLEJE
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert [ln.name for ln in model.lines] == before


def test_dragging_a_post_of_an_approved_statement_is_refused_with_the_reason(
        window, qtbot, messages):
    sec = catalog.secretariat(window.store, window.secretariat_id)
    approval.approve(window.store, sec, 2024, ApprovalFacts(
        "KKR Nordjylland", date(2024, 3, 12), "2.4",
        (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),)))
    window.select(window.secretariat_id, 2024)
    tab = window.statement_tab
    before = [ln.name for ln in tab.model.lines]
    drag_post(qtbot, tab.table, tab.model, row_of(tab.model, HUSLEJE), 0)
    assert [ln.name for ln in tab.model.lines] == before
    assert window.undo_stack.count() == 0
    title, text = messages[-1]
    assert title == "Opgørelsen er godkendt"
    assert text.startswith("Godkendt af KKR Nordjylland den 12. marts 2024 (punkt 2.4")
