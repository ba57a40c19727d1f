"""A new secretariat, and the settings dialog's save: name, KKR, host, rounding units (budget
and billing), the contact on the bills, and members."""

from __future__ import annotations

from dataclasses import dataclass

from kkr_desktop.core.allocation import Unit
from kkr_desktop.core.errors import InputError
from kkr_desktop.core.statement import Kind, Role, YearLine
from kkr_desktop.store import reference, secretariats
from kkr_desktop.store import statements as lines_store
from kkr_desktop.store.db import Store
from kkr_desktop.store.secretariats import Member

# The units a secretariat may round its contribution to (the schema allows these two).
SECRETARIAT_UNITS = (Unit.KR, Unit.ORE)
MAX_CONTACT = 200  # characters: one line of the letter


@dataclass(frozen=True)
class MemberPeriod:
    kommunekode: int
    from_year: int
    to_year: int | None = None


def update_settings(store: Store, secretariat_id: int, *, name: str, kkr: str,
                    host_kommune: int | None, unit: Unit,
                    members: list[MemberPeriod], billing_unit: Unit | None = None,
                    contact: str | None = None) -> None:
    """Store every setting in one transaction; a bad value stores nothing. `billing_unit`
    and `contact` (None: unchanged) are what the bills charge in and whom they name."""
    name = name.strip()
    if not name:
        raise InputError("Sekretariatet skal have et navn.")
    other = secretariats.find_by_name(store, name)
    if other is not None and other.id != secretariat_id:
        raise InputError(f"Et andet sekretariat hedder allerede «{name}».")
    if unit not in SECRETARIAT_UNITS:
        raise InputError(f"Afrundingsenheden «{unit.label}» kan ikke bruges for bidraget.")
    if billing_unit is not None and billing_unit not in SECRETARIAT_UNITS:
        raise InputError(f"Afrundingsenheden «{billing_unit.label}» kan ikke bruges ved "
                         "opkrævningen.")
    if contact is not None and len(contact.strip()) > MAX_CONTACT:
        raise InputError(f"Kontakten på opkrævningen er {len(contact.strip())} tegn; højst "
                         f"{MAX_CONTACT} kan stå på brevet.")
    kkr_id, _ = reference.find_kkr(store, kkr)
    known = reference.kommune_names(store)
    if host_kommune is not None and host_kommune not in known:
        raise InputError(f"Værtskommunen {host_kommune} findes ikke.")
    if not members:
        raise InputError("Sekretariatet skal have mindst én medlemskommune.")
    for m in members:
        if m.to_year is not None and m.to_year < m.from_year:
            raise InputError(f"{known.get(m.kommunekode, m.kommunekode)}: «til år» "
                             f"{m.to_year} ligger før «fra år» {m.from_year}.")
    with store.transaction():
        values = {"name": name, "kkr_id": kkr_id, "host_kommune": host_kommune,
                  "unit": unit.value}
        if billing_unit is not None:
            values["billing_unit"] = billing_unit.value
        if contact is not None:
            values["contact"] = " ".join(contact.split())
        secretariats.update(store, secretariat_id, **values)
        current = {(m.kommunekode, m.from_year, m.to_year)
                   for m in secretariats.members(store, secretariat_id)}
        wanted = {(m.kommunekode, m.from_year, m.to_year) for m in members}
        if current != wanted:
            secretariats.set_members(store, secretariat_id, [
                Member(code, known[code], start, end) for code, start, end in sorted(wanted)])


# The posts a new secretariat's first budget starts with, in the order of the statements
# KKR's joint secretariats print (the Sundhedssekretariat's «Regnskab 2023 og budget 2024»):
# income first, then rent and salaries, then the running costs every secretariat has, and
# the pool for the unforeseen last. The posts of one secretariat's own projects are added
# with «Ny post»; a post that is not used is deleted or left empty.
FIRST_LINES = (
    YearLine("Indkrævet hos kommunerne", Kind.INCOME, Role.CONTRIBUTION),
    YearLine("Overført overskud", Kind.INCOME, Role.CARRIED_OVER),
    YearLine("Husleje", Kind.EXPENSE),
    YearLine("Løn", Kind.EXPENSE),
    YearLine("IT, tele, licenser og abonnementer", Kind.EXPENSE),
    YearLine("HR, intern service og økonomiopfølgning (værtskommunen)", Kind.EXPENSE),
    YearLine("Administrationsudgifter og kontorhold", Kind.EXPENSE),
    YearLine("Mødeafholdelse", Kind.EXPENSE),
    YearLine("Transport, kørsel og parkering", Kind.EXPENSE),
    YearLine("Deltagelse i kurser, konferencer og efteruddannelse", Kind.EXPENSE),
    YearLine("Indkøb af IT-udstyr", Kind.EXPENSE),
    YearLine("Afholdelse af arrangementer", Kind.EXPENSE),
    YearLine("Pulje til uforudsete udgifter", Kind.EXPENSE),
)


def create_secretariat(store: Store, *, name: str, kkr: str, first_year: int,
                       unit: Unit = Unit.KR, host_kommune: int | None = None) -> int:
    """A new secretariat with every kommune of its KKR as a member and an empty first budget
    with the standard posts (FIRST_LINES), all in one transaction; returns its id."""
    name = name.strip()
    if not name:
        raise InputError("Sekretariatet skal have et navn.")
    if secretariats.find_by_name(store, name) is not None:
        raise InputError(f"Et sekretariat hedder allerede «{name}».")
    if not 2000 <= first_year <= 2100:
        raise InputError(f"Budgetåret {first_year} ligger uden for 2000–2100.")
    if unit not in SECRETARIAT_UNITS:
        raise InputError(f"Afrundingsenheden «{unit.label}» kan ikke bruges for bidraget.")
    kkr_id, kkr_name = reference.find_kkr(store, kkr)
    in_kkr = {k.code: k.name for k in reference.kommuner(store) if k.kkr == kkr_name}
    if host_kommune is not None and host_kommune not in in_kkr:
        known = reference.kommune_names(store)
        raise InputError(f"Værtskommunen {host_kommune} findes ikke." if host_kommune not in known
                         else f"Værtskommunen {known[host_kommune]} ligger ikke i KKR "
                         f"{kkr_name}.")
    with store.transaction():
        sid = secretariats.create(store, name, kkr_id, unit=unit, host_kommune=host_kommune)
        for k in reference.kommuner(store):
            if k.kkr == kkr_name:
                secretariats.add_member(store, sid, k.code, first_year - 1)
        lines_store.replace_year(store, sid, first_year, list(FIRST_LINES))
    return sid
