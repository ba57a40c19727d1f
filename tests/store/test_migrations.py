from __future__ import annotations

import sqlite3

import pytest

from kkr_desktop.core.errors import StoreError
from kkr_desktop.store.db import migrations, open_store


def test_empty_database_gets_every_migration_and_the_reference_data(db_path):
    store = open_store(db_path)
    assert store.schema_version == migrations()[-1][0]
    assert store.scalar("SELECT count(*) FROM kommune") == 98
    assert [r[0] for r in store.rows("SELECT name FROM kkr ORDER BY name")] == [
        "Hovedstaden", "Midtjylland", "Nordjylland", "Sjælland", "Syddanmark"]
    assert store.scalar("SELECT count(*) FROM kommune k JOIN kkr r ON r.id = k.kkr_id "
                        "WHERE r.name = 'Nordjylland'") == 11
    assert store.scalar("PRAGMA foreign_keys") == 1
    store.close()


def test_existing_database_is_migrated_and_keeps_its_data(db_path):
    conn = sqlite3.connect(db_path)
    first = migrations()[0][1].read_text(encoding="utf-8")
    conn.executescript(first + "\nPRAGMA user_version = 1;")
    conn.execute("INSERT INTO kkr (id, name) VALUES (3, 'Nordjylland')")
    conn.commit()
    conn.close()
    store = open_store(db_path)
    assert store.schema_version == migrations()[-1][0]
    assert store.scalar("SELECT name FROM kkr WHERE id = 3") == "Nordjylland"
    store.close()
    again = open_store(db_path)  # opening twice applies nothing twice
    assert again.schema_version == migrations()[-1][0]
    again.close()


def test_newer_database_is_refused_with_a_clear_message(db_path):
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StoreError, match="nyere version af programmet"):
        open_store(db_path)


def test_not_a_database_is_refused(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database file at all" * 100)
    with pytest.raises(StoreError):
        open_store(bad)


@pytest.mark.sqlite_file
def test_money_columns_are_integer(store):
    cols = {r["name"]: r["type"] for r in store.rows("PRAGMA table_info(statement_line)")}
    assert cols["budget"] == "INTEGER" and cols["actual"] == "INTEGER"
    cols = {r["name"]: r["type"] for r in store.rows("PRAGMA table_info(allocation_row)")}
    assert cols["amount"] == "INTEGER"
    # and as sqlite-utils sees them: every money column is int, never float
    for table, column in (("statement_line", "budget"), ("statement_line", "actual"),
                          ("allocation", "total"), ("allocation_row", "amount")):
        assert store.db[table].columns_dict[column] is int


def test_transactions_nest_and_roll_back_whole(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.insert("kkr", {"name": "Test"}, key="name")
            with store.transaction():
                store.insert("kkr", {"name": "Test2"}, key="name")
            raise RuntimeError("boom")
    assert store.scalar("SELECT count(*) FROM kkr WHERE name LIKE 'Test%'") == 0
    assert store.scalar("SELECT count(*) FROM audit_log WHERE tbl = 'kkr' AND key LIKE 'Test%'"
                        ) == 0


def test_writes_outside_a_transaction_are_refused(store):
    with pytest.raises(RuntimeError):
        store.insert("kkr", {"name": "X"})
