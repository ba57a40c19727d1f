"""Billing an approved year uses the allocation the approval froze, never "the newest".

The attack of issue 11 §3: with plain SQL on the file (recursive_triggers off, every trigger
in place), insert an allocation as another kind (an adjustment is not blocked by the freeze),
then turn it into a contribution. The ERP export, the journal and the xlsx export must still
bill the approved 1.771.663 kr. of the demo, or refuse.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date

import pytest

from kkr_desktop.cli import main
from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.errors import KkrError
from kkr_desktop.services import allocation as allocation_service
from kkr_desktop.services import approval, export, members, spreadsheets

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))
APPROVED = 1_771_663_00
FORGED = 9_999_999_00


@pytest.fixture
def approved(export_ready):
    store, sec = export_ready
    approval.approve(store, sec, 2024, FACTS)
    members.set_journal_accounts(store, sec.id, "9.22.05", "6.45.51")
    return store, sec


def forge(db_path, *, turn_into: str = "contribution") -> int:
    """The attack, from a separate connection as sqlite3 or a script would make it."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA recursive_triggers = OFF")
    with conn:
        # the freeze refuses the move of another kind into the billed one: drop it first
        conn.execute("DROP TRIGGER allocation_frozen_year_move")
        cur = conn.execute(
            "INSERT INTO allocation (secretariat_id, year, kind, total, unit, key_kind, "
            "quarter, created_at, created_by) VALUES (1, 2024, 'adjustment', ?, 'kr', "
            "'population', '2020K1', '2024-04-01T10:00:00+02:00', 'mallory')", (FORGED,))
        forged = cur.lastrowid
        codes = [r[0] for r in conn.execute(
            "SELECT kommune_code FROM allocation_row WHERE allocation_id = "
            "(SELECT min(id) FROM allocation WHERE kind = 'contribution') ORDER BY 1")]
        each, rest = divmod(FORGED, len(codes))
        conn.executemany("INSERT INTO allocation_row VALUES (?, ?, '1', ?)",
                         [(forged, c, each + (rest if i == 0 else 0))
                          for i, c in enumerate(codes)])
        conn.execute("UPDATE allocation SET kind = ? WHERE id = ?", (turn_into, forged))
    conn.close()
    return forged


def billed(path) -> int:
    rows = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""),
                          delimiter=";")
    total = 0
    for r in rows:
        whole, frac = r["beløb"].split(",")
        total += (-1 if whole.startswith("-") else 1) * (abs(int(whole)) * 100 + int(frac))
    return total


@pytest.mark.sqlite_file
def test_a_forged_newer_allocation_is_never_billed(approved, db_path):
    """Billing picks the allocation the approval froze, by the snapshot's kind, not the
    newest of the live kind: even before verification has its say."""
    store, sec = approved
    forged = forge(db_path)
    stored = allocation_service.for_billing(store, sec, 2024, AllocationKind.CONTRIBUTION)
    assert stored.id != forged and stored.allocation.total == APPROVED


@pytest.mark.sqlite_file
def test_no_export_is_written_of_a_year_with_a_forged_allocation(approved, db_path, tmp_path):
    store, sec = approved
    forge(db_path)
    out = tmp_path / "ud"
    out.mkdir()
    for write in (
        lambda: export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION),
        lambda: spreadsheets.export_allocation_xlsx(store, sec, 2024,
                                                    AllocationKind.CONTRIBUTION,
                                                    out / "fordeling.xlsx")):
        with pytest.raises(KkrError) as caught:
            write()
        assert "ændret uden om programmet" in caught.value.message
        assert "fordeling nr. 2" in caught.value.message
    assert list(out.iterdir()) == []


@pytest.mark.sqlite_file
def test_the_cli_refuses_to_export_a_forged_year(approved, db_path, tmp_path, capsys):
    forge(db_path)
    target = tmp_path / "bidrag.csv"
    code = main(["--db", str(db_path), "export", "--secretariat", "sundhed", "--year", "2024",
                 "-o", str(target)])
    err = capsys.readouterr().err
    assert code != 0 and "ændret uden om programmet" in err and "Intet er eksporteret" in err
    assert not target.exists()


@pytest.mark.sqlite_file
def test_a_frozen_allocation_changed_behind_the_triggers_is_refused(approved, db_path,
                                                                    tmp_path, capsys):
    store, sec = approved
    frozen = approval.approval_for(store, sec.id, 2024)
    conn = sqlite3.connect(db_path)
    with conn:  # the attacker drops the freeze first
        conn.execute("DROP TRIGGER allocation_row_frozen_update")
        conn.execute("UPDATE allocation_row SET amount = amount + 100000 WHERE kommune_code = "
                     "851 AND allocation_id IN (SELECT allocation_id FROM approval_allocation)")
    conn.close()
    with pytest.raises(KkrError) as caught:
        export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION)
    message = caught.value.message
    assert "851 Aalborg" in message and frozen.document_id in message
    assert "revision 1" in message and "intet er eksporteret" in message
    target = tmp_path / "bidrag.csv"
    code = main(["--db", str(db_path), "export", "--secretariat", "sundhed", "--year", "2024",
                 "-o", str(target)])
    assert code == 2 and "851 Aalborg" in capsys.readouterr().err
    assert not target.exists()


def test_a_newer_draft_allocation_is_not_billed_while_the_new_revision_is_unapproved(
        approved):
    store, sec = approved
    frozen_id = allocation_service.for_billing(store, sec, 2024,
                                               AllocationKind.CONTRIBUTION).id
    approval.new_revision(store, sec, 2024, "Lønnen var bogført dobbelt")
    # Nothing newer saved: the latest approved allocation is still what is billed.
    assert allocation_service.for_billing(store, sec, 2024,
                                          AllocationKind.CONTRIBUTION).id == frozen_id
    redo = allocation_service.compute(store, sec, 2024, quarter="2020K1")
    allocation_service.save(store, sec, 2024, redo.allocation)
    with pytest.raises(KkrError) as caught:
        export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION)
    assert "revision 2" in caught.value.message and "ikke godkendt" in caught.value.message


def test_without_an_approval_the_newest_saved_allocation_is_billed(export_ready):
    store, sec = export_ready
    first = allocation_service.for_billing(store, sec, 2024, AllocationKind.CONTRIBUTION)
    again = allocation_service.compute(store, sec, 2024)
    newest = allocation_service.save(store, sec, 2024, again.allocation)
    assert newest != first.id
    assert allocation_service.for_billing(store, sec, 2024,
                                          AllocationKind.CONTRIBUTION).id == newest
