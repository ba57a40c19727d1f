"""CVR and EAN (GLN) checks."""

from __future__ import annotations

import pytest

from kkr_desktop.core.ids import cvr_problem, ean_problem, gs1_check_digit, make_ean


@pytest.mark.parametrize("cvr", ["29189420", "2918 9420", "29-18-94-20"])
def test_a_cvr_is_eight_digits(cvr):
    assert cvr_problem(cvr) is None


@pytest.mark.parametrize("cvr,word", [("", "mangler"), ("2918942", "8 cifre"),
                                      ("291894201", "8 cifre"), ("2918942O", "8 cifre")])
def test_a_bad_cvr_is_named(cvr, word):
    assert word in cvr_problem(cvr)


def test_gs1_check_digit_of_known_numbers():
    assert gs1_check_digit("400638133393") == 1  # the EAN-13 textbook example
    assert make_ean("579800000001") == "5798000000018"
    assert ean_problem("4006381333931") is None


def test_a_wrong_check_digit_says_what_it_should_be():
    message = ean_problem("5798000000019")
    assert "kontrolciffer" in message and "8" in message


@pytest.mark.parametrize("ean,word", [("", "mangler"), ("579800000001", "13 cifre"),
                                      ("5,798E+12", "videnskabelig")])
def test_a_bad_ean_is_named(ean, word):
    assert word in ean_problem(ean)


def test_the_demo_file_has_valid_numbers():
    import csv

    from kkr_desktop.paths import resources_dir

    with open(resources_dir() / "erp_demo_nordjylland.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert len(rows) == 11
    assert all(cvr_problem(r["cvr"]) is None and ean_problem(r["ean"]) is None for r in rows)
    assert all(r["konto"].startswith("DEMO") for r in rows)
    assert {r["kommunekode"]: r["cvr"] for r in rows}["851"] == "29189420"


def test_superscript_and_other_digits_are_not_ids():
    from kkr_desktop.core.ids import cvr_problem, ean_problem

    assert cvr_problem("²" * 8) is not None
    assert ean_problem("٣" * 13) is not None


# Aalborg, Hjørring, Thisted, Læsø and Morsø Kommune's CVR numbers (the public register).
REAL_CVRS = ["29189420", "29189382", "29189587", "45973328", "41333014"]


@pytest.mark.parametrize("cvr", REAL_CVRS)
def test_real_kommune_cvrs_pass_modulus_11(cvr):
    assert cvr_problem(cvr) is None


@pytest.mark.parametrize("cvr", REAL_CVRS)
def test_one_wrong_digit_fails_modulus_11(cvr):
    # Changing one digit by d changes the weighted sum by w·d, which 11 (a prime above every
    # weight and every d) never divides: every single-digit typo is caught.
    for pos in range(8):
        wrong = cvr[:pos] + str((int(cvr[pos]) + 1) % 10) + cvr[pos + 1:]
        message = cvr_problem(wrong)
        assert message is not None and "modulus 11" in message, wrong


def test_a_made_up_cvr_of_eight_digits_is_refused():
    assert "modulus 11" in cvr_problem("12345678")
