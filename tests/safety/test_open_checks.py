"""Opening the database for the window: busy, stale, damaged, and the network setting."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kkr_desktop.services import safety
from kkr_desktop.services.setup import open_for_use
from kkr_desktop.store import lock
from kkr_desktop.ui import errors, open_checks


@pytest.fixture
def shown(monkeypatch, qapp):
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(errors, "_show", lambda parent, icon, title, text:
                        said.append((title, text)))
    return said


@pytest.fixture
def answers(monkeypatch):
    """Queue answers for open_checks.choose; records the questions asked."""
    asked: list[tuple[str, str, list[str]]] = []
    queue: list[str | None] = []

    def choose(parent, title, text, options):
        asked.append((title, text, options))
        return queue.pop(0)

    monkeypatch.setattr(open_checks, "choose", choose)
    return queue, asked


def test_a_free_database_opens_for_writing_and_holds_the_lock(db_path, shown):
    store = open_checks.open_database_interactive(db_path, False)
    assert store is not None and not store.read_only
    assert lock.is_held(db_path)
    store.close()
    assert not lock.is_held(db_path)
    assert shown == []


def test_a_database_in_use_is_offered_read_only(db_path, shown, answers):
    queue, asked = answers
    first = open_for_use(db_path, session=True)
    try:
        queue.append(open_checks.CANCEL)
        assert open_checks.open_database_interactive(db_path, False) is None
        queue.append(open_checks.READ_ONLY)
        store = open_checks.open_database_interactive(db_path, False)
        assert store is not None and store.read_only
        store.close()
    finally:
        first.close()
    title, text, options = asked[0]
    assert "Åben hos " in text and " på " in text and " siden " in text
    assert options == [open_checks.READ_ONLY, open_checks.CANCEL]


def test_a_stale_lock_can_be_taken_over_after_the_question(db_path, shown, answers):
    queue, asked = answers
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    record = (f'{{"user": "anne", "machine": "{lock.machine_name()}", '
              f'"pid": {int(gone.stdout)}, "since": "2024-03-01T08:15:00+01:00"}}')
    lock.lock_path(db_path).write_text(record, encoding="utf-8")
    queue.append(open_checks.TAKE_OVER)
    store = open_checks.open_database_interactive(db_path, False)
    assert store is not None and not store.read_only
    assert "Åben hos anne" in asked[0][1] and "01.03.2024 kl. 08.15" in asked[0][1]
    assert open_checks.TAKE_OVER in asked[0][2]
    assert lock.holder(db_path).user == store.user
    store.close()


def test_a_damaged_file_is_restored_from_the_newest_good_backup(db_path, shown, answers):
    queue, asked = answers
    store = open_for_use(db_path, demo=True)  # takes the day's backup
    lines = store.scalar("SELECT count(*) FROM statement_line")
    store.close()
    safety.backups(db_path)[0].path.unlink()  # the daily one was of the empty file
    store = open_for_use(db_path)
    safety.backup_now(store)
    store.close()
    db_path.write_bytes(b"\x00" * 8192)
    for extra in ("-wal", "-shm"):
        db_path.with_name(db_path.name + extra).unlink(missing_ok=True)
    queue.append(open_checks.RESTORE)
    store = open_checks.open_database_interactive(db_path, False)
    assert store is not None
    assert store.scalar("SELECT count(*) FROM statement_line") == lines
    store.close()
    assert "beskadiget" in asked[0][1] and "sikkerhedskopi" in asked[0][1]
    assert shown[-1][0] == "Gendannet"
    assert any(b.kind == "damaged" for b in safety.backups(db_path))


def test_a_damaged_file_without_backups_is_said_and_not_opened(db_path, shown, answers):
    db_path.write_bytes(b"garbage" * 1000)
    assert open_checks.open_database_interactive(db_path, False) is None
    assert "ingen god sikkerhedskopi" in shown[0][1]


def test_the_network_setting_selects_the_rollback_journal(db_path, tmp_path, shown):
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert open_checks.network_setting(settings) is None
    settings.setValue(open_checks.SETTING, True)
    store = open_checks.open_database_interactive(db_path, False, settings=settings)
    assert store.scalar("PRAGMA journal_mode") == "delete"
    store.close()
