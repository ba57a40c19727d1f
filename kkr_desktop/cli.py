"""The command line: a stable contract that scripts depend on. The GUI is the default command.

Each command parses its options, calls one service function, and prints. Errors the user can
cause are KkrError with a Danish message: printed on stderr, exit code 2 for bad input, 1 for
anything else. Nothing is written when a command fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kkr_desktop import APP_TITLE, __version__
from kkr_desktop.commands import (
    agenda,
    approval,
    billing,
    export,
    payments,
    safety,
    server,
    transfer,
)
from kkr_desktop.commands.common import (
    Parser,
    demo_hint,
    find_secretariat,
    open_store_for,
)
from kkr_desktop.core.errors import KkrError

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="kkr-desktop", description=f"{APP_TITLE}: budget, regnskab og "
                "fordelingsnøgler for KKR's fælleskommunale sekretariater.")
    p.add_argument("--version", action="version", version=f"{APP_TITLE} {__version__}",
                   help="vis programmets version og afslut")
    p.add_argument("--db", type=_db_location, metavar="DB",
                   help="databasefil (standard: i brugerens datamappe) eller en server: "
                   "postgresql://bruger@server:5432/kkr")
    p.add_argument("--demo", action="store_true",
                   help="brug demodatabasen (KKR Nordjyllands Sundhedssekretariat)")
    sub = p.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=Parser)

    g = sub.add_parser("gui", help="start programmets vindue (standard)")
    g.set_defaults(handler=cmd_gui)

    i = sub.add_parser("init", help="opret databasen (med --demo: fyld demodata i)")
    i.add_argument("--demo", action="store_true", dest="init_demo",
                   help="indlæs demodata: Sundhedssekretariatet 2023–2024")
    i.set_defaults(handler=cmd_init)

    pop = sub.add_parser("population", help="folketal fra Danmarks Statistik")
    pop_sub = pop.add_subparsers(dest="action", metavar="HANDLING", required=True,
                                 parser_class=Parser)
    pi = pop_sub.add_parser("import", help="indlæs en FOLK1A-fil (CSV, lang eller bred form)")
    pi.add_argument("file", type=Path, metavar="FIL", help="CSV-fil fra Danmarks Statistik")
    pi.set_defaults(handler=cmd_population_import)
    pset = pop_sub.add_parser("set", help="ret ét folketal i hånden (gemmes i ændringsloggen)")
    pset.add_argument("--kommune", type=int, required=True, metavar="KODE",
                      help="kommunekode, fx 851")
    pset.add_argument("--quarter", required=True, metavar="KVARTAL", help="fx 2022K1")
    pset.add_argument("--value", type=int, required=True, metavar="FOLKETAL",
                      help="folketallet, fx 217075")
    pset.set_defaults(handler=cmd_population_set)

    sc = sub.add_parser("secretariat", help="sekretariaterne: vis dem, eller opret et nyt")
    sc_sub = sc.add_subparsers(dest="action", metavar="HANDLING", required=True,
                               parser_class=Parser)
    sc_sub.add_parser("list", help="vis sekretariaterne med KKR, medlemmer og år"
                      ).set_defaults(handler=cmd_secretariat_list)
    scn = sc_sub.add_parser("create", help="opret et sekretariat med KKR'ets kommuner som "
                            "medlemmer og et tomt første budget")
    scn.add_argument("--name", required=True, metavar="NAVN", help="sekretariatets navn")
    scn.add_argument("--kkr", required=True, help="KKR, fx Hovedstaden")
    scn.add_argument("--year", type=int, required=True, metavar="N",
                     help="det første budgetår")
    scn.add_argument("--unit", choices=["kr", "ore"], default="kr",
                     help="afrundingsenhed for bidraget (standard: hele kroner)")
    scn.add_argument("--host", type=int, metavar="KOMMUNEKODE",
                     help="værtskommunen, fx 101 for København")
    scn.set_defaults(handler=cmd_secretariat_create)

    st = sub.add_parser("statement", help="regnskab og budget")
    st_sub = st.add_subparsers(dest="action", metavar="HANDLING", required=True,
                               parser_class=Parser)
    si = st_sub.add_parser("import",
                           help="indlæs en opgørelse (udvekslingsformatet, CSV eller .xlsx)")
    si.add_argument("file", type=Path, metavar="FIL", help="opgørelsen som CSV eller .xlsx")
    si.add_argument("--kkr", help="KKR for et nyt sekretariat (kræves, når databasen er tom "
                    "eller har sekretariater i flere KKR)")
    si.set_defaults(handler=cmd_statement_import)
    se = st_sub.add_parser("export", help="skriv opgørelsen for år N som CSV")
    _secretariat_year(se)
    se.add_argument("-o", "--output", type=Path, metavar="FIL",
                    help="filnavn, .csv eller .xlsx (standard: CSV til skærmen)")
    se.set_defaults(handler=cmd_statement_export)
    ss = st_sub.add_parser("show", help="vis opgørelsen for år N med totaler og advarsler")
    _secretariat_year(ss)
    ss.add_argument("--json", action="store_true", help="skriv JSON")
    ss.set_defaults(handler=cmd_statement_show)
    sn = st_sub.add_parser("note", help="sæt, ret eller fjern fodnoten på Overskud/underskud")
    _secretariat_year(sn)
    sn.add_argument("--result", required=True, metavar="KOLONNE",
                    choices=["budget_prev", "actual_prev", "budget"],
                    help="resultatets kolonne: budget_prev (budget N−1), actual_prev "
                    "(regnskab N−1) eller budget (budget N)")
    sn.add_argument("--text", required=True, metavar="TEKST",
                    help='fodnotens tekst; --text "" fjerner fodnoten')
    sn.set_defaults(handler=cmd_statement_note)

    nb = sub.add_parser("next-budget", help="opret budget N+1 ud fra år N (samme poster, "
                        "bidraget fremskrevet med den forventede PL-sats, balancerende overførsel)")
    _secretariat_year(nb)
    nb.set_defaults(handler=cmd_next_budget)

    pl = sub.add_parser("pl", help="pris- og lønsatser (PL)")
    pl_sub = pl.add_subparsers(dest="action", metavar="HANDLING", required=True,
                               parser_class=Parser)
    ps = pl_sub.add_parser("set", help="sæt PL-satsen fra år N−1 til år N")
    ps.add_argument("--year", type=int, required=True, metavar="N",
                    help="år N: satsen gælder fra N−1 til N")
    ps.add_argument("--expected", metavar="SATS", help="forventet sats i procent, fx 4,8")
    ps.add_argument("--final", metavar="SATS", help="endelig sats i procent, fx 4,1")
    ps.add_argument("--source", help="kilde, fx «KL, budgetvejledning 2024»")
    ps.set_defaults(handler=cmd_pl_set)
    pls = pl_sub.add_parser("show", help="vis alle PL-satser")
    pls.set_defaults(handler=cmd_pl_show)

    a = sub.add_parser("allocate", help="fordel et beløb på medlemskommunerne")
    _secretariat_year(a)
    a.add_argument("--kind", choices=["contribution", "payout", "adjustment"],
                   default="contribution",
                   help="opkrævning af bidrag, udbetaling af overskud eller efterregulering")
    a.add_argument("--amount", metavar="BELØB", help="beløb i kroner, fx 1.771.663")
    a.add_argument("--quarter", metavar="KVARTAL", help="nøglens kvartal, fx 2022K1")
    a.add_argument("--unit", choices=["ore", "kr", "tkr"], help="afrundingsenhed")
    a.add_argument("--key", choices=["population", "equal"], default="population",
                   help="fordelingsnøgle: folketal (standard) eller ligelig")
    a.add_argument("--save", action="store_true",
                   help="gem fordelingen (den bruges så af eksport og dokumenter)")
    a.add_argument("--json", action="store_true", help="skriv JSON")
    a.set_defaults(handler=cmd_allocate)

    for area in (approval, export, safety, billing, payments, agenda, server, transfer):
        area.register(sub)
    return p


def _db_location(text: str) -> Path | str:
    from kkr_desktop.services.connection import db_location

    return db_location(text)


def _secretariat_year(p: argparse.ArgumentParser) -> None:
    p.add_argument("--secretariat", required=True, metavar="NAVN",
                   help="sekretariatets navn eller en entydig del af det, fx «sundhed»")
    p.add_argument("--year", type=int, required=True, metavar="N", help="budgetåret N")


# --- commands ------------------------------------------------------------------------------

def cmd_gui(args: argparse.Namespace) -> int:
    from kkr_desktop.ui import qt_platform

    try:
        from kkr_desktop.ui.app import run  # PySide6 loads here, so other commands stay fast
    except ImportError as exc:  # Qt's own libraries need system ones (libEGL, libGL, …)
        raise qt_platform.import_failed(exc) from exc

    return run(args.db, demo=args.demo)


def cmd_init(args: argparse.Namespace) -> int:
    from kkr_desktop.services.connection import is_server_url, masked
    from kkr_desktop.services.setup import load_demo, open_for_use, resolve_db

    demo = args.demo or args.init_demo
    path = args.db if is_server_url(args.db) else resolve_db(args.db, demo)
    store = open_for_use(path)
    shown = masked(path) if isinstance(path, str) else path
    print(f"Database: {shown} (skemaversion {store.schema_version})")
    if demo:
        summary = load_demo(store)
        print(f"Demodata: {summary.secretariat}, {summary.members} medlemskommuner, "
              f"år {', '.join(map(str, summary.years))}, fordelingsnøgle "
              f"{summary.key_quarter}.")
    return 0


def cmd_population_import(args: argparse.Namespace) -> int:
    from kkr_desktop.services.population import import_population

    result = import_population(open_store_for(args), args.file)
    print(f"Indlæst {result.source}: {result.kommuner} kommuner, kvartal "
          f"{', '.join(result.quarters)}; {result.added} nye og {result.changed} ændrede tal.")
    return 0


def cmd_population_set(args: argparse.Namespace) -> int:
    from kkr_desktop.core.quarter import parse_quarter
    from kkr_desktop.services.population import set_figure

    quarter = parse_quarter(args.quarter)
    set_figure(open_store_for(args), args.kommune, quarter, args.value)
    print(f"Folketal for kommune {args.kommune} pr. {quarter}: {args.value} (gemt).")
    return 0


def cmd_next_budget(args: argparse.Namespace) -> int:
    from kkr_desktop.services.budget import create_next_budget, describe

    store = open_store_for(args)
    print(describe(create_next_budget(store, find_secretariat(store, args.secretariat),
                                      args.year)))
    return 0


def cmd_secretariat_list(args: argparse.Namespace) -> int:
    from kkr_desktop.services import catalog

    store = open_store_for(args)
    nodes = catalog.navigator_tree(store)
    if not nodes:
        print(f"Ingen sekretariater endnu i {store.where}: opret et med «secretariat create» "
              f"eller indlæs en opgørelse med «statement import».{demo_hint(store)}")
    for node in nodes:
        years = ", ".join(map(str, node.years)) or "ingen år"
        members = len(catalog.members(store, node.secretariat.id))
        print(f"{node.secretariat.name}  (KKR {node.kkr}; {members} medlemskommuner; "
              f"budgetår: {years})")
    return 0


def cmd_secretariat_create(args: argparse.Namespace) -> int:
    from kkr_desktop.core.allocation import Unit
    from kkr_desktop.services import catalog
    from kkr_desktop.services.secretariat_settings import create_secretariat

    store = open_store_for(args)
    sid = create_secretariat(store, name=args.name, kkr=args.kkr, first_year=args.year,
                             unit=Unit(args.unit), host_kommune=args.host)
    sec = catalog.secretariat(store, sid)
    members = catalog.members(store, sid)
    print(f"Oprettet sekretariat: {sec.name} (KKR {sec.kkr}), {len(members)} medlemskommuner, "
          f"budget {args.year} med posterne Indkrævet hos kommunerne, Løn og Husleje.")
    return 0


def cmd_statement_import(args: argparse.Namespace) -> int:
    from kkr_desktop.services.statements import import_statement

    result = import_statement(open_store_for(args), args.file, kkr=args.kkr)
    for text in result.created_text:
        print(f"Oprettet sekretariat: {text}")
    for text in result.units_text:
        print(text)
    years = ", ".join(f"{s} {y}" for s, y in result.years)
    print(f"Indlæst {result.lines} poster ({years}).")
    return 0


def cmd_statement_export(args: argparse.Namespace) -> int:
    from kkr_desktop.services.spreadsheets import save_statement_file
    from kkr_desktop.services.statements import export_statement

    store = open_store_for(args)
    sec = find_secretariat(store, args.secretariat)
    if args.output:
        print(f"Skrevet: {save_statement_file(store, sec, args.year, args.output)}")
    else:
        sys.stdout.write(export_statement(store, sec, args.year).replace("\r\n", "\n"))
    return 0


def cmd_statement_show(args: argparse.Namespace) -> int:
    from kkr_desktop.cli_text import statement_json, statement_text
    from kkr_desktop.services.statements import load_statement, suggested_notes

    store = open_store_for(args)
    sec = find_secretariat(store, args.secretariat)
    view = load_statement(store, sec, args.year)
    if args.json:
        print(json.dumps(statement_json(view), ensure_ascii=False, indent=2))
    else:
        print(statement_text(view))
        suggested = suggested_notes(store, sec, args.year)
        if suggested:
            print("\nForslag til fodnoter (ud fra PL-satserne):")
        for line, column, text in suggested:
            print(f"  {line}, {column.label(args.year)}: {text}")
    return 0


def cmd_statement_note(args: argparse.Namespace) -> int:
    from kkr_desktop.core.statement import Column
    from kkr_desktop.services.result_notes import set_result_note

    store = open_store_for(args)
    sec = find_secretariat(store, args.secretariat)
    column = Column(args.result)
    set_result_note(store, sec.id, args.year, column, args.text)
    where = f"Overskud/underskud, {column.label(args.year)} ({sec.name})"
    print(f"Fodnoten på {where} er gemt." if args.text.strip()
          else f"Fodnoten på {where} er fjernet.")
    return 0


def cmd_pl_set(args: argparse.Namespace) -> int:
    from kkr_desktop.core.money import format_rate, parse_rate
    from kkr_desktop.services.rates import set_pl_rate

    rate = set_pl_rate(open_store_for(args), args.year,
                       expected=parse_rate(args.expected) if args.expected else None,
                       final=parse_rate(args.final) if args.final else None,
                       source=args.source)
    print(f"PL {rate.year - 1}→{rate.year}: forventet {format_rate(rate.expected) or '–'}, "
          f"endelig {format_rate(rate.final) or '–'}")
    return 0


def cmd_pl_show(args: argparse.Namespace) -> int:
    from kkr_desktop.core.money import format_rate
    from kkr_desktop.services.rates import all_rates, changed_on

    store = open_store_for(args)
    changed = changed_on(store)  # the same dates as the window's «Ændret» column
    for rate in all_rates(store):
        when = f"  ændret {changed[rate.year]:%d.%m.%Y}" if rate.year in changed else ""
        print(f"{rate.year - 1}→{rate.year}  forventet {format_rate(rate.expected) or '–':>8}"
              f"  endelig {format_rate(rate.final) or '–':>8}  {rate.source}{when}")
    return 0


def cmd_allocate(args: argparse.Namespace) -> int:
    from kkr_desktop.cli_text import allocation_json, allocation_text
    from kkr_desktop.core.allocation import AllocationKind, KeyKind, Unit
    from kkr_desktop.core.money import parse_amount
    from kkr_desktop.core.quarter import parse_quarter
    from kkr_desktop.services import allocation as service

    store = open_store_for(args)
    sec = find_secretariat(store, args.secretariat)
    result = service.compute(
        store, sec, args.year, kind=AllocationKind(args.kind),
        amount=parse_amount(args.amount) if args.amount else None,
        quarter=parse_quarter(args.quarter) if args.quarter else None,
        unit=Unit(args.unit) if args.unit else None, key_kind=KeyKind(args.key))
    saved = service.save(store, sec, args.year, result.allocation) if args.save else None
    if result.warning:
        print(f"Advarsel: {result.warning}", file=sys.stderr)
    if result.notice:
        print(result.notice, file=sys.stderr)
    if args.json:
        print(json.dumps(allocation_json(result.allocation), ensure_ascii=False, indent=2))
    else:
        print(allocation_text(sec.name, args.year, result.allocation))
    if saved:
        print(f"Gemt som fordeling nr. {saved}.", file=sys.stderr)
    return 0


def _tolerant_output() -> None:
    """Output piped on Windows is cp1252, which lacks some of our characters (→, −, ≈):
    write those as «?» instead of failing after half the output (a real console and
    Linux are UTF-8 and lose nothing)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (getattr(stream, "encoding", "") or "").lower() \
                not in ("utf-8", "utf8"):
            reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_output()
    try:
        args = build_parser().parse_args(argv)
        handler: Handler = getattr(args, "handler", cmd_gui)
        return handler(args)
    except KkrError as exc:
        # A refusal may word its remedy for the command line apart (services/export.refusal).
        print(f"Fejl: {getattr(exc, 'cli_message', exc.message)}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # The reader of the output stopped (`… | head`): nothing is wrong with the command,
        # and nothing more can be said on that pipe. What is still buffered goes nowhere.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        from kkr_desktop.core.faults import fault_text

        print(f"Fejl: {fault_text(exc, str(exc.filename or 'en fil'))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
