"""The kommune's bill across every joint body of a KKR: gathered from what each body bills
(`allocation.for_billing`: the approved allocations of an approved year), and written as
letters (PDF), one table (CSV/xlsx) or e-invoices (OIOUBL), each logged in the export log
before it is put in place (`export.log_then_place`), so a bill is never sent twice
unnoticed."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kkr_desktop.core.approval import format_date
from kkr_desktop.core.billing import KIND_ORDER, Body, KommuneBill, billed_total, build_bills
from kkr_desktop.core.erp import MemberErp
from kkr_desktop.core.errors import InputError
from kkr_desktop.core.money import format_amount
from kkr_desktop.formats import atomic
from kkr_desktop.paths import resources_dir
from kkr_desktop.services import allocation as allocation_service
from kkr_desktop.services import export as export_service
from kkr_desktop.services import members as members_service
from kkr_desktop.services import outputs, verify
from kkr_desktop.store import erp as erp_store
from kkr_desktop.store import reference, secretariats
from kkr_desktop.store.db import Store
from kkr_desktop.store.erp import ExportFile

FORMATS = ("pdf", "csv", "xlsx", "oioubl")
FORMAT_WORDS = {"pdf": "brevene (PDF)", "csv": "CSV-filen", "xlsx": "Excel-filen",
                "oioubl": "e-fakturaerne (OIOUBL)"}


class AlreadyBilledError(InputError):
    """These bills were written in this format before; a repeat needs `again`."""


def kkr_of(store: Store, secretariat_id: int) -> str:
    """The KKR a secretariat belongs to (the window opens the bill of its KKR)."""
    return secretariats.get(store, secretariat_id).kkr


@dataclass(frozen=True)
class BillSet:
    kkr: str
    year: int
    due: date
    bodies: list[Body]
    bills: list[KommuneBill]
    members: dict[int, MemberErp]  # the kommune's CVR, EAN (first body that has them)
    notices: list[str]
    draft: bool = False  # some body's statement is not approved: the amounts may change

    @property
    def total(self) -> int:
        return sum(b.net for b in self.bills)


@dataclass(frozen=True)
class BillWriteResult:
    files: list[Path]
    total: int
    export_ids: list[int]
    notices: list[str]


def kommune_bills(store: Store, kkr: str, year: int, *, due: date | None = None,
                  contacts: dict[str, str] | None = None) -> BillSet:
    """Every kommune's bill of `year` across the bodies of KKR `kkr`. `contacts` maps a
    body's name to the contact printed for it (default: the contact in the body's settings,
    else its host kommune)."""
    _kkr_id, kkr_name = reference.find_kkr(store, kkr)
    names = reference.kommune_names(store)
    bodies: list[Body] = []
    fields: dict[int, MemberErp] = {}
    notices: list[str] = []
    any_draft = False
    for sec in secretariats.all_secretariats(store):
        if sec.kkr != kkr_name:
            continue
        verify.require_year_intact(store, sec.id, year)
        found = {}
        drafts = False
        for kind in KIND_ORDER:
            stored = allocation_service.for_billing(store, sec, year, kind)
            if stored is not None:
                found[kind] = stored.allocation
                draft = export_service.draft_notice(store, sec, year, kind)
                if draft and not drafts:  # one reminder per body is enough
                    drafts = True
                    notices.append(f"{sec.name}: {draft}")
        if not found:
            notices.append(f"{sec.name} har ingen gemt fordeling for {year} og er ikke med.")
            continue
        member_fields = {m.kommunekode: m for m in
                         members_service.member_fields(store, sec.id)}
        for code, m in member_fields.items():
            old = fields.get(code, MemberErp(code, m.kommune))
            fields[code] = MemberErp(code, m.kommune, old.cvr or m.cvr, old.ean or m.ean,
                                     old.konto or m.konto)
        host = sec.host_kommune
        host_name = f"{names[host]} Kommune" if host in names else ""
        seller_cvr = member_fields[host].cvr if host in member_fields else ""
        contact = (contacts or {}).get(sec.name) or sec.contact or (
            f"{host_name} (værtskommune)" if host_name else sec.name)
        bodies.append(Body(sec.id, sec.name, contact, seller_cvr, host_name, found))
        any_draft = any_draft or drafts
    if not bodies:
        raise InputError(f"Ingen sekretariater i KKR {kkr_name} har en gemt fordeling for "
                         f"{year}; der er intet at opkræve. Gem fordelingerne under fanen "
                         "Fordeling (eller kkr-desktop allocate --save) først.")
    bills = build_bills(year, bodies)
    assert sum(b.net for b in bills) == billed_total(bodies)
    return BillSet(kkr_name, year, due or export_service.default_due(year), bodies, bills,
                   fields, notices, any_draft)


def schema_dir() -> Path:
    """The shipped OASIS UBL 2.1 schemas every e-invoice is validated against."""
    return resources_dir() / "ubl-2.1"


def _file_stem(text: str) -> str:
    return re.sub(r'[<>:"/\\|?*\s]+', "_", text)


def render(bill_set: BillSet, fmt: str) -> dict[str, tuple[bytes, int]]:
    """The bytes of every file of `fmt` by its file name (relative), with the øre each
    file bills (+ pay, − receive). One file for pdf/csv/xlsx, one per e-invoice."""
    if fmt == "pdf":
        from kkr_desktop.documents.letters import letters_pdf

        return {"": (letters_pdf(bill_set.kkr, bill_set.year, bill_set.due, bill_set.bills,
                                 bill_set.bodies, bill_set.members, draft=bill_set.draft),
                     bill_set.total)}
    if fmt == "csv":
        from kkr_desktop.formats.bill_table import bill_csv

        return {"": (bill_csv(bill_set.bills, bill_set.members, bill_set.due),
                     bill_set.total)}
    if fmt == "xlsx":
        from kkr_desktop.formats.bill_table import bill_xlsx

        return {"": (bill_xlsx(bill_set.bills, bill_set.members, bill_set.due),
                     bill_set.total)}
    if fmt == "oioubl":
        from kkr_desktop.formats.oioubl import einvoices

        return {_file_stem(name): (data, net) for name, data, net in einvoices(
            bill_set.year, bill_set.due, bill_set.bills, bill_set.bodies, bill_set.members,
            schema_dir())}
    raise InputError(f"Formatet «{fmt}» kendes ikke; vælg mellem {', '.join(FORMATS)}.")


def previous_writes(store: Store, bill_set: BillSet, fmt: str) -> list:
    """Earlier (not withdrawn) writes of these bills in `fmt`, oldest first."""
    out = []
    for body in bill_set.bodies:
        out += [r for r in export_service.export_log(store, body.id, bill_set.year)
                if r.kind == f"bill-{fmt}"]
    return sorted(out, key=lambda r: r.id)


def write_bills(store: Store, bill_set: BillSet, fmt: str, target: Path | str, *,
                again: bool = False) -> BillWriteResult:
    """Write the bills in `fmt`: a file at `target` (pdf, csv, xlsx) or a file per kommune
    in the folder `target` (oioubl). A second write of the same year and format is refused
    unless `again`; every file is logged for every body before it is put in place."""
    target = Path(target)
    files = render(bill_set, fmt)  # an e-invoice that fails the schema stops here
    earlier = previous_writes(store, bill_set, fmt)
    if earlier and not again:
        first = earlier[0]
        raise AlreadyBilledError(
            f"Opkrævningen for {bill_set.year} (KKR {bill_set.kkr}) er allerede skrevet som "
            f"{FORMAT_WORDS[fmt]} den {_day(first.exported_at)} af {first.exported_by} "
            f"({Path(first.files[0].path).name if first.files else 'ingen fil'}). Skrives "
            "den igen, kan kommunerne blive opkrævet to gange; brug --again (i vinduet: svar "
            "ja), hvis det er meningen. Intet er skrevet.")
    if fmt == "oioubl":
        atomic.refuse_protected(target, outputs.protected(store))  # before the folder test
        if target.exists() and not target.is_dir():
            atomic.refuse_special(target)  # a FIFO or a device is named as such
            raise InputError(f"{target} er en fil; angiv en mappe til e-fakturaerne.")
        target.mkdir(parents=True, exist_ok=True)
        paths = {target / name: data for name, data in files.items()}
    else:
        if target.is_dir():
            raise InputError(f"{target} er en mappe; angiv et filnavn, fx "
                             f"opkraevning_{bill_set.year}.{fmt}.")
        paths = {target: files[""]}
    records = [ExportFile(str(p.resolve()), hashlib.sha256(data).hexdigest(), net)
               for p, (data, net) in paths.items()]
    staging = atomic.stage({p: data for p, (data, _) in paths.items()},
                           protected=outputs.protected(store))
    ids: list[int] = []

    def log() -> int:
        with store.transaction():
            for body in bill_set.bodies:
                ids.append(erp_store.log_export(
                    store, secretariat_id=body.id, year=bill_set.year, kind=f"bill-{fmt}",
                    allocation_id=None, what="xlsx" if fmt == "xlsx" else "erp",
                    profile=f"Opkrævning KKR {bill_set.kkr}",
                    total=sum(b.body_net(body.id) for b in bill_set.bills),
                    rows=len(bill_set.bills), files=records))
        return ids[0]

    export_service.log_then_place(store, staging, log)
    return BillWriteResult(list(paths), bill_set.total, ids, [])


def _day(iso: str) -> str:
    try:
        return format_date(date.fromisoformat(iso[:10]))
    except ValueError:
        return iso


def describe(bill_set: BillSet) -> list[str]:
    """The bills as plain lines for the command line: one per part, the net per kommune."""
    out = []
    for bill in bill_set.bills:
        out.append(f"{bill.kommunekode} {bill.kommune}: i alt "
                   f"{format_amount(bill.net, decimals=True)} kr."
                   + (" (kommunen modtager)" if bill.net < 0 else ""))
        for p in bill.parts:
            out.append(f"    {p.body}: {p.text}: {format_amount(p.amount, decimals=True)} kr.")
    return out

