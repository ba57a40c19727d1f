"""The trust issue's plain-SQL attacks on a server, as an OFFICER: the statement was approved
by the program running as that officer (server init, the demo, the contribution, the
approval), and then the same officer, with plain SQL on their own connection, tries to
change what was approved. Each attempt is refused by the server: by its grants (the officer
role may not) or by its guard triggers (the same Danish text as on SQLite). Afterwards the
program's verification finds nothing changed. Needs a server (KKR_TEST_PG)."""

from __future__ import annotations

import uuid
from datetime import date
from urllib.parse import urlsplit, urlunsplit

import pytest

psycopg = pytest.importorskip("psycopg")

from kkr_desktop.core.approval import ApprovalFacts, Signatory  # noqa: E402
from kkr_desktop.services import allocation, approval, verify  # noqa: E402
from kkr_desktop.services.setup import load_demo, open_for_use  # noqa: E402
from kkr_desktop.store import secretariats, server  # noqa: E402
from kkr_desktop.store.db import open_store  # noqa: E402

FACTS = ApprovalFacts(
    "KKR Nordjylland", date(2024, 3, 12), "2.4",
    (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))
PREV = "Låst: posten indgår i en godkendt opgørelse"
BUDGET = "Låst: budgettet er godkendt"
DENIED = "permission denied"

ATTACKS = [  # (plain SQL as the officer, what refuses it: a Danish trigger text or DENIED)
    ("UPDATE statement_line SET actual = actual + 100000 WHERE year = 2023 "
     "AND actual IS NOT NULL", PREV),
    ("UPDATE statement_line SET budget = 1 WHERE year = 2024 AND budget IS NOT NULL", BUDGET),
    ("INSERT INTO statement_line (secretariat_id, year, position, name, kind, budget) "
     "SELECT secretariat_id, year, position, name, kind, 1 FROM statement_line "
     "WHERE year = 2024 AND budget IS NOT NULL LIMIT 1 ON CONFLICT (secretariat_id, year, name)"
     " DO UPDATE SET budget = 1", "Låst"),
    ("DELETE FROM statement_line WHERE year = 2023", PREV),
    ("DELETE FROM approval", DENIED),
    ("UPDATE approval SET body = 'KKR Falsk'", DENIED),
    ("UPDATE approval SET content = replace(content, '3761800', '9999900')", DENIED),
    ("UPDATE approval SET superseded_at = '2024-05-01T10:00:00+02:00', superseded_by = 'x'",
     "En godkendelse kan kun erstattes med «Ny revision» i programmet."),
    ("INSERT INTO approval_signatory (approval_id, position, name, title) "
     "SELECT id, 9, 'Falsk Underskriver', 'Formand' FROM approval",
     "En godkendelses underskrivere kan ikke ændres."),
    ("UPDATE audit_log SET who = 'x'", DENIED),
    ("DELETE FROM audit_log", DENIED),
    ("TRUNCATE audit_log, export_log", DENIED),
    ("INSERT INTO audit_log (id, at, who, tbl, key, action, chain) VALUES "
     f"(1, 'x', 'x', 'x', 'x', 'insert', '{'a' * 64}')",
     "Revisionssporet kan kun forlænges, af programmet."),
    ("UPDATE population SET value = value + 1 WHERE quarter = '2020K1'",
     "Låst: folketallet indgår i en godkendt fordeling"),
    ("UPDATE allocation SET kind = 'payout'", DENIED),
    ("UPDATE allocation_row SET amount = amount + 100", DENIED),
    ("ALTER TABLE statement_line DISABLE TRIGGER USER", "must be owner"),
    ("DROP FUNCTION kkr_json(text) CASCADE", "must be owner"),
    ("SET session_replication_role = replica", DENIED),
]


def _url(admin_url: str, database: str, user: str | None = None, password: str = "") -> str:
    parts = urlsplit(admin_url)
    netloc = f"{user}:{password}@{parts.hostname}:{parts.port}" if user else parts.netloc
    return urlunsplit(parts._replace(netloc=netloc, path=f"/{database}"))


@pytest.fixture(scope="module")
def approved_on_server(pg_admin_url):
    """A KKR database made by `server init`, the demo approved by the program as officer."""
    database = f"kkr_o_{uuid.uuid4().hex[:10]}"
    officer = f"officer_{uuid.uuid4().hex[:8]}"
    server.init_server(pg_admin_url, database=database, officers={officer: "kode"})
    url = _url(pg_admin_url, database, officer, "kode")
    store = open_store(url)
    load_demo(store)
    sec = secretariats.find(store, "sundhed")
    result = allocation.compute(store, sec, 2024)
    allocation.save(store, sec, 2024, result.allocation)
    approval.approve(store, sec, 2024, FACTS)
    store.close()
    yield url
    with psycopg.connect(pg_admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        for role in (officer, f"{database}_officer", f"{database}_owner"):
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def _fingerprint(url: str) -> tuple:
    with psycopg.connect(url) as c:
        return tuple(c.execute(f"SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) "
                               f"FROM {table} t").fetchone()[0]
                     for table in ("statement_line", "approval", "approval_signatory",
                                   "allocation", "allocation_row", "population",
                                   "audit_log", "export_log"))


@pytest.mark.parametrize("sql, refusal", ATTACKS, ids=[a[0][:50] for a in ATTACKS])
def test_an_officers_plain_sql_attack_is_refused(approved_on_server, sql, refusal):
    before = _fingerprint(approved_on_server)
    with psycopg.connect(approved_on_server, autocommit=True) as c:
        assert c.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                         ).fetchone()[0] is False
        with pytest.raises(psycopg.Error) as refused:
            c.execute(sql)
    text = str(refused.value)
    assert refusal in text, text
    if refusal not in (DENIED, "must be owner"):
        assert refused.value.sqlstate == "23000"  # the guard trigger's, as on SQLite
    assert _fingerprint(approved_on_server) == before


def test_after_the_attacks_the_program_finds_the_approval_intact(approved_on_server):
    for sql, _ in ATTACKS:  # all of them again, in one session, each refused
        with psycopg.connect(approved_on_server, autocommit=True) as c:
            with pytest.raises(psycopg.Error):
                c.execute(sql)
    store = open_store(approved_on_server)
    try:
        result = verify.verify(store, full=True)
        assert result.ok, result.messages()
        assert len(result.records) == 1
    finally:
        store.close()


def test_the_safeguard_can_fail_a_superuser_is_not_held_by_grants(pg_admin_url,
                                                                  approved_on_server):
    """The test of the test: the same UPDATE by a role with the privilege goes through the
    grants and is stopped only by the trigger, and with the triggers off (a superuser's
    session_replication_role) it changes the approval, which verification then finds."""
    admin = urlsplit(pg_admin_url)
    as_admin = urlunsplit(admin._replace(path=urlsplit(approved_on_server).path))
    with psycopg.connect(as_admin, autocommit=True) as c, c.transaction():
        c.execute("SET LOCAL session_replication_role = replica")
        c.execute("UPDATE statement_line SET budget = budget + 100 WHERE year = 2024 "
                  "AND budget IS NOT NULL AND name = 'Husleje'")
    store = open_store(approved_on_server)
    try:
        result = verify.verify(store, full=True)
        assert not result.ok and "Husleje" in "\n".join(result.messages())
    finally:
        store.close()
    # and every open says so, the command line's and the window's
    store = open_for_use(approved_on_server)
    try:
        warnings = [n for n in store.notices if verify.is_warning(n)]
        assert warnings and "Husleje" in warnings[0], store.notices
    finally:
        store.close()
