"""An ERP file is never in place without its row in the export log (issue 11 §4).

The export log is the guard against billing the kommuner twice: a complete file that the
log does not know is the danger. Tried with a failing COMMIT, a refused rename halfway
through a folder of files, and a process killed right after a file was put in place.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.core.errors import KkrError
from kkr_desktop.services import export, verify
from kkr_desktop.store import erp

DUE = date(2024, 12, 31)
ROOT = Path(__file__).resolve().parents[2]


class FailingCommit:
    """The store's connection, except that COMMIT fails as on a full or failing disk."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql, *args):
        if sql.strip().upper() == "COMMIT":
            raise sqlite3.OperationalError("disk I/O error")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def visible_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def test_a_failing_commit_leaves_no_file_and_says_so(export_ready, tmp_path):
    store, sec = export_ready
    plan = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION, due=DUE)
    (tmp_path / "ud").mkdir()
    target = tmp_path / "ud" / "bidrag.csv"
    real = store.conn
    store.conn = FailingCommit(real)
    try:
        with pytest.raises(KkrError) as err:
            export.export_erp(store, plan, target)
    finally:
        store.conn = real
    assert os.listdir(tmp_path / "ud") == []  # no file, no temporary file
    message = err.value.message
    assert "ingen fil" in message and "intet er eksporteret" in message
    assert str(target) in message
    assert erp.exports(store, sec.id, 2024) == []


def test_a_refused_rename_puts_back_every_earlier_file_and_logs_nothing(
        export_ready, tmp_path, monkeypatch):
    """Per kommune: the third file cannot be placed. The two placed before are taken back,
    and the files of an earlier export that stood there are as they were."""
    store, sec = export_ready
    plan = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION, due=DUE)
    folder = tmp_path / "erp"
    folder.mkdir()
    names = [export.file_name(plan, ln) for ln in plan.lines]
    for name in names:
        (folder / name).write_bytes(b"earlier export " + name.encode())
    real_replace = os.replace
    placed = []

    def replace(src, dst):
        if Path(dst).name == names[2]:
            raise PermissionError(13, "Adgang nægtet", str(dst))
        real_replace(src, dst)
        placed.append(dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KkrError) as err:
        export.export_erp(store, plan, folder, per_kommune=True)
    monkeypatch.undo()
    assert len(placed) >= 2
    assert "trukket tilbage i eksportloggen" in err.value.message
    assert [p.name for p in visible_files(folder)] == sorted(names)
    for name in names:
        assert (folder / name).read_bytes() == b"earlier export " + name.encode(), name
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
    assert erp.exports(store, sec.id, 2024) == []
    # the append-only log keeps the attempt, withdrawn, and verification finds nothing amiss
    assert store.scalar("SELECT count(*) FROM export_log") == 1
    assert store.scalar("SELECT count(*) FROM export_withdrawn") == 1
    assert verify.verify(store).ok


KILLER = """
import os, sys
sys.path.insert(0, {root!r})
from kkr_desktop.cli import main

real_replace = os.replace
placed = 0

def replace(src, dst):
    global placed
    if {before} and str(dst).endswith(".csv"):
        os.kill(os.getpid(), 9)  # logged and committed, nothing in place yet
    real_replace(src, dst)
    if str(dst).endswith(".csv"):
        placed += 1
        if placed == {after}:
            os.kill(os.getpid(), 9)  # the moment between a file in place and the next step

os.replace = replace
sys.exit(main(sys.argv[1:]))
"""


def logged_files(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT path, sha256 FROM export_file").fetchall())
    finally:
        conn.close()


@pytest.mark.sqlite_file
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize(("per_kommune", "after"), [(False, 1), (True, 3)])
def test_a_kill_right_after_placing_a_file_never_leaves_it_unlogged(
        export_ready, tmp_path, per_kommune, after):
    store, _ = export_ready
    db = store.path
    store.close()
    out = tmp_path / "ud"
    out.mkdir()
    target = out if per_kommune else out / "bidrag.csv"
    args = ["--db", str(db), "export", "--secretariat", "sundhed", "--year", "2024",
            "--due-date", "31-12-2024", "-o", str(target)]
    if per_kommune:
        args.append("--per-kommune")
    script = KILLER.format(root=str(ROOT), after=after, before=False)
    child = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                           text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    files = visible_files(out)
    assert files, "the kill came after a file was placed"
    logged = logged_files(db)
    for f in files:
        assert str(f.resolve()) in logged, f"{f.name} is in place but not in the export log"
        assert logged[str(f.resolve())] == hashlib.sha256(f.read_bytes()).hexdigest()


@pytest.mark.sqlite_file
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_kill_before_the_file_is_placed_blocks_a_repeat_until_again_and_says_why(
        export_ready, tmp_path, capsys):
    """The one state a kill can leave: the log has the export, the file is not there. The
    next export is refused (as for any repeat) and told that the file never arrived;
    --again writes it."""
    from kkr_desktop.cli import main

    store, _ = export_ready
    db = store.path
    store.close()
    target = tmp_path / "bidrag.csv"
    args = ["--db", str(db), "export", "--secretariat", "sundhed", "--year", "2024",
            "--due-date", "31-12-2024", "-o", str(target)]
    child = subprocess.run([sys.executable, "-c", KILLER.format(root=str(ROOT), after=0,
                                                                before=True), *args],
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert not target.exists() and list(logged_files(db)) == [str(target)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "findes ikke længere" in err and "--again" in err
    assert main([*args, "--again"]) == 0
    assert target.exists()
