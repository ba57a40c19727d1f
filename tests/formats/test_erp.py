"""The ERP CSV writer: profile settings, formula neutralising, amounts as numbers."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from kkr_desktop.core.erp import (
    ErpLine,
    ExportProfile,
    date_format_ok,
    format_date,
    journal_entries,
    profile_problems,
)
from kkr_desktop.core.errors import InputError
from kkr_desktop.formats.erp import amount_text, erp_rows, neutralise, render, render_erp

COLUMNS = (("kommunekode", "kommunekode"), ("kommune", "kommune"), ("beløb", "beløb"),
           ("tekst", "tekst"), ("forfaldsdato", "forfaldsdato"))
PROFILE = ExportProfile("Test", COLUMNS)


def line(amount: int = 123456, kommune: str = "Aalborg", text: str = "Bidrag 2024"
         ) -> ErpLine:
    return ErpLine(851, kommune, "29189420", "5798000000018", "6.45.51", amount, text, 2024,
                   12, date(2024, 12, 31), "2024-B1-851")


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\";\"klik\")", "+1", "-1", "@SUM(A1)",
                                  "\tx", "\rx"])
def test_text_that_excel_would_run_is_neutralised(text):
    out = neutralise(text)
    assert out.startswith("'") and "\r" not in out


def test_ordinary_text_is_left_alone():
    assert neutralise("Bidrag 2024 – Sundhedssekretariat") == "Bidrag 2024 – Sundhedssekretariat"
    assert neutralise("linje 1\nlinje 2") == "linje 1 linje 2"


def test_amounts_are_plain_numbers_with_the_profile_decimal_sign():
    assert amount_text(123456) == "1234,56"
    assert amount_text(-5) == "-0,05"
    assert amount_text(100, ".") == "1.00"


def test_a_negative_amount_stays_a_number_while_a_dash_text_is_neutralised():
    rows = erp_rows(PROFILE, [line(amount=-100000, text="-minus")])
    assert rows[1][2] == "-1000,00"
    assert rows[1][3] == "'-minus"


def test_standard_layout_bom_crlf_and_semicolons():
    data = render_erp(PROFILE, [line(kommune="Aalborg; by")])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n") == 2
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[1] == ["851", "Aalborg; by", "1234,56", "Bidrag 2024", "31-12-2024"]


def test_a_character_the_encoding_lacks_is_refused_with_its_line():
    p = ExportProfile("Ansi", COLUMNS, encoding="cp1252")
    with pytest.raises(InputError, match="linje 2"):
        render(p, [["a"], ["ĉ"]])


def test_dates_in_each_pattern():
    d = date(2024, 3, 5)
    assert format_date(d, "dd-mm-åååå") == "05-03-2024"
    assert format_date(d, "åååå-mm-dd") == "2024-03-05"
    assert format_date(d, "ddmmyyyy") == "05032024"
    assert not date_format_ok("dd-mm") and not date_format_ok("dd-mm-åååå-x")


def test_profile_problems_are_all_listed():
    bad = ExportProfile("", (("kommune", ""), ("nej", "x")), separator=",",
                        decimal_separator=",", date_format="mm", encoding="latin9")
    problems = " ".join(profile_problems(bad))
    for word in ("navn", "Ukendte", "beløbet", "overskrift", "Decimaltegn", "Datoformatet",
                 "Tegnsættet"):
        assert word in problems


def test_journal_pairs_balance_and_reverse_for_a_credit():
    entries = journal_entries([line(1000), line(-500)], "DEB", "IND")
    assert [(e.account, e.debit, e.credit) for e in entries] == [
        ("DEB", 1000, 0), ("IND", 0, 1000), ("IND", 500, 0), ("DEB", 0, 500)]


def test_the_booking_period_lies_in_the_year_billed():
    """Bidrag 2027 due 23-12-2026 was written as 2027;12: December of the wrong year.
    A due date outside the year books in its first or last month."""
    from datetime import date

    from kkr_desktop.core.erp import booking_period

    assert booking_period(2027, date(2027, 3, 15)) == 3
    assert booking_period(2027, date(2026, 12, 23)) == 1
    assert booking_period(2027, date(2028, 2, 1)) == 12


def test_the_suggested_due_date_is_in_the_year_billed():
    from datetime import date

    from kkr_desktop.services.export import default_due

    assert default_due(2027, today=date(2026, 11, 23)) == date(2027, 1, 31)
    assert default_due(2024, today=date(2024, 3, 12)) == date(2024, 4, 11)
    assert default_due(None, today=date(2026, 11, 23)) == date(2026, 12, 23)
