"""Noticing what other connections committed, so that a window can refresh in place.

`watcher_for(store)` gives an object whose `poll()` returns at once with the changes other
connections committed since the last poll (audit rows, oldest first), and `close()`. How a
commit is noticed depends on the back end; what changed is read the same way on both: the
audit rows after the last one seen.

- SQLite: `PRAGMA data_version` on the store's own connection changes when another
  connection has committed (never for this connection's own commits).
- PostgreSQL: a separate autocommit connection LISTENs on `kkr_change`; the server sends a
  notification with a JSON payload (id, tbl, key, secretariat_id, year, who, db_user,
  action) at every audited commit. Notifications from the store's own session are this
  program's own changes and are not news.
"""

from __future__ import annotations

from typing import Protocol

from kkr_desktop.store import audit
from kkr_desktop.store.audit import AuditEntry
from kkr_desktop.store.db import Store

Change = AuditEntry
CHANNEL = "kkr_change"
_BATCH = 1000


class Watcher(Protocol):
    def poll(self) -> list[Change]: ...

    def close(self) -> None: ...


def watcher_for(store: Store) -> Watcher:
    if getattr(store, "backend", "sqlite") == "postgresql":
        return PostgresWatcher(store)
    return SqliteWatcher(store)


def _read_after(store: Store, last: int) -> list[Change]:
    found: list[Change] = []
    while True:
        batch = audit.after(store, last, limit=_BATCH)
        found += batch
        if len(batch) < _BATCH:
            return found
        last = batch[-1].id


class SqliteWatcher:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.version = self._version()
        self.last = audit.latest_id(store)

    def _version(self) -> int:
        return int(self.store.scalar("PRAGMA data_version"))

    def poll(self) -> list[Change]:
        version = self._version()
        if version == self.version:
            # No other connection committed: the rows since are this connection's own.
            self.last = audit.latest_id(self.store)
            return []
        self.version = version
        found = _read_after(self.store, self.last)
        if found:
            self.last = found[-1].id
        return found

    def close(self) -> None:
        pass  # nothing of its own: it asks the store's connection


class PostgresWatcher:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn.connect_again()  # a second session, its password included
        self.conn.execute(f"LISTEN {CHANNEL}")
        self.last = audit.latest_id(store)

    def poll(self) -> list[Change]:
        """What others committed since the last poll, as the audit log says it. A
        notification only wakes the watcher: any login may send one on the channel, so its
        payload is never taken for a change, and `last` never passes a row actually read.
        The store's own commits (the audit ids it wrote) are no news."""
        if not list(self.conn.notifies(timeout=0)):
            return []
        found = _read_after(self.store, self.last)
        if found:
            self.last = found[-1].id
        own = getattr(self.store, "own_audit_ids", set())
        return [c for c in found if c.id not in own]

    def close(self) -> None:
        self.conn.close()




