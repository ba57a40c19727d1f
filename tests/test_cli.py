"""The CLI is a contract: scripts depend on its commands, output and exit codes."""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kkr_desktop.cli import build_parser, main


@pytest.fixture
def demo_db(db_path):
    assert main(["--db", str(db_path), "init", "--demo"]) == 0
    return str(db_path)


def fingerprint(db_path):
    """The database's bytes: the file and its write-ahead log, if any."""
    wal = db_path.with_name(db_path.name + "-wal")
    return (hashlib.sha256(db_path.read_bytes()).hexdigest(),
            hashlib.sha256(wal.read_bytes()).hexdigest() if wal.exists() else None)


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_statement_show_json(demo_db, capsys):
    code, out, _ = run(capsys, "--db", demo_db, "statement", "show", "--secretariat", "sundhed",
                       "--year", "2024", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["secretariat"] == "Det fælleskommunale Sundhedssekretariat"
    assert doc["year"] == 2024
    assert doc["columns"]["budget_prev"] == {"expenses": "2316569.00", "income": "2316569.00",
                                             "result": "0.00"}
    assert doc["columns"]["actual_prev"]["result"] == "571489.47"
    assert doc["columns"]["budget"] == {"expenses": "2019061.00", "income": "2019060.00",
                                        "result": "-1.00"}
    assert doc["warnings"] == [{"code": "budget_unbalanced", "message": doc["warnings"][0][
        "message"], "column": "budget", "amount": "-1.00"}]
    assert len(doc["lines"]) == 17


def test_statement_show_text(demo_db, capsys):
    code, out, _ = run(capsys, "--db", demo_db, "statement", "show", "--secretariat", "sundhed",
                       "--year", "2024")
    assert code == 0
    assert "I alt" in out and "2.019.061" in out and "571.489,47" in out
    assert "Budget 2024 balancerer ikke" in out


def test_allocate_json_matches_the_contract(demo_db, capsys):
    code, out, _ = run(capsys, "--db", demo_db, "allocate", "--secretariat", "sundhed",
                       "--year", "2024", "--quarter", "2020K1", "--json")
    assert code == 0
    doc = json.loads(out)
    assert (doc["kind"], doc["total"], doc["unit"], doc["quarter"]) == (
        "contribution", "1771663.00", "kr", "2020K1")
    morso = doc["rows"][0]
    assert (morso["kommunekode"], morso["kommune"], morso["population"]) == (773, "Morsø", 20247)
    assert morso["share"].startswith("0.034320")
    assert morso["amount"] == "60805.00"
    total = sum(int(r["amount"].replace(".", "")) for r in doc["rows"])
    assert total == 1_771_663_00


def test_pl_set_and_allocate_adjustment(demo_db, capsys):
    assert run(capsys, "--db", demo_db, "pl", "set", "--year", "2024", "--final", "5,0")[0] == 0
    code, out, _ = run(capsys, "--db", demo_db, "allocate", "--secretariat", "sundhed",
                       "--year", "2024", "--kind", "adjustment", "--json")
    # 1.690.518,25 × 1,05 = 1.775.044,16 billed in øre (the billing unit) − 1.771.663
    assert code == 0 and json.loads(out)["total"] == "3381.16"


def test_population_import_and_statement_export(demo_db, capsys, data_dir, tmp_path):
    code, out, _ = run(capsys, "--db", demo_db, "population", "import",
                       str(data_dir / "folk1a_nordjylland_2020K1.csv"))
    assert code == 0 and "11 kommuner" in out and "0 nye og 0 ændrede" in out
    target = tmp_path / "export.csv"
    code, _, _ = run(capsys, "--db", demo_db, "statement", "export", "--secretariat", "sundhed",
                     "--year", "2024", "-o", str(target))
    assert code == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbfsekretariat;")


def test_bad_input_exits_2_with_a_danish_message_and_writes_nothing(demo_db, capsys, tmp_path,
                                                                    db_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("OMRÅDE;TID;INDHOLD\nAalborg;2020K1;1\nAtlantis;2020K1;2\n", encoding="utf-8")
    gc.collect()  # close init's connection: its WAL is checkpointed into the file
    before = fingerprint(db_path)
    code, _, err = run(capsys, "--db", demo_db, "population", "import", str(bad))
    assert code == 2
    assert "Fejl:" in err and "Atlantis" in err and "Traceback" not in err
    gc.collect()
    assert fingerprint(db_path) == before
    code, _, err = run(capsys, "--db", demo_db, "allocate", "--secretariat", "sundhed",
                       "--year", "2024", "--amount", "1.5")
    assert code == 2 and "entydigt" in err
    code, _, err = run(capsys, "--db", demo_db, "allocate", "--secretariat", "nope",
                       "--year", "2024")
    assert code == 2 and "Intet sekretariat" in err
    code, _, err = run(capsys, "--db", demo_db, "statement", "show", "--year", "2024")
    assert code == 2 and "Ugyldig kommando: disse skal angives: --secretariat" in err
    assert err.startswith("Brug: kkr-desktop statement show ")  # once, not "Brug: Brug:"


def test_usage_errors_are_said_in_danish(capsys):
    """argparse's own English (invalid choice, not a number, unknown argument) is Danish."""
    code, _, err = run(capsys, "allocate", "--secretariat", "x", "--year", "2024", "--kind",
                       "bonus")
    assert code == 2 and "--kind: «bonus» er ikke et af valgene (vælg mellem" in err
    code, _, err = run(capsys, "allocate", "--secretariat", "x", "--year", "år")
    assert code == 2 and "--year: «år» er ikke et tal" in err
    code, _, err = run(capsys, "allocate", "--secretariat", "x", "--year", "2024", "--bogus")
    assert code == 2 and "ukendte argumenter: --bogus" in err
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "tilvalg:" in out and "vis denne hjælp og afslut" in out
    assert "options" not in out and "show this help" not in out


def test_every_command_has_help_text():
    def walk(parser: argparse.ArgumentParser, path: str):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {a.dest: a.help for a in action._choices_actions}
                for name, sub in action.choices.items():
                    assert helps.get(name), f"{path} {name} has no help text"
                    walk(sub, f"{path} {name}")
            elif action.dest != "help" and not action.help:
                pytest.fail(f"{path} {action.option_strings or action.dest} has no help text")

    walk(build_parser(), "kkr-desktop")


def test_module_entry_point_version():
    out = subprocess.run([sys.executable, "-m", "kkr_desktop", "--version"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.startswith("KKR Budget og Regnskab ")


def test_signatories_are_set_shown_and_offered(demo_db, capsys):
    code, out, _ = run(capsys, "--db", demo_db, "signatories", "--secretariat", "sundhed",
                       "--set", "Thomas Kastrup-Larsen, Formand for KKR Nordjylland",
                       "--set", "Mogens Gade, Næstformand")
    assert code == 0 and out.splitlines() == [
        "1. Thomas Kastrup-Larsen, Formand for KKR Nordjylland", "2. Mogens Gade, Næstformand"]
    code, _, err = run(capsys, "--db", demo_db, "signatories", "--secretariat", "sundhed",
                       "--set", ", Næstformand")
    assert code == 2 and "Navn, Titel" in err
    code, out, _ = run(capsys, "--db", demo_db, "signatories", "--secretariat", "sundhed")
    assert "2. Mogens Gade" in out


def test_a_missing_folder_is_named_in_danish(demo_db, capsys, tmp_path):
    code, _, err = run(capsys, "--db", demo_db, "report", "--secretariat", "sundhed", "--year",
                       "2024", "-o", str(tmp_path / "findes-ikke" / "x.pdf"))
    assert code == 2 and "findes-ikke findes ikke; x.pdf er ikke skrevet" in err
    assert ".tmp" not in err


def test_next_budget_and_a_hand_edited_population_figure(demo_db, capsys):
    assert run(capsys, "--db", demo_db, "pl", "set", "--year", "2025", "--expected", "3,9")[0] == 0
    code, out, _ = run(capsys, "--db", demo_db, "next-budget", "--secretariat", "sundhed",
                       "--year", "2024")
    assert code == 0 and "bidrag 1.840.758 kr." in out
    code, out, _ = run(capsys, "--db", demo_db, "statement", "show", "--secretariat",
                       "sundhed", "--year", "2025", "--json")
    assert json.loads(out)["columns"]["budget"]["result"] == "0.00"
    code, _, _ = run(capsys, "--db", demo_db, "population", "set", "--kommune", "851",
                     "--quarter", "2023K1", "--value", "220000")
    assert code == 0
    code, _, err = run(capsys, "--db", demo_db, "population", "set", "--kommune", "999",
                       "--quarter", "2023K1", "--value", "1")
    assert code == 2 and "999 findes ikke" in err


def test_pl_show_says_when_each_rate_was_changed(demo_db, capsys):
    from datetime import date

    code, out, _ = run(capsys, "--db", demo_db, "pl", "show")
    assert code == 0
    assert f"ændret {date.today():%d.%m.%Y}" in out.splitlines()[0]


def test_migrate_to_takes_its_source_before_or_after_the_command():
    """`migrate-to --db KILDE MÅL` (as the issue writes it) and `--db KILDE migrate-to MÅL`
    are the same command; a server URL stays a URL."""
    from kkr_desktop.cli import build_parser

    url = "postgresql://ejer@kkr-db:5432/kkr"
    after = build_parser().parse_args(["migrate-to", "--db", "kkr.sqlite", url])
    before = build_parser().parse_args(["--db", "kkr.sqlite", "migrate-to", url])
    assert (after.db, after.target) == (before.db, before.target) == (Path("kkr.sqlite"), url)
    back = build_parser().parse_args(["migrate-to", "--db", url, "arkiv.sqlite"])
    assert back.db == url


def test_output_to_a_cp1252_pipe_never_fails_on_a_character_it_lacks(tmp_path):
    """On Windows a pipe is cp1252: «→» (server init, pl set) cannot be written there. The
    command must finish, writing «?» for it, not fail half-way (found by the Windows check)."""
    import os
    import sys as _sys

    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"}
    db = tmp_path / "t.sqlite"
    done = subprocess.run([_sys.executable, "-m", "kkr_desktop", "--db", str(db), "pl", "set",
                           "--year", "2025", "--expected", "3,1"], capture_output=True,
                          env=env, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr.decode("cp1252", "replace")
    assert "PL 2024?2025: forventet 3,1 %" in done.stdout.decode("cp1252")


@pytest.mark.skipif(sys.platform == "win32", reason="Windows may report a closed pipe as "
                    "EINVAL, not as a broken pipe: not handled there")
def test_a_reader_that_stops_early_is_no_error(demo_db_path):
    """`kkr-desktop … | head`: the reader closes the pipe; the command ends quietly, never
    with «Fejl: … Broken pipe» or a traceback on the screen."""
    import sys as _sys

    child = subprocess.Popen(
        [_sys.executable, "-m", "kkr_desktop", "--db", demo_db_path, "statement", "show",
         "--secretariat", "sundhed", "--year", "2024"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parent.parent)
    child.stdout.close()  # before the child has written anything: its first write fails
    err = child.stderr.read().decode("utf-8", "replace")
    assert child.wait(timeout=60) == 1
    assert err == "", err
