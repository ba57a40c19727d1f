"""Decoding text files as Danish users have them: UTF-8 (with or without BOM) or Windows-1252."""

from __future__ import annotations

from pathlib import Path

from kkr_desktop.core.errors import InputError

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
