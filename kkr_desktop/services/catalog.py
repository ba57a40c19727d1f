"""Read-only look-ups the window needs: the navigator tree, a secretariat's years and lines,
population figures, kommuner, and the figures per year for the development chart."""

from __future__ import annotations

from dataclasses import dataclass

from kkr_desktop.core.statement import Kind, Role, YearLine
from kkr_desktop.store import population, reference, secretariats
from kkr_desktop.store import statements as lines_store
from kkr_desktop.store.db import Store
from kkr_desktop.store.population import Figure
from kkr_desktop.store.reference import Kommune
from kkr_desktop.store.secretariats import Member, Secretariat


@dataclass(frozen=True)
class TreeNode:
    """One secretariat in the navigator, with its KKR and statement years."""

    kkr: str
    secretariat: Secretariat
    years: list[int]


def navigator_tree(store: Store) -> list[TreeNode]:
    return [TreeNode(s.kkr, s, lines_store.years(store, s.id))
            for s in secretariats.all_secretariats(store)]


def secretariat(store: Store, secretariat_id: int) -> Secretariat:
    return secretariats.get(store, secretariat_id)


def year_lines(store: Store, secretariat_id: int, year: int) -> list[YearLine]:
    return lines_store.year_lines(store, secretariat_id, year)


def members(store: Store, secretariat_id: int, year: int | None = None) -> list[Member]:
    return secretariats.members(store, secretariat_id, year)


def kommuner(store: Store) -> list[Kommune]:
    return reference.kommuner(store)


def kkr_names(store: Store) -> list[str]:
    return reference.kkr_names(store)


def quarters(store: Store) -> list[str]:
    """Quarters with population figures, newest first."""
    return population.quarters(store)


def population_figures(store: Store, quarter: str) -> dict[int, Figure]:
    return population.for_quarter(store, quarter)


@dataclass(frozen=True)
class YearFigures:
    """A year's totals for the development chart (øre; None when not entered)."""

    year: int
    budget_expenses: int | None
    actual_expenses: int | None
    budget_contribution: int | None
    actual_contribution: int | None


def year_figures(store: Store, secretariat_id: int) -> list[YearFigures]:
    out = []
    for year in lines_store.years(store, secretariat_id):
        lines = lines_store.year_lines(store, secretariat_id, year)
        out.append(YearFigures(
            year,
            _sum(ln.budget for ln in lines if ln.kind is Kind.EXPENSE),
            _sum(ln.actual for ln in lines if ln.kind is Kind.EXPENSE),
            _sum(ln.budget for ln in lines if ln.role is Role.CONTRIBUTION),
            _sum(ln.actual for ln in lines if ln.role is Role.CONTRIBUTION)))
    return out


def _sum(amounts) -> int | None:
    known = [a for a in amounts if a is not None]
    return sum(known) if known else None


def find_secretariat(store: Store, name: str) -> Secretariat:
    """The full name, or a unique case-insensitive part of it ("sundhed")."""
    return secretariats.find(store, name)


def all_secretariats(store: Store) -> list[Secretariat]:
    return secretariats.all_secretariats(store)
