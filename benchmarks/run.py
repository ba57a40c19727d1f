"""The speed a desktop user feels: one command runs every scenario, prints a table of medians
(min, max) and writes benchmarks/RESULTS.md with the machine it ran on.

    python benchmarks/run.py [--repeat 5] [--only NAME ...] [--fresh] [--frozen DIR]

Scenarios (issue 7): cold start to the first paint of the window; the document (the demo
statement with its appendix, as PDF) in-process and as a CLI process; allocation over all 98
kommuner; the scale database (open, go to a statement, switch between 20 statements in the
window, export every allocation of one year to ERP); the GUI's peak memory on the scale
database. The scale database is generated through the services (benchmarks/scale_db.py)
and kept in benchmarks/.cache/ (--fresh remakes it).

Ratios (issue 15, `--only ratios`): whole processes against anchors built here, in turns
(A B A B …), the median of the pairwise ratios: the window to its first paint against a bare
PySide6 window of the same shape (benchmarks/bare_window.py) on the demo and on the scale
database with 15,000 more audit rows ("22 MB", as issue 15 measured it; --big adds one with
730,000, ~200 MB); `report` (draft and approved) against a bare reportlab document of the
same pages (benchmarks/bare_report.py).

Server (issue 16, `--only server`): the statement switch and the export of every allocation
of a year on the scale database moved to PostgreSQL with migrate-to, next to the same work
on the SQLite file, as a ratio (needs KKR_TEST_PG or starts tools/pg_server.py).

Times are wall-clock; "cold start" is a new process each time, with the operating system's
file cache warm (one unmeasured start first). Text in RESULTS.md below the line
"## Findings" is kept when the file is rewritten.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# An installed program (pip install ., in a venv of its own dependencies) is what is timed;
# without one, the source tree.
INSTALLED = importlib.util.find_spec("kkr_desktop") is not None
if not INSTALLED and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import big_audit  # noqa: E402
import scale_db  # noqa: E402

RESULTS = HERE / "RESULTS.md"
CACHE = HERE / ".cache"
FINDINGS = "## Findings"


@dataclass
class Result:
    name: str
    unit: str  # "s", "ms" or "MB"
    samples: list[float] = field(default_factory=list)
    target: float | None = None  # the median must be at most this
    note: str = ""
    pending: str = ""  # why it could not run

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def cells(self) -> list[str]:
        if self.pending:
            return [self.name, "–", "–", "–", _target(self), "pending: " + self.pending]
        med, lo, hi = self.median, min(self.samples), max(self.samples)
        verdict = "" if self.target is None else ("ok" if med <= self.target else "MISSED")
        return [self.name, _fmt(med, self.unit), _fmt(lo, self.unit), _fmt(hi, self.unit),
                _target(self), " ".join(filter(None, [verdict, self.note]))]


def _fmt(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "×":
        return f"{value:.2f}×"
    return f"{value:.3f} s"


def _target(r: Result) -> str:
    return "" if r.target is None else "≤ " + _fmt(r.target, r.unit)


# --- helpers --------------------------------------------------------------------------------

class Env:
    """Temporary settings and data folders, the demo and scale databases."""

    def __init__(self, work: Path, fresh: bool) -> None:
        self.work = work
        self.env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM",
                                                                      "offscreen"),
                    "XDG_CONFIG_HOME": str(work / "config"),
                    "XDG_DATA_HOME": str(work / "data"),
                    "APPDATA": str(work / "appdata"), "LOCALAPPDATA": str(work / "local")}
        if not INSTALLED:
            self.env["PYTHONPATH"] = str(ROOT)
        # An installed program has its bytecode; without it every start compiles the source.
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ.update({k: self.env[k] for k in ("QT_QPA_PLATFORM", "XDG_CONFIG_HOME",
                                                     "XDG_DATA_HOME")})
        self.demo = work / "demo.sqlite"
        subprocess.run([sys.executable, "-m", "kkr_desktop", "--db", str(self.demo), "init",
                        "--demo"], env=self.env, check=True, capture_output=True)
        self.scale = CACHE / f"scale-v{scale_db.VERSION}.sqlite"
        self.fresh = fresh

    def scale_db(self) -> Path:
        if self.fresh or not self.scale.is_file():
            scale_db.generate(self.scale)
            self.fresh = False
        return self.scale


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run_gui(env: Env, db: Path, exe: list[str]
            ) -> tuple[float, float, float | None, float | None]:
    """Start the window on `db` until its first paint: (seconds to first paint, seconds for
    the whole process, peak resident memory in MB, CPU seconds (user + system) of the
    process; the last two None where they cannot be read)."""
    child_env = {**env.env, "KKR_BENCH_EXIT_AFTER_PAINT": "1"}
    t0 = time.time()
    child_env["KKR_BENCH_T0"] = repr(t0)
    proc = subprocess.Popen([*exe, "--db", str(db)], env=child_env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    rss = cpu = None
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        cpu = usage.ru_utime + usage.ru_stime
    else:
        proc.wait()
    whole = time.time() - t0
    out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    if proc.returncode != 0:
        raise RuntimeError(f"the window ended with {proc.returncode}:\n{out}")
    match = re.search(r"first paint: ([\d.]+) s from launch", out)
    if not match:
        raise RuntimeError(f"no first paint reported:\n{out}")
    return float(match.group(1)), whole, rss, cpu


# --- scenarios ------------------------------------------------------------------------------

def cold_start(env: Env, n: int, frozen: Path | None) -> list[Result]:
    exe = [sys.executable, "-m", "kkr_desktop"]
    run_gui(env, env.demo, exe)  # warm the file cache; not counted
    paint = Result("Cold start to first paint (demo db)", "s", target=0.8)
    whole = Result("Cold start, whole process (demo db)", "s",
                   note="launch → paint → closed")
    cpu = Result("Cold start, CPU time of the process (demo db)", "s",
                 note="user + system; less sensitive to other load than wall time")
    for _ in range(n):
        p, w, _rss, c = run_gui(env, env.demo, exe)
        paint.samples.append(p)
        whole.samples.append(w)
        if c is not None:
            cpu.samples.append(c)
    out = [paint, whole] + ([cpu] if cpu.samples else [])
    if frozen is not None:
        name = "KKR-Budget.exe" if sys.platform == "win32" else "KKR-Budget"
        fexe = [str(frozen / name)]
        run_gui(env, env.demo, fexe)
        fp = Result("Cold start to first paint, frozen bundle", "s", target=0.8)
        for _ in range(n):
            fp.samples.append(run_gui(env, env.demo, fexe)[0])
        out.append(fp)
    return out


def document(env: Env, n: int) -> list[Result]:
    try:
        from kkr_desktop.services.report import render_report
    except ImportError as exc:
        return [Result("Document to PDF, in-process", "s", target=0.15,
                       pending=f"kkr_desktop.services.report not there ({exc.name})")]
    from kkr_desktop.store import secretariats
    from kkr_desktop.store.db import open_store

    store = open_store(env.demo)
    sid = secretariats.find(store, "sundhed").id
    first = Result("Document to PDF, in-process, first", "s",
                   note="incl. importing reportlab and fonts")
    first.samples.append(timed(lambda: render_report(store, sid, 2024)))
    warm = Result("Document to PDF, in-process", "s", target=0.15)
    for _ in range(n):
        warm.samples.append(timed(lambda: render_report(store, sid, 2024)))
    store.close()
    cli = Result("Document to PDF, CLI process", "s", note="python -m kkr_desktop report")
    pdf = env.work / "report.pdf"
    for _ in range(n):
        cli.samples.append(timed(lambda: subprocess.run(
            [sys.executable, "-m", "kkr_desktop", "--db", str(env.demo), "report",
             "--secretariat", "sundhed", "--year", "2024", "-o", str(pdf)],
            env=env.env, check=True, capture_output=True)))
    return [first, warm, cli]


def allocation(env: Env, n: int) -> list[Result]:
    from kkr_desktop.core.allocation import AllocationKind, Unit, allocate
    from kkr_desktop.store import reference
    from kkr_desktop.store.db import open_store

    store = open_store(env.demo)
    names = reference.kommune_names(store)
    store.close()
    weights = {code: 1_800 + (code * 7_919) % 640_000 for code in names}
    assert len(weights) == 98
    per_sample = 200
    r = Result("Allocation over 98 kommuner", "ms", target=1.0,
               note=f"core.allocate, øre; mean of {per_sample} calls per sample")
    for _ in range(n):
        t = timed(lambda: [allocate(AllocationKind.CONTRIBUTION, 177_166_300, weights, names,
                                    unit=Unit.ORE) for _ in range(per_sample)])
        r.samples.append(t / per_sample * 1000)
    return [r]


def scale(env: Env, n: int) -> list[Result]:
    from kkr_desktop.core.allocation import AllocationKind
    from kkr_desktop.services import catalog, export
    from kkr_desktop.services.statements import load_statement
    from kkr_desktop.store import secretariats
    from kkr_desktop.store.db import open_store

    path = env.scale_db()
    work = env.work / "scale.sqlite"  # a copy: the exports are recorded in it
    shutil.copyfile(path, work)

    from kkr_desktop.services.setup import open_for_use

    open_r = Result("Scale: open database + navigator tree", "ms",
                    note="as the window opens it: setup.open_for_use(session=True) "
                         "(lock, header, verification) + catalog.navigator_tree")
    for _ in range(n):
        def opening() -> None:
            s = open_for_use(work, session=True)
            catalog.navigator_tree(s)
            s.close()
        open_r.samples.append(timed(opening) * 1000)

    store = open_store(work)
    secs = secretariats.all_secretariats(store)
    years = list(range(scale_db.LAST_YEAR - 1, scale_db.LAST_YEAR + 1))
    pairs = [(s, y) for s in secs[:10] for y in years]  # 20 statements
    stmt = Result("Scale: go to a statement (totals, warnings)", "ms",
                  note="services.load_statement")
    for i in range(n):
        sec, year = pairs[(i * 7) % len(pairs)]
        stmt.samples.append(timed(lambda s=sec, y=year: load_statement(store, s, y)) * 1000)

    switch = Result("Scale: switch statement in the window", "ms", target=50.0,
                    note=f"MainWindow.select + paint; {n} rounds of {len(pairs)}")
    # In its own process, so this one never holds a QApplication.
    proc = subprocess.run([sys.executable, __file__, "--switch-worker", str(work), str(n)],
                          env=env.env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"switch worker failed:\n{proc.stdout}{proc.stderr}")
    switch.samples = [float(x) for x in proc.stdout.split()]

    exp = Result("Scale: export every allocation of one year", "s",
                 note=f"{len(secs)} ERP files, plan_erp + export_erp")
    out_dir = env.work / "erp"
    for _ in range(n):
        def export_all() -> None:
            for sec in secs:
                plan = export.plan_erp(store, sec, scale_db.LAST_YEAR,
                                       AllocationKind.CONTRIBUTION)
                export.export_erp(store, plan, out_dir / f"{sec.id}.csv", again=True)
        out_dir.mkdir(exist_ok=True)
        exp.samples.append(timed(export_all))
    store.close()
    return [open_r, stmt, switch, exp]


def switch_worker(db: str, n: int) -> int:
    """The main window (offscreen) switching between 20 statements of the scale database:
    select, then let Qt lay out and paint. Prints one time in ms per switch, n rounds of 20."""
    from PySide6.QtWidgets import QApplication

    from kkr_desktop.store import secretariats
    from kkr_desktop.store.db import open_store
    from kkr_desktop.ui.app import application
    from kkr_desktop.ui.main_window import MainWindow

    # PySide6 6.12.0 on Python < 3.12 drops a reference to None on every call of a method
    # that returns nothing (about 200 per switch here), and the process aborts with
    # "none_dealloc" after some 80 switches; see RESULTS.md. Extra references keep None
    # alive for the length of the benchmark; they cost nothing measurable.
    pinned = [None] * 5_000_000  # noqa: F841
    app = application()
    store = open_store(db)
    secs = secretariats.all_secretariats(store)
    pairs = [(s.id, y) for s in secs[:10]
             for y in range(scale_db.LAST_YEAR - 1, scale_db.LAST_YEAR + 1)]
    window = MainWindow(store)
    window.show()
    QApplication.processEvents()
    samples = []
    for _ in range(n):
        for sid, year in pairs:
            def switch(sid=sid, year=year) -> None:
                window.select(sid, year)
                window.repaint()
                QApplication.processEvents()
            samples.append(timed(switch) * 1000)
    print(" ".join(f"{t:.3f}" for t in samples), flush=True)
    window.close()
    app.processEvents()
    store.close()
    os._exit(0)  # skip tearing Qt down at interpreter exit: not what is measured


def memory(env: Env, n: int) -> list[Result]:
    path = env.scale_db()
    exe = [sys.executable, "-m", "kkr_desktop"]
    start = Result("Cold start to first paint (scale db)", "s")
    rss = Result("GUI peak memory (scale db)", "MB", target=200.0, note="peak RSS, first paint")
    run_gui(env, path, exe)
    for _ in range(n):
        p, _w, mb, _cpu = run_gui(env, path, exe)
        start.samples.append(p)
        if mb is None:
            rss.pending = "no wait4 on this system"
        else:
            rss.samples.append(mb)
    return [start, rss]


# --- whole-process ratios against anchors (issue 15) ------------------------------------------

def paired(a: list[str], b: list[str], n: int, env: dict[str, str]
           ) -> tuple[list[float], list[float], list[float]]:
    """Run A and B in turns, n pairs after one unmeasured pair: (ratios A/B, A's seconds,
    B's seconds), whole processes, wall-clock."""
    def one(cmd: list[str]) -> float:
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True)
        took = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd} ended with {proc.returncode}:\n"
                               + proc.stdout.decode(errors="replace")
                               + proc.stderr.decode(errors="replace"))
        return took
    one(a), one(b)
    ra, rb = [], []
    for _ in range(n):
        ra.append(one(a))
        rb.append(one(b))
    return [x / y for x, y in zip(ra, rb, strict=True)], ra, rb


def ratio_result(name: str, target: float | None, a: list[str], b: list[str], n: int,
                 env: dict[str, str], what: str) -> list[Result]:
    ratios, ra, rb = paired(a, b, n, env)
    r = Result(name, "×", ratios, target=target,
               note=f"{what}; A {statistics.median(ra):.3f} s, B {statistics.median(rb):.3f} s")
    return [r]


def db22(env: Env, big: bool = False) -> Path:
    """The scale database plus 15,000 audit rows (with big: 730,000), kept in the cache."""
    rows = 730_000 if big else 15_000
    path = CACHE / f"scale-v{scale_db.VERSION}-audit{rows}.sqlite"
    if env.fresh or not path.is_file() or path.stat().st_mtime < env.scale_db().stat().st_mtime:
        big_audit.append(env.scale_db(), path, rows)
        # migrate once outside the measurement (a first open of a new file does)
        subprocess.run([sys.executable, "-m", "kkr_desktop", "--db", str(path),
                        "secretariat", "list"], env=env.env, check=True, capture_output=True)
    return path


def ratios(env: Env, n: int, big: bool = False) -> list[Result]:
    n = max(n, 9)
    py = sys.executable
    gui_env = {**env.env, "KKR_BENCH_EXIT_AFTER_PAINT": "1"}
    bare_window = [py, str(HERE / "bare_window.py")]
    out: list[Result] = []
    dbs = [("demo", env.demo, 2.0), ("22 MB", db22(env), 2.0)]
    if big:
        dbs.append(("200 MB", db22(env, big=True), 2.5))
    for label, db, target in dbs:
        size = db.stat().st_size / 1e6
        out += ratio_result(f"Window to first paint / bare window, {label}", target,
                            [py, "-m", "kkr_desktop", "--db", str(db)], bare_window, n,
                            gui_env, f"{size:.1f} MB file")
    from kkr_desktop.paths import resources_dir

    bare_report = [py, str(HERE / "bare_report.py"), str(resources_dir() / "fonts"),
                   str(env.work / "bare.pdf")]
    approved = env.work / "approved.sqlite"
    shutil.copyfile(env.demo, approved)
    subprocess.run([py, "-m", "kkr_desktop", "--db", str(approved), "approve",
                    "--secretariat", "sundhed", "--year", "2024", "--body", "KKR Nordjylland",
                    "--date", "12.03.2024", "--case", "2.4", "--signatory",
                    "Thomas Kastrup-Larsen, Formand for KKR Nordjylland"],
                   env=env.env, check=True, capture_output=True)
    for label, db in (("draft", env.demo), ("approved", approved)):
        out += ratio_result(f"`report` ({label}) / bare reportlab, demo", 1.5,
                            [py, "-m", "kkr_desktop", "--db", str(db), "report",
                             "--secretariat", "sundhed", "--year", "2024", "-o",
                             str(env.work / f"{label}.pdf")], bare_report, n, env.env,
                            "3 pages")
    return out


# --- the same work on a PostgreSQL server (issue 16) ----------------------------------------

def server(env: Env, n: int) -> list[Result]:
    """The statement switch and the export of a year on the scale database moved to a
    PostgreSQL server with migrate-to, each against the same work on the SQLite file, in
    turns (SQLite, server, SQLite, …): the median of the pairwise ratios server/SQLite. The
    server is KKR_TEST_PG's, or a throwaway one started by tools/pg_server.py."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    from kkr_desktop.core.allocation import AllocationKind
    from kkr_desktop.services import catalog, concurrency, export, locks
    from kkr_desktop.services.statements import load_statement
    from kkr_desktop.services.transfer import migrate_to
    from kkr_desktop.store import secretariats
    from kkr_desktop.store.db import open_store

    admin, started = os.environ.get("KKR_TEST_PG"), None
    if not admin:
        started = env.work / "pg"
        admin = subprocess.run([sys.executable, str(ROOT / "tools" / "pg_server.py"), "start",
                                str(started)], capture_output=True, text=True,
                               check=True).stdout.strip().splitlines()[-1]
    name = f"kkr_bench_{uuid.uuid4().hex[:8]}"
    url = urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
    work = env.work / "scale-server.sqlite"
    shutil.copyfile(env.scale_db(), work)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        move = Result("Server: migrate-to of the scale database", "s", [timed(
            lambda: migrate_to(work, url))], note="one run: copy, verify, reopen, verify")
        stores = {"sqlite": open_store(work), "pg": open_store(url)}
        secs = {k: secretariats.all_secretariats(s) for k, s in stores.items()}
        years = list(range(scale_db.LAST_YEAR - 1, scale_db.LAST_YEAR + 1))
        pairs = [(i, y) for i in range(10) for y in years]

        def switch(kind: str, i: int, year: int) -> None:
            # what StatementTab.show_statement asks of the services when the user picks
            # another secretariat or year
            s = stores[kind]
            concurrency.latest_change(s)
            sec = catalog.secretariat(s, secs[kind][i].id)
            load_statement(s, sec, year)
            locks.edit_state(s, sec.id, year)

        out = env.work / "erp-server"
        out.mkdir(exist_ok=True)

        def export_all(kind: str) -> None:
            for sec in secs[kind]:
                plan = export.plan_erp(stores[kind], sec, scale_db.LAST_YEAR,
                                       AllocationKind.CONTRIBUTION)
                export.export_erp(stores[kind], plan, out / f"{kind}-{sec.id}.csv",
                                  again=True)

        results = [move]
        for label, unit, work_of in (
                ("statement switch", "ms", lambda kind: [switch(kind, i, y)
                                                         for i, y in pairs]),
                ("export every allocation of one year", "s", export_all)):
            times: dict[str, list[float]] = {"sqlite": [], "pg": []}
            work_of("sqlite"), work_of("pg")  # one unmeasured round each
            for _ in range(n):
                for kind in ("sqlite", "pg"):
                    times[kind].append(timed(lambda kind=kind, w=work_of: w(kind)))
            per = len(pairs) if unit == "ms" else 1
            scale_ = 1000 / per if unit == "ms" else 1
            what = f"per switch, {len(pairs)} statements a round" if unit == "ms" else \
                f"{len(secs['pg'])} ERP files"
            results += [
                Result(f"Server: {label}, SQLite", unit, [t * scale_ for t in times["sqlite"]],
                       note=what),
                Result(f"Server: {label}, PostgreSQL", unit,
                       [t * scale_ for t in times["pg"]], note=what),
                Result(f"Server: {label}, ratio PostgreSQL/SQLite", "×",
                       [p / q for p, q in zip(times["pg"], times["sqlite"], strict=True)],
                       note="median of the pairwise ratios, run in turns")]
        for s in stores.values():
            s.close()
        return results
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if started is not None:
            subprocess.run([sys.executable, str(ROOT / "tools" / "pg_server.py"), "stop",
                            str(started)], capture_output=True)


SCENARIOS = {"cold": cold_start, "document": document, "allocation": allocation,
             "scale": scale, "memory": memory, "ratios": ratios, "server": server}


# --- report ---------------------------------------------------------------------------------

def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, AttributeError):
        pass
    import sqlite3

    import PySide6

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    return [f"- Machine: {platform.system()} {platform.release()} ({platform.machine()}), "
            f"{cpu}, {os.cpu_count()} cores{mem}",
            f"- Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
            f"SQLite {sqlite3.sqlite_version}, Qt platform {os.environ['QT_QPA_PLATFORM']}",
            f"- Commit {commit}, run {time.strftime('%Y-%m-%d %H:%M')}"
            + (f"; load average {os.getloadavg()[0]:.1f} at the end (other processes on "
               "the machine slow every wall-clock time)" if hasattr(os, "getloadavg")
               else "")]


def table(results: list[Result]) -> list[str]:
    head = ["Scenario", "Median", "Min", "Max", "Target", ""]
    rows = [r.cells() for r in results]
    return (["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            + ["| " + " | ".join(c) + " |" for c in rows])


def write_results(results: list[Result], n: int) -> None:
    kept = ""
    if RESULTS.is_file():
        text = RESULTS.read_text(encoding="utf-8")
        if FINDINGS in text:
            kept = text[text.index(FINDINGS):]
    lines = ["# Benchmark results", "",
             "Written by `python benchmarks/run.py` (do not edit above the Findings).", "",
             *machine(), f"- Each scenario {n} times (a GUI sample is a new process)", "",
             *table(results), ""]
    RESULTS.write_text("\n".join(lines) + "\n" + (kept or FINDINGS + "\n"), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--switch-worker"]:
        return switch_worker(argv[1], int(argv[2]))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5, help="runs per scenario (at least 5)")
    p.add_argument("--only", nargs="*", choices=list(SCENARIOS), help="only these scenarios")
    p.add_argument("--fresh", action="store_true", help="remake the scale database")
    p.add_argument("--frozen", type=Path, help="also time the frozen bundle in this folder")
    p.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    p.add_argument("--big", action="store_true",
                   help="ratios: also the window on a ~200 MB database (makes it once)")
    args = p.parse_args(argv)
    n = max(5, args.repeat)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="kkr-bench-") as tmp:
        env = Env(Path(tmp), args.fresh)
        for name, scenario in SCENARIOS.items():
            if args.only and name not in args.only:
                continue
            print(f"… {name}", flush=True)
            got = (scenario(env, n, args.frozen) if name == "cold"
                   else scenario(env, n, args.big) if name == "ratios"
                   else scenario(env, n))
            results.extend(got)
            print("\n".join(table(got)[2:]), flush=True)
    print()
    print("\n".join(table(results)))
    if not args.no_write and not args.only:
        write_results(results, n)
        print(f"\nSkrevet: {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
