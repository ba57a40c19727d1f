"""PL-satser: the year to add is offered and can be chosen, an unsaved year can be removed,
empty rows are not stored, and each saved rate says when it was last changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kkr_desktop.services.rates import all_rates, changed_on, set_pl_rate, suggested_year


def dialog_for(window):
    from kkr_desktop.ui.rates_dialog import RatesDialog

    return RatesDialog(window.store, window)


def test_the_year_after_the_newest_is_offered_or_next_year_on_an_empty_table():
    assert suggested_year([2023, 2024]) == 2025
    assert suggested_year([], today=date(2026, 11, 23)) == 2027


def test_a_chosen_year_is_added_in_order_and_cannot_be_added_twice(window, messages):
    dialog = dialog_for(window)
    assert dialog.new_year.value() == 2025  # the demo has 2023 and 2024
    dialog.new_year.setValue(2028)
    dialog.add_button.click()
    assert dialog.years == [2023, 2024, 2028]
    assert dialog.new_year.value() == 2029  # the next after the newest is offered again
    dialog.new_year.setValue(2028)
    assert not dialog.add_button.isEnabled() and "findes allerede" in dialog.add_button.toolTip()
    dialog.new_year.setValue(2025)
    dialog.add_button.click()
    assert dialog.years == [2023, 2024, 2025, 2028]


def test_an_unsaved_year_is_removed_and_a_saved_one_is_not(window, messages):
    dialog = dialog_for(window)
    dialog.add_year(2026)
    assert dialog.current_year() == 2026 and dialog.remove_button.isEnabled()
    dialog.remove_button.click()
    assert dialog.years == [2023, 2024]
    dialog.table.selectRow(0)
    assert dialog.current_year() == 2023
    assert not dialog.remove_button.isEnabled()
    assert "gemt" in dialog.remove_button.toolTip()
    dialog.remove_year()
    assert dialog.years == [2023, 2024]


def test_empty_rows_are_not_stored_and_unchanged_rates_keep_their_date(window, messages):
    store = window.store
    store.conn.execute("UPDATE pl_rate SET updated_at = '2026-11-23T10:15:00+01:00'")
    dialog = dialog_for(window)
    assert dialog.table.item(0, 4).text() == "23.11.2026"
    for year in (2025, 2026, 2027):
        dialog.add_year(year)
    row = dialog.years.index(2027)
    dialog.table.item(row, 1).setText("2,9")
    dialog.accept()
    assert not messages
    assert [r.year for r in all_rates(store)] == [2023, 2024, 2027]
    changed = changed_on(store)
    assert changed[2023] == changed[2024] == date(2026, 11, 23)
    assert changed[2027] == date.today()


def test_a_source_without_a_rate_and_a_cleared_saved_rate_are_refused(window, messages):
    dialog = dialog_for(window)
    dialog.add_year(2025)
    dialog.table.item(2, 3).setText("KL")
    dialog.accept()
    assert "Skriv en sats for 2024→2025" in messages[-1][1]
    dialog.table.item(2, 3).setText("")
    dialog.table.item(0, 2).setText("")  # 2023's final rate, 4,1
    dialog.accept()
    assert "kan ikke fjernes" in messages[-1][1]
    assert all_rates(window.store)[0].final == Decimal("4.1")


def test_an_edited_rate_is_saved_with_todays_date(window, messages):
    set_pl_rate(window.store, 2024, expected=Decimal("4.8"))
    window.store.conn.execute("UPDATE pl_rate SET updated_at = '2025-01-02T09:00:00+01:00'")
    dialog = dialog_for(window)
    dialog.table.item(1, 2).setText("5,1")
    dialog.accept()
    assert not messages
    assert all_rates(window.store)[1].final == Decimal("5.1")
    assert changed_on(window.store) == {2023: date(2025, 1, 2), 2024: date.today()}


def test_screenshot_of_the_rates_dialog(window, messages, tmp_path):
    dialog = dialog_for(window)
    dialog.new_year.setValue(2027)
    dialog.add_year()
    dialog.show()
    assert dialog.grab().save(str(tmp_path / "rates.png"))
