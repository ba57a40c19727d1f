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


def figure(store: Store, kommunekode: int, quarter: str) -> Figure | None:
    r = store.one("SELECT * FROM population WHERE kommune_code = ? AND quarter = ?",
                  (kommunekode, quarter))
    return None if r is None else Figure(r["kommune_code"], r["quarter"], r["value"],
                                         r["source"], r["imported_at"])


def restore(store: Store, kommunekode: int, quarter: str, old: Figure | None) -> None:
    """Put a figure back exactly as it was (value, source and time), or remove it if there
    was none: the undo of a hand edit."""
    where = {"kommune_code": kommunekode, "quarter": quarter}
    with store.transaction():
        present = figure(store, kommunekode, quarter) is not None
        if old is None:
            if present:
                store.delete("population", where)
            return
        values = {"value": old.value, "source": old.source, "imported_at": old.imported_at}
        if present:
            store.update("population", where, values)
        else:
            store.insert("population", {**where, **values}, key="quarter")


@dataclass(frozen=True)
class FrozenFigure:
    """A figure an approval in force keyed its allocation on: it may not change."""

    kommunekode: int
    quarter: str
    approved: str  # the figure as the frozen allocation row holds it (its weight)
    secretariat: str
    year: int  # the approved statement
    revision: int
    sha256: str


def frozen(store: Store, quarter: str | None = None) -> list[FrozenFigure]:
    """The figures frozen by approvals in force (db/migrations: population_frozen_*)."""
    sql = ("SELECT r.kommune_code, a.quarter, r.weight, s.name, ap.year, ap.revision, "
           "ap.sha256 FROM approval ap "
           "JOIN approval_allocation aa ON aa.approval_id = ap.id "
           "JOIN allocation a ON a.id = aa.allocation_id "
           "JOIN allocation_row r ON r.allocation_id = a.id "
           "JOIN secretariat s ON s.id = ap.secretariat_id "
           "WHERE ap.superseded_at IS NULL AND a.key_kind = 'population'")
    params: tuple = ()
    if quarter is not None:
        sql += " AND a.quarter = ?"
        params = (quarter,)
    return [FrozenFigure(*r) for r in store.rows(
        sql + " ORDER BY a.quarter, r.kommune_code, ap.id", params)]
