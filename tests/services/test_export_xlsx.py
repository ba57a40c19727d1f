"""Excel through the services and the CLI: statement round trip, allocation export."""

from __future__ import annotations

from openpyxl import load_workbook

from kkr_desktop.cli import main
from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.services import allocation as allocation_service
from kkr_desktop.services.spreadsheets import export_allocation_xlsx, export_statement_xlsx
from kkr_desktop.services.statements import import_statement
from kkr_desktop.store import erp, secretariats
from kkr_desktop.store import statements as lines_store
from kkr_desktop.store.db import open_store


def test_demo_statement_round_trips_through_xlsx(demo_store, demo_secretariat, tmp_path):
    path = export_statement_xlsx(demo_store, demo_secretariat, 2024, tmp_path / "st.xlsx")
    fresh = open_store(tmp_path / "fresh.sqlite")
    result = import_statement(fresh, path, kkr="Nordjylland")
    assert result.lines == 34 and result.created == [demo_secretariat.name]
    sid = secretariats.find(fresh, demo_secretariat.name).id
    for year in (2023, 2024):
        assert (lines_store.year_lines(fresh, sid, year)
                == lines_store.year_lines(demo_store, demo_secretariat.id, year))
    fresh.close()


def test_allocation_xlsx_is_logged(demo_store, demo_secretariat, tmp_path):
    alloc = allocation_service.compute(demo_store, demo_secretariat, 2024).allocation
    allocation_service.save(demo_store, demo_secretariat, 2024, alloc)
    path = export_allocation_xlsx(demo_store, demo_secretariat, 2024,
                                  AllocationKind.CONTRIBUTION, tmp_path / "fordeling.xlsx")
    assert load_workbook(path).active.max_row == 3 + 11 + 1
    [record] = erp.exports(demo_store, demo_secretariat.id, 2024)
    assert record.what == "xlsx" and record.total == alloc.total


def test_cli_xlsx_commands_and_statement_import(capsys, tmp_path):
    db = tmp_path / "demo.sqlite"
    out = tmp_path / "st.xlsx"
    assert main(["--db", str(db), "init", "--demo"]) == 0
    assert main(["--db", str(db), "xlsx", "statement", "--secretariat", "sundhed", "--year",
                 "2024", "-o", str(out)]) == 0
    assert main(["--db", str(tmp_path / "ny.sqlite"), "statement", "import", str(out),
                 "--kkr", "Nordjylland"]) == 0
    assert "Indlæst 34 poster" in capsys.readouterr().out
    code = main(["--db", str(db), "xlsx", "allocation", "--secretariat", "sundhed", "--year",
                 "2024", "-o", str(tmp_path / "f.xlsx")])
    assert code == 2 and "allocate --kind contribution --save" in capsys.readouterr().err
    code = main(["--db", str(db), "xlsx", "statement", "--secretariat", "sundhed", "--year",
                 "2024", "-o", str(tmp_path / "st.csv")])
    assert code == 2 and ".xlsx" in capsys.readouterr().err
