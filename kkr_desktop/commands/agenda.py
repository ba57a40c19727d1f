"""CLI: «dagsordenspunkt», the statements of several secretariats in one agenda item."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kkr_desktop.commands.common import Parser, find_secretariat, open_store_for
from kkr_desktop.core.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's commands to the CLI."""
    a = sub.add_parser("agenda", help="dagsordenspunkt: flere sekretariaters opgørelser i ét "
                       "dokument, godkendt i én beslutning")
    verbs = a.add_subparsers(dest="action", metavar="HANDLING", required=True,
                             parser_class=Parser)

    c = verbs.add_parser("create", help="opret et dagsordenspunkt")
    c.add_argument("--kkr", required=True, metavar="NAVN", help="KKR, fx Nordjylland")
    c.add_argument("--year", type=int, required=True, metavar="N", help="budgetåret N")
    c.add_argument("--title", metavar="TEKST",
                   help="overskriften (standard: «Godkendelse af regnskab N−1 og budget N for "
                        "de fælleskommunale sekretariater»)")
    c.add_argument("--case", required=True, metavar="PUNKT", help="punktets nummer, fx 2.4")
    _texts(c)
    c.set_defaults(handler=cmd_create)

    e = verbs.add_parser("edit", help="ret et dagsordenspunkt, der ikke er godkendt")
    _which(e)
    e.add_argument("--title", metavar="TEKST", help="ny overskrift")
    e.add_argument("--case", metavar="PUNKT", help="nyt nummer")
    _texts(e)
    e.set_defaults(handler=cmd_edit)

    s = verbs.add_parser("show", help="vis dagsordenspunkterne, eller ét af dem (--id)")
    s.add_argument("--id", type=int, metavar="ID", help="punktets id (se agenda show)")
    s.add_argument("--kkr", metavar="NAVN", help="kun dette KKR")
    s.add_argument("--year", type=int, metavar="N", help="kun dette år")
    s.set_defaults(handler=cmd_show)

    p = verbs.add_parser("approve", help="godkend alle punktets opgørelser i én beslutning "
                         "(alle eller ingen)")
    _which(p)
    p.add_argument("--body", required=True, metavar="ORGAN",
                   help="det godkendende organ, fx «KKR Nordjylland»")
    p.add_argument("--date", required=True, metavar="DATO", help="mødedatoen, fx 12.03.2024")
    p.add_argument("--case", metavar="PUNKT",
                   help="dagsordenspunktet; skal være punktets eget nummer (standard)")
    p.add_argument("--signatory", action="append", default=[], metavar="«NAVN, TITEL»",
                   help="en underskriver; kan gentages; mindst én med navn")
    p.add_argument("--force", action="store_true",
                   help="godkend også med en mødedato, der ser forkert ud")
    p.set_defaults(handler=cmd_approve)

    r = verbs.add_parser("report", help="skriv punktets dokument som PDF")
    _which(r)
    r.add_argument("-o", "--output", required=True, type=Path, metavar="FIL.pdf",
                   help="PDF-filen der skrives")
    r.set_defaults(handler=cmd_report)


def _which(p: argparse.ArgumentParser) -> None:
    p.add_argument("--id", type=int, required=True, metavar="ID",
                   help="punktets id (se agenda show)")


def _texts(p: argparse.ArgumentParser) -> None:
    p.add_argument("--secretariat", action="append", metavar="NAVN",
                   help="et sekretariat på punktet; kan gentages (standard ved create: alle "
                        "KKR'ets sekretariater)")
    p.add_argument("--text-file", type=Path, metavar="FIL",
                   help="sagsfremstilling og indstilling (UTF-8): en linje «Sagsfremstilling» "
                        "og en linje «Indstilling» indleder de to tekster")


def _read_texts(path: Path | None) -> tuple[str, str] | None:
    from kkr_desktop.core.agenda import parse_text_file

    if path is None:
        return None
    try:
        return parse_text_file(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: filen kan ikke læses som tekst (UTF-8): {exc}") from None


def _ids(store, names: list[str] | None) -> list[int] | None:
    return None if not names else [find_secretariat(store, n).id for n in names]


def cmd_create(args: argparse.Namespace) -> int:
    from kkr_desktop.core.agenda import AgendaText, default_title
    from kkr_desktop.services import agenda

    texts = _read_texts(args.text_file) or ("", "")
    store = open_store_for(args)
    text = AgendaText(args.title or default_title(args.year), args.case, *texts)
    agenda_id = agenda.create_item(store, kkr=args.kkr, year=args.year, text=text,
                                   secretariat_ids=_ids(store, args.secretariat))
    print(f"Oprettet: dagsordenspunkt {args.case} (id {agenda_id}).")
    _describe(store, agenda_id)
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from kkr_desktop.core.agenda import AgendaText
    from kkr_desktop.services import agenda

    texts = _read_texts(args.text_file)
    store = open_store_for(args)
    old = agenda.get_item(store, args.id).text
    text = None
    if texts is not None or args.title or args.case:
        s, i = texts or (old.sagsfremstilling, old.indstilling)
        text = AgendaText(args.title or old.title, args.case or old.case, s, i)
    agenda.edit_item(store, args.id, text=text,
                     secretariat_ids=_ids(store, args.secretariat))
    _describe(store, args.id)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from kkr_desktop.services import agenda

    store = open_store_for(args)
    if args.id is not None:
        _describe(store, args.id, full=True)
        return 0
    items = agenda.list_items(store, args.kkr, args.year)
    if not items:
        print("Der er ingen dagsordenspunkter.")
    for item in items:
        _describe(store, item.id)
    return 0


def _describe(store, agenda_id: int, full: bool = False) -> None:
    from kkr_desktop.core.approval import format_date
    from kkr_desktop.services import agenda, catalog

    item = agenda.get_item(store, agenda_id)
    act = agenda.item_approval(store, agenda_id)
    state = ("kladde" if act is None else f"godkendt af {act.body} den "
             f"{format_date(act.meeting_date)}, Dokument-id {act.document_id}")
    print(f"[{item.id}] KKR {item.kkr} {item.year}, punkt {item.text.case}: "
          f"{item.text.title} ({state})")
    for sid in item.secretariat_ids:
        print(f"    {catalog.secretariat(store, sid).name}")
    if full:
        print(f"Sagsfremstilling:\n{item.text.sagsfremstilling or '(ingen)'}")
        print(f"Indstilling:\n{item.text.indstilling or '(ingen)'}")


def cmd_approve(args: argparse.Namespace) -> int:
    from kkr_desktop.commands.approval import parse_date
    from kkr_desktop.core.approval import ApprovalFacts, parse_signatory
    from kkr_desktop.services import agenda
    from kkr_desktop.services.approval import DateNeedsConfirmation

    facts = ApprovalFacts(args.body.strip(), parse_date(args.date), (args.case or "").strip(),
                          tuple(parse_signatory(s) for s in args.signatory))
    store = open_store_for(args)
    try:
        result = agenda.approve_item(store, args.id, facts, force=args.force)
    except DateNeedsConfirmation as exc:
        raise InputError(f"{exc.message}\nEr datoen rigtig, så gentag kommandoen med "
                         "--force. Intet er godkendt.") from None
    for name, r in result.statements:
        for w in r.warnings:
            print(f"Advarsel ({name}): {w.message}", file=sys.stderr)
        for notice in r.notices:
            print(f"{name}: {notice}", file=sys.stderr)
    for name, r in result.statements:
        print(f"Godkendt: {name}, regnskab {r.approval.year - 1} og budget {r.approval.year}, "
              f"revision {r.approval.revision}. Dokument-id {r.approval.document_id}.")
    print(f"Dagsordenspunkt {result.approval.case} er godkendt af {result.approval.body}. "
          f"Dokument-id {result.approval.document_id}.")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from kkr_desktop.services import agenda

    store = open_store_for(args, tampering_said_later=True)
    path = agenda.save_agenda_report(store, args.id, args.output)
    act = agenda.item_approval(store, args.id)
    state = f"godkendt, dokument-id {act.document_id}" if act else "kladde, ikke godkendt"
    print(f"Skrevet: {path} ({state})")
    return 0
