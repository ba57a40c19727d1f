"""CLI commands for the approval area: approve, report (the PDF), revision, approvals."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from kkr_desktop.commands.common import find_secretariat, open_store_for
from kkr_desktop.core.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's commands to the CLI."""
    a = sub.add_parser("approve", help="godkend regnskab N−1 og budget N (fastlåser tallene)")
    _secretariat_year(a)
    a.add_argument("--body", required=True, metavar="ORGAN",
                   help="det godkendende organ, fx «KKR Nordjylland»")
    a.add_argument("--date", required=True, metavar="DATO",
                   help="mødedatoen, fx 12.03.2024, 12-3-24 eller «12. marts 2024»")
    a.add_argument("--case", required=True, metavar="PUNKT",
                   help="dagsordenspunktet, fx «2.4»")
    a.add_argument("--signatory", action="append", default=[], metavar="«NAVN, TITEL»",
                   help="en underskriver, fx «Thomas Kastrup-Larsen, Formand for KKR "
                        "Nordjylland»; kan gentages; mindst én med navn")
    a.add_argument("--force", action="store_true",
                   help="godkend også med en mødedato, der ser forkert ud (uden for årene "
                        "N−1 og N, eller før den forrige revisions møde)")
    a.set_defaults(handler=cmd_approve)

    r = sub.add_parser("report", help="skriv dokumentet «Regnskab N−1 og budget N» som PDF")
    _secretariat_year(r)
    r.add_argument("-o", "--output", required=True, type=Path, metavar="FIL.pdf",
                   help="PDF-filen der skrives")
    r.add_argument("--revision", type=int, metavar="K",
                   help="en godkendt revision (standard: den gældende, ellers kladden)")
    r.set_defaults(handler=cmd_report)

    v = sub.add_parser("revision", help="ny revision: gør en godkendt opgørelse redigerbar "
                                        "igen; den godkendte bevares")
    _secretariat_year(v)
    v.add_argument("--reason", required=True, metavar="TEKST",
                   help="hvorfor den godkendte opgørelse genåbnes; står på det reviderede "
                        "dokument")
    v.set_defaults(handler=cmd_revision)

    h = sub.add_parser("approvals", help="vis godkendelserne af opgørelsen for år N")
    _secretariat_year(h)
    h.set_defaults(handler=cmd_approvals)

    g = sub.add_parser("signatories", help="vis eller sæt sekretariatets faste underskrivere "
                       "(foreslås ved godkendelse)")
    g.add_argument("--secretariat", required=True, metavar="NAVN",
                   help="sekretariatets navn eller en entydig del af det, fx «sundhed»")
    g.add_argument("--set", action="append", dest="people", metavar="«NAVN, TITEL»",
                   help="en underskriver; gentag for flere, i den rækkefølge de skriver under")
    g.add_argument("--clear", action="store_true", help="fjern alle faste underskrivere")
    g.set_defaults(handler=cmd_signatories)


def _secretariat_year(p: argparse.ArgumentParser) -> None:
    p.add_argument("--secretariat", required=True, metavar="NAVN",
                   help="sekretariatets navn eller en entydig del af det, fx «sundhed»")
    p.add_argument("--year", type=int, required=True, metavar="N", help="budgetåret N")


def parse_date(text: str) -> date:
    """--date: as the window reads a typed date (core/dates.py)."""
    from kkr_desktop.core.dates import parse_date as parse_danish_date

    return parse_danish_date(text)


def cmd_approve(args: argparse.Namespace) -> int:
    from kkr_desktop.core.approval import ApprovalFacts, format_date, parse_signatory
    from kkr_desktop.services.approval import DateNeedsConfirmation, approve

    facts = ApprovalFacts(args.body.strip(), parse_date(args.date), args.case.strip(),
                          tuple(parse_signatory(s) for s in args.signatory))
    store = open_store_for(args)
    try:
        result = approve(store, find_secretariat(store, args.secretariat), args.year, facts,
                         force=args.force)
    except DateNeedsConfirmation as exc:
        raise InputError(f"{exc.message}\nEr datoen rigtig, så gentag kommandoen med "
                         "--force. Intet er godkendt.") from None
    for w in result.warnings:
        print(f"Advarsel: {w.message}", file=sys.stderr)
    for notice in result.notices:
        print(notice, file=sys.stderr)
    a = result.approval
    print(f"Godkendt: regnskab {args.year - 1} og budget {args.year}, revision {a.revision}, "
          f"af {a.body} den {format_date(a.meeting_date)} (punkt {a.case}). "
          f"Dokument-id {a.document_id}.")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from kkr_desktop.services.report import build_document, save_report

    store = open_store_for(args, tampering_said_later=True)
    sec = find_secretariat(store, args.secretariat)
    doc = build_document(store, sec, args.year, args.revision)
    path = save_report(store, sec.id, args.year, args.output, args.revision)
    state = (f"godkendt, dokument-id {doc.document_id}" if doc.approved
             else "kladde, ikke godkendt")
    print(f"Skrevet: {path} (revision {doc.revision}, {state})")
    return 0


def cmd_revision(args: argparse.Namespace) -> int:
    from kkr_desktop.services.approval import new_revision

    store = open_store_for(args)
    revision = new_revision(store, find_secretariat(store, args.secretariat), args.year,
                            args.reason)
    print(f"Ny revision {revision} af regnskab {args.year - 1} og budget {args.year} er "
          f"oprettet og kan redigeres. Revision {revision - 1} er bevaret og kan udskrives "
          f"(report --revision {revision - 1}).")
    return 0


def cmd_approvals(args: argparse.Namespace) -> int:
    from kkr_desktop.core.approval import format_date, revision_state
    from kkr_desktop.services.approval import approval_history, current_revision
    from kkr_desktop.services.verify import verify

    store = open_store_for(args, tampering_said_later=True)
    sec = find_secretariat(store, args.secretariat)
    history = approval_history(store, sec.id, args.year)
    found = verify(store)
    tampered = found.by_approval
    if not history:
        print(f"Regnskab {args.year - 1} og budget {args.year} er ikke godkendt.")
    draft = (None if any(a.in_force for a in history)
             else current_revision(store, sec.id, args.year))
    latest = max((a.revision for a in history), default=0)
    for a in history:
        state = revision_state(a.revision, a.in_force, latest, draft)
        if state == "erstattet":
            state += f" {a.superseded_at[:10]}"
        if a.id in tampered:
            state += "; ÆNDRET UDEN OM PROGRAMMET – kan ikke bruges som godkendt"
        print(f"Revision {a.revision}: {a.body} den {format_date(a.meeting_date)}, punkt "
              f"{a.case}; dokument-id {a.document_id}; {state}")
        for s in a.signatories:
            print(f"    {s.name}{', ' + s.title if s.title else ''}")
    messages = found.repaired + found.messages(sec.id, args.year)
    for message in messages:
        print(f"Fejl: {message}", file=sys.stderr)
    return 1 if found.messages(sec.id, args.year) else 0


def cmd_signatories(args: argparse.Namespace) -> int:
    from kkr_desktop.core.approval import parse_signatory
    from kkr_desktop.services.approval import default_signatories, set_default_signatories

    store = open_store_for(args)
    sec = find_secretariat(store, args.secretariat)
    if args.people or args.clear:
        people = [parse_signatory(p) for p in args.people or []]
        set_default_signatories(store, sec.id, people)
    people = default_signatories(store, sec.id)
    if not people:
        print(f"{sec.name} har ingen faste underskrivere.")
    for i, s in enumerate(people, start=1):
        print(f"{i}. {s.name}{', ' + s.title if s.title else ''}")
    return 0

