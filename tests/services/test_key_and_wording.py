"""The key actually used is said (a warning when it fell back to another quarter) and
printed; titles and texts follow the sign and the year of the result."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.services import allocation, export
from kkr_desktop.services.report import render_report


def test_allocate_save_without_quarter_warns_about_the_older_key(demo_db_path, capsys):
    from kkr_desktop.cli import main

    assert main(["--db", demo_db_path, "allocate", "--secretariat", "sundhed", "--year",
                 "2024", "--save"]) == 0
    err = capsys.readouterr().err
    assert ("Advarsel: Folketal pr. 1. kvt. 2023 findes ikke i databasen: Opkrævning af "
            "bidrag 2024 er fordelt efter folketal pr. 1. kvt. 2020, ikke pr. 1. kvt. 2023"
            ) in err


def test_export_plan_warns_about_the_key_quarter(export_ready):
    store, sec = export_ready
    plan = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION)
    assert plan.key is not None and "1. kvt. 2020" in plan.key and "1. kvt. 2023" in plan.key


def test_the_document_prints_the_key_used_on_the_statement_page(demo_store, demo_secretariat):
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(
        render_report(demo_store, demo_secretariat.id, 2024))).pages]
    statement = " ".join(" ".join(pages[:-1]).split())  # the last page is the appendix
    assert ("Opkrævning af bidrag 2024: fordelt efter bopælskommunefolketal pr. 1. kvt. 2020 "
            "(ikke det sædvanlige 1. kvt. 2023), se bilag 1.") in statement


def test_a_deficit_is_charged_not_paid_out_and_titled_for_the_result_year(export_ready):
    from kkr_desktop.core.erp import default_text
    from kkr_desktop.documents.appendix import appendix_title

    store, sec = export_ready
    deficit = allocation.compute(store, sec, 2024, kind=AllocationKind.PAYOUT,
                                 amount=-100_000_00).allocation
    assert deficit.title(2024) == "Opkrævning af underskud 2023"
    assert "Udbetaling" not in appendix_title(2, deficit, 2024)
    assert "underskuddet fra regnskab 2023" in appendix_title(2, deficit, 2024)
    assert default_text(AllocationKind.PAYOUT, 2024, "X", deficit.total) == \
        "Opkrævning af underskud 2023 – X"
    payout = allocation.compute(store, sec, 2024, kind=AllocationKind.PAYOUT).allocation
    assert payout.title(2024) == "Udbetaling af overskud 2023"  # the 2023 result


def test_export_text_of_a_deficit_charged(export_ready, tmp_path):
    store, sec = export_ready
    deficit = allocation.compute(store, sec, 2024, kind=AllocationKind.PAYOUT,
                                 amount=-100_000_00).allocation
    allocation.save(store, sec, 2024, deficit)
    plan = export.plan_erp(store, sec, 2024, AllocationKind.PAYOUT, due=date(2024, 6, 1))
    assert {ln.text for ln in plan.lines} == {
        "Opkrævning af underskud 2023 – Det fælleskommunale Sundhedssekretariat"}
    assert plan.total == 100_000_00  # the kommuner pay


def test_cli_allocate_payout_is_titled_for_the_result_year(demo_db_path, capsys):
    from kkr_desktop.cli import main

    assert main(["--db", demo_db_path, "allocate", "--secretariat", "sundhed", "--year",
                 "2024", "--kind", "payout"]) == 0
    assert capsys.readouterr().out.startswith("Udbetaling af overskud 2023 – ")
