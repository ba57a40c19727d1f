"""The full integrity check off the window's start (issue 15): opening reads only what it
needs, the check runs after the first paint in its own thread, and a damaged file is still
caught before anything is written."""

from __future__ import annotations

import sqlite3

import pytest

from kkr_desktop.services.setup import AfterOpenCheck, open_for_use
from kkr_desktop.store.db import DamagedError, open_store


def damage_an_index(path) -> None:
    """An index that no longer matches its table: every page is sound, so SQLite's
    quick_check passes; only the full integrity_check finds it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX audit_log_tbl ON audit_log "
                 "(key, tbl)' WHERE name = 'audit_log_tbl'")
    conn.close()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert check.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    check.close()


@pytest.fixture
def damaged(db_path):
    open_for_use(db_path, demo=True).close()
    damage_an_index(db_path)
    return db_path


def test_the_window_opens_a_damaged_file_but_no_write_gets_through(damaged):
    store = open_for_use(damaged, session=True)  # no full check while the window starts
    try:
        before = store.scalar("SELECT count(*) FROM audit_log")
        with pytest.raises(DamagedError, match="beskadiget"):
            with store.transaction():
                store.audit("test", 1, "insert", None, {"x": 1})
        assert store.scalar("SELECT count(*) FROM audit_log") == before
    finally:
        store.close()


def test_a_command_refuses_to_write_to_a_damaged_file(damaged, capsys):
    from kkr_desktop.cli import main

    assert main(["--db", str(damaged), "pl", "set", "--year", "2030", "--expected", "2,0"]) != 0
    assert "beskadiget" in capsys.readouterr().err
    conn = sqlite3.connect(damaged)
    assert conn.execute("SELECT count(*) FROM pl_rate WHERE year = 2030").fetchone()[0] == 0
    conn.close()


def test_the_check_after_opening_finds_the_damage(damaged):
    result = AfterOpenCheck(damaged, take_backup=True).run()
    assert result.damage and not result.chain


def test_the_check_after_opening_takes_the_days_backup_of_a_sound_file(db_path):
    from kkr_desktop.services import safety

    open_for_use(db_path, session=True, demo=True).close()  # the window takes no backup
    assert safety.backups(db_path) == []
    result = AfterOpenCheck(db_path, take_backup=True).run()
    assert result.damage == [] and result.chain == [] and result.backup_failed == ""
    assert [b.kind for b in safety.backups(db_path)] == ["daily"]


def test_the_window_says_the_damage_loudly_after_its_first_paint(damaged, monkeypatch, qapp):
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QWidget

    from kkr_desktop.ui import errors
    from kkr_desktop.ui.after_open import AfterOpenChecks

    said = []
    monkeypatch.setattr(errors, "_show", lambda parent, icon, title, text:
                        said.append((title, text)))
    store = open_for_use(damaged, session=True)
    window = QWidget()
    try:
        checks = AfterOpenChecks(window, store)
        window.show()
        for _ in range(2000):
            QCoreApplication.processEvents()
            if checks.done:
                break
            checks.runner is not None and checks.runner.wait(5)
        assert checks.done
        assert said and said[0][0] == "Databasen er beskadiget" and "Gendan" in said[0][1]
        with pytest.raises(DamagedError):
            with store.transaction():
                pass
    finally:
        window.close()
        store.close()


def test_on_a_server_the_window_walks_the_whole_chain_on_its_own_connection(pg_url):
    """A server keeps its own integrity and backups; the window's after-open check walks the
    audit chain there, on a connection of its own, and finds an old row edited behind the
    triggers (a superuser's session_replication_role), which the bookmark walk cannot."""
    import psycopg

    from kkr_desktop.services.setup import after_open_check, load_demo

    store = open_store(pg_url)
    try:
        load_demo(store)
        check = after_open_check(store)
        assert check is not None and check.path is None and not check.take_backup
        clean = check.run()
        assert clean.chain == [] and clean.damage == []  # (a short log sets no bookmark)
        with psycopg.connect(pg_url, autocommit=True) as admin, admin.transaction():
            admin.execute("SET LOCAL session_replication_role = replica")
            admin.execute("UPDATE audit_log SET who = 'en anden' WHERE id = 5")
        found = after_open_check(store).run()
        assert found.chain and "5" in " ".join(found.chain)
    finally:
        store.close()
