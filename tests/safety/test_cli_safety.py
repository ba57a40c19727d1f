"""The CLI's backup, restore and audit commands."""

from __future__ import annotations

from kkr_desktop.cli import build_parser, main
from kkr_desktop.store import backup, lock


def test_backup_restore_audit_round_trip(db_path, tmp_path, capsys):
    db = str(db_path)
    assert main(["--db", db, "init", "--demo"]) == 0
    assert main(["--db", db, "backup"]) == 0
    out = capsys.readouterr().out
    assert "Sikkerhedskopi gemt:" in out
    assert main(["--db", db, "backup", "-o", str(tmp_path / "kopi.sqlite")]) == 0
    assert main(["--db", db, "pl", "set", "--year", "2025", "--expected", "3,1"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "audit", "--limit", "1"]) == 0
    assert "PL-sats 2025" in capsys.readouterr().out
    assert main(["--db", db, "restore", str(tmp_path / "kopi.sqlite")]) == 0
    out = capsys.readouterr().out
    assert "gendannet fra" in out and "Den hidtidige fil er gemt som" in out
    assert main(["--db", db, "pl", "show"]) == 0
    assert "2024→2025" not in capsys.readouterr().out
    kinds = {b.kind for b in backup.list_backups(db_path)}
    assert {"daily", "manual", "restore"} <= kinds


def test_audit_filters_by_secretariat_year_and_date(db_path, capsys):
    db = str(db_path)
    main(["--db", db, "init", "--demo"])
    capsys.readouterr()
    assert main(["--db", db, "audit", "--secretariat", "sundhed", "--year", "2023",
                 "--limit", "1000"]) == 0
    out = capsys.readouterr().out
    assert "Sundhedssekretariat 2023]" in out and " 2024]" not in out
    assert main(["--db", db, "audit", "--since", "2000-01-01", "--until", "2000-01-02"]) == 0
    assert "Ingen ændringer" in capsys.readouterr().out
    assert main(["--db", db, "audit", "--since", "1. marts"]) == 2
    assert "ikke en dato" in capsys.readouterr().err


def test_restore_refuses_while_a_window_has_the_database(db_path, tmp_path, capsys):
    db = str(db_path)
    main(["--db", db, "init"])
    main(["--db", db, "backup", "-o", str(tmp_path / "k.sqlite")])
    held = lock.acquire(db_path, user="anne")
    try:
        assert main(["--db", db, "restore", str(tmp_path / "k.sqlite")]) == 1
        assert "Åben hos anne" in capsys.readouterr().err
    finally:
        held.release()


def test_restore_of_a_missing_file_is_bad_input(db_path, tmp_path, capsys):
    main(["--db", str(db_path), "init"])
    assert main(["--db", str(db_path), "restore", str(tmp_path / "nope.sqlite")]) == 2
    assert "findes ikke" in capsys.readouterr().err


def test_safety_commands_have_help():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in ("backup", "restore", "audit"):
        assert sub.choices[name].description or any(
            c.dest == name and c.help for c in sub._choices_actions)
