"""Settings, PL rates and About dialogs; remembered layout; missing features; bad database."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from kkr_desktop.core.allocation import Unit
from kkr_desktop.services import catalog
from kkr_desktop.services.rates import all_rates


def test_settings_dialog_saves_name_unit_and_members(window, messages):
    from kkr_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.store, window.secretariat_id, window)
    dialog.name.setText("Sundhedssekretariatet")
    dialog.unit.setCurrentIndex(dialog.unit.findData(Unit.ORE.value))
    first = dialog.members.item(0, 0)  # 773 Morsø leaves the secretariat
    first.setCheckState(Qt.CheckState.Unchecked)
    dialog.accept()
    assert not messages
    sec = catalog.secretariat(window.store, window.secretariat_id)
    assert sec.name == "Sundhedssekretariatet" and sec.unit is Unit.ORE
    assert 773 not in [m.kommunekode for m in catalog.members(window.store, sec.id)]


def test_settings_dialog_moves_a_secretariat_to_another_kkr(window, messages):
    """A secretariat created in the wrong KKR: choose the right one, «Markér alle i
    KKR'et», Gem: the members are that KKR's kommuner, from the year the old ones joined."""
    from kkr_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.store, window.secretariat_id, window)
    assert dialog.default_from == 2022  # the demo's members joined in 2022
    dialog.kkr.setCurrentText("KKR Sjælland")
    assert dialog.members.rowCount() == 11 + 17  # the old members are still listed
    dialog._check_all(True)
    dialog.accept()
    assert not messages
    members = catalog.members(window.store, window.secretariat_id)
    assert len(members) == 17 and {m.from_year for m in members} == {2022}
    sjaelland = {k.code for k in catalog.kommuner(window.store) if k.kkr == "Sjælland"}
    assert {m.kommunekode for m in members} == sjaelland
    assert catalog.secretariat(window.store, window.secretariat_id).kkr == "Sjælland"


def test_settings_dialog_refuses_an_empty_name(window, messages):
    from kkr_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.store, window.secretariat_id, window)
    before = catalog.secretariat(window.store, window.secretariat_id).name
    dialog.name.setText("  ")
    dialog.accept()
    assert messages and "navn" in messages[-1][1]
    assert catalog.secretariat(window.store, window.secretariat_id).name == before


def test_rates_dialog_adds_a_year_and_refuses_a_bad_rate(window, messages):
    from kkr_desktop.ui.rates_dialog import RatesDialog

    dialog = RatesDialog(window.store, window)
    dialog.add_year()
    row = dialog.table.rowCount() - 1
    dialog.table.item(row, 1).setText("3,9")
    dialog.table.item(row, 2).setText("fire")
    dialog.accept()
    assert messages and "fire" in messages[-1][1]
    assert [r.year for r in all_rates(window.store)] == [2023, 2024]
    dialog.table.item(row, 2).setText("")
    dialog.table.item(row, 3).setText("KL, budgetvejledning")
    dialog.accept()
    rate = all_rates(window.store)[-1]
    assert (rate.year, rate.expected, rate.source) == (2025, Decimal("3.9"),
                                                       "KL, budgetvejledning")


def test_about_says_where_the_database_is(window, db_path):
    from kkr_desktop.ui.about import AboutDialog

    assert str(db_path) in AboutDialog(window.store, window).text.text()


def test_layout_and_selection_are_restored(qtbot, window, demo_store, settings):
    from kkr_desktop.ui.main_window import MainWindow

    window.select(window.secretariat_id, 2023)
    window.tabs.setCurrentIndex(2)
    window.close()
    again = MainWindow(demo_store, settings=settings)
    qtbot.addWidget(again)
    assert (again.secretariat_id, again.year) == (window.secretariat_id, 2023)
    assert again.tabs.currentIndex() == 2


def test_a_missing_feature_says_so_instead_of_crashing(window, messages):
    from kkr_desktop.ui import features

    assert features.call(window, "ui.no_such_module", "open", window.store) is None
    assert messages[-1][1] == "Denne funktion er ikke tilgængelig endnu."


def test_a_database_that_cannot_be_opened_is_reported(qapp, tmp_path, messages):
    from kkr_desktop.cli import main

    assert main(["--db", str(tmp_path), "gui"]) != 0  # a folder, not a database file
    assert messages and "mappe" in messages[-1][1]


def test_a_statement_file_is_imported_from_the_file_menu(window, qtbot, tmp_path, messages):
    from kkr_desktop.services.statements import export_statement

    sec = catalog.secretariat(window.store, window.secretariat_id)
    text = export_statement(window.store, sec, 2024).replace(";Husleje;", ";Husleje og el;")
    path = tmp_path / "opgørelse.csv"
    path.write_text(text, encoding="utf-8")
    window.import_statement(path)
    qtbot.waitUntil(lambda: not window.background.running)
    assert not messages
    names = [ln.name for ln in window.statement_tab.model.lines]
    assert "Husleje og el" in names and "Husleje" not in names
    bad = tmp_path / "forkert.csv"
    bad.write_text(text.replace("37.618", "12,3,4"), encoding="utf-8")
    window.import_statement(bad)
    qtbot.waitUntil(lambda: not window.background.running)
    assert messages and "forkert.csv" in messages[-1][1]


def test_the_development_chart_shows_each_year(window):
    from kkr_desktop.ui.main_window import TAB_CHART

    window.tabs.setCurrentIndex(TAB_CHART)
    chart = window.chart_tab.chart_view.chart()
    series = chart.series()[0]
    assert [s.label() for s in series.barSets()][0] == "Budget, udgifter i alt"
    assert series.barSets()[0].count() == 2  # 2023 and 2024
    assert "2.316.569" in window.chart_tab.table_label.text()
    # The amount axis (in 1.000 kr.) reads as Danish numbers, with a thousands separator,
    # and reaches above the highest bar: budget 2023, 2.316.569 kr.
    (axis,) = chart.axes(Qt.Orientation.Vertical)
    labels = axis.categoriesLabels()
    values = [int(label.replace(".", "")) for label in labels]
    assert values == sorted(values) and values[0] == 0 and values[-1] >= 2316
    assert any("." in label for label in labels), labels
    assert [axis.endValue(label) for label in labels] == values


def test_axis_ticks_are_whole_and_evenly_spaced():
    from kkr_desktop.ui.chart_tab import axis_ticks

    assert axis_ticks(0, 2500, 6) == [0, 500, 1000, 1500, 2000, 2500]
    assert axis_ticks(0, 1000, 4) == [0, 333, 666, 1000]
    assert axis_ticks(0, 0, 5) == [0]


def test_a_database_open_elsewhere_opens_read_only_when_chosen(qtbot, demo_store, db_path,
                                                              settings, monkeypatch, messages):
    """A second instance: "Åben hos … på … siden …", then read-only: nothing can be edited."""
    from kkr_desktop.services.setup import open_for_use
    from kkr_desktop.ui import open_checks
    from kkr_desktop.ui.main_window import MainWindow

    first = open_for_use(db_path, session=True)  # the window on another PC
    asked: list[str] = []
    monkeypatch.setattr(open_checks, "choose", lambda parent, title, text, options:
                        asked.append(text) or open_checks.READ_ONLY)
    second = open_checks.open_database_interactive(db_path, False, settings=settings)
    assert second is not None and second.read_only
    assert asked and "Åben hos " in asked[0] and " siden " in asked[0]
    w = MainWindow(second, settings=settings)
    qtbot.addWidget(w)
    assert w.windowTitle().endswith("(skrivebeskyttet)")
    assert w.statement_tab.model.locked
    assert "skrivebeskyttet" in w.statement_tab.banner.text()
    population = w.population_tab
    w.tabs.setCurrentWidget(population)
    assert not population.import_button.isEnabled()
    assert not population.model.flags(population.model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    second.close()
    first.close()


def test_settings_signatories_are_saved_and_offered_at_approval(window, messages):
    from kkr_desktop.core.approval import Signatory
    from kkr_desktop.services import approval
    from kkr_desktop.ui.approval import ApprovalDialog
    from kkr_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.store, window.secretariat_id, window)
    page = dialog.sections[0]
    page.add_row(Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"))
    page.add_row(Signatory("", "Næstformand"))  # a title without a name
    dialog.accept()
    assert messages and "titel («Næstformand») men intet navn" in messages[-1][1]
    assert approval.default_signatories(window.store, window.secretariat_id) == []
    page.table.item(1, 0).setText("Mogens Gade")
    messages.clear()
    dialog.accept()
    assert not messages
    people = [Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),
              Signatory("Mogens Gade", "Næstformand")]
    assert approval.default_signatories(window.store, window.secretariat_id) == people
    offered = ApprovalDialog(window, window.store, window.secretariat_id, 2024)
    assert offered.facts().signatories == tuple(people)


def test_menu_actions_follow_the_statement_buttons(window):
    """Rediger's post actions are enabled as the tab's buttons are, with the same reason."""
    from kkr_desktop.ui.statement_model import FIRST_AMOUNT, NAME

    tab = window.statement_tab
    pairs = window.statement_actions
    assert all(a.isEnabled() == b.isEnabled() for a, b in pairs)
    note_action = next(a for a, b in pairs if b is tab.note_button)
    tab.table.setCurrentIndex(tab.model.index(2, NAME))  # a name: no amount to annotate
    assert not tab.note_button.isEnabled() and not note_action.isEnabled()
    assert note_action.toolTip() == tab.note_button.toolTip() != ""
    tab.table.setCurrentIndex(tab.model.index(2, FIRST_AMOUNT))
    assert tab.note_button.isEnabled() and note_action.isEnabled()


def test_no_two_menu_actions_share_a_shortcut(window):
    from PySide6.QtGui import QAction

    keys = [a.shortcut().toString() for a in window.findChildren(QAction)
            if not a.shortcut().isEmpty()]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
