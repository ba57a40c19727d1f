"""Kommuner and KKR."""

from __future__ import annotations

from dataclasses import dataclass

from kkr_desktop.core.errors import NotFoundError
from kkr_desktop.store.db import Store


@dataclass(frozen=True)
class Kommune:
    code: int
    name: str
    kkr: str


def kommuner(store: Store) -> list[Kommune]:
    return [Kommune(r["code"], r["name"], r["kkr"]) for r in store.rows(
        "SELECT k.code, k.name, r.name AS kkr FROM kommune k JOIN kkr r ON r.id = k.kkr_id "
        "ORDER BY k.code")]


def kommune_names(store: Store) -> dict[int, str]:
    return {k.code: k.name for k in kommuner(store)}


def kkr_names(store: Store) -> list[str]:
    return [r["name"] for r in store.rows("SELECT name FROM kkr ORDER BY id")]


def find_kkr(store: Store, name: str) -> tuple[int, str]:
    """'Nordjylland', 'KKR Nordjylland' or 'nord' -> (id, 'Nordjylland')."""
    wanted = name.strip().casefold().removeprefix("kkr").strip()
    rows = store.rows("SELECT id, name FROM kkr ORDER BY id")
    exact = [r for r in rows if r["name"].casefold() == wanted]
    hits = exact or [r for r in rows if wanted and wanted in r["name"].casefold()]
    if len(hits) != 1:
        names = ", ".join(f"KKR {r['name']}" for r in rows)
        raise NotFoundError(f"«{name}» er ikke et entydigt KKR. Vælg blandt: {names}.")
    return hits[0]["id"], hits[0]["name"]
