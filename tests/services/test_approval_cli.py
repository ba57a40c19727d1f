"""The approval commands: approve, report, revision, approvals."""

from __future__ import annotations

import sqlite3

from pypdf import PdfReader

from kkr_desktop.cli import main

APPROVE = ["approve", "--secretariat", "sundhed", "--year", "2024", "--body", "KKR Nordjylland",
           "--date", "2024-03-12", "--case", "2.4",
           "--signatory", "Thomas Kastrup-Larsen, Formand for KKR Nordjylland",
           "--signatory", "Mogens Gade, Næstformand for KKR Nordjylland"]


def run(db, *argv: str) -> int:
    return main(["--db", str(db), *argv])


def text(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def test_approve_report_revision_round(tmp_path, capsys):
    db = tmp_path / "k.sqlite"
    assert run(db, "init", "--demo") == 0
    assert run(db, "report", "--secretariat", "sundhed", "--year", "2024",
               "-o", str(tmp_path / "draft.pdf")) == 0
    assert "KLADDE" in text(tmp_path / "draft.pdf")
    capsys.readouterr()

    assert run(db, *APPROVE) == 0
    out, err = capsys.readouterr()
    assert "Godkendt: regnskab 2023 og budget 2024, revision 1" in out
    assert "Advarsel: Budget 2024 balancerer ikke" in err
    doc_id = out.split("Dokument-id ")[1][:8]

    assert run(db, "report", "--secretariat", "sundhed", "--year", "2024",
               "-o", str(tmp_path / "a.pdf")) == 0
    approved = text(tmp_path / "a.pdf")
    assert f"Dokument-id {doc_id}" in approved and "KLADDE" not in approved

    conn = sqlite3.connect(db)
    try:
        conn.execute("UPDATE statement_line SET budget = 0 WHERE year = 2024")
        raise AssertionError("a frozen line was changed")
    except sqlite3.IntegrityError as exc:
        assert "Låst" in str(exc)
    finally:
        conn.close()

    assert run(db, *APPROVE) == 2
    assert "allerede godkendt" in capsys.readouterr().err
    assert run(db, "revision", "--secretariat", "sundhed", "--year", "2024",
               "--reason", "Lønnen var bogført dobbelt") == 0
    assert "Ny revision 2" in capsys.readouterr().out
    assert run(db, "report", "--secretariat", "sundhed", "--year", "2024", "--revision", "1",
               "-o", str(tmp_path / "r1.pdf")) == 0
    assert f"Dokument-id {doc_id}" in text(tmp_path / "r1.pdf")
    assert run(db, "report", "--secretariat", "sundhed", "--year", "2024", "--revision", "9",
               "-o", str(tmp_path / "r9.pdf")) == 2
    assert not (tmp_path / "r9.pdf").exists()
    capsys.readouterr()
    assert run(db, "approvals", "--secretariat", "sundhed", "--year", "2024") == 0
    out = capsys.readouterr().out
    assert f"Revision 1: KKR Nordjylland den 12. marts 2024, punkt 2.4; dokument-id {doc_id}; " \
           "senest godkendte; revision 2 er under udarbejdelse" in out


def test_approve_refuses_a_bad_date(tmp_path, capsys):
    db = tmp_path / "k.sqlite"
    assert run(db, "init", "--demo") == 0
    args = list(APPROVE)
    args[args.index("2024-03-12")] = "30.02.2024"
    assert run(db, *args) == 2
    assert "februar 2024 har ingen 30. dag" in capsys.readouterr().err


def test_approve_reads_the_date_as_danes_type_it(tmp_path, capsys):
    db = tmp_path / "k.sqlite"
    assert run(db, "init", "--demo") == 0
    args = list(APPROVE)
    args[args.index("2024-03-12")] = "12.03.24"
    assert run(db, *args) == 0
    assert "den 12. marts 2024" in capsys.readouterr().out


def test_approve_needs_a_named_signatory(tmp_path, capsys):
    db = tmp_path / "k.sqlite"
    assert run(db, "init", "--demo") == 0
    assert run(db, *APPROVE[:APPROVE.index("--signatory")]) == 2
    assert "mindst én underskriver med navn" in capsys.readouterr().err
    assert run(db, "approvals", "--secretariat", "sundhed", "--year", "2024") == 0
    assert "ikke godkendt" in capsys.readouterr().out


def test_an_odd_meeting_date_needs_force(tmp_path, capsys):
    db = tmp_path / "k.sqlite"
    assert run(db, "init", "--demo") == 0
    args = list(APPROVE)
    args[args.index("2024-03-12")] = "12.03.2034"  # a slip of the finger: ten years on
    assert run(db, *args) == 2
    err = capsys.readouterr().err
    assert "efter budgetåret 2024 er slut" in err and "--force" in err
    assert run(db, *args, "--force") == 0


def test_revision_needs_a_reason_and_the_revised_document_prints_it(tmp_path, capsys):
    db = tmp_path / "k.sqlite"
    assert run(db, "init", "--demo") == 0
    assert run(db, *APPROVE) == 0
    doc_id = capsys.readouterr().out.split("Dokument-id ")[1][:8]
    assert run(db, "revision", "--secretariat", "sundhed", "--year", "2024") == 2
    assert "--reason" in capsys.readouterr().err
    assert run(db, "revision", "--secretariat", "sundhed", "--year", "2024",
               "--reason", "   ") == 2
    assert "Angiv årsagen" in capsys.readouterr().err
    assert run(db, "revision", "--secretariat", "sundhed", "--year", "2024",
               "--reason", "Lønnen var bogført dobbelt") == 0
    earlier = list(APPROVE)
    earlier[earlier.index("2024-03-12")] = "11.03.2024"  # before revision 1's meeting
    assert run(db, *earlier) == 2
    assert "før mødet den 12. marts 2024" in capsys.readouterr().err
    assert run(db, *[a if a != "2024-03-12" else "2. april 2024" for a in APPROVE]) == 0
    assert run(db, "report", "--secretariat", "sundhed", "--year", "2024",
               "-o", str(tmp_path / "r2.pdf")) == 0
    printed = " ".join(text(tmp_path / "r2.pdf").split())
    assert (f"Erstatter revision 1 (Dokument-id {doc_id}) af 12. marts 2024. Årsag: Lønnen "
            "var bogført dobbelt") in printed
