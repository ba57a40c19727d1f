"""The ERP export as an Excel workbook whose codes are text cells, and a CSV profile that
quotes its text fields; both logged like any export."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import replace
from decimal import Decimal

import pytest

from kkr_desktop.cli import main
from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.services import export
from kkr_desktop.store import erp

AALBORG_EAN = "5799999008511"  # the demo's EAN for Aalborg (kommune 851)


def _cells(path):
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    return header, [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2)]


def test_the_xlsx_keeps_every_ean_as_13_digits_in_a_text_cell(export_ready, tmp_path):
    store, sec = export_ready
    plan = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION)
    target = tmp_path / export.file_name(plan, fmt="xlsx")
    result = export.export_erp(store, plan, target)
    assert target.name == "bidrag_2024_Det_fælleskommunale_Sundhedssekretariat.xlsx"

    header, rows = _cells(target)
    assert header == [h for _, h in plan.profile.columns]
    aalborg = next(r for r in rows if r["kommunekode"].value == 851)
    for column, digits in (("EAN", AALBORG_EAN), ("CVR", "29189420")):
        cell = aalborg[column]
        assert cell.value == digits and isinstance(cell.value, str)  # not 5.799999008511E12
        assert cell.data_type == "s" and cell.number_format == "@"
    assert all(len(r["EAN"].value) == 13 and r["EAN"].value.isdigit() for r in rows)
    assert aalborg["konto"].value == "DEMO 4.62.90-1-5.9" and aalborg["konto"].number_format == "@"
    # The amount is a number with two decimals, and they add up to the allocation.
    amount = aalborg["beløb"]
    assert amount.data_type == "n" and amount.number_format == "0.00"
    total = sum(Decimal(str(r["beløb"].value)) for r in rows)
    assert total * 100 == plan.stored.allocation.total == result.total
    assert aalborg["forfaldsdato"].value.date() == plan.lines[0].due  # a real date
    assert aalborg["forfaldsdato"].number_format == "dd-mm-yyyy"
    # Logged like a CSV, with the workbook's own hash; a second export is refused.
    logged = erp.exports(store, sec.id, 2024, "contribution")
    assert [f.path for f in logged[-1].files] == [str(target.resolve())]
    assert logged[-1].files[0].sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    again = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION)
    with pytest.raises(export.AlreadyExportedError):  # a CSV or a workbook: billed once
        export.export_erp(store, again, tmp_path / "igen.csv")


def test_the_cli_writes_an_xlsx_when_the_name_ends_in_xlsx(export_ready, store_target, tmp_path,
                                                              capsys):
    target = tmp_path / "bidrag.xlsx"
    assert main(["--db", str(store_target), "export", "--secretariat", "sundhed", "--year", "2024",
                 "-o", str(target)]) == 0, capsys.readouterr().err
    _, rows = _cells(target)
    assert {r["EAN"].value for r in rows} >= {AALBORG_EAN}
    assert main(["--db", str(store_target), "export-log", "--secretariat", "sundhed"]) == 0
    assert str(target.resolve()) in capsys.readouterr().out


def test_a_quoting_profile_writes_codes_in_quotes_and_excel_style_reading_keeps_them(
        export_ready, tmp_path):
    store, sec = export_ready
    quoted = replace(erp.profile(store, "Standard (Excel)").copy("Med anførselstegn"),
                     quote_text=True)
    export.save_profile(store, quoted)
    plan = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION,
                           profile="Med anførselstegn")
    target = tmp_path / "bidrag.csv"
    export.export_erp(store, plan, target)
    text = target.read_bytes().decode("utf-8-sig")
    aalborg = next(line for line in text.split("\r\n") if line.startswith("851;"))
    assert f';"29189420";"{AALBORG_EAN}";"DEMO 4.62.90-1-5.9";' in aalborg
    assert ';"' not in aalborg.split(f'"{AALBORG_EAN}"')[1].split(";")[2]  # amount unquoted
    # Read back as Excel's import reads a CSV (semicolons, UTF-8 with BOM): the codes intact.
    with open(target, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    row = next(r for r in rows if r["kommunekode"] == "851")
    assert (row["CVR"], row["EAN"], row["konto"]) == ("29189420", AALBORG_EAN,
                                                      "DEMO 4.62.90-1-5.9")
    assert erp.profile(store, "Med anførselstegn").quote_text  # the option is stored
