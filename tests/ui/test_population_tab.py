"""Folketal: the quarter box fits its items, dates are Danish, and the import message names
the quarter as the screen does."""

from __future__ import annotations

from kkr_desktop.services import catalog


def test_the_quarter_box_fits_quarters_imported_after_the_tab_was_shown(
        empty_window, qtbot, data_dir, messages):
    tab = empty_window.population_tab
    empty_window.tabs.setCurrentWidget(tab)
    assert tab.quarter.count() == 0  # first shown empty, as on a new database
    said: list[str] = []
    tab.status.connect(said.append)
    tab.import_file(data_dir / "folk1a_nordjylland_2020K1.csv")
    qtbot.waitUntil(lambda: not tab.background.running)
    qtbot.waitUntil(lambda: tab.quarter.count() == 1)
    tab.layout().activate()
    needed = tab.quarter.fontMetrics().horizontalAdvance("1. kvt. 2020")
    assert tab.quarter.currentText() == "1. kvt. 2020"
    assert tab.quarter.width() > needed + 20  # the text and the arrow
    assert said[-1].startswith("Indlæst folk1a_nordjylland_2020K1.csv: 11 kommuner pr. "
                               "1. kvt. 2020;")
    assert "2020K1;" not in said[-1]
    assert not messages


def test_the_import_date_is_shown_in_danish(window):
    tab = window.population_tab
    window.tabs.setCurrentWidget(tab)
    window.store.conn.execute("UPDATE population SET imported_at = '2026-11-23T10:15:00+01:00'")
    tab._load()
    assert tab.model.index(0, 3).data() == "23.11.2026"
    assert catalog.quarters(window.store) == ["2020K1"]


def test_several_quarters_are_named_as_on_screen():
    from kkr_desktop.ui.population_tab import _quarters_text

    assert _quarters_text(["2026K1"]) == "1. kvt. 2026"
    assert _quarters_text(["2025K1", "2025K2", "2026K1"]) == (
        "1. kvt. 2025, 2. kvt. 2025 og 1. kvt. 2026")
    assert _quarters_text([]) == ""
