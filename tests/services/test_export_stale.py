"""A stored allocation that no longer matches the statement is not billed without a word.

The demo's contribution 2024 (1.771.663) is saved, then budget 2024's contribution line is
changed to 1.800.000: the window's Fordeling tab and the draft document follow the line,
so the export must not silently bill the saved amount.
"""

from __future__ import annotations

from datetime import date

import pytest

from kkr_desktop.cli import main
from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.errors import InputError
from kkr_desktop.services import allocation as allocation_service
from kkr_desktop.services import approval, export, statements
from kkr_desktop.store import erp, population
from kkr_desktop.store import secretariats as sec_store
from kkr_desktop.store.db import open_store

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))
CONTRIBUTION_LINE = "Indkrævet hos kommunerne"
STALE = ("Den gemte fordeling af bidraget (1.771.663 kr.) svarer ikke til bidraget i budget "
         "2024 (1.800.000 kr.).")


def change_contribution(store, sec, amount: int = 1_800_000_00) -> None:
    statements.set_line_field(store, sec.id, 2024, CONTRIBUTION_LINE, "budget", amount)


def plan(store, sec, kind=AllocationKind.CONTRIBUTION):
    return export.plan_erp(store, sec, 2024, kind, due=date(2024, 12, 31))


def test_a_current_allocation_is_not_stale_but_the_draft_is_noted(export_ready):
    p = plan(*export_ready)
    assert p.stale is None
    assert p.draft.startswith("Budget 2024 er ikke godkendt endnu: «Regnskab 2023 og budget "
                              "2024» er stadig en kladde")


def test_a_changed_contribution_stops_the_export_with_both_amounts(export_ready, tmp_path):
    store, sec = export_ready
    out = tmp_path / "ud"
    out.mkdir()
    change_contribution(store, sec)
    p = plan(store, sec)
    assert p.stale.startswith(STALE)
    assert "Gem fordelingen igen under fanen Fordeling" in p.stale
    assert "kkr-desktop" not in p.stale  # the window's wording; the CLI's apart:
    assert "kkr-desktop allocate --kind contribution --save" in p.stale_cli
    with pytest.raises(export.StaleAllocationError):
        export.export_erp(store, p, out / "bidrag.csv")
    with pytest.raises(export.StaleAllocationError):
        export.export_journal(store, p, out / "kladde.csv")
    assert list(out.iterdir()) == [] and erp.exports(store, sec.id) == []

    result = export.export_erp(store, p, out / "bidrag.csv", force=True)
    assert result.total == 1_771_663_00 and len(erp.exports(store, sec.id)) == 1


def test_the_stale_amount_is_the_one_the_draft_document_shows(export_ready):
    """Export, approval and the draft PDF compare with the same service and say the same."""
    store, sec = export_ready
    change_contribution(store, sec)
    shown, notices = approval.document_allocations(store, sec, 2024, strict=False)
    assert shown[0][0] is None and shown[0][1].total == 1_800_000_00
    assert STALE[:-1] + "; fordelingen er beregnet på ny." in notices
    assert plan(store, sec).stale.startswith(STALE)


def test_saving_again_clears_the_difference(export_ready):
    store, sec = export_ready
    change_contribution(store, sec)
    result = allocation_service.compute(store, sec, 2024)
    allocation_service.save(store, sec, 2024, result.allocation)
    p = plan(store, sec)
    assert p.stale is None and p.total == 1_800_000_00


def test_a_newer_key_quarter_is_a_difference_too(export_ready):
    store, sec = export_ready
    codes = [m.kommunekode for m in sec_store.members(store, sec.id, 2024)]
    population.put(store, {(code, "2023K1"): 10_000 + code for code in codes}, "test")
    p = plan(store, sec)
    assert p.stale.startswith("Den gemte fordeling bruger folketal pr. 1. kvt. 2020, men "
                              "nøglen for 2024 beregnes nu med folketal pr. 1. kvt. 2023.")


def test_an_approved_statement_bills_its_approved_allocation_without_notes(export_ready):
    store, sec = export_ready
    approval.approve(store, sec, 2024, FACTS)
    codes = [m.kommunekode for m in sec_store.members(store, sec.id, 2024)]
    population.put(store, {(code, "2023K1"): 10_000 + code for code in codes}, "test")
    p = plan(store, sec)
    assert p.stale is None and p.draft is None


def test_service_messages_name_the_window_and_the_command_line(demo_store, demo_secretariat):
    with pytest.raises(InputError) as caught:
        allocation_service.compute(demo_store, demo_secretariat, 2024,
                                   kind=AllocationKind.ADJUSTMENT)
    text = caught.value.message
    assert "Rediger → PL-satser…" in text and "kkr-desktop pl set --year 2024 --final" in text


# --- the command line ------------------------------------------------------------------

def run(capsys, db, *args):
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


SEC_ARGS = ("--secretariat", "sundhed", "--year", "2024")


def stale_demo(capsys, tmp_path):
    """A demo database whose saved contribution no longer matches budget 2024."""
    db = tmp_path / "demo.sqlite"
    assert run(capsys, db, "init", "--demo")[0] == 0
    assert run(capsys, db, "allocate", *SEC_ARGS, "--save")[0] == 0
    store = open_store(db)
    try:
        change_contribution(store, sec_store.find(store, "sundhed"))
    finally:
        store.close()
    return db


def test_cli_refuses_a_stale_allocation_unless_forced(capsys, tmp_path):
    db = stale_demo(capsys, tmp_path)
    target = tmp_path / "bidrag.csv"

    code, _, err = run(capsys, db, "export", *SEC_ARGS, "-o", str(target))
    assert code == 2
    assert STALE in err and "Brug --force" in err
    assert not target.exists()

    code, out, err = run(capsys, db, "export", *SEC_ARGS, "--force", "-o", str(target))
    assert code == 0 and "i alt 1.771.663,00 kr." in out
    assert "Advarsel: " + STALE in err
    assert "Advarsel: Budget 2024 er ikke godkendt endnu:" in err


def test_cli_after_saving_again_exports_with_only_the_draft_note(capsys, tmp_path):
    db = stale_demo(capsys, tmp_path)
    assert run(capsys, db, "allocate", *SEC_ARGS, "--save")[0] == 0
    code, out, err = run(capsys, db, "export", *SEC_ARGS, "-o", str(tmp_path / "b.csv"))
    assert code == 0 and "i alt 1.800.000,00 kr." in out
    assert "svarer ikke" not in err
    assert err.startswith("Advarsel: Budget 2024 er ikke godkendt endnu:")
