"""Filer → Tag sikkerhedskopi nu on a server: says the backups are the server's, and writes
a SQLite copy of the whole database when the officer asks for one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from kkr_desktop.services.setup import load_demo
from kkr_desktop.store.db import open_store
from kkr_desktop.ui import backup_actions


def test_backup_on_a_server_offers_a_sqlite_copy(qapp, pg_url, tmp_path, monkeypatch, messages):
    store = open_store(pg_url)
    load_demo(store)
    asked: list[str] = []
    target = tmp_path / "kopi.sqlite"

    def question(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), ""))
    try:
        backup_actions.backup_now(None, store)
    finally:
        store.close()
    assert "pg_dump" in asked[0]
    assert messages and messages[0][1].startswith(f"Kopieret til {target}")
    copy = open_store(Path(target), read_only=True)
    try:
        assert copy.scalar("SELECT count(*) FROM secretariat") == 1
    finally:
        copy.close()
