"""Indstillinger → Database: the choice is saved without the password, the password goes to
the keyring only when asked, the next start opens the saved server, and «Test forbindelsen»
says as whom it connected or why it could not."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import keyring
import pytest

from kkr_desktop.store.credentials import KEYRING_SERVICE
from tests.store.test_credentials import MemoryKeyring


@pytest.fixture
def ring():
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


@pytest.fixture
def page(qtbot, settings):
    from kkr_desktop.ui.database_settings import DatabasePage

    p = DatabasePage(settings)
    qtbot.addWidget(p)
    return p


def _fill(page, host="kkr-db.aalborg.dk", port=5432, database="kkr_nord", user="anna",
          password="hemmelig"):
    page.server_choice.setChecked(True)
    page.host.setText(host)
    page.port.setValue(port)
    page.database.setText(database)
    page.user.setText(user)
    page.password.setText(password)


def test_server_choice_is_saved_without_the_password(page, settings, ring, tmp_path):
    from kkr_desktop.ui.database_settings import DatabasePage, saved_database

    assert page.file_choice.isChecked() and not page.server_box.isEnabled()
    _fill(page)
    page.remember.setChecked(True)
    page.save()
    settings.sync()
    url = "postgresql://anna@kkr-db.aalborg.dk:5432/kkr_nord"
    assert saved_database(settings) == url
    assert "hemmelig" not in Path(settings.fileName()).read_text(encoding="utf-8")
    assert ring.saved == {(KEYRING_SERVICE, "anna@kkr-db.aalborg.dk:5432/kkr_nord"):
                          "hemmelig"}
    again = DatabasePage(settings)  # the next time the dialog opens
    assert again.server_choice.isChecked() and again.remember.isChecked()
    assert (again.host.text(), again.database.text(), again.user.text()) == (
        "kkr-db.aalborg.dk", "kkr_nord", "anna")
    assert again.password.text() == ""
    again.remember.setChecked(False)  # unticked: the saved password is forgotten
    again.save()
    assert ring.saved == {}
    again.file_choice.setChecked(True)
    again.save()
    assert saved_database(settings) is None


def test_the_next_start_opens_the_saved_server(page, settings, ring, monkeypatch):
    from kkr_desktop.ui import app, database_settings, open_checks

    _fill(page)
    page.save()
    monkeypatch.setattr(database_settings, "QSettings", lambda: settings)
    opened = []
    monkeypatch.setattr(open_checks, "open_database_interactive",
                        lambda db, demo: opened.append(db))
    assert app.run(None, demo=False) == 1  # the fake opened nothing: the window ends
    assert opened == ["postgresql://anna@kkr-db.aalborg.dk:5432/kkr_nord"]


def test_test_button_says_as_whom_or_why_not(page, pg_admin_url, ring):
    parts = urlsplit(pg_admin_url)
    _fill(page, host=parts.hostname, port=parts.port, database="postgres",
          user=parts.username, password=parts.password)
    assert page.test()
    assert f"som «{parts.username}»" in page.result.text()
    assert f"på {parts.hostname}:{parts.port}" in page.result.text()
    shots = os.environ.get("KKR_SHOTS")
    if shots:
        page.resize(640, 460)
        page.grab().save(str(Path(shots) / "database_settings.png"))
    page.password.setText("forkert")
    assert not page.test()
    assert page.result.text().startswith("Ingen forbindelse: PostgreSQL-serveren")
    assert "forkert adgangskode" in page.result.text()
    assert "forkert" not in page.result.text().replace("forkert adgangskode", "")
