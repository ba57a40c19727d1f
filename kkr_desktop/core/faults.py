"""Faults of the disk and the file system in Danish words: the one place that turns an
OSError or a SQLite error into a sentence a finance officer can act on.

SQLite's errors are read by their result code (``sqlite_errorcode``, Python 3.11+), not by
importing sqlite3: core stays free of SQL. Only SQLITE_CORRUPT and SQLITE_NOTADB mean that
a file is damaged; a full disk, a missing permission or a read-only drive never does, and
must never lead to restoring a backup over a healthy file.
"""

from __future__ import annotations

import errno
import re
import sys

# SQLite's primary result codes (the low byte of an extended code such as IOERR_SHMSIZE).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26
_NO_ACCESS = {errno.EACCES, errno.EPERM}
MAX_NAME = 255  # a file or folder name: bytes on Linux and macOS, UTF-16 units on Windows


def name_too_long(path: object) -> bool:
    """Whether a name in `path` is longer than file systems allow. Windows reports such a
    name as a missing file or folder (ENOENT, or SQLite's "unable to open"), so the program
    must see it for itself to say what is wrong."""
    for part in re.split(r"[\\/]", str(path)):
        if sys.platform == "win32":
            size = len(part.encode("utf-16-le", "surrogatepass")) // 2
        else:
            size = len(part.encode("utf-8", "surrogateescape"))
        if size > MAX_NAME:
            return True
    return False


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of an error raised by sqlite3; None for any other."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(exc: BaseException) -> bool:
    """Whether a SQLite error says the file itself is damaged or no database at all."""
    return sqlite_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB)


def is_busy(exc: BaseException) -> bool:
    """Whether SQLite gave up waiting for another connection (not a fault of the disk)."""
    code = sqlite_code(exc)
    if code is None:  # an error raised without a code: judge by SQLite's fixed text
        return "locked" in str(exc)
    return code in (SQLITE_BUSY, SQLITE_LOCKED)


def is_fault(exc: BaseException) -> bool:
    """Whether an error is the disk's or the file system's (what `fault_text` words)."""
    return isinstance(exc, OSError) or sqlite_code(exc) in (
        SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN)


def fault_text(exc: BaseException, subject: str, *, disk_full: bool = False) -> str:
    """One Danish sentence for a fault while using `subject` (a noun phrase such as
    "databasen C:\\…\\kkr-budget.sqlite"); the caller adds what it means ("Intet er gemt.").
    disk_full: the caller found the disk full (SQLite reports some writes to a full disk as
    a plain I/O error)."""
    number = exc.errno if isinstance(exc, OSError) else None
    code = sqlite_code(exc)
    detail = (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)).strip()
    full = (f"Disken er fuld, så {subject} kan ikke skrives. Frigør plads på disken, og "
            "prøv igen.")
    if number == errno.ENOSPC or code == SQLITE_FULL:
        return full
    if number in _NO_ACCESS or code == SQLITE_PERM:
        return (f"Ingen adgang til {subject}: programmet må ikke læse eller skrive dér. "
                "Vælg et andet sted, eller bed IT om adgang.")
    filename = getattr(exc, "filename", None)
    if number == errno.ENAMETOOLONG or (filename is not None and name_too_long(filename)):
        return (f"Filnavnet er for langt: {subject}. Vælg et kortere navn eller en mappe "
                "tættere på drevets rod.")
    if number == errno.EROFS or code == SQLITE_READONLY:
        return (f"Drevet er skrivebeskyttet (eller filen er), så {subject} kan ikke "
                "skrives.")
    if number == errno.ENOENT:
        return f"Filen eller mappen findes ikke: {subject}."
    if disk_full:  # a plain I/O error, or an OSError without ENOSPC, on a full disk
        return full
    if code == SQLITE_CANTOPEN:
        return (f"Kan ikke åbne {subject}: mappen findes ikke, eller programmet har ikke "
                f"adgang til den ({detail}).")
    if code == SQLITE_IOERR:
        return f"Læse- eller skrivefejl på disken ved {subject} ({detail})."
    return f"Fejl i filsystemet ved {subject} ({detail})."
