"""Reading a Danish bank CSV: columns by header name in any order, both date forms, Danish
amounts, every bad cell by line and column."""

from __future__ import annotations

from datetime import date

import pytest

from kkr_desktop.core.errors import FileFormatError
from kkr_desktop.formats.bank import read_bank_csv


def test_columns_are_found_by_name_in_any_order(tmp_path):
    f = tmp_path / "konto.csv"
    f.write_text("\n\"Beløb\";\"Posteringstekst\";\"Dato\";\"Saldo\";\"Reference\"\n"
                 "\"-1.234,56\";\"Overførsel\";\"03.02.2024\";\"9,00\";\"KKR2024-851\"\n"
                 "\n"
                 "\"1.000\";\"Indbetaling\";\"4-2-2024\";\"9,00\";\"\"\n", encoding="cp1252")
    rows = read_bank_csv(f)
    assert [(r.line, r.paid_on, r.amount, r.text) for r in rows] == [
        (3, date(2024, 2, 3), -1_234_56, "Overførsel KKR2024-851"),
        (5, date(2024, 2, 4), 1_000_00, "Indbetaling")]


def test_a_file_without_the_needed_columns_says_which(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("Dato,Beløb,Tekst\n01-01-2024,1,KKR2024-851\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="x.csv, linje 1: Overskriften mangler en dato"):
        read_bank_csv(f)


def test_every_bad_cell_is_listed(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("Dato;Beløb;Tekst\n2024-01-01;1,00;a\n01-01-2024;1,005;b\n30.02.2024;x;c\n",
                 encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        read_bank_csv(f)
    assert [(p.line, p.column) for p in caught.value.problems] == [
        (2, "Dato"), (3, "Beløb"), (4, "Dato"), (4, "Beløb")]
