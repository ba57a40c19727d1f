"""CLI command `migrate-to`: move a KKR's database from a file to a server, or back."""

from __future__ import annotations

import argparse

from kkr_desktop.services.connection import db_location


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's commands to the CLI."""
    m = sub.add_parser(
        "migrate-to",
        help="flyt hele databasen (--db) til en tom database på en PostgreSQL-server, eller "
        "fra en server til en ny databasefil; alt kopieres i én transaktion, og hver "
        "godkendelse og hele revisionssporet kontrolleres på målet, før noget gemmes",
        description="Kilden (--db) åbnes skrivebeskyttet og ændres aldrig. Målet er enten en "
        "tom database på en server (postgresql://ejer@server:5432/kkr, som databasens ejer, "
        "fx oprettet med «server init») eller en ny fil, som ikke må findes i forvejen.")
    # `migrate-to --db KILDE MÅL` as well as `--db KILDE migrate-to MÅL`
    m.add_argument("--db", dest="db", type=db_location, default=argparse.SUPPRESS,
                   metavar="KILDE", help="databasen, der flyttes (som det fælles --db)")
    m.add_argument("target", metavar="MÅL",
                   help="postgresql://…/kkr (en tom database) eller en ny fil, fx arkiv.sqlite")
    m.set_defaults(handler=cmd_migrate_to)


def cmd_migrate_to(args: argparse.Namespace) -> int:
    from kkr_desktop.services.setup import default_db_path, demo_db_path
    from kkr_desktop.services.transfer import migrate_to

    source = args.db if args.db is not None else (
        demo_db_path() if args.demo else default_db_path())
    print(migrate_to(source, db_location(args.target)).text())
    return 0
