"""Writing finished files so that a failure leaves nothing behind, and never over the data.

Every file is first written in full (and synced) to a temporary name beside its target;
only when all are written are they renamed into place. A failure before that removes the
temporary files; a failure while renaming puts back what this call replaced (a file that
was there before is restored, a new one removed). `stage` splits the two steps, so that a
caller can record the files (the ERP export log) between writing and placing them.

Before anything is written, every target is checked against the `Protected` paths the
caller passes (the database, its -wal/-shm/-journal, its lock file, the backups folder):
by its real path (through `..` and symbolic links, case-blind on Windows) and, when it
exists, by identity (a hard link). A target that exists and is not a regular file (a
folder, a device such as /dev/full, a FIFO) is refused too. This module knows nothing of
the store; the services build `Protected` from it (services/outputs.py).

Windows refuses to replace a file another program has open (Excel keeps every workbook and
CSV it shows open) or one marked read-only; such a target is found before anything is
renamed, and the user is told to close it, naming the file they chose.

The files get the user's normal permissions: an existing file keeps its mode, a new one
gets 0666 less the umask (mkstemp alone would make it 0600).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kkr_desktop.core.errors import FaultError, InputError
from kkr_desktop.core.faults import fault_text

# Windows: a virus scanner or the search indexer may hold a new file for a moment.
REPLACE_TRIES = 5
REPLACE_PAUSE = 0.2  # seconds


# --- paths that must never be written ------------------------------------------------------

@dataclass(frozen=True)
class Protected:
    """Files (each with what it is, in Danish) and folders no output may touch."""

    files: tuple[tuple[Path, str], ...] = ()
    folders: tuple[tuple[Path, str], ...] = ()


NOTHING = Protected()


def _real(path: Path | str) -> str:
    return os.path.normcase(os.path.realpath(os.path.abspath(path)))


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if st.st_ino else None  # some Windows shares give no inode


def _refused(target: Path, what: str, where: Path) -> InputError:
    """`what` completes «<target> er …» or «<target> ligger i …»."""
    same = os.path.abspath(target) == os.path.abspath(where)
    return InputError(f"{target} {what}{'' if same else f' ({where})'}, så den må ikke "
                      "skrives. Vælg et andet filnavn eller en anden mappe. Intet er skrevet.")


def refuse_protected(target: Path | str, protected: Protected) -> None:
    """InputError when `target` is, or lies in, one of the protected paths."""
    target = Path(target)
    real = _real(target)
    me = _identity(real)
    for path, what in protected.files:
        if real == _real(path) or (me is not None and me == _identity(str(path))):
            raise _refused(target, f"er {what}", Path(path))
    for folder, what in protected.folders:
        base = _real(folder)
        if real == base:
            raise _refused(target, f"er {what}", Path(folder))
        if real.startswith(base.rstrip(os.sep) + os.sep):
            raise _refused(target, f"ligger i {what}", Path(folder))
        if me is not None and os.path.isdir(folder):
            for entry in os.scandir(folder):  # a hard link to a backup, made elsewhere
                if entry.is_file() and _identity(entry.path) == me:
                    raise _refused(target, f"er en fil i {what}", Path(entry.path))


def refuse_special(target: Path | str) -> None:
    """InputError when `target` exists and is not a regular file (a folder, a device such
    as /dev/full, a named pipe): writing "over" it would not make a file there."""
    target = Path(target)
    if target.is_dir():
        raise InputError(f"{target} er en mappe; angiv et filnavn.")
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return  # a new file, or a link pointing nowhere (the link is replaced by the file)
    if not stat.S_ISREG(mode):
        raise InputError(f"{target} er ikke en almindelig fil (men fx en enhed eller en "
                         "navngivet pipe) og kan ikke overskrives. Angiv et filnavn. "
                         "Intet er skrevet.")


def check_output(target: Path | str, protected: Protected) -> None:
    """Everything said before a file is written to `target` (nothing is written here)."""
    target = Path(target)
    refuse_protected(target, protected)
    _check_target(target)


def _check_target(target: Path) -> None:
    """Say in Danish, naming the file the user chose, why it cannot be written."""
    folder = target.parent
    if not folder.is_dir():
        raise InputError(f"Mappen {folder} findes ikke; {target.name} er ikke skrevet.")
    refuse_special(target)
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


# --- permissions ---------------------------------------------------------------------------

def current_umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux);
    elsewhere set and put back at once."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    old = os.umask(0o077)
    os.umask(old)
    return old


def _mode_for(target: Path) -> int:
    """An existing file keeps its permissions; a new one gets the user's normal ones."""
    try:
        st = os.stat(target)
    except OSError:
        return 0o666 & ~current_umask()
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else 0o666 & ~current_umask()


# --- writing -------------------------------------------------------------------------------

class Staging:
    """Files written in full to temporary names beside their targets, not yet in place."""

    def __init__(self, temps: list[tuple[Path, Path]]) -> None:
        self.temps = temps

    @property
    def targets(self) -> list[Path]:
        return [target for _, target in self.temps]

    def place(self) -> None:
        """Rename every file into place. On a failure the targets are as before: a file
        that was replaced is put back, a new one removed; the error is raised."""
        placed: list[tuple[Path, Path | None]] = []
        try:
            for tmp, target in self.temps:
                placed.append((target, _keep_old(target)))
                _replace(tmp, target)
        except BaseException:
            for target, old in reversed(placed):
                with contextlib.suppress(OSError):
                    if old is None:
                        target.unlink(missing_ok=True)
                        continue
                    if not (target.exists() and os.path.samefile(old, target)):
                        os.replace(old, target)  # else this one was never replaced
                    old.unlink(missing_ok=True)
            self.discard()
            raise
        for _, old in placed:
            if old is not None:
                with contextlib.suppress(OSError):
                    old.unlink()
        self.temps = []

    def discard(self) -> None:
        """Remove the temporary files (nothing was placed)."""
        for tmp, _ in self.temps:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        self.temps = []


def _keep_old(target: Path) -> Path | None:
    """A second name for the file at `target`, so it can be put back; None if there is none.
    A hard link (the target is never missing); a copy where links are not supported."""
    if not os.path.isfile(target):
        return None
    old = target.with_name(f".{target.name}.{os.getpid()}.old")
    with contextlib.suppress(FileNotFoundError):
        old.unlink()
    try:
        os.link(target, old)
    except OSError:
        import shutil

        shutil.copy2(target, old)
    return old


def stage(files: dict[Path, bytes], *, protected: Protected) -> Staging:
    """Check every target, then write every file in full to a temporary name and sync it.
    Nothing is written when a check fails; a failure while writing removes the temps."""
    files = {Path(target): data for target, data in files.items()}
    for target in files:
        check_output(target, protected)
    staging = Staging([])
    try:
        for target, data in files.items():
            try:
                fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                           suffix=".tmp")
            except PermissionError as exc:  # Windows: os.access does not read the folder's ACL
                raise _no_write(target.parent, target) from exc
            except OSError as exc:  # a full disk, a name too long, a read-only drive
                raise _fault(exc, target) from exc
            staging.temps.append((Path(tmp), target))
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    if hasattr(os, "fchmod"):  # POSIX; on Windows mkstemp's file is not 0600
                        os.fchmod(fh.fileno(), _mode_for(target))
                    os.fsync(fh.fileno())
            except OSError as exc:
                raise _fault(exc, target) from exc
    except BaseException:
        staging.discard()
        raise
    return staging


def _fault(exc: OSError, target: Path) -> FaultError:
    return FaultError(f"{fault_text(exc, f'filen {target}')} Intet er skrevet.")


def write_files(files: dict[Path, bytes], *, protected: Protected) -> None:
    """Write every file whole or none: checked, written to temps, then put in place."""
    stage(files, protected=protected).place()


def write_file(target: Path, data: bytes, *, protected: Protected) -> None:
    write_files({target: data}, protected=protected)


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
