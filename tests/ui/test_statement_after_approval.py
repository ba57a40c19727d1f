"""Statement 2025 after statement 2024 is approved: budget 2024 is fixed, regnskab 2024 and
budget 2025 are open. The buttons, removing and moving posts, and what is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from ui_helpers import cell_text, col_of, row_of

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.statement import Column, Kind
from kkr_desktop.services import approval, catalog
from kkr_desktop.services.rates import set_pl_rate
from kkr_desktop.ui.note_dialog import NoteDialog

HUSLEJE = "Husleje"
APPROVED = "budget 2024 er godkendt af KKR Nordjylland den 12. marts 2024 (punkt 2.4, revision 1)"


def names(window, year: int) -> list[str]:
    return [ln.name for ln in catalog.year_lines(window.store, window.secretariat_id, year)]


def stored(window, year: int, name: str):
    return next((ln for ln in catalog.year_lines(window.store, window.secretariat_id, year)
                 if ln.name == name), None)


@pytest.fixture
def window_2025(window):
    """The window on statement 2025, made with «Opret budget 2025» after approving 2024."""
    sec = catalog.secretariat(window.store, window.secretariat_id)
    approval.approve(window.store, sec, 2024, ApprovalFacts(
        "KKR Nordjylland", date(2024, 3, 12), "2.4",
        (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),)))
    set_pl_rate(window.store, 2025, expected=Decimal("3.9"))
    window.statement_tab.create_next_budget()
    assert window.year == 2025
    window.undo_stack.clear()
    return window


def select(window, name: str | None, group: Column = Column.ACTUAL_PREV,
           side: Kind = Kind.EXPENSE) -> None:
    tab = window.statement_tab
    row = tab.model.total_row() if name is None else row_of(tab.model, name)
    tab.table.setCurrentIndex(tab.model.index(row, col_of(group, side)))


def enabled(window) -> dict[str, bool]:
    tab = window.statement_tab
    return {b.text(): b.isEnabled() for b in (tab.add_button, tab.remove_button,
                                                tab.up_button, tab.down_button,
                                                tab.note_button)}


def test_buttons_follow_what_can_be_done_for_the_current_cell(window_2025):
    tab = window_2025.statement_tab
    select(window_2025, HUSLEJE)  # regnskab 2024: open
    assert enabled(window_2025) == {"Ny post": True, "Slet post": True, "Flyt op": True,
                                    "Flyt ned": True, "Fodnote…": True}
    assert tab.remove_button.toolTip() == ("Sletter posten fra 2025. I 2024 står posten "
                                           f"uændret, fordi {APPROVED}.")
    select(window_2025, HUSLEJE, Column.BUDGET_PREV)  # approved: no footnote here
    assert not tab.note_button.isEnabled()
    assert "Budget 2024 indgår i en godkendt opgørelse" in tab.note_button.toolTip()
    assert tab.remove_button.isEnabled()  # the post still can go from budget 2025
    select(window_2025, HUSLEJE, Column.BUDGET)
    assert tab.note_button.isEnabled()
    select(window_2025, "Indkrævet hos kommunerne", Column.BUDGET, Kind.INCOME)  # first row
    assert not tab.up_button.isEnabled() and tab.down_button.isEnabled()
    select(window_2025, None)  # «I alt»
    assert enabled(window_2025) == {"Ny post": True, "Slet post": False, "Flyt op": False,
                                    "Flyt ned": False, "Fodnote…": False}


def test_the_footnote_menu_does_what_the_button_says(window_2025, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(NoteDialog, "ask",
                        lambda *a: asked.append(a[1]) or ("Huslejen steg.", True))
    tab = window_2025.statement_tab
    select(window_2025, HUSLEJE, Column.BUDGET_PREV)
    tab.edit_note()  # as Rediger → Fodnote… does: refused, nothing asked
    assert asked == [] and stored(window_2025, 2024, HUSLEJE).budget_note == ""
    select(window_2025, HUSLEJE, Column.ACTUAL_PREV)
    tab.edit_note()
    assert stored(window_2025, 2024, HUSLEJE).actual_note == "Huslejen steg."
    assert "Regnskab 2024" in asked[0]


def test_removing_a_post_keeps_it_in_the_approved_year_and_undo_restores_it(window_2025,
                                                                            messages):
    tab, model = window_2025.statement_tab, window_2025.statement_tab.model
    before_2025, before_2024 = names(window_2025, 2025), names(window_2025, 2024)
    said: list[str] = []
    tab.status.connect(said.append)
    select(window_2025, HUSLEJE)
    tab.remove_button.click()

    assert messages == []  # not refused
    assert HUSLEJE not in names(window_2025, 2025)
    assert names(window_2025, 2024) == before_2024
    assert stored(window_2025, 2024, HUSLEJE).budget == 3_761_800
    # The row stays, with the approved budget 2024 and an empty budget 2025.
    row = row_of(model, HUSLEJE)
    assert cell_text(model, row, Column.BUDGET_PREV, Kind.EXPENSE) == "37.618"
    assert cell_text(model, row, Column.BUDGET, Kind.EXPENSE) == ""
    assert said[-1] == (f"«{HUSLEJE}» er slettet fra 2025. I 2024 står posten uændret, "
                        f"fordi {APPROVED}.")

    window_2025.undo_stack.undo()
    assert names(window_2025, 2025) == before_2025
    assert stored(window_2025, 2025, HUSLEJE).budget == 3_761_800
    window_2025.undo_stack.redo()
    assert HUSLEJE not in names(window_2025, 2025)
    assert names(window_2025, 2024) == before_2024


def test_a_post_only_in_the_approved_year_is_refused_with_the_reason(window_2025, messages):
    tab = window_2025.statement_tab
    select(window_2025, HUSLEJE)
    tab.remove_line()
    count = window_2025.undo_stack.count()
    select(window_2025, HUSLEJE)
    assert not tab.remove_button.isEnabled()
    assert "ikke med i budget 2025" in tab.remove_button.toolTip()
    tab.remove_line()  # as the menu does
    assert window_2025.undo_stack.count() == count
    assert stored(window_2025, 2024, HUSLEJE) is not None
    text = messages[-1][1]
    assert text.startswith(f"«{HUSLEJE}» kan ikke slettes: posten indgår i 2024, og "
                           f"{APPROVED}. Posten er ikke med i budget 2025;")
    # Moving it would change the approved order: refused the same way.
    assert not tab.up_button.isEnabled() and not tab.down_button.isEnabled()
    tab.move_line(-1)
    assert messages[-1][1].startswith(f"«{HUSLEJE}» kan ikke flyttes: posten indgår i 2024")


def test_a_new_post_with_only_a_regnskab_goes_from_both_years(window_2025, messages):
    tab, model = window_2025.statement_tab, window_2025.statement_tab.model
    select(window_2025, "Løn")
    tab.add_line()
    row = row_of(model, "Ny post")
    assert model.flags(model.index(row, 0)) & Qt.ItemFlag.ItemIsEditable  # only in 2025
    assert model.setData(model.index(row, 0), "Ekstern konsulent")
    row = row_of(model, "Ekstern konsulent")
    assert model.setData(model.index(row, col_of(Column.ACTUAL_PREV, Kind.EXPENSE)), "12.000")
    assert stored(window_2025, 2024, "Ekstern konsulent").actual == 1_200_000
    # Now in 2024 too, whose names are approved: no more renaming.
    assert not model.flags(model.index(row, 0)) & Qt.ItemFlag.ItemIsEditable

    select(window_2025, "Ekstern konsulent")
    assert tab.remove_button.toolTip() == "Sletter posten fra 2024 og 2025."
    tab.remove_button.click()
    assert messages == []
    assert stored(window_2025, 2024, "Ekstern konsulent") is None
    assert stored(window_2025, 2025, "Ekstern konsulent") is None
    window_2025.undo_stack.undo()
    assert stored(window_2025, 2024, "Ekstern konsulent").actual == 1_200_000
    assert names(window_2025, 2025).index("Ekstern konsulent") == \
        names(window_2025, 2025).index("Løn") + 1


def test_moving_a_post_moves_it_in_budget_2025_only(window_2025, messages):
    tab, model = window_2025.statement_tab, window_2025.statement_tab.model
    before_2024 = names(window_2025, 2024)
    select(window_2025, "Løn")
    tab.up_button.click()
    assert messages == []
    assert names(window_2025, 2025)[2:4] == ["Løn", HUSLEJE]
    assert names(window_2025, 2024) == before_2024
    assert model.lines[2].name == "Løn"
    assert tab.table.currentIndex().row() == 2  # the post stays selected
    window_2025.undo_stack.undo()
    assert names(window_2025, 2025)[2:4] == [HUSLEJE, "Løn"]


def test_renaming_or_changing_the_kind_of_an_approved_post_says_why(window_2025):
    tab, model = window_2025.statement_tab, window_2025.statement_tab.model
    row = row_of(model, HUSLEJE)
    assert not model.flags(model.index(row, 0)) & Qt.ItemFlag.ItemIsEditable
    said: list[str] = []
    tab.status.connect(said.append)
    tab.table.doubleClicked.emit(model.index(row, 0))
    assert said[-1].startswith(f"«{HUSLEJE}» kan ikke omdøbes: posten indgår i 2024, og "
                               f"{APPROVED}. Navnet binder posten sammen")

    assert not model.setData(model.index(row, 1), "Indtægt")  # e.g. pasted
    assert tab.error_label.text().startswith(f"«{HUSLEJE}» kan ikke skifte art:")
    assert stored(window_2025, 2025, HUSLEJE).kind is Kind.EXPENSE
    assert window_2025.undo_stack.count() == 0


def test_a_valid_entry_clears_the_error_even_when_it_changes_nothing(window):
    tab, model = window.statement_tab, window.statement_tab.model
    index = model.index(row_of(model, HUSLEJE), col_of(Column.BUDGET, Kind.EXPENSE))
    assert not model.setData(index, "abc")
    assert tab.error_label.isVisible()
    assert model.setData(index, "37.618")  # the stored value, typed again
    assert not tab.error_label.isVisible() and tab.error_label.text() == ""
    assert window.undo_stack.count() == 0
    assert not model.setData(index, "abc")
    assert model.setData(index, "40.000")  # a change clears it as well
    assert not tab.error_label.isVisible()
    assert stored(window, 2024, HUSLEJE).budget == 4_000_000
