"""Restoring a backup older than an approval says which approvals it drops (or changes) and
asks first: the service refuses unless told, the CLI needs --force, the window asks (No by
default). A refused restore changes nothing."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date

import pytest

from kkr_desktop.cli import main
from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.services import approval, safety

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand"),))
SUNDHED = "Det fælleskommunale Sundhedssekretariat"


def approval_count(store_or_path) -> int:
    if hasattr(store_or_path, "scalar"):
        return store_or_path.scalar("SELECT count(*) FROM approval")
    conn = sqlite3.connect(store_or_path)
    try:
        return conn.execute("SELECT count(*) FROM approval").fetchone()[0]
    finally:
        conn.close()


def dump(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def older_backup(demo_store, demo_secretariat):
    """A backup taken before statement 2024 was approved; the database approved since."""
    copy = safety.backup_now(demo_store)
    approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    return copy


@pytest.mark.sqlite_file
def test_the_service_names_the_dropped_approval_and_changes_nothing(
        demo_store, demo_secretariat, older_backup):
    record = approval.approval_for(demo_store, demo_secretariat.id, 2024)
    kept = safety.backups(demo_store.path)
    with pytest.raises(safety.ApprovalsDroppedError) as caught:
        safety.restore(demo_store, older_backup)
    assert caught.value.lost == [
        f"{SUNDHED}: regnskab 2023 og budget 2024, revision 1, Dokument-id "
        f"{record.document_id}, godkendt på mødet 12. marts 2024 – findes ikke i "
        "sikkerhedskopien"]
    assert caught.value.exit_code == 2 and "Intet er ændret." in caught.value.message
    assert approval_count(demo_store) == 1
    assert safety.backups(demo_store.path) == kept  # not even the "before restore" copy

    result = safety.restore(demo_store, older_backup, drop_approvals=True)
    assert approval_count(demo_store) == 0 and result.previous.exists()
    assert approval_count(result.previous) == 1  # the approval is kept in the saved file


@pytest.mark.sqlite_file
def test_an_approval_that_differs_in_the_backup_is_named(demo_store, demo_secretariat,
                                                         tmp_path):
    approval.approve(demo_store, demo_secretariat, 2024, FACTS)
    record = approval.approval_for(demo_store, demo_secretariat.id, 2024)
    same = safety.backup_now(demo_store, tmp_path / "same.sqlite")
    assert safety.approvals_lost(demo_store, same) == []  # the same approvals: no question
    forged = tmp_path / "forged.sqlite"
    shutil.copy(same, forged)
    conn = sqlite3.connect(forged)
    with conn:
        conn.execute("DROP TRIGGER approval_no_update")
        conn.execute("UPDATE approval SET meeting_date = '2024-03-19', sha256 = ?",
                     ("f" * 64,))
    conn.close()
    [line] = safety.approvals_lost(demo_store, forged)
    assert f"Dokument-id {record.document_id}" in line
    assert line.endswith("er anderledes i sikkerhedskopien (Dokument-id ffffffff dér)")
    safety.restore(demo_store, same)  # nothing dropped: restored without asking


def test_the_cli_needs_force(tmp_path, capsys):
    db = tmp_path / "kkr.sqlite"
    copy = tmp_path / "kopi.sqlite"

    def run(*args):
        code = main(["--db", str(db), *args])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("init", "--demo")[0] == 0
    assert run("backup", "-o", str(copy))[0] == 0
    assert run("approve", "--secretariat", "sundhed", "--year", "2024", "--body",
               "KKR Nordjylland", "--date", "2024-03-12", "--case", "2.4",
               "--signatory", "A B, Formand")[0] == 0
    before = dump(db)
    code, _, err = run("restore", str(copy))
    assert code == 2
    assert f"{SUNDHED}: regnskab 2023 og budget 2024, revision 1, Dokument-id " in err
    assert "godkendt på mødet 12. marts 2024" in err and "--force" in err
    assert "Traceback" not in err
    assert dump(db) == before and approval_count(db) == 1
    code, out, err = run("restore", str(copy), "--force")
    assert code == 0, err
    assert "gendannet" in out and approval_count(db) == 0
