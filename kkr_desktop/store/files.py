"""What the store needs to know of the database file itself, below any connection: how to
open it read-only by URI, and whether its disk is full. Used by db and backup alike."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

FULL_BELOW = 1024 * 1024  # bytes


def disk_is_full(path: Path | None) -> bool:
    """Whether the disk holding `path` has (almost) no free space left."""
    if path is None:
        return False
    import shutil  # only after a fault: it imports bz2 and lzma, a cost on every start

    try:
        return shutil.disk_usage(Path(path).parent).free < FULL_BELOW
    except OSError:
        return False


def read_only_uri(path: Path | str) -> str:
    """A SQLite URI opening `path` read-only. Built by hand: Path.as_uri() makes
    file://server/share/… of a UNC path, and SQLite refuses a URI authority."""
    text = os.path.abspath(str(path)).replace("\\", "/")
    if not text.startswith("/"):
        text = "/" + text  # C:/data/x.sqlite -> /C:/data/x.sqlite
    return "file://" + quote(text, safe="/:") + "?mode=ro"
