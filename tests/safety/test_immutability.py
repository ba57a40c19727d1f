"""Immutability from every side: once statement 2024 (regnskab 2023, budget 2024) is
approved, its figures cannot change through the window, the CLI, an import that names it,
the services, or plain SQL on the file — and every refusal leaves the file as it was."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kkr_desktop.cli import main
from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.errors import LockedError
from kkr_desktop.core.statement import Column, Kind, YearLine
from kkr_desktop.services import approval, statements
from kkr_desktop.store import statements as lines_store

FACTS = ApprovalFacts(
    "KKR Nordjylland", date(2024, 3, 12), "2.4",
    (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),
     Signatory("Mogens Gade", "Næstformand for KKR Nordjylland")))
HUSLEJE = "Husleje"


@pytest.fixture
def approved(demo_store, demo_secretariat):
    approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    if demo_store.backend == "sqlite":  # the file's bytes are compared below
        demo_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return demo_store


def fingerprint(db: Path) -> tuple[str, ...]:
    return tuple(hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else "-"
                 for p in (db, db.with_name(db.name + "-wal")))


def husleje(store, year: int) -> YearLine:
    return next(ln for ln in lines_store.year_lines(store, 1, year) if ln.name == HUSLEJE)


def test_the_window_refuses_to_edit_the_approved_figures(approved, demo_secretariat, qtbot,
                                                         tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from kkr_desktop.ui import errors
    from kkr_desktop.ui.main_window import MainWindow
    from kkr_desktop.ui.statement_model import AMOUNT_COLUMNS, FIRST_AMOUNT, AmountColumn

    monkeypatch.setattr(errors, "_show", lambda *a: None)
    before = (husleje(approved, 2023), husleje(approved, 2024))
    window = MainWindow(approved, settings=QSettings(str(tmp_path / "s.ini"),
                                                     QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.select(demo_secretariat.id, 2024)
    model = window.statement_tab.model
    row = next(i for i, ln in enumerate(model.lines) if ln.name == HUSLEJE)
    for group in (Column.BUDGET, Column.ACTUAL_PREV, Column.BUDGET_PREV):
        col = FIRST_AMOUNT + AMOUNT_COLUMNS.index(AmountColumn(group, Kind.EXPENSE))
        assert not model.setData(model.index(row, col), "99.999")
    assert not model.setData(model.index(row, 0), "Husleje og el")
    assert (husleje(approved, 2023), husleje(approved, 2024)) == before


def test_the_services_refuse_every_kind_of_edit(approved, demo_secretariat):
    sid = demo_secretariat.id
    with pytest.raises(LockedError):
        statements.set_line_field(approved, sid, 2024, HUSLEJE, "budget", 1)
    with pytest.raises(LockedError):
        statements.set_line_field(approved, sid, 2023, HUSLEJE, "actual", 1)
    with pytest.raises(LockedError):
        statements.remove_line(approved, sid, 2023, HUSLEJE)
    with pytest.raises(LockedError):
        statements.add_line(approved, sid, 2023, YearLine("Ny", Kind.EXPENSE, budget=100))


@pytest.mark.sqlite_file
def test_an_import_that_names_the_approved_statement_is_refused_whole(approved,
                                                                      demo_secretariat,
                                                                      tmp_path, capsys):
    text = statements.export_statement(approved, demo_secretariat, 2024)
    changed = text.replace(";Husleje;udgift;;37.618;", ";Husleje;udgift;;99.999;")
    assert changed != text
    path = tmp_path / "rettet.csv"
    path.write_text(changed, encoding="utf-8")
    before = fingerprint(approved.path)
    with pytest.raises(LockedError):
        statements.import_statement(approved, path)
    assert main(["--db", str(approved.path), "statement", "import", str(path)]) == 2
    assert "godkendt" in capsys.readouterr().err.lower()
    assert husleje(approved, 2024).budget == 3_761_800
    approved.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert fingerprint(approved.path) == before


@pytest.mark.sqlite_file
def test_plain_sql_on_the_file_cannot_change_the_approved_lines(approved):
    conn = sqlite3.connect(approved.path)
    try:
        for sql in (
            "UPDATE statement_line SET budget = 1 WHERE year = 2024 AND name = 'Husleje'",
            "UPDATE statement_line SET actual = 1 WHERE year = 2023 AND name = 'Husleje'",
            "UPDATE statement_line SET name = 'X' WHERE year = 2023 AND name = 'Husleje'",
            "DELETE FROM statement_line WHERE year = 2023",
            "DELETE FROM statement_line WHERE year = 2024 AND budget IS NOT NULL",
            "INSERT INTO statement_line (secretariat_id, year, position, name, kind, budget) "
            "VALUES (1, 2024, 99, 'Smuglet', 'udgift', 100)",
            "UPDATE approval SET meeting_date = '2024-01-01'",
            "DELETE FROM approval",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="Låst|kan ikke"):
                conn.execute(sql)
        conn.rollback()
    finally:
        conn.close()
    assert husleje(approved, 2024).budget == 3_761_800
