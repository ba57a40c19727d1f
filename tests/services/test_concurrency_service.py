"""Two officers on one database: a save of a post that someone else changed (or whose
statement someone else approved) since the view read it is refused, and nothing is lost."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.errors import ConflictError, LockedError
from kkr_desktop.services import approval, concurrency, statements
from kkr_desktop.services.concurrency import FieldWrite
from kkr_desktop.store import audit, secretariats
from kkr_desktop.store.db import open_store

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))


@pytest.fixture
def two(demo_store, store_target):
    """Officer A (the demo store) and officer B (a second connection to the same file)."""
    b = open_store(store_target)
    b.user = "lene"
    demo_store.user = "anne"
    yield demo_store, b
    b.close()


def lene(store) -> str:
    """How the message names officer B: on a server with the login it wrote as too."""
    if store.backend == "postgresql":
        return f"lene ({store.scalar('SELECT session_user')})"
    return "lene"


def _budget(store, sid, name, year=2024):
    return store.scalar("SELECT budget FROM statement_line WHERE secretariat_id = ? AND "
                        "year = ? AND name = ?", (sid, year, name))


def test_a_save_of_a_post_changed_since_is_refused_and_loses_nothing(two, demo_secretariat):
    a, b = two
    sid = demo_secretariat.id
    seen_a = concurrency.latest_change(a)  # A opens the statement
    statements.load_statement(a, demo_secretariat, 2024)
    seen_b = concurrency.latest_change(b)
    statements.set_line_field(b, sid, 2024, "Husleje", "budget", 40_000_00, seen=seen_b)

    with pytest.raises(ConflictError) as caught:
        statements.set_line_field(a, sid, 2024, "Husleje", "budget", 41_000_00, seen=seen_a)
    assert caught.value.message == (
        f"Ændringen er ikke gemt: {lene(b)} ændrede «Husleje», budget 2024 fra 37.618,00 til "
        f"40.000,00 {concurrency.time_text(audit.entries(a, limit=1)[0].at)}, efter at du "
        "åbnede opgørelsen.")
    assert caught.value.attempted == ["«Husleje», budget 2024: 41.000,00"]
    assert caught.value.exit_code == 2

    # Nothing half-written: B's value stands, the log has B's change and none of A's.
    assert _budget(a, sid, "Husleje") == 40_000_00
    line_id = str(a.scalar("SELECT id FROM statement_line WHERE secretariat_id = ? AND "
                           "year = 2024 AND name = 'Husleje'", (sid,)))
    later = [e for e in audit.after(a, seen_a) if e.table == "statement_line"]
    assert [(e.who, e.key, json.loads(e.new)) for e in later] == \
        [("lene", line_id, {"budget": 40_000_00})]

    # Another post of the same statement: no false conflict.
    statements.set_line_field(a, sid, 2024, "Løn", "budget", 1_000_000_00, seen=seen_a)
    assert _budget(b, sid, "Løn") == 1_000_000_00


def test_a_fresh_view_saves_over_the_other_officers_value(two, demo_secretariat):
    a, b = two
    sid = demo_secretariat.id
    statements.set_line_field(b, sid, 2024, "Husleje", "budget", 40_000_00, seen=None)
    seen_a = concurrency.latest_change(a)  # A's window refreshed after B's commit
    statements.set_line_field(a, sid, 2024, "Husleje", "budget", 41_000_00, seen=seen_a)
    assert _budget(b, sid, "Husleje") == 41_000_00


def test_several_fields_of_one_save_are_not_each_others_conflict(two, demo_secretariat):
    a, _ = two
    sid = demo_secretariat.id
    seen = concurrency.latest_change(a)
    statements.set_line_fields(a, sid, [FieldWrite(2023, "Husleje", "budget", 1_00),
                                        FieldWrite(2023, "Husleje", "actual", 2_00),
                                        FieldWrite(2024, "Husleje", "budget", 3_00)],
                               seen=seen)
    assert _budget(a, sid, "Husleje", 2023) == 1_00


def test_a_paste_is_refused_whole_when_one_post_changed(two, demo_secretariat):
    a, b = two
    sid = demo_secretariat.id
    lines = {ln.name: ln for ln in statements.statement_lines(a, sid, 2024)[2024]}
    seen_a = concurrency.latest_change(a)
    statements.set_line_field(b, sid, 2024, "Husleje", "budget", 40_000_00)
    with pytest.raises(ConflictError, match=re.escape(f"{lene(b)} ændrede «Husleje»")):
        statements.write_amounts(a, sid, [
            statements.AmountWrite(2024, lines["Løn"], "budget", 5_00),
            statements.AmountWrite(2024, lines["Husleje"], "budget", 6_00)], seen=seen_a)
    assert _budget(a, sid, "Løn") == lines["Løn"].budget  # the other post of it too


def test_an_approval_since_the_view_read_is_named(two, demo_secretariat):
    a, b = two
    sid = demo_secretariat.id
    seen_a = concurrency.latest_change(a)
    approval.approve(b, secretariats.get(b, sid), 2024, FACTS)
    with pytest.raises(ConflictError, match=r"^Ændringen er ikke gemt: " + re.escape(lene(b))
                       + r" godkendte "
                       r"opgørelsen for 2024 kl\. \d\d\.\d\d \(godkendt af KKR Nordjylland "
                       r"den 12\. marts 2024, punkt 2\.4, revision 1\), efter at du åbnede "
                       r"opgørelsen\.$"):
        statements.set_line_field(a, sid, 2024, "Løn", "budget", 5_00, seen=seen_a)
    # Without a view (the command line) the approval itself refuses it, as before.
    with pytest.raises(LockedError):
        statements.set_line_field(a, sid, 2024, "Løn", "budget", 5_00)


def test_a_post_renamed_since_is_named_by_its_old_name(two, demo_secretariat):
    a, b = two
    sid = demo_secretariat.id
    seen_a = concurrency.latest_change(a)
    statements.set_line_field(b, sid, 2024, "Husleje", "name", "Lokaler")
    with pytest.raises(ConflictError, match=re.escape(
            f"{lene(b)} ændrede «Husleje», navnet fra «Husleje» til «Lokaler»")):
        statements.set_line_field(a, sid, 2024, "Husleje", "budget", 5_00, seen=seen_a)


def test_a_population_figure_changed_since_is_not_written_over(two):
    """The population tab's save: a figure another officer changed after the tab read the
    figures is refused, naming who and what; another kommune's figure goes through."""
    from kkr_desktop.services import population as population_service
    from kkr_desktop.store import population as figures

    a, b = two
    seen_a = concurrency.latest_change(a)
    population_service.set_figure(b, 851, "2020K1", 217_100)
    with pytest.raises(ConflictError) as caught:
        population_service.set_figure(a, 851, "2020K1", 217_200, seen=seen_a)
    assert caught.value.message.startswith(
        f"Folketallet er ikke gemt: {lene(b)} ændrede folketallet fra 217.075 til 217.100 kl. ")
    assert caught.value.attempted == ["851 Aalborg: 217.200"]
    assert figures.figure(a, 851, "2020K1").value == 217_100  # B's figure stands
    population_service.set_figure(a, 849, "2020K1", 38_400, seen=seen_a)  # another kommune
    assert figures.figure(a, 849, "2020K1").value == 38_400


def test_the_check_misses_no_change_however_many_came_after(two):
    """An import of 1.176 figures after the tab read them, the last of which is the one the
    officer edits: the check reads every audit row since, not the first thousand."""
    from kkr_desktop.services import population as population_service
    from kkr_desktop.store import population as figures

    a, b = two
    seen_a = concurrency.latest_change(a)
    many = {(code, f"20{year:02d}K{q}"): 1000 + year for code in (773, 787, 810, 813, 820,
            825, 840, 846, 849, 860, 851) for year in range(10, 37) for q in (1, 2, 3, 4)}
    assert len(many) > 1000
    figures.put(b, many, "Indlæst")
    population_service.set_figure(b, 851, "2040K1", 777_777)
    with pytest.raises(ConflictError, match="777.777"):
        population_service.set_figure(a, 851, "2040K1", 1, seen=seen_a)
    assert figures.figure(a, 851, "2040K1").value == 777_777


def test_a_post_changed_since_is_not_removed(two, demo_secretariat):
    """Removing a post in the window while another officer changed it: the removal would
    hide their change, so it is refused; a post nobody touched is removed."""
    a, b = two
    sid = demo_secretariat.id
    seen_a = concurrency.latest_change(a)
    statements.set_line_field(b, sid, 2024, "Husleje", "budget", 40_000_00)
    with pytest.raises(ConflictError) as caught:
        statements.remove_line(a, sid, 2024, "Husleje", seen=seen_a)
    assert caught.value.message.startswith(
        f"Ændringen er ikke gemt: {lene(b)} ændrede «Husleje», budget 2024")
    assert caught.value.attempted == ["sletning af «Husleje» i 2024"]
    assert _budget(a, sid, "Husleje") == 40_000_00
    statements.remove_line(a, sid, 2024, "Mødeafholdelse", seen=seen_a)
    assert "Mødeafholdelse" not in {ln.name for ln in
                                    statements.statement_lines(a, sid, 2024)[2024]}


def test_a_result_note_changed_since_is_not_written_over(two, demo_secretariat):
    from kkr_desktop.core.statement import Column
    from kkr_desktop.services.result_notes import set_result_note
    from kkr_desktop.store import result_notes

    a, b = two
    sid = demo_secretariat.id
    seen_a = concurrency.latest_change(a)
    set_result_note(b, sid, 2024, Column.BUDGET, "Underskuddet dækkes af opsparingen.")
    with pytest.raises(ConflictError) as caught:
        set_result_note(a, sid, 2024, Column.BUDGET, "Min note.", seen=seen_a)
    assert caught.value.message.startswith(
        f"Noten er ikke gemt: {lene(b)} ændrede noten til overskud/underskud i ")
    assert caught.value.attempted[0].endswith(": «Min note.»")
    assert result_notes.statement_notes(a, sid, 2024)[Column.BUDGET] == \
        "Underskuddet dækkes af opsparingen."
