"""On screen as on paper: a column with øre shows øre on every row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_helpers import cell_text, col_of, row_of

from kkr_desktop.core.statement import Column, Kind


def test_a_column_with_ore_shows_ore_on_every_row_as_printed(window):
    """Regnskab 2023 has 1.690.518,25 and 647.162,22: its whole amounts show ",00" too (as
    the printed document does); the budget columns stay in whole kroner."""
    model = window.statement_tab.model
    actual = [cell_text(model, r, Column.ACTUAL_PREV, side)
              for r in range(len(model.lines)) for side in Kind]
    shown = [t for t in actual if t]
    assert "1.690.518,25 ¹" in shown and "1.501.778,00" in shown and "0,00" in shown
    assert all(t.split(" ")[0][-3] == "," for t in shown), shown
    assert cell_text(model, model.total_row(), Column.ACTUAL_PREV, Kind.EXPENSE) == \
        "1.766.191,00"
    assert cell_text(model, row_of(model, "Løn"), Column.BUDGET, Kind.EXPENSE) == "1.509.563"
    assert cell_text(model, row_of(model, "Løn"), Column.BUDGET_PREV, Kind.EXPENSE) == \
        "1.498.752"


def test_a_whole_amount_typed_into_a_column_with_ore_shows_its_ore(window, qtbot):
    tab = window.statement_tab
    model, table = tab.model, tab.table
    row = row_of(model, "IT, tele, licenser og abonnementer")
    table.setCurrentIndex(model.index(row, col_of(Column.ACTUAL_PREV, Kind.EXPENSE)))
    table.setFocus()
    qtbot.keyClicks(table, "2")
    editor = table.focusWidget()
    qtbot.keyClicks(editor, "5.000")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1)
    assert cell_text(model, row, Column.ACTUAL_PREV, Kind.EXPENSE) == "25.000,00"
    assert cell_text(model, model.total_row(), Column.ACTUAL_PREV, Kind.EXPENSE) == \
        "1.768.267,00"
