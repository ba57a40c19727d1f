"""One officer's writer for test_multi_writer.py: real program operations on a server.

Run as ``python multi_writer_child.py URL WHO SECONDS JOURNAL [hold]``. The writer opens the
server as the command line does (URL carries the officer's login), names itself WHO in the
audit log, and for SECONDS loops over the services: a post's budget set with and without
`seen` (the newest audit id when a view read the statement: here the previous round's, so
that another writer's change in between refuses the save), a population figure of the
allocation key, a post added to the year, an allocation computed and saved, and now and then
a save that must be refused whatever the others do (a post that does not exist, a negative
figure). Each operation that returned is appended to JOURNAL (one JSON line, fsync'ed)
after it returned, so a line in the journal is a commit the caller saw; each refusal with
its class and message. Anything but a KkrError is journalled as a leak with its traceback.

With `hold` the writer, half-way, sets a budget inside a transaction, journals
{"op": "open", ...} and waits forever without committing: the test kills it there (-9).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import traceback

# budget 2024 of these posts is set by every writer
POSTS = ("Husleje", "Løn", "Mødeafholdelse", "Ny hjemmeside")
QUARTER = "2020K1"  # the demo's allocation key


def main() -> None:
    url, who, seconds, journal = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    hold = len(sys.argv) > 5 and sys.argv[5] == "hold"

    from kkr_desktop.core.errors import KkrError
    from kkr_desktop.core.statement import Kind, YearLine
    from kkr_desktop.services import allocation, concurrency, population, statements
    from kkr_desktop.services.setup import open_for_use
    from kkr_desktop.store import secretariats

    fd = os.open(journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT)

    def note(**entry) -> None:
        os.write(fd, (json.dumps(entry, ensure_ascii=False) + "\n").encode())
        os.fsync(fd)

    store = open_for_use(url)
    store.user = who
    sec = secretariats.find(store, "sundhed")
    codes = [m.kommunekode for m in secretariats.members(store, sec.id, 2024)]
    rng = random.Random(who)
    number = int(who.lstrip("w"))
    counter = 0
    seen = concurrency.latest_change(store)
    note(op="ready")
    start = time.monotonic()
    held = False
    while time.monotonic() - start < seconds:
        counter += 1
        value = (number + 1) * 100_000_000_00 + counter  # øre, unique among all writers
        view = seen
        seen = concurrency.latest_change(store)  # this round's view, for the next round
        if hold and not held and time.monotonic() - start > seconds / 2:
            held = True
            with store.transaction():
                statements.set_line_field(store, sec.id, 2024, "Husleje", "budget", value)
                note(op="open", post="Husleje", value=value)
                while True:  # killed here, the transaction open
                    time.sleep(60)
        kind = rng.choice(("set", "set", "set_seen", "set_seen", "population", "add",
                           "allocate", "bad"))
        entry: dict = {"op": kind}
        try:
            if kind in ("set", "set_seen"):
                post = rng.choice(POSTS)
                entry.update(post=post, value=value)
                statements.set_line_field(store, sec.id, 2024, post, "budget", value,
                                          seen=view if kind == "set_seen" else None)
            elif kind == "population":
                code = rng.choice(codes)
                figure = 10_000 + (number + 1) * 100_000 + counter  # unique, plausible
                entry.update(code=code, value=figure)
                population.set_figure(store, code, QUARTER, figure, source=f"test {who}")
            elif kind == "add":
                name = f"{who} post {counter}"
                entry.update(post=name, value=value)
                statements.add_line(store, sec.id, 2024,
                                    YearLine(name, Kind.EXPENSE, budget=value))
            elif kind == "allocate":
                result = allocation.compute(store, sec, 2024)
                entry.update(id=allocation.save(store, sec, 2024, result.allocation),
                             total=result.allocation.total)
            elif counter % 2:
                entry.update(post="Findes ikke", value=value)
                statements.set_line_field(store, sec.id, 2024, "Findes ikke", "budget", value)
            else:
                entry.update(op="bad_figure", code=codes[0], value=-1)
                population.set_figure(store, codes[0], QUARTER, -1)
        except KkrError as exc:
            note(**entry, refused=type(exc).__name__, message=exc.message)
        except Exception as exc:  # noqa: BLE001 - what the test must never see
            note(**entry, leak=type(exc).__module__ + "." + type(exc).__name__,
                 message=str(exc), traceback=traceback.format_exc())
        else:
            note(**entry, committed=True)
    store.close()
    note(op="done")


if __name__ == "__main__":
    main()
