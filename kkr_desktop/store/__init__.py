"""SQLite through sqlite-utils: the only layer that speaks SQL."""

from kkr_desktop.store.db import Store, open_store

__all__ = ["Store", "open_store"]
