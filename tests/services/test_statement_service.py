from __future__ import annotations

import hashlib
import json

import pytest

from kkr_desktop.core.errors import FileFormatError, InputError, KkrNeeded, NotFoundError
from kkr_desktop.core.statement import Column
from kkr_desktop.services import statements
from kkr_desktop.services.statements import export_statement
from kkr_desktop.store import audit, secretariats


def test_demo_statement_2024(demo_store, demo_secretariat):
    view = statements.load_statement(demo_store, demo_secretariat, 2024)
    assert view.statement.totals(Column.BUDGET).expenses == 2_019_061_00
    assert [w.code for w in view.warnings] == ["budget_unbalanced"]  # PL check passes
    members = secretariats.members(demo_store, demo_secretariat.id, 2024)
    assert len(members) == 11 and members[0].kommune == "Morsø"


def test_import_creates_secretariat_in_kkr_with_members(store, data_dir):
    # An empty database: which KKR the new secretariat belongs to is asked, not guessed.
    with pytest.raises(KkrNeeded) as err:
        statements.import_statement(store, data_dir / "sundhedssekretariat.csv")
    assert err.value.secretariats == ["Det fælleskommunale Sundhedssekretariat"]
    assert "Vælg hvilket KKR" in err.value.message and "--kkr" in err.value.message
    assert secretariats.all_secretariats(store) == []  # nothing half-imported
    result = statements.import_statement(store, data_dir / "sundhedssekretariat.csv",
                                         kkr="Nordjylland")
    assert result.created == ["Det fælleskommunale Sundhedssekretariat"]
    assert result.lines == 34
    sec = secretariats.find(store, "SUNDHED")
    assert sec.kkr == "Nordjylland"
    assert len(secretariats.members(store, sec.id, 2024)) == 11


def test_import_into_another_kkr(store, data_dir):
    statements.import_statement(store, data_dir / "sundhedssekretariat.csv", kkr="KKR Sjælland")
    sec = secretariats.find(store, "sundhed")
    assert sec.kkr == "Sjælland"
    assert len(secretariats.members(store, sec.id, 2024)) == 17


def test_a_new_secretariat_joins_the_one_kkr_of_the_database(demo_store, tmp_path):
    """The demo's secretariats are all in KKR Nordjylland: a new one goes there too. With
    secretariats in two KKR, the choice is the user's."""
    text = export_statement(demo_store, secretariats.find(demo_store, "sundhed"), 2024)
    new = tmp_path / "trafik.csv"
    new.write_text(text.replace("Det fælleskommunale Sundhedssekretariat", "Trafiksekretariatet"),
                   encoding="utf-8")
    result = statements.import_statement(demo_store, new)
    assert result.created == ["Trafiksekretariatet"]
    # The KKR was taken from the database, so the result says which, with the members.
    assert result.created_text == ["Trafiksekretariatet (KKR Nordjylland, 11 medlemskommuner; "
                                   "ret under Indstillinger, hvis det er forkert)"]
    assert secretariats.find(demo_store, "Trafik").kkr == "Nordjylland"
    other = tmp_path / "klima.csv"
    other.write_text(text.replace("Det fælleskommunale Sundhedssekretariat", "Klimasekretariatet"),
                     encoding="utf-8")
    statements.import_statement(demo_store, other, kkr="Midtjylland")
    third = tmp_path / "tredje.csv"
    third.write_text(text.replace("Det fælleskommunale Sundhedssekretariat", "Tredje"),
                     encoding="utf-8")
    with pytest.raises(KkrNeeded):
        statements.import_statement(demo_store, third)
    assert secretariats.find_by_name(demo_store, "Tredje") is None


def test_cli_import_into_an_empty_database_asks_for_the_kkr(db_path, data_dir, capsys):
    from kkr_desktop.cli import main

    assert main(["--db", str(db_path), "init"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "statement", "import",
                 str(data_dir / "sundhedssekretariat.csv")]) == 2
    assert "--kkr" in capsys.readouterr().err
    assert main(["--db", str(db_path), "statement", "import", "--kkr", "Nordjylland",
                 str(data_dir / "sundhedssekretariat.csv")]) == 0
    assert "Oprettet sekretariat: Det fælleskommunale Sundhedssekretariat (KKR Nordjylland, " \
           "11 medlemskommuner" in \
        capsys.readouterr().out


def test_reimport_changes_nothing_and_audits_nothing(demo_store, data_dir):
    before = demo_store.scalar("SELECT count(*) FROM audit_log")
    statements.import_statement(demo_store, data_dir / "sundhedssekretariat.csv")
    assert demo_store.scalar("SELECT count(*) FROM audit_log") == before


def test_edit_is_audited_with_old_and_new_value(demo_store, demo_secretariat):
    statements.set_line_field(demo_store, demo_secretariat.id, 2024, "Husleje", "budget",
                              37_617_00)
    entry = audit.entries(demo_store, secretariat_id=demo_secretariat.id, year=2024)[0]
    assert (entry.table, entry.action) == ("statement_line", "update")
    assert json.loads(entry.old) == {"budget": 3761800}
    assert json.loads(entry.new) == {"budget": 3761700}
    assert entry.who
    view = statements.load_statement(demo_store, demo_secretariat, 2024)
    assert view.warnings == []  # the 1 kr. imbalance is gone


@pytest.mark.sqlite_file
def test_bad_csv_leaves_the_database_file_byte_identical(demo_store, db_path, tmp_path,
                                                         data_dir):
    demo_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    files = [db_path, db_path.with_name(db_path.name + "-wal")]
    before = [hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else None
              for f in files]
    good = (data_dir / "sundhedssekretariat.csv").read_text(encoding="utf-8")
    # a changed Husleje and a new good year, then a broken last line: nothing may be stored
    bad = tmp_path / "bad.csv"
    changed = good.replace(";2024;Husleje;udgift;;37.618;", ";2024;Husleje;udgift;;99.999;")
    assert changed != good
    bad.write_text(changed.rstrip() + "\n"
                   "Det fælleskommunale Sundhedssekretariat;2025;Husleje;udgift;;1.000;;;\n"
                   "Det fælleskommunale Sundhedssekretariat;2025;Løn;udgift;;1,5,0;;;\n",
                   encoding="utf-8")
    with pytest.raises(FileFormatError, match="linje 37, kolonne «budget»: «1,5,0»"):
        statements.import_statement(demo_store, bad)
    after = [hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else None
             for f in files]
    assert after == before


def test_export_round_trip(demo_store, demo_secretariat, data_dir, tmp_path):
    text = statements.export_statement(demo_store, demo_secretariat, 2024)
    out = tmp_path / "out.csv"
    out.write_text(text, encoding="utf-8-sig")
    from kkr_desktop.formats.interchange import read_statement_csv

    assert read_statement_csv(out).years == read_statement_csv(
        data_dir / "sundhedssekretariat.csv").years


def test_unknown_secretariat_and_year(demo_store, demo_secretariat):
    with pytest.raises(NotFoundError, match="Intet sekretariat"):
        secretariats.find(demo_store, "vejdirektoratet")
    with pytest.raises(NotFoundError):
        statements.load_statement(demo_store, demo_secretariat, 2030)


def test_ambiguous_secretariat_part(demo_store, data_dir, tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("sekretariat;år;post;art;rolle;budget;regnskab;budget_note;regnskab_note\n"
                 "Sundhedsteknologisk sekretariat;2024;Løn;udgift;;1;;;\n", encoding="utf-8")
    statements.import_statement(demo_store, p)
    with pytest.raises(InputError, match="flere sekretariater"):
        secretariats.find(demo_store, "sundhed")
