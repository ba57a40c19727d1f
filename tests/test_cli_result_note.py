"""`statement note --result`: the footnote on Overskud/underskud from the command line."""

from __future__ import annotations

import json

from kkr_desktop.cli import main
from tests.services.test_approval_cli import APPROVE

NOTE = ["statement", "note", "--secretariat", "sundhed", "--year", "2024"]


def run(capsys, db, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_set_show_remove_and_refuse_after_approval(demo_db_path, capsys):
    db = demo_db_path
    code, out, _ = run(capsys, db, *NOTE, "--result", "actual_prev", "--text",
                       "Overskuddet udbetales til kommunerne.")
    assert code == 0 and "Fodnoten på Overskud/underskud, Regnskab 2023" in out
    code, out, _ = run(capsys, db, "statement", "show", "--secretariat", "sundhed",
                       "--year", "2024")
    result_row = next(ln for ln in out.splitlines() if ln.startswith("Overskud/underskud"))
    assert "571.489,47(4)" in result_row and "(4) Overskuddet udbetales til kommunerne." in out
    code, out, _ = run(capsys, db, "statement", "show", "--secretariat", "sundhed",
                       "--year", "2024", "--json")
    assert json.loads(out)["result_notes"] == {
        "actual_prev": "Overskuddet udbetales til kommunerne."}

    code, out, _ = run(capsys, db, *NOTE, "--result", "actual_prev", "--text", "")
    assert code == 0 and "er fjernet" in out
    code, out, _ = run(capsys, db, "statement", "show", "--secretariat", "sundhed",
                       "--year", "2024", "--json")
    assert json.loads(out)["result_notes"] == {}

    assert run(capsys, db, *APPROVE)[0] == 0
    code, out, err = run(capsys, db, *NOTE, "--result", "budget", "--text", "For sent")
    assert code == 2 and out == ""
    assert err.startswith("Fejl: Noten til overskud/underskud i budget 2024 kan ikke ændres: "
                          "regnskab 2023 og budget 2024 er godkendt af KKR Nordjylland")


def test_an_unknown_column_is_bad_input(demo_db_path, capsys):
    code, _out, err = run(capsys, demo_db_path, *NOTE, "--result", "regnskab", "--text", "x")
    assert code == 2 and "«regnskab» er ikke et af valgene" in err
