"""The statement interchange CSV (DOMAIN.md §7).

    sekretariat;år;post;art;rolle;budget;regnskab;budget_note;regnskab_note

Reading collects every problem in the file, with line and column, before anything is used.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from kkr_desktop.core.errors import AmountError, FileFormatError, Problem
from kkr_desktop.core.money import format_amount, parse_optional_amount, quoted
from kkr_desktop.core.statement import Kind, Role, YearLine
from kkr_desktop.formats.text import FORMULA_START, csv_rows, read_text

COLUMNS = ("sekretariat", "år", "post", "art", "rolle", "budget", "regnskab", "budget_note",
           "regnskab_note")
REQUIRED = COLUMNS[:6]


@dataclass
class StatementFile:
    """Lines per (secretariat, year), in the file's order."""

    years: dict[tuple[str, int], list[YearLine]] = field(default_factory=dict)

    @property
    def secretariats(self) -> list[str]:
        return list(dict.fromkeys(s for s, _ in self.years))


def read_statement_csv(path: Path | str) -> StatementFile:
    p = Path(path)
    return parse_statement_rows(csv_rows(read_text(p), ";", p.name), p.name)


def is_statement_file(path: Path | str) -> bool:
    """Whether a file looks like a statement (an .xlsx workbook, or a CSV whose first line
    names the interchange columns) rather than, say, a population file: for a file dropped
    on the window. Reads only the beginning; an unreadable file is not a statement."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return True
    try:
        with p.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    first = head.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()[:1]
    header = [c.strip().strip('"').casefold() for c in (first[0] if first else "").split(";")]
    return set(REQUIRED) <= set(header)


def parse_statement_rows(rows: list[list[str]], source: str) -> StatementFile:
    """Rows as lists of cells, the first one the header. Used for CSV and for xlsx."""
    problems: list[Problem] = []
    while rows and not any(c.strip() for c in rows[0]):
        rows = rows[1:]
    if not rows:
        raise FileFormatError([Problem("Filen er tom.", source=source)], source=source)
    header = [c.strip().lower() for c in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FileFormatError([Problem(
            "Overskriftslinjen mangler kolonnerne " + ", ".join(f"«{c}»" for c in missing)
            + ". Forventet: " + ";".join(COLUMNS), source=source, line=1)], source=source)
    idx = {name: header.index(name) for name in COLUMNS if name in header}
    out = StatementFile()
    seen: dict[tuple[str, int, str], int] = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header) and header[-1].endswith("_note"):
            # A note is free text, and typed by hand it may hold a semicolon without
            # quotes; the last column takes the rest of the line.
            row = [*row[: len(header) - 1], ";".join(row[len(header) - 1:])]

        def cell(name: str, row: list[str] = row) -> str:
            i = idx.get(name)
            return restore(row[i].strip()) if i is not None and i < len(row) else ""

        def bad(column: str, message: str, lineno: int = lineno) -> None:
            problems.append(Problem(message, source=source, line=lineno, column=column))

        if len(row) > len(header):
            bad("", f"Linjen har {len(row)} felter, men overskriften har {len(header)}. "
                    "Indeholder en tekst et semikolon uden anførselstegn?")
            continue
        secretariat = cell("sekretariat")
        if not secretariat:
            bad("sekretariat", "Sekretariatets navn mangler.")
        year_text = cell("år")
        year = 0
        # isascii: str.isdigit() is also true for «²», which int() refuses.
        if not (year_text.isascii() and year_text.isdigit() and len(year_text) == 4) or \
                not 1990 <= int(year_text) <= 2100:
            bad("år", f"{quoted(year_text)} er ikke et årstal.")
        else:
            year = int(year_text)
        name = cell("post")
        if not name:
            bad("post", "Postens navn mangler.")
        try:
            kind = Kind(cell("art").lower())
        except ValueError:
            bad("art", f"{quoted(cell('art'))} skal være «udgift» eller «indtægt».")
            kind = Kind.EXPENSE
        try:
            role = Role(cell("rolle").lower())
        except ValueError:
            bad("rolle", f"{quoted(cell('rolle'))} skal være «bidrag», «overførsel» eller tom.")
            role = Role.NONE
        amounts = {}
        for column in ("budget", "regnskab"):
            try:
                amounts[column] = parse_optional_amount(cell(column))
            except AmountError as exc:
                bad(column, exc.message)
        key = (secretariat, year, name)
        if secretariat and year and name:
            if key in seen:
                bad("post", f"Posten {quoted(name)} for {year} står også i linje {seen[key]}.")
            seen[key] = lineno
        if problems:
            continue
        out.years.setdefault((secretariat, year), []).append(YearLine(
            name, kind, role, amounts["budget"], amounts["regnskab"],
            cell("budget_note"), cell("regnskab_note")))
    if problems:
        raise FileFormatError(problems, source=source)
    return out


def inert(text: str) -> str:
    """Text Excel would run as a formula (=, +, -, @, tab, CR first) gets a leading
    apostrophe, as Excel itself writes it; `restore` takes it off again on import."""
    return "'" + text if text.startswith(FORMULA_START) else text


def restore(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def statement_rows(secretariat: str, years: dict[int, list[YearLine]]) -> list[list[str]]:
    """Header and rows, in the interchange layout, amounts in Danish format; no text cell
    can run as a formula when the file is opened in Excel."""
    rows = [list(COLUMNS)]
    for year in sorted(years):
        for ln in years[year]:
            rows.append([inert(secretariat), str(year), inert(ln.name), ln.kind.value,
                         ln.role.value, format_amount(ln.budget), format_amount(ln.actual),
                         inert(ln.budget_note), inert(ln.actual_note)])
    return rows


def write_statement_csv(target: io.TextIOBase, secretariat: str,
                        years: dict[int, list[YearLine]]) -> None:
    writer = csv.writer(target, delimiter=";", lineterminator="\r\n")
    writer.writerows(statement_rows(secretariat, years))
