"""The member kommuner's ERP fields (CVR, EAN, account string) and the journal accounts.

A kommune's fields are kept once for the whole database and offered to every secretariat;
a secretariat may keep its own values for a kommune instead (`MemberErp.own`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kkr_desktop.core.erp import MemberErp
from kkr_desktop.core.errors import InputError
from kkr_desktop.core.ids import cvr_problem, ean_problem, normalise_id
from kkr_desktop.formats.erp_members import member_rows, read_members_csv
from kkr_desktop.paths import resources_dir
from kkr_desktop.store import erp, secretariats
from kkr_desktop.store.db import Store

DEMO_FILE = "erp_demo_nordjylland.csv"


@dataclass(frozen=True)
class MembersImportResult:
    kommuner: int
    changed: int
    incomplete: list[str]  # "851 Aalborg: EAN-nummer mangler" for what the export will refuse


def _member_names(store: Store, secretariat_id: int) -> dict[int, str]:
    return {m.kommunekode: m.kommune for m in secretariats.members(store, secretariat_id)}


def member_fields(store: Store, secretariat_id: int) -> list[MemberErp]:
    """Every kommune that is or was a member, with its fields ('' where none is stored)."""
    stored = erp.member_fields(store, secretariat_id)
    return [stored.get(code, MemberErp(code, name))
            for code, name in _member_names(store, secretariat_id).items()]


def member_table(store: Store, secretariat_id: int) -> list[list[str]]:
    """Header and rows in the import file's layout, so a printed table can be read back."""
    return member_rows(member_fields(store, secretariat_id))


def incomplete(fields: list[MemberErp]) -> list[str]:
    return [f"{m.kommunekode} {m.kommune}: " + "; ".join(p) for m in fields
            if (p := m.problems())]


def set_member_fields(store: Store, secretariat_id: int, fields: list[MemberErp]) -> int:
    """Store typed-in fields; blanks are allowed (not known yet), malformed values are not."""
    names = _member_names(store, secretariat_id)
    problems = []
    clean = []
    for m in fields:
        if m.kommunekode not in names:
            problems.append(f"Kommune {m.kommunekode} er ikke medlem af sekretariatet.")
            continue
        found = [p for v, check in ((m.cvr, cvr_problem), (m.ean, ean_problem))
                 if v.strip() and (p := check(v))]
        if found:
            problems.append(f"{m.kommunekode} {names[m.kommunekode]}: " + "; ".join(found)
                            + ".")
        clean.append(MemberErp(m.kommunekode, names[m.kommunekode], normalise_id(m.cvr),
                               normalise_id(m.ean), m.konto.strip(), m.own))
    if problems:
        raise InputError("ERP-oplysningerne er ikke gemt:\n  " + "\n  ".join(problems))
    return erp.set_member_fields(store, secretariat_id, clean)


def read_members_file(store: Store, secretariat_id: int, path: Path | str) -> list[MemberErp]:
    """Read and check a ``kommunekode;cvr;ean;konto`` file without storing it (the dialog
    shows it first; Gem stores it)."""
    return read_members_csv(path, _member_names(store, secretariat_id))


def import_members(store: Store, secretariat_id: int, path: Path | str) -> MembersImportResult:
    """Read ``kommunekode;cvr;ean;konto`` and store it, all or nothing, as the kommuner's
    shared values (this secretariat's own values for them are dropped)."""
    rows = read_members_csv(path, _member_names(store, secretariat_id))
    changed = erp.set_member_fields(store, secretariat_id, rows)
    return MembersImportResult(len(rows), changed,
                               incomplete(member_fields(store, secretariat_id)))


def journal_accounts(store: Store, secretariat_id: int) -> tuple[str, str]:
    return erp.journal_accounts(store, secretariat_id)


def set_journal_accounts(store: Store, secretariat_id: int, receivable: str, income: str
                         ) -> None:
    erp.set_journal_accounts(store, secretariat_id, receivable, income)


DEMO_RECEIVABLE = "DEMO 9.22.05 debitorer"
DEMO_INCOME = "DEMO 6.45.51-1-7.9 fælleskommunale indtægter"


def load_demo_fields(store: Store, secretariat_id: int) -> MembersImportResult:
    """Demo values for KKR Nordjylland's kommuner: the real, public CVR numbers, but made-up
    EAN numbers (valid check digit, prefix 5799999) and account strings marked DEMO. Never
    send an invoice with them."""
    with store.transaction():
        result = import_members(store, secretariat_id, resources_dir() / DEMO_FILE)
        set_journal_accounts(store, secretariat_id, DEMO_RECEIVABLE, DEMO_INCOME)
    return result
