"""The server's roles: `init_server` makes the owner and officer roles, the database and the
grants; an officer can append to the logs but never rewrite them or remove a guard.

Runs against db/migrations_pg when it holds migrations; until then against MINIMAL_SCHEMA
(audit_log, export_log, approval, statement_line and one kkr_ trigger), applied by the same
runner. Skipped without a server (KKR_TEST_PG, see tests/conftest.py)."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

psycopg = pytest.importorskip("psycopg")

from kkr_desktop.paths import pg_migrations_dir  # noqa: E402
from kkr_desktop.store import pg, server  # noqa: E402

MINIMAL_SCHEMA = """
CREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at text NOT NULL, who text NOT NULL DEFAULT session_user, tbl text NOT NULL,
    action text NOT NULL);
CREATE TABLE export_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at text NOT NULL);
CREATE TABLE approval (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    body text NOT NULL, superseded_at text, superseded_by text);
CREATE TABLE statement_line (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL, budget bigint NOT NULL DEFAULT 0);
CREATE FUNCTION kkr_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Ændringsloggen kan kun udvides, ikke ændres eller slettes.';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION kkr_audit_append_only();
"""


@pytest.fixture
def schema(tmp_path, monkeypatch):
    """The real PostgreSQL schema (db/migrations_pg), or the minimal one if it had none."""
    if server.pg_migrations():
        return "real"
    folder = tmp_path / "migrations_pg"
    folder.mkdir()
    (folder / "0001_minimal.sql").write_text(MINIMAL_SCHEMA, encoding="utf-8")
    monkeypatch.setattr(pg, "pg_migrations_dir", lambda: folder)
    return "minimal"


@pytest.fixture
def kkr_server(pg_admin_url, schema):
    """A fresh database name and officer name; both removed afterwards."""
    database = f"kkr_r_{uuid.uuid4().hex[:10]}"
    officer = f"officer_{uuid.uuid4().hex[:8]}"
    yield pg_admin_url, database, officer
    with psycopg.connect(pg_admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        for role in (officer, f"{database}_officer", f"{database}_owner"):
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def _url(admin_url: str, database: str, user: str | None = None, password: str = "") -> str:
    parts = urlsplit(admin_url)
    netloc = parts.netloc
    if user is not None:
        netloc = f"{user}:{password}@{parts.hostname}:{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc, path=f"/{database}"))


def _roles(admin_url: str, database: str, officer: str) -> dict:
    with psycopg.connect(admin_url) as c:
        rows = c.execute("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = ANY(%s)",
                         ([f"{database}_owner", f"{database}_officer", officer],)).fetchall()
        groups = [r[0] for r in c.execute(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = %s", (officer,))]
    return {"login": dict(rows), "groups": groups}


def test_init_makes_roles_database_and_grants_and_twice_is_fine(kkr_server):
    admin_url, database, officer = kkr_server
    first = server.init_server(admin_url, database=database, officers={officer: "hemmelig"})
    assert first.database_created and first.officers_created == [officer]
    assert first.version_after == server.latest_version() > 0
    second = server.init_server(admin_url, database=database, officers=[officer])
    assert not second.database_created and second.officers_existing == [officer]
    owner_role, officer_role = f"{database}_owner", f"{database}_officer"
    assert second.roles_existing == [owner_role, officer_role]
    assert second.version_before == second.version_after == first.version_after

    roles = _roles(admin_url, database, officer)
    assert roles["login"] == {owner_role: False, officer_role: False, officer: True}
    assert roles["groups"] == [officer_role]  # never the owner
    with psycopg.connect(_url(admin_url, database)) as c:
        owner = c.execute("SELECT pg_get_userbyid(datdba) FROM pg_database "
                          "WHERE datname = current_database()").fetchone()[0]
        table_owners = {r[0] for r in c.execute(
            "SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")}
        function_owners = {r[0] for r in c.execute(
            "SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE proname LIKE 'kkr\\_%'")}
        audit = {r[0] for r in c.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = %s AND table_name = 'audit_log'", (officer_role,))}
        line = {r[0] for r in c.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = %s AND table_name = 'statement_line'", (officer_role,))}
    assert owner == owner_role
    assert table_owners == {owner_role} and function_owners == {owner_role}
    assert audit == {"SELECT", "INSERT"}
    assert line == {"SELECT", "INSERT", "UPDATE", "DELETE"}


def test_officer_password_login_over_tcp(kkr_server):
    admin_url, database, officer = kkr_server
    server.init_server(admin_url, database=database, officers={officer: "rigtig-kode"})
    with psycopg.connect(_url(admin_url, database, officer, "rigtig-kode")) as c:
        assert c.execute("SELECT current_user").fetchone()[0] == officer
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(_url(admin_url, database, officer, "forkert"))


@pytest.fixture
def officer_conn(kkr_server):
    admin_url, database, officer = kkr_server
    server.init_server(admin_url, database=database, officers={officer: "kode"})
    if server.pg_migrations():  # the program writes as the officer: audited rows to attack
        from kkr_desktop.services.setup import load_demo
        from kkr_desktop.store.db import open_store

        store = open_store(_url(admin_url, database, officer, "kode"))
        load_demo(store)
        store.close()
    else:
        with psycopg.connect(_url(admin_url, database), autocommit=True) as admin:
            admin.execute("INSERT INTO audit_log (at, who, tbl, action) "
                          "VALUES ('2024-01-01', 'x', 'statement_line', 'insert')")
            admin.execute("INSERT INTO export_log (at) VALUES ('2024-01-01')")
    conn = psycopg.connect(_url(admin_url, database, officer, "kode"), autocommit=True)
    yield conn
    conn.close()


def _audit_trigger(conn) -> tuple[str, str]:
    """A trigger on audit_log and a kkr_ function, whatever the schema calls them."""
    trigger = conn.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass "
                           "AND NOT tgisinternal ORDER BY tgname LIMIT 1").fetchone()[0]
    function = conn.execute("SELECT proname FROM pg_proc WHERE proname LIKE 'kkr\\_%' "
                            "ORDER BY proname LIMIT 1").fetchone()[0]
    return trigger, function


def test_officer_can_append_to_the_audit_log(officer_conn):
    officer_conn.execute("UPDATE approval SET superseded_at = '2024-01-02' WHERE false")
    if not server.pg_migrations():
        officer_conn.execute("INSERT INTO audit_log (at, tbl, action) "
                             "VALUES ('2024-01-02', 'statement_line', 'update')")
        assert officer_conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 2
        return
    # The program, connected as the officer, wrote the demo: every row is the officer's
    me = officer_conn.execute("SELECT session_user").fetchone()[0]
    users = {r[0] for r in officer_conn.execute(
        "SELECT DISTINCT db_user FROM audit_log WHERE tbl <> 'kkr' AND tbl <> 'kommune' "
        "AND id > 1")}
    assert me in users and officer_conn.execute(
        "SELECT count(*) FROM audit_log WHERE db_user = %s", (me,)).fetchone()[0] > 10


def _columns(conn, table: str) -> set[str]:
    return {r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns "
                                       "WHERE table_name = %s", (table,))}


ATTACKS = {
    "update audit_log": "UPDATE audit_log SET who = 'nogen anden'",
    "delete audit_log": "DELETE FROM audit_log",
    "delete export_log": "DELETE FROM export_log",
    "truncate audit_log": "TRUNCATE audit_log",
    "truncate statement_line": "TRUNCATE statement_line",
    "drop trigger": 'DROP TRIGGER "{trigger}" ON audit_log',
    "disable trigger": 'ALTER TABLE audit_log DISABLE TRIGGER "{trigger}"',
    "disable all triggers": "ALTER TABLE audit_log DISABLE TRIGGER ALL",
    "replace function": ('CREATE OR REPLACE FUNCTION "{function}"() RETURNS trigger '
                         "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"),
    "new function": ("CREATE FUNCTION kkr_mine() RETURNS int LANGUAGE sql AS 'SELECT 1'"),
    "drop table": "DROP TABLE export_log",
    "update approval body": "UPDATE approval SET body = 'ændret'",
    "delete approval": "DELETE FROM approval",
    "migration table": "INSERT INTO kkr_schema (version) VALUES (999)",
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_officer_attack_is_refused(officer_conn, attack):
    trigger, function = _audit_trigger(officer_conn)
    statement = ATTACKS[attack].format(trigger=trigger, function=function)
    # InsufficientPrivilege: "permission denied" or "must be owner of …"
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        officer_conn.execute(statement)
    assert officer_conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] >= 1


def test_grant_officer_narrows_a_widened_grant(kkr_server):
    """Re-running grant_officer (as after a migration) takes back what was widened."""
    admin_url, database, officer = kkr_server
    server.init_server(admin_url, database=database, officers={officer: "kode"})
    with psycopg.connect(_url(admin_url, database), autocommit=True) as admin:
        admin.execute(f'GRANT ALL ON audit_log TO "{database}_officer"')
        admin.execute(f'SET ROLE "{database}_owner"')
        server.grant_officer(admin)
    with psycopg.connect(_url(admin_url, database, officer, "kode"), autocommit=True) as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("DELETE FROM audit_log")


def test_officer_on_an_older_schema_is_told_to_ask_the_administrator(kkr_server, tmp_path,
                                                                     monkeypatch):
    admin_url, database, officer = kkr_server
    server.init_server(admin_url, database=database, officers={officer: "kode"})
    newer = tmp_path / "newer"
    newer.mkdir()
    number = server.latest_version()
    for _, path in server.pg_migrations():
        (newer / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (newer / f"{number + 1:04d}_more.sql").write_text("SELECT 1;", encoding="utf-8")
    monkeypatch.setattr(pg, "pg_migrations_dir", lambda: newer)
    from kkr_desktop.core.errors import StoreError

    with psycopg.connect(_url(admin_url, database, officer, "kode")) as c:
        with pytest.raises(StoreError, match="server migrate") as caught:
            server.require_current_schema(c)
        with pytest.raises(StoreError, match="Ingen adgang|permission denied"):  # nor can it
            server.apply_migrations(c)                                         # migrate
    assert f"skemaversion {number}" in caught.value.message
    assert "administrator" in caught.value.message


def test_real_schema_folder_is_numbered():
    """db/migrations_pg (empty until the schema lands) is numbered 1, 2, 3, …"""
    assert pg_migrations_dir().name == "migrations_pg"
    numbers = [n for n, _ in server.pg_migrations()]
    assert numbers == list(range(1, len(numbers) + 1))


def test_init_never_takes_over_another_programs_database(kkr_server):
    admin_url, database, officer = kkr_server
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    with psycopg.connect(_url(admin_url, database), autocommit=True) as c:
        c.execute("CREATE TABLE invoices (id int)")
        before = c.execute("SELECT datdba, datacl FROM pg_database "
                           "WHERE datname = current_database()").fetchone()
    from kkr_desktop.store.credentials import ServerError

    with pytest.raises(ServerError,
                       match=r"1 tabel, som ikke er KKR Budget og Regnskabs\. Intet er ændret"):
        server.init_server(admin_url, database=database, officers={officer: "kode"})
    with psycopg.connect(_url(admin_url, database), autocommit=True) as c:
        assert c.execute("SELECT datdba, datacl FROM pg_database "
                         "WHERE datname = current_database()").fetchone() == before
        assert c.execute("SELECT to_regclass('kkr_schema')").fetchone()[0] is None


def test_an_officers_password_reaches_the_server_only_as_a_scram_verifier(kkr_server):
    """No statement sent holds the password (a server that logs its DDL would keep it)."""
    admin_url, database, officer = kkr_server
    sent: list[str] = []
    with psycopg.connect(admin_url, autocommit=True) as real:

        class Spy:  # the connection, with every statement it is sent written down
            pgconn = real.pgconn

            def execute(self, query, params=None):
                sent.append(query.as_string(real) if hasattr(query, "as_string") else query)
                return real.execute(query, params)

        server._ensure_role(Spy(), officer, login=True, password="rigtig-kode")
    assert sent and not any("rigtig-kode" in text for text in sent)
    server.init_server(admin_url, database=database, officers={officer: "rigtig-kode"})
    with psycopg.connect(admin_url) as c:
        stored = c.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                           (officer,)).fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$") and "rigtig-kode" not in stored
    with psycopg.connect(_url(admin_url, database, officer, "rigtig-kode")) as c:
        assert c.execute("SELECT current_user").fetchone()[0] == officer


def test_opening_never_migrates_a_server_init_database_even_as_superuser(kkr_server):
    """Its objects must stay the owner role's and its officers' grants renewed: that is
    `server migrate`'s, which the program names instead of migrating as the login."""
    from kkr_desktop.core.errors import StoreError
    from kkr_desktop.store.db import open_store

    admin_url, database, officer = kkr_server
    server.init_server(admin_url, database=database, officers={officer: "kode"})
    with psycopg.connect(_url(admin_url, database), autocommit=True) as c:
        c.execute("DELETE FROM kkr_schema WHERE version = (SELECT max(version) "
                  "FROM kkr_schema)")
    with pytest.raises(StoreError, match="server migrate"):
        open_store(_url(admin_url, database))


def test_an_officer_of_one_kkr_cannot_reach_another_kkrs_database(pg_admin_url):
    """Two KKR's databases on one server: each has its own owner and officers' group, so an
    officer of the one cannot even connect to the other (let alone write there)."""
    tag = uuid.uuid4().hex[:8]
    first, second = f"kkr_a_{tag}", f"kkr_b_{tag}"
    anne, bo = f"anne_{tag}", f"bo_{tag}"
    try:
        server.init_server(pg_admin_url, database=first, officers={anne: "kode"})
        server.init_server(pg_admin_url, database=second, officers={bo: "kode"})
        with psycopg.connect(_url(pg_admin_url, first, anne, "kode")) as c:
            assert c.execute("SELECT count(*) FROM kommune").fetchone()[0] >= 0
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            psycopg.connect(_url(pg_admin_url, second, anne, "kode"))
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as admin:
            for database in (first, second):
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            for role in (anne, bo, f"{first}_officer", f"{first}_owner", f"{second}_officer",
                         f"{second}_owner"):
                admin.execute(f'DROP ROLE IF EXISTS "{role}"')
