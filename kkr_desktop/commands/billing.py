"""CLI: the kommune's bill across the bodies of a KKR (letters, CSV, xlsx, OIOUBL)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kkr_desktop.commands.common import open_store_for
from kkr_desktop.commands.export import parse_date
from kkr_desktop.core.errors import InputError

SUFFIX_FORMATS = {".pdf": "pdf", ".csv": "csv", ".xlsx": "xlsx"}


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's commands to the CLI."""
    b = sub.add_parser("bill", help="hvad hver kommune betaler for året i alt på tværs af "
                       "KKR'ets sekretariater: vis, eller skriv breve, CSV, Excel eller OIOUBL")
    b.add_argument("--kkr", required=True, metavar="NAVN", help="KKR, fx Nordjylland")
    b.add_argument("--year", type=int, required=True, metavar="N", help="året der opkræves")
    b.add_argument("-o", "--output", type=Path, metavar="PATH",
                   help="FIL.pdf (et brev pr. kommune), FIL.csv, FIL.xlsx, eller en mappe "
                   "med --oioubl; uden: vis opkrævningen")
    b.add_argument("--oioubl", action="store_true",
                   help="skriv en OIOUBL-faktura eller -kreditnota pr. kommune i mappen PATH")
    b.add_argument("--due-date", metavar="DATO", help="forfaldsdato, fx 31-12-2024 "
                   "(standard: om 30 dage, dog tidligst 31. januar i året)")
    b.add_argument("--contact", action="append", default=[], metavar="SEKRETARIAT=KONTAKT",
                   help="kontakt for et sekretariat på brevet og e-fakturaen, fx "
                   "\"Det fælleskommunale Sundhedssekretariat=Jens Hansen, tlf. 9931 3131\" "
                   "(standard: kontakten i sekretariatets indstillinger, ellers værtskommunen)")
    b.add_argument("--again", action="store_true",
                   help="skriv igen, selv om opkrævningen er skrevet i samme format før")
    b.set_defaults(handler=cmd_bill)


def _contacts(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, contact = item.partition("=")
        if not sep or not name.strip() or not contact.strip():
            raise InputError(f"--contact «{item}» skal skrives SEKRETARIAT=KONTAKT.")
        out[name.strip()] = contact.strip()
    return out


def output_format(path: Path, oioubl: bool) -> str:
    if oioubl:
        return "oioubl"
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: filen skal ende på .pdf, .csv eller .xlsx (eller brug "
                         "--oioubl med en mappe).")
    return fmt


def cmd_bill(args: argparse.Namespace) -> int:
    from kkr_desktop.services import billing

    if args.oioubl and args.output is None:
        raise InputError("--oioubl kræver -o MAPPE: mappen, e-fakturaerne skrives i.")
    fmt = output_format(args.output, args.oioubl) if args.output else None
    due = parse_date(args.due_date) if args.due_date else None
    store = open_store_for(args)
    bill_set = billing.kommune_bills(store, args.kkr, args.year, due=due,
                                     contacts=_contacts(args.contact))
    for notice in bill_set.notices:
        print(f"Bemærk: {notice}", file=sys.stderr)
    if fmt is None:
        print("\n".join(billing.describe(bill_set)))
        return 0
    result = billing.write_bills(store, bill_set, fmt, args.output, again=args.again)
    where = args.output if fmt == "oioubl" else result.files[0]
    print(f"Skrev {len(result.files)} fil(er) for {len(bill_set.bills)} kommuner i KKR "
          f"{bill_set.kkr} ({args.year}) til {where}.")
    return 0
