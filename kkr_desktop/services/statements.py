"""Statements: load with totals and warnings, import, export, edit."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from kkr_desktop.core.errors import (
    FileFormatError,
    InputError,
    KkrNeeded,
    NotFoundError,
    Problem,
)
from kkr_desktop.core.statement import (
    Statement,
    Warning,
    YearLine,
    build_statement,
    check_statement,
)
from kkr_desktop.formats.interchange import (
    StatementFile,
    read_statement_csv,
    statement_rows,
    write_statement_csv,
)
from kkr_desktop.services import locks
from kkr_desktop.store import rates, reference, secretariats
from kkr_desktop.store import statements as lines_store
from kkr_desktop.store.db import Store
from kkr_desktop.store.secretariats import Secretariat


@dataclass(frozen=True)
class StatementView:
    secretariat: Secretariat
    statement: Statement
    warnings: list[Warning]


def load_statement(store: Store, secretariat: Secretariat, year: int) -> StatementView:
    prev = lines_store.year_lines(store, secretariat.id, year - 1)
    cur = lines_store.year_lines(store, secretariat.id, year)
    if not prev and not cur:
        raise NotFoundError(f"{secretariat.name} har ingen poster for {year - 1} eller {year}.")
    st = build_statement(secretariat.name, year, prev, cur, unit_ore=secretariat.unit_ore)
    rate = rates.get(store, year)
    warnings = check_statement(st, expected_rate=rate.expected if rate else None)
    return StatementView(secretariat, st, warnings)


def statement_years(store: Store, secretariat: Secretariat) -> list[int]:
    """The years N that have lines: each is the budget year of a statement N."""
    return lines_store.years(store, secretariat.id)


@dataclass(frozen=True)
class ImportResult:
    secretariats: list[str]
    created: list[str]
    years: list[tuple[str, int]]
    lines: int


def import_statement(store: Store, path: Path | str, *,
                     kkr: str | None = None) -> ImportResult:
    """Import an interchange CSV: every (secretariat, year) in it replaces what was stored,
    all in one transaction. A secretariat that does not exist is created in `kkr` (see
    `kkr_for_new`) and every kommune of that KKR becomes a member."""
    data = read_statement_file(path)
    return import_statement_data(store, data, kkr=kkr, source=Path(path).name)


def read_statement_file(path: Path | str) -> StatementFile:
    """The interchange layout as CSV, or as an Excel workbook (.xlsx) with the same header."""
    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        from kkr_desktop.formats.xlsx import read_statement_xlsx

        return read_statement_xlsx(path)
    return read_statement_csv(path)


def kkr_for_new(store: Store, new: list[str], kkr: str | None) -> tuple[int, str] | None:
    """The KKR (id, name) for new secretariats: the one given; else the one every secretariat
    in the database belongs to (a database is kept by one KKR's secretariat); else a
    KkrNeeded error, rather than a guess. None when nothing is to be created."""
    if kkr:
        return reference.find_kkr(store, kkr)
    if not new:
        return None
    used = {(s.kkr_id, s.kkr) for s in secretariats.all_secretariats(store)}
    if len(used) == 1:
        return used.pop()
    names = ", ".join(f"«{n}»" for n in new)
    choices = ", ".join(f"KKR {name}" for name in reference.kkr_names(store))
    raise KkrNeeded(f"Sekretariatet {names} findes ikke i databasen og oprettes ved "
                    f"indlæsningen. Vælg hvilket KKR det hører under ({choices}); på "
                    f"kommandolinjen med --kkr.", new)


def import_statement_data(store: Store, data: StatementFile, *, kkr: str | None = None,
                          source: str = "") -> ImportResult:
    if not data.years:
        raise FileFormatError([Problem("Filen har ingen poster.", source=source)],
                              source=source)
    new = [n for n in data.secretariats if secretariats.find_by_name(store, n) is None]
    target = kkr_for_new(store, new, kkr)
    created: list[str] = []
    with store.transaction():
        ids: dict[str, int] = {}
        for name in data.secretariats:
            sec = secretariats.find_by_name(store, name)
            if sec is None:
                assert target is not None
                kkr_id, kkr_name = target
                sid = secretariats.create(store, name, kkr_id)
                created.append(name)
            else:
                sid = sec.id
            ids[name] = sid
            if not secretariats.has_members(store, sid):
                first = min(y for s, y in data.years if s == name)
                home = secretariats.get(store, sid).kkr
                for k in reference.kommuner(store):
                    if k.kkr == home:
                        secretariats.add_member(store, sid, k.code, first - 1)
        for (name, year), year_lines in data.years.items():
            check_editable(store, ids[name], year)
            with locks.guard(store, ids[name], year):
                lines_store.replace_year(store, ids[name], year, year_lines)
    return ImportResult(data.secretariats, created, list(data.years),
                        sum(len(v) for v in data.years.values()))


def check_editable(store: Store, secretariat_id: int, year: int,
                   field: str | None = None) -> None:
    """Raise LockedError if the lines of this year (or this field) are frozen by an approval."""
    locks.ensure_year_editable(store, secretariat_id, year)
    if field is not None:
        locks.ensure_field_editable(store, secretariat_id, year, field)


def export_statement(store: Store, secretariat: Secretariat, year: int) -> str:
    """The statement of year N (lines of N−1 and N) as interchange CSV text."""
    years = {y: lines_store.year_lines(store, secretariat.id, y) for y in (year - 1, year)}
    years = {y: ls for y, ls in years.items() if ls}
    if not years:
        raise NotFoundError(f"{secretariat.name} har ingen poster for {year - 1} eller {year}.")
    buf = io.StringIO()
    write_statement_csv(buf, secretariat.name, years)
    return buf.getvalue()


def save_statement_file(store: Store, secretariat: Secretariat, year: int,
                        path: Path | str) -> Path:
    """Write statement N to a file: the Excel workbook for .xlsx, otherwise the interchange
    CSV (UTF-8 with BOM, so Excel reads æøå). Written whole or not at all."""
    target = Path(path)
    if target.suffix.lower() == ".xlsx":
        from kkr_desktop.services.spreadsheets import export_statement_xlsx

        return export_statement_xlsx(store, secretariat, year, target)
    from kkr_desktop.formats import atomic

    text = export_statement(store, secretariat, year)
    atomic.write_file(target, ("\ufeff" + text).encode("utf-8"))
    return target


def export_rows(store: Store, secretariat: Secretariat, year: int) -> list[list[str]]:
    years = {y: lines_store.year_lines(store, secretariat.id, y) for y in (year - 1, year)}
    return statement_rows(secretariat.name, {y: ls for y, ls in years.items() if ls})


# --- editing (the GUI's cells; the same functions back undo and redo) -------------------

def set_line_field(store: Store, secretariat_id: int, year: int, name: str, field: str,
                   value) -> None:
    check_editable(store, secretariat_id, year, field)
    with locks.guard(store, secretariat_id, year):
        lines_store.update_line(store, secretariat_id, year, name, **{field: value})


def add_line(store: Store, secretariat_id: int, year: int, line: YearLine,
             position: int | None = None) -> None:
    check_editable(store, secretariat_id, year)
    with locks.guard(store, secretariat_id, year):
        lines_store.insert_line(store, secretariat_id, year, line, position)


def remove_line(store: Store, secretariat_id: int, year: int, name: str) -> YearLine:
    check_editable(store, secretariat_id, year)
    with locks.guard(store, secretariat_id, year):
        return lines_store.delete_line(store, secretariat_id, year, name)


def move_line(store: Store, secretariat_id: int, year: int, name: str, position: int) -> None:
    check_editable(store, secretariat_id, year)
    with locks.guard(store, secretariat_id, year):
        lines_store.move_line(store, secretariat_id, year, name, position)


def new_name(existing: list[str], base: str = "Ny post") -> str:
    if base not in existing:
        return base
    n = 2
    while f"{base} {n}" in existing:
        n += 1
    return f"{base} {n}"


def require_lines(store: Store, secretariat: Secretariat, year: int) -> list[YearLine]:
    ls = lines_store.year_lines(store, secretariat.id, year)
    if not ls:
        raise InputError(f"{secretariat.name} har ingen poster for {year}.")
    return ls
