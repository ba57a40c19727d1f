"""The one exception tree. Messages are Danish: they are shown to the user as they are."""

from __future__ import annotations


class KkrError(Exception):
    """Root of every error the program raises on purpose. `exit_code` is used by the CLI."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(KkrError):
    """The user gave something the program cannot accept (an amount, a file, an option)."""

    exit_code = 2


class AmountError(InputError):
    """A text is not a Danish amount."""


class KkrNeeded(InputError):
    """A new secretariat is to be created, and which KKR it belongs to is not known. The
    window asks and tries again; the command line asks for --kkr."""

    def __init__(self, message: str, secretariats: list[str]) -> None:
        super().__init__(message)
        self.secretariats = secretariats


class Problem:
    """One located problem in an input file: where, and what."""

    __slots__ = ("source", "line", "column", "message")

    def __init__(self, message: str, *, source: str = "", line: int | None = None,
                 column: str | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.line is not None:
            where.append(f"linje {self.line}")
        if self.column:
            where.append(f"kolonne «{self.column}»")
        return (", ".join(where) + ": " if where else "") + self.message


class FileFormatError(InputError):
    """An input file has one or more bad rows. Every problem is listed, not only the first."""

    MAX_SHOWN = 20

    def __init__(self, problems: list[Problem], *, source: str = "") -> None:
        self.problems = problems
        shown = [str(p) for p in problems[: self.MAX_SHOWN]]
        if len(problems) > self.MAX_SHOWN:
            shown.append(f"… og {len(problems) - self.MAX_SHOWN} fejl mere")
        head = f"Filen {source} kan ikke indlæses" if source else "Filen kan ikke indlæses"
        head += " – intet er gemt:" if problems else "."
        super().__init__("\n".join([head, *("  " + s for s in shown)]))


class NotFoundError(InputError):
    """A named thing (secretariat, kommune, statement) does not exist."""


class LockedError(KkrError):
    """An approved (frozen) statement or allocation was about to be changed."""

    exit_code = 2


class StoreError(KkrError):
    """The database cannot be used (too new, damaged, locked by another writer)."""


class FaultError(StoreError):
    """The disk or the file system failed (full, no access, read-only, an I/O error): neither
    the user's input nor a damaged database. The message says which; see core/faults.py."""


class ConflictError(KkrError):
    """Another officer changed the same row (or approved the statement) after this view
    read it: the save is refused so that neither change is lost. `attempted` says what the
    refused save would have written ("«Husleje», budget 2024: 41.000,00"), for the window
    to keep in sight."""

    exit_code = 2

    def __init__(self, message: str, attempted: list[str] | None = None) -> None:
        super().__init__(message)
        self.attempted = list(attempted or [])
