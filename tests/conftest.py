"""Shared fixtures: a fresh database, the demo database, and the real fixture files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"  # copies of ../shared/fixtures (real figures)


def _pg_admin_url() -> str | None:
    """The superuser's connection string of a throwaway PostgreSQL cluster (KKR_TEST_PG, set
    by .ci/run from tools/pg_server.py). Without one the PostgreSQL tests are skipped, unless
    KKR_REQUIRE_PG=1 (CI): then they fail, so a missing server is never a silent pass."""
    return os.environ.get("KKR_TEST_PG") or None


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    url = _pg_admin_url()
    if url is None:
        if os.environ.get("KKR_REQUIRE_PG") == "1":
            pytest.fail("KKR_REQUIRE_PG=1, but KKR_TEST_PG names no PostgreSQL server")
        pytest.skip("ingen PostgreSQL-server til testen (KKR_TEST_PG er ikke sat)")
    return url


@pytest.fixture
def pg_url(pg_admin_url: str):
    """A fresh, empty database on the test server (dropped afterwards), as the superuser."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"kkr_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(pg_admin_url)._replace(path=f"/{name}"))
    with psycopg.connect(pg_admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite"


BOTH_BACKENDS = ("store", "services", "safety")  # test folders run on SQLite and PostgreSQL


def pytest_generate_tests(metafunc) -> None:
    """A test in tests/store, tests/services or tests/safety that uses `store` or
    `demo_store` runs twice: on SQLite and on PostgreSQL. A test about the SQLite file itself
    (its bytes, backups, WAL, the disk, the CLI on a file) is marked sqlite_file."""
    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_file"):
        return
    if Path(str(metafunc.definition.path)).parent.name in BOTH_BACKENDS:
        metafunc.parametrize("backend", ["sqlite", "postgresql"])


@pytest.fixture
def backend() -> str:
    """The store's back end for `store` and `demo_store`: SQLite here; tests/store,
    tests/services and tests/safety override it to run each such test on both back ends."""
    return "sqlite"


@pytest.fixture
def store_target(backend: str, db_path: Path, request) -> str | Path:
    """What open_store gets: the file, or a fresh database on the PostgreSQL test server."""
    return db_path if backend == "sqlite" else request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_target):
    from kkr_desktop.store.db import open_store

    s = open_store(store_target)
    yield s
    s.close()


@pytest.fixture
def demo_store(store_target):
    """A database holding the demo: Sundhedssekretariatet 2023–2024, key 2020K1, PL rates."""
    from kkr_desktop.services.setup import load_demo
    from kkr_desktop.store.db import open_store

    s = open_store(store_target)
    load_demo(s)
    yield s
    s.close()


@pytest.fixture
def demo_secretariat(demo_store):
    from kkr_desktop.store import secretariats

    return secretariats.find(demo_store, "sundhed")


@pytest.fixture
def no_erp_fields(demo_store, demo_secretariat):
    """The demo before anyone typed in CVR, EAN and accounts for the ERP export."""
    with demo_store.transaction():
        demo_store.conn.execute("DELETE FROM member_erp")
        demo_store.conn.execute("DELETE FROM kommune_erp")
        demo_store.conn.execute("DELETE FROM secretariat_journal")
    return demo_store


@pytest.fixture
def export_ready(demo_store, demo_secretariat):
    """The demo with its contribution 2024 saved (1.771.663) and the demo ERP fields (CVR,
    EAN, account) filled in: ready to export. Returns (store, secretariat)."""
    from kkr_desktop.services import allocation, members

    result = allocation.compute(demo_store, demo_secretariat, 2024)
    allocation.save(demo_store, demo_secretariat, 2024, result.allocation)
    members.load_demo_fields(demo_store, demo_secretariat.id)
    return demo_store, demo_secretariat


@pytest.fixture
def demo_db_path(db_path: Path) -> str:
    """The demo database, made by the CLI's `init --demo`, as a path for CLI tests."""
    from kkr_desktop.cli import main

    assert main(["--db", str(db_path), "init", "--demo"]) == 0
    return str(db_path)


@pytest.fixture
def kkr_server(pg_admin_url: str):
    """A KKR's database made by `server init` on the test server, with three officer logins
    of its own (each with a password). Yields login(name) → that officer's URL, and the
    names; the database and the logins are dropped afterwards."""
    import uuid
    from urllib.parse import quote, urlsplit, urlunsplit

    import psycopg

    from kkr_desktop.services.connection import init_server

    tag = uuid.uuid4().hex[:8]
    database = f"kkr_s_{tag}"
    names = [f"anne_{tag}", f"bo_{tag}", f"cai_{tag}"]
    init_server(pg_admin_url, database=database, officers={n: f"kode-{n}" for n in names})
    parts = urlsplit(pg_admin_url)

    def login(name: str) -> str:
        netloc = f"{name}:{quote(f'kode-{name}')}@{parts.hostname}:{parts.port}"
        return urlunsplit(parts._replace(netloc=netloc, path=f"/{database}"))

    yield login, names
    with psycopg.connect(pg_admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        for name in (*names, f"{database}_officer", f"{database}_owner"):
            admin.execute(f'DROP ROLE IF EXISTS "{name}"')
