"""Oversized input (issue 11 §4): a CSV field past csv's 131,072-character limit, numbers of
thousands of digits (past int()'s 4,300-digit limit), and figures too large for SQLite's
INTEGER. From the command line each is a Danish message naming the line and the column,
exit code 2, and the database is untouched; never a traceback.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile
from pathlib import Path

import pytest

from kkr_desktop.cli import main
from kkr_desktop.core.errors import KkrError
from kkr_desktop.formats.xlsx import read_statement_xlsx

LONG = 140_000  # characters: past csv's default field limit of 131,072
DIGITS = 5_000  # past int()'s default limit of 4,300 digits
HEAD = "sekretariat;år;post;art;rolle;budget;regnskab;budget_note;regnskab_note\n"
FOLK = "OMRÅDE;KØN;ALDER;TID;INDHOLD\n"
MEMBERS = "kommunekode;cvr;ean;konto\n"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("oversized") / "demo.sqlite"
    assert main(["--db", str(db), "init", "--demo"]) == 0
    return db


def fingerprint(db: Path) -> str:
    """The database's content (each command opens and closes the file, so its bytes and
    its -wal differ by checkpoints alone)."""
    conn = sqlite3.connect(db)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def refused(capsys, db: Path, *args: str) -> str:
    """Run a command that must be refused as bad input; its Danish message."""
    capsys.readouterr()
    before = fingerprint(db)
    code = main(["--db", str(db), *args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Fejl: " in err and "Traceback" not in err
    assert len(err) < 2000, "the message must not echo thousands of characters"
    assert fingerprint(db) == before
    return err


FILES = {
    "statement-long-note": ("statement", HEAD + 'X;2024;Løn;udgift;;1.000;;"' + "x" * LONG
                            + '";\n', "linje 2", "budget_note"),
    "statement-long-name": ("statement", HEAD + "X;2024;Husleje;udgift;;1;;;\nX;2024;"
                            + "n" * LONG + ";udgift;;1;;;\n", "linje 3", "post"),
    "statement-huge-amount": ("statement", HEAD + "X;2024;Løn;udgift;;" + "9" * DIGITS
                              + ";;;\n", "linje 2", "budget"),
    "statement-huge-year": ("statement", HEAD + "X;" + "2" * DIGITS + ";Løn;udgift;;1;;;\n",
                            "linje 2", "år"),
    "population-long-field": ("population", FOLK + 'Aalborg;I alt;Alder i alt;2022K1;"'
                              + "1" * LONG + '"\n', "linje 2", "INDHOLD"),
    "population-huge-value": ("population", FOLK + "Aalborg;I alt;Alder i alt;2022K1;"
                              + "1" * DIGITS + "\n", "linje 2", "INDHOLD"),
    "population-past-sqlite": ("population", FOLK + "Aalborg;I alt;Alder i alt;2022K1;"
                               + "1" * 25 + "\n", "linje 2", "INDHOLD"),
    "population-wide-past-sqlite": ("population", ";;2022K1\nAalborg;I alt;" + "9" * 20
                                    + "\n", "linje 2", "2022K1"),
    "members-long-account": ("members", MEMBERS + '851;29189420;5798005770006;"'
                             + "k" * LONG + '"\n', "linje 2", "konto"),
    "members-huge-code": ("members", MEMBERS + "9" * DIGITS + ";29189420;5798005770006;1\n",
                          "linje 2", "kommunekode"),
}


@pytest.mark.parametrize("case", sorted(FILES))
def test_an_oversized_file_is_refused_with_line_and_column(capsys, demo_db, tmp_path, case):
    kind, text, line, column = FILES[case]
    path = tmp_path / f"{case}.csv"
    path.write_text(text, encoding="utf-8")
    args = {"statement": ["statement", "import", str(path)],
            "population": ["population", "import", str(path)],
            "members": ["members", "import", "--secretariat", "sundhed", str(path)]}[kind]
    err = refused(capsys, demo_db, *args)
    assert line in err and f"kolonne «{column}»" in err, err


@pytest.mark.parametrize("args, words", [
    (["population", "set", "--kommune", "851", "--quarter", "2022K1", "--value",
      "99999999999999999999999"], "urimeligt stort"),
    (["population", "set", "--kommune", "851", "--quarter", "2022K1", "--value",
      "10000001"], "højst 10.000.000"),
    (["population", "set", "--kommune", "851", "--quarter", "2022K1", "--value",
      "9" * DIGITS], "ikke et tal"),
    (["pl", "set", "--year", "2025", "--expected", "9" * DIGITS], "procentsats"),
    (["pl", "set", "--year", "2025", "--final", "4," + "1" * DIGITS], "procentsats"),
    (["allocate", "--secretariat", "sundhed", "--year", "2024", "--amount", "9" * DIGITS],
     "for stort"),
    (["allocate", "--secretariat", "sundhed", "--year", "2024", "--amount",
      "1." + ".".join(["000"] * 2000)], "for stort"),
    (["allocate", "--secretariat", "sundhed", "--year", "2024", "--amount",
      "9" * 16], "for stort"),
])
def test_an_absurd_number_on_the_command_line_is_refused(capsys, demo_db, args, words):
    err = refused(capsys, demo_db, *args)
    assert words in err, err


# --- xlsx: a cell holding a huge number, infinity or NaN ----------------------------------

def _workbook_with(tmp_path: Path, value_xml: str) -> Path:
    """The «Poster» sheet with one budget cell's <v> replaced by `value_xml` as is (openpyxl
    would not write such a number itself)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Poster"
    ws.append(HEAD.strip().split(";"))
    ws.append(["X", 2024, "Løn", "udgift", "", 4242424242, None, "", ""])
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    out = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<v>4242424242</v>", f"<v>{value_xml}</v>".encode())
            dst.writestr(item, data)
    return out


@pytest.mark.parametrize("value", ["9" * DIGITS, "1e400", "-1e400", "nan", "1e300",
                                   "123456789012345678"])
def test_an_xlsx_cell_with_an_absurd_number_is_refused(tmp_path, value):
    path = _workbook_with(tmp_path, value)
    with pytest.raises(KkrError) as err:
        read_statement_xlsx(path)
    assert "linje 2" in err.value.message and len(err.value.message) < 2000
