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
from kkr_desktop.core.approval import from_canonical
from kkr_desktop.core.disposition import Disposition, dispose_surplus
from kkr_desktop.core.errors import InputError, KkrError, LockedError
from kkr_desktop.core.indexation import adjustment
from kkr_desktop.core.money import format_amount
from kkr_desktop.core.quarter import default_key_quarter, quarter_label
from kkr_desktop.core.statement import Column, Role
from kkr_desktop.services.statements import load_statement
from kkr_desktop.store import allocations, approvals, population, rates, secretariats
from kkr_desktop.store.allocations import StoredAllocation
from kkr_desktop.store.approvals import ApprovalRecord
from kkr_desktop.store.db import Store
from kkr_desktop.store.secretariats import Secretariat


@dataclass(frozen=True)
class AllocationResult:
    allocation: Allocation
    notice: str = ""  # said to the user
    # A warning, not a notice: the key fell back to another quarter than the usual one.
    warning: str = ""


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
    return adjustment(charged, budget, rate.final, secretariat.billing_unit_ore)


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


def key_warning(store: Store, year: int, allocation: Allocation) -> str | None:
    """Said as a warning at save, export and approval when a population key does not use
    the usual quarter for `year` (1st quarter of N−1): which quarter it does use, and why."""
    if allocation.key_kind is not KeyKind.POPULATION or not allocation.quarter:
        return None
    wanted = default_key_quarter(year)
    if allocation.quarter == wanted:
        return None
    why = (f"Folketal pr. {quarter_label(wanted)} findes ikke i databasen"
           if wanted not in population.quarters(store) else "Et andet kvartal er valgt")
    return (f"{why}: {allocation.title(year)} er fordelt efter folketal pr. "
            f"{quarter_label(allocation.quarter)}, ikke pr. {quarter_label(wanted)}, som er "
            f"det sædvanlige for {year}. Indlæs folketallet fra Danmarks Statistik, eller "
            "vælg kvartalet udtrykkeligt, hvis det er meningen (i vinduet under fanen "
            "Fordeling, på kommandolinjen med --quarter).")


def key_quarter(store: Store, year: int, quarter: str | None) -> tuple[str, str]:
    """The quarter to use and a warning when it is not the usual one (1st quarter of N−1)
    and was not chosen."""
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
    if notice:  # the fallback, without a quarter chosen: a warning, naming the key used
        return AllocationResult(alloc, warning=key_warning(store, year, alloc) or notice)
    return AllocationResult(alloc)


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


# --- what is billed: the approved allocation, checked against the approval's snapshot -----

class FrozenAllocationError(LockedError):
    """The allocation an approval froze is not what the approval's snapshot shows, or an
    allocation nobody approved stands where billing would take it."""


def for_billing(store: Store, secretariat: Secretariat, year: int, kind: AllocationKind
                ) -> StoredAllocation | None:
    """The stored allocation of `kind` that exports bill for statement `year`.

    When the statement has been approved, a kind the approval shows is billed with exactly
    the allocation it froze (approval_allocation), found by the kind recorded in the
    approval's snapshot and refused when the live rows differ from it. The approval in force
    decides; while a new revision is drafted, the latest approved one still does (it is what
    was decided), and a newer allocation saved for the draft is refused until the draft is
    approved. Kinds no approval shows (the adjustment; anything before a first approval) are
    billed with the newest saved allocation, as a draft.
    """
    newest = allocations.latest(store, secretariat.id, year, kind)
    history = approvals.all_for(store, secretariat.id, year)
    if not history:
        return newest
    record = next((a for a in history if a.in_force), None) or history[-1]
    frozen = frozen_allocations(store, record)
    if kind not in frozen:
        if record.in_force and newest is not None and kind is not AllocationKind.ADJUSTMENT:
            raise FrozenAllocationError(
                f"{_approval_words(record)} omfatter ingen fordeling af "
                f"{_STORED_WORD[kind]}; fordeling nr. {newest.id} "
                f"({format_amount(newest.allocation.total)} kr.) er gemt uden om godkendelsen "
                "og eksporteres ikke. Vælg «Ny revision», hvis den skal godkendes.")
        return newest
    approved = frozen[kind]
    if not record.in_force and newest is not None and newest.id != approved.id:
        draft = approvals.next_revision(store, secretariat.id, year)
        raise FrozenAllocationError(
            f"Revision {draft} af regnskab {year - 1} og budget {year} er under udarbejdelse "
            f"og ikke godkendt. Senest godkendt er revision {record.revision} (Dokument-id "
            f"{record.document_id}) med {_STORED_WORD[kind]} "
            f"{format_amount(approved.allocation.total)} kr.; den nyere gemte fordeling "
            f"nr. {newest.id} ({format_amount(newest.allocation.total)} kr.) kan først "
            f"eksporteres, når revision {draft} er godkendt. Intet er eksporteret.")
    return approved


def frozen_allocations(store: Store, record: ApprovalRecord
                       ) -> dict[AllocationKind, StoredAllocation]:
    """The allocations `record` froze, by the kind its snapshot records, each checked row by
    row against the snapshot; any difference is a FrozenAllocationError naming it."""
    content, _facts, _revision = from_canonical(record.content)
    live: list[StoredAllocation] = []
    problems: list[str] = []
    for allocation_id in allocations.frozen_ids(store, record.id):
        try:
            live.append(allocations.load(store, allocation_id))
        except KkrError:
            problems.append(f"den frosne fordeling nr. {allocation_id} findes ikke længere")
    out: dict[AllocationKind, StoredAllocation] = {}
    unmatched = list(live)
    for shown in content.allocations:
        same = next((s for s in unmatched if not _differences(s.allocation, shown)), None)
        if same is not None:
            out[shown.kind] = same
            unmatched.remove(same)
            continue
        partner = next((s for s in unmatched if s.allocation.kind is shown.kind), None) or \
            next(iter(unmatched), None)
        if partner is None:
            problems.append(f"fordelingen af {_STORED_WORD[shown.kind]} er ikke knyttet til "
                            "godkendelsen")
            continue
        unmatched.remove(partner)
        problems.extend(f"{_STORED_WORD[shown.kind]}: {d}"
                        for d in _differences(partner.allocation, shown))
    problems.extend(f"fordeling nr. {s.id} er knyttet til godkendelsen, men indgår ikke i den"
                    for s in unmatched)
    if problems:
        raise FrozenAllocationError(
            f"Den godkendte fordeling stemmer ikke med databasen ({_approval_words(record)}): "
            + "; ".join(problems) + ". Databasen er ændret uden om programmet, så intet er "
            "eksporteret. Gendan en sikkerhedskopi fra før ændringen.")
    return out


def _approval_words(record: ApprovalRecord) -> str:
    return (f"den godkendte opgørelse for {record.year}, revision {record.revision}, "
            f"Dokument-id {record.document_id}")


def _differences(live: Allocation, shown: Allocation) -> list[str]:
    """How the live allocation differs from the approved snapshot's, one clause each."""
    out = []
    if live.kind is not shown.kind:
        out.append(f"arten er «{live.kind.label}» i databasen, men «{shown.kind.label}» "
                   "i det godkendte")
    if live.total != shown.total:
        out.append(f"beløbet er {format_amount(live.total)} kr. i databasen, men "
                   f"{format_amount(shown.total)} kr. i det godkendte")
    for what, a, b in (("enheden", live.unit.value, shown.unit.value),
                       ("nøglen", live.key_kind.value, shown.key_kind.value),
                       ("kvartalet", live.quarter or "", shown.quarter or "")):
        if a != b:
            out.append(f"{what} er «{a}» i databasen, men «{b}» i det godkendte")
    rows = {r.kommunekode: r for r in live.rows}
    approved = {r.kommunekode: r for r in shown.rows}
    for code in sorted(rows.keys() | approved.keys()):
        r, s = rows.get(code), approved.get(code)
        name = (s or r).kommune
        if r is None:
            out.append(f"{code} {name} mangler i databasen")
        elif s is None:
            out.append(f"{code} {name} er tilføjet i databasen")
        elif r.amount != s.amount:
            out.append(f"{code} {name}: {format_amount(r.amount)} kr. i databasen, men "
                       f"{format_amount(s.amount)} kr. i det godkendte")
        elif r.weight != s.weight:
            out.append(f"{code} {name}: vægten er {r.weight} i databasen, men {s.weight} "
                       "i det godkendte")
    return out
