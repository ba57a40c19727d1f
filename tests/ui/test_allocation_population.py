"""Fordeling and Folketal tabs on the demo data, compared with the CLI and the store."""

from __future__ import annotations

import json

import pytest

from kkr_desktop.cli import main
from kkr_desktop.core.allocation import AllocationKind, Unit
from kkr_desktop.core.money import format_count, to_json_amount
from kkr_desktop.services import catalog


def cli_allocation(db_path, capsys, *args: str) -> dict:
    capsys.readouterr()
    assert main(["--db", str(db_path), "allocate", "--secretariat", "sundhed", "--year",
                 "2024", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def gui_rows(tab) -> list[dict]:
    a = tab.allocation
    return [{"kommunekode": r.kommunekode, "amount": to_json_amount(r.amount)} for r in a.rows]


def test_fordeling_total_equals_the_amount_and_matches_the_cli(window, db_path, capsys):
    tab = window.allocation_tab
    window.tabs.setCurrentWidget(tab)
    a = tab.allocation
    assert a is not None and a.kind is AllocationKind.CONTRIBUTION
    assert a.total == 177_166_300
    assert sum(r.amount for r in a.rows) == a.total
    model = tab.model
    total_row = model.rowCount() - 1
    assert model.index(total_row, 0).data() == "I alt"
    assert model.index(total_row, 3).data() == "1.771.663"
    cli = cli_allocation(db_path, capsys)
    assert to_json_amount(a.total) == cli["total"]
    assert gui_rows(tab) == [{"kommunekode": r["kommunekode"], "amount": r["amount"]}
                             for r in cli["rows"]]


def test_fordeling_names_the_quarter_the_standard_key_really_uses(window):
    """The demo has population for 1. kvt. 2020 only; budget 2024's usual key quarter is
    1. kvt. 2023. The choice "Standard" says which one is used."""
    tab = window.allocation_tab
    window.tabs.setCurrentWidget(tab)
    assert tab.quarter.itemText(0) == "Standard (1. kvt. 2020)"
    assert tab.allocation.quarter == "2020K1"
    assert "Folketal pr. 1. kvt. 2023 findes ikke" in tab.notice.text()


def test_fordeling_in_ore_with_an_amount_matches_the_cli(window, db_path, capsys):
    tab = window.allocation_tab
    window.tabs.setCurrentWidget(tab)
    tab.set_inputs(kind=AllocationKind.PAYOUT, unit=Unit.ORE, amount="324.093,47")
    a = tab.allocation
    assert a.total == 32_409_347 and sum(r.amount for r in a.rows) == a.total
    cli = cli_allocation(db_path, capsys, "--kind", "payout", "--unit", "ore", "--amount",
                         "324.093,47")
    assert gui_rows(tab) == [{"kommunekode": r["kommunekode"], "amount": r["amount"]}
                             for r in cli["rows"]]


def test_saving_the_fordeling_stores_it(window, db_path, capsys):
    from kkr_desktop.store import allocations

    tab = window.allocation_tab
    window.tabs.setCurrentWidget(tab)
    tab.save_button.click()
    stored = allocations.latest(window.store, window.secretariat_id, 2024,
                                AllocationKind.CONTRIBUTION)
    assert stored is not None and stored.allocation.total == 177_166_300


def test_a_bad_amount_in_fordeling_is_explained(window):
    tab = window.allocation_tab
    window.tabs.setCurrentWidget(tab)
    tab.set_inputs(amount="12,3,4")
    assert tab.allocation is None
    assert "12,3,4" in tab.notice.text()
    assert not tab.save_button.isEnabled()


def test_a_bad_population_file_shows_an_error_and_imports_nothing(window, qtbot, tmp_path,
                                                                  messages):
    bad = tmp_path / "folk1a.csv"
    bad.write_text("OMRÅDE;TID;INDHOLD\n851 Aalborg;2024K1;220.000\nAtlantis;2024K1;12\n",
                   encoding="utf-8")
    before = catalog.quarters(window.store)
    tab = window.population_tab
    window.tabs.setCurrentWidget(tab)
    tab.import_file(bad)
    qtbot.waitUntil(lambda: not tab.background.running)
    assert messages, "the error must be shown"
    assert "folk1a.csv" in messages[-1][1]
    assert not tab.error_label.isHidden()
    assert catalog.quarters(window.store) == before


def test_a_good_population_file_is_imported_in_the_background(window, qtbot, data_dir,
                                                              messages):
    tab = window.population_tab
    window.tabs.setCurrentWidget(tab)
    tab.import_file(data_dir / "folk1a_nordjylland_2020K1.csv")
    qtbot.waitUntil(lambda: not tab.background.running)
    assert not messages
    assert tab.model.rowCount() == 12  # 11 kommuner and the total


def test_a_population_figure_is_edited_by_hand(window):
    tab = window.population_tab
    window.tabs.setCurrentWidget(tab)
    model = tab.model
    row = next(i for i, (code, _) in enumerate(model.rows) if code == 825)
    assert model.setData(model.index(row, 1), "1.800")
    assert catalog.population_figures(window.store, "2020K1")[825].value == 1800
    assert not model.setData(model.index(row, 1), "mange")
    assert "mange" in tab.error_label.text()
    assert catalog.population_figures(window.store, "2020K1")[825].value == 1800


def test_a_population_file_dropped_on_the_window_is_imported(window, qtbot, data_dir,
                                                             messages):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    from kkr_desktop.ui.main_window import TAB_POPULATION

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(data_dir / "folk1a_nordjylland_2020K1.csv"))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: not window.population_tab.background.running)
    assert window.tabs.currentIndex() == TAB_POPULATION
    assert not messages
    assert "Indlæst" in window.statusBar().currentMessage()


def test_a_statement_file_dropped_on_the_window_is_imported_as_a_statement(
        window, qtbot, tmp_path, messages):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    from kkr_desktop.services.statements import export_statement
    from kkr_desktop.ui.main_window import TAB_STATEMENT

    sec = catalog.secretariat(window.store, window.secretariat_id)
    path = tmp_path / "opgørelse.csv"
    path.write_text("\ufeff" + export_statement(window.store, sec, 2024).replace(
        ";Husleje;", ";Husleje og el;"), encoding="utf-8")
    window.tabs.setCurrentWidget(window.chart_tab)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    window.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: window.background is not None and not window.background.running)
    assert not messages
    assert window.tabs.currentIndex() == TAB_STATEMENT
    assert "Husleje og el" in [ln.name for ln in window.statement_tab.model.lines]


def test_which_dropped_files_are_statements(data_dir, tmp_path):
    from kkr_desktop.formats.interchange import is_statement_file

    assert is_statement_file(data_dir / "sundhedssekretariat.csv")
    assert not is_statement_file(data_dir / "folk1a_nordjylland_2020K1.csv")
    assert is_statement_file(tmp_path / "opgørelse.xlsx")  # read as a workbook
    assert not is_statement_file(tmp_path / "findes-ikke.csv")
    binary = tmp_path / "billede.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    assert not is_statement_file(binary)


def test_a_hidden_tab_shows_the_new_selection_when_opened(window):
    tab = window.allocation_tab
    window.tabs.setCurrentWidget(tab)
    assert tab.allocation.total == 177_166_300  # budget 2024's contribution
    window.tabs.setCurrentIndex(0)
    window.select(window.secretariat_id, 2023)  # chosen while Fordeling is hidden
    window.tabs.setCurrentWidget(tab)
    assert tab.allocation.total == 166_940_700  # budget 2023's contribution


def test_a_population_hand_edit_is_undone_and_redone(window):
    """Ctrl+Z after a hand edit puts back the imported figure with its source; the
    allocation follows the figure both ways."""
    tab = window.population_tab
    window.tabs.setCurrentWidget(tab)
    model = tab.model
    before = catalog.population_figures(window.store, "2020K1")[825]  # Læsø
    row = next(i for i, (code, _) in enumerate(model.rows) if code == 825)
    assert model.setData(model.index(row, 1), "1.800")
    assert window.undo_stack.undoText() == "Ret folketal for Læsø (1. kvt. 2020)"
    assert model.data(model.index(row, 1)) == "1.800"
    def laesoe_share() -> int:
        window.tabs.setCurrentWidget(window.allocation_tab)
        share = next(r.amount for r in window.allocation_tab.allocation.rows
                     if r.kommunekode == 825)
        window.tabs.setCurrentWidget(tab)
        return share

    edited_share = laesoe_share()
    window.undo_stack.undo()
    assert catalog.population_figures(window.store, "2020K1")[825] == before
    assert model.data(model.index(row, 1)) == format_count(before.value)
    assert laesoe_share() < edited_share  # Læsø had 1.786, fewer than 1.800
    window.undo_stack.redo()
    assert catalog.population_figures(window.store, "2020K1")[825].value == 1800
    assert model.data(model.index(row, 1)) == "1.800"
    assert laesoe_share() == edited_share
    # The same figure typed again is no change: no step on the stack.
    count = window.undo_stack.count()
    assert not model.setData(model.index(row, 1), "1800")
    assert window.undo_stack.count() == count


def test_a_quarter_is_added_by_hand_and_its_figures_typed(window, monkeypatch):
    """Without a FOLK1A file: «Nyt kvartal…», then type the members' figures one by one;
    a quarter that is not one is refused with the reason."""
    from PySide6.QtWidgets import QInputDialog

    tab = window.population_tab
    window.tabs.setCurrentWidget(tab)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("2023k5", True))
    tab.add_quarter()
    assert "2023k5" in tab.error_label.text() and tab.quarter.findData("2023K5") < 0
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("2023k1", True))
    tab.add_quarter()
    assert tab.quarter.currentData() == "2023K1"
    model = tab.model
    assert model.rowCount() == 12 and model.data(model.index(0, 1)) == "mangler"
    assert model.setData(model.index(0, 1), "20.100")  # 773 Morsø
    assert catalog.population_figures(window.store, "2023K1")[773].value == 20_100
    assert "2023K1" in catalog.quarters(window.store)


def test_an_import_after_a_hand_edit_is_not_undone_underneath(window, qtbot, tmp_path,
                                                              messages):
    """Found in review: type 1.000 for Aalborg, import a file with 222.222, Ctrl+Z: the
    imported figure was replaced by the one from before the hand edit."""
    from kkr_desktop.core.errors import InputError
    from kkr_desktop.services import population
    from kkr_desktop.store import population as population_store

    tab = window.population_tab
    window.tabs.setCurrentWidget(tab)
    row = next(i for i, (code, _) in enumerate(tab.model.rows) if code == 851)
    before = population_store.figure(window.store, 851, "2020K1")
    assert tab.model.setData(tab.model.index(row, 1), "1.000")
    f = tmp_path / "folk.csv"
    f.write_text("OMRÅDE;KØN;ALDER;TID;INDHOLD\nAalborg;I alt;Alder i alt;2020K1;222222\n",
                 encoding="utf-8")
    tab.import_file(f)
    qtbot.waitUntil(lambda: not tab.background.running)
    assert not window.undo_stack.canUndo()  # the import ends what undo can reach
    assert population_store.figure(window.store, 851, "2020K1").value == 222_222
    # And the service itself refuses to put back a figure over one it did not type.
    with pytest.raises(InputError, match="ændret siden rettelsen \\(nu 222.222\\)"):
        population.restore_figure(window.store, 851, "2020K1", before, typed=1000)
    assert population_store.figure(window.store, 851, "2020K1").value == 222_222
