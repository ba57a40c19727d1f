"""The approvals of any database file, read over a plain connection: to compare the open
database with a backup before a restore replaces it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from kkr_desktop.store.db import table_exists


@dataclass(frozen=True)
class ApprovalSummary:
    secretariat: str
    year: int
    revision: int
    meeting_date: str  # ISO date
    sha256: str
    facts: tuple  # body, case, content and signatories: what must match exactly

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.secretariat, self.year, self.revision)


def summaries(conn: sqlite3.Connection) -> list[ApprovalSummary]:
    """Every approval the database holds (none when it predates approvals)."""
    if not table_exists(conn, "approval"):
        return []
    signed: dict[int, list[tuple[str, str]]] = {}
    for approval_id, name, title in conn.execute(
            "SELECT approval_id, name, title FROM approval_signatory "
            "ORDER BY approval_id, position"):
        signed.setdefault(approval_id, []).append((name, title))
    return [ApprovalSummary(name or f"sekretariat nr. {sid}", year, revision, meeting, sha,
                            (body, case, content, tuple(signed.get(aid, ()))))
            for aid, sid, name, year, revision, meeting, sha, body, case, content
            in conn.execute(
                "SELECT a.id, a.secretariat_id, s.name, a.year, a.revision, a.meeting_date, "
                "a.sha256, a.body, a.case_item, a.content FROM approval a "
                "LEFT JOIN secretariat s ON s.id = a.secretariat_id "
                "ORDER BY s.name, a.year, a.revision")]
