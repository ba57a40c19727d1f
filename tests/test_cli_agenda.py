"""`agenda create / show / approve / report` on the demo plus the Socialaftale."""

from __future__ import annotations

import sqlite3

from pypdf import PdfReader

from kkr_desktop.cli import main


def run(db: str, *argv: str) -> int:
    return main(["--db", db, *argv])


def test_agenda_from_creation_to_the_approved_pdf(demo_db_path, data_dir, tmp_path, capsys):
    db = demo_db_path
    assert run(db, "statement", "import", str(data_dir / "socialaftale.csv")) == 0
    texts = tmp_path / "punkt.txt"
    texts.write_text("Sagsfremstilling\nTo sekretariater.\nIndstilling\nAt godkende.\n",
                     encoding="utf-8")
    assert run(db, "agenda", "create", "--kkr", "Nordjylland", "--year", "2024", "--case",
               "2.4", "--text-file", str(texts)) == 0
    assert "(id 1)" in capsys.readouterr().out
    approve = ["agenda", "approve", "--id", "1", "--body", "KKR Nordjylland", "--date",
               "12.03.2024", "--signatory", "Thomas Kastrup-Larsen, Formand"]
    assert run(db, *approve, "--case", "2.5") == 2  # not the item's number: nothing approved
    assert sqlite3.connect(db).execute("SELECT count(*) FROM approval").fetchone()[0] == 0
    capsys.readouterr()
    assert run(db, *approve) == 0
    out = capsys.readouterr().out
    assert out.count("Godkendt: ") == 2 and "Dagsordenspunkt 2.4 er godkendt" in out
    assert run(db, *approve) == 2  # approved once
    pdf = tmp_path / "punkt.pdf"
    assert run(db, "agenda", "report", "--id", "1", "-o", str(pdf)) == 0
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "To sekretariater." in text and "At godkende." in text
    assert "Sekretariat for Nordjysk Socialaftale: Regnskab 2023 og budget 2024" in text
    assert run(db, "agenda", "edit", "--id", "1", "--title", "Andet") == 2
