"""A damaged database is moved aside with its -wal as one, or not at all (Windows cannot
move a file another program holds open)."""

from __future__ import annotations

import os

import pytest

from kkr_desktop.core.errors import StoreError
from kkr_desktop.services import safety


def test_a_refused_move_puts_back_what_was_moved_and_says_so(tmp_path, monkeypatch):
    db = tmp_path / "kkr-budget.sqlite"
    db.write_bytes(b"\x00" * 8192)
    wal = db.with_name(db.name + "-wal")
    wal.write_bytes(b"wal")
    real_replace = os.replace

    def replace(src, dst):
        if str(src).endswith("-wal"):
            raise PermissionError(13, "Adgang nægtet", str(src))
        real_replace(src, dst)

    monkeypatch.setattr(safety.os, "replace", replace)
    with pytest.raises(StoreError) as err:
        safety._move_aside(db)
    assert "kan ikke flyttes til side (kkr-budget.sqlite-wal)" in err.value.message
    assert "Intet er ændret" in err.value.message
    assert db.read_bytes() == b"\x00" * 8192 and wal.read_bytes() == b"wal"
    assert not list((tmp_path / "backups").glob("*damaged*"))


def test_the_database_and_its_wal_are_moved_together(tmp_path):
    db = tmp_path / "kkr-budget.sqlite"
    db.write_bytes(b"db")
    db.with_name(db.name + "-wal").write_bytes(b"wal")
    target = safety._move_aside(db)
    assert not db.exists() and target.read_bytes() == b"db"
    assert target.with_name(target.name + "-wal").read_bytes() == b"wal"
