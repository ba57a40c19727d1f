"""Population from Danmarks Statistik, table FOLK1A, in the two forms users have.

- The StatBank API's long CSV: ``OMRÅDE;KØN;ALDER;TID;INDHOLD``, one row per area and quarter.
- statistikbanken.dk's wide download: a title line or two, then a row with the quarters as
  columns (``2020K1``), then a row per area; leading columns may hold sex and age.

Areas are names ("Vesthimmerlands Kommune") or "code name" ("851 Aalborg"). Rows for the
whole country, regions and landsdele are skipped; an unknown area is an error naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from kkr_desktop.core.errors import AmountError, FileFormatError, Problem
from kkr_desktop.core.money import parse_count, quoted
from kkr_desktop.core.names import is_non_kommune
from kkr_desktop.core.quarter import is_quarter, parse_quarter
from kkr_desktop.formats.text import csv_rows, read_text

Lookup = Callable[[str], int | None]  # area text -> kommunekode, or None if unknown
_CODE_NAME = re.compile(r"^\s*(\d{1,3})\s+(.+)$")
_TOTALS = {"i alt", "total", "alder i alt", "køn i alt", "begge køn"}


def read_population(path: Path | str, lookup: Lookup, valid_codes: set[int]
                    ) -> dict[tuple[int, str], int]:
    p = Path(path)
    return parse_population(read_text(p), p.name, lookup, valid_codes)


def parse_population(text: str, source: str, lookup: Lookup, valid_codes: set[int]
                     ) -> dict[tuple[int, str], int]:
    """(kommunekode, quarter) -> population. Raises FileFormatError listing every problem."""
    delimiter = _sniff(text)
    rows = csv_rows(text, delimiter, source)
    for i, row in enumerate(rows):
        cells = [c.strip().upper() for c in row]
        if "INDHOLD" in cells and ("TID" in cells or "OMRÅDE" in cells or "OMRADE" in cells):
            return _parse_long(rows, i, source, lookup, valid_codes)
        if any(is_quarter(c) for c in row):
            return _parse_wide(rows, i, source, lookup, valid_codes)
    raise FileFormatError([Problem(
        "Filen ligner ikke en FOLK1A-tabel fra Danmarks Statistik: der er hverken en kolonne "
        "«INDHOLD» eller kvartaler som «2022K1».", source=source)], source=source)


def _sniff(text: str) -> str:
    head = text[:4096]
    for d in (";", "\t", ","):
        if d in head:
            return d
    return ";"


class _Collector:
    def __init__(self, source: str, lookup: Lookup, valid_codes: set[int]) -> None:
        self.source = source
        self.lookup = lookup
        self.valid = valid_codes
        self.values: dict[tuple[int, str], int] = {}
        self.where: dict[tuple[int, str], int] = {}
        self.problems: list[Problem] = []

    def problem(self, message: str, line: int, column: str | None = None) -> None:
        self.problems.append(Problem(message, source=self.source, line=line, column=column))

    def area(self, text: str, line: int, column: str) -> int | None:
        """The kommunekode of an area; None for a skipped or bad one (problem recorded)."""
        area = text.strip().strip('"')
        m = _CODE_NAME.match(area)
        if m:
            code = int(m[1])
            if code in self.valid:
                return code
            if is_non_kommune(m[2]) or code in (0, 411) or 81 <= code <= 85:
                return None
        if not area or is_non_kommune(area):
            return None
        code = self.lookup(m[2] if m else area)
        if code is None:
            self.problem(f"Området {quoted(area)} er ikke en kendt kommune.", line, column)
        return code

    def add(self, code: int, quarter: str, raw: str, line: int, column: str) -> None:
        value_text = raw.strip().replace(".", "").replace(" ", "").replace("\u00a0", "")
        if value_text in ("", "..", "-"):
            self.problem(f"Folketallet mangler ({raw.strip() or 'tomt'}).", line, column)
            return
        try:
            value = parse_count(raw)  # counts digits before int(); at most MAX_POPULATION
        except AmountError as exc:
            self.problem(exc.message, line, column)
            return
        key = (code, quarter)
        if key in self.values:
            if self.values[key] != value:
                self.problem(f"Kommune {code} har to forskellige folketal for {quarter}: "
                             f"{self.values[key]} (linje {self.where[key]}) og {value}.",
                             line, column)
            return
        self.values[key] = value
        self.where[key] = line

    def result(self) -> dict[tuple[int, str], int]:
        if not self.problems and not self.values:
            self.problems.append(Problem("Filen indeholder ingen folketal for kommuner.",
                                         source=self.source))
        if self.problems:
            raise FileFormatError(self.problems, source=self.source)
        return self.values


def _parse_long(rows: list[list[str]], header_at: int, source: str, lookup: Lookup,
                valid: set[int]) -> dict[tuple[int, str], int]:
    header = [c.strip().upper() for c in rows[header_at]]
    col = {name: i for i, name in enumerate(header)}
    area_i = col.get("OMRÅDE", col.get("OMRADE"))
    out = _Collector(source, lookup, valid)
    if area_i is None or "TID" not in col:
        out.problem("Kolonnerne «OMRÅDE» og «TID» skal begge være der.", header_at + 1)
        return out.result()
    filters = [col[c] for c in ("KØN", "ALDER", "CIVILSTAND") if c in col]
    for lineno, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < len(header):
            out.problem(f"Linjen har {len(row)} felter; der skal være {len(header)}.", lineno)
            continue
        if any(row[i].strip().casefold() not in _TOTALS for i in filters):
            continue  # a breakdown by sex or age; the key uses the total
        code = out.area(row[area_i], lineno, "OMRÅDE")
        if code is None:
            continue
        try:
            quarter = parse_quarter(row[col["TID"]])
        except Exception:
            out.problem(f"{quoted(row[col['TID']])} er ikke et kvartal som 2022K1.", lineno,
                        "TID")
            continue
        out.add(code, quarter, row[col["INDHOLD"]], lineno, "INDHOLD")
    return out.result()


def _parse_wide(rows: list[list[str]], header_at: int, source: str, lookup: Lookup,
                valid: set[int]) -> dict[tuple[int, str], int]:
    header = rows[header_at]
    qcols = [(i, parse_quarter(c)) for i, c in enumerate(header) if is_quarter(c)]
    first_q = qcols[0][0]
    out = _Collector(source, lookup, valid)
    area_carry = ""
    for lineno, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if not any(c.strip() for c in row):
            continue
        lead = [c.strip() for c in row[:first_q]]
        values = row[first_q:]
        if not any(v.strip() for v in values):
            continue  # a footnote or a title line
        if any(c.casefold() not in _TOTALS for c in lead[1:] if c):
            continue  # a breakdown by sex or age
        area = lead[0] if lead and lead[0] else area_carry
        area_carry = area
        code = out.area(area, lineno, "område")
        if code is None:
            continue
        for i, quarter in qcols:
            raw = row[i] if i < len(row) else ""
            out.add(code, quarter, raw, lineno, header[i].strip())
    return out.result()
