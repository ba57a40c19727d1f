"""Payment follow-up on the kommune's bill: record a payment by hand, import a bank
statement (or an ERP's payment list) matched by the bill's reference KKR<year>-<kommunekode>,
and each kommune's billed, paid and open amount. Payments are append-only: a wrong one is
reversed by a counter-entry."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kkr_desktop.core.billing import Balance, Payment, balances, find_reference, reference_for
from kkr_desktop.core.errors import InputError, NotFoundError
from kkr_desktop.core.money import format_amount
from kkr_desktop.formats.bank import BankRow, read_bank_csv
from kkr_desktop.services import billing
from kkr_desktop.store import payments as payments_store
from kkr_desktop.store import reference
from kkr_desktop.store.db import Store

MANUAL = "indtastet"


@dataclass(frozen=True)
class PaymentView:
    bill_set: billing.BillSet
    balances: list[Balance]
    payments: list[Payment]

    def balance(self, kommunekode: int) -> Balance | None:
        return next((b for b in self.balances if b.kommunekode == kommunekode), None)


@dataclass(frozen=True)
class ImportResult:
    recorded: list[BankRow]
    duplicates: list[BankRow]  # already recorded (same day, amount and reference)
    unmatched: list[tuple[BankRow, str]]  # with why


def payment_view(store: Store, kkr: str, year: int) -> PaymentView:
    """Every kommune's bill of `year` in KKR `kkr` against the payments recorded for it."""
    bill_set = billing.kommune_bills(store, kkr, year)
    in_kkr = _kommuner_of(store, bill_set.kkr)
    found = payments_store.for_year(store, year, set(in_kkr))
    rows = balances(bill_set.bills, found)
    rows = [b if b.kommune else Balance(b.kommunekode, in_kkr[b.kommunekode], b.billed, b.paid)
            for b in rows]
    return PaymentView(bill_set, rows, found)


def _kommuner_of(store: Store, kkr_name: str) -> dict[int, str]:
    return {k.code: k.name for k in reference.kommuner(store) if k.kkr == kkr_name}


def find_kommune(store: Store, kkr: str, text: str) -> int:
    """A kommune of the KKR by its code (851) or name (Aalborg)."""
    _, kkr_name = reference.find_kkr(store, kkr)
    in_kkr = _kommuner_of(store, kkr_name)
    s = text.strip()
    if s.isdigit() and int(s) in in_kkr:
        return int(s)
    hits = [code for code, name in in_kkr.items() if name.casefold() == s.casefold()]
    if len(hits) == 1:
        return hits[0]
    raise NotFoundError(f"«{text}» er ikke en kommune i KKR {kkr_name}. Kommunerne er: "
                        + ", ".join(f"{c} {n}" for c, n in sorted(in_kkr.items())) + ".")


def add_payment(store: Store, kkr: str, year: int, kommunekode: int, paid_on: date,
                amount: int) -> int:
    """Record one payment typed by hand (+ the kommune paid, − it received); its id."""
    _, kkr_name = reference.find_kkr(store, kkr)
    in_kkr = _kommuner_of(store, kkr_name)
    if kommunekode not in in_kkr:
        raise NotFoundError(f"Kommune {kommunekode} ligger ikke i KKR {kkr_name}.")
    if amount == 0:
        raise InputError("Beløbet er 0 kr.; en betaling skal have et beløb.")
    if not 2000 <= year <= 2100:
        raise InputError(f"Året {year} ligger uden for 2000–2100.")
    return payments_store.add(store, year=year, kommunekode=kommunekode, paid_on=paid_on,
                              amount=amount, source=MANUAL)


def reverse_payment(store: Store, payment_id: int) -> int:
    """A counter-entry that cancels payment `payment_id` (which stays, as does its trace)."""
    payment = payments_store.get(store, payment_id)
    if payment is None:
        raise NotFoundError(f"Der er ingen betaling nr. {payment_id}.")
    if payment.reverses is not None:
        raise InputError(f"Betaling nr. {payment_id} er selv en modpostering (af nr. "
                         f"{payment.reverses}); registrér betalingen igen i stedet.")
    if payments_store.is_reversed(store, payment_id):
        raise InputError(f"Betaling nr. {payment_id} er allerede modposteret.")
    return payments_store.add(store, year=payment.year, kommunekode=payment.kommunekode,
                              paid_on=payment.paid_on, amount=-payment.amount,
                              source=f"modpostering af nr. {payment_id}", reverses=payment_id)


def import_payments(store: Store, kkr: str, year: int, path: Path | str) -> ImportResult:
    """Record every row of the bank file whose text carries the reference of a bill of
    `year` in KKR `kkr`. The file is read whole first (a bad cell: nothing recorded); a row
    recorded before (same day, amount and reference, counted: two equal rows are two
    payments) is not recorded again; rows without such a reference are listed, not
    recorded."""
    rows = read_bank_csv(path)
    view = payment_view(store, kkr, year)
    billed = {b.kommunekode for b in view.bill_set.bills}
    seen = Counter(p.key() for p in view.payments if p.reverses is None)
    recorded, duplicates, unmatched = [], [], []
    for row in rows:
        found = find_reference(row.text)
        if found is None:
            unmatched.append((row, "ingen reference KKR<år>-<kommunekode> i teksten"))
            continue
        ref_year, code = found
        ref = reference_for(ref_year, code)
        if ref_year != year:
            unmatched.append((row, f"{ref} er opkrævningen for {ref_year}, ikke {year}"))
        elif code not in billed:
            unmatched.append((row, f"{ref}: kommune {code} har ingen opkrævning i KKR "
                              f"{view.bill_set.kkr} for {year}"))
        elif row.amount == 0:
            unmatched.append((row, f"{ref}: beløbet er 0 kr."))
        elif seen[(row.paid_on, row.amount, ref)] > 0:
            seen[(row.paid_on, row.amount, ref)] -= 1
            duplicates.append(row)
        else:
            recorded.append((row, code))
    source = Path(path).name
    with store.transaction():
        for row, code in recorded:
            payments_store.add(store, year=year, kommunekode=code, paid_on=row.paid_on,
                               amount=row.amount, source=source, line=row.line,
                               bank_text=row.text)
    return ImportResult([r for r, _ in recorded], duplicates, unmatched)


def describe_import(result: ImportResult) -> list[str]:
    """The import's outcome as lines for the command line and the window."""
    out = [f"Registreret: {len(result.recorded)} betaling(er) i alt "
           f"{format_amount(sum(r.amount for r in result.recorded), decimals=True)} kr."]
    if result.duplicates:
        out.append(f"Allerede registreret (ikke gemt igen): {len(result.duplicates)} "
                   "(linje " + ", ".join(str(r.line) for r in result.duplicates) + ").")
    if result.unmatched:
        out.append(f"Ikke genkendt (ikke gemt): {len(result.unmatched)}:")
        out += [f"  linje {r.line}: {r.paid_on.strftime('%d-%m-%Y')} "
                f"{format_amount(r.amount, decimals=True)} kr. «{r.text}»: {why}"
                for r, why in result.unmatched]
    return out


def describe(view: PaymentView) -> list[str]:
    """Per kommune: billed, paid, open (for `payments show`)."""
    def kr(ore: int) -> str:
        return format_amount(ore, decimals=True)

    out = [f"{'Kommune':<24}{'Opkrævet':>16}{'Betalt':>16}{'Åben':>16}"]
    for b in view.balances:
        out.append(f"{f'{b.kommunekode} {b.kommune}':<24}{kr(b.billed):>16}{kr(b.paid):>16}"
                   f"{kr(b.open):>16}")
    total = [sum(getattr(b, f) for b in view.balances) for f in ("billed", "paid", "open")]
    out.append(f"{'I alt':<24}" + "".join(f"{kr(t):>16}" for t in total))
    return out
