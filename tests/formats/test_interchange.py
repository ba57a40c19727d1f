from __future__ import annotations

import io

import pytest

from kkr_desktop.core.errors import FileFormatError
from kkr_desktop.formats.interchange import (
    COLUMNS,
    read_statement_csv,
    write_statement_csv,
)

NAME = "Det fælleskommunale Sundhedssekretariat"
HEADER = ";".join(COLUMNS)


def write(tmp_path, text, encoding="utf-8"):
    p = tmp_path / "in.csv"
    p.write_bytes(text.encode(encoding))
    return p


def test_reads_the_real_statement(data_dir):
    data = read_statement_csv(data_dir / "sundhedssekretariat.csv")
    assert data.secretariats == [NAME]
    assert sorted(y for _, y in data.years) == [2023, 2024]
    lines23 = data.years[(NAME, 2023)]
    assert len(lines23) == 17
    assert lines23[0].actual == 1_690_518_25
    assert data.years[(NAME, 2024)][0].actual is None


def test_round_trip_gives_the_same_lines(data_dir, tmp_path):
    data = read_statement_csv(data_dir / "sundhedssekretariat.csv")
    buf = io.StringIO()
    write_statement_csv(buf, NAME, {y: ls for (_, y), ls in data.years.items()})
    again = read_statement_csv(write(tmp_path, buf.getvalue()))
    assert again.years == data.years


def test_every_bad_row_is_reported_with_line_and_column(tmp_path):
    text = "\n".join([
        HEADER,
        "S;2024;Løn;udgift;;1.5;;;",
        "S;20x4;Husleje;udgift;;100;;;",
        "S;2024;Bidrag;indtægt;gave;100;;;",
        "S;2024;Løn;udgift;;100;;;",
        "S;2024;Kaffe;forbrug;;100;;;",
    ])
    with pytest.raises(FileFormatError) as err:
        read_statement_csv(write(tmp_path, text))
    msg = err.value.message
    assert "in.csv, linje 2, kolonne «budget»: «1.5» er ikke et entydigt beløb" in msg
    assert "linje 3, kolonne «år»" in msg
    assert "linje 4, kolonne «rolle»" in msg
    assert "linje 5, kolonne «post»: Posten «Løn» for 2024 står også i linje 2" in msg
    assert "linje 6, kolonne «art»" in msg
    assert "intet er gemt" in msg


def test_missing_columns_named(tmp_path):
    with pytest.raises(FileFormatError, match="«art»"):
        read_statement_csv(write(tmp_path, "sekretariat;år;post;rolle;budget\nS;2024;L;;1\n"))


def test_bom_and_windows_1252_are_read(tmp_path):
    text = HEADER + "\nSekretariat for Nordjysk Socialaftale;2024;Løn;udgift;;1.000;;;\n"
    bom = read_statement_csv(write(tmp_path, "\ufeff" + text))
    cp = read_statement_csv(write(tmp_path, text, "cp1252"))
    assert bom.years == cp.years
    assert bom.years[("Sekretariat for Nordjysk Socialaftale", 2024)][0].name == "Løn"


def test_empty_file(tmp_path):
    with pytest.raises(FileFormatError, match="tom"):
        read_statement_csv(write(tmp_path, ""))


def test_no_text_runs_as_a_formula_in_excel_and_the_round_trip_keeps_it(tmp_path):
    from kkr_desktop.core.statement import Kind, YearLine

    evil = {2024: [YearLine("=2+5*cmd|' /C calc'!A0", Kind.EXPENSE, budget=100_00,
                            budget_note="@SUM(1)"),
                   YearLine("- rejser", Kind.EXPENSE, budget=-1_000_00)]}
    buf = io.StringIO()
    write_statement_csv(buf, "+Sekretariat", evil)
    text = buf.getvalue()
    for row in text.splitlines()[1:]:
        for cell in row.split(";"):
            assert not cell.lstrip('"').startswith(("=", "+", "@")), row
    assert ";-1.000;" in text  # amounts stay numbers
    again = read_statement_csv(write(tmp_path, text))
    assert again.years[("+Sekretariat", 2024)] == evil[2024]
