"""Where the server's password comes from: the URL, else the OS keyring, else libpq's pgpass
file; and a machine without a keyring falls through instead of failing."""

from __future__ import annotations

from urllib.parse import urlsplit

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import NoKeyringError, PasswordDeleteError

from kkr_desktop.store import credentials
from kkr_desktop.store.credentials import KEYRING_SERVICE, connect_params, parse


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
        if self.saved.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class NoKeyring(KeyringBackend):
    priority = 0

    def get_password(self, service, username):
        raise NoKeyringError("No recommended backend was available.")

    def set_password(self, service, username, password):
        raise NoKeyringError("No recommended backend was available.")

    def delete_password(self, service, username):
        raise NoKeyringError("No recommended backend was available.")


@pytest.fixture
def memory_keyring():
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring():
    before = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(before)


URL = "postgresql://anna@kkr-server:5433/kkr_nord"


def test_the_address_and_its_keyring_name():
    address, password = parse(URL)
    assert (address.user, address.host, address.port, address.database) == (
        "anna", "kkr-server", 5433, "kkr_nord")
    assert password is None
    assert address.keyring_user == "anna@kkr-server:5433/kkr_nord"
    assert address.url() == URL
    assert parse("postgres://bo:pw@h/db")[0].port == 5432


def test_the_url_password_comes_first(memory_keyring):
    memory_keyring.set_password(KEYRING_SERVICE, "anna@kkr-server:5433/kkr_nord", "fra-ring")
    params = connect_params("postgresql://anna:fra-url@kkr-server:5433/kkr_nord")
    assert params["password"] == "fra-url"


def test_the_keyring_password_when_the_url_has_none(memory_keyring):
    credentials.save_password(parse(URL)[0], "fra-ring")
    assert memory_keyring.saved == {(KEYRING_SERVICE, "anna@kkr-server:5433/kkr_nord"):
                                    "fra-ring"}
    assert connect_params(URL)["password"] == "fra-ring"
    # another database on the same server is another entry
    assert "password" not in connect_params("postgresql://anna@kkr-server:5433/kkr_syd")
    credentials.forget_password(parse(URL)[0])
    credentials.forget_password(parse(URL)[0])  # none left: nothing happens
    assert "password" not in connect_params(URL)


def test_no_keyring_falls_through_to_pgpass(no_keyring):
    params = connect_params(URL)
    assert "password" not in params  # libpq then reads PGPASSFILE / ~/.pgpass by itself
    with pytest.raises(credentials.ServerError, match="nøglering"):
        credentials.save_password(parse(URL)[0], "x")


def test_pgpass_file_is_used_when_neither_url_nor_keyring_has_one(
        pg_admin_url, no_keyring, tmp_path, monkeypatch):
    parts = urlsplit(pg_admin_url)
    pgpass = tmp_path / "pgpass.conf"
    pgpass.write_text(f"{parts.hostname}:{parts.port}:*:{parts.username}:{parts.password}\n",
                      encoding="utf-8")
    pgpass.chmod(0o600)
    bare = f"postgresql://{parts.username}@{parts.hostname}:{parts.port}/postgres"
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none.conf"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with pytest.raises(credentials.ServerError, match="kræver en adgangskode"):
        credentials.connect(bare)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with credentials.connect(bare) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == parts.username


def test_masked_hides_the_password():
    assert credentials.masked("postgresql://anna:hemmelig@h:5432/kkr") == \
        "postgresql://anna:***@h:5432/kkr"
    assert credentials.masked(URL) == URL


@pytest.mark.parametrize("url", [
    "postgresql://anna:Hem/me#l?ig@kkr-db:5432/kkr",
    "postgresql://anna@kkr-db:5432/kkr?password=Hem/me#l?ig&sslmode=require",
    "postgres://anna:Hem/me#l?ig@kkr-db/kkr",
])
def test_a_password_is_never_shown_whatever_it_holds(url):
    shown = credentials.masked(url)
    assert "Hem" not in shown and "anna" in shown and "kkr-db" in shown
