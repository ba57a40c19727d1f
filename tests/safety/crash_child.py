"""The writer that the crash test kills: a zygote that forks one writing child per round.

Run as ``python crash_child.py DB REPORT``. For each line ``go`` on stdin the zygote forks a
child and prints its pid; the child opens the database as the CLI does and writes as fast as
it can — statement imports (one replacing a year, one creating a secretariat, in one
transaction), edits of one amount, saved allocations — appending a line to REPORT after
each commit. The zygote prints ``reaped`` when the child is gone (the test kills it).
Forking from an already-imported interpreter makes each round cost milliseconds, not the
half second of a new Python.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CRASH = "Krak"


def statement_csv(generation: int) -> str:
    rows = ["sekretariat;år;post;art;rolle;budget;regnskab;budget_note;regnskab_note"]
    for name in (CRASH, f"{CRASH} {generation}"):
        for year in (2023, 2024):
            rows.append(f"{name};{year};Indkrævet hos kommunerne;indtægt;bidrag;"
                        f"{generation}.000;;;")
            for i in range(1, 12):
                rows.append(f"{name};{year};Post {i};udgift;;{generation},{i:02d};;note {i};")
    return "\n".join(rows) + "\n"


def work(db: Path, report: Path) -> None:
    from kkr_desktop.core.allocation import AllocationKind
    from kkr_desktop.services import allocation
    from kkr_desktop.services.setup import open_for_use
    from kkr_desktop.services.statements import import_statement, set_line_field
    from kkr_desktop.store import secretariats

    store = open_for_use(db)
    sec = secretariats.find(store, "sundhed")
    fd = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    generation = store.scalar("SELECT count(*) FROM secretariat WHERE name LIKE ?",
                              (f"{CRASH} %",)) or 0
    value = store.scalar("SELECT budget FROM statement_line WHERE secretariat_id = ? AND "
                         "year = 2024 AND name = 'Husleje'", (sec.id,))
    csv_path = db.with_name(f"import-{os.getpid()}.csv")
    step = 0
    while True:
        step += 1
        if step % 3 == 1:
            generation += 1
            csv_path.write_text(statement_csv(generation), encoding="utf-8")
            import_statement(store, csv_path)
            line = f"import {generation}"
        elif step % 3 == 2:
            value += 1
            set_line_field(store, sec.id, 2024, "Husleje", "budget", value)
            line = f"edit {value}"
        else:
            result = allocation.compute(store, sec, 2024, kind=AllocationKind.CONTRIBUTION)
            saved = allocation.save(store, sec, 2024, result.allocation)
            line = f"alloc {saved}"
        os.write(fd, (line + "\n").encode())


def main() -> None:
    db, report = Path(sys.argv[1]), Path(sys.argv[2])
    import kkr_desktop.services.allocation  # noqa: F401 - imported once, before forking
    import kkr_desktop.services.setup  # noqa: F401

    for command in sys.stdin:
        if command.strip() != "go":
            break
        pid = os.fork()
        if pid == 0:
            try:
                work(db, report)
            finally:
                os._exit(1)
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"reaped {status}", flush=True)


if __name__ == "__main__":
    main()
