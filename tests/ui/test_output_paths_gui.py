"""The window's save dialogs refuse the database too: they go through the same services."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QFileDialog

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.store import erp

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")


def still_the_database(store):
    assert store.path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert store.scalar("PRAGMA integrity_check") == "ok"
    assert store.scalar("SELECT count(*) FROM secretariat") >= 1


def test_the_erp_export_dialog_refuses_the_database(qtbot, export_ready, messages,
                                                    monkeypatch):
    from kkr_desktop.ui.export_dialog import ExportDialog

    store, sec = export_ready
    d = ExportDialog(store, sec.id, 2024)
    qtbot.addWidget(d)
    d.due.setDate(QDate(2024, 12, 31))
    monkeypatch.setattr(d, "choose_target", lambda: store.path)
    d.export()
    assert "selve databasen" in messages[-1][1]
    still_the_database(store)
    assert erp.exports(store, sec.id, 2024) == []


def test_save_as_pdf_refuses_a_link_to_the_database(demo_store, demo_secretariat, tmp_path,
                                                   monkeypatch, messages):
    from kkr_desktop.ui import print_preview as ui

    link = tmp_path / "dokument.pdf"
    link.symlink_to(demo_store.path)
    monkeypatch.setattr(ui, "ask_save_path", lambda parent, name: link)
    assert ui.save_pdf_dialog(None, demo_store, demo_secretariat.id, 2024) is None
    assert "selve databasen" in messages[-1][1]
    still_the_database(demo_store)


def test_excel_export_refuses_a_link_to_the_write_ahead_log(export_ready, tmp_path,
                                                           monkeypatch, messages):
    from kkr_desktop.ui.file_actions import export_allocation_file

    store, sec = export_ready
    wal = store.path.with_name(store.path.name + "-wal")
    link = tmp_path / "fordeling.xlsx"
    link.symlink_to(wal)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(link), ""))
    assert export_allocation_file(None, store, sec.id, 2024, AllocationKind.CONTRIBUTION) \
        is None
    assert "WAL-fil" in messages[-1][1]
    still_the_database(store)
    assert erp.exports(store, sec.id, 2024) == []
