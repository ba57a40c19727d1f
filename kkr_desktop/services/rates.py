"""PL rates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from kkr_desktop.core.errors import InputError
from kkr_desktop.core.indexation import PLRate
from kkr_desktop.store import rates
from kkr_desktop.store.db import Store


def set_pl_rate(store: Store, year: int, *, expected: Decimal | None = None,
                final: Decimal | None = None, source: str | None = None) -> PLRate:
    if expected is None and final is None and source is None:
        raise InputError("Angiv mindst én af den forventede og den endelige sats.")
    for label, rate in (("forventede", expected), ("endelige", final)):
        if rate is not None and not Decimal(-20) <= rate <= Decimal(50):
            raise InputError(f"Den {label} sats {rate} % er urimelig; angiv den i procent.")
    return rates.set_rate(store, year, expected=expected, final=final, source=source)


def all_rates(store: Store) -> list[PLRate]:
    return rates.all_rates(store)


def changed_on(store: Store) -> dict[int, date]:
    """The day each year's rate was last changed, by year."""
    return {year: datetime.fromisoformat(at).date()
            for year, at in rates.updated_at(store).items()}


def suggested_year(years: list[int], today: date | None = None) -> int:
    """The year a new rate is most likely for: the one after the newest, or next year."""
    return max(years) + 1 if years else (today or date.today()).year + 1
