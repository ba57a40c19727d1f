"""The host's journal (kassekladde) carries the year and period billed, and a December
billing due in January is booked in December of the year billed."""

from __future__ import annotations

import csv
import io
from datetime import date

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.core.erp import booking_date
from kkr_desktop.services import export


def read(path):
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig")), delimiter=";"))


def test_a_december_billing_due_in_january_is_booked_in_december(export_ready, tmp_path):
    store, sec = export_ready
    # Billed «ultimo 2024» on 10 December: the usual 30 days make it due 9 January 2025.
    due = export.default_due(2024, today=date(2024, 12, 10))
    assert due == date(2025, 1, 9)
    plan = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION, due=due)
    export.export_journal(store, plan, tmp_path / "kladde.csv")
    rows = read(tmp_path / "kladde.csv")
    assert len(rows) == 22
    assert {(r["dato"], r["år"], r["periode"]) for r in rows} == {("31-12-2024", "2024", "12")}


def test_a_due_date_inside_the_period_is_the_booking_date(export_ready, tmp_path):
    store, sec = export_ready
    plan = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION,
                           due=date(2024, 3, 15))
    export.export_journal(store, plan, tmp_path / "kladde.csv")
    assert {(r["dato"], r["periode"]) for r in read(tmp_path / "kladde.csv")} == {
        ("15-03-2024", "3")}


def test_a_chosen_period_dates_the_journal_at_its_end():
    assert booking_date(2024, 11, date(2025, 1, 9)) == date(2024, 11, 30)
    assert booking_date(2024, 2, date(2024, 6, 1)) == date(2024, 2, 29)
