"""The population figures an approved allocation was keyed on stay as approved: a hand edit,
the CLI, an import of other figures and plain SQL are refused; the same figures again are
fine; «Ny revision» releases them. (The demo's contribution 2024 is keyed on 2020K1.)"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from kkr_desktop.cli import main
from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.errors import LockedError
from kkr_desktop.services import approval, catalog, population

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand"),))
MORSO = 773  # 20.247 in 2020K1


@pytest.fixture
def approved(demo_store, demo_secretariat):
    approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    return demo_store


def figures(store) -> list[tuple]:
    return store.rows("SELECT * FROM population ORDER BY quarter, kommune_code")


def changed_file(data_dir, tmp_path, morso: int, extra: str = ""):
    text = (data_dir / "folk1a_nordjylland_2020K1.csv").read_text(encoding="utf-8")
    text = text.replace("Morsø;I alt;Alder i alt;2020K1;20247",
                        f"Morsø;I alt;Alder i alt;2020K1;{morso}")
    path = tmp_path / "folk1a.csv"
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_a_hand_edit_of_an_approved_key_figure_is_refused_naming_the_approval(
        approved, demo_secretariat):
    before = figures(approved)
    record = approval.approval_for(approved, demo_secretariat.id, 2024)
    with pytest.raises(LockedError) as caught:
        population.set_figure(approved, MORSO, "2020K1", 20_300)
    message = caught.value.message
    assert "773 Morsø pr. 1. kvt. 2020: 20.300 i stedet for 20.247" in message
    assert f"revision 1, Dokument-id {record.document_id}" in message
    assert figures(approved) == before
    population.set_figure(approved, MORSO, "2020K1", 20_247)  # the approved figure: fine
    population.set_figure(approved, MORSO, "2024K1", 20_100)  # another quarter: fine
    assert catalog.population_figures(approved, "2024K1")[MORSO].value == 20_100


def test_an_import_of_the_same_figures_is_fine_and_of_others_refused_whole(
        approved, data_dir, tmp_path):
    same = population.import_population(approved, data_dir / "folk1a_nordjylland_2020K1.csv")
    assert same.changed == 0
    before = figures(approved)
    path = changed_file(data_dir, tmp_path, 20_999, "Thisted;I alt;Alder i alt;2021K1;43000\n")
    with pytest.raises(LockedError) as caught:
        population.import_population(approved, path)
    message = caught.value.message
    assert message.startswith("Intet er indlæst fra folk1a.csv")
    assert "773 Morsø pr. 1. kvt. 2020: 20.999 i stedet for 20.247" in message
    assert "Sundhedssekretariat 2024 (revision 1" in message
    assert figures(approved) == before
    assert "2021K1" not in catalog.quarters(approved)


def test_the_cli_refuses_with_exit_2(approved, store_target, data_dir, tmp_path, capsys):
    before = figures(approved)
    code = main(["--db", str(store_target), "population", "set", "--kommune", "773",
                 "--quarter", "2020K1", "--value", "20300"])
    err = capsys.readouterr().err
    assert code == 2 and "773 Morsø pr. 1. kvt. 2020" in err and "Traceback" not in err
    code = main(["--db", str(store_target), "population", "import",
                 str(changed_file(data_dir, tmp_path, 20_999))])
    err = capsys.readouterr().err
    assert code == 2 and "Intet er indlæst" in err
    assert figures(approved) == before


@pytest.mark.sqlite_file
def test_plain_sql_cannot_change_move_delete_or_replace_a_frozen_figure(approved, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA recursive_triggers = OFF")
    where = f"kommune_code = {MORSO} AND quarter = '2020K1'"
    for sql in (f"UPDATE population SET value = 20300 WHERE {where}",
                f"UPDATE population SET quarter = '2019K1' WHERE {where}",
                f"DELETE FROM population WHERE {where}",
                "INSERT OR REPLACE INTO population VALUES (773, '2020K1', 1, 'x', 'y')"):
        with pytest.raises(sqlite3.IntegrityError, match="^Låst: folketallet"):
            conn.execute(sql)
    conn.execute("INSERT OR REPLACE INTO population VALUES (773, '2020K1', 20247, 'DST', 'y')")
    conn.execute(f"UPDATE population SET source = 'DST igen' WHERE {where}")
    conn.commit()
    conn.close()
    assert catalog.population_figures(approved, "2020K1")[MORSO].value == 20_247


@pytest.mark.sqlite_file
def test_a_new_revision_releases_the_figures(approved, demo_secretariat, db_path):
    approval.new_revision(approved, demo_secretariat, 2024, "Lønnen var bogført dobbelt")
    population.set_figure(approved, MORSO, "2020K1", 20_300)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE population SET value = 20301 WHERE kommune_code = 773 "
                     "AND quarter = '2020K1'")
    conn.close()
    assert catalog.population_figures(approved, "2020K1")[MORSO].value == 20_301
