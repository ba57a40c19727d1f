"""Secretariats and their members."""

from __future__ import annotations

from dataclasses import dataclass

from kkr_desktop.core.allocation import Unit
from kkr_desktop.core.errors import InputError, NotFoundError
from kkr_desktop.store.db import Store, now


@dataclass(frozen=True)
class Secretariat:
    id: int
    name: str
    kkr_id: int
    kkr: str
    host_kommune: int | None
    unit: Unit  # the budget's rounding unit (the contribution as budgeted)
    billing_unit: Unit = Unit.ORE  # what billing charges in (the final rate's amount)
    contact: str = ""  # who the kommuner ask about its bill (the letters, the e-invoice)

    @property
    def unit_ore(self) -> int:
        return self.unit.ore

    @property
    def billing_unit_ore(self) -> int:
        return self.billing_unit.ore


@dataclass(frozen=True)
class Member:
    kommunekode: int
    kommune: str
    from_year: int
    to_year: int | None


_SELECT = ("SELECT s.id, s.name, s.kkr_id, k.name AS kkr, s.host_kommune, s.unit, "
           "s.billing_unit, s.contact FROM secretariat s JOIN kkr k ON k.id = s.kkr_id")


def _row(r) -> Secretariat:
    return Secretariat(r["id"], r["name"], r["kkr_id"], r["kkr"], r["host_kommune"],
                       Unit(r["unit"]), Unit(r["billing_unit"]), r["contact"])


def all_secretariats(store: Store) -> list[Secretariat]:
    return [_row(r) for r in store.rows(_SELECT + " ORDER BY k.id, s.name")]


def get(store: Store, secretariat_id: int) -> Secretariat:
    r = store.one(_SELECT + " WHERE s.id = ?", (secretariat_id,))
    if r is None:
        raise NotFoundError(f"Sekretariat nr. {secretariat_id} findes ikke.")
    return _row(r)


def find(store: Store, name: str) -> Secretariat:
    """The full name, or a unique case-insensitive part of it ("sundhed")."""
    wanted = name.strip().casefold()
    rows = all_secretariats(store)
    exact = [s for s in rows if s.name.casefold() == wanted]
    if exact:
        return exact[0]
    hits = [s for s in rows if wanted and wanted in s.name.casefold()]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        known = "; ".join(s.name for s in rows) or "(ingen endnu)"
        raise NotFoundError(f"Intet sekretariat hedder «{name}». Kendte: {known}.")
    raise InputError(f"«{name}» passer på flere sekretariater: "
                     + "; ".join(s.name for s in hits) + ". Skriv mere af navnet.")


def find_by_name(store: Store, name: str) -> Secretariat | None:
    r = store.one(_SELECT + " WHERE s.name = ?", (name,))
    return _row(r) if r else None


def create(store: Store, name: str, kkr_id: int, *, unit: Unit = Unit.KR,
           host_kommune: int | None = None, billing_unit: Unit = Unit.ORE) -> int:
    if not name.strip():
        raise InputError("Sekretariatet skal have et navn.")
    with store.transaction():
        sid = store.insert("secretariat", {
            "name": name.strip(), "kkr_id": kkr_id, "host_kommune": host_kommune,
            "unit": unit.value, "billing_unit": billing_unit.value, "created_at": now()})
        return sid


def update(store: Store, secretariat_id: int, **values) -> None:
    with store.transaction():
        store.update("secretariat", {"id": secretariat_id}, values,
                     secretariat_id=secretariat_id)


def members(store: Store, secretariat_id: int, year: int | None = None) -> list[Member]:
    sql = ("SELECT m.kommune_code, k.name, m.from_year, m.to_year FROM membership m "
           "JOIN kommune k ON k.code = m.kommune_code WHERE m.secretariat_id = ?")
    params: tuple = (secretariat_id,)
    if year is not None:
        sql += " AND m.from_year <= ? AND (m.to_year IS NULL OR m.to_year >= ?)"
        params += (year, year)
    return [Member(r[0], r[1], r[2], r[3]) for r in store.rows(sql + " ORDER BY k.code",
                                                               params)]


def has_members(store: Store, secretariat_id: int) -> bool:
    return bool(store.scalar("SELECT count(*) FROM membership WHERE secretariat_id = ?",
                             (secretariat_id,)))


def add_member(store: Store, secretariat_id: int, kommunekode: int, from_year: int,
               to_year: int | None = None) -> None:
    with store.transaction():
        store.insert("membership", {"secretariat_id": secretariat_id,
                                    "kommune_code": kommunekode, "from_year": from_year,
                                    "to_year": to_year}, secretariat_id=secretariat_id)


def set_members(store: Store, secretariat_id: int, members_: list[Member]) -> None:
    """Replace the membership list (the settings dialog's save)."""
    with store.transaction():
        store.delete("membership", {"secretariat_id": secretariat_id},
                     secretariat_id=secretariat_id)
        for m in members_:
            add_member(store, secretariat_id, m.kommunekode, m.from_year, m.to_year)
