"""The paths no output of the program may write: the open database and what belongs to it.

Every service that writes a file the user named passes `protected(store)` to
`formats.atomic`, which refuses such a target before anything is written.
"""

from __future__ import annotations

from pathlib import Path

from kkr_desktop.formats.atomic import NOTHING, Protected
from kkr_desktop.store.backup import backup_dir
from kkr_desktop.store.db import Store
from kkr_desktop.store.lock import lock_path


def protected_for(db_path: Path | None) -> Protected:
    if db_path is None:  # a database in memory has no files
        return NOTHING
    db = Path(db_path)
    files = ((db, "selve databasen"),
             (db.with_name(db.name + "-wal"), "databasens WAL-fil"),
             (db.with_name(db.name + "-shm"), "databasens delte hukommelsesfil (-shm)"),
             (db.with_name(db.name + "-journal"), "databasens journalfil"),
             (lock_path(db), "databasens låsefil"))
    return Protected(files, ((backup_dir(db), "mappen med sikkerhedskopier"),))


def protected(store: Store) -> Protected:
    return protected_for(store.path)
