"""Writing finished files so that a failure leaves nothing behind.

Every file is first written in full to a temporary name beside its target; only when all
are written are they renamed into place. A failure before that removes the temporary files;
a failure while renaming removes the files this call already put in place.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kkr_desktop.core.errors import InputError


def _check_target(target: Path) -> None:
    """Say in Danish, naming the file the user chose, why it cannot be written."""
    folder = target.parent
    if not folder.is_dir():
        raise InputError(f"Mappen {folder} findes ikke; {target.name} er ikke skrevet.")
    if target.is_dir():
        raise InputError(f"{target} er en mappe; angiv et filnavn.")
    if not os.access(folder, os.W_OK):
        raise InputError(f"Programmet må ikke skrive i mappen {folder}; "
                         f"{target.name} er ikke skrevet.")


def write_files(files: dict[Path, bytes]) -> None:
    for target in files:
        _check_target(Path(target))
    temps: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for target, data in files.items():
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                       suffix=".tmp")
            temps.append((Path(tmp), target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, target in temps:
            os.replace(tmp, target)
            placed.append(target)
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        for target in placed:
            target.unlink(missing_ok=True)
        raise


def write_file(target: Path, data: bytes) -> None:
    write_files({target: data})
