"""The PL loop on real figures: the Socialaftale (øre) and the Sundhedssekretariat (kroner
budget, billed in øre)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kkr_desktop.core.allocation import Unit
from kkr_desktop.services import rates
from kkr_desktop.services.statements import import_statement, load_statement
from kkr_desktop.store import secretariats

SOCIAL = "Sekretariat for Nordjysk Socialaftale"


@pytest.fixture
def social(store, data_dir):
    """The Socialaftale's contribution as in the real table, with the real PL rates."""
    import_statement(store, data_dir / "socialaftale.csv", kkr="Nordjylland")
    rates.set_pl_rate(store, 2023, expected=Decimal("2.8"), final=Decimal("4.1"))
    rates.set_pl_rate(store, 2024, expected=Decimal("4.8"))
    return store, secretariats.find(store, SOCIAL)


def codes(view):
    return {w.code: w for w in view.warnings}


def test_the_socialaftale_regnskab_misses_its_efterregulering_to_the_ore(social):
    store, sec = social
    found = codes(load_statement(store, sec, 2024))["actual_contribution_not_final"]
    # 1.878.845,71 / 1,028 × 1,041 = 1.902.605,43: 23.759,72 kr. were never charged.
    assert found.amount == 23_759_72
    assert "23.759,72 kr." in found.message and "1.902.605,43 kr." in found.message
    assert "4,1 %" in found.message and "Regnskab 2023" in found.message


def test_the_sundhedssekretariat_regnskab_was_regulated_and_is_not_flagged(demo_store,
                                                                          demo_secretariat):
    # 1.669.407 (whole kroner) / 1,028 × 1,041 = 1.690.518,18 ≈ 1.690.518,25 charged: the
    # 7 øre are the budget's rounding to kroner, not a missing regulation.
    view = load_statement(demo_store, demo_secretariat, 2024)
    assert "actual_contribution_not_final" not in codes(view)


def test_with_regnskab_before_on_file_the_check_is_exact(social):
    from kkr_desktop.core.statement import Kind, Role, YearLine
    from kkr_desktop.store import statements as lines_store

    store, sec = social
    # 2022 charged what budget 2023 was indexed from (1.878.845,71 / 1,028, to the øre).
    with store.transaction():
        lines_store.replace_year(store, sec.id, 2022, [YearLine(
            "Indkrævet hos kommunerne", Kind.INCOME, Role.CONTRIBUTION, 1_827_670_92,
            1_827_670_92)])
    found = codes(load_statement(store, sec, 2024))["actual_contribution_not_final"]
    assert found.amount == 1_902_605_43 - 1_878_845_71  # 1.827.670,92 × 1,041
    assert "opkrævet 2022 (1.827.670,92 kr.)" in found.message


def test_import_infers_ore_and_the_correct_index_is_not_flagged(social):
    store, sec = social
    assert sec.unit is Unit.ORE and sec.billing_unit is Unit.ORE
    # 1.878.845,71 × 1,048 = 1.969.030,30 (to the øre): no «forskel 0,30 kr.»
    view = load_statement(store, sec, 2024)
    assert "contribution_not_indexed" not in codes(view)


def test_import_into_a_kroner_secretariat_switches_it_to_ore(store, data_dir):
    from kkr_desktop.store import reference

    kkr_id, _ = reference.find_kkr(store, "Nordjylland")
    with store.transaction():
        secretariats.create(store, SOCIAL, kkr_id, unit=Unit.KR)
    result = import_statement(store, data_dir / "socialaftale.csv")
    assert secretariats.find(store, SOCIAL).unit is Unit.ORE
    assert result.units_text and "øre" in result.units_text[0]


def test_a_budget_in_kroner_keeps_kroner(demo_secretariat):
    assert demo_secretariat.unit is Unit.KR and demo_secretariat.billing_unit is Unit.ORE


def test_cli_import_then_show_has_no_false_pl_warning(db_path, data_dir, capsys):
    from kkr_desktop.cli import main

    db = str(db_path)
    assert main(["--db", db, "statement", "import", str(data_dir / "socialaftale.csv"),
                 "--kkr", "Nordjylland"]) == 0
    assert main(["--db", db, "pl", "set", "--year", "2024", "--expected", "4,8"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "statement", "show", "--secretariat", "socialaftale",
                 "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "1.969.030,30" in out and "forskel 0,30" not in out


# --- PL footnotes: generated from the rates on file, and checked against them ----------

def test_a_footnote_for_the_socialaftale_is_generated_from_the_rates_and_the_check(social):
    from kkr_desktop.core.statement import Column
    from kkr_desktop.services.statements import suggested_notes

    store, sec = social
    notes = {(line, column): text for line, column, text in suggested_notes(store, sec, 2024)}
    assert notes[("Indkrævet hos kommunerne", Column.BUDGET)] == (
        "Det indkrævede beløb for 2023 fremskrevet med den forventede pris- og lønudvikling "
        "(4,8 %). Beløbet reguleres til den endelige sats ved opkrævningen ultimo 2024.")
    assert notes[("Indkrævet hos kommunerne", Column.ACTUAL_PREV)] == (
        "Beløbet er opkrævet med den forventede pris- og lønudvikling 2022→2023 (2,8 %); "
        "den endelige sats blev 4,1 %, og efterreguleringen på 23.759,72 kr. er ikke med "
        "i regnskabet.")


def test_the_demo_footnotes_agree_with_the_rates_and_get_no_suggestion(demo_store,
                                                                      demo_secretariat):
    from kkr_desktop.core.statement import Column
    from kkr_desktop.services.statements import suggested_notes

    view = load_statement(demo_store, demo_secretariat, 2024)
    assert "pl_note_contradicts_rates" not in codes(view)
    assert [c for _, c, _ in suggested_notes(demo_store, demo_secretariat, 2024)] == [
        Column.BUDGET_PREV]  # budget 2023's amount has no note yet


def test_a_footnote_with_last_years_rate_is_a_warning(demo_store, demo_secretariat):
    from kkr_desktop.services.statements import set_line_field

    wrong = ("Det indkrævede beløb for 2023 fremskrevet med den forventede pris- og "
             "lønudvikling (4,1 %).")  # 4,1 % is 2022→2023's final rate, not 2023→2024's
    set_line_field(demo_store, demo_secretariat.id, 2024, "Indkrævet hos kommunerne",
                   "budget_note", wrong)
    found = codes(load_statement(demo_store, demo_secretariat, 2024))
    warning = found["pl_note_contradicts_rates"]
    assert "4,1 %" in warning.message and "forventet 4,8 %" in warning.message
    assert warning.line == "Indkrævet hos kommunerne"


def test_statement_show_lists_the_suggested_notes(db_path, data_dir, capsys):
    from kkr_desktop.cli import main

    db = str(db_path)
    assert main(["--db", db, "statement", "import", str(data_dir / "socialaftale.csv"),
                 "--kkr", "Nordjylland"]) == 0
    assert main(["--db", db, "pl", "set", "--year", "2023", "--expected", "2,8",
                 "--final", "4,1"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "statement", "show", "--secretariat", "socialaftale",
                 "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "Forslag til fodnoter" in out
    assert "efterreguleringen på 23.759,72 kr. er ikke med i regnskabet" in out
