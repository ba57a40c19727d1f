"""Stored allocations: what exports and documents use."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kkr_desktop.core.allocation import (
    Allocation,
    AllocationKind,
    AllocationRow,
    KeyKind,
    Unit,
)
from kkr_desktop.core.errors import KkrError
from kkr_desktop.store.db import Store, now


@dataclass(frozen=True)
class StoredAllocation:
    id: int
    secretariat_id: int
    year: int
    created_at: str
    created_by: str
    allocation: Allocation


def save(store: Store, secretariat_id: int, year: int, allocation: Allocation) -> int:
    if sum(r.amount for r in allocation.rows) != allocation.total:
        raise KkrError("Fordelingens rækker summer ikke til beløbet; den gemmes ikke.")
    with store.transaction():
        aid = store.insert("allocation", {
            "secretariat_id": secretariat_id, "year": year, "kind": allocation.kind.value,
            "total": allocation.total, "unit": allocation.unit.value,
            "key_kind": allocation.key_kind.value, "quarter": allocation.quarter,
            "created_at": now(), "created_by": store.user},
            secretariat_id=secretariat_id, year=year)
        store.conn.executemany(
            "INSERT INTO allocation_row (allocation_id, kommune_code, weight, amount) "
            "VALUES (?, ?, ?, ?)",
            [(aid, r.kommunekode, str(r.weight), r.amount) for r in allocation.rows])
    return aid


def latest(store: Store, secretariat_id: int, year: int, kind: AllocationKind
           ) -> StoredAllocation | None:
    r = store.one("SELECT * FROM allocation WHERE secretariat_id = ? AND year = ? AND kind = ? "
                  "ORDER BY id DESC LIMIT 1", (secretariat_id, year, kind.value))
    return None if r is None else load(store, r["id"])


def load(store: Store, allocation_id: int) -> StoredAllocation:
    a = store.one("SELECT * FROM allocation WHERE id = ?", (allocation_id,))
    if a is None:
        raise KkrError(f"Fordeling nr. {allocation_id} findes ikke.")
    rows = store.rows("SELECT r.*, k.name FROM allocation_row r JOIN kommune k "
                      "ON k.code = r.kommune_code WHERE allocation_id = ? ORDER BY k.code",
                      (allocation_id,))
    weight_sum = sum(Fraction(Decimal(r["weight"])) for r in rows) or Fraction(1)
    alloc = Allocation(
        AllocationKind(a["kind"]), a["total"], Unit(a["unit"]), KeyKind(a["key_kind"]),
        a["quarter"],
        tuple(AllocationRow(r["kommune_code"], r["name"], Decimal(r["weight"]),
                            Fraction(Decimal(r["weight"])) / weight_sum, r["amount"])
              for r in rows))
    return StoredAllocation(a["id"], a["secretariat_id"], a["year"], a["created_at"],
                            a["created_by"], alloc)


def for_secretariat(store: Store, secretariat_id: int, year: int | None = None
                    ) -> list[StoredAllocation]:
    sql = "SELECT id FROM allocation WHERE secretariat_id = ?"
    params: tuple = (secretariat_id,)
    if year is not None:
        sql += " AND year = ?"
        params += (year,)
    return [load(store, r[0]) for r in store.rows(sql + " ORDER BY id", params)]


def frozen_ids(store: Store, approval_id: int) -> list[int]:
    """The allocations an approval froze (approval_allocation), by id (their order carries no
    meaning: each is matched to the snapshot by its kind)."""
    return [r[0] for r in store.rows(
        "SELECT allocation_id FROM approval_allocation WHERE approval_id = ? "
        "ORDER BY allocation_id", (approval_id,))]
