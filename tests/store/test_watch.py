"""The change watcher: what other connections committed, and nothing of one's own."""

from __future__ import annotations

import json

from kkr_desktop.services import statements
from kkr_desktop.store.db import open_store
from kkr_desktop.store.watch import PostgresWatcher, SqliteWatcher, watcher_for


def test_sqlite_watcher_reports_another_connections_commit(demo_store, demo_secretariat,
                                                          db_path):
    other = open_store(db_path)
    other.user = "lene"
    watcher = watcher_for(demo_store)
    try:
        assert isinstance(watcher, SqliteWatcher)
        assert watcher.poll() == []  # nothing committed

        statements.set_line_field(other, demo_secretariat.id, 2024, "Husleje", "budget",
                                  40_000_00)
        changes = watcher.poll()
        assert [(c.who, c.table, c.action, c.secretariat_id, c.year, json.loads(c.new))
                for c in changes] == [("lene", "statement_line", "update",
                                       demo_secretariat.id, 2024, {"budget": 40_000_00})]
        assert watcher.poll() == []  # said once

        # This connection's own commit is no news.
        statements.set_line_field(demo_store, demo_secretariat.id, 2024, "Løn", "budget", 1)
        assert watcher.poll() == []
        statements.set_line_field(other, demo_secretariat.id, 2024, "Husleje", "budget", 2)
        assert [json.loads(c.new) for c in watcher.poll()] == [{"budget": 2}]
    finally:
        watcher.close()
        other.close()


class _PgStore:
    """The little of a PostgreSQL Store the watcher uses (the adapter is written apart):
    `url`, `conn`, and `rows`/`scalar` with the store's «?» parameters."""

    backend = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg
        from psycopg.rows import dict_row

        self.url = url
        self.conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)

    def rows(self, sql: str, params: tuple = ()):
        return self.conn.execute(sql.replace("?", "%s"), params).fetchall()

    def scalar(self, sql: str, params: tuple = ()):
        row = self.conn.execute(sql.replace("?", "%s"), params).fetchone()
        return None if row is None else next(iter(row.values()))


def test_postgres_watcher_hears_a_notify_from_another_connection(pg_url):
    import psycopg

    store = _PgStore(pg_url)
    store.conn.execute(
        "CREATE TABLE audit_log (id BIGINT PRIMARY KEY, at TEXT, who TEXT, tbl TEXT, "
        "key TEXT, secretariat_id BIGINT, year INTEGER, action TEXT, old_value TEXT, "
        "new_value TEXT, db_user TEXT)")
    watcher = watcher_for(store)
    try:
        assert isinstance(watcher, PostgresWatcher)
        assert watcher.poll() == []
        with psycopg.connect(pg_url, autocommit=True) as other:
            with other.transaction():
                other.execute("INSERT INTO audit_log VALUES (1, '2026-12-05T10:32:00+01:00', "
                              "'lene', 'statement_line', '7', 3, 2024, 'update', "
                              "'{\"budget\": 1}', '{\"budget\": 2}', 'kkr_lene')")
                other.execute("SELECT pg_notify('kkr_change', %s)", (json.dumps(
                    {"id": 1, "tbl": "statement_line", "key": "7", "secretariat_id": 3,
                     "year": 2024, "who": "lene", "db_user": "kkr_lene",
                     "action": "update"}),))
            # A notification whose row is not readable here: its payload is the change.
            other.execute("SELECT pg_notify('kkr_change', %s)", (json.dumps(
                {"id": 2, "tbl": "approval", "key": "1", "secretariat_id": 3, "year": 2024,
                 "who": "lene", "db_user": "kkr_lene", "action": "insert"}),))
        changes = _poll_until(watcher, 2)
        assert [(c.id, c.who, c.db_user, c.table, c.new) for c in changes] == [
            (1, "lene", "kkr_lene", "statement_line", '{"budget": 2}'),
            (2, "lene", "kkr_lene", "approval", None)]
        assert watcher.poll() == []

        # The store's own session's notifications are not news; another's after it is.
        store.conn.execute("SELECT pg_notify('kkr_change', '{\"id\": 3}')")
        with psycopg.connect(pg_url, autocommit=True) as other:
            other.execute("SELECT pg_notify('kkr_change', '{\"id\": 4, \"who\": \"lene\"}')")
        assert [c.id for c in _poll_until(watcher, 1)] == [4]
    finally:
        watcher.close()
        store.conn.close()


def _poll_until(watcher, count: int, tries: int = 50) -> list:
    """poll() never waits; a notification sent by another session reaches this one's
    socket a moment later. Wait for the socket (not a clock) between the polls."""
    import select

    found: list = []
    for _ in range(tries):
        found += watcher.poll()
        if len(found) >= count:
            return found
        select.select([watcher.conn.fileno()], [], [], 0.1)
    return found

