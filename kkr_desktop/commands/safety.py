"""CLI commands for the safety area: backup, restore and the audit log."""

from __future__ import annotations

import argparse
from pathlib import Path

from kkr_desktop.commands.common import find_secretariat, open_store_for


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's commands to the CLI."""
    b = sub.add_parser("backup", help="tag en sikkerhedskopi af databasen nu (på en server: "
                       "serverens administrator tager dem; -o gemmer en SQLite-kopi)")
    b.add_argument("-o", "--output", type=Path, metavar="FIL",
                   help="filnavn eller mappe (standard: mappen «backups» ved databasen); med "
                   "--db postgresql://…: en ny SQLite-fil med en kopi af HELE databasen (alle "
                   "sekretariater og hele revisionssporet, som ikke kan deles op pr. KKR uden "
                   "at bryde kæden; serverens database er én KKR's); en eksisterende fil "
                   "overskrives aldrig")
    b.set_defaults(handler=cmd_backup)

    r = sub.add_parser("restore", help="gendan databasen fra en sikkerhedskopi "
                       "(den nuværende fil gemmes først)")
    r.add_argument("file", type=Path, metavar="FIL", help="sikkerhedskopien")
    r.add_argument("--force", action="store_true",
                   help="gendan, selv om godkendelser i databasen så forsvinder eller ændres")
    r.set_defaults(handler=cmd_restore)

    a = sub.add_parser("audit", help="vis ændringsloggen (nyeste først)")
    a.add_argument("--secretariat", metavar="NAVN", help="kun dette sekretariat")
    a.add_argument("--year", type=int, metavar="N", help="kun år N")
    a.add_argument("--user", metavar="BRUGER", help="kun ændringer foretaget af BRUGER")
    a.add_argument("--since", metavar="DATO", help="fra og med datoen (ÅÅÅÅ-MM-DD)")
    a.add_argument("--until", metavar="DATO", help="til og med datoen (ÅÅÅÅ-MM-DD)")
    a.add_argument("--limit", type=int, default=200, metavar="ANTAL",
                   help="højst så mange linjer (standard 200)")
    a.set_defaults(handler=cmd_audit)


def cmd_backup(args: argparse.Namespace) -> int:
    from kkr_desktop.services.safety import backup_now

    store = open_store_for(args)
    try:
        if store.backend == "postgresql":
            return _server_backup(store, args.output)
        path = backup_now(store, args.output)
    finally:
        store.close()
    print(f"Sikkerhedskopi gemt: {path}")
    return 0


def _server_backup(store, output: Path | None) -> int:
    from kkr_desktop.core.errors import InputError
    from kkr_desktop.services.transfer import server_copy, server_message

    if output is None:
        raise InputError(server_message(store) + " Intet er gemt; angiv -o FIL.sqlite for en "
                         "SQLite-kopi.")
    moved = server_copy(store, output)
    print(moved.text(copy=True))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from kkr_desktop.core.errors import InputError
    from kkr_desktop.services.safety import ApprovalsDroppedError, restore_file
    from kkr_desktop.services.setup import resolve_db

    try:
        result = restore_file(resolve_db(args.db, args.demo), args.file,
                              drop_approvals=args.force)
    except ApprovalsDroppedError as exc:
        raise InputError(exc.message + " Brug --force for at gendanne alligevel; den "
                         "nuværende fil gemmes først som sikkerhedskopi.") from exc
    print(f"Databasen er gendannet fra {result.restored_from}.")
    if result.previous is not None:
        print(f"Den hidtidige fil er gemt som {result.previous}.")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from kkr_desktop.services.safety import audit_rows

    store = open_store_for(args)
    try:
        sid = find_secretariat(store, args.secretariat).id if args.secretariat else None
        rows = audit_rows(store, secretariat_id=sid, year=args.year, who=args.user,
                          since=_date(args.since, "--since"),
                          until=_date(args.until, "--until", next_day=True),
                          limit=args.limit)
    finally:
        store.close()
    if not rows:
        print("Ingen ændringer i loggen for dette udvalg.")
        return 0
    for r in rows:
        scope = " ".join(x for x in (r.secretariat, str(r.year or "")) if x)
        print(f"{r.at}  {r.who:<12} {r.action:<8} {r.what}"
              + (f"  [{scope}]" if scope else "") + (f"\n    {r.change}" if r.change else ""))
    return 0


def _date(text: str | None, option: str, *, next_day: bool = False) -> str | None:
    from datetime import date, timedelta

    from kkr_desktop.core.errors import InputError

    if not text:
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{option}: «{text}» er ikke en dato som 2024-03-01.") from None
    return (day + timedelta(days=1)).isoformat() if next_day else day.isoformat()
