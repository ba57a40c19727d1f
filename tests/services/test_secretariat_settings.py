from __future__ import annotations

import json

import pytest

from kkr_desktop.core.allocation import Unit
from kkr_desktop.core.errors import InputError
from kkr_desktop.services.secretariat_settings import MemberPeriod, update_settings
from kkr_desktop.store import secretariats
from kkr_desktop.store.db import open_store


def test_settings_are_stored_together(demo_store, demo_secretariat):
    members = [MemberPeriod(851, 2022), MemberPeriod(773, 2022, 2023)]
    update_settings(demo_store, demo_secretariat.id, name="Sundhedssekretariatet",
                    kkr="Nordjylland", host_kommune=851, unit=Unit.ORE, members=members)
    sec = secretariats.get(demo_store, demo_secretariat.id)
    assert (sec.name, sec.unit, sec.host_kommune) == ("Sundhedssekretariatet", Unit.ORE, 851)
    assert [m.kommunekode for m in secretariats.members(demo_store, sec.id, 2024)] == [851]


def test_a_bad_setting_stores_nothing(demo_store, demo_secretariat):
    with pytest.raises(InputError, match="til år"):
        update_settings(demo_store, demo_secretariat.id, name="Nyt navn", kkr="Nordjylland",
                        host_kommune=851, unit=Unit.KR,
                        members=[MemberPeriod(851, 2024, 2022)])
    assert secretariats.get(demo_store, demo_secretariat.id).name == demo_secretariat.name
    assert len(secretariats.members(demo_store, demo_secretariat.id)) == 11


def test_a_new_secretariat_has_its_kkr_as_members_and_an_empty_first_budget(store):
    from kkr_desktop.services import catalog, statements
    from kkr_desktop.services.secretariat_settings import create_secretariat

    sid = create_secretariat(store, name="  Sekretariat for Rammeaftaler ", kkr="Hovedstaden",
                             first_year=2027)
    sec = secretariats.get(store, sid)
    assert (sec.name, sec.kkr, sec.unit) == ("Sekretariat for Rammeaftaler", "Hovedstaden",
                                             Unit.KR)
    members = secretariats.members(store, sid, 2027)
    # The 29 kommuner of the Capital Region (reference data), Bornholm among them.
    assert len(members) == 29 and "Bornholm" in [m.kommune for m in members]
    assert statements.statement_years(store, sec) == [2027]
    view = statements.load_statement(store, sec, 2027)
    assert [ln.name for ln in view.statement.lines][:4] == [
        "Indkrævet hos kommunerne", "Overført overskud", "Husleje", "Løn"]
    assert catalog.navigator_tree(store)[0].years == [2027]
    # Nothing is billed yet, and the warning panel says so rather than "i orden".
    assert [w.message for w in view.warnings] == [
        "Budget 2027: bidraget «Indkrævet hos kommunerne» har intet beløb."]


def test_a_bad_new_secretariat_creates_nothing(demo_store, demo_secretariat):
    from kkr_desktop.services.secretariat_settings import create_secretariat

    before = len(secretariats.all_secretariats(demo_store))
    with pytest.raises(InputError, match="hedder allerede"):
        create_secretariat(demo_store, name=demo_secretariat.name, kkr="Nordjylland",
                           first_year=2027)
    with pytest.raises(InputError, match="entydigt KKR"):
        create_secretariat(demo_store, name="Nyt", kkr="Fyn", first_year=2027)
    with pytest.raises(InputError, match="skal have et navn"):
        create_secretariat(demo_store, name=" ", kkr="Nordjylland", first_year=2027)
    with pytest.raises(InputError, match="Værtskommunen Aalborg ligger ikke i KKR Hovedstaden"):
        create_secretariat(demo_store, name="Nyt", kkr="Hovedstaden", first_year=2027,
                           host_kommune=851)
    with pytest.raises(InputError, match="uden for"):
        create_secretariat(demo_store, name="Nyt", kkr="Nordjylland", first_year=27)
    assert len(secretariats.all_secretariats(demo_store)) == before


def test_cli_creates_and_lists_secretariats(db_path, capsys):
    from kkr_desktop.cli import main

    assert main(["--db", str(db_path), "init"]) == 0
    assert main(["--db", str(db_path), "secretariat", "list"]) == 0
    assert "Ingen sekretariater endnu" in capsys.readouterr().out
    assert main(["--db", str(db_path), "secretariat", "create", "--name", "Rammeaftaler",
                 "--kkr", "Hovedstaden", "--year", "2027", "--unit", "ore", "--host",
                 "101"]) == 0
    assert "29 medlemskommuner" in capsys.readouterr().out
    check = open_store(db_path)
    assert secretariats.find_by_name(check, "Rammeaftaler").host_kommune == 101
    check.close()
    assert main(["--db", str(db_path), "secretariat", "list"]) == 0
    assert "Rammeaftaler  (KKR Hovedstaden; 29 medlemskommuner; budgetår: 2027)" in \
        capsys.readouterr().out
    assert main(["--db", str(db_path), "secretariat", "create", "--name", "Rammeaftaler",
                 "--kkr", "Hovedstaden", "--year", "2027"]) == 2
    assert "hedder allerede" in capsys.readouterr().err
    # The first statement has no amounts yet: its totals are blank, as in the window, not 0.
    assert main(["--db", str(db_path), "statement", "show", "--secretariat", "ramme",
                 "--year", "2027", "--json"]) == 0
    columns = json.loads(capsys.readouterr().out)["columns"]
    assert columns["budget"] == {"expenses": None, "income": None, "result": None}
    assert main(["--db", str(db_path), "statement", "show", "--secretariat", "ramme",
                 "--year", "2027"]) == 0
    total = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("I alt"))
    assert total.strip() == "I alt"
