"""No output path of any command may destroy the database (issue 11 §2).

Every CLI command with -o is found in the parser itself, so a new one that is not listed
here fails the test. Each is pointed at the database, its -wal/-shm, its lock file, a
backup, the database reached through `..`, a symbolic link and a hard link to it, a
character device (like /dev/full), a named pipe and a folder: each must exit 2 with a
Danish message naming the target, and the database must be byte-for-byte what it was.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import re
import stat
import sys
from pathlib import Path

import pytest

from kkr_desktop.cli import build_parser, main

pytestmark = pytest.mark.sqlite_file  # the -o targets are the SQLite file and its companions

# The arguments each command needs besides -o, and the suffix its file must have.
COMMANDS = {
    ("report",): (["--secretariat", "sundhed", "--year", "2024"], ".pdf"),
    ("statement", "export"): (["--secretariat", "sundhed", "--year", "2024"], ".csv"),
    ("export",): (["--secretariat", "sundhed", "--year", "2024"], ".csv"),
    ("xlsx", "statement"): (["--secretariat", "sundhed", "--year", "2024"], ".xlsx"),
    ("xlsx", "allocation"): (["--secretariat", "sundhed", "--year", "2024"], ".xlsx"),
    ("backup",): ([], ".sqlite"),
    ("bill",): (["--kkr", "Nordjylland", "--year", "2024"], ".csv"),
    ("agenda", "report"): (["--id", "1"], ".pdf"),  # the world's agenda item
}
# These refuse any other suffix first: the links and the backups folder test them.
SUFFIX_REQUIRED = {("xlsx", "statement"), ("xlsx", "allocation"), ("bill",)}
# Variants of a command that write through another path of the service.
VARIANTS = {("export",): [["--journal"], ["--again"]], ("bill",): [["--oioubl"]]}

DANISH = ("må ikke skrives", "ikke en almindelig fil", "er en mappe")


def commands_with_output(parser: argparse.ArgumentParser, prefix=()) -> set[tuple[str, ...]]:
    found = set()
    for action in parser._actions:
        if "-o" in action.option_strings:
            found.add(prefix)
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= commands_with_output(sub, (*prefix, name))
    return found


def test_every_command_with_an_output_is_tried_here():
    assert commands_with_output(build_parser()) == set(COMMANDS)


@pytest.fixture
def world(export_ready, tmp_path):
    """The demo, ready to export, with a backup taken; closed as a user would find it."""
    from kkr_desktop.core.agenda import AgendaText
    from kkr_desktop.services import agenda
    from kkr_desktop.store import erp

    store, sec = export_ready
    erp.set_journal_accounts(store, sec.id, "5810", "7100")
    agenda.create_item(store, kkr="Nordjylland", year=2024, text=AgendaText("Regnskab", "2.4"))
    db = store.path
    store.close()
    assert main(["--db", str(db), "backup"]) == 0
    gc.collect()
    return db


def fingerprint(db):
    """The database's bytes, and its content as SQL (the -wal is gone once it is closed)."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    return hashlib.sha256(db.read_bytes()).hexdigest(), hashlib.sha256(dump.encode()).digest()


def targets(db, suffix):
    """(name, path the user gives, path(s) one of which the message must name)."""
    backup = sorted((db.parent / "backups").glob("*.sqlite"))[0]
    wal, shm = (db.with_name(db.name + s) for s in ("-wal", "-shm"))
    lock = db.with_name(db.name + ".lock")
    link = db.parent / f"link{suffix}"
    link.unlink(missing_ok=True)
    link.symlink_to(db)
    hard = db.parent / f"hard{suffix}"
    hard.unlink(missing_ok=True)
    os.link(backup, hard)
    wal_link = db.parent / f"wal{suffix}"  # the WAL exists only while the command runs
    wal_link.unlink(missing_ok=True)
    wal_link.symlink_to(wal)
    fifo = db.parent / f"pipe{suffix}"
    if not fifo.exists():
        os.mkfifo(fifo)
    folder = db.parent / f"mappe{suffix}"
    folder.mkdir(exist_ok=True)
    up = db.parent / ".." / db.parent.name / db.name
    found = [("db", db, db), ("wal", wal, wal), ("shm", shm, shm), ("lock", lock, lock),
             ("backup", backup, backup), ("dotdot", up, (up, db)), ("symlink", link, db),
             ("hardlink", hard, backup), ("wal-symlink", wal_link, wal),
             ("backups-folder", db.parent / "backups" / f"ny{suffix}", db.parent / "backups"),
             ("fifo", fifo, fifo), ("folder", folder, folder)]
    device = _device(db.parent / f"full{suffix}")
    if device is not None:
        found.append(("device", device, device))
    return found


def _device(path):
    """A character device to write to: a copy of /dev/full's node where we may make one
    (root), else /dev/full itself only where a regression could not replace it (as root,
    a rename over /dev/full is exactly how it once became a PDF)."""
    if path.exists():
        return path
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        return path
    except (OSError, AttributeError):
        pass
    full = "/dev/full"
    if os.path.exists(full) and stat.S_ISCHR(os.stat(full).st_mode) \
            and not os.access("/dev", os.W_OK):
        return full
    return None


def _cases():
    for command, (_, suffix) in COMMANDS.items():
        for variant in [[]] + VARIANTS.get(command, []):
            yield command, variant, suffix


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks, FIFOs and /dev/full: POSIX")
@pytest.mark.parametrize(("command", "variant", "suffix"), list(_cases()),
                         ids=lambda v: "-".join(v) if isinstance(v, tuple | list) else v)
def test_no_output_overwrites_the_database_or_what_belongs_to_it(
        world, command, variant, suffix, capsys):
    db = world
    args = COMMANDS[command][0]
    before = fingerprint(db)
    failures = []
    for name, given, named in targets(db, suffix):
        if (command == ("backup",) or "--oioubl" in variant) and name == "folder":
            continue  # backup and bill --oioubl -o FOLDER write new files into it
        if command in SUFFIX_REQUIRED and not str(given).endswith(suffix):
            continue
        named = named if isinstance(named, tuple) else (named,)
        code = main(["--db", str(db), *command, *args, *variant, "-o", str(given)])
        gc.collect()
        _, err = capsys.readouterr()
        if code != 2 or not any(w in err for w in DANISH) or not any(str(n) in err for n in named):
            failures.append(f"{name}: exit {code}, {err.strip()!r}")
        if fingerprint(db) != before:
            failures.append(f"{name}: the database changed")
            break
        assert os.path.isfile(db) and not os.path.islink(db)
    assert failures == []
    leftovers = [p.name for p in db.parent.rglob("*.tmp")]
    assert leftovers == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_new_file_gets_the_users_permissions(world, tmp_path):
    old = os.umask(0o022)
    try:
        out = tmp_path / "rapport.pdf"
        assert main(["--db", str(world), "report", "--secretariat", "sundhed", "--year",
                     "2024", "-o", str(out)]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


# Where the package may open a file for writing itself: atomic.py (which all outputs use),
# the SQLite backup copy, the lock file, and writers into an in-memory buffer.
WRITERS_ALLOWED = {"formats/atomic.py", "store/backup.py", "store/lock.py"}
WRITES = re.compile(r"""open\([^)]*['"][wax]b?\+?['"]|\.write_bytes\(|\.write_text\(|"""
                    r"""shutil\.copy|\.save\((?!buf\)|self\))[^)]*\b(path|file|target|filename)\b""")


def test_every_file_the_program_writes_goes_through_atomic():
    package = Path(__file__).resolve().parents[2] / "kkr_desktop"
    found = []
    for path in package.rglob("*.py"):
        rel = path.relative_to(package).as_posix()
        if rel in WRITERS_ALLOWED or rel.startswith("ui/"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITES.search(line):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert found == []
