"""The members' ERP fields as a file: ``kommunekode;cvr;ean;konto`` (a ``kommune`` column
may stand beside them and is only read to help the user). UTF-8 or Windows-1252,
semicolons; every problem is reported with its line and column before anything is used."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from kkr_desktop.core.erp import MemberErp
from kkr_desktop.core.errors import FileFormatError, Problem
from kkr_desktop.core.ids import cvr_problem, ean_problem, normalise_id
from kkr_desktop.core.money import quoted
from kkr_desktop.formats.text import csv_rows, read_text

COLUMNS = ("kommunekode", "kommune", "cvr", "ean", "konto")
REQUIRED = ("kommunekode", "cvr", "ean", "konto")


def read_members_csv(path: Path | str, members: Mapping[int, str]) -> list[MemberErp]:
    p = Path(path)
    text = read_text(p)
    delimiter = ";" if ";" in text.split("\n", 1)[0] or "," not in text else ","
    rows = csv_rows(text, delimiter, p.name)
    return parse_member_rows(rows, members, p.name)


def parse_member_rows(rows: list[list[str]], members: Mapping[int, str], source: str
                      ) -> list[MemberErp]:
    """`members`: kommunekode -> name of the secretariat's members; others are refused."""
    while rows and not any(c.strip() for c in rows[0]):
        rows = rows[1:]
    if not rows:
        raise FileFormatError([Problem("Filen er tom.", source=source)], source=source)
    header = [c.strip().lower() for c in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FileFormatError([Problem(
            "Overskriftslinjen mangler kolonnerne " + ", ".join(f"«{c}»" for c in missing)
            + ". Forventet: kommunekode;cvr;ean;konto", source=source, line=1)],
            source=source)
    idx = {name: header.index(name) for name in COLUMNS if name in header}
    problems: list[Problem] = []
    out: list[MemberErp] = []
    seen: dict[int, int] = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            i = idx.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        def bad(column: str, message: str, lineno: int = lineno) -> None:
            problems.append(Problem(message, source=source, line=lineno, column=column))

        code_text = cell("kommunekode")
        code = (int(code_text) if code_text.isascii() and code_text.isdigit()
                and len(code_text) <= 4 else None)  # a kommunekode has three digits
        if code is None:
            bad("kommunekode", f"{quoted(code_text)} er ikke en kommunekode (fx 851).")
        elif code not in members:
            bad("kommunekode", f"Kommune {code} er ikke medlem af sekretariatet.")
        elif code in seen:
            bad("kommunekode", f"Kommune {code} står også i linje {seen[code]}.")
        else:
            seen[code] = lineno
        cvr, ean = cell("cvr"), cell("ean")
        for column, value, check in (("cvr", cvr, cvr_problem), ("ean", ean, ean_problem)):
            if len(value) > 40:  # not echoed back whole
                bad(column, f"{quoted(value)} er ikke et {column.upper()}-nummer.")
            elif value and (msg := check(value)):
                bad(column, msg + ".")
        if code is not None and code in members:
            out.append(MemberErp(code, members[code], normalise_id(cvr), normalise_id(ean),
                                 cell("konto")))
    if problems:
        raise FileFormatError(problems, source=source)
    if not out:
        raise FileFormatError([Problem("Filen har ingen kommuner.", source=source)],
                              source=source)
    return out


def member_rows(members: list[MemberErp]) -> list[list[str]]:
    """Header and rows in the file's layout (what `members show` prints)."""
    return [list(COLUMNS), *([str(m.kommunekode), m.kommune, m.cvr, m.ean, m.konto]
                             for m in members)]
