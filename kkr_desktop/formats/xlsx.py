"""Excel workbooks: the statement and an allocation out, a statement in.

Amounts are real numbers (kroner, exact decimals) with a Danish-looking number format, totals
are formulas that Excel recomputes, the header row is frozen and columns are wide enough.
The statement workbook has two sheets: «Opgørelse» laid out as the printed table, and
«Poster» laid out as the interchange CSV, which `read_statement_xlsx` reads back.
openpyxl is imported where it is used, so the program starts fast.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from kkr_desktop.core.allocation import Allocation
from kkr_desktop.core.errors import FileFormatError, InputError, Problem
from kkr_desktop.core.money import ore_to_decimal
from kkr_desktop.core.quarter import quarter_label
from kkr_desktop.core.statement import Column, Kind, Statement, YearLine
from kkr_desktop.formats.interchange import COLUMNS, REQUIRED, StatementFile, parse_statement_rows

AMOUNT_FORMAT = "#,##0.00;-#,##0.00"
SHARE_FORMAT = "0.00%"
ITEMS_SHEET = "Poster"
STATEMENT_SHEET = "Opgørelse"
MAX_BYTES = 20 * 1024 * 1024


def _kr(ore: int | None) -> Decimal | None:
    return None if ore is None else ore_to_decimal(ore)


def _put(ws: Any, row: int, column: int, text: str) -> Any:
    """Text as a text cell: openpyxl would take a leading = for a formula, Excel won't."""
    cell = ws.cell(row, column, text)
    cell.data_type = "s"
    return cell


def _save(wb: Any) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _widths(ws: Any, widths: dict[str, float]) -> None:
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def _fit_width(ws: Any, title_rows: str) -> None:
    """Printed: every column on the page, the header repeated on each page."""
    ws.print_title_rows = title_rows
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def statement_workbook(st: Statement, years: dict[int, list[YearLine]]) -> bytes:
    """«Opgørelse» (the printed layout, totals as formulas) and «Poster» (importable)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = STATEMENT_SHEET
    bold = Font(bold=True)
    _put(ws, 1, 1, f"{st.secretariat}: Regnskab {st.year - 1} og budget {st.year}")
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    groups = list(Column)
    for i, column in enumerate(groups):
        c = 2 + 2 * i
        ws.cell(3, c, column.label(st.year)).font = bold
        ws.merge_cells(start_row=3, start_column=c, end_row=3, end_column=c + 1)
        ws.cell(3, c).alignment = Alignment(horizontal="center")
        for offset, word in ((0, "Udgifter"), (1, "Indtægter")):
            head = ws.cell(4, c + offset, word)
            head.font, head.alignment = bold, Alignment(horizontal="right")
    ws.cell(4, 1, "Post").font = bold
    first = 5
    notes: list[str] = []
    for r, line in enumerate(st.lines, start=first):
        _put(ws, r, 1, line.name)
        for i, column in enumerate(groups):
            c = 2 + 2 * i + (0 if line.kind is Kind.EXPENSE else 1)
            amount = line.amount(column)
            if amount is not None:
                ws.cell(r, c, _kr(amount)).number_format = AMOUNT_FORMAT
            if line.note(column):
                notes.append(f"{len(notes) + 1}) {column.label(st.year)}, {line.name}: "
                             f"{line.note(column)}")
    last = first + len(st.lines) - 1
    total, result = last + 1, last + 2
    ws.cell(total, 1, "I alt").font = bold
    ws.cell(result, 1, "Overskud/underskud").font = bold
    for c in range(2, 2 + 2 * len(groups)):
        letter = get_column_letter(c)
        cell = ws.cell(total, c, f"=SUM({letter}{first}:{letter}{last})")
        cell.font, cell.number_format = bold, AMOUNT_FORMAT
    for i in range(len(groups)):
        exp, inc = get_column_letter(2 + 2 * i), get_column_letter(3 + 2 * i)
        cell = ws.cell(result, 3 + 2 * i, f"={inc}{total}-{exp}{total}")
        cell.font, cell.number_format = bold, AMOUNT_FORMAT
    for n, text in enumerate(notes, start=result + 2):
        _put(ws, n, 1, text)
    ws.freeze_panes = "B5"
    longest = max((len(ln.name) for ln in st.lines), default=10)
    _widths(ws, {"A": min(max(longest, 20), 90) + 2,
                 **{get_column_letter(c): 16 for c in range(2, 8)}})
    ws.page_setup.orientation = "landscape"
    _fit_width(ws, "3:4")
    _items_sheet(wb.create_sheet(ITEMS_SHEET), st.secretariat, years)
    return _save(wb)


def _items_sheet(ws: Any, secretariat: str, years: dict[int, list[YearLine]]) -> None:
    from openpyxl.styles import Font

    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for year in sorted(years):
        for ln in years[year]:
            ws.append([secretariat, year, ln.name, ln.kind.value, ln.role.value,
                       _kr(ln.budget), _kr(ln.actual), ln.budget_note, ln.actual_note])
            for cell in ws[ws.max_row][5:7]:
                cell.number_format = AMOUNT_FORMAT
            for cell in (*ws[ws.max_row][0:1], *ws[ws.max_row][2:5], *ws[ws.max_row][7:9]):
                cell.data_type = "s"  # a name like "=x" stays text, never a formula
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    _fit_width(ws, "1:1")
    longest = max((len(ln.name) for ls in years.values() for ln in ls), default=10)
    _widths(ws, {"A": max(len(secretariat), 12) + 2, "B": 7, "C": min(longest, 70) + 2,
                 "D": 9, "E": 11, "F": 16, "G": 16, "H": 40, "I": 40})


TEXT_FORMAT = "@"  # Excel's «Tekst»: the cell keeps its digits as typed, even on re-save
PLAIN_AMOUNT_FORMAT = "0.00"
DATE_FORMAT = "dd-mm-yyyy"


def table_workbook(title: str, header: list[str], kinds: list[str],
                   rows: list[list[Any]]) -> bytes:
    """One sheet: a bold, frozen header and a row per record, each column of a kind:
    "text" (a string in a text-formatted cell, so Excel never shows a 13-digit EAN as
    5,8E+12 nor rounds it on save), "amount" (øre, written as kroner with 2 decimals),
    "int", "date" (a real date shown dd-mm-åååå). None is an empty cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    bold = Font(bold=True)
    for c, head in enumerate(header, start=1):
        _put(ws, 1, c, head).font = bold
    for r, row in enumerate(rows, start=2):
        for c, (value, kind) in enumerate(zip(row, kinds, strict=True), start=1):
            if value is None:
                continue
            if kind == "text":
                _put(ws, r, c, str(value)).number_format = TEXT_FORMAT
            elif kind == "amount":
                ws.cell(r, c, _kr(value)).number_format = PLAIN_AMOUNT_FORMAT
            elif kind == "date":
                ws.cell(r, c, value).number_format = DATE_FORMAT
            else:
                ws.cell(r, c, value)
    for c, head in enumerate(header, start=1):  # text columns formatted as text throughout
        if kinds[c - 1] == "text":
            ws.column_dimensions[get_column_letter(c)].number_format = TEXT_FORMAT
        longest = max([len(head), *(len(str(row[c - 1])) for row in rows
                                    if row[c - 1] is not None)])
        ws.column_dimensions[get_column_letter(c)].width = min(longest + 2, 60)
    ws.freeze_panes = "A2"
    _fit_width(ws, "1:1")
    return _save(wb)


def allocation_workbook(secretariat: str, year: int, allocation: Allocation) -> bytes:
    """A row per kommune: folketal (or weight), andel, beløb; totals as formulas."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Fordeling"
    bold = Font(bold=True)
    _put(ws, 1, 1, f"{secretariat}: {allocation.title(year)}")
    ws["A1"].font = Font(bold=True, size=13)
    weight = (f"Folketal pr. {quarter_label(allocation.quarter)}" if allocation.quarter else
              allocation.key_kind.label)
    ws.append([f"Fordelingsnøgle: {allocation.key_kind.label}; afrundet til "
               f"{allocation.unit.label}"])
    ws.append(["Kommunekode", "Kommune", weight, "Andel", "Beløb"])
    for cell in ws[3]:
        cell.font = bold
        if cell.column >= 3:
            cell.alignment = Alignment(horizontal="right")
    first = 4
    for row in allocation.rows:
        share = (Decimal(row.share.numerator) / Decimal(row.share.denominator)).quantize(
            Decimal("0.0000000001"))
        ws.append([row.kommunekode, row.kommune, row.weight, share, _kr(row.amount)])
        r = ws.max_row
        ws.cell(r, 2).data_type = "s"
        ws.cell(r, 3).number_format = "#,##0"
        ws.cell(r, 4).number_format = SHARE_FORMAT
        ws.cell(r, 5).number_format = AMOUNT_FORMAT
    last = ws.max_row
    total = last + 1
    ws.cell(total, 2, "I alt").font = bold
    for c, letter, fmt in ((3, "C", "#,##0"), (4, "D", SHARE_FORMAT), (5, "E", AMOUNT_FORMAT)):
        cell = ws.cell(total, c, f"=SUM({letter}{first}:{letter}{last})")
        cell.font, cell.number_format = bold, fmt
    ws.freeze_panes = "A4"
    longest = max((len(r.kommune) for r in allocation.rows), default=10)
    _widths(ws, {"A": 16, "B": max(longest, 10) + 4, "C": max(len(weight), 12) + 4,
                 "D": 12, "E": 18})
    _fit_width(ws, "3:3")
    return _save(wb)


# --- reading ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as the interchange CSV would hold it: amounts in Danish form, exactly."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return repr(value)  # «nan», «inf»: refused by the amount parser as no amount
        d = Decimal(repr(value))
        cents = d * 100
        if abs(cents - cents.to_integral_value()) < Decimal("0.000001"):
            d = cents.to_integral_value() / 100  # float noise from a computed cell
        text = f"{d:f}"
        if "." in text:
            whole, frac = text.split(".")
            frac = frac.rstrip("0")
            text = f"{whole},{frac}" if frac else whole
        return text
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    return str(value)


def _sheet_rows(ws: Any, source: str) -> list[list[str]]:
    """A sheet's rows as text. openpyxl reads a number cell with int() or float(), and
    int() refuses more than 4,300 digits (ValueError): that row is named, not a traceback."""
    rows: list[list[str]] = []
    values = ws.iter_rows(values_only=True)
    while True:
        try:
            row = next(values)
        except StopIteration:
            return rows
        except (ValueError, OverflowError):
            raise FileFormatError([Problem(
                "En celle har et tal med flere cifre, end noget beløb kan have.",
                source=source, line=len(rows) + 1)], source=source) from None
        rows.append([_text(v) for v in row])


def read_statement_xlsx(path: Path | str) -> StatementFile:
    """A statement from the sheet whose header row has the interchange columns (the sheet
    «Poster» first). Problems are reported as «fil, ark «navn», linje n, kolonne «x»»."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    p = Path(path)
    if not p.is_file():
        raise InputError(f"Filen {p} findes ikke.")
    if p.stat().st_size > MAX_BYTES:
        raise InputError(f"Filen {p.name} er for stor til at blive indlæst.")
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise InputError(f"Filen {p.name} kan ikke læses som en Excel-fil (.xlsx): {exc}"
                         ) from None
    try:
        names = sorted(wb.sheetnames, key=lambda n: n != ITEMS_SHEET)
        for name in names:
            rows = _sheet_rows(wb[name], f"{p.name}, ark «{name}»")
            header = next((r for r in rows if any(c.strip() for c in r)), [])
            if all(c in [h.strip().lower() for h in header] for c in REQUIRED):
                return parse_statement_rows(rows, f"{p.name}, ark «{name}»")
    finally:
        wb.close()
    raise FileFormatError([Problem(
        "Intet ark har en overskriftsrække med kolonnerne " + ";".join(COLUMNS)
        + ". Ark i filen: " + ", ".join(f"«{n}»" for n in wb.sheetnames) + ".",
        source=p.name)], source=p.name)
