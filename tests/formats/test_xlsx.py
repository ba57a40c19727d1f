"""Excel out and in: the demo statement round trip, number formats, formulas, errors."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.core.errors import FileFormatError, InputError
from kkr_desktop.core.statement import Column, Kind, YearLine, build_statement
from kkr_desktop.formats.interchange import COLUMNS, read_statement_csv
from kkr_desktop.formats.xlsx import (
    AMOUNT_FORMAT,
    allocation_workbook,
    read_statement_xlsx,
    statement_workbook,
)

DEMO = "Det fælleskommunale Sundhedssekretariat"


@pytest.fixture
def demo_years(data_dir):
    return {y: ls for (_, y), ls in read_statement_csv(data_dir / "sundhedssekretariat.csv")
            .years.items()}


def workbook_of(demo_years):
    st = build_statement(DEMO, 2024, demo_years[2023], demo_years[2024])
    return statement_workbook(st, demo_years)


def test_round_trip_of_the_demo_statement(demo_years, tmp_path):
    path = tmp_path / "opgørelse.xlsx"
    path.write_bytes(workbook_of(demo_years))
    again = read_statement_xlsx(path)
    assert again.years == {(DEMO, y): ls for y, ls in demo_years.items()}


def test_statement_sheet_has_numbers_formulas_frozen_header_and_widths(demo_years):
    wb = load_workbook(io.BytesIO(workbook_of(demo_years)))
    ws = wb["Opgørelse"]
    assert ws.freeze_panes == "B5"
    assert ws["A5"].value == "Indkrævet hos kommunerne"
    assert ws["C5"].value == 1_669_407 and ws["C5"].number_format == AMOUNT_FORMAT
    assert ws["E5"].value == pytest.approx(1_690_518.25)
    total_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "I alt")
    assert ws.cell(total_row, 2).value == f"=SUM(B5:B{total_row - 1})"
    assert ws.cell(total_row, 2).font.b
    assert ws.cell(total_row + 1, 7).value == f"=G{total_row}-F{total_row}"
    assert ws.column_dimensions["A"].width >= max(len(ln.name) for ln in demo_years[2024])
    assert all(ws.column_dimensions[c].width >= 14 for c in "BCDEFG")
    items = wb["Poster"]
    assert [c.value for c in items[1]] == list(COLUMNS) and items.freeze_panes == "A2"
    assert items["F2"].data_type == "n" and items["F2"].number_format == AMOUNT_FORMAT


def test_the_formula_totals_equal_the_statement_totals(demo_years):
    wb = load_workbook(io.BytesIO(workbook_of(demo_years)))
    ws = wb["Opgørelse"]
    st = build_statement(DEMO, 2024, demo_years[2023], demo_years[2024])
    rows = range(5, 5 + len(st.lines))
    budget_income = sum(Decimal(str(ws.cell(r, 7).value or 0)) for r in rows)
    assert budget_income * 100 == st.totals(Column.BUDGET).income


def test_a_name_that_looks_like_a_formula_stays_text(tmp_path):
    evil = '=HYPERLINK("http://example.invalid";"Klik")'
    lines = [YearLine(evil, Kind.EXPENSE, budget=100)]
    st = build_statement(DEMO, 2024, [], lines)
    path = tmp_path / "x.xlsx"
    path.write_bytes(statement_workbook(st, {2024: lines}))
    wb = load_workbook(path)
    assert wb["Opgørelse"]["A5"].data_type == "s"
    assert wb["Poster"]["C2"].data_type == "s"
    assert read_statement_xlsx(path).years[(DEMO, 2024)][0].name == evil


def test_import_errors_name_sheet_line_and_column(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(list(COLUMNS))
    ws.append([DEMO, 2024, "Løn", "udgift", "", 1000.5, None, "", ""])
    ws.append([DEMO, 2024, "Husleje", "udgift", "", "1.5", None, "", ""])
    ws.append([DEMO, "x", "Kaffe", "drikke", "", 0.001, None, "", ""])
    path = tmp_path / "budget.xlsx"
    wb.save(path)
    with pytest.raises(FileFormatError) as caught:
        read_statement_xlsx(path)
    text = caught.value.message
    assert "budget.xlsx, ark «Budget», linje 3, kolonne «budget»" in text
    assert "linje 4, kolonne «år»" in text and "linje 4, kolonne «art»" in text
    assert "linje 4, kolonne «budget»" in text and "to decimaler" in text
    assert "linje 2" not in text


def test_a_workbook_without_the_columns_or_not_a_workbook(tmp_path):
    wb = Workbook()
    wb.active.append(["post", "beløb"])
    path = tmp_path / "andet.xlsx"
    wb.save(path)
    with pytest.raises(FileFormatError, match="Intet ark"):
        read_statement_xlsx(path)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip")
    with pytest.raises(InputError, match="Excel-fil"):
        read_statement_xlsx(fake)


def test_allocation_workbook_rows_formulas_and_total(demo_store, demo_secretariat):
    from kkr_desktop.services import allocation as service

    alloc = service.compute(demo_store, demo_secretariat, 2024).allocation
    wb = load_workbook(io.BytesIO(allocation_workbook(DEMO, 2024, alloc)))
    ws = wb.active
    assert ws.freeze_panes == "A4"
    rows = list(ws.iter_rows(min_row=4, max_row=3 + len(alloc.rows), values_only=True))
    assert len(rows) == 11 and [r[0] for r in rows] == [r.kommunekode for r in alloc.rows]
    assert sum(Decimal(str(r[4])) for r in rows) * 100 == alloc.total
    total = ws.cell(4 + len(alloc.rows), 5)
    assert total.value == "=SUM(E4:E14)" and total.font.b
    assert ws["E4"].number_format == AMOUNT_FORMAT and ws["D4"].number_format == "0.00%"
    assert ws["C3"].value == "Folketal pr. 1. kvt. 2020"
    assert alloc.kind is AllocationKind.CONTRIBUTION
