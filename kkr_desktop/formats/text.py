"""Decoding text files as Danish users have them: UTF-8 (with or without BOM) or Windows-1252."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kkr_desktop.core.errors import FileFormatError, InputError, Problem
from kkr_desktop.core.money import format_count

# A cell that begins so is run as a formula by Excel and LibreOffice (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

MAX_BYTES = 20 * 1024 * 1024


def read_text(path: Path | str, *, max_bytes: int = MAX_BYTES) -> str:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(f"Filen {p.name} er for stor ({size // (1024 * 1024)} MB); "
                             f"højst {max_bytes // (1024 * 1024)} MB kan indlæses.")
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"Filen {p} findes ikke.") from None
    except IsADirectoryError:
        raise InputError(f"{p} er en mappe, ikke en fil.") from None
    except PermissionError:
        raise InputError(f"Programmet har ikke adgang til at læse {p}.") from None
    except (ValueError, OSError) as exc:
        # A NUL or a lone surrogate in the name (ValueError, UnicodeEncodeError), a name too
        # long: Python's file functions refuse the name itself.
        raise InputError(f"Filen {p.name!a} kan ikke åbnes: navnet kan ikke bruges som "
                         f"filnavn ({exc.strerror if isinstance(exc, OSError) else exc})."
                         ) from None
    return decode(data, p.name)


def decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096]:
        raise InputError(f"Filen {name} er ikke en tekstfil (CSV).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(f"Filen {name} er hverken UTF-8 eller Windows-1252.") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def csv_rows(text: str, delimiter: str, source: str) -> list[list[str]]:
    """The rows of a CSV text. A record csv cannot read (a field past its limit of 131,072
    characters) is a FileFormatError naming the line and the column, not a csv.Error."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[list[str]] = []
    done = 0  # lines taken by the records read so far
    try:
        for row in reader:
            rows.append(row)
            done = reader.line_num
    except csv.Error as exc:
        line = done + 1
        index = _long_field(text, line, delimiter, csv.field_size_limit())
        header = next((r for r in rows if index is not None and len(r) > index), None)
        column = (header[index].strip() or f"felt nr. {index + 1}") if header and \
            index is not None else (f"felt nr. {index + 1}" if index is not None else None)
        if index is not None:
            message = (f"Feltet er længere end {format_count(csv.field_size_limit())} tegn; "
                       "det kan ikke være et rigtigt felt (mangler et anførselstegn?).")
        else:
            message = f"Linjen kan ikke læses som CSV ({exc})."
        raise FileFormatError([Problem(message, source=source, line=line, column=column)],
                              source=source) from None
    return rows


def _long_field(text: str, line: int, delimiter: str, limit: int) -> int | None:
    """Which field (0-based) of the record starting at `line` (1-based) is longer than
    `limit` characters, reading quotes as csv does; None if none is."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return None
    index = length = 0
    quoted = False
    for ch in text[start:]:
        if ch == '"':
            quoted = not quoted
            continue
        if not quoted and ch == delimiter:
            index, length = index + 1, 0
            continue
        if not quoted and ch == "\n":
            return None
        length += 1
        if length > limit:
            return index
    return None
