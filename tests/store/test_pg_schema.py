"""The PostgreSQL migrations (db/migrations_pg) in lockstep with the SQLite ones, and drift():
what the tamper check reports about a live PostgreSQL database's guards.

Needs a PostgreSQL server (KKR_TEST_PG); skipped without one."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from kkr_desktop.paths import migrations_dir, pg_migrations_dir
from kkr_desktop.store import pg_schema

# SQLite triggers with no PostgreSQL twin. None: every trigger that exists because of SQLite's
# REPLACE (…_replace, …_collision, …_no_replace) keeps its name on PostgreSQL, where it
# refuses INSERT … ON CONFLICT or an UPDATE onto a frozen row with the same Danish text.
SQLITE_ONLY: dict[str, str] = {}

# PostgreSQL triggers with no SQLite twin (migration 0015).
PG_ONLY = {
    "audit_log_db_user": "the server's login in audit_log.db_user; SQLite has no logins",
    "audit_log_notify": "pg_notify on channel kkr_change; SQLite has no LISTEN/NOTIFY",
}

TYPES = {"INTEGER": "bigint", "TEXT": "text"}


def apply_pg(url: str, directory: Path) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        for path in sorted(directory.glob("[0-9][0-9][0-9][0-9]_*.sql")):
            with conn.transaction():
                conn.execute(path.read_text(encoding="utf-8"))


def sqlite_schema(directory: Path) -> dict:
    conn = sqlite3.connect(":memory:")
    for path in sorted(directory.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        conn.executescript(f"BEGIN;\n{path.read_text(encoding='utf-8')}\nCOMMIT;")
    master = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    tables = {}
    for _type, name, _sql in master:
        if _type == "table" and not name.startswith("sqlite_"):
            tables[name] = [(c[1], TYPES.get(c[2], c[2]), bool(c[3] or c[5]))
                            for c in conn.execute(f"PRAGMA table_info({name})")]
    return {"tables": tables,
            "indexes": {n for t, n, sql in master if t == "index" and sql is not None},
            "triggers": {n for t, n, _ in master if t == "trigger"} - set(SQLITE_ONLY)}


def pg_schema_of(url: str) -> dict:
    import psycopg

    with psycopg.connect(url) as conn:
        tables: dict[str, list] = {}
        for table, column, data_type, nullable in conn.execute(
                "SELECT table_name, column_name, data_type, is_nullable "
                "FROM information_schema.columns WHERE table_schema = current_schema() "
                "ORDER BY table_name, ordinal_position"):
            tables.setdefault(table, []).append((column, data_type, nullable == "NO"))
        indexes = {r[0] for r in conn.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)")}
        triggers = {r[0] for r in conn.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")} - set(PG_ONLY)
        money = conn.execute(
            "SELECT table_name || '.' || column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() "
            "AND data_type IN ('numeric', 'real', 'double precision')").fetchall()
    return {"tables": tables, "indexes": indexes, "triggers": triggers,
            "money": [r[0] for r in money]}


def lockstep(url: str, sqlite_dir: Path, pg_dir: Path) -> list[str]:
    """Every way the two schemas differ, as readable lines ([] when in lockstep)."""
    out = []
    names = [p.name for p in sorted(sqlite_dir.glob("[0-9][0-9][0-9][0-9]_*.sql"))]
    pg_names = [p.name for p in sorted(pg_dir.glob("[0-9][0-9][0-9][0-9]_*.sql"))]
    if names != pg_names:
        out.append(f"migration files differ: {sorted(set(names) ^ set(pg_names))}")
    apply_pg(url, pg_dir)
    lite, pg = sqlite_schema(sqlite_dir), pg_schema_of(url)
    for table in sorted(set(lite["tables"]) | set(pg["tables"])):
        if lite["tables"].get(table) != pg["tables"].get(table):
            out.append(f"{table}: sqlite {lite['tables'].get(table)} "
                       f"!= pg {pg['tables'].get(table)}")
    for kind in ("indexes", "triggers"):
        if lite[kind] != pg[kind]:
            out.append(f"{kind}: only sqlite {sorted(lite[kind] - pg[kind])}, "
                       f"only pg {sorted(pg[kind] - lite[kind])}")
    if pg["money"]:
        out.append(f"numeric/real/double columns: {pg['money']}")
    return out


def test_the_postgresql_schema_is_the_sqlite_schema(pg_url):
    assert lockstep(pg_url, migrations_dir(), pg_migrations_dir()) == []
    assert len(list(pg_migrations_dir().glob("*.sql"))) == len(
        list(migrations_dir().glob("*.sql")))


@pytest.mark.parametrize("change", [
    ("0001_initial.sql", "    actual_note    TEXT NOT NULL DEFAULT '',",
     "    actual_notes   TEXT NOT NULL DEFAULT '',"),                       # a renamed column
    ("0001_initial.sql", "    budget         BIGINT,", "    budget         NUMERIC,"),  # money
    ("0012_payments.sql", "    line         BIGINT,", "    line         BIGINT NOT NULL,"),
    ("0009_audit_speed.sql", "CREATE INDEX audit_log_at ON", "CREATE INDEX audit_log_when ON"),
    ("0004_signatories.sql", "    title          TEXT NOT NULL DEFAULT ''",
     "    title          TEXT NOT NULL DEFAULT '',\n    extra TEXT"),
])
def test_the_lockstep_test_finds_a_difference(pg_url, tmp_path, change):
    """The test of the test: one change in a copy of the PostgreSQL migrations fails it."""
    name, old, new = change
    copy = tmp_path / "pg"
    shutil.copytree(pg_migrations_dir(), copy)
    text = (copy / name).read_text(encoding="utf-8")
    assert old in text
    (copy / name).write_text(text.replace(old, new), encoding="utf-8")
    assert lockstep(pg_url, migrations_dir(), copy) != []


def test_the_lockstep_test_finds_a_missing_trigger_and_a_missing_file(pg_url, tmp_path):
    copy = tmp_path / "pg"
    shutil.copytree(pg_migrations_dir(), copy)
    (copy / "0015_audit_db_user.sql").unlink()
    text = (copy / "0012_payments.sql").read_text(encoding="utf-8")
    (copy / "0012_payments.sql").write_text(
        text.replace("CREATE TRIGGER payment_no_delete BEFORE DELETE ON payment\n"
                     "    FOR EACH ROW EXECUTE FUNCTION kkr_payment_no_delete();", ""),
        encoding="utf-8")
    problems = lockstep(pg_url, migrations_dir(), copy)
    assert any("0015_audit_db_user.sql" in p for p in problems)
    assert any("payment_no_delete" in p for p in problems)


# --- pg_schema: what the migrations expect, and drift ------------------------------------

def test_expected_triggers_and_functions_are_read_from_the_migrations():
    triggers = pg_schema.expected_triggers()
    lite = sqlite_schema(migrations_dir())["triggers"]
    assert set(triggers) == lite | set(PG_ONLY)
    assert triggers["approval_no_delete"] == "approval"
    assert triggers["export_file_no_update"] == "export_file"
    assert triggers["audit_log_notify"] == "audit_log"
    functions = pg_schema.expected_functions()
    assert functions["kkr_approval_no_delete"].strip().startswith("BEGIN")
    assert "'En godkendelse kan ikke slettes." in functions["kkr_approval_no_delete"]
    assert "kkr_json" in functions
    assert "audit_log_notify" not in pg_schema.expected_triggers(14)


def migrated(url: str):
    import psycopg

    apply_pg(url, pg_migrations_dir())
    return psycopg.connect(url, autocommit=True)


def test_a_clean_database_has_no_drift(pg_url):
    with migrated(pg_url) as conn:
        assert pg_schema.drift(conn) == []


def test_drift_names_each_tampered_guard(pg_url):
    with migrated(pg_url) as conn:
        conn.execute("DROP TRIGGER approval_no_delete ON approval")
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update")
        conn.execute("ALTER TABLE payment ENABLE REPLICA TRIGGER payment_no_update")
        conn.execute("CREATE OR REPLACE FUNCTION kkr_statement_line_frozen_prev_update() "
                     "RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END;$$")
        conn.execute("DROP TRIGGER allocation_frozen_update ON allocation")
        conn.execute("CREATE TRIGGER allocation_frozen_update AFTER UPDATE ON allocation "
                     "FOR EACH ROW EXECUTE FUNCTION kkr_audit_log_db_user()")
        conn.execute("CREATE TRIGGER forget BEFORE INSERT ON audit_log FOR EACH ROW "
                     "EXECUTE FUNCTION kkr_audit_log_db_user()")
        conn.execute("DROP FUNCTION kkr_json(text) CASCADE")
        problems = pg_schema.drift(conn)
    assert problems == [
        "Beskyttelsen «allocation_frozen_update» på tabellen allocation er ændret (den er nu: "
        "CREATE TRIGGER allocation_frozen_update AFTER UPDATE ON public.allocation FOR EACH "
        "ROW EXECUTE FUNCTION kkr_audit_log_db_user()).",
        "Beskyttelsen «approval_no_delete» på tabellen approval mangler.",
        "Beskyttelsen «audit_log_no_update» på tabellen audit_log er slået fra.",
        "Beskyttelsen «payment_no_update» på tabellen payment er slået fra.",
        "Tabellen audit_log har en trigger, som ingen opdatering af databasen har oprettet: "
        "«forget».",
        "Funktionen «kkr_json», som beskyttelserne bruger, mangler.",
        "Funktionen «kkr_statement_line_frozen_prev_update» bag beskyttelsen "
        "«statement_line_frozen_prev_update» på tabellen statement_line er ændret.",
    ]


def test_drift_names_every_trigger_behind_a_shared_function(pg_url):
    with migrated(pg_url) as conn:
        conn.execute("CREATE OR REPLACE FUNCTION kkr_export_log_no_delete() RETURNS trigger "
                     "LANGUAGE plpgsql AS $$BEGIN RETURN OLD; END;$$")
        assert pg_schema.drift(conn) == [
            "Funktionen «kkr_export_log_no_delete» bag beskyttelserne «export_file_no_delete» "
            "på tabellen export_file, «export_log_no_delete» på tabellen export_log og "
            "«export_withdrawn_no_delete» på tabellen export_withdrawn er ændret."]
