"""The window on a server whose password is in neither the keyring nor a pgpass file: it asks
for it, asks again when the server refuses it, keeps it in the keyring only when asked to,
and never puts it in the settings or the address it shows."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend

from kkr_desktop.store.credentials import KEYRING_SERVICE, masked, parse
from kkr_desktop.ui import open_checks, password_dialog
from kkr_desktop.ui.password_dialog import PasswordAnswer


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.saved.get((service, username))

    def set_password(self, service, username, password):
        self.saved[(service, username)] = password

    def delete_password(self, service, username):
        self.saved.pop((service, username), None)


@pytest.fixture
def ring(monkeypatch, tmp_path):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "ingen-pgpass"))
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


def _without_password(url: str) -> str:
    return parse(url)[0].url()


def test_the_window_asks_for_the_password_and_again_when_refused(kkr_server, ring,
                                                                 monkeypatch, qtbot):
    login, names = kkr_server
    url = _without_password(login(names[0]))
    asked: list[str] = []
    answers = iter([PasswordAnswer("forkert", False),
                    PasswordAnswer(f"kode-{names[0]}", True)])

    def ask(parent, address, reason):
        asked.append(reason)
        assert address == url  # the address it shows holds no password
        return next(answers)

    monkeypatch.setattr(password_dialog, "ask_password", ask)
    store = open_checks.open_database_interactive(url, False)
    assert store is not None
    try:
        assert store.scalar("SELECT session_user") == names[0]
        assert store.url == url and "kode" not in store.where
    finally:
        store.close()
    assert "kræver en adgangskode" in asked[0]
    assert "forkert adgangskode" in asked[1]
    assert ring.saved == {(KEYRING_SERVICE, parse(url)[0].keyring_user): f"kode-{names[0]}"}

    # The next start finds it in the keyring and asks nothing.
    monkeypatch.setattr(password_dialog, "ask_password",
                        lambda *a: pytest.fail("asked although the keyring has it"))
    again = open_checks.open_database_interactive(url, False)
    assert again is not None
    again.close()


def test_cancelling_the_question_opens_nothing_and_keeps_nothing(kkr_server, ring,
                                                                 monkeypatch, qtbot):
    login, names = kkr_server
    url = _without_password(login(names[1]))
    monkeypatch.setattr(password_dialog, "ask_password", lambda *a: None)
    monkeypatch.setattr(open_checks.errors, "show_error", lambda *a: pytest.fail("error"))
    assert open_checks.open_database_interactive(url, False) is None
    assert ring.saved == {} and masked(url) == url
