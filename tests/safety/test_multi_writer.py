"""Several officers on one server at once: four writer processes for 30 s, one killed -9.

`server init` makes a KKR's database with three officer logins; one loads the demo through
the command line; then four writer processes (multi_writer_child.py; two of them the same
login on two PCs) set budgets with and without `seen`, set population figures, add posts
and save allocations through the services, journalling every commit they saw and every
refusal. Half-way one writer is killed -9 with a transaction open. Then:

- every committed change has exactly one audit row, by its writer and its login, and no
  audit row is without a commit (nothing half-written, nothing written behind the log);
- per post (and per population figure) the audit rows' ids give the commit order: each
  update's old value is the previous one's new value, and the last one's is in the table;
- every refusal is a KkrError with a Danish message (a ConflictError names the writer and
  login who changed the post), and nothing else ever reached a caller;
- every saved allocation sums to its total, øre for øre;
- the killed writer's open transaction left nothing, and the others went on after it;
- the audit chain verifies from its first row.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from kkr_desktop.cli import main as cli
from kkr_desktop.services import verify
from kkr_desktop.store import secretariats
from kkr_desktop.store.db import open_store

pytestmark = pytest.mark.slow

SECONDS = 30
ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("multi_writer_child.py")
VICTIM = "w3"


def _journal(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _wait_for(path: Path, op: str, proc: subprocess.Popen) -> dict:
    """Block until the writer journalled `op` (no clock: it either does, or ends)."""
    import select

    while True:
        found = [e for e in _journal(path) if e["op"] == op]
        if found:
            return found[0]
        if proc.poll() is not None:
            pytest.fail(f"{path.name} ended ({proc.returncode}) before «{op}»: "
                        f"{proc.stderr.read()}")
        select.select([], [], [], 0.05)


def test_four_writers_on_one_server_for_30_seconds(kkr_server, tmp_path):
    login, names = kkr_server
    assert cli(["--db", login(names[0]), "init", "--demo"]) == 0
    logins = {"w0": names[0], "w1": names[1], "w2": names[2], "w3": names[0]}  # w3: 2nd PC

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    journals = {w: tmp_path / f"{w}.jsonl" for w in logins}
    procs = {w: subprocess.Popen(
        [sys.executable, str(CHILD), login(logins[w]), w, str(SECONDS), str(journals[w]),
         *(["hold"] if w == VICTIM else [])],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for w in logins}
    try:
        held = _wait_for(journals[VICTIM], "open", procs[VICTIM])
        reader = open_store(login(names[1]))
        at_kill = reader.scalar("SELECT max(id) FROM audit_log")
        reader.close()
        procs[VICTIM].send_signal(signal.SIGKILL)
        procs[VICTIM].wait()
        outputs = {w: p.communicate(timeout=SECONDS * 4) for w, p in procs.items()}
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()
    assert procs[VICTIM].returncode == -signal.SIGKILL
    for w, (_, err) in outputs.items():
        assert err == "", f"{w} wrote on stderr:\n{err}"
        assert w == VICTIM or procs[w].returncode == 0

    done = {w: _journal(journals[w]) for w in logins}
    entries = [(w, e) for w, es in done.items() for e in es if e["op"] not in
               ("ready", "done", "open")]
    leaks = [e for _, e in entries if "leak" in e]
    assert not leaks, "\n\n".join(f"{e['leak']}: {e['message']}\n{e['traceback']}"
                                  for e in leaks)
    committed = [(w, e) for w, e in entries if e.get("committed")]
    refused = [(w, e) for w, e in entries if "refused" in e]
    assert len(committed) + len(refused) == len(entries)

    store = open_store(login(names[1]))
    try:
        _check(store, logins, committed, refused, held, at_kill)
    finally:
        store.close()
    counts = Counter(e["op"] for _, e in committed)
    print(f"\n{len(committed)} committed {dict(counts)}, {len(refused)} refused "
          f"{dict(Counter(e['refused'] for _, e in refused))}; killed {VICTIM} holding "
          f"{held['value']}")


def _check(store, logins, committed, refused, held, at_kill) -> None:
    sec = secretariats.find(store, "sundhed")
    rows = store.rows("SELECT * FROM audit_log ORDER BY id")
    ours = [r for r in rows if r["who"] in logins]

    # every audit row of a writer carries that writer's server login
    assert ours and all(r["db_user"] == logins[r["who"]] for r in ours)

    # the killed writer's open transaction left nothing, and the others went on after it
    assert not [r for r in rows if str(held["value"]) in (r["new_value"] or "")]
    after = {r["who"] for r in ours if r["id"] > at_kill}
    assert after == set(logins) - {VICTIM}, after

    # budgets: one audit row per commit, and the rows chain old → new in id order
    ids = {r["name"]: r["id"] for r in store.rows(
        "SELECT id, name FROM statement_line WHERE secretariat_id = ? AND year = 2024",
        (sec.id,))}
    names_of = {str(v): k for k, v in ids.items()}
    sets = sorted((w, e["post"], e["value"]) for w, e in committed
                  if e["op"] in ("set", "set_seen"))
    updates = [r for r in ours if r["tbl"] == "statement_line" and r["action"] == "update"]
    logged = sorted((r["who"], names_of[r["key"]], json.loads(r["new_value"])["budget"])
                    for r in updates)
    assert logged == sets
    budgets = {r["name"]: r["budget"] for r in store.rows(
        "SELECT name, budget FROM statement_line WHERE secretariat_id = ? AND year = 2024",
        (sec.id,))}
    for post in {p for _, p, _ in sets}:
        chain = [r for r in rows if r["tbl"] == "statement_line" and r["key"] == str(ids[post])
                 and r["action"] == "update"]
        for before, later in zip(chain, chain[1:], strict=False):
            assert json.loads(later["old_value"])["budget"] == \
                json.loads(before["new_value"])["budget"]
        assert budgets[post] == json.loads(chain[-1]["new_value"])["budget"]

    # added posts: each one there, with its one audit row
    adds = {(w, e["post"], e["value"]) for w, e in committed if e["op"] == "add"}
    assert {(w, p, budgets.get(p)) for w, p, _ in adds} == adds
    inserts = [r for r in ours if r["tbl"] == "statement_line" and r["action"] == "insert"]
    assert sorted((r["who"], json.loads(r["new_value"])["name"]) for r in inserts) == \
        sorted((w, p) for w, p, _ in adds)
    assert {r["action"] for r in ours if r["tbl"] == "statement_line"} <= {"insert", "update"}

    # population: one audit row per commit, chained, the last one in the table
    figures = sorted((w, e["code"], e["value"]) for w, e in committed
                     if e["op"] == "population")
    pop_rows = [r for r in ours if r["tbl"] == "population"]
    assert sorted((r["who"], int(r["key"].split(",")[0]), json.loads(r["new_value"])["value"])
                  for r in pop_rows) == figures
    for code in {c for _, c, _ in figures}:
        chain = [r for r in rows if r["tbl"] == "population"
                 and r["key"] == f"{code},2020K1"]
        for before, later in zip(chain, chain[1:], strict=False):
            assert json.loads(later["old_value"])["value"] == \
                json.loads(before["new_value"])["value"]
        assert store.scalar("SELECT value FROM population WHERE kommune_code = ? AND "
                            "quarter = '2020K1'", (code,)) == \
            json.loads(chain[-1]["new_value"])["value"]

    # allocations: each saved one there, by its writer, summing to its total exactly
    saved = {(w, e["id"], e["total"]) for w, e in committed if e["op"] == "allocate"}
    stored = {(r["created_by"], r["id"], r["total"]) for r in store.rows(
        "SELECT id, total, created_by FROM allocation")}
    assert stored == saved
    assert not store.rows("SELECT a.id FROM allocation a JOIN allocation_row r ON "
                          "r.allocation_id = a.id GROUP BY a.id, a.total "
                          "HAVING sum(r.amount) <> a.total")
    assert store.scalar("SELECT count(*) FROM allocation a WHERE NOT EXISTS (SELECT 1 FROM "
                        "allocation_row r WHERE r.allocation_id = a.id)") == 0
    assert Counter(r["who"] for r in ours if r["tbl"] == "allocation") == \
        Counter(w for w, _, _ in saved)
    assert {r["tbl"] for r in ours} <= {"statement_line", "population", "allocation"}

    # refusals: KkrErrors in Danish; a conflict names the writer and login before it
    assert {e["refused"] for _, e in refused} <= {"ConflictError", "NotFoundError",
                                                   "InputError"}
    for _, e in refused:
        text = e["message"]
        assert not any(w in text for w in ("Traceback", "psycopg", "sqlite3", "Error"))
        if e["refused"] == "ConflictError":
            assert text.startswith("Ændringen er ikke gemt: ")
            assert any(f"{w} ({logins[w]}) ændrede «{e['post']}», budget 2024 fra " in text
                       for w in logins), text
        elif e["refused"] == "NotFoundError":
            assert text == "Posten «Findes ikke» findes ikke i 2024."
        else:
            assert text == "Et folketal kan ikke være negativt."
    conflicts = [e for _, e in refused if e["refused"] == "ConflictError"]
    assert conflicts and [e for _, e in committed if e["op"] == "set_seen"]

    problems = verify.verify(store, full=True)
    assert problems.messages() == []
