"""What every CLI command shares: the parser class, opening the store, finding things."""

from __future__ import annotations

import argparse
import re
import sys

from kkr_desktop.core.errors import InputError
from kkr_desktop.core.money import quoted

# argparse asks gettext for a translation of each of its strings, and gettext searches the
# locale folders anew for every string it finds none for (Python ships none for argparse):
# some 150 searches, 10 ms of every command's start. The Danish comes from this module.
argparse._ = str  # type: ignore[attr-defined]
argparse.ngettext = lambda singular, plural, n: singular if n == 1 else plural  # type: ignore

# argparse's own messages, in Danish (the pattern is matched against argparse's English).
_DANISH_ERRORS = (
    (re.compile(r"the following arguments are required: (.+)"), r"disse skal angives: \1"),
    (re.compile(r"argument (\S+): invalid choice: '([^']*)' \(choose from (.+)\)"),
     r"\1: «\2» er ikke et af valgene (vælg mellem \3)"),
    (re.compile(r"argument (\S+): invalid (int|float) value: '([^']*)'"),
     lambda m: f"{m[1]}: {quoted(m[3])} er ikke et tal"),  # not 5,000 digits echoed back
    (re.compile(r"argument (\S+): expected one argument"), r"\1: mangler en værdi"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"),
     r"\1 kan ikke bruges sammen med \2"),
    (re.compile(r"unrecognized arguments: (.+)"), r"ukendte argumenter: \1"),
    (re.compile(r"argument (\S+): ignored explicit argument '([^']*)'"),
     r"\1 tager ingen værdi («\2»)"),
)


def danish_error(message: str) -> str:
    for pattern, replacement in _DANISH_ERRORS:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # noqa: ANN001
        # argparse passes "" on purpose for a subcommand's program name: keep it.
        super().add_usage(usage, actions, groups, "Brug: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse, but in Danish: usage, help headings and usage errors, which are bad input
    (exit 2)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenter"
        self._optionals.title = "tilvalg"
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = "vis denne hjælp og afslut"

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise InputError(f"Ugyldig kommando: {danish_error(message)}")


def open_store_for(args: argparse.Namespace, *, tampering_said_later: bool = False):
    """Open the database of a command, and say on stderr what opening found: a repaired
    guard, approvals changed outside the program, a failed backup. Said before the command's
    own output, whatever the command (a finding is never silent); `tampering_said_later`:
    the command reports changed approvals itself, as its error."""
    from kkr_desktop.services.setup import open_for_use
    from kkr_desktop.services.verify import REPAIRED, TAMPERED

    store = open_for_use(args.db, demo=args.demo)
    for notice in store.notices:
        changed = TAMPERED in notice and not notice.startswith(REPAIRED)
        if not (tampering_said_later and changed):
            print(notice, file=sys.stderr)
    store.notices.clear()
    return store


def demo_hint(store) -> str:
    """When the default database is empty but the demo's is there (made by `init --demo`),
    the user most likely meant the demo: say how to reach it. Empty otherwise."""
    from kkr_desktop.services.setup import demo_instead

    demo = demo_instead(store)
    if demo is None:
        return ""
    return (f" Demodatabasen findes ({demo}): skriv --demo før kommandoen for at bruge den, fx "
            "«python -m kkr_desktop --demo secretariat list».")


def find_secretariat(store, name: str):
    from kkr_desktop.core.errors import NotFoundError
    from kkr_desktop.services.catalog import find_secretariat as find

    try:
        return find(store, name)
    except NotFoundError as exc:
        hint = demo_hint(store)
        if not hint:
            raise
        raise NotFoundError(exc.message + hint) from exc
