"""Files out: the statement of year N as CSV or .xlsx, and a stored allocation as .xlsx."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.core.errors import InputError
from kkr_desktop.formats import atomic
from kkr_desktop.formats.xlsx import allocation_workbook, statement_workbook
from kkr_desktop.services import outputs
from kkr_desktop.services.export import log_then_place, stored_allocation
from kkr_desktop.services.statements import export_statement, load_statement
from kkr_desktop.store import erp
from kkr_desktop.store import statements as lines_store
from kkr_desktop.store.db import Store
from kkr_desktop.store.erp import ExportFile
from kkr_desktop.store.secretariats import Secretariat


def _target(path: Path | str) -> Path:
    p = Path(path)
    if p.suffix.lower() != ".xlsx":
        raise InputError(f"«{p.name}» skal have endelsen .xlsx.")
    if p.is_dir():
        raise InputError(f"{p} er en mappe; angiv et filnavn, fx opgørelse.xlsx.")
    return p


def export_statement_xlsx(store: Store, secretariat: Secretariat, year: int,
                          path: Path | str) -> Path:
    """The statement of year N; its sheet «Poster» can be imported again."""
    target = _target(path)
    st = load_statement(store, secretariat, year).statement
    years = {y: lines_store.year_lines(store, secretariat.id, y) for y in (year - 1, year)}
    atomic.write_file(target, statement_workbook(st, {y: ls for y, ls in years.items() if ls}),
                      protected=outputs.protected(store))
    return target


def export_allocation_xlsx(store: Store, secretariat: Secretariat, year: int,
                           kind: AllocationKind, path: Path | str) -> Path:
    """The stored allocation of this kind and year, recorded in the export log."""
    target = _target(path)
    stored = stored_allocation(store, secretariat, year, kind)
    data = allocation_workbook(secretariat.name, year, stored.allocation)
    staging = atomic.stage({target: data}, protected=outputs.protected(store))
    log_then_place(store, staging, lambda: erp.log_export(
        store, secretariat_id=secretariat.id, year=year, kind=kind.value,
        allocation_id=stored.id, what="xlsx", profile="", total=stored.allocation.total,
        rows=len(stored.allocation.rows),
        files=[ExportFile(str(target.resolve()), hashlib.sha256(data).hexdigest(),
                          stored.allocation.total)]))
    return target


def save_statement_file(store: Store, secretariat: Secretariat, year: int,
                        path: Path | str) -> Path:
    """Write statement N to a file: the Excel workbook for .xlsx, otherwise the interchange
    CSV (UTF-8 with BOM, so Excel reads æøå). Written whole or not at all."""
    target = Path(path)
    if target.suffix.lower() == ".xlsx":
        return export_statement_xlsx(store, secretariat, year, target)
    text = export_statement(store, secretariat, year)
    atomic.write_file(target, ("\ufeff" + text).encode("utf-8"),
                      protected=outputs.protected(store))
    return target
