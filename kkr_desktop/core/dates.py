"""Dates as Danes type them: 12.03.2024, 12-3-24, 12/3/2024, 12. marts 2024, 12 mar 2024,
and 2024-03-12. One parser for every date field of the window and every date option of the
command line, so a date means the same wherever it is typed.

A two-digit year is 20xx. Anything that could be read two ways (no year, only digits, a
three-digit year) is refused with a Danish message rather than guessed at.
"""

from __future__ import annotations

import re
from datetime import date

from kkr_desktop.core.errors import InputError

EXAMPLE = "fx 12.03.2024 eller 12. marts 2024"

MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mar": 3, "april": 4,
    "apr": 4, "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
MONTH_NAMES = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
               "september", "oktober", "november", "december")

_ISO = re.compile(r"(\d{4})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})")
_NAMED = re.compile(r"(\d{1,2})\s*\.?\s*([a-zæøå]+)\s*\.?\s*,?\s*(\d{2}|\d{4})")


def parse_date(text: str) -> date:
    """The date `text` names; InputError (Danish) when it names none or could be two."""
    s = " ".join(text.strip().lower().split())
    if not s:
        raise InputError(f"Skriv en dato, {EXAMPLE}.")
    if m := _ISO.fullmatch(s):
        return _make(text, int(m[1]), int(m[3]), int(m[4]))
    if m := _NUMERIC.fullmatch(s):
        return _make(text, _year(m[4]), int(m[3]), int(m[1]))
    if m := _NAMED.fullmatch(s):
        month = MONTHS.get(m[2])
        if month is None:
            raise InputError(f"«{text.strip()}» er ikke en dato: «{m[2]}» er ikke en måned. "
                             f"Skriv {EXAMPLE}.")
        return _make(text, _year(m[3]), month, int(m[1]))
    raise InputError(f"«{text.strip()}» er ikke en dato, programmet kan læse entydigt. "
                     f"Skriv dag, måned og år, {EXAMPLE}.")


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _make(text: str, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise InputError(f"«{text.strip()}» er ikke en dato: der er ingen måned {month}. "
                         f"Skriv {EXAMPLE}.")
    try:
        return date(year, month, day)
    except ValueError:
        raise InputError(f"«{text.strip()}» er ikke en dato: {MONTH_NAMES[month - 1]} {year} "
                         f"har ingen {day}. dag.") from None


def format_short(d: date) -> str:
    """``12.03.2024``: how a date field shows a date, and reads it back."""
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def format_long(d: date) -> str:
    """``12. marts 2024``: how a date field shows the date it understood."""
    return f"{d.day}. {MONTH_NAMES[d.month - 1]} {d.year}"
