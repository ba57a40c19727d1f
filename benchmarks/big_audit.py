"""A long audit log for the benchmark: copy a database and append N audit rows as the
program writes them (chained, so verification on open finds the log whole), spread over
20 years, 8 users and every secretariat and year of the file.

    python benchmarks/big_audit.py SOURCE TARGET ROWS   # e.g. scale.sqlite big.sqlite 1000000

About 190 bytes a row: 15,000 rows add ~3 MB, a million ~200 MB.
"""

from __future__ import annotations

import importlib.util
import json
import random
import shutil
import sqlite3
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if importlib.util.find_spec("kkr_desktop") is None and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # not installed: the source tree

USERS = ["anne", "bo", "carl", "dorte", "erik", "fie", "gitte", "hans"]
FIELDS = ["budget", "actual", "budget_note"]


def append(source: Path, target: Path, rows: int, seed: int = 11) -> Path:
    from kkr_desktop.core import chain

    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src = sqlite3.connect(source)
    src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    src.close()
    shutil.copyfile(source, target)
    rng = random.Random(seed)
    conn = sqlite3.connect(target, isolation_level=None)
    lines = conn.execute("SELECT l.id, l.secretariat_id, l.year, l.name FROM statement_line l"
                         ).fetchall()
    last = conn.execute(f"SELECT {', '.join(chain.FIELDS)}, chain FROM audit_log "
                        "ORDER BY id DESC LIMIT 1").fetchone()
    previous = chain.link_of(last[-1], last[:-1])
    next_id = last[0] + 1
    start = datetime(2005, 1, 3, 8, 0, tzinfo=datetime.now().astimezone().tzinfo)
    step = timedelta(days=20 * 365) / max(rows, 1)
    conn.execute("BEGIN")
    batch = []
    for i in range(rows):
        line_id, sid, year, name = rng.choice(lines)
        at = (start + step * i).isoformat(timespec="seconds")
        field = rng.choice(FIELDS)
        old = {field: rng.randrange(0, 10**9) if field != "budget_note" else ""}
        new = {field: rng.randrange(0, 10**9) if field != "budget_note" else "Ny note."}
        values = (next_id + i, at, rng.choice(USERS), "statement_line", str(line_id), sid,
                  year, "update", json.dumps(old, ensure_ascii=False),
                  json.dumps(new, ensure_ascii=False))
        link = chain.link(previous, values)
        batch.append((*values, link))
        previous = link
        if len(batch) == 20_000:
            conn.executemany("INSERT INTO audit_log (id, at, who, tbl, key, secretariat_id, "
                             "year, action, old_value, new_value, chain) VALUES "
                             "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
            batch.clear()
    if batch:
        conn.executemany("INSERT INTO audit_log (id, at, who, tbl, key, secretariat_id, year, "
                         "action, old_value, new_value, chain) VALUES "
                         "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return target


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    t0 = time.perf_counter()
    out = append(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
    print(f"{out}: {out.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s")
