"""formats.atomic refuses protected paths however they are spelled, and keeps permissions."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from kkr_desktop.core.errors import InputError
from kkr_desktop.formats import atomic


@pytest.fixture
def protected(tmp_path):
    db = tmp_path / "kkr.sqlite"
    db.write_bytes(b"SQLite format 3\x00data")
    (tmp_path / "backups").mkdir()
    return db, atomic.Protected(((db, "selve databasen"),),
                                ((tmp_path / "backups", "mappen med sikkerhedskopier"),))


def test_windows_spelling_in_another_case_is_the_same_file(protected, monkeypatch):
    db, prot = protected
    monkeypatch.setattr(os.path, "normcase", str.lower)  # what ntpath.normcase does
    with pytest.raises(InputError, match="selve databasen"):
        atomic.write_file(db.with_name("KKR.SQLITE"), b"x", protected=prot)
    assert db.read_bytes().startswith(b"SQLite")


@pytest.mark.skipif(sys.platform == "win32", reason="hard links need admin rights on some")
def test_a_hard_link_to_the_database_is_refused(protected, tmp_path):
    db, prot = protected
    os.link(db, tmp_path / "rapport.pdf")
    with pytest.raises(InputError, match="selve databasen"):
        atomic.write_file(tmp_path / "rapport.pdf", b"%PDF", protected=prot)
    assert db.read_bytes().startswith(b"SQLite")


def test_a_folder_beside_the_backups_with_a_longer_name_is_not_protected(protected, tmp_path):
    _, prot = protected
    (tmp_path / "backups2").mkdir()
    atomic.write_file(tmp_path / "backups2" / "x.csv", b"ok", protected=prot)
    with pytest.raises(InputError, match="ligger i mappen med sikkerhedskopier"):
        atomic.write_file(tmp_path / "backups" / "sub" / ".." / "x.csv", b"ok", protected=prot)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_permissions_follow_the_umask_and_an_existing_file_keeps_its_own(tmp_path):
    old = os.umask(0o027)
    try:
        atomic.write_file(tmp_path / "new.csv", b"1", protected=atomic.NOTHING)
        kept = tmp_path / "kept.csv"
        kept.write_bytes(b"old")
        kept.chmod(0o664)
        atomic.write_file(kept, b"new", protected=atomic.NOTHING)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640
    assert stat.S_IMODE(kept.stat().st_mode) == 0o664 and kept.read_bytes() == b"new"


def test_a_full_disk_while_writing_is_said_in_danish_and_leaves_nothing(tmp_path, monkeypatch):
    import errno

    from kkr_desktop.core.errors import FaultError

    target = tmp_path / "rapport.pdf"
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fd, mode):
            self.fh = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", FullDisk)
    with pytest.raises(FaultError) as caught:
        atomic.write_file(target, b"%PDF-1.4", protected=atomic.NOTHING)
    assert "Disken er fuld" in caught.value.message and "Intet er skrevet" in caught.value.message
    assert list(tmp_path.iterdir()) == []
