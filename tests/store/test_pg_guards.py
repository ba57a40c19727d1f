"""The trust issue's plain-SQL attacks (tests/safety/test_forgery.py, test_immutability.py,
test_population_freeze.py) repeated on PostgreSQL: the guard triggers of db/migrations_pg
refuse each with the SQLite trigger's Danish text and SQLSTATE 23000, and allow what the
program itself does. Migration 0015: the server's login in audit_log.db_user, and NOTIFY.

Run as the superuser for now (the officer role comes with the roles work). Needs a
PostgreSQL server (KKR_TEST_PG); skipped without one."""

from __future__ import annotations

import json

import pytest

from kkr_desktop.paths import pg_migrations_dir

HASH = "a" * 64
CONTENT = {
    "year": 2024, "revision": 1,
    "allocations": [{"kind": "contribution", "total": 150_000_00}],
    "approval": {"body": "KKR Nordjylland", "meeting_date": "2024-03-12", "case": "2.4",
                 "signatories": [{"name": "Anna Formand", "title": "Formand"}]},
}
STATE = [  # an approved statement 2024 (regnskab 2023, budget 2024) with its contribution
    "INSERT INTO kkr (id, name) VALUES (1, 'Nordjylland')",
    "INSERT INTO kommune (code, name, kkr_id) VALUES (851, 'Aalborg', 1), (849, 'Jammerbugt', 1)",
    "INSERT INTO secretariat (id, name, kkr_id, created_at) VALUES (1, 'Sek', 1, '2024-01-01')",
    "INSERT INTO statement_line (id, secretariat_id, year, position, name, kind, budget, actual)"
    " VALUES (1, 1, 2023, 1, 'Husleje', 'udgift', 100000, 98000),"
    " (2, 1, 2024, 1, 'Husleje', 'udgift', 105000, NULL),"
    " (3, 1, 2024, 2, 'Kaffe', 'udgift', NULL, NULL)",
    "INSERT INTO population (kommune_code, quarter, value, source, imported_at) VALUES"
    " (851, '2020K1', 217075, 'DST', '2024-01-01'), (849, '2020K1', 38320, 'DST', '2024-01-01')",
    "INSERT INTO allocation (id, secretariat_id, year, kind, total, unit, key_kind, quarter,"
    " created_at, created_by) VALUES (1, 1, 2024, 'contribution', 15000000, 'kr', 'population',"
    " '2020K1', '2024-02-01', 'x'), (2, 1, 2024, 'adjustment', 100, 'kr', 'equal', NULL,"
    " '2024-02-01', 'x')",
    "INSERT INTO allocation_row VALUES (1, 851, '217075', 12749000), (1, 849, '38320', 2251000)",
    "INSERT INTO approval (id, secretariat_id, year, revision, body, meeting_date, case_item,"
    " content, sha256, approved_at, approved_by) VALUES (1, 1, 2024, 1, 'KKR Nordjylland',"
    f" '2024-03-12', '2.4', '{json.dumps(CONTENT)}', '{HASH}', '2024-03-12T10:00', 'x')",
    "INSERT INTO approval_signatory VALUES (1, 1, 'Anna Formand', 'Formand')",
    "INSERT INTO approval_allocation VALUES (1, 1)",
    "INSERT INTO export_log (id, secretariat_id, year, kind, allocation_id, what, exported_at,"
    " exported_by, total, rows) VALUES (1, 1, 2024, 'contribution', 1, 'erp', '2024-04-01',"
    " 'x', 15000000, 2)",
    "INSERT INTO export_file VALUES (1, 'bidrag.csv', 'b', 15000000)",
    # explicit ids (as a copy from SQLite writes them): the identities go on from there
    *(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"
      for t in ("kkr", "secretariat", "statement_line", "allocation", "approval", "export_log")),
]

PREV = ("Låst: posten indgår i en godkendt opgørelse (regnskab og budget). Opret en ny "
        "revision for at ændre den.")
FROZEN_ALLOCATION = "Låst: fordelingen indgår i en godkendt opgørelse og kan ikke ændres."
ATTACKS = [  # (plain SQL, the SQLite trigger's text it is refused with)
    ("UPDATE statement_line SET actual = actual + 100000 WHERE id = 1", PREV),
    ("UPDATE statement_line SET budget = 1 WHERE id = 2",
     "Låst: budgettet er godkendt. Opret en ny revision for at ændre det."),
    ("DELETE FROM approval WHERE id = 1",
     "En godkendelse kan ikke slettes. Opret en ny revision i stedet."),
    ("UPDATE approval SET body = 'KKR Falsk' WHERE id = 1",
     "En godkendelse kan ikke ændres. Opret en ny revision i stedet."),
    ("UPDATE approval SET superseded_at = '2024-05-01T10:00:00+02:00', superseded_by = 'x' "
     "WHERE id = 1", "En godkendelse kan kun erstattes med «Ny revision» i programmet."),
    ("INSERT INTO approval_signatory VALUES (1, 2, 'Falsk Underskriver', 'Formand')",
     "En godkendelses underskrivere kan ikke ændres."),
    ("UPDATE approval_signatory SET name = 'Falsk' WHERE approval_id = 1",
     "En godkendelses underskrivere kan ikke ændres."),
    ("UPDATE audit_log SET who = 'x'", "Revisionssporet kan ikke ændres."),
    ("DELETE FROM audit_log", "Revisionssporet kan ikke slettes."),
    (f"INSERT INTO audit_log (id, at, who, tbl, key, action, chain) VALUES (1, 'x', 'x', 'x', "
     f"'x', 'insert', '{HASH}')", "Revisionssporet kan kun forlænges, af programmet."),
    ("UPDATE export_log SET total = 0", "Eksportloggen kan ikke ændres."),
    ("DELETE FROM export_log", "Eksportloggen kan ikke slettes."),
    ("DELETE FROM export_file", "Eksportloggen kan ikke slettes."),
    ("UPDATE population SET value = value + 1 WHERE kommune_code = 851",
     "Låst: folketallet indgår i en godkendt fordeling og kan ikke ændres. Opret en ny "
     "revision af opgørelsen for at ændre det."),
    ("DELETE FROM population WHERE kommune_code = 849",
     "Låst: folketallet indgår i en godkendt fordeling og kan ikke slettes. Opret en ny "
     "revision af opgørelsen for at ændre det."),
    ("INSERT INTO population VALUES (851, '2020K1', 1, 'x', 'x') ON CONFLICT (kommune_code, "
     "quarter) DO UPDATE SET value = excluded.value",
     "Låst: folketallet indgår i en godkendt fordeling og kan ikke ændres. Opret en ny "
     "revision af opgørelsen for at ændre det."),
    # INSERT … ON CONFLICT DO UPDATE onto a frozen line: the proposed row meets it
    ("INSERT INTO statement_line (secretariat_id, year, position, name, kind) VALUES "
     "(1, 2024, 9, 'Husleje', 'udgift') ON CONFLICT (secretariat_id, year, name) "
     "DO UPDATE SET budget = 1",
     "Låst: posten indgår i en godkendt opgørelse og kan ikke erstattes. Opret en ny "
     "revision for at ændre den."),
    ("INSERT INTO statement_line (id, secretariat_id, year, position, name, kind) VALUES "
     "(1, 1, 2022, 9, 'Ny', 'udgift') ON CONFLICT (id) DO UPDATE SET actual = 1",
     "Låst: posten indgår i en godkendt opgørelse og kan ikke erstattes. Opret en ny "
     "revision for at ændre den."),
    ("UPDATE statement_line SET id = 10000 WHERE id = 1",
     "Låst: posten indgår i en godkendt opgørelse og kan ikke flyttes."),
    ("UPDATE allocation SET kind = 'payout' WHERE id = 1", FROZEN_ALLOCATION),
    ("UPDATE allocation SET kind = 'contribution' WHERE id = 2",
     "Låst: opgørelsen for året er godkendt med sin fordeling; en anden fordeling kan ikke "
     "flyttes ind. Opret en ny revision for at gemme en anden fordeling."),
    ("UPDATE allocation_row SET amount = amount + 100000 WHERE kommune_code = 851",
     FROZEN_ALLOCATION),
    ("INSERT INTO allocation (secretariat_id, year, kind, total, unit, key_kind, created_at, "
     "created_by) VALUES (1, 2024, 'contribution', 1, 'kr', 'equal', 'x', 'x')",
     "Låst: opgørelsen for året er godkendt med sin fordeling. Opret en ny revision for at "
     "gemme en anden fordeling."),
    ("INSERT INTO approval (secretariat_id, year, revision, body, meeting_date, case_item, "
     "content, sha256, approved_at, approved_by) SELECT secretariat_id, year, 2, body, "
     "meeting_date, case_item, replace(content, '\"revision\": 1', '\"revision\": 2'), "
     "sha256, approved_at, approved_by FROM approval",
     "En godkendelse kan ikke erstattes. Opret en ny revision i stedet."),
    ("INSERT INTO result_note VALUES (1, 2024, 'budget', 'Forklaring')",
     "Låst: noten til overskud/underskud indgår i en godkendt opgørelse. Opret en ny revision "
     "for at ændre den."),
]


@pytest.fixture
def approved(pg_url):
    import psycopg

    with psycopg.connect(pg_url) as conn:
        for path in sorted(pg_migrations_dir().glob("[0-9][0-9][0-9][0-9]_*.sql")):
            with conn.transaction():
                conn.execute(path.read_text(encoding="utf-8"))
        for sql in STATE:
            conn.execute(sql)
    return pg_url


def refusal(url: str, sql: str) -> str:
    """The message the database refuses `sql` with (the attack changes nothing)."""
    import psycopg

    with psycopg.connect(url) as conn:
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation) as caught:
            conn.execute(sql)
        assert caught.value.sqlstate == "23000"
        assert isinstance(caught.value, psycopg.IntegrityError)  # the adapter's mapping
        return caught.value.diag.message_primary


@pytest.mark.parametrize("sql, message", ATTACKS, ids=[a[0][:45] for a in ATTACKS])
def test_a_plain_sql_attack_is_refused_in_danish(approved, sql, message):
    assert refusal(approved, sql) == message


def test_what_the_freeze_leaves_open_stays_open(approved):
    """The guards refuse changes, not everything: the regnskab of year N, a line without
    budget, and the same population figure written again pass."""
    import psycopg

    with psycopg.connect(approved) as conn:
        conn.execute("UPDATE statement_line SET actual = 104000 WHERE id = 2")
        conn.execute("UPDATE statement_line SET name = 'Kaffe og te' WHERE id = 3")
        conn.execute("INSERT INTO population VALUES (851, '2020K1', 217075, 'DST', 'y') "
                     "ON CONFLICT (kommune_code, quarter) DO UPDATE SET value = excluded.value")
        assert conn.execute("SELECT actual FROM statement_line WHERE id = 2").fetchone() == (
            104000,)


def test_ny_revision_with_its_audit_row_releases_the_lines(approved):
    """The program's "Ny revision": the audit row first, then the UPDATE it describes."""
    import psycopg

    at = "2024-05-01T10:00:00+02:00"
    with psycopg.connect(approved) as conn:
        conn.execute(
            "INSERT INTO audit_log (id, at, who, tbl, key, action, old_value, new_value, chain) "
            "SELECT max(id) + 1, %s, 'x', 'approval', '1', 'update', "
            "'{\"superseded_at\":null}', %s, %s FROM audit_log",
            (at, json.dumps({"superseded_at": at, "superseded_by": "x"}), HASH))
        conn.execute("UPDATE approval SET superseded_at = %s, superseded_by = 'x' WHERE id = 1",
                     (at,))
        conn.execute("UPDATE statement_line SET actual = 1 WHERE id = 1")
    assert refusal(approved, "UPDATE approval SET superseded_at = NULL WHERE id = 1") == (
        "En godkendelse kan ikke ændres. Opret en ny revision i stedet.")


def test_an_approval_must_say_what_its_snapshot_says(approved):
    import psycopg

    with psycopg.connect(approved) as conn:  # a second secretariat, nothing approved yet
        conn.execute("INSERT INTO secretariat (id, name, kkr_id, created_at) "
                     "VALUES (2, 'Andet', 1, 'x')")
    insert = ("INSERT INTO approval (secretariat_id, year, revision, body, meeting_date, "
              "case_item, content, sha256, approved_at, approved_by) VALUES (2, 2024, 1, "
              "'{}', '2024-03-12', '2.4', '{}', '" + HASH + "', 'x', 'x')")
    message = ("En godkendelse kan kun gemmes som den næste revision, gældende, og med de "
               "oplysninger dens indhold har.")
    assert refusal(approved, insert.format("KKR Falsk", json.dumps(CONTENT))) == message
    assert refusal(approved, insert.format("KKR Nordjylland", "ikke json")) == message
    with psycopg.connect(approved) as conn:
        conn.execute(insert.format("KKR Nordjylland", json.dumps(CONTENT)))


def test_the_server_records_its_login_and_announces_the_change(approved):
    """0015: db_user is the session's login whatever the client sends; the row is announced
    on kkr_change at commit, and a rolled-back row is never announced."""
    import psycopg

    with psycopg.connect(approved, autocommit=True) as listener:
        listener.execute("LISTEN kkr_change")
        with psycopg.connect(approved) as writer:
            login = writer.execute("SELECT session_user").fetchone()[0]
            row = ("INSERT INTO audit_log (id, at, who, tbl, key, secretariat_id, year, action, "
                   "chain, db_user) SELECT max(id) + 1, 'x', 'kontor', 'statement_line', %s, 1, "
                   "2024, 'update', %s, 'forfalsket' FROM audit_log")
            with writer.transaction(force_rollback=True):
                writer.execute(row, ("99", HASH))
            writer.execute(row, ("3", HASH))
            writer.commit()
            stored = writer.execute("SELECT id, db_user FROM audit_log WHERE key = '3'"
                                    ).fetchone()
        note = next(listener.notifies(timeout=10, stop_after=1))
    assert stored[1] == login != "forfalsket"
    assert note.channel == "kkr_change"
    assert json.loads(note.payload) == {
        "id": stored[0], "tbl": "statement_line", "key": "3", "secretariat_id": 1,
        "year": 2024, "who": "kontor", "db_user": login, "action": "update"}
