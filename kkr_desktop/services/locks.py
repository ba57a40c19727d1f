"""Which statement lines are frozen by an approval. (Approval itself: services/approval.)

An approval of statement N (regnskab N−1 og budget N) freezes the lines of year N−1 entirely
and the budget side of the lines of year N; the regnskab of year N is entered a year later
and stays editable. The database enforces this with triggers (db/migrations/0002); the
checks here come first so the user gets a message that names the approval, and `guard`
turns a trigger's abort into the same LockedError.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kkr_desktop.core.approval import format_date
from kkr_desktop.core.errors import LockedError
from kkr_desktop.core.statement import Column
from kkr_desktop.store import approvals
from kkr_desktop.store.approvals import ApprovalRecord
from kkr_desktop.store.db import Store

# The fields of a year-N line that belong to budget N (and so to statement N).
BUDGET_FIELDS = frozenset({"name", "kind", "role", "budget", "budget_note"})
# The trigger messages of 0002_approval.sql start with this word.
_TRIGGER_MARK = "Låst"


def locked_message(approval: ApprovalRecord, what: str) -> str:
    y = approval.year
    return (f"{what} kan ikke ændres: regnskab {y - 1} og budget {y} er godkendt af "
            f"{approval.body} den {format_date(approval.meeting_date)} (punkt "
            f"{approval.case}, revision {approval.revision}). Vælg «Ny revision» for at "
            "ændre tallene; den godkendte udgave bevares.")


def ensure_year_editable(store: Store, secretariat_id: int, year: int) -> None:
    """Raise LockedError when an approval froze this secretariat's lines of `year` entirely
    (year N−1 of an approved statement N).

    The budget side of year N is checked per field (`ensure_field_editable`); a change of
    the lines as a whole (import, add, remove, move) that touches a frozen budget is refused
    by the database, through `guard`.
    """
    whole = approvals.in_force(store, secretariat_id, year + 1)
    if whole is not None:
        raise LockedError(locked_message(whole, f"Posterne for {year}"))


def ensure_field_editable(store: Store, secretariat_id: int, year: int, field: str) -> None:
    """Raise LockedError when `field` of the lines of `year` is frozen: the budget side of
    year N of an approved statement N. (The regnskab of year N stays open.)"""
    ensure_year_editable(store, secretariat_id, year)
    if field in BUDGET_FIELDS:
        budget = approvals.in_force(store, secretariat_id, year)
        if budget is not None:
            raise LockedError(locked_message(budget, f"Budget {year}"))


def ensure_allocation_savable(store: Store, secretariat_id: int, year: int, what: str) -> None:
    """Raise LockedError when statement `year` is approved: its allocations are the approved."""
    approval = approvals.in_force(store, secretariat_id, year)
    if approval is not None:
        raise LockedError(locked_message(approval, f"{what} {year}"))


def frozen_by(store: Store, secretariat_id: int, year: int) -> ApprovalRecord | None:
    """The approval in force that freezes (some of) the lines of `year`, if any."""
    return (approvals.in_force(store, secretariat_id, year + 1)
            or approvals.in_force(store, secretariat_id, year))


def is_frozen_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.IntegrityError) and str(exc).startswith(_TRIGGER_MARK)


@contextmanager
def guard(store: Store, secretariat_id: int, year: int) -> Iterator[None]:
    """Turn the database's refusal to change a frozen row into a LockedError naming the
    approval (the trigger itself cannot know which approval it was)."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        if not is_frozen_error(exc):
            raise
        approval = frozen_by(store, secretariat_id, year)
        if approval is None:
            raise LockedError(str(exc)) from exc
        raise LockedError(locked_message(approval, f"Posterne for {year}")) from exc


@dataclass(frozen=True)
class EditState:
    """What the window may edit in statement N, and the banner that says why not."""

    frozen: frozenset[Column]
    notice: str | None = None
    tampered: bool = False  # the approval shown was changed outside the program

    @property
    def fully_frozen(self) -> bool:
        return self.frozen == frozenset(Column)


def edit_state(store: Store, secretariat_id: int, year: int) -> EditState:
    """Statement N is frozen whole by its own approval; otherwise budget N−1 is frozen by an
    approved statement N−1, and budget N by an approved statement N+1 (which froze year N)."""
    if store.read_only:
        return EditState(frozenset(Column), "Databasen er åbnet skrivebeskyttet, fordi den er "
                         "i brug et andet sted. Du kan se og udskrive, men ikke rette.")
    own = approvals.in_force(store, secretariat_id, year)
    if own is not None:
        from kkr_desktop.services import verify

        problems = verify.approval_problems(store, own)
        if problems:  # never shown as approved: the figures are not what was decided
            return EditState(frozenset(Column), (
                f"ADVARSEL: {verify.describe(own)} {verify.TAMPERED}: "
                + "; ".join(problems) + ". Tallene herunder er ikke de godkendte, og "
                "godkendelsen kan ikke udskrives eller eksporteres. Gendan en "
                "sikkerhedskopi fra før ændringen (Filer → Gendan fra sikkerhedskopi…)."),
                tampered=True)
        return EditState(frozenset(Column), (
            f"Godkendt af {own.body} den {format_date(own.meeting_date)} (punkt {own.case}, "
            f"revision {own.revision}). Tallene kan ikke længere rettes; vælg «Ny revision…» "
            "for at ændre dem."))
    frozen: set[Column] = set()
    said = []
    for column, approval in ((Column.BUDGET_PREV, approvals.in_force(store, secretariat_id,
                                                                     year - 1)),
                             (Column.BUDGET, approvals.in_force(store, secretariat_id,
                                                                year + 1))):
        if approval is not None:
            frozen.add(column)
            said.append(f"{column.label(year)} indgår i den godkendte opgørelse for "
                        f"{approval.year} ({approval.body}, {format_date(approval.meeting_date)}"
                        f", punkt {approval.case}) og kan ikke rettes her.")
    earlier = approvals.all_for(store, secretariat_id, year)
    if earlier:  # «Ny revision» was chosen: say which version was decided
        last = max(earlier, key=lambda a: a.revision)
        said.insert(0, (
            f"Revision {approvals.next_revision(store, secretariat_id, year)} er en kladde, "
            f"ikke godkendt. Senest godkendt er revision {last.revision} ({last.body}, "
            f"{format_date(last.meeting_date)}, punkt {last.case}); den kan stadig udskrives "
            "(Filer → Udskriv…, vælg revisionen)."))
    return EditState(frozenset(frozen), " ".join(said) or None)


@dataclass(frozen=True)
class YearLock:
    """What the approvals in force keep from changing among the posts of one year: all of
    them (`whole`: statement year+1 is approved) or their budget side (`budget`: statement
    `year` is approved; the regnskab of the year stays open)."""

    year: int
    whole: ApprovalRecord | None = None
    budget: ApprovalRecord | None = None

    @property
    def free(self) -> bool:
        """Posts may be added, removed, moved, renamed: nothing of the year is approved."""
        return self.whole is None and self.budget is None

    def why(self) -> str | None:
        """Why the posts of the year are fixed, as a Danish clause, or None when free."""
        if self.whole is not None:
            return (f"budget og regnskab {self.year} er godkendt af {_reference(self.whole)} "
                    f"i opgørelsen for {self.whole.year}")
        if self.budget is not None:
            return f"budget {self.year} er godkendt af {_reference(self.budget)}"
        return None


def _reference(approval: ApprovalRecord) -> str:
    return (f"{approval.body} den {format_date(approval.meeting_date)} (punkt {approval.case}, "
            f"revision {approval.revision})")


def year_lock(store: Store, secretariat_id: int, year: int) -> YearLock:
    return YearLock(year, approvals.in_force(store, secretariat_id, year + 1),
                    approvals.in_force(store, secretariat_id, year))
