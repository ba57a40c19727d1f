"""Backups and restore under Windows' rule that a file another handle has open cannot be
renamed, replaced or deleted. Simulated on Linux: sys.platform, and os functions that raise
the PermissionError Windows raises for such a file."""

from __future__ import annotations

import os
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kkr_desktop.core.errors import StoreError
from kkr_desktop.services import safety
from kkr_desktop.services.rates import set_pl_rate
from kkr_desktop.store import backup, rates

pytestmark = pytest.mark.sqlite_file  # backups of the SQLite file


@pytest.fixture
def windows(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(backup, "REPLACE_PAUSE", 0)


def _open_elsewhere(monkeypatch, *paths: Path) -> list[str]:
    """Renaming, replacing or deleting any of `paths` fails as on Windows; returns the tries."""
    held = {os.fspath(p) for p in paths}
    tried: list[str] = []

    def guard(real):
        def call(*args, **kwargs):
            names = {os.fspath(a) for a in args if isinstance(a, str | Path)}
            if names & held:
                tried.append(real.__name__)
                raise PermissionError(13, "Processen kan ikke få adgang til filen, fordi den "
                                      "bruges af en anden proces", os.fspath(args[0]))
            return real(*args, **kwargs)
        return call

    for name in ("replace", "rename", "remove", "unlink"):
        monkeypatch.setattr(os, name, guard(getattr(os, name)))
    return tried


def test_restore_never_renames_or_deletes_the_open_database(demo_store, db_path, windows,
                                                            monkeypatch):
    copy = safety.backup_now(demo_store)
    set_pl_rate(demo_store, 2025, expected=Decimal("3.1"))
    tried = _open_elsewhere(monkeypatch, db_path, *(
        db_path.with_name(db_path.name + s) for s in ("-wal", "-shm", "-journal")))

    result = safety.restore(demo_store, copy)
    assert tried == []
    assert rates.get(demo_store, 2025) is None
    assert result.previous is not None and result.previous.exists()
    assert safety.check(demo_store) == []


def test_a_backup_onto_a_file_open_elsewhere_says_so_and_leaves_it(store, tmp_path, windows,
                                                                   monkeypatch):
    target = tmp_path / "kopi.sqlite"
    target.write_bytes(b"the old copy")
    tried = _open_elsewhere(monkeypatch, target)

    with pytest.raises(StoreError) as err:
        safety.backup_now(store, target)
    assert str(target) in err.value.message
    assert "åben i et andet program" in err.value.message
    assert "Databasen er uændret" in err.value.message
    assert tried == ["replace"] * backup.REPLACE_TRIES
    assert target.read_bytes() == b"the old copy"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_moment_of_virus_scanning_is_waited_out(store, db_path, windows, monkeypatch):
    real_replace = os.replace
    tries = []

    def replace(src, dst):
        tries.append(dst)
        if len(tries) < 3:
            raise PermissionError(13, "Adgang nægtet", os.fspath(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    path = backup.take(store.conn, db_path, "manual")
    assert len(tries) == 3
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_off_windows_a_refused_rename_is_not_retried(store, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    target = tmp_path / "kopi.sqlite"
    tried = _open_elsewhere(monkeypatch, target)
    with pytest.raises(StoreError):
        safety.backup_now(store, target)
    assert tried == ["replace"]


def test_a_temporary_file_that_cannot_be_removed_does_not_hide_the_error(
        store, tmp_path, windows, monkeypatch):
    target = tmp_path / "kopi.sqlite"
    tmp = os.fspath(target.with_name(f".{target.name}.{os.getpid()}.tmp"))
    real_unlink = os.unlink
    replaced = []

    def replace(src, dst):
        replaced.append(dst)
        raise PermissionError(13, "Adgang nægtet", os.fspath(src))

    def unlink(path, *args, **kwargs):
        if replaced and os.fspath(path) == tmp:  # the scanner holds the temporary file too
            raise PermissionError(13, "Adgang nægtet", tmp)
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "unlink", unlink)
    with pytest.raises(StoreError, match="åben i et andet program"):
        safety.backup_now(store, target)
    assert len(replaced) == backup.REPLACE_TRIES
