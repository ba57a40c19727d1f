"""The statement tab driven like a user: edit, refuse, undo, redo, warnings, new year."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from ui_helpers import cell_text, col_of, row_of

from kkr_desktop.core.errors import LockedError
from kkr_desktop.core.statement import Column, Kind
from kkr_desktop.services import catalog
from kkr_desktop.services.rates import set_pl_rate

HUSLEJE = "Husleje"


def stored(window, year: int, name: str):
    lines = catalog.year_lines(window.store, window.secretariat_id, year)
    return next(ln for ln in lines if ln.name == name)


def warnings_text(window) -> str:
    w = window.statement_tab.warnings
    return "\n".join(w.item(i).text() for i in range(w.count()))


def test_window_opens_on_the_demo_statement(window):
    assert window.windowTitle() == "KKR Budget og Regnskab"
    model = window.statement_tab.model
    assert window.year == 2024
    assert model.index(model.total_row(), 0).data() == "I alt"
    assert cell_text(model, model.total_row(), Column.BUDGET, Kind.EXPENSE) == "2.019.061"
    assert cell_text(model, model.result_row(), Column.BUDGET, Kind.INCOME) == "-1"
    assert "Budget 2024 balancerer ikke" in warnings_text(window)


def test_typing_husleje_updates_totals_result_warnings_and_database(window, qtbot):
    tab = window.statement_tab
    model, table = tab.model, tab.table
    row = row_of(model, HUSLEJE)
    table.setCurrentIndex(model.index(row, col_of(Column.BUDGET, Kind.EXPENSE)))
    table.setFocus()
    qtbot.keyClicks(table, "3")  # typing starts the editor, as in a spreadsheet
    editor = table.focusWidget()
    assert editor is not table
    qtbot.keyClicks(editor, "7.617")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits on the next turn of the loop
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1)

    assert stored(window, 2024, HUSLEJE).budget == 3_761_700
    assert cell_text(model, row, Column.BUDGET, Kind.EXPENSE) == "37.617"
    assert cell_text(model, model.total_row(), Column.BUDGET, Kind.EXPENSE) == "2.019.060"
    assert cell_text(model, model.result_row(), Column.BUDGET, Kind.INCOME) == "0"
    assert "Budget 2024 balancerer ikke" not in warnings_text(window)
    assert table.currentIndex().row() == row + 1  # Enter moved down
    assert "Gemt" in window.saved_label.text()

    window.undo_stack.undo()
    assert stored(window, 2024, HUSLEJE).budget == 3_761_800
    assert cell_text(model, model.total_row(), Column.BUDGET, Kind.EXPENSE) == "2.019.061"
    assert "Budget 2024 balancerer ikke" in warnings_text(window)

    window.undo_stack.redo()
    assert stored(window, 2024, HUSLEJE).budget == 3_761_700
    assert cell_text(model, model.result_row(), Column.BUDGET, Kind.INCOME) == "0"


def test_undo_works_after_the_view_is_rebuilt(window):
    model = window.statement_tab.model
    index = model.index(row_of(model, HUSLEJE), col_of(Column.ACTUAL_PREV, Kind.EXPENSE))
    assert model.setData(index, "34.000")
    assert stored(window, 2023, HUSLEJE).actual == 3_400_000
    window.select(window.secretariat_id, 2023)  # another statement, then back
    window.select(window.secretariat_id, 2024)
    window.undo_stack.undo()
    assert stored(window, 2023, HUSLEJE).actual == 3_388_900
    assert cell_text(window.statement_tab.model, row_of(model, HUSLEJE),
                     Column.ACTUAL_PREV, Kind.EXPENSE) == "33.889,00 ³"


def test_an_invalid_amount_is_refused_with_a_message_and_nothing_changes(window):
    tab = window.statement_tab
    model = tab.model
    row = row_of(model, HUSLEJE)
    index = model.index(row, col_of(Column.BUDGET, Kind.EXPENSE))
    assert not model.setData(index, "12,3,4")
    assert tab.error_label.isVisible()
    assert "12,3,4" in tab.error_label.text()
    assert stored(window, 2024, HUSLEJE).budget == 3_761_800
    assert cell_text(model, row, Column.BUDGET, Kind.EXPENSE) == "37.618"
    assert window.undo_stack.count() == 0


def test_an_amount_in_the_wrong_side_is_refused(window):
    model = window.statement_tab.model
    index = model.index(row_of(model, HUSLEJE), col_of(Column.BUDGET, Kind.INCOME))
    assert not model.setData(index, "100")
    assert "udgift" in window.statement_tab.error_label.text()
    assert stored(window, 2024, HUSLEJE).budget == 3_761_800


def test_delete_clears_the_selected_amount_and_undo_brings_it_back(window, qtbot):
    tab = window.statement_tab
    model = tab.model
    row = row_of(model, HUSLEJE)
    tab.table.setCurrentIndex(model.index(row, col_of(Column.BUDGET, Kind.EXPENSE)))
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert stored(window, 2024, HUSLEJE).budget is None
    window.undo_stack.undo()
    assert stored(window, 2024, HUSLEJE).budget == 3_761_800


def test_rename_add_move_and_remove_lines_are_undoable(window):
    tab = window.statement_tab
    model = tab.model
    row = row_of(model, HUSLEJE)
    assert model.setData(model.index(row, 0), "Husleje og el")
    assert stored(window, 2023, "Husleje og el").actual == 3_388_900
    assert stored(window, 2024, "Husleje og el").budget == 3_761_800
    tab.table.setCurrentIndex(model.index(row, 0))
    tab.move_line(-1)
    assert model.lines[row - 1].name == "Husleje og el"
    tab.add_line()
    assert any(ln.name == "Ny post" for ln in model.lines)
    tab.table.setCurrentIndex(model.index(row_of(model, "Ny post"), 0))
    tab.remove_line()
    assert not any(ln.name == "Ny post" for ln in model.lines)
    for _ in range(4):
        window.undo_stack.undo()
    assert model.lines[row].name == HUSLEJE
    assert stored(window, 2024, HUSLEJE).budget == 3_761_800


def test_a_footnote_is_marked_in_the_cell_and_listed_below(window):
    tab = window.statement_tab
    model = tab.model
    row = row_of(model, "Løn")
    assert model.set_note(row, Column.BUDGET, "Inkl. ny medarbejder.")
    assert stored(window, 2024, "Løn").budget_note == "Inkl. ny medarbejder."
    assert cell_text(model, row, Column.BUDGET, Kind.EXPENSE).endswith("⁴")
    notes = [tab.notes.item(i).text() for i in range(tab.notes.count())]
    assert any("Inkl. ny medarbejder." in n for n in notes)


def test_clicking_a_warning_selects_its_cell(window, qtbot):
    tab = window.statement_tab
    item = tab.warnings.item(0)
    tab.warnings.itemClicked.emit(item)
    current = tab.table.currentIndex()
    assert current.row() == tab.model.result_row()
    assert current.column() == col_of(Column.BUDGET, Kind.INCOME)


def test_opret_budget_gives_a_balanced_budget_with_the_indexed_contribution(window):
    set_pl_rate(window.store, 2025, expected=Decimal("3.9"))
    window.statement_tab.create_next_budget()
    assert window.year == 2025
    model = window.statement_tab.model
    contribution = row_of(model, "Indkrævet hos kommunerne")
    # 1.771.663 × 1,039 = 1.840.757,86, rounded to whole kroner.
    assert cell_text(model, contribution, Column.BUDGET, Kind.INCOME) == "1.840.758"
    assert cell_text(model, model.result_row(), Column.BUDGET, Kind.INCOME) == "0"
    assert not [w for w in window.statement_tab.view.warnings if w.column is Column.BUDGET]
    window.undo_stack.undo()
    assert catalog.year_lines(window.store, window.secretariat_id, 2025) == []
    assert window.year == 2024


def test_a_locked_statement_cannot_be_edited_and_says_so(window, monkeypatch, messages):
    from kkr_desktop.services import locks

    def locked(store, secretariat_id, year):
        raise LockedError(f"Opgørelsen for {year} er godkendt og kan ikke ændres.")

    monkeypatch.setattr(locks, "ensure_year_editable", locked)
    model = window.statement_tab.model
    index = model.index(row_of(model, HUSLEJE), col_of(Column.BUDGET, Kind.EXPENSE))
    assert not model.setData(index, "40.000")
    assert messages and "godkendt" in messages[-1][1]
    assert stored(window, 2024, HUSLEJE).budget == 3_761_800


def _approve_2024(window):
    from datetime import date

    from kkr_desktop.core.approval import ApprovalFacts, Signatory
    from kkr_desktop.services import approval

    sec = catalog.secretariat(window.store, window.secretariat_id)
    approval.approve(window.store, sec, 2024, ApprovalFacts(
        "KKR Nordjylland", date(2024, 3, 12), "2.4",
        (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),)))


def test_an_approved_statement_shows_the_banner_and_is_read_only(window):
    _approve_2024(window)
    tab = window.statement_tab
    tab.reload()
    assert not tab.banner.isHidden()
    assert "Godkendt af KKR Nordjylland den 12. marts 2024 (punkt 2.4" in tab.banner.text()
    index = tab.model.index(row_of(tab.model, HUSLEJE), col_of(Column.BUDGET, Kind.EXPENSE))
    assert not tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not tab.add_button.isEnabled() and not tab.remove_button.isEnabled()


def test_next_year_keeps_the_approved_budget_column_frozen(window):
    """Statement 2025 shows budget 2024 (approved: frozen), regnskab 2024 (to be entered)
    and budget 2025 (open)."""
    _approve_2024(window)
    set_pl_rate(window.store, 2025, expected=Decimal("3.9"))
    window.statement_tab.create_next_budget()
    assert window.year == 2025
    tab = window.statement_tab
    model = tab.model
    row = row_of(model, HUSLEJE)
    editable = {group: bool(model.flags(model.index(row, col_of(group, Kind.EXPENSE)))
                            & Qt.ItemFlag.ItemIsEditable) for group in Column}
    assert editable == {Column.BUDGET_PREV: False, Column.ACTUAL_PREV: True,
                        Column.BUDGET: True}
    assert "Budget 2024 indgår i den godkendte opgørelse for 2024" in tab.banner.text()
    assert tab.add_button.isEnabled()
    index = model.index(row, col_of(Column.ACTUAL_PREV, Kind.EXPENSE))
    assert model.setData(index, "36.000")
    assert stored(window, 2024, HUSLEJE).actual == 3_600_000


def test_opret_budget_asks_for_a_missing_expected_rate(window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from kkr_desktop.services.rates import all_rates

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("3,9", True))
    window.statement_tab.create_next_budget()
    assert all_rates(window.store)[-1].expected == Decimal("3.9")
    assert window.year == 2025


def test_opret_budget_is_disabled_when_the_next_year_exists(window):
    tab = window.statement_tab
    window.select(window.secretariat_id, 2023)  # the demo has 2024 already
    assert tab.next_button.text() == "Opret budget 2024"
    assert not tab.next_button.isEnabled()
    assert tab.next_button.toolTip() == "Budget 2024 findes allerede"
    window.select(window.secretariat_id, 2024)
    assert tab.next_button.text() == "Opret budget 2025"
    assert tab.next_button.isEnabled()
    assert "findes allerede" not in tab.next_button.toolTip()


def test_opret_budget_is_enabled_again_when_the_new_year_is_undone(window):
    set_pl_rate(window.store, 2025, expected=Decimal("3.9"))
    window.statement_tab.create_next_budget()
    window.select(window.secretariat_id, 2024)
    assert not window.statement_tab.next_button.isEnabled()
    window.undo_stack.undo()
    assert window.year == 2024
    assert window.statement_tab.next_button.isEnabled()
