"""Payment follow-up on the demo's bill (Sundhedssekretariatet's contribution 2024, Aalborg
651.908,00 kr.): part payments, a bank file matched by reference, all or nothing, never
recorded twice, append-only with counter-entries, audited; and the bills' stored contact."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from kkr_desktop.core.errors import FileFormatError, InputError
from kkr_desktop.services import billing, payments
from kkr_desktop.services.secretariat_settings import update_settings
from kkr_desktop.store import secretariats

AALBORG, HJOERRING = 851, 860
AALBORG_BILLED = 651_908_00
BANK = ("Bogføringsdato;Rentedato;Tekst;Beløb;Saldo\n"
        "15-01-2024;15-01-2024;Aalborg Kommune KKR2024-851 del 1;300.000,00;300.000,00\n"
        "20.01.2024;20.01.2024;kkr2024 - 860 Hjørring Kommune;193.652,00;493.652,00\n"
        "21-01-2024;21-01-2024;Husleje januar;-25.000,00;468.652,00\n"
        "22-01-2024;22-01-2024;KKR2023-851 for sen;1.000,00;469.652,00\n")


def _open(view, code):
    return view.balance(code).open


def test_part_payments_leave_the_rest_open(export_ready):
    store, _ = export_ready
    payments.add_payment(store, "Nordjylland", 2024, AALBORG, date(2024, 1, 15), 300_000_00)
    payments.add_payment(store, "Nordjylland", 2024, AALBORG, date(2024, 2, 1), 1_908_00)
    view = payments.payment_view(store, "Nordjylland", 2024)
    b = view.balance(AALBORG)
    assert (b.billed, b.paid, b.open) == (AALBORG_BILLED, 301_908_00, 350_000_00)
    assert _open(view, HJOERRING) == view.balance(HJOERRING).billed  # nothing paid
    assert sum(x.open for x in view.balances) == 1_771_663_00 - 301_908_00


def test_a_bank_file_is_matched_by_reference_and_the_rest_listed(export_ready, tmp_path):
    store, _ = export_ready
    (tmp_path / "bank.csv").write_text(BANK, encoding="cp1252")  # as Danish banks write it
    result = payments.import_payments(store, "Nordjylland", 2024, tmp_path / "bank.csv")
    assert [(r.line, r.paid_on, r.amount) for r in result.recorded] == [
        (2, date(2024, 1, 15), 300_000_00), (3, date(2024, 1, 20), 193_652_00)]
    assert [(r.line, why) for r, why in result.unmatched] == [
        (4, "ingen reference KKR<år>-<kommunekode> i teksten"),
        (5, "KKR2023-851 er opkrævningen for 2023, ikke 2024")]
    view = payments.payment_view(store, "Nordjylland", 2024)
    assert _open(view, AALBORG) == AALBORG_BILLED - 300_000_00
    assert _open(view, HJOERRING) == 0


def test_a_payment_already_recorded_is_not_recorded_twice(export_ready, tmp_path):
    store, _ = export_ready
    (tmp_path / "bank.csv").write_text(BANK, encoding="utf-8")
    payments.add_payment(store, "Nordjylland", 2024, AALBORG, date(2024, 1, 15), 300_000_00)
    first = payments.import_payments(store, "Nordjylland", 2024, tmp_path / "bank.csv")
    assert [r.line for r in first.recorded] == [3]  # Aalborg's was typed in already
    assert [r.line for r in first.duplicates] == [2]
    again = payments.import_payments(store, "Nordjylland", 2024, tmp_path / "bank.csv")
    assert again.recorded == [] and [r.line for r in again.duplicates] == [2, 3]
    assert len(payments.payment_view(store, "Nordjylland", 2024).payments) == 2


def test_two_equal_rows_in_one_file_are_two_payments(export_ready, tmp_path):
    store, _ = export_ready
    row = "01-02-2024;KKR2024-851;1.000,00\n"
    (tmp_path / "b.csv").write_text("Dato;Reference;Beløb\n" + row + row, encoding="utf-8")
    assert len(payments.import_payments(store, "nord", 2024, tmp_path / "b.csv").recorded) == 2
    (tmp_path / "c.csv").write_text("Dato;Reference;Beløb\n" + row * 3, encoding="utf-8")
    result = payments.import_payments(store, "nord", 2024, tmp_path / "c.csv")
    assert len(result.recorded) == 1 and len(result.duplicates) == 2


def test_a_bad_cell_records_nothing_and_names_line_and_column(export_ready, tmp_path):
    store, _ = export_ready
    bad = BANK.replace("193.652,00", "193.652.00").replace("22-01-2024;22", "32-01-2024;22")
    (tmp_path / "bank.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        payments.import_payments(store, "Nordjylland", 2024, tmp_path / "bank.csv")
    text = caught.value.message
    assert "bank.csv, linje 3, kolonne «Beløb»" in text
    assert "bank.csv, linje 5, kolonne «Bogføringsdato»: «32-01-2024» er ikke en dag" in text
    assert "intet er gemt" in text
    assert payments.payment_view(store, "Nordjylland", 2024).payments == []


def test_payments_are_append_only_and_reversed_by_a_counter_entry(export_ready, db_path):
    store, _ = export_ready
    pid = payments.add_payment(store, "Nordjylland", 2024, AALBORG, date(2024, 1, 15),
                               3_000_00)
    outside = sqlite3.connect(db_path)  # plain SQL, as anyone with the file could
    for sql in ("UPDATE payment SET amount = 1", "DELETE FROM payment",
                f"INSERT OR REPLACE INTO payment SELECT * FROM payment WHERE id = {pid}",
                "INSERT INTO payment (year, kommune_code, reference, paid_on, amount, source,"
                f" reverses, recorded_at, recorded_by) VALUES (2024, 851, 'KKR2024-851', "
                f"'2024-01-15', -1, 'x', {pid}, 'nu', 'x')"):
        with pytest.raises(sqlite3.DatabaseError):
            outside.execute(sql)
    outside.close()
    rid = payments.reverse_payment(store, pid)
    with pytest.raises(InputError, match="allerede modposteret"):
        payments.reverse_payment(store, pid)
    view = payments.payment_view(store, "Nordjylland", 2024)
    assert [(p.id, p.amount, p.reverses) for p in view.payments] == [
        (pid, 3_000_00, None), (rid, -3_000_00, pid)]
    assert _open(view, AALBORG) == AALBORG_BILLED
    audited = store.rows("SELECT key, new_value FROM audit_log WHERE tbl = 'payment'")
    assert [r["key"] for r in audited] == [str(pid), str(rid)]
    assert '"amount": -300000' in audited[1]["new_value"]


def test_a_kommune_outside_the_kkr_or_a_zero_amount_is_refused(export_ready):
    store, _ = export_ready
    with pytest.raises(InputError, match="ligger ikke i KKR Nordjylland"):
        payments.add_payment(store, "Nordjylland", 2024, 101, date(2024, 1, 15), 1_00)
    with pytest.raises(InputError, match="Beløbet er 0 kr."):
        payments.add_payment(store, "Nordjylland", 2024, AALBORG, date(2024, 1, 15), 0)


def test_the_bills_use_the_contact_stored_in_the_settings(export_ready):
    store, sundhed = export_ready
    members = [payments_member(m) for m in secretariats.members(store, sundhed.id)]
    update_settings(store, sundhed.id, name=sundhed.name, kkr="Nordjylland",
                    host_kommune=sundhed.host_kommune, unit=sundhed.unit, members=members,
                    contact="  Jens Hansen,  tlf. 9931 3131 ")
    bill_set = billing.kommune_bills(store, "Nordjylland", 2024)
    assert bill_set.bodies[0].contact == "Jens Hansen, tlf. 9931 3131"
    typed = billing.kommune_bills(store, "Nordjylland", 2024,
                                  contacts={sundhed.name: "Anne Jensen"})
    assert typed.bodies[0].contact == "Anne Jensen"  # --contact still wins


def payments_member(m):
    from kkr_desktop.services.secretariat_settings import MemberPeriod

    return MemberPeriod(m.kommunekode, m.from_year, m.to_year)
