"""CLI commands for the export area: ERP files, the members' ERP fields, profiles, Excel."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date
from pathlib import Path

from kkr_desktop.commands.common import Parser, find_secretariat, open_store_for
from kkr_desktop.core.errors import InputError

KINDS = ["contribution", "payout", "adjustment"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's commands to the CLI."""
    e = sub.add_parser("export", help="eksportér en gemt fordeling til kommunernes ERP (CSV)")
    _secretariat(e)
    _year(e)
    e.add_argument("--kind", choices=KINDS, default="contribution",
                   help="opkrævning af bidrag, udbetaling af overskud eller efterregulering")
    e.add_argument("--profile", metavar="NAVN", help="eksportprofil (standard: Standard (Excel))")
    how = e.add_mutually_exclusive_group()
    how.add_argument("--per-kommune", action="store_true",
                     help="én fil pr. kommune i mappen PATH")
    how.add_argument("--journal", action="store_true",
                     help="kassekladde til værtskommunens egen bogføring (debet/kredit)")
    e.add_argument("--due-date", metavar="DATO", help="forfaldsdato, fx 31-12-2024 "
                   "(standard: om 30 dage, dog tidligst 31. januar i år N)")
    e.add_argument("--period", type=int, metavar="MÅNED",
                   help="periode 1–12 (standard: forfaldsdatoens måned)")
    e.add_argument("--text", metavar="TEKST", help="tekst på linjerne (standard fx «Bidrag "
                   "2024 – sekretariatets navn»)")
    e.add_argument("--again", action="store_true",
                   help="eksportér igen, selv om fordelingen er eksporteret før")
    e.add_argument("--force", action="store_true",
                   help="eksportér den gemte fordeling, selv om den ikke svarer til "
                   "opgørelsen (beløb eller nøglens kvartal)")
    e.add_argument("--format", choices=["csv", "xlsx"],
                   help="filtype (standard: xlsx når PATH ender på .xlsx, ellers csv); xlsx "
                   "skriver CVR, EAN og konto som tekstceller, som Excel ikke ødelægger")
    e.add_argument("-o", "--output", type=Path, required=True, metavar="PATH",
                   help="filnavn (.csv eller .xlsx), eller en mappe med --per-kommune")
    e.set_defaults(handler=cmd_export)

    log = sub.add_parser("export-log", help="vis de eksporter, der er lavet")
    _secretariat(log)
    log.add_argument("--year", type=int, metavar="N", help="kun år N")
    log.set_defaults(handler=cmd_export_log)

    m = sub.add_parser("members", help="medlemskommunernes CVR, EAN og kontostreng")
    m_sub = m.add_subparsers(dest="action", metavar="HANDLING", required=True,
                             parser_class=Parser)
    mi = m_sub.add_parser("import", help="indlæs en CSV-fil: kommunekode;cvr;ean;konto")
    _secretariat(mi)
    mi.add_argument("file", type=Path, metavar="FIL",
                    help="CSV med kolonnerne kommunekode;cvr;ean;konto (UTF-8 eller ANSI)")
    mi.set_defaults(handler=cmd_members_import)
    ms = m_sub.add_parser("show", help="vis oplysningerne (som CSV, der kan indlæses igen)")
    _secretariat(ms)
    ms.set_defaults(handler=cmd_members_show)
    ma = m_sub.add_parser("accounts", help="vis eller sæt kontiene til værtskommunens "
                          "kassekladde")
    _secretariat(ma)
    ma.add_argument("--receivable", metavar="KONTO", help="debitorkonto")
    ma.add_argument("--income", metavar="KONTO", help="indtægtskonto")
    ma.set_defaults(handler=cmd_members_accounts)

    p = sub.add_parser("profiles", help="eksportprofiler")
    p_sub = p.add_subparsers(dest="action", metavar="HANDLING", required=True,
                             parser_class=Parser)
    pl = p_sub.add_parser("list", help="vis profilerne og deres indstillinger")
    pl.set_defaults(handler=cmd_profiles_list)
    pc = p_sub.add_parser("copy", help="kopiér en profil (kopien kan rettes i vinduet)")
    pc.add_argument("name", metavar="NAVN", help="profilen der kopieres")
    pc.add_argument("new_name", metavar="NYT_NAVN", help="kopiens navn")
    pc.set_defaults(handler=cmd_profiles_copy)

    x = sub.add_parser("xlsx", help="Excel-filer: opgørelsen eller en fordeling")
    x_sub = x.add_subparsers(dest="action", metavar="HANDLING", required=True,
                             parser_class=Parser)
    xs = x_sub.add_parser("statement", help="opgørelsen for år N som .xlsx (kan indlæses "
                          "igen med statement import)")
    _secretariat(xs)
    _year(xs)
    xs.add_argument("-o", "--output", type=Path, required=True, metavar="FIL",
                    help="filnavn, fx opgørelse.xlsx")
    xs.set_defaults(handler=cmd_xlsx_statement)
    xa = x_sub.add_parser("allocation", help="den gemte fordeling som .xlsx")
    _secretariat(xa)
    _year(xa)
    xa.add_argument("--kind", choices=KINDS, default="contribution",
                    help="opkrævning af bidrag, udbetaling af overskud eller efterregulering")
    xa.add_argument("-o", "--output", type=Path, required=True, metavar="FIL",
                    help="filnavn, fx fordeling.xlsx")
    xa.set_defaults(handler=cmd_xlsx_allocation)


def _secretariat(p: argparse.ArgumentParser) -> None:
    p.add_argument("--secretariat", required=True, metavar="NAVN",
                   help="sekretariatets navn eller en entydig del af det, fx «sundhed»")


def _year(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, required=True, metavar="N", help="budgetåret N")


def parse_date(text: str) -> date:
    """--due-date: as the window reads a typed date (core/dates.py)."""
    from kkr_desktop.core.dates import parse_date as parse_danish_date

    return parse_danish_date(text)


def cmd_export(args: argparse.Namespace) -> int:
    from kkr_desktop.core.allocation import AllocationKind
    from kkr_desktop.core.money import format_amount
    from kkr_desktop.services import export as service

    store = open_store_for(args)
    sec = find_secretariat(store, args.secretariat)
    need = ("cvr",) if args.journal else ("cvr", "ean", "konto")
    plan = service.plan_erp(store, sec, args.year, AllocationKind(args.kind),
                            profile=args.profile,
                            due=parse_date(args.due_date) if args.due_date else None,
                            text=args.text, period=args.period, need=need)
    try:
        if args.journal:
            result = service.export_journal(store, plan, args.output, again=args.again,
                                            force=args.force, fmt=args.format)
        else:
            result = service.export_erp(store, plan, args.output, per_kommune=args.per_kommune,
                                        again=args.again, force=args.force, fmt=args.format)
    except service.StaleAllocationError as exc:
        said = getattr(exc, "cli_message", exc.message)
        raise InputError(said + " Brug --force for at eksportere den gemte fordeling "
                         "alligevel.") from None
    except service.AlreadyExportedError as exc:
        raise InputError(exc.message + " Brug --again for at eksportere den igen.") from None
    for warning in (plan.stale_cli, plan.draft, plan.key, result.warning):
        if warning:
            print(f"Advarsel: {warning}", file=sys.stderr)
    where = (f"{len(result.files)} filer i {args.output}" if len(result.files) > 1
             else str(result.files[0]))
    print(f"Eksporteret {result.rows} kommuner, i alt {format_amount(result.total, decimals=True)}"
          f" kr. ({plan.profile.name}): {where}")
    return 0


def cmd_export_log(args: argparse.Namespace) -> int:
    from kkr_desktop.services.export import describe_log_entry, export_log

    store = open_store_for(args)
    sec = find_secretariat(store, args.secretariat)
    entries = export_log(store, sec.id, args.year)
    if not entries:
        print(f"Intet eksporteret for {sec.name}" + (f" {args.year}." if args.year else "."))
    for r in entries:
        print(describe_log_entry(r))
        for f in r.files:
            print(f"    {f.path}  sha256 {f.sha256}")
    return 0


def cmd_members_import(args: argparse.Namespace) -> int:
    from kkr_desktop.services.members import import_members

    store = open_store_for(args)
    sec = find_secretariat(store, args.secretariat)
    result = import_members(store, sec.id, args.file)
    print(f"Indlæst ERP-oplysninger for {result.kommuner} kommuner ({result.changed} ændret).")
    if result.incomplete:
        print("Mangler før eksport:\n  " + "\n  ".join(result.incomplete), file=sys.stderr)
    return 0


def cmd_members_show(args: argparse.Namespace) -> int:
    from kkr_desktop.services.members import member_table

    store = open_store_for(args)
    sec = find_secretariat(store, args.secretariat)
    csv.writer(sys.stdout, delimiter=";", lineterminator="\n").writerows(
        member_table(store, sec.id))
    return 0


def cmd_members_accounts(args: argparse.Namespace) -> int:
    from kkr_desktop.services.members import journal_accounts, set_journal_accounts

    store = open_store_for(args)
    sec = find_secretariat(store, args.secretariat)
    receivable, income = journal_accounts(store, sec.id)
    if args.receivable is not None or args.income is not None:
        receivable = args.receivable if args.receivable is not None else receivable
        income = args.income if args.income is not None else income
        set_journal_accounts(store, sec.id, receivable, income)
    print(f"Debitorkonto: {receivable or '–'}\nIndtægtskonto: {income or '–'}")
    return 0


def cmd_profiles_list(args: argparse.Namespace) -> int:
    from kkr_desktop.core.erp import ENCODINGS, LINE_ENDS
    from kkr_desktop.services.export import profiles

    for p in profiles(open_store_for(args)):
        mark = " (følger med programmet)" if p.builtin else ""
        print(f"{p.name}{mark}\n  skilletegn «{p.separator}», decimaltegn «"
              f"{p.decimal_separator}», datoer {p.date_format}, {ENCODINGS[p.encoding]}, "
              f"{LINE_ENDS[p.line_end]}\n  kolonner: " + p.separator.join(
                  h for _, h in p.columns))
    return 0


def cmd_profiles_copy(args: argparse.Namespace) -> int:
    from kkr_desktop.services.export import copy_profile

    p = copy_profile(open_store_for(args), args.name, args.new_name)
    print(f"Oprettet profilen «{p.name}».")
    return 0


def cmd_xlsx_statement(args: argparse.Namespace) -> int:
    from kkr_desktop.services.spreadsheets import export_statement_xlsx

    store = open_store_for(args)
    path = export_statement_xlsx(store, find_secretariat(store, args.secretariat), args.year,
                                 args.output)
    print(f"Skrevet: {path}")
    return 0


def cmd_xlsx_allocation(args: argparse.Namespace) -> int:
    from kkr_desktop.core.allocation import AllocationKind
    from kkr_desktop.services.spreadsheets import export_allocation_xlsx

    store = open_store_for(args)
    path = export_allocation_xlsx(store, find_secretariat(store, args.secretariat), args.year,
                                  AllocationKind(args.kind), args.output)
    print(f"Skrevet: {path}")
    return 0
