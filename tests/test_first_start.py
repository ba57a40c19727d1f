"""A first start on a fresh machine: the README's first command, run as a new user runs it.

Each start is a real process (`python -m kkr_desktop …`, cwd = the repository) with a HOME
and data folders that do not exist yet, offscreen. KKR_BENCH_EXIT_AFTER_PAINT makes the
window print its first paint (and what it shows) and quit. The timeout only guards against
a start that hangs on a dialog no one can see; it measures nothing.
"""

from __future__ import annotations

import locale
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HANG = 180  # seconds: far beyond any start; a hang is a failure, not a slow machine


def fresh_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a user who never ran the program: nothing of theirs exists."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "KKR_", "QT_", "WIN_PD_OVERRIDE_"))}
    local = home / "AppData" / "Local"
    env.update(HOME=str(home), USERPROFILE=str(home), LOCALAPPDATA=str(local),
               APPDATA=str(home / "AppData" / "Roaming"),
               # platformdirs on Windows asks the shell, not LOCALAPPDATA, unless told so
               WIN_PD_OVERRIDE_LOCAL_APPDATA=str(local),
               QT_QPA_PLATFORM="offscreen", PYTHONPATH="")
    env.update(extra)
    return env


def data_folder(home: Path) -> Path:
    """Where the README says the data lives, for this fresh user."""
    if sys.platform == "win32":
        return home / "AppData" / "Local" / "KKR Budget"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "KKR Budget"
    return home / ".local" / "share" / "KKR Budget"


def readme_first_command() -> list[str]:
    """The program part of the README's Quick start command
    (`python -m pip install . && python -m kkr_desktop --demo`), with this Python."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1]
    block = quick.split("```", 2)[1].strip()
    install, start = (part.strip() for part in block.split("&&"))
    assert install == "python -m pip install ."
    argv = shlex.split(start)
    assert argv[0] == "python"
    return [sys.executable, *argv[1:]]


def start(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    try:
        # the child writes to a pipe in the locale's encoding (cp1252 on a Danish Windows)
        return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True,
                              encoding=locale.getpreferredencoding(False), errors="replace",
                              timeout=HANG)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{argv} hung (a dialog no one can see?); stderr: {exc.stderr!r}")


def test_readme_first_command_opens_the_demo_on_a_fresh_home(tmp_path):
    home = tmp_path / "home"  # not even HOME exists yet
    argv = readme_first_command()
    assert argv[1:] == ["-m", "kkr_desktop", "--demo"]
    done = start(argv, fresh_env(home, KKR_BENCH_EXIT_AFTER_PAINT="1"))
    assert done.returncode == 0, done.stderr
    assert "first paint:" in done.stdout and "page: QTabWidget" in done.stdout, done.stdout
    demo = data_folder(home) / "demo.sqlite"
    assert demo.is_file()
    listed = start([sys.executable, "-m", "kkr_desktop", "--demo", "secretariat", "list"],
                   fresh_env(home))
    assert listed.returncode == 0, listed.stderr
    assert "Det fælleskommunale Sundhedssekretariat" in listed.stdout


def test_plain_start_on_a_fresh_home_shows_the_welcome_page(tmp_path):
    home = tmp_path / "home"
    done = start([sys.executable, "-m", "kkr_desktop"],
                 fresh_env(home, KKR_BENCH_EXIT_AFTER_PAINT="1"))
    assert done.returncode == 0, done.stderr
    assert "page: WelcomePage" in done.stdout, done.stdout
    assert (data_folder(home) / "kkr-budget.sqlite").is_file()
    assert not (data_folder(home) / "demo.sqlite").exists()


def test_headless_start_says_why_it_cannot_open_on_stderr(tmp_path):
    """Offscreen no one can click a dialog away: the error goes to stderr and the program
    ends with exit code 1, instead of waiting forever on an invisible message box."""
    home = tmp_path / "home"
    blocked = data_folder(home).parent
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where the data folder's parent should be")
    done = start([sys.executable, "-m", "kkr_desktop", "--demo"],
                 fresh_env(home, KKR_BENCH_EXIT_AFTER_PAINT="1"))
    assert done.returncode == 1
    assert "first paint" not in done.stdout
    assert "kan ikke oprettes" in done.stderr and str(data_folder(home)) in done.stderr, \
        done.stderr


def test_headless_start_does_not_wait_for_an_answer_no_one_can_give(tmp_path):
    """Another window holds the database: the window would ask whether to open it read-only.
    Offscreen the question goes to stderr, counts as cancelled, and the program ends."""
    from kkr_desktop.store import lock

    home = tmp_path / "home"
    db = data_folder(home) / "demo.sqlite"
    db.parent.mkdir(parents=True)
    held = lock.acquire(db, user="Anden Bruger")
    try:
        done = start([sys.executable, "-m", "kkr_desktop", "--demo"],
                     fresh_env(home, KKR_BENCH_EXIT_AFTER_PAINT="1"))
    finally:
        held.release()
    assert done.returncode == 1
    assert "first paint" not in done.stdout
    assert "Databasen er i brug: " in done.stderr and "Åben hos Anden Bruger" in done.stderr
    assert "Uden skærm kan ingen svare, så programmet stopper." in done.stderr, done.stderr
