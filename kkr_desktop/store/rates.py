"""PL rates per year pair."""

from __future__ import annotations

from decimal import Decimal

from kkr_desktop.core.indexation import PLRate
from kkr_desktop.store.db import Store, now


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def get(store: Store, year: int) -> PLRate | None:
    r = store.one("SELECT * FROM pl_rate WHERE year = ?", (year,))
    if r is None:
        return None
    return PLRate(r["year"], _dec(r["expected"]), _dec(r["final"]), r["source"])


def all_rates(store: Store) -> list[PLRate]:
    return [PLRate(r["year"], _dec(r["expected"]), _dec(r["final"]), r["source"])
            for r in store.rows("SELECT * FROM pl_rate ORDER BY year")]


def set_rate(store: Store, year: int, *, expected: Decimal | None = None,
             final: Decimal | None = None, source: str | None = None) -> PLRate:
    """Set the expected and/or final rate from year-1 to year; what is not given is kept."""
    with store.transaction():
        old = get(store, year)
        values = {
            "expected": str(expected) if expected is not None else (
                str(old.expected) if old and old.expected is not None else None),
            "final": str(final) if final is not None else (
                str(old.final) if old and old.final is not None else None),
            "source": source if source is not None else (old.source if old else ""),
            "updated_at": now(),
        }
        if old is None:
            store.insert("pl_rate", {"year": year, **values}, key="year")
        else:
            store.update("pl_rate", {"year": year}, values)
    result = get(store, year)
    assert result is not None
    return result


def updated_at(store: Store) -> dict[int, str]:
    """When each year's rate was last set (ISO timestamp), by year."""
    return {r["year"]: r["updated_at"]
            for r in store.rows("SELECT year, updated_at FROM pl_rate ORDER BY year")}
