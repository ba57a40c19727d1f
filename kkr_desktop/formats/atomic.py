"""Writing finished files so that a failure leaves nothing behind.

Every file is first written in full to a temporary name beside its target; only when all
are written are they renamed into place. A failure before that removes the temporary files;
a failure while renaming removes the files this call already put in place.

Windows refuses to replace a file another program has open (Excel keeps every workbook and
CSV it shows open) or one marked read-only; such a target is found before anything is
renamed, and the user is told to close it, naming the file they chose.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

from kkr_desktop.core.errors import InputError

# Windows: a virus scanner or the search indexer may hold a new file for a moment.
REPLACE_TRIES = 5
REPLACE_PAUSE = 0.2  # seconds


def _check_target(target: Path) -> None:
    """Say in Danish, naming the file the user chose, why it cannot be written."""
    folder = target.parent
    if not folder.is_dir():
        raise InputError(f"Mappen {folder} findes ikke; {target.name} er ikke skrevet.")
    if target.is_dir():
        raise InputError(f"{target} er en mappe; angiv et filnavn.")
    if not os.access(folder, os.W_OK):
        raise _no_write(folder, target)
    if sys.platform == "win32" and target.exists():
        # os.access ignores a share mode; opening for writing (nothing is written) fails as
        # the rename would, and before any file of this call is touched.
        try:
            with open(target, "r+b"):
                pass
        except PermissionError as exc:
            raise _in_use(target) from exc


def _no_write(folder: Path, target: Path) -> InputError:
    return InputError(f"Programmet må ikke skrive i mappen {folder}; "
                      f"{target.name} er ikke skrevet.")


def _in_use(target: Path) -> InputError:
    return InputError(f"Filen {target} er åben i et andet program (fx Excel) eller "
                      "skrivebeskyttet, så den kan ikke overskrives. Luk filen dér (eller "
                      "vælg et andet filnavn), og prøv igen. Intet er skrevet.")


def _replace(tmp: Path, target: Path) -> None:
    tries = REPLACE_TRIES if sys.platform == "win32" else 1
    for attempt in range(1, tries + 1):
        try:
            os.replace(tmp, target)
            return
        except PermissionError as exc:
            if attempt < tries:
                time.sleep(REPLACE_PAUSE)
                continue
            if sys.platform == "win32":
                raise _in_use(target) from exc
            raise _no_write(target.parent, target) from exc  # POSIX: the folder decides


def write_files(files: dict[Path, bytes]) -> None:
    for target in files:
        _check_target(Path(target))
    temps: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for target, data in files.items():
            try:
                fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                           suffix=".tmp")
            except PermissionError as exc:  # Windows: os.access does not read the folder's ACL
                raise _no_write(target.parent, target) from exc
            temps.append((Path(tmp), target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, target in temps:
            _replace(tmp, target)
            placed.append(target)
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        for target in placed:
            target.unlink(missing_ok=True)
        raise


def write_file(target: Path, data: bytes) -> None:
    write_files({target: data})


# --- file names the program suggests -------------------------------------------------------

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')  # not in a Windows file name
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
             *(f"LPT{n}" for n in range(1, 10))}
MAX_STEM = 150  # the temporary name adds ~15 characters; Windows allows 255


def safe_file_name(stem: str, suffix: str, replacement: str = "-") -> str:
    """`stem` + `suffix` as a name every system accepts: characters Windows forbids become
    `replacement`, no trailing dot or space, no device name (CON, NUL, COM1, …), not too long.
    Built from user data such as a secretariat's or a kommune's name."""
    text = _FORBIDDEN.sub(replacement, stem).strip()
    text = text[:MAX_STEM].rstrip(". ") or "fil"
    if text.split(".")[0].rstrip(" ").upper() in _RESERVED:
        text = "_" + text
    return text + suffix
