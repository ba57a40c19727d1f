"""The one Danish date parser of the program."""

from __future__ import annotations

from datetime import date

import pytest

from kkr_desktop.core.dates import format_short, parse_date
from kkr_desktop.core.errors import InputError


@pytest.mark.parametrize("text", [
    "12.03.2024", "12-3-24", "12.3.2024", "12/3/2024", "12. marts 2024", "12 mar 2024",
    "2024-03-12", " 12.03.24 ", "12. Marts 2024", "12. mar. 2024", "12 MARTS 24", "12.03.2024"])
def test_danish_ways_of_writing_the_12th_of_march(text):
    assert parse_date(text) == date(2024, 3, 12)


def test_two_digit_years_are_this_century():
    assert parse_date("1-1-99") == date(2099, 1, 1)
    assert parse_date("31.12.00") == date(2000, 12, 31)


@pytest.mark.parametrize("text, says", [
    ("", "Skriv en dato"),
    ("12.03", "entydigt"),             # no year: which one?
    ("12032024", "entydigt"),          # digits only
    ("12.03.202", "entydigt"),         # three-digit year
    ("12.13.2024", "ingen måned 13"),
    ("30.02.2024", "februar 2024 har ingen 30. dag"),
    ("12. marz 2024", "«marz» er ikke en måned"),
    ("12.03-2024", "entydigt"),        # mixed separators
    ("2024", "entydigt"),
])
def test_what_is_not_one_date_is_refused_in_danish(text, says):
    with pytest.raises(InputError) as exc:
        parse_date(text)
    assert says in exc.value.message


def test_a_date_field_shows_what_it_reads_back():
    d = date(2024, 3, 5)
    assert format_short(d) == "05.03.2024" and parse_date(format_short(d)) == d
