"""Opening a database for the program, and the demo."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kkr_desktop.paths import default_db_path, demo_db_path, resources_dir
from kkr_desktop.services.population import import_population
from kkr_desktop.services.rates import set_pl_rate
from kkr_desktop.services.statements import import_statement
from kkr_desktop.store import secretariats
from kkr_desktop.store.db import Store, open_store

DEMO_SECRETARIAT = "Det fælleskommunale Sundhedssekretariat"
DEMO_KEY_QUARTER = "2020K1"
DEMO_PL_SOURCE = "Demo: KL's PL-skøn som i Sundhedssekretariatets budget"
AALBORG = 851


def resolve_db(db: Path | str | None, demo: bool) -> Path:
    if db is not None:
        return Path(db)
    return demo_db_path() if demo else default_db_path()


@dataclass(frozen=True)
class DemoSummary:
    secretariat: str
    members: int
    years: list[int]
    key_quarter: str


def load_demo(store: Store) -> DemoSummary:
    """KKR Nordjylland's Sundhedssekretariat: statement 2023–2024, the 2020K1 key, PL rates.
    Loading twice changes nothing."""
    with store.transaction():
        import_statement(store, resources_dir() / "sundhedssekretariat.csv", kkr="Nordjylland")
        sec = secretariats.find(store, DEMO_SECRETARIAT)
        secretariats.update(store, sec.id, host_kommune=AALBORG, unit="kr")
        import_population(store, resources_dir() / "folk1a_nordjylland_2020K1.csv")
        set_pl_rate(store, 2023, expected=Decimal("2.8"), final=Decimal("4.1"),
                    source=DEMO_PL_SOURCE)
        set_pl_rate(store, 2024, expected=Decimal("4.8"), source=DEMO_PL_SOURCE)
    return DemoSummary(sec.name, len(secretariats.members(store, sec.id, 2024)), [2023, 2024],
                       DEMO_KEY_QUARTER)


def open_for_use(db: Path | str | None, *, demo: bool = False) -> Store:
    """Open the database the program works on; a demo database is filled on first use."""
    path = resolve_db(db, demo)
    store = open_store(path)
    if demo and not secretariats.all_secretariats(store):
        load_demo(store)
    return store
