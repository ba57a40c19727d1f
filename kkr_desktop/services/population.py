"""Population figures: import from Danmarks Statistik, edit by hand."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kkr_desktop.core.approval import document_id
from kkr_desktop.core.errors import InputError, LockedError
from kkr_desktop.core.money import MAX_POPULATION, format_count
from kkr_desktop.core.names import NameIndex
from kkr_desktop.core.quarter import parse_quarter, quarter_label
from kkr_desktop.formats.dst import read_population
from kkr_desktop.services import concurrency
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
    with store.transaction():
        refuse_frozen_changes(store, values, f"Intet er indlæst fra {Path(path).name}")
        added, changed = population.put(store, values, source)
    return PopulationImport(Path(path).name, sorted({q for _, q in values}),
                            len({c for c, _ in values}), added, changed)


def set_figure(store: Store, kommunekode: int, quarter: str, value: int,
               source: str = "Rettet i hånden", *, seen: int | None = None
               ) -> population.Figure | None:
    """Set one figure by hand; returns the figure it replaced (None if there was none),
    which `restore_figure` puts back. `seen`: the audit row the window's view had read up
    to; a figure someone else changed since is not written over (ConflictError)."""
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
        refuse_frozen_changes(store, {(kommunekode, quarter): value}, "Folketallet er ikke gemt")
        name = reference.kommune_names(store)[kommunekode]
        concurrency.check_figure(store, seen, kommunekode, quarter,
                                 f"{kommunekode} {name}: {format_count(value)}")
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
        if old is not None:
            refuse_frozen_changes(store, {(kommunekode, quarter): old.value},
                                  "Rettelsen kan ikke fortrydes")
        elif kommunekode in (frozen := frozen_figures(store, quarter)):
            raise LockedError("Rettelsen kan ikke fortrydes. " + frozen[kommunekode])
        population.restore(store, kommunekode, quarter, old)


# --- figures an approval keyed on ---------------------------------------------------------

def _approved_by(f: population.FrozenFigure) -> str:
    return (f"den godkendte fordeling for {f.secretariat} {f.year} (revision {f.revision}, "
            f"Dokument-id {document_id(f.sha256)})")


def frozen_figures(store: Store, quarter: str) -> dict[int, str]:
    """The kommuner whose figure of `quarter` an approval in force keyed on, each with why it
    cannot be edited (the window's tooltip)."""
    out: dict[int, str] = {}
    for f in population.frozen(store, quarter):
        out.setdefault(f.kommunekode, f"Låst: folketallet pr. {quarter_label(quarter)} "
                       f"indgår i {_approved_by(f)}. Vælg «Ny revision» af opgørelsen for "
                       "at ændre det.")
    return out


def refuse_frozen_changes(store: Store, values: dict[tuple[int, str], int], what: str
                          ) -> None:
    """Raise LockedError naming every figure of `values` that would change a figure an
    approval in force keyed on (writing the approved figure again is fine)."""
    wanted = {q for _, q in values}
    names = reference.kommune_names(store)
    problems = []
    for f in population.frozen(store):
        key = (f.kommunekode, f.quarter)
        if f.quarter not in wanted or key not in values or str(values[key]) == f.approved:
            continue
        problems.append(f"{f.kommunekode} {names.get(f.kommunekode, '')} pr. "
                        f"{quarter_label(f.quarter)}: {format_count(values[key])} i stedet "
                        f"for {format_count(Decimal(f.approved))}, som indgår i "
                        f"{_approved_by(f)}")
    if problems:
        raise LockedError(f"{what}: folketal, som en godkendt fordeling bygger på, kan ikke "
                          "ændres:\n  " + "\n  ".join(problems) + "\nVælg «Ny revision» af "
                          "opgørelsen for at ændre dem.")
