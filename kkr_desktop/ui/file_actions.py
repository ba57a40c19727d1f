"""Filer → Indlæs opgørelse (CSV or .xlsx, read in the background) and Eksportér opgørelse /
fordeling (CSV or Excel)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.core.errors import KkrError, KkrNeeded
from kkr_desktop.services import catalog
from kkr_desktop.services.report import safe_file_name
from kkr_desktop.services.spreadsheets import save_statement_file
from kkr_desktop.services.statements import ImportResult, import_statement
from kkr_desktop.ui import errors
from kkr_desktop.ui.worker import Background

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store


def import_statement_file(parent: QWidget, store: Store, path: Path | None,
                          done: Callable[[ImportResult], None], *, kkr: str | None = None,
                          started: Callable[[Background], None] | None = None
                          ) -> Background | None:
    """Ask for a file (unless given) and import it; all or nothing, errors are shown. When
    the file brings a new secretariat and its KKR is not known, the user is asked which KKR
    and the import runs again; `started` is told of each import that runs."""
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(
            parent, "Indlæs opgørelse (udvekslingsformat)", "",
            "Opgørelser (*.csv *.xlsx);;CSV-filer (*.csv);;Excel-filer (*.xlsx);;Alle filer (*)")
        if not chosen:
            return None
        path = Path(chosen)
    file = path

    def failed(exc: BaseException) -> None:
        if isinstance(exc, KkrNeeded) and kkr is None:
            answer = ask_kkr(parent, store, exc.secretariats)
            if answer is not None:
                import_statement_file(parent, store, file, done, kkr=answer, started=started)
            return
        errors.show_error(parent, exc)

    job = Background(parent, f"Indlæser {file.name} …",
                     lambda: import_statement(store, file, kkr=kkr), done, failed)
    if started is not None:
        started(job)
    return job


def ask_kkr(parent: QWidget, store: Store, new: list[str]) -> str | None:
    """Which KKR new secretariats belong to; None if the user cancels."""
    names = [f"KKR {name}" for name in catalog.kkr_names(store)]
    which = ", ".join(f"«{n}»" for n in new)
    answer, ok = QInputDialog.getItem(
        parent, "Nyt sekretariat",
        f"{which} findes ikke i databasen og bliver oprettet.\n"
        "Hvilket KKR hører det under? KKR'ets kommuner bliver medlemmer; det kan rettes "
        "under Indstillinger.", names, 0, False)
    return answer if ok and answer else None


def describe(result: ImportResult) -> str:
    years = ", ".join(f"{s} {y}" for s, y in result.years)
    created = f" Oprettet: {'; '.join(result.created_text)}." if result.created else ""
    return f"Indlæst {result.lines} poster ({years}).{created}"


def export_statement_file(parent: QWidget, store: Store, secretariat_id: int, year: int
                          ) -> Path | None:
    """Ask for a file name and write statement N as interchange CSV or as Excel."""
    sec = catalog.secretariat(store, secretariat_id)
    chosen, chosen_filter = QFileDialog.getSaveFileName(
        parent, "Eksportér opgørelse", safe_file_name(f"{sec.name} {year}", ".xlsx"),
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
        safe_file_name(f"{kind.label} {year} – {sec.name}", ".xlsx"),
        "Excel-projektmappe (*.xlsx)")
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
