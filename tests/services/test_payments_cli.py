"""payments add / import / show / reverse on the demo database, and their refusals (exit 2,
nothing saved)."""

from __future__ import annotations

from kkr_desktop.cli import main

KKR = ["--kkr", "Nordjylland", "--year", "2024"]


def run(db, *argv: str) -> int:
    return main(["--db", str(db), *argv])


def _billed(tmp_path):
    db = tmp_path / "k.sqlite"
    assert run(db, "init", "--demo") == 0
    assert run(db, "allocate", "--secretariat", "sundhed", "--year", "2024", "--save") == 0
    return db


def _row(out: str, name: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(name))


def test_add_import_show_and_reverse(tmp_path, capsys):
    db = _billed(tmp_path)
    capsys.readouterr()
    assert run(db, "payments", "add", *KKR, "--kommune", "Aalborg", "--date", "15.01.2024",
               "--amount", "300.000,00") == 0
    out = capsys.readouterr().out
    assert "Registrerede betaling nr. 1: 300.000,00 kr. fra 851 den 15-01-2024." in out
    assert "Åbent: 351.908,00 kr." in out
    bank = tmp_path / "bank.csv"
    bank.write_text("Dato;Beløb;Tekst\n20-01-2024;193.652,00;KKR2024-860\n"
                    "21-01-2024;12,00;gebyr\n", encoding="utf-8")
    assert run(db, "payments", "import", str(bank), *KKR) == 0
    out = capsys.readouterr().out
    assert "Registreret: 1 betaling(er) i alt 193.652,00 kr." in out
    assert "linje 3: 21-01-2024 12,00 kr. «gebyr»: ingen reference" in out
    assert run(db, "payments", "import", str(bank), *KKR) == 0
    assert "Allerede registreret (ikke gemt igen): 1 (linje 2)." in capsys.readouterr().out
    assert run(db, "payments", "show", *KKR, "--list") == 0
    out = capsys.readouterr().out
    assert _row(out, "851 Aalborg").split() == ["851", "Aalborg", "651.908,00", "300.000,00",
                                                "351.908,00"]
    assert _row(out, "860 Hjørring").split()[-1] == "0,00"
    assert _row(out, "I alt").split()[-2:] == ["493.652,00", "1.278.011,00"]
    assert run(db, "payments", "reverse", "1") == 0
    assert "modposteret med nr. 3" in capsys.readouterr().out
    assert run(db, "payments", "show", *KKR) == 0
    assert _row(capsys.readouterr().out, "851 Aalborg").split()[-1] == "651.908,00"


def test_bad_input_exits_2_and_saves_nothing(tmp_path, capsys):
    db = _billed(tmp_path)
    assert run(db, "payments", "add", *KKR, "--kommune", "851", "--date", "15.01.2024",
               "--amount", "1.5") == 2
    assert "ikke et entydigt beløb" in capsys.readouterr().err
    assert run(db, "payments", "add", *KKR, "--kommune", "101", "--date", "15.01.2024",
               "--amount", "10") == 2
    assert "«101» er ikke en kommune i KKR Nordjylland" in capsys.readouterr().err
    bank = tmp_path / "bank.csv"
    bank.write_text("Dato;Beløb;Tekst\n20-01-2024;193.652,00;KKR2024-860\n"
                    "2024-01-21;12,00;KKR2024-851\n", encoding="utf-8")
    assert run(db, "payments", "import", str(bank), *KKR) == 2
    err = capsys.readouterr().err
    assert "bank.csv, linje 3, kolonne «Dato»: «2024-01-21» er ikke en dato" in err
    assert run(db, "payments", "show", *KKR) == 0
    assert _row(capsys.readouterr().out, "I alt").split()[-2] == "0,00"
