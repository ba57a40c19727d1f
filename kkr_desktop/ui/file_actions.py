"""Filer → Indlæs opgørelse (CSV or .xlsx, read in the background) and Eksportér opgørelse /
fordeling (CSV or Excel)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.core.errors import KkrError
from kkr_desktop.services import catalog
from kkr_desktop.services.statements import ImportResult, import_statement, save_statement_file
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
            "Opgørelser (*.csv *.xlsx);;CSV-filer (*.csv);;Excel-filer (*.xlsx);;Alle filer (*)")
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


def export_statement_file(parent: QWidget, store: Store, secretariat_id: int, year: int
                          ) -> Path | None:
    """Ask for a file name and write statement N as interchange CSV or as Excel."""
    sec = catalog.secretariat(store, secretariat_id)
    chosen, chosen_filter = QFileDialog.getSaveFileName(
        parent, "Eksportér opgørelse", f"{sec.name} {year}.xlsx",
        "Excel-projektmappe (*.xlsx);;Udvekslingsformat, CSV (*.csv)")
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_suffix(".csv" if "csv" in chosen_filter else ".xlsx")
    try:
        return save_statement_file(store, sec, year, path)
    except (KkrError, OSError) as exc:
        errors.show_error(parent, exc)
        return None


def export_allocation_file(parent: QWidget, store: Store, secretariat_id: int, year: int,
                           kind: AllocationKind) -> Path | None:
    """The stored allocation of `kind` as an Excel workbook (recorded in the export log)."""
    from kkr_desktop.services.spreadsheets import export_allocation_xlsx

    sec = catalog.secretariat(store, secretariat_id)
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Eksportér fordeling til Excel",
        f"{kind.label} {year} – {sec.name}.xlsx", "Excel-projektmappe (*.xlsx)")
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    try:
        return export_allocation_xlsx(store, sec, year, kind, path)
    except (KkrError, OSError) as exc:
        errors.show_error(parent, exc)
        return None
