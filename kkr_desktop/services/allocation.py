"""Allocations: the amount a kind implies, split by the key, stored for exports and documents."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kkr_desktop.core.allocation import (
    Allocation,
    AllocationKind,
    KeyKind,
    Unit,
    allocate,
    equal_weights,
)
from kkr_desktop.core.disposition import Disposition, dispose_surplus
from kkr_desktop.core.errors import InputError
from kkr_desktop.core.indexation import adjustment
from kkr_desktop.core.money import format_amount
from kkr_desktop.core.quarter import default_key_quarter, quarter_label
from kkr_desktop.core.statement import Column, Role
from kkr_desktop.services.statements import load_statement
from kkr_desktop.store import allocations, population, rates, secretariats
from kkr_desktop.store.db import Store
from kkr_desktop.store.secretariats import Secretariat


@dataclass(frozen=True)
class AllocationResult:
    allocation: Allocation
    notice: str = ""  # said to the user, e.g. which quarter was used instead of the default


def default_amount(store: Store, secretariat: Secretariat, year: int,
                   kind: AllocationKind) -> int:
    """What a kind implies: budget N's contribution, the payout of regnskab N−1's result,
    or the adjustment of N's contribution to the final PL rate."""
    st = load_statement(store, secretariat, year).statement
    if kind is AllocationKind.CONTRIBUTION:
        amount = st.role_amount(Role.CONTRIBUTION, Column.BUDGET)
        if amount is None:
            raise InputError(f"Budget {year} for {secretariat.name} har intet bidrag "
                             "(en linje med rollen «bidrag»).")
        return amount
    if kind is AllocationKind.PAYOUT:
        return disposition(store, secretariat, year).payout
    charged = st.role_amount(Role.CONTRIBUTION, Column.ACTUAL_PREV)
    budget = st.role_amount(Role.CONTRIBUTION, Column.BUDGET)
    rate = rates.get(store, year)
    if rate is None or rate.final is None:
        raise InputError(f"Den endelige PL-sats for {year - 1}→{year} er ikke registreret. "
                         "Sæt den under Rediger → PL-satser… (eller kkr-desktop pl set "
                         f"--year {year} --final …).")
    if charged is None or budget is None:
        raise InputError(f"Efterregulering for {year} kræver det opkrævede bidrag for "
                         f"{year - 1} og bidraget i budget {year}.")
    return adjustment(charged, budget, rate.final, secretariat.unit_ore)


# What each kind's amount is called, in "Den gemte fordeling af …" and "svarer ikke til …".
_STORED_WORD = {AllocationKind.CONTRIBUTION: "bidraget", AllocationKind.PAYOUT: "udbetalingen",
                AllocationKind.ADJUSTMENT: "efterreguleringen"}


def _source_words(kind: AllocationKind, year: int) -> str:
    return {AllocationKind.CONTRIBUTION: f"bidraget i budget {year}",
            AllocationKind.PAYOUT: f"udbetalingen af overskuddet fra regnskab {year - 1}",
            AllocationKind.ADJUSTMENT: f"efterreguleringen af bidraget for {year}"}[kind]


def amount_mismatch(stored: Allocation, year: int, amount: int) -> str | None:
    """Said when a stored allocation no longer splits the amount the statement implies
    (`default_amount`); None when it does. Approval and export word it the same way."""
    if stored.total == amount:
        return None
    return (f"Den gemte fordeling af {_STORED_WORD[stored.kind]} "
            f"({format_amount(stored.total)} kr.) svarer ikke til "
            f"{_source_words(stored.kind, year)} ({format_amount(amount)} kr.)")


def stored_differences(store: Store, secretariat: Secretariat, year: int,
                       stored: Allocation) -> list[str]:
    """How a stored allocation differs from what `compute` would give now with the
    statement's amount and the usual key quarter: every difference, one sentence each.

    An explicitly chosen quarter counts as a difference too: whoever bills should see it.
    """
    try:
        amount = default_amount(store, secretariat, year, stored.kind)
    except InputError as exc:
        return [f"Den gemte fordeling ({format_amount(stored.total)} kr.) kan ikke "
                f"sammenlignes med opgørelsen: {exc.message}"]
    out = []
    differs = amount_mismatch(stored, year, amount)
    if differs:
        out.append(differs + ".")
    if stored.key_kind is KeyKind.POPULATION and stored.quarter:
        usual, _ = key_quarter(store, year, None)
        if usual != stored.quarter:
            out.append(f"Den gemte fordeling bruger folketal pr. "
                       f"{quarter_label(stored.quarter)}, men nøglen for {year} beregnes nu "
                       f"med folketal pr. {quarter_label(usual)}.")
    return out


def disposition(store: Store, secretariat: Secretariat, year: int,
                carried_over: int | None = None) -> Disposition:
    st = load_statement(store, secretariat, year).statement
    if not st.has_column(Column.ACTUAL_PREV):
        raise InputError(f"Regnskab {year - 1} for {secretariat.name} er ikke indtastet.")
    return dispose_surplus(st, carried_over)


def key_quarter(store: Store, year: int, quarter: str | None) -> tuple[str, str]:
    """The quarter to use and a notice when it is not the usual one (1st quarter of N−1)."""
    if quarter:
        return quarter, ""
    wanted = default_key_quarter(year)
    known = population.quarters(store)
    if wanted in known or not known:
        return wanted, ""
    earlier = [q for q in known if q <= wanted]
    use = earlier[0] if earlier else known[-1]
    return use, (f"Folketal pr. {quarter_label(wanted)} findes ikke; nøglen bruger "
                 f"folketal pr. {quarter_label(use)}.")


def compute(store: Store, secretariat: Secretariat, year: int, *,
            kind: AllocationKind = AllocationKind.CONTRIBUTION, amount: int | None = None,
            quarter: str | None = None, unit: Unit | None = None,
            key_kind: KeyKind = KeyKind.POPULATION,
            fixed_shares: dict[int, Decimal] | None = None) -> AllocationResult:
    total = default_amount(store, secretariat, year, kind) if amount is None else amount
    members = secretariats.members(store, secretariat.id, year)
    if not members:
        raise InputError(f"{secretariat.name} har ingen medlemskommuner i {year}.")
    names = {m.kommunekode: m.kommune for m in members}
    notice = ""
    used_quarter: str | None = None
    if key_kind is KeyKind.POPULATION:
        used_quarter, notice = key_quarter(store, year, quarter)
        figures = population.for_quarter(store, used_quarter)
        missing = [m.kommune for m in members if m.kommunekode not in figures]
        if missing:
            raise InputError(f"Folketal pr. {quarter_label(used_quarter)} mangler for: "
                             + ", ".join(missing) + ". Indlæs dem fra Danmarks Statistik.")
        weights = {m.kommunekode: Decimal(figures[m.kommunekode].value) for m in members}
    elif key_kind is KeyKind.EQUAL:
        weights = equal_weights(list(names))
    else:
        shares = fixed_shares or {}
        missing = [m.kommune for m in members if m.kommunekode not in shares]
        if missing:
            raise InputError("Der mangler en fast andel for: " + ", ".join(missing) + ".")
        weights = {code: Decimal(shares[code]) for code in names}
    if unit is None:
        unit = secretariat.unit if total % secretariat.unit.ore == 0 else Unit.ORE
    alloc = allocate(kind, total, weights, names, unit=unit, key_kind=key_kind,
                     quarter=used_quarter)
    return AllocationResult(alloc, notice)


def save(store: Store, secretariat: Secretariat, year: int, allocation: Allocation) -> int:
    """Store an allocation: from now on it is what exports and documents use."""
    if allocation.total == 0:
        raise InputError(f"Beløbet er {format_amount(0)}; der er intet at fordele.")
    if allocation.kind is not AllocationKind.ADJUSTMENT:
        from kkr_desktop.services import locks

        # The approved document shows the contribution's (and payout's) key: billing must
        # use that one, so another cannot be saved until a new revision is made.
        locks.ensure_allocation_savable(store, secretariat.id, year, allocation.kind.label)
    return allocations.save(store, secretariat.id, year, allocation)
