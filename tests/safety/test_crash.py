"""Crash safety: a writing process is killed with SIGKILL at random moments, 220 times.

After every kill: the file passes integrity_check, every transaction the child reported as
committed is there, and nothing is half there — an import (two secretariats, 48 lines,
memberships and their audit rows in one transaction) is all in or all out, every saved
allocation has all its rows, and every edit left exactly one audit row.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kkr_desktop.services.setup import load_demo
from kkr_desktop.store.db import open_store

KILLS = 220
CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="fork and SIGKILL")]


def committed(report: Path) -> dict[str, list[int]]:
    done: dict[str, list[int]] = {"import": [], "edit": [], "alloc": []}
    for line in report.read_text().splitlines():
        kind, number = line.split()
        done[kind].append(int(number))
    return done


def verify(db: Path, done: dict[str, list[int]], husleje_start: int) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        sec = dict(conn.execute("SELECT name, id FROM secretariat").fetchall())
        krak = sorted(int(n.split()[1]) for n in sec if n.startswith("Krak "))
        generation = len(krak)
        assert krak == list(range(1, generation + 1)), "an import is half present"
        assert generation >= max(done["import"], default=0)
        if generation:
            for name in ("Krak", f"Krak {generation}"):
                budgets = conn.execute(
                    "SELECT year, name, budget FROM statement_line WHERE secretariat_id = ? "
                    "ORDER BY year, position", (sec[name],)).fetchall()
                assert len(budgets) == 24, f"{name}: {len(budgets)} lines"
                assert budgets[0][2] == generation * 100_000  # the contribution line
                assert {b % 100 for _, _, b in budgets[1:12]} == set(range(1, 12))
                assert {b // 100 for _, n, b in budgets if n != budgets[0][1]} == {generation}
                members = conn.execute("SELECT count(*) FROM membership WHERE "
                                       "secretariat_id = ?", (sec[name],)).fetchone()[0]
                assert members == 11
        husleje_id, husleje = conn.execute(
            "SELECT id, budget FROM statement_line WHERE year = 2024 AND name = 'Husleje'"
        ).fetchone()
        assert husleje >= max(done["edit"], default=husleje_start)
        edits = conn.execute("SELECT count(*) FROM audit_log WHERE tbl = 'statement_line' "
                             "AND key = ? AND action = 'update'", (str(husleje_id),)
                             ).fetchone()[0]
        assert edits == husleje - husleje_start, "an edit without its audit row"
        allocations = dict(conn.execute("SELECT id, total FROM allocation").fetchall())
        assert set(done["alloc"]) <= set(allocations)
        for aid, total in allocations.items():
            n, s = conn.execute("SELECT count(*), sum(amount) FROM allocation_row WHERE "
                                "allocation_id = ?", (aid,)).fetchone()
            assert (n, s) == (11, total), f"allocation {aid} is half saved"
        return {"imports": generation, "edits": husleje - husleje_start,
                "allocations": len(allocations)}
    finally:
        conn.close()


def test_sigkill_at_random_moments_never_loses_or_half_writes(tmp_path, capsys):
    db = tmp_path / "crash.sqlite"
    report = tmp_path / "committed.txt"
    report.touch()
    s = open_store(db)
    load_demo(s)
    husleje_start = s.scalar("SELECT budget FROM statement_line WHERE year = 2024 "
                             "AND name = 'Husleje'")
    s.close()
    rng = random.Random(20240301)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    errors = tmp_path / "child-stderr.txt"
    zygote = subprocess.Popen([sys.executable, str(CHILD), str(db), str(report), str(errors)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    kills = 0
    counts: dict[str, int] = {}
    try:
        for _ in range(KILLS):
            zygote.stdin.write("go\n")
            zygote.stdin.flush()
            int(zygote.stdout.readline())  # the child's pid: it is running
            # Mostly mid-work, sometimes while the child is still opening the database.
            delay = rng.choice([rng.uniform(0, 0.02), rng.uniform(0.02, 0.25)])
            time.sleep(delay)
            zygote.stdin.write("kill\n")
            zygote.stdin.flush()
            reaped, status = zygote.stdout.readline().split()
            assert reaped == "reaped"
            status = int(status)
            if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
                pytest.fail(f"kill {kills + 1}: the child ended by itself (wait status "
                            f"{status}), not by SIGKILL: it failed, and this round proves "
                            f"nothing. Its stderr:\n{errors.read_text(errors='replace')}")
            kills += 1
            counts = verify(db, committed(report), husleje_start)
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=30)
    done = committed(report)
    with capsys.disabled():
        print(f"\ncrash safety: {kills} SIGKILLs survived; committed and verified "
              f"{counts['imports']} imports, {counts['edits']} edits, "
              f"{counts['allocations']} allocations ({sum(map(len, done.values()))} "
              "reported by the child)")
    assert kills >= 200
    # Progress depends on the machine's load; what matters is that every kind was hit.
    assert counts["imports"] >= 5 and counts["edits"] >= 5 and counts["allocations"] >= 5


@pytest.mark.parametrize("generation", [1, 999, 1000, 1001, 123_456])
def test_the_childs_statement_is_valid_for_any_generation(demo_store, tmp_path, generation):
    """The crash test must not depend on how many imports a machine manages before a kill:
    the child's file imports at every generation, with the amounts verify() expects."""
    import importlib.util

    from kkr_desktop.services.statements import import_statement

    spec = importlib.util.spec_from_file_location("crash_child", CHILD)
    child = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(child)
    path = tmp_path / "import.csv"
    path.write_text(child.statement_csv(generation), encoding="utf-8")
    import_statement(demo_store, path)
    budgets = [b for (b,) in demo_store.conn.execute(
        "SELECT l.budget FROM statement_line l JOIN secretariat s ON s.id = l.secretariat_id "
        "WHERE s.name = ? ORDER BY l.year, l.position", (f"Krak {generation}",))]
    assert len(budgets) == 24
    assert budgets[0] == generation * 100_000
    assert {b // 100 for b in budgets if b != budgets[0]} == {generation}
