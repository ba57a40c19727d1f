"""A Danish bank statement or an ERP's payment list as CSV: semicolons, Danish amounts
(1.234,56), dates dd-mm-åååå or dd.mm.åååå, and a text or reference column. The columns are
found by their header names, since every bank names and orders them its own way; a file is
read whole or refused with every problem by line and column."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kkr_desktop.core.errors import AmountError, FileFormatError, Problem
from kkr_desktop.core.money import parse_amount, quoted
from kkr_desktop.formats.text import csv_rows, read_text

# Header names (lower case, without spaces at the ends) by what they hold, most specific
# first: a bank with both «Bogføringsdato» and «Rentedato» is read by the first.
DATE_HEADERS = ("bogføringsdato", "posteringsdato", "betalingsdato", "dato", "date",
                "rentedato", "valørdato")
AMOUNT_HEADERS = ("beløb", "beløb i dkk", "beløb (dkk)", "beløb dkk", "indbetaling",
                  "amount")
TEXT_HEADERS = ("reference", "betalingsreference", "betalers reference", "tekst",
                "posteringstekst", "beskrivelse", "meddelelse", "besked", "text")
_DATE = re.compile(r"(\d{1,2})([-.])(\d{1,2})\2(\d{4})")


@dataclass(frozen=True)
class BankRow:
    line: int
    paid_on: date
    amount: int  # øre, as the bank shows it: + in, − out
    text: str  # every text column of the row, joined


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    wanted = [h.strip().lower() for h in header]
    for name in names:
        if name in wanted:
            return wanted.index(name)
    return None


def parse_bank_date(text: str) -> date:
    """dd-mm-åååå or dd.mm.åååå; ValueError with a Danish message otherwise."""
    m = _DATE.fullmatch(text.strip())
    if not m:
        raise ValueError(f"{quoted(text)} er ikke en dato; skriv dd-mm-åååå eller dd.mm.åååå "
                         "(fx 15-01-2024).")
    try:
        return date(int(m[4]), int(m[3]), int(m[1]))
    except ValueError:
        raise ValueError(f"{quoted(text)} er ikke en dag i kalenderen.") from None


def read_bank_csv(path: Path | str) -> list[BankRow]:
    """Every row of the file, or FileFormatError listing every bad cell (nothing read)."""
    source = Path(path).name
    rows = csv_rows(read_text(path), ";", source)
    start = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if start is None:
        raise FileFormatError([Problem("Filen er tom.", source=source)], source=source)
    header = rows[start]
    date_col = _column(header, DATE_HEADERS)
    amount_col = _column(header, AMOUNT_HEADERS)
    wanted = [h.strip().lower() for h in header]
    text_cols = [i for i, h in enumerate(wanted) if h in TEXT_HEADERS]
    missing = [what for what, col in (("en dato («Dato» eller «Bogføringsdato»)", date_col),
                                      ("et beløb («Beløb»)", amount_col),
                                      ("en tekst («Tekst» eller «Reference»)",
                                       text_cols or None))
               if col is None]
    if missing:
        raise FileFormatError([Problem(
            "Overskriften mangler " + " og ".join(missing) + "; fandt: "
            + "; ".join(h.strip() for h in header if h.strip()) + ". Er filen semikolon-"
            "separeret med en overskrift i første linje?", source=source, line=start + 1)],
            source=source)
    assert date_col is not None and amount_col is not None
    out: list[BankRow] = []
    problems: list[Problem] = []
    for i, row in enumerate(rows[start + 1:], start=start + 2):
        if not any(c.strip() for c in row):
            continue
        cells = row + [""] * (len(header) - len(row))
        try:
            paid_on = parse_bank_date(cells[date_col])
        except ValueError as exc:
            problems.append(Problem(str(exc), source=source, line=i,
                                    column=header[date_col].strip()))
            paid_on = None
        try:
            amount = parse_amount(cells[amount_col])
        except AmountError as exc:
            problems.append(Problem(exc.message, source=source, line=i,
                                    column=header[amount_col].strip()))
            amount = None
        if paid_on is not None and amount is not None:
            text = " ".join(cells[c].strip() for c in text_cols if cells[c].strip())
            out.append(BankRow(i, paid_on, amount, text))
    if problems:
        raise FileFormatError(problems, source=source)
    return out
