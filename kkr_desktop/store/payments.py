"""Recorded payments (append-only: see the payments migration)."""

from __future__ import annotations

from datetime import date

from kkr_desktop.core.billing import Payment, reference_for
from kkr_desktop.store.db import Store, now


def _row(r) -> Payment:
    return Payment(r["id"], r["year"], r["kommune_code"], date.fromisoformat(r["paid_on"]),
                   r["amount"], r["source"], r["reverses"])


def for_year(store: Store, year: int, kommuner: set[int] | None = None) -> list[Payment]:
    """Every payment of `year` (of the kommuner given), in the order recorded."""
    rows = [_row(r) for r in store.rows("SELECT * FROM payment WHERE year = ? ORDER BY id",
                                        (year,))]
    return [p for p in rows if kommuner is None or p.kommunekode in kommuner]


def get(store: Store, payment_id: int) -> Payment | None:
    r = store.one("SELECT * FROM payment WHERE id = ?", (payment_id,))
    return _row(r) if r else None


def is_reversed(store: Store, payment_id: int) -> bool:
    return store.scalar("SELECT count(*) FROM payment WHERE reverses = ?", (payment_id,)) > 0


def add(store: Store, *, year: int, kommunekode: int, paid_on: date, amount: int,
        source: str, line: int | None = None, bank_text: str = "",
        reverses: int | None = None) -> int:
    """Record one payment (audited)."""
    with store.transaction():
        return store.insert("payment", {
            "year": year, "kommune_code": kommunekode,
            "reference": reference_for(year, kommunekode), "paid_on": paid_on.isoformat(),
            "amount": amount, "source": source, "line": line, "bank_text": bank_text,
            "reverses": reverses, "recorded_at": now(), "recorded_by": store.user},
            year=year)
