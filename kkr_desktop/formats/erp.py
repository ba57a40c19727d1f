"""Writing ERP files: the kommuner's CSV by a profile, and the host's journal, each also as
an Excel workbook whose codes (CVR, EAN, konto) are text cells.

A file is built in memory as bytes, so it can be checked (every character encodable),
hashed for the export log and written atomically in one go. No cell can run as a formula
when Excel opens the file: text that starts with =, +, -, @, tab or CR gets a leading
apostrophe. Amounts are written as plain numbers (no thousands separator) with the
profile's decimal sign, so Excel and an ERP import both read them as numbers. A profile
with `quote_text` writes every text field (CVR, EAN, konto, names, texts) inside "…", as
some ERP imports need to read a code as text. (Excel ignores the quotes: opening a CSV it
still turns a 13-digit EAN into 5,8E+12; the workbook is what keeps the digits there.)
"""

from __future__ import annotations

import csv
import io
from datetime import date

from kkr_desktop.core.erp import ErpLine, ExportProfile, JournalEntry, format_date
from kkr_desktop.core.errors import InputError
from kkr_desktop.formats.text import FORMULA_START

JOURNAL_COLUMNS = ("dato", "år", "periode", "bilag", "konto", "tekst", "debet", "kredit",
                   "kommunekode", "kommune", "CVR")
JOURNAL_KINDS = ("date", "int", "int", "text", "text", "text", "amount", "amount", "int", "text",
                 "text")
# How each field of a profile is written in a workbook (and which are text in a CSV).
FIELD_KINDS = {"kommunekode": "int", "kommune": "text", "cvr": "text", "ean": "text",
               "konto": "text", "beløb": "amount", "tekst": "text", "år": "int",
               "periode": "int", "forfaldsdato": "date", "reference": "text"}


def neutralise(text: str) -> str:
    """Text that a spreadsheet would take as a formula, made inert; line breaks removed."""
    if text.startswith(FORMULA_START):
        text = "'" + text
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def amount_text(ore: int, decimal_separator: str = ",") -> str:
    """Øre as a plain number with two decimals: ``-1234,56``."""
    sign = "-" if ore < 0 else ""
    kr, o = divmod(abs(ore), 100)
    return f"{sign}{kr}{decimal_separator}{o:02d}"


def cell(value: object, profile: ExportProfile, *, money: bool = False) -> str:
    if money:
        assert isinstance(value, int)
        return amount_text(value, profile.decimal_separator)
    if isinstance(value, date):
        return format_date(value, profile.date_format)
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def erp_rows(profile: ExportProfile, lines: list[ErpLine]) -> list[list[str]]:
    """Header and one row per line, as the cells will be written."""
    rows = [[neutralise(h) for _, h in profile.columns]]
    for ln in lines:
        rows.append([cell(ln.value(f), profile, money=f == "beløb") for f, _ in profile.columns])
    return rows


def journal_rows(profile: ExportProfile, entries: list[JournalEntry]) -> list[list[str]]:
    rows = [list(JOURNAL_COLUMNS)]
    for e in entries:
        rows.append([cell(e.due, profile), str(e.year), str(e.period),
                     cell(e.reference, profile), cell(e.account, profile),
                     cell(e.text, profile),
                     amount_text(e.debit, profile.decimal_separator) if e.debit else "",
                     amount_text(e.credit, profile.decimal_separator) if e.credit else "",
                     str(e.kommunekode), cell(e.kommune, profile), cell(e.cvr, profile)])
    return rows


def _quoted_lines(profile: ExportProfile, rows: list[list[str]], text_columns: set[int]
                  ) -> str:
    """Every header cell and every cell of a text column inside "…"; other cells only when
    they must be (as the csv module does)."""
    def one(i: int, value: str, always: bool) -> str:
        must = always or i in text_columns or any(
            ch in value for ch in (profile.separator, '"', "\r", "\n"))
        return '"' + value.replace('"', '""') + '"' if must else value

    return "".join(profile.separator.join(one(i, v, r == 0) for i, v in enumerate(row))
                   + profile.newline for r, row in enumerate(rows))


def render(profile: ExportProfile, rows: list[list[str]], *, source: str = "",
           text_columns: set[int] | None = None) -> bytes:
    """The rows as file bytes in the profile's separator, line ends and encoding;
    `text_columns` are quoted when the profile says so."""
    if profile.quote_text:
        text = _quoted_lines(profile, rows, text_columns or set())
    else:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=profile.separator, lineterminator=profile.newline,
                            quoting=csv.QUOTE_MINIMAL)
        writer.writerows(rows)
        text = buf.getvalue()
    try:
        return text.encode(profile.encoding)
    except UnicodeEncodeError as exc:
        bad = text[exc.start:exc.end]
        line = text.count("\n", 0, exc.start) + 1
        where = f" ({source})" if source else ""
        raise InputError(
            f"Tegnet «{bad}» i linje {line}{where} findes ikke i tegnsættet "
            f"{profile.encoding}. Vælg en profil med UTF-8, eller ret teksten.") from None


def render_erp(profile: ExportProfile, lines: list[ErpLine]) -> bytes:
    text = {i for i, (f, _) in enumerate(profile.columns) if FIELD_KINDS[f] == "text"}
    return render(profile, erp_rows(profile, lines), text_columns=text)


def render_journal(profile: ExportProfile, entries: list[JournalEntry]) -> bytes:
    text = {i for i, k in enumerate(JOURNAL_KINDS) if k == "text"}
    return render(profile, journal_rows(profile, entries), text_columns=text)


def render_erp_xlsx(profile: ExportProfile, lines: list[ErpLine]) -> bytes:
    """The profile's columns as an Excel workbook: codes as text, the amount as a number."""
    from kkr_desktop.formats.xlsx import table_workbook

    kinds = [FIELD_KINDS[f] for f, _ in profile.columns]
    rows = [[ln.value(f) for f, _ in profile.columns] for ln in lines]
    return table_workbook("ERP", [h for _, h in profile.columns], kinds, rows)


def render_journal_xlsx(entries: list[JournalEntry]) -> bytes:
    from kkr_desktop.formats.xlsx import table_workbook

    rows = [[e.due, e.year, e.period, e.reference, e.account, e.text, e.debit or None,
             e.credit or None, e.kommunekode, e.kommune, e.cvr] for e in entries]
    return table_workbook("Kassekladde", list(JOURNAL_COLUMNS), list(JOURNAL_KINDS), rows)
