"""A new user's first steps on an empty database: the welcome page, Nyt sekretariat…, and
importing a statement whose secretariat is new (the KKR is asked, not guessed)."""

from __future__ import annotations

import csv

from kkr_desktop.services import catalog
from kkr_desktop.store import secretariats

STANDARD_POSTS = [
    "Indkrævet hos kommunerne", "Overført overskud", "Husleje", "Løn",
    "IT, tele, licenser og abonnementer",
    "HR, intern service og økonomiopfølgning (værtskommunen)",
    "Administrationsudgifter og kontorhold", "Mødeafholdelse",
    "Transport, kørsel og parkering", "Deltagelse i kurser, konferencer og efteruddannelse",
    "Indkøb af IT-udstyr", "Afholdelse af arrangementer", "Pulje til uforudsete udgifter"]


def test_an_empty_database_shows_the_first_steps(empty_window):
    assert empty_window.pages.currentWidget() is empty_window.welcome
    assert all(b.isEnabled() for b in empty_window.welcome_buttons)


def test_a_database_with_secretariats_shows_the_statement(window):
    assert window.pages.currentWidget() is window.tabs


def test_new_secretariat_dialog_creates_it_and_refuses_a_taken_name(empty_window, qtbot,
                                                                    monkeypatch):
    from kkr_desktop.ui import new_secretariat as module

    def fill_in(dialog) -> None:  # what the user types, then Gem
        dialog.name.setText("Sekretariat for Rammeaftaler")
        dialog.kkr.setCurrentIndex(dialog.kkr.findData("Hovedstaden"))
        dialog.year.setValue(2027)
        dialog.unit.setCurrentIndex(dialog.unit.findData("ore"))
        assert dialog.host.count() == 1 + 29  # «(vælges senere)» and Hovedstaden's kommuner
        dialog.host.setCurrentIndex(dialog.host.findData(101))  # København
        dialog.accept()

    monkeypatch.setattr(module.NewSecretariatDialog, "exec", fill_in)
    empty_window.new_secretariat()
    sec = secretariats.find(empty_window.store, "Rammeaftaler")
    assert (sec.kkr, sec.unit.value, sec.host_kommune) == ("Hovedstaden", "ore", 101)
    assert empty_window.pages.currentWidget() is empty_window.tabs
    assert (empty_window.secretariat_id, empty_window.year) == (sec.id, 2027)
    names = [ln.name for ln in empty_window.statement_tab.model.lines]
    assert names == STANDARD_POSTS
    # The same name again: the dialog stays open with the reason, nothing is stored.
    dialog = module.NewSecretariatDialog(empty_window.store, empty_window)
    qtbot.addWidget(dialog)
    assert dialog.kkr.currentData() == "Hovedstaden"  # the database's one KKR is offered
    dialog.name.setText("Sekretariat for Rammeaftaler")
    dialog.accept()
    assert dialog.created is None and "hedder allerede" in dialog.error.text()
    assert len(catalog.all_secretariats(empty_window.store)) == 1


def test_importing_a_new_secretariat_asks_for_its_kkr(empty_window, qtbot, data_dir,
                                                      monkeypatch, messages):
    from kkr_desktop.ui import file_actions

    asked: list[list[str]] = []
    monkeypatch.setattr(file_actions, "ask_kkr", lambda parent, store, new:
                        asked.append(new) or "KKR Sjælland")
    empty_window.import_statement(data_dir / "sundhedssekretariat.csv")
    qtbot.waitUntil(lambda: bool(catalog.all_secretariats(empty_window.store))
                    and not empty_window.background.running)
    assert asked == [["Det fælleskommunale Sundhedssekretariat"]]
    assert not messages
    sec = secretariats.find(empty_window.store, "sundhed")
    assert sec.kkr == "Sjælland" and len(secretariats.members(empty_window.store, sec.id)) == 17
    assert empty_window.pages.currentWidget() is empty_window.tabs


def test_cancelling_the_kkr_question_imports_nothing(empty_window, qtbot, data_dir,
                                                     monkeypatch, messages):
    from kkr_desktop.ui import file_actions

    asked: list[list[str]] = []
    monkeypatch.setattr(file_actions, "ask_kkr", lambda parent, store, new:
                        asked.append(new) or None)
    empty_window.import_statement(data_dir / "sundhedssekretariat.csv")
    qtbot.waitUntil(lambda: bool(asked))
    assert catalog.all_secretariats(empty_window.store) == [] and not messages
    assert empty_window.pages.currentWidget() is empty_window.welcome


def test_the_standard_posts_follow_the_printed_kkr_table(data_dir):
    """The posts a new secretariat starts with stand in the order of the real printed table
    (the Sundhedssekretariat's budget 2023), so a table typed in from paper runs top down."""
    with open(data_dir / "sundhedssekretariat.csv", encoding="utf-8-sig") as f:
        printed = [r["post"] for r in csv.DictReader(f, delimiter=";") if r["år"] == "2023"]

    def key(name: str) -> str:  # the host kommune is named in the printed post
        return name.split(" (")[0]

    printed_keys = [key(n) for n in printed]
    from kkr_desktop.services.secretariat_settings import FIRST_LINES

    ours = [key(ln.name) for ln in FIRST_LINES]
    shared = [n for n in ours if n in printed_keys]
    assert shared == [n for n in printed_keys if n in ours]
    assert len(shared) == len(ours) - 1  # all but the generic pool
    assert printed_keys[:4] == ours[:4]
