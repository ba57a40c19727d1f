"""Filer → Indlæs opgørelse: a statement interchange CSV, read in the background."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from kkr_desktop.services.statements import ImportResult, import_statement
from kkr_desktop.ui import errors
from kkr_desktop.ui.worker import Background

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store


def import_statement_file(parent: QWidget, store: Store, path: Path | None,
                          done: Callable[[ImportResult], None]) -> Background | None:
    """Ask for a file (unless given) and import it; all or nothing, errors are shown."""
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(
            parent, "Indlæs opgørelse (udvekslingsformat)", "",
            "CSV-filer (*.csv);;Alle filer (*)")
        if not chosen:
            return None
        path = Path(chosen)
    return Background(parent, f"Indlæser {path.name} …",
                      lambda: import_statement(store, path), done,
                      lambda exc: errors.show_error(parent, exc))


def describe(result: ImportResult) -> str:
    years = ", ".join(f"{s} {y}" for s, y in result.years)
    created = f" Oprettet: {', '.join(result.created)}." if result.created else ""
    return f"Indlæst {result.lines} poster ({years}).{created}"
