"""Which database a command opens: the default in the data folder, --demo's demo.sqlite
beside it, or --db PATH; and a user who filled the demo and forgot --demo is told."""

from __future__ import annotations

from pathlib import Path

import pytest

from kkr_desktop.cli import main
from kkr_desktop.paths import data_dir

DEMO_NAME = "Det fælleskommunale Sundhedssekretariat"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A user who never ran the program: the data folder does not exist yet."""
    home = tmp_path / "home"
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "KKR_DB_NETWORK"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", str(home / "AppData" / "Local"))
    assert home in data_dir().parents
    return home


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_demo_fills_demo_sqlite_and_demo_before_a_command_opens_it(home, capsys):
    assert not data_dir().exists()
    code, out, _ = run(capsys, "init", "--demo")
    assert code == 0
    assert f"Database: {data_dir() / 'demo.sqlite'}" in out
    assert (data_dir() / "demo.sqlite").is_file()
    assert not (data_dir() / "kkr-budget.sqlite").exists()
    code, out, _ = run(capsys, "--demo", "secretariat", "list")
    assert code == 0 and out.startswith(DEMO_NAME)
    code, out, _ = run(capsys, "--demo", "statement", "show", "--secretariat", "sundhed",
                       "--year", "2024")
    assert code == 0 and "Regnskab 2023 og budget 2024" in out


def test_demo_before_the_command_works_on_a_fresh_home(home, capsys):
    code, out, err = run(capsys, "--demo", "secretariat", "list")
    assert (code, err) == (0, "")
    assert out.startswith(DEMO_NAME)


def test_the_default_database_points_to_the_demo_when_only_the_demo_has_data(home, capsys):
    assert run(capsys, "init", "--demo")[0] == 0
    code, out, _ = run(capsys, "secretariat", "list")
    assert code == 0
    assert f"Ingen sekretariater endnu i {data_dir() / 'kkr-budget.sqlite'}" in out
    assert f"Demodatabasen findes ({data_dir() / 'demo.sqlite'})" in out
    assert "--demo secretariat list" in out
    code, _, err = run(capsys, "statement", "show", "--secretariat", "sundhed", "--year", "2024")
    assert code == 2
    assert "Intet sekretariat hedder «sundhed»" in err and "skriv --demo før kommandoen" in err


def test_no_demo_hint_without_a_demo_database_or_with_db(home, tmp_path, capsys):
    code, out, _ = run(capsys, "secretariat", "list")
    assert code == 0 and "Ingen sekretariater endnu" in out and "--demo" not in out
    assert run(capsys, "init", "--demo")[0] == 0
    other = tmp_path / "andet.sqlite"
    code, out, _ = run(capsys, "--db", str(other), "secretariat", "list")
    assert code == 0 and f"Ingen sekretariater endnu i {other}" in out and "--demo" not in out


def test_a_data_folder_that_cannot_be_made_is_said_in_danish(home, capsys):
    data_dir().parent.parent.mkdir(parents=True)
    data_dir().parent.write_text("a file in the way")
    code, _, err = run(capsys, "init")
    assert code == 1
    assert err == (f"Fejl: Mappen til databasen, {data_dir()}, kan ikke oprettes: en del af "
                   "stien er en fil, ikke en mappe.\n")
