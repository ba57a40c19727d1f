"""The secretariat settings dialog's save: name, KKR, host, rounding unit and members."""

from __future__ import annotations

from dataclasses import dataclass

from kkr_desktop.core.allocation import Unit
from kkr_desktop.core.errors import InputError
from kkr_desktop.store import reference, secretariats
from kkr_desktop.store.db import Store
from kkr_desktop.store.secretariats import Member

# The units a secretariat may round its contribution to (the schema allows these two).
SECRETARIAT_UNITS = (Unit.KR, Unit.ORE)


@dataclass(frozen=True)
class MemberPeriod:
    kommunekode: int
    from_year: int
    to_year: int | None = None


def update_settings(store: Store, secretariat_id: int, *, name: str, kkr: str,
                    host_kommune: int | None, unit: Unit,
                    members: list[MemberPeriod]) -> None:
    """Store every setting in one transaction; a bad value stores nothing."""
    name = name.strip()
    if not name:
        raise InputError("Sekretariatet skal have et navn.")
    other = secretariats.find_by_name(store, name)
    if other is not None and other.id != secretariat_id:
        raise InputError(f"Et andet sekretariat hedder allerede «{name}».")
    if unit not in SECRETARIAT_UNITS:
        raise InputError(f"Afrundingsenheden «{unit.label}» kan ikke bruges for bidraget.")
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
        secretariats.update(store, secretariat_id, name=name, kkr_id=kkr_id,
                            host_kommune=host_kommune, unit=unit.value)
        current = {(m.kommunekode, m.from_year, m.to_year)
                   for m in secretariats.members(store, secretariat_id)}
        wanted = {(m.kommunekode, m.from_year, m.to_year) for m in members}
        if current != wanted:
            secretariats.set_members(store, secretariat_id, [
                Member(code, known[code], start, end) for code, start, end in sorted(wanted)])
