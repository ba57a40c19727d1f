"""ERP export of the demo's stored allocation, read back as Excel or an ERP would read it."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.core.approval import format_date
from kkr_desktop.core.erp import STANDARD, MemberErp
from kkr_desktop.core.errors import InputError
from kkr_desktop.services import allocation as allocation_service
from kkr_desktop.services import export, members
from kkr_desktop.store import erp
from kkr_desktop.store import secretariats as sec_store

DUE = date(2024, 12, 31)


def read_back(path: Path, encoding: str = "utf-8-sig", delimiter: str = ";"
              ) -> list[dict[str, str]]:
    text = path.read_bytes().decode(encoding)
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def kroner(text: str, decimal: str = ",") -> int:
    whole, frac = text.replace(decimal, "|").split("|")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int(frac))


def test_standard_csv_reads_back_to_the_allocation_to_the_ore(export_ready, tmp_path):
    store, sec = export_ready
    plan = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION, due=DUE)
    target = tmp_path / "bidrag.csv"
    result = export.export_erp(store, plan, target)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n") == 12
    rows = read_back(target)
    assert list(rows[0]) == ["kommunekode", "kommune", "CVR", "EAN", "konto", "beløb", "tekst",
                             "år", "periode", "forfaldsdato", "reference"]
    member_codes = [m.kommunekode for m in sec_store.members(store, sec.id, 2024)]
    assert sorted(int(r["kommunekode"]) for r in rows) == sorted(member_codes)
    assert sum(kroner(r["beløb"]) for r in rows) == 1_771_663_00 == result.total
    aalborg = next(r for r in rows if r["kommunekode"] == "851")
    assert aalborg["CVR"] == "29189420" and aalborg["forfaldsdato"] == "31-12-2024"
    assert aalborg["tekst"] == "Bidrag 2024 – Det fælleskommunale Sundhedssekretariat"
    assert aalborg["periode"] == "12" and aalborg["år"] == "2024"
    assert all(r["beløb"].count(",") == 1 and "." not in r["beløb"] for r in rows)


def test_every_export_is_logged_with_the_file_hash(export_ready, tmp_path):
    import hashlib

    store, sec = export_ready
    plan = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION, due=DUE)
    target = tmp_path / "bidrag.csv"
    export.export_erp(store, plan, target)
    [record] = erp.exports(store, sec.id, 2024)
    assert (record.what, record.kind, record.profile, record.total, record.rows) == (
        "erp", "contribution", STANDARD, 1_771_663_00, 11)
    assert record.allocation_id == plan.stored.id and record.exported_by == store.user
    assert record.files[0].sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    assert Path(record.files[0].path).name == "bidrag.csv"


def test_a_second_export_warns_with_the_date_of_the_first(export_ready, tmp_path):
    store, sec = export_ready
    plan = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION, due=DUE)
    export.export_erp(store, plan, tmp_path / "first.csv")
    again = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION, due=DUE)
    assert "første gang den " + format_date(date.today()) + " kl. " in again.warning()
    with pytest.raises(export.AlreadyExportedError) as caught:
        export.export_erp(store, again, tmp_path / "second.csv")
    assert "first.csv" in caught.value.message
    assert not (tmp_path / "second.csv").exists()
    result = export.export_erp(store, again, tmp_path / "second.csv", again=True)
    assert result.warning and len(erp.exports(store, sec.id, 2024)) == 2


def test_a_new_allocation_of_the_same_kind_and_year_also_warns(export_ready, tmp_path):
    store, sec = export_ready
    export.export_erp(store, export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION),
                      tmp_path / "a.csv")
    result = allocation_service.compute(store, sec, 2024)
    allocation_service.save(store, sec, 2024, result.allocation)
    plan = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION)
    assert plan.warning().startswith("En fordeling af bidrag for 2024")


def test_a_missing_ean_stops_the_export_naming_the_kommune(export_ready, tmp_path):
    store, sec = export_ready
    fields = erp.member_fields(store, sec.id)
    erp.set_member_fields(store, sec.id, [replace(fields[825], ean=""),
                                          replace(fields[860], cvr="123")])
    out = tmp_path / "ud"
    out.mkdir()
    with pytest.raises(InputError) as caught:
        export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION)
    assert "825 Læsø: EAN-nummer mangler" in caught.value.message
    assert "860 Hjørring: CVR-nummeret «123» skal være 8 cifre" in caught.value.message
    assert list(out.iterdir()) == []
    assert erp.exports(store, sec.id) == []


def test_a_formula_in_a_kommune_name_or_text_comes_out_neutralised(export_ready, tmp_path):
    store, sec = export_ready
    evil = '=HYPERLINK("http://example.invalid";"Klik")'
    with store.transaction():
        store.conn.execute("UPDATE kommune SET name = ? WHERE code = 851", (evil,))
    plan = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION, text="@" + evil)
    target = tmp_path / "bidrag.csv"
    export.export_erp(store, plan, target)
    aalborg = next(r for r in read_back(target) if r["kommunekode"] == "851")
    assert aalborg["kommune"] == "'" + evil
    assert aalborg["tekst"] == "'@" + evil
    for row in read_back(target):
        assert not any(v.startswith(("=", "+", "@", "\t", "\r")) for v in row.values())


def test_one_file_per_kommune(export_ready, tmp_path):
    store, sec = export_ready
    plan = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION)
    result = export.export_erp(store, plan, tmp_path / "ud", per_kommune=True)
    files = sorted((tmp_path / "ud").iterdir())
    assert len(files) == 11 == len(result.files)
    assert "bidrag_2024_Det_fælleskommunale_Sundhedssekretariat_851_Aalborg.csv" in [
        f.name for f in files]
    rows = [row for f in files for row in read_back(f)]
    assert len(rows) == 11
    assert sum(kroner(r["beløb"]) for r in rows) == plan.stored.allocation.total
    assert len(erp.exports(store, sec.id)[0].files) == 11


def test_an_edited_profile_is_used_as_written(export_ready, tmp_path):
    store, sec = export_ready
    copy = export.copy_profile(store, STANDARD, "Prisme")
    edited = replace(copy, columns=(("ean", "GLN"), ("beløb", "Amount"),
                                    ("forfaldsdato", "Due")), separator="\t",
                     decimal_separator=".", date_format="åååå-mm-dd", encoding="cp1252",
                     line_end="lf")
    export.save_profile(store, edited)
    plan = export.plan_erp(store, sec, 2024, AllocationKind.CONTRIBUTION, profile="Prisme",
                           due=DUE)
    target = tmp_path / "prisme.txt"
    export.export_erp(store, plan, target)
    data = target.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    rows = read_back(target, "cp1252", "\t")
    assert list(rows[0]) == ["GLN", "Amount", "Due"] and rows[0]["Due"] == "2024-12-31"
    assert sum(kroner(r["Amount"], ".") for r in rows) == plan.stored.allocation.total


def test_the_shipped_profile_cannot_be_changed(export_ready):
    store, _ = export_ready
    standard = erp.profile(store, STANDARD)
    with pytest.raises(InputError, match="Kopiér"):
        export.save_profile(store, replace(standard, separator="|"))


def test_a_payout_is_negative_and_the_journal_balances(export_ready, tmp_path):
    store, sec = export_ready
    result = allocation_service.compute(store, sec, 2024, kind=AllocationKind.PAYOUT,
                                        amount=100_000_00)
    allocation_service.save(store, sec, 2024, result.allocation)
    plan = export.plan_erp(store, sec, 2024, AllocationKind.PAYOUT)
    # A typed amount is not what the statement leaves to pay out: exported only on request.
    assert plan.stale.startswith("Den gemte fordeling af udbetalingen (100.000 kr.) svarer "
                                 "ikke til udbetalingen af overskuddet fra regnskab 2023")
    export.export_erp(store, plan, tmp_path / "udbetaling.csv", force=True)
    rows = read_back(tmp_path / "udbetaling.csv")
    assert sum(kroner(r["beløb"]) for r in rows) == -100_000_00
    assert rows[0]["tekst"].startswith("Udbetaling af overskud 2023")
    export.export_journal(store, plan, tmp_path / "kladde.csv", force=True)
    journal = read_back(tmp_path / "kladde.csv")
    assert len(journal) == 22
    debit = sum(kroner(r["debet"]) for r in journal if r["debet"])
    credit = sum(kroner(r["kredit"]) for r in journal if r["kredit"])
    assert debit == credit == 100_000_00
    assert journal[0]["konto"] == members.DEMO_INCOME and journal[0]["debet"]


def test_no_stored_allocation_says_how_to_make_one(demo_store, demo_secretariat):
    with pytest.raises(InputError) as caught:
        export.plan_erp(demo_store, demo_secretariat, 2024, AllocationKind.ADJUSTMENT)
    # The window shows where to click, the command line what to type; neither the other's.
    assert "under fanen Fordeling" in caught.value.message
    assert "kkr-desktop" not in caught.value.message and "--" not in caught.value.message
    assert "kkr-desktop allocate --kind adjustment --save" in caught.value.cli_message
    assert "fanen" not in caught.value.cli_message


@pytest.mark.usefixtures("no_erp_fields")
def test_members_import_reports_every_bad_line(demo_store, demo_secretariat, tmp_path):
    from kkr_desktop.core.errors import FileFormatError

    f = tmp_path / "m.csv"
    f.write_text("kommunekode;cvr;ean;konto\n851;29189420;5798000000019;x\n101;1;;\n"
                 "xx;;;\n", encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        members.import_members(demo_store, demo_secretariat.id, f)
    text = caught.value.message
    assert "linje 2, kolonne «ean»" in text and "kontrolciffer" in text
    assert "linje 3, kolonne «kommunekode»" in text and "ikke medlem" in text
    assert "linje 3, kolonne «cvr»" in text and "linje 4" in text
    assert erp.member_fields(demo_store, demo_secretariat.id) == {}


def test_typed_fields_refuse_malformed_but_allow_blank(demo_store, demo_secretariat):
    sid = demo_secretariat.id
    members.set_member_fields(demo_store, sid, [MemberErp(851, "Aalborg", "2918 9420")])
    assert erp.member_fields(demo_store, sid)[851].cvr == "29189420"
    with pytest.raises(InputError, match="13 cifre"):
        members.set_member_fields(demo_store, sid, [MemberErp(851, "Aalborg", ean="12")])


def test_journal_needs_both_accounts_and_writes_nothing_without(demo_store, demo_secretariat,
                                                                tmp_path):
    result = allocation_service.compute(demo_store, demo_secretariat, 2024)
    allocation_service.save(demo_store, demo_secretariat, 2024, result.allocation)
    with demo_store.transaction():
        demo_store.conn.execute("DELETE FROM secretariat_journal")
    plan = export.plan_erp(demo_store, demo_secretariat, 2024, AllocationKind.CONTRIBUTION,
                           due=DUE)
    with pytest.raises(InputError, match="debitorkontoen og indtægtskontoen"):
        export.export_journal(demo_store, plan, tmp_path / "ud" / "kladde.csv")
    assert not (tmp_path / "ud").exists()
