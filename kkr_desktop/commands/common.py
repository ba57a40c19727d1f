"""What every CLI command shares: the parser class, opening the store, finding things."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

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


def write_atomically(path: Path, text: str, *, encoding: str) -> None:
    """Write to a temporary file beside the target and rename: never a half-written file."""
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
