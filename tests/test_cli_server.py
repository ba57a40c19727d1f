"""`kkr-desktop server …` and `--db postgresql://…`: what they print, and their Danish errors
(exit 2, no traceback, never the password). The server tests skip without KKR_TEST_PG."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from kkr_desktop.cli import build_parser, main


def _with(url: str, *, password: str | None = None, port: int | None = None,
          database: str | None = None, user: str | None = None) -> str:
    parts = urlsplit(url)
    user = user or parts.username
    secret = parts.password if password is None else password
    auth = f"{user}:{secret}@" if secret else f"{user}@"
    netloc = f"{auth}{parts.hostname}:{port or parts.port}"
    path = f"/{database}" if database else parts.path
    return urlunsplit(parts._replace(netloc=netloc, path=path))


@pytest.fixture
def fresh(pg_admin_url):
    import psycopg

    database = f"kkr_c_{uuid.uuid4().hex[:10]}"
    officer = f"off_{uuid.uuid4().hex[:8]}"
    yield database, officer
    with psycopg.connect(pg_admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        for role in (officer, f"{database}_officer", f"{database}_owner"):
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_server_init_says_what_it_did_and_twice_what_existed(pg_admin_url, fresh, capsys):
    database, officer = fresh
    assert main(["server", "init", pg_admin_url, "--database", database,
                 "--officer", officer]) == 0
    out = capsys.readouterr().out
    assert f"database «{database}» (oprettet, ejet af {database}_owner)" in out
    assert f"Medarbejdere oprettet (medlem af {database}_officer): {officer}." in out
    assert "Skemaversion" in out and f"Rettigheder til {database}_officer" in out
    assert main(["server", "init", pg_admin_url, "--database", database,
                 "--officer", officer]) == 0
    out = capsys.readouterr().out
    assert f"database «{database}» (fandtes" in out
    assert f"Roller, der fandtes: {database}_owner, {database}_officer." in out
    assert f"Medarbejdere, der fandtes (medlem af {database}_officer): {officer}." in out
    assert urlsplit(pg_admin_url).password not in out


def test_server_init_with_a_wrong_password(pg_admin_url, capsys):
    assert main(["server", "init", _with(pg_admin_url, password="forkert-kode")]) == 2
    err = capsys.readouterr().err
    server = f"{urlsplit(pg_admin_url).hostname}:{urlsplit(pg_admin_url).port}"
    assert f"PostgreSQL-serveren {server} afviste brugeren" in err
    assert "forkert adgangskode" in err
    assert "forkert-kode" not in err and "Traceback" not in err


def test_server_init_with_no_server_at_that_port(capsys):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://postgres:hemmelig@127.0.0.1:{port}/postgres"
    assert main(["server", "init", url]) == 2
    err = capsys.readouterr().err
    assert f"Ingen PostgreSQL-server svarer på 127.0.0.1:{port}" in err
    assert "hemmelig" not in err and "Traceback" not in err


@pytest.mark.parametrize("url, said", [
    ("postgresql://anna:hemmelig@server:porten/kkr", "porten «porten» er ikke et portnummer"),
    ("postgresql://anna:hemmelig@server/kkr?bogus=1", "er ikke en gyldig PostgreSQL-adresse"),
])
def test_server_init_with_a_bad_url(url, said, capsys):
    assert main(["server", "init", url]) == 2
    err = capsys.readouterr().err
    assert said in err
    assert "hemmelig" not in err and "Traceback" not in err


def test_server_init_as_an_officer_is_not_allowed(pg_admin_url, fresh, capsys):
    database, officer = fresh
    from kkr_desktop.store import server

    server.init_server(pg_admin_url, database=database, officers={officer: "kode"})
    url = _with(pg_admin_url, user=officer, password="kode", database=database)
    assert main(["server", "init", url, "--database", database]) == 2
    err = capsys.readouterr().err
    assert f"Brugeren «{officer}» har ikke lov til at oprette rollerne" in err
    assert "kode@" not in err and "Traceback" not in err


def test_db_url_reaches_open_store_unfolded(monkeypatch, capsys):
    """--db postgresql://… is routed to store.db.open_store as the URL (no Path folding
    its //, no lock file, no file made), and its password never shown."""
    import kkr_desktop.services.setup  # noqa: F401 (bound to the real open_store first)
    from kkr_desktop.store import db

    seen = []

    def fake_open_store(target, *args, **kwargs):
        seen.append(target)
        raise db.StoreError("stop here")

    monkeypatch.setattr(db, "open_store", fake_open_store)
    url = "postgresql://anna:hemmelig@kkr-server:5432/kkr"
    assert main(["--db", url, "secretariat", "list"]) == 1
    assert seen == [url]
    assert not Path("postgresql:").exists()
    assert "stop here" in capsys.readouterr().err


def test_db_url_is_parsed_as_a_url_and_a_file_as_a_path():
    args = build_parser().parse_args(["--db", "postgres://anna@h:5433/kkr", "secretariat",
                                      "list"])
    assert args.db == "postgres://anna@h:5433/kkr"
    args = build_parser().parse_args(["--db", "data/kkr.sqlite", "secretariat", "list"])
    assert args.db == Path("data/kkr.sqlite")


def test_restore_on_a_server_says_it_works_on_files_only(capsys, tmp_path):
    backup = tmp_path / "b.sqlite"
    backup.write_bytes(b"")
    assert main(["--db", "postgresql://anna:hemmelig@h/kkr", "restore", str(backup)]) == 2
    err = capsys.readouterr().err
    assert "kun på en databasefil, ikke på en server (postgresql://anna:***@h/kkr)" in err
