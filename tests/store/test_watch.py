"""The change watcher: what other connections committed, and nothing of one's own."""

from __future__ import annotations

import json

import pytest

from kkr_desktop.services import statements
from kkr_desktop.store.db import open_store
from kkr_desktop.store.watch import PostgresWatcher, SqliteWatcher, watcher_for


@pytest.mark.sqlite_file
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


def test_postgres_watcher_hears_another_officers_commit(pg_url):
    """Two sessions of the real store on one server database: the one's commit reaches the
    other's watcher by LISTEN/NOTIFY (migration 0015), named with the server's login."""
    from kkr_desktop.services.setup import load_demo
    from kkr_desktop.store import secretariats

    store = open_store(pg_url)
    load_demo(store)
    other = open_store(pg_url)
    other.user = "lene"
    sid = secretariats.find(store, "sundhed").id
    watcher = watcher_for(store)
    try:
        assert isinstance(watcher, PostgresWatcher)
        assert watcher.poll() == []
        statements.set_line_field(other, sid, 2024, "Husleje", "budget", 40_000_00)
        changes = _poll_until(watcher, 1)
        assert [(c.who, c.db_user, c.table, c.action, c.year, json.loads(c.new))
                for c in changes] == [("lene", other.scalar("SELECT session_user"),
                                       "statement_line", "update", 2024,
                                       {"budget": 40_000_00})]
        # The store's own commit is no news; another's after it is.
        statements.set_line_field(store, sid, 2024, "Løn", "budget", 1_00)
        statements.set_line_field(other, sid, 2024, "Husleje", "budget", 2_00)
        assert [json.loads(c.new) for c in _poll_until(watcher, 1)] == [{"budget": 2_00}]
        assert watcher.poll() == []
    finally:
        watcher.close()
        other.close()
        store.close()


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



def test_a_forged_notification_is_no_change_and_stops_nothing(pg_url):
    """Any login may NOTIFY on the channel: the watcher takes a notification only as a wake-
    up and reads what changed from the audit log, so a forged one names nothing and does not
    hide the real changes after it."""
    import psycopg

    from kkr_desktop.services.setup import load_demo
    from kkr_desktop.store import secretariats

    store = open_store(pg_url)
    load_demo(store)
    other = open_store(pg_url)
    other.user = "lene"
    sid = secretariats.find(store, "sundhed").id
    watcher = watcher_for(store)
    try:
        with psycopg.connect(pg_url, autocommit=True) as forger:
            forger.execute("SELECT pg_notify('kkr_change', %s)", (json.dumps(
                {"id": 1_000_000_000, "tbl": "approval", "action": "insert",
                 "secretariat_id": sid, "year": 2024, "who": "Direktøren"}),))
        assert _poll_until(watcher, 1, tries=10) == []
        statements.set_line_field(other, sid, 2024, "Husleje", "budget", 40_000_00)
        assert [(c.who, c.table) for c in _poll_until(watcher, 1)] == [
            ("lene", "statement_line")]
    finally:
        watcher.close()
        other.close()
        store.close()


def test_a_broken_server_connection_is_said_in_danish(pg_url):
    import psycopg

    from kkr_desktop.core.errors import StoreError
    from kkr_desktop.services.setup import load_demo
    from kkr_desktop.store import secretariats

    store = open_store(pg_url)
    load_demo(store)
    sid = secretariats.find(store, "sundhed").id
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (store.conn.info.backend_pid,))
    with pytest.raises(StoreError, match="blev afbrudt"):
        statements.set_line_field(store, sid, 2024, "Husleje", "budget", 1_00)
    with pytest.raises(StoreError, match="blev afbrudt"):
        store.scalar("SELECT count(*) FROM statement_line")
    store.close()
