"""CLI commands for a KKR's PostgreSQL server: `server init`, `server migrate`, `server test`."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's commands to the CLI."""
    from kkr_desktop.commands.common import Parser

    s = sub.add_parser("server", help="en KKR's database på en PostgreSQL-server: roller, "
                       "skema og forbindelse")
    s_sub = s.add_subparsers(dest="action", metavar="HANDLING", required=True,
                             parser_class=Parser)
    i = s_sub.add_parser("init", help="opret databasens roller (NAVN_owner og NAVN_officer), "
                         "databasen og medarbejdernes rettigheder (som serverens "
                         "superbruger); at køre den igen ændrer kun det, der mangler")
    i.add_argument("url", metavar="URL", help="superbrugerens adresse, fx "
                   "postgresql://postgres@server:5432/postgres")
    i.add_argument("--database", default="kkr", metavar="NAVN",
                   help="KKR'ets database (standard: kkr)")
    i.add_argument("--officer", action="append", default=[], metavar="BRUGER",
                   help="opret en medarbejder med login (kan gentages)")
    i.add_argument("--password-prompt", action="store_true",
                   help="spørg om en adgangskode til hver medarbejder (ellers sætter "
                   "administratoren den selv, eller serveren bruger en anden godkendelse)")
    i.set_defaults(handler=cmd_server_init)

    m = s_sub.add_parser("migrate", help="opdatér KKR'ets database til programmets skema og "
                         "forny medarbejdernes rettigheder (som ejer eller superbruger)")
    m.add_argument("url", metavar="URL", help="adressen med databasen, fx "
                   "postgresql://postgres@server:5432/kkr")
    m.set_defaults(handler=cmd_server_migrate)

    t = s_sub.add_parser("test", help="prøv at forbinde, og sig som hvem")
    t.add_argument("url", metavar="URL", help="adressen, fx postgresql://anna@server:5432/kkr")
    t.set_defaults(handler=cmd_server_test)


def _ask_passwords(names: list[str]) -> dict[str, str | None]:
    import getpass

    from kkr_desktop.core.errors import InputError

    passwords: dict[str, str | None] = {}
    for name in names:
        first = getpass.getpass(f"Adgangskode til {name}: ")
        if first != getpass.getpass(f"Gentag adgangskoden til {name}: "):
            raise InputError(f"De to adgangskoder til {name} er ikke ens; intet er oprettet.")
        passwords[name] = first or None
    return passwords


def cmd_server_init(args: argparse.Namespace) -> int:
    from kkr_desktop.services.connection import init_server

    officers: dict[str, str | None] = (_ask_passwords(args.officer) if args.password_prompt
                                       else dict.fromkeys(args.officer))
    report = init_server(args.url, database=args.database, officers=officers)
    print(f"Server: {report.server}, database "
          f"«{report.database}» ({'oprettet' if report.database_created else 'fandtes'}, "
          f"ejet af {report.owner}).")
    if report.roles_created:
        print(f"Roller oprettet: {', '.join(report.roles_created)}.")
    if report.roles_existing:
        print(f"Roller, der fandtes: {', '.join(report.roles_existing)}.")
    for label, names in (("Medarbejdere oprettet", report.officers_created),
                         ("Medarbejdere, der fandtes", report.officers_existing)):
        if names:
            print(f"{label} (medlem af {report.officer}): {', '.join(names)}.")
    without = [n for n, p in officers.items() if p is None]
    if without:
        print(f"Uden adgangskode fra kommandoen: {', '.join(without)} (sæt den med "
              "«ALTER ROLE … PASSWORD» eller --password-prompt, eller brug serverens egen "
              "godkendelse).")
    _say_schema_and_grants(report)
    return 0


def cmd_server_migrate(args: argparse.Namespace) -> int:
    from kkr_desktop.services.connection import migrate_server

    report = migrate_server(args.url)
    print(f"Server: {report.server}, database «{report.database}».")
    _say_schema_and_grants(report)
    return 0


def cmd_server_test(args: argparse.Namespace) -> int:
    from kkr_desktop.services.connection import check_connection

    print(check_connection(args.url))
    return 0


def _say_schema_and_grants(report) -> None:
    if report.version_after == report.version_before:
        print(f"Skemaversion {report.version_after} (allerede den nyeste).")
    else:
        print(f"Skemaversion {report.version_before} → {report.version_after}.")
    print(f"Rettigheder til {report.officer} på {report.tables_granted} tabeller: læse alle; "
          "tilføje, rette og slette i de almindelige; kun tilføje i ændringsloggen, "
          "eksportloggen og godkendelserne; aldrig TRUNCATE, TRIGGER eller ændre skemaet.")
