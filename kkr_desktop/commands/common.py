"""What every CLI command shares: the parser class, opening the store, finding things."""

from __future__ import annotations

import argparse
import sys

from kkr_desktop.core.errors import InputError


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is bad input (exit 2) in Danish words."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise InputError(f"Ugyldig kommando: {message}")


def open_store_for(args: argparse.Namespace):
    from kkr_desktop.services.setup import open_for_use

    return open_for_use(args.db, demo=args.demo)


def find_secretariat(store, name: str):
    from kkr_desktop.services.catalog import find_secretariat as find

    return find(store, name)
