"""Writing ERP files: the kommuner's CSV by a profile, and the host's journal.

A file is built in memory as bytes, so it can be checked (every character encodable),
hashed for the export log and written atomically in one go. No cell can run as a formula
when Excel opens the file: text that starts with =, +, -, @, tab or CR gets a leading
apostrophe. Amounts are written as plain numbers (no thousands separator) with the
profile's decimal sign, so Excel and an ERP import both read them as numbers.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from kkr_desktop.core.erp import ErpLine, ExportProfile, JournalEntry, format_date
from kkr_desktop.core.errors import InputError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
JOURNAL_COLUMNS = ("dato", "år", "periode", "bilag", "konto", "tekst", "debet", "kredit",
                   "kommunekode", "kommune", "CVR")


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


def render(profile: ExportProfile, rows: list[list[str]], *, source: str = "") -> bytes:
    """The rows as file bytes in the profile's separator, line ends and encoding."""
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
    return render(profile, erp_rows(profile, lines))


def render_journal(profile: ExportProfile, entries: list[JournalEntry]) -> bytes:
    return render(profile, journal_rows(profile, entries))
