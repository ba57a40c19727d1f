"""Which statement years are frozen by an approval. (Approval itself: services/approval.)"""

from __future__ import annotations

from kkr_desktop.store.db import Store


def ensure_year_editable(store: Store, secretariat_id: int, year: int) -> None:
    """Raise LockedError when an approval froze this secretariat's lines of `year`.

    Until approvals exist in the schema, every year is editable.
    """
    return None
