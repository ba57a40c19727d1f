"""The writer that the crash test kills: a zygote that forks one writing child per round.

Run as ``python crash_child.py DB REPORT STDERR``. For each line ``go`` on stdin the zygote
forks a child and prints its pid; the child opens the database as the CLI does and writes as
fast as it can — statement imports (one replacing a year, one creating a secretariat, in one
transaction), edits of one amount, saved allocations — appending a line to REPORT after
each commit, its errors to STDERR (emptied each round). On the next line ``kill`` the zygote
sends the child SIGKILL, reaps it and prints ``reaped STATUS``. The zygote kills, not the
test, because only the parent can be sure the pid is still its child: a child that ended on
its own stays a zombie until reaped, so its pid cannot be reused, and STATUS then says it
exited instead of being killed. Forking from an already-imported interpreter makes each
round cost milliseconds, not the half second of a new Python.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from pathlib import Path

CRASH = "Krak"


def thousands(kroner: int) -> str:
    """Whole kroner in Danish with every thousands dot: 1000000 → «1.000.000»."""
    return f"{kroner:,}".replace(",", ".")


def statement_csv(generation: int) -> str:
    rows = ["sekretariat;år;post;art;rolle;budget;regnskab;budget_note;regnskab_note"]
    for name in (CRASH, f"{CRASH} {generation}"):
        for year in (2023, 2024):
            # generation × 1.000 kr, grouped right for any generation (1000 → «1.000.000»)
            rows.append(f"{name};{year};Indkrævet hos kommunerne;indtægt;bidrag;"
                        f"{thousands(generation * 1000)};;;")
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


def child(db: Path, report: Path, errors: Path) -> None:
    """The forked writer: never returns. An error is written to `errors` (the test shows it)
    and ends the child with exit code 1, which the test tells from its SIGKILL."""
    try:
        fd = os.open(errors, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd, 2)
        sys.stderr = os.fdopen(2, "w", buffering=1, closefd=False)
        work(db, report)
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(1)


def main() -> None:
    db, report, errors = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    import kkr_desktop.services.allocation  # noqa: F401 - imported once, before forking
    import kkr_desktop.services.setup  # noqa: F401

    for command in sys.stdin:
        if command.strip() != "go":
            break
        pid = os.fork()
        if pid == 0:
            child(db, report, errors)
        print(pid, flush=True)
        sys.stdin.readline()  # "kill" (or EOF: the test is gone; kill anyway)
        os.kill(pid, signal.SIGKILL)  # unreaped, so still our child even if it exited
        _, status = os.waitpid(pid, 0)
        print(f"reaped {status}", flush=True)


if __name__ == "__main__":
    main()
