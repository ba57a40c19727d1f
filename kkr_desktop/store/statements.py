"""Statement lines per secretariat and year."""

from __future__ import annotations

from kkr_desktop.core.errors import InputError, NotFoundError
from kkr_desktop.core.statement import Kind, Role, YearLine
from kkr_desktop.store.db import Store

_FIELDS = ("name", "kind", "role", "budget", "actual", "budget_note", "actual_note")


def _to_line(r) -> YearLine:
    return YearLine(r["name"], Kind(r["kind"]), Role(r["role"]), r["budget"], r["actual"],
                    r["budget_note"], r["actual_note"])


def year_lines(store: Store, secretariat_id: int, year: int) -> list[YearLine]:
    return [_to_line(r) for r in store.rows(
        "SELECT * FROM statement_line WHERE secretariat_id = ? AND year = ? "
        "ORDER BY position, id", (secretariat_id, year))]


def years(store: Store, secretariat_id: int) -> list[int]:
    return [r[0] for r in store.rows(
        "SELECT DISTINCT year FROM statement_line WHERE secretariat_id = ? ORDER BY year",
        (secretariat_id,))]


def _values(line: YearLine) -> dict:
    return {"name": line.name, "kind": line.kind.value, "role": line.role.value,
            "budget": line.budget, "actual": line.actual, "budget_note": line.budget_note,
            "actual_note": line.actual_note}


def replace_year(store: Store, secretariat_id: int, year: int, lines: list[YearLine]) -> None:
    """Make the lines of one year exactly `lines`, auditing what changed, line by line."""
    names = [ln.name for ln in lines]
    if len(set(names)) != len(names):
        raise InputError(f"År {year} har den samme post to gange.")
    with store.transaction():
        old = {r["name"]: r for r in store.rows(
            "SELECT * FROM statement_line WHERE secretariat_id = ? AND year = ?",
            (secretariat_id, year))}
        for gone in set(old) - set(names):
            store.delete("statement_line", {"id": old[gone]["id"]},
                         secretariat_id=secretariat_id, year=year)
        for position, line in enumerate(lines, start=1):
            values = {**_values(line), "position": position}
            if line.name in old:
                store.update("statement_line", {"id": old[line.name]["id"]}, values,
                             secretariat_id=secretariat_id, year=year)
            else:
                store.insert("statement_line", {"secretariat_id": secretariat_id,
                                                "year": year, **values},
                             secretariat_id=secretariat_id, year=year)


def find_line_id(store: Store, secretariat_id: int, year: int, name: str) -> int | None:
    """The id of the post `name` in `year` (the audit log's key of its row), or None."""
    return store.scalar("SELECT id FROM statement_line WHERE secretariat_id = ? AND year = ? "
                        "AND name = ?", (secretariat_id, year, name))


def _line_id(store: Store, secretariat_id: int, year: int, name: str) -> int:
    row = store.one("SELECT id FROM statement_line WHERE secretariat_id = ? AND year = ? "
                    "AND name = ?", (secretariat_id, year, name))
    if row is None:
        raise NotFoundError(f"Posten «{name}» findes ikke i {year}.")
    return int(row[0])


def update_line(store: Store, secretariat_id: int, year: int, name: str, /,
                **values) -> None:
    """Change fields of one line (name, kind, role, budget, actual, notes)."""
    unknown = set(values) - set(_FIELDS)
    if unknown:
        raise ValueError(f"unknown statement fields {unknown}")
    if "name" in values:
        new = values["name"].strip()
        if not new:
            raise InputError("En post skal have et navn.")
        if new != name and store.one(
                "SELECT 1 FROM statement_line WHERE secretariat_id = ? AND year = ? AND name = ?",
                (secretariat_id, year, new)):
            raise InputError(f"Posten «{new}» findes allerede i {year}.")
        values["name"] = new
    with store.transaction():
        store.update("statement_line", {"id": _line_id(store, secretariat_id, year, name)},
                     values, secretariat_id=secretariat_id, year=year)


def insert_line(store: Store, secretariat_id: int, year: int, line: YearLine,
                position: int | None = None) -> None:
    """Insert a line at a 0-based position among the year's lines (default: last)."""
    with store.transaction():  # read and rewrite the year with no other writer between
        current = year_lines(store, secretariat_id, year)
        if any(ln.name == line.name for ln in current):
            raise InputError(f"Posten «{line.name}» findes allerede i {year}.")
        pos = len(current) if position is None else max(0, min(position, len(current)))
        current.insert(pos, line)
        replace_year(store, secretariat_id, year, current)


def delete_line(store: Store, secretariat_id: int, year: int, name: str) -> YearLine:
    with store.transaction():
        current = year_lines(store, secretariat_id, year)
        gone = next((ln for ln in current if ln.name == name), None)
        if gone is None:
            raise NotFoundError(f"Posten «{name}» findes ikke i {year}.")
        replace_year(store, secretariat_id, year, [ln for ln in current if ln.name != name])
    return gone


def move_line(store: Store, secretariat_id: int, year: int, name: str, position: int) -> None:
    with store.transaction():
        current = year_lines(store, secretariat_id, year)
        line = next((ln for ln in current if ln.name == name), None)
        if line is None:
            raise NotFoundError(f"Posten «{name}» findes ikke i {year}.")
        current.remove(line)
        current.insert(max(0, min(position, len(current))), line)
        replace_year(store, secretariat_id, year, current)
