"""Filer → Eksportér opgørelse / fordeling: the files read back as what the window shows."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.formats.interchange import read_statement_csv
from kkr_desktop.services import allocation, catalog
from kkr_desktop.services.statements import read_statement_file


def choose(monkeypatch, path, chosen_filter=""):
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(path), chosen_filter))


def test_statement_to_excel_and_back(window, monkeypatch, tmp_path, data_dir):
    target = tmp_path / "opgørelse.xlsx"
    choose(monkeypatch, target)
    window._export_statement()
    assert target.exists()
    original = read_statement_csv(data_dir / "sundhedssekretariat.csv")
    assert read_statement_file(target).years == original.years


def test_statement_to_csv_when_that_filter_is_chosen(window, monkeypatch, tmp_path, data_dir):
    target = tmp_path / "opgørelse"
    choose(monkeypatch, target, "Udvekslingsformat, CSV (*.csv)")
    window._export_statement()
    written = target.with_suffix(".csv")
    assert written.read_bytes().startswith(b"\xef\xbb\xbf")
    original = read_statement_csv(data_dir / "sundhedssekretariat.csv")
    assert read_statement_csv(written).years == original.years


def test_allocation_to_excel_needs_a_stored_allocation(window, monkeypatch, tmp_path, messages):
    import openpyxl

    target = tmp_path / "fordeling.xlsx"
    choose(monkeypatch, target)
    window._export_allocation()
    assert not target.exists() and messages  # nothing stored yet: said, not written
    sec = catalog.secretariat(window.store, window.secretariat_id)
    a = allocation.compute(window.store, sec, 2024).allocation
    allocation.save(window.store, sec, 2024, a)
    window.allocation_tab.set_inputs(kind=AllocationKind.CONTRIBUTION)
    window._export_allocation()
    sheet = openpyxl.load_workbook(target).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Aalborg" in " ".join(str(v) for v in values if v)
