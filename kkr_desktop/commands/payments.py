"""CLI: payment follow-up on the kommune's bill (record, import a bank file, show)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kkr_desktop.commands.common import open_store_for


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's commands to the CLI."""
    p = sub.add_parser("payments", help="betalinger på kommunernes opkrævning: registrér, "
                       "indlæs fra banken, vis det åbne beløb")
    p_sub = p.add_subparsers(dest="action", required=True, metavar="HANDLING")

    def kkr_year(q: argparse.ArgumentParser) -> None:
        q.add_argument("--kkr", required=True, metavar="NAVN", help="KKR, fx Nordjylland")
        q.add_argument("--year", type=int, required=True, metavar="N",
                       help="året, opkrævningen gælder")

    imp = p_sub.add_parser("import", help="indlæs en bank- eller ERP-fil (CSV med semikolon) "
                           "og registrér de betalinger, hvis tekst har referencen "
                           "KKR<år>-<kommunekode>")
    imp.add_argument("file", type=Path, metavar="FIL", help="CSV-filen fra banken eller ERP")
    kkr_year(imp)
    imp.set_defaults(handler=cmd_import)

    add = p_sub.add_parser("add", help="registrér én betaling (delbetalinger er tilladt)")
    kkr_year(add)
    add.add_argument("--kommune", required=True, metavar="KODE",
                     help="kommunekoden (fx 851) eller navnet")
    add.add_argument("--date", required=True, metavar="DATO", help="betalingsdato, fx "
                     "15-01-2024")
    add.add_argument("--amount", required=True, metavar="BELØB", help="det betalte beløb, "
                     "fx 651.908,00 (negativt: udbetalt til kommunen)")
    add.set_defaults(handler=cmd_add)

    rev = p_sub.add_parser("reverse", help="modpostér en forkert registreret betaling (den "
                           "slettes aldrig)")
    rev.add_argument("id", type=int, metavar="NR", help="betalingens nummer (payments show "
                     "--list)")
    rev.set_defaults(handler=cmd_reverse)

    show = p_sub.add_parser("show", help="vis pr. kommune: opkrævet, betalt og åbent")
    kkr_year(show)
    show.add_argument("--list", action="store_true", help="vis også hver betaling")
    show.set_defaults(handler=cmd_show)


def cmd_import(args: argparse.Namespace) -> int:
    from kkr_desktop.services import payments

    store = open_store_for(args)
    result = payments.import_payments(store, args.kkr, args.year, args.file)
    print("\n".join(payments.describe_import(result)))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from kkr_desktop.core.dates import parse_date
    from kkr_desktop.core.money import format_amount, parse_amount
    from kkr_desktop.services import payments

    paid_on = parse_date(args.date)
    amount = parse_amount(args.amount)
    store = open_store_for(args)
    code = payments.find_kommune(store, args.kkr, args.kommune)
    pid = payments.add_payment(store, args.kkr, args.year, code, paid_on, amount)
    balance = payments.payment_view(store, args.kkr, args.year).balance(code)
    print(f"Registrerede betaling nr. {pid}: {format_amount(amount, decimals=True)} kr. "
          f"fra {code} den {paid_on.strftime('%d-%m-%Y')}."
          + (f" Åbent: {format_amount(balance.open, decimals=True)} kr." if balance else ""))
    return 0


def cmd_reverse(args: argparse.Namespace) -> int:
    from kkr_desktop.services import payments

    store = open_store_for(args)
    pid = payments.reverse_payment(store, args.id)
    print(f"Betaling nr. {args.id} er modposteret med nr. {pid}.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from kkr_desktop.core.money import format_amount
    from kkr_desktop.services import payments

    store = open_store_for(args)
    view = payments.payment_view(store, args.kkr, args.year)
    print("\n".join(payments.describe(view)))
    if args.list:
        print("\nBetalinger:")
        for p in view.payments:
            print(f"  nr. {p.id}: {p.kommunekode} {p.paid_on.strftime('%d-%m-%Y')} "
                  f"{format_amount(p.amount, decimals=True)} kr. ({p.source})")
    return 0
