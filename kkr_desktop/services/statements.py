"""Statements: load with totals and warnings, import, export, edit."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from kkr_desktop.core.allocation import Unit
from kkr_desktop.core.errors import (
    FileFormatError,
    InputError,
    KkrNeeded,
    LockedError,
    NotFoundError,
    Problem,
)
from kkr_desktop.core.indexation import PLRate
from kkr_desktop.core.pl_notes import check_pl_notes, rate_year, suggest_note, suggestions
from kkr_desktop.core.statement import (
    Column,
    Role,
    Statement,
    Warning,
    YearLine,
    build_statement,
    check_statement,
)
from kkr_desktop.formats import interchange
from kkr_desktop.formats.interchange import (
    StatementFile,
    read_statement_csv,
    statement_rows,
    write_statement_csv,
)
from kkr_desktop.services import concurrency, locks
from kkr_desktop.services.concurrency import FieldWrite
from kkr_desktop.store import rates, reference, result_notes, secretariats
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
    st = build_statement(secretariat.name, year, prev, cur, unit_ore=secretariat.unit_ore,
                         billing_unit_ore=secretariat.billing_unit_ore,
                         result_notes=result_notes.statement_notes(store, secretariat.id, year))
    rate, prev_rate = rates.get(store, year), rates.get(store, year - 1)
    warnings = check_statement(st, expected_rate=rate.expected if rate else None,
                               prev_rate=prev_rate,
                               charged_before=_charged(store, secretariat.id, year - 2))
    warnings += check_pl_notes(st, _rates_of(rate, prev_rate))
    return StatementView(secretariat, st, warnings)


def _rates_of(*found: PLRate | None) -> dict[int, PLRate]:
    return {r.year: r for r in found if r is not None}


def suggested_notes(store: Store, secretariat: Secretariat, year: int
                    ) -> list[tuple[str, Column, str]]:
    """The PL footnotes generated from the rates on file for statement `year`'s contribution
    amounts, (line, column, text), where the note is not already that text."""
    view = load_statement(store, secretariat, year)
    return suggestions(view.statement,
                       _rates_of(rates.get(store, year), rates.get(store, year - 1)),
                       view.warnings)


def suggested_note(store: Store, secretariat: Secretariat, year: int, line: str,
                   column: Column) -> str | None:
    """The PL footnote the rates on file give for `line`'s amount in `column` of statement
    `year` (whatever its note says now), or None: not a contribution line, or the rate
    needed is not on file. What the note editor's «Foreslå fodnote» fills in."""
    view = load_statement(store, secretariat, year)
    found = next((ln for ln in view.statement.lines if ln.name == line), None)
    if found is None or found.role is not Role.CONTRIBUTION:
        return None
    missing = next((w.amount for w in view.warnings
                    if w.code == "actual_contribution_not_final"), 0)
    rate = rates.get(store, rate_year(column, year))
    return suggest_note(column, year, rate, missing if column is Column.ACTUAL_PREV else 0)


def _charged(store: Store, secretariat_id: int, year: int) -> int | None:
    """Regnskab `year`'s contribution, when every contribution line of it is known."""
    actuals = [ln.actual for ln in lines_store.year_lines(store, secretariat_id, year)
               if ln.role is Role.CONTRIBUTION]
    if not actuals or any(a is None for a in actuals):
        return None
    return sum(a for a in actuals if a is not None)


def statement_years(store: Store, secretariat: Secretariat) -> list[int]:
    """The years N that have lines: each is the budget year of a statement N."""
    return lines_store.years(store, secretariat.id)


@dataclass(frozen=True)
class ImportResult:
    secretariats: list[str]
    created: list[str]
    years: list[tuple[str, int]]
    lines: int
    # Each created secretariat with its KKR and members: the KKR may have been taken from
    # the database's other secretariats, so it is said, to be corrected if wrong.
    created_text: list[str] = field(default_factory=list)
    # Rounding units the import changed, said to the user.
    units_text: list[str] = field(default_factory=list)


def import_statement(store: Store, path: Path | str, *,
                     kkr: str | None = None) -> ImportResult:
    """Import an interchange CSV: every (secretariat, year) in it replaces what was stored,
    all in one transaction. A secretariat that does not exist is created in `kkr` (see
    `kkr_for_new`) and every kommune of that KKR becomes a member."""
    data = read_statement_file(path)
    return import_statement_data(store, data, kkr=kkr, source=Path(path).name)


def is_statement_file(path: Path | str) -> bool:
    """Whether a file dropped on the window is a statement (else it is read as population)."""
    return interchange.is_statement_file(path)


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
    units_text: list[str] = []
    with store.transaction():
        ids: dict[str, int] = {}
        for name in data.secretariats:
            sec = secretariats.find_by_name(store, name)
            carries_ore = _contribution_carries_ore(data, name)
            if sec is None:
                assert target is not None
                kkr_id, kkr_name = target
                sid = secretariats.create(store, name, kkr_id,
                                          unit=Unit.ORE if carries_ore else Unit.KR)
                created.append(name)
            else:
                sid = sec.id
                if carries_ore and sec.unit is not Unit.ORE:
                    # A budget in øre cannot be checked against whole kroner: every
                    # correctly indexed amount would differ by its øre.
                    secretariats.update(store, sid, unit=Unit.ORE.value)
                    units_text.append(f"{name}: bidraget i budgettet er angivet i øre, så "
                                      "budgettets afrundingsenhed er nu øre (før hele kroner).")
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
    created_text = []
    for name in created:
        sec = secretariats.get(store, ids[name])
        count = len(secretariats.members(store, sec.id))
        created_text.append(f"{name} (KKR {sec.kkr}, {count} medlemskommuner; ret under "
                            "Indstillinger, hvis det er forkert)")
    return ImportResult(data.secretariats, created, list(data.years),
                        sum(len(v) for v in data.years.values()), created_text, units_text)


def _contribution_carries_ore(data: StatementFile, name: str) -> bool:
    """Whether a budgeted contribution of this secretariat in the file has øre (then the
    budget is rounded to øre, not to whole kroner). Regnskab amounts say nothing about the
    budget's unit: a budget in kroner is billed in øre."""
    return any(ln.budget is not None and ln.budget % 100 != 0
               for (sec, _), lines in data.years.items() if sec == name
               for ln in lines if ln.role is Role.CONTRIBUTION)


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


def export_rows(store: Store, secretariat: Secretariat, year: int) -> list[list[str]]:
    years = {y: lines_store.year_lines(store, secretariat.id, y) for y in (year - 1, year)}
    return statement_rows(secretariat.name, {y: ls for y, ls in years.items() if ls})


# --- editing (the GUI's cells; the same functions back undo and redo) -------------------

def set_line_field(store: Store, secretariat_id: int, year: int, name: str, field: str,
                   value, *, seen: int | None = None) -> None:
    """Set one field of a post. `seen`: the newest audit id when the view read the
    statement; the save is refused (ConflictError) when someone changed the post or
    approved the statement since (services/concurrency). None: no such check."""
    if seen is not None:
        set_line_fields(store, secretariat_id, [FieldWrite(year, name, field, value)],
                        seen=seen)
        return
    check_editable(store, secretariat_id, year, field)
    with locks.guard(store, secretariat_id, year):
        lines_store.update_line(store, secretariat_id, year, name, **{field: value})


def set_line_fields(store: Store, secretariat_id: int, writes: list[FieldWrite], *,
                    seen: int | None = None) -> None:
    """Set fields of posts in one transaction, in order (a rename changes the name later
    writes use): all of them, or none when one is refused. Every post is checked against
    `seen` first, before anything is written, so that a write of this very save is never
    taken for someone else's."""
    with store.transaction():
        concurrency.check_lines(store, seen, secretariat_id, writes)
        for w in writes:
            set_line_field(store, secretariat_id, w.year, w.name, w.field, w.value)


def add_line(store: Store, secretariat_id: int, year: int, line: YearLine,
             position: int | None = None) -> None:
    check_editable(store, secretariat_id, year)
    with locks.guard(store, secretariat_id, year):
        lines_store.insert_line(store, secretariat_id, year, line, position)


def remove_line(store: Store, secretariat_id: int, year: int, name: str, *,
                seen: int | None = None) -> YearLine:
    """Remove the post `name` from `year`. `seen`: the window's view; a post someone else
    changed since is not removed (ConflictError): the removal would hide their change."""
    check_editable(store, secretariat_id, year)
    with store.transaction(), locks.guard(store, secretariat_id, year):
        concurrency.check_lines(store, seen, secretariat_id,
                                [FieldWrite(year, name, "name", None)],
                                attempted=[f"sletning af «{name}» i {year}"])
        return lines_store.delete_line(store, secretariat_id, year, name)


def move_line(store: Store, secretariat_id: int, year: int, name: str, position: int) -> None:
    check_editable(store, secretariat_id, year)
    with locks.guard(store, secretariat_id, year):
        lines_store.move_line(store, secretariat_id, year, name, position)


@dataclass(frozen=True)
class AmountWrite:
    """One amount of a paste: `field` (budget or actual) of the post `line.name` in `year`.
    When the year lacks the post, it is added there at `position` with the post's kind and
    role (as typing into such a cell does)."""

    year: int
    line: YearLine
    field: str
    value: int | None
    position: int | None = None


def write_amounts(store: Store, secretariat_id: int, writes: list[AmountWrite], *,
                  remove: list[tuple[int, str]] | tuple = (), seen: int | None = None
                  ) -> None:
    """Write a block of amounts (a paste) in one transaction: all of them or, if one is
    refused (a year frozen meanwhile, a post changed by someone else since `seen`), none.
    `remove` takes posts out of years first: the undo of a paste that added a post to a
    year."""
    with store.transaction():
        concurrency.check_lines(store, seen, secretariat_id, [
            FieldWrite(w.year, w.line.name, w.field, w.value) for w in writes])
        for year, name in remove:
            remove_line(store, secretariat_id, year, name)
        present: dict[int, set[str]] = {}
        for w in writes:
            if w.field not in ("budget", "actual"):
                raise ValueError(f"not an amount field: {w.field}")
            names = present.setdefault(
                w.year, {ln.name for ln in lines_store.year_lines(store, secretariat_id,
                                                                   w.year)})
            if w.line.name in names:
                set_line_field(store, secretariat_id, w.year, w.line.name, w.field, w.value)
            else:
                line = YearLine(w.line.name, w.line.kind, w.line.role, **{w.field: w.value})
                add_line(store, secretariat_id, w.year, line, w.position)
                names.add(w.line.name)


# --- which years a change of a post touches (statement N shows years N−1 and N) ---------
# An approved budget fixes its posts: a post in that year keeps its name, kind, role and
# position, and is removed only if it has no budget (the database's rule, 0002_approval).
# A change of the whole post is therefore made in the years that are open and left out of
# the fixed ones, so that budget N can be edited while budget N−1 stays as approved.

YearLines = dict[int, list[YearLine]]
YearLocks = dict[int, locks.YearLock]


@dataclass(frozen=True)
class LineChange:
    """A change of the post `name`: the steps per year, and the years that keep the post as
    it was, each with the reason (a Danish clause)."""

    name: str
    steps: tuple[tuple, ...]  # removal: (year, line, position); move: (year, old, new)
    kept: tuple[tuple[int, str], ...] = ()

    @property
    def years(self) -> list[int]:
        return [step[0] for step in self.steps]

    def kept_text(self, verb: str) -> str:
        """"I 2024 står posten uændret, fordi …" when a year was left out, else ""."""
        return " ".join(f"I {y} {verb}, fordi {why}." for y, why in self.kept)


def has_budget_side(line: YearLine) -> bool:
    return line.budget is not None or bool(line.budget_note)


def _removable(lock: locks.YearLock, line: YearLine) -> str | None:
    """Why the post cannot be removed from this year, or None."""
    if lock.whole is not None or (lock.budget is not None and has_budget_side(line)):
        return lock.why()
    return None


def plan_removal(name: str, year: int, lines: YearLines, year_locks: YearLocks) -> LineChange:
    """Remove the post from the years of statement `year` where it may go; raise LockedError
    (saying why) when it may go from none of them."""
    steps, kept = [], []
    for y in (year - 1, year):
        at = next((i for i, ln in enumerate(lines.get(y, [])) if ln.name == name), None)
        if at is None:
            continue
        why = _removable(year_locks[y], lines[y][at])
        if why is None:
            steps.append((y, lines[y][at], at))
        else:
            kept.append((y, why))
    if not steps:
        raise LockedError(_refusal(name, "slettes", year, lines, kept))
    return LineChange(name, tuple(steps), tuple(kept))


def plan_move(name: str, delta: int, year: int, lines: YearLines,
              year_locks: YearLocks) -> LineChange:
    """Move the post `delta` places in the open years of statement `year` (none at an end);
    the order of an approved budget stays. Raise LockedError when the post is in no open
    year."""
    steps, kept, open_years = [], [], 0
    for y in (year - 1, year):
        names = [ln.name for ln in lines.get(y, [])]
        if name not in names:
            continue
        why = year_locks[y].why()
        if why is not None:
            kept.append((y, why))
            continue
        open_years += 1
        old = names.index(name)
        new = min(max(old + delta, 0), len(names) - 1)
        if new != old:
            steps.append((y, old, new))
    if not open_years:
        raise LockedError(_refusal(name, "flyttes", year, lines, kept))
    return LineChange(name, tuple(steps), tuple(kept))


_FIELD_VERBS = {"name": "omdøbes", "kind": "skifte art", "role": "skifte rolle"}


def check_post_field(name: str, field: str, year: int, lines: YearLines,
                     year_locks: YearLocks) -> None:
    """Name, kind and role are the post's in both years (the statement matches years by
    name): raise LockedError when a year that has the post is fixed by an approval."""
    kept = [(y, why) for y in (year - 1, year)
            if any(ln.name == name for ln in lines.get(y, []))
            and (why := year_locks[y].why()) is not None]
    if not kept:
        return
    text = f"«{name}» kan ikke {_FIELD_VERBS[field]}: " + "; ".join(
        f"posten indgår i {y}, og {why}" for y, why in kept) + "."
    if field == "name":
        text += (" Navnet binder posten sammen på tværs af årene; et nyt navn alene i "
                 f"{year} ville gøre den til to poster. Opret en ny post, eller vælg "
                 "«Ny revision…» af den godkendte opgørelse.")
    else:
        text += " Art og rolle er fælles for posten i begge år. Vælg «Ny revision…» af " \
                "den godkendte opgørelse for at ændre dem."
    raise LockedError(text)


def _refusal(name: str, verb: str, year: int, lines: YearLines,
             kept: list[tuple[int, str]]) -> str:
    text = f"«{name}» kan ikke {verb}: " + "; ".join(
        f"posten indgår i {y}, og {why}" for y, why in kept) + "."
    if not any(ln.name == name for ln in lines.get(year, [])):
        text += (f" Posten er ikke med i budget {year}; den vises her kun med tallene for "
                 f"{year - 1} og kommer ikke med i opgørelsen for {year + 1}.")
    return text + " Vælg «Ny revision…» af den godkendte opgørelse for at ændre den."


def statement_lines(store: Store, secretariat_id: int, year: int) -> YearLines:
    """The stored lines of the years of statement `year` (N−1 and N)."""
    return {y: lines_store.year_lines(store, secretariat_id, y) for y in (year - 1, year)}


def statement_locks(store: Store, secretariat_id: int, year: int) -> YearLocks:
    return {y: locks.year_lock(store, secretariat_id, y) for y in (year - 1, year)}


def removal(store: Store, secretariat_id: int, year: int, name: str) -> LineChange:
    """`plan_removal` over what is stored now."""
    return plan_removal(name, year, statement_lines(store, secretariat_id, year),
                        statement_locks(store, secretariat_id, year))


def move(store: Store, secretariat_id: int, year: int, name: str, delta: int) -> LineChange:
    """`plan_move` over what is stored now."""
    return plan_move(name, delta, year, statement_lines(store, secretariat_id, year),
                     statement_locks(store, secretariat_id, year))


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
