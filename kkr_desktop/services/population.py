"""Population figures: import from Danmarks Statistik, edit by hand."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kkr_desktop.core.errors import InputError
from kkr_desktop.core.money import MAX_POPULATION, format_count
from kkr_desktop.core.names import NameIndex
from kkr_desktop.core.quarter import parse_quarter
from kkr_desktop.formats.dst import read_population
from kkr_desktop.store import population, reference
from kkr_desktop.store.db import Store


@dataclass(frozen=True)
class PopulationImport:
    source: str
    quarters: list[str]
    kommuner: int
    added: int
    changed: int


def import_population(store: Store, path: Path | str) -> PopulationImport:
    """Read a FOLK1A file (any of its forms) and store every figure in one transaction."""
    names = reference.kommune_names(store)
    index = NameIndex(names)
    values = read_population(path, index.find, set(names))
    source = f"Danmarks Statistik, FOLK1A ({Path(path).name})"
    added, changed = population.put(store, values, source)
    return PopulationImport(Path(path).name, sorted({q for _, q in values}),
                            len({c for c, _ in values}), added, changed)


def set_figure(store: Store, kommunekode: int, quarter: str, value: int,
               source: str = "Rettet i hånden") -> population.Figure | None:
    """Set one figure by hand; returns the figure it replaced (None if there was none),
    which `restore_figure` puts back."""
    if value < 0:
        raise InputError("Et folketal kan ikke være negativt.")
    if value > MAX_POPULATION:  # past SQLite's INTEGER too, from 20 digits on
        shown = format_count(value) if value < 10**30 else "over 30 cifre"
        raise InputError(f"Folketallet {shown} er urimeligt stort; højst "
                         f"{format_count(MAX_POPULATION)} pr. kommune.")
    if kommunekode not in reference.kommune_names(store):
        raise InputError(f"Kommunekode {kommunekode} findes ikke.")
    quarter = parse_quarter(quarter)
    with store.transaction():
        old = population.figure(store, kommunekode, quarter)
        population.put(store, {(kommunekode, quarter): value}, source)
    return old


def restore_figure(store: Store, kommunekode: int, quarter: str,
                   old: population.Figure | None, *, typed: int | None = None) -> None:
    """Undo a hand edit: the figure as it was before, or none if it was missing. With
    `typed`, only while the figure is still the one typed: a later import or edit is not
    undone underneath."""
    quarter = parse_quarter(quarter)
    with store.transaction():
        now = population.figure(store, kommunekode, quarter)
        if typed is not None and (now is None or now.value != typed):
            name = reference.kommune_names(store).get(kommunekode, str(kommunekode))
            shown = "intet tal" if now is None else f"{now.value:,}".replace(",", ".")
            raise InputError(f"Folketallet for {name} pr. {quarter} er ændret siden "
                             f"rettelsen (nu {shown}), så den kan ikke fortrydes.")
        population.restore(store, kommunekode, quarter, old)
