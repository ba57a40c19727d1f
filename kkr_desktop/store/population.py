"""Population (folketal) per kommune and quarter."""

from __future__ import annotations

from dataclasses import dataclass

from kkr_desktop.store.db import Store, now


@dataclass(frozen=True)
class Figure:
    kommunekode: int
    quarter: str
    value: int
    source: str
    imported_at: str


def quarters(store: Store) -> list[str]:
    return [r[0] for r in store.rows(
        "SELECT DISTINCT quarter FROM population ORDER BY quarter DESC")]


def for_quarter(store: Store, quarter: str) -> dict[int, Figure]:
    return {r["kommune_code"]: Figure(r["kommune_code"], r["quarter"], r["value"],
                                      r["source"], r["imported_at"])
            for r in store.rows("SELECT * FROM population WHERE quarter = ?", (quarter,))}


def figures(store: Store, kommunekoder: list[int] | None = None) -> list[Figure]:
    sql = "SELECT * FROM population"
    params: tuple = ()
    if kommunekoder is not None:
        sql += f" WHERE kommune_code IN ({','.join('?' * len(kommunekoder))})"
        params = tuple(kommunekoder)
    return [Figure(r["kommune_code"], r["quarter"], r["value"], r["source"], r["imported_at"])
            for r in store.rows(sql + " ORDER BY quarter DESC, kommune_code", params)]


def put(store: Store, values: dict[tuple[int, str], int], source: str) -> tuple[int, int]:
    """Insert or replace figures; returns (added, changed). Unchanged figures are left."""
    added = changed = 0
    stamp = now()
    with store.transaction():
        for (code, quarter), value in values.items():
            old = store.one("SELECT * FROM population WHERE kommune_code = ? AND quarter = ?",
                            (code, quarter))
            if old is None:
                store.insert("population", {"kommune_code": code, "quarter": quarter,
                                            "value": value, "source": source,
                                            "imported_at": stamp}, key="quarter")
                added += 1
            elif old["value"] != value:
                store.update("population", {"kommune_code": code, "quarter": quarter},
                             {"value": value, "source": source, "imported_at": stamp})
                changed += 1
    return added, changed
