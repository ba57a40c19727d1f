"""Quarters as Danmarks Statistik writes them: ``2022K1``."""

from __future__ import annotations

import re

from kkr_desktop.core.errors import InputError

# [0-9], not \d: other scripts' digits would pass \d and then fail the database's check.
_Q = re.compile(r"^\s*([0-9]{4})\s*[Kk]\s*([1-4])\s*$")


def parse_quarter(text: str) -> str:
    m = _Q.match(text)
    if not m:
        raise InputError(f"«{text}» er ikke et kvartal. Skriv fx 2022K1.")
    return f"{m[1]}K{m[2]}"


def is_quarter(text: str) -> bool:
    return bool(_Q.match(text))


def default_key_quarter(year: int) -> str:
    """The usual key for year N: 1st quarter of N−1."""
    return f"{year - 1}K1"


def quarter_label(quarter: str) -> str:
    """``2022K1`` as printed: ``1. kvt. 2022``."""
    return f"{quarter[5]}. kvt. {quarter[:4]}"
