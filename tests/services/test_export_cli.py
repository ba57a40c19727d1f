"""The export commands end to end through the CLI, on the demo database."""

from __future__ import annotations

from kkr_desktop.cli import main
from kkr_desktop.paths import resources_dir


def run(capsys, db, *args):
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_flow(capsys, tmp_path):
    db = tmp_path / "demo.sqlite"
    out_dir = tmp_path / "ud"
    out_dir.mkdir()
    target = out_dir / "bidrag.csv"
    assert run(capsys, db, "init", "--demo")[0] == 0
    assert run(capsys, db, "allocate", "--secretariat", "sundhed", "--year", "2024",
               "--save")[0] == 0
    blank = tmp_path / "blank.csv"  # Aalborg's numbers not known yet
    blank.write_text("kommunekode;cvr;ean;konto\n851;;;\n", encoding="utf-8")
    assert run(capsys, db, "members", "import", "--secretariat", "sundhed", str(blank))[0] == 0
    code, _, err = run(capsys, db, "export", "--secretariat", "sundhed", "--year", "2024",
                       "-o", str(target))
    assert code == 2 and "851 Aalborg: CVR-nummer mangler; EAN-nummer mangler" in err
    assert list(out_dir.iterdir()) == []

    code, out, _ = run(capsys, db, "members", "import", "--secretariat", "sundhed",
                       str(resources_dir() / "erp_demo_nordjylland.csv"))
    assert code == 0 and "11 kommuner" in out
    code, out, _ = run(capsys, db, "members", "show", "--secretariat", "sundhed")
    assert out.splitlines()[0] == "kommunekode;kommune;cvr;ean;konto"
    assert "851;Aalborg;29189420;" in out

    code, out, _ = run(capsys, db, "export", "--secretariat", "sundhed", "--year", "2024",
                       "--due-date", "31-12-2024", "-o", str(target))
    assert code == 0 and "11 kommuner, i alt 1.771.663,00 kr." in out
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")

    code, _, err = run(capsys, db, "export", "--secretariat", "sundhed", "--year", "2024",
                       "-o", str(out_dir / "igen.csv"))
    assert code == 2 and "første gang" in err and "--again" in err
    assert not (out_dir / "igen.csv").exists()
    code, _, err = run(capsys, db, "export", "--secretariat", "sundhed", "--year", "2024",
                       "--again", "-o", str(out_dir / "igen.csv"))
    assert code == 0 and err.startswith("Advarsel:")

    assert run(capsys, db, "members", "accounts", "--secretariat", "sundhed", "--receivable",
               "9.22.05", "--income", "6.45.51")[0] == 0
    code, out, _ = run(capsys, db, "export", "--secretariat", "sundhed", "--year", "2024",
                       "--journal", "-o", str(out_dir / "kladde.csv"))
    assert code == 0 and (out_dir / "kladde.csv").exists()

    code, out, _ = run(capsys, db, "export-log", "--secretariat", "sundhed")
    assert out.count("sha256") == 3
    lines = [ln for ln in out.splitlines() if not ln.startswith("    ")]
    assert len(lines) == 3 and all(" kl. " in ln for ln in lines)
    assert lines[0].endswith("opkrævning af bidrag 2024 (ERP-fil, profil «Standard (Excel)»)  "
                             "1.771.663,00 kr.")
    assert "(kassekladde" in out and "contribution" not in out and "erp," not in out


def test_bad_date_and_unknown_profile_are_bad_input(capsys, tmp_path):
    db = tmp_path / "demo.sqlite"
    run(capsys, db, "init", "--demo")
    code, _, err = run(capsys, db, "export", "--secretariat", "sundhed", "--year", "2024",
                       "--due-date", "31.02.2024", "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "ikke en dato" in err
    code, _, err = run(capsys, db, "export", "--secretariat", "sundhed", "--year", "2024",
                       "--profile", "Opus", "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "Standard (Excel)" in err


def test_profiles_list_and_copy(capsys, tmp_path):
    db = tmp_path / "x.sqlite"
    code, out, _ = run(capsys, db, "profiles", "copy", "Standard (Excel)", "Opus")
    assert code == 0
    code, out, _ = run(capsys, db, "profiles", "list")
    assert "Standard (Excel) (følger med programmet)" in out and "Opus" in out
    assert run(capsys, db, "profiles", "copy", "Standard (Excel)", "Opus")[0] == 2
