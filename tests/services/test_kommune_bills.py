"""The kommune's bill on the demo plus a second body of KKR Nordjylland (Erhvervshus
Nordjylland): the net per kommune adds up to the per-body amounts to the øre, every OIOUBL
file is valid UBL 2.1, a broken one is refused, and a second write is refused."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from kkr_desktop.core.allocation import AllocationKind, KeyKind, Unit
from kkr_desktop.core.errors import InputError
from kkr_desktop.paths import resources_dir
from kkr_desktop.services import allocation, billing, members
from kkr_desktop.services.secretariat_settings import create_secretariat
from kkr_desktop.store import secretariats

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
ERHVERV_CONTRIBUTION = 17_645_000_00  # the basisbevilling of 2023, in øre
ERHVERV_PAYOUT = 1_100_000_00  # a surplus paid back, 100.000 kr. to each of 11 kommuner


@pytest.fixture
def two_bodies(export_ready):
    """The demo's Sundhedssekretariat (contribution 2024 saved) and Erhvervshus
    Nordjylland (its contribution by population, a surplus paid back in equal parts)."""
    store, sundhed = export_ready
    sid = create_secretariat(store, name="Erhvervshus Nordjylland", kkr="Nordjylland",
                             first_year=2024, unit=Unit.ORE, host_kommune=851)
    erhverv = secretariats.get(store, sid)
    contribution = allocation.compute(store, erhverv, 2024, amount=ERHVERV_CONTRIBUTION)
    allocation.save(store, erhverv, 2024, contribution.allocation)
    payout = allocation.compute(store, erhverv, 2024, kind=AllocationKind.PAYOUT,
                                amount=ERHVERV_PAYOUT, key_kind=KeyKind.EQUAL)
    allocation.save(store, erhverv, 2024, payout.allocation)
    members.load_demo_fields(store, sid)
    return store, sundhed, erhverv


def _rows(store, sec, kind):
    stored = allocation.for_billing(store, sec, 2024, kind)
    return {r.kommunekode: r.amount for r in stored.allocation.rows}


def test_a_kommunes_bill_adds_up_to_the_per_body_amounts(two_bodies):
    store, sundhed, erhverv = two_bodies
    bill_set = billing.kommune_bills(store, "Nordjylland", 2024, due=date(2024, 12, 31))
    health = _rows(store, sundhed, AllocationKind.CONTRIBUTION)
    business = _rows(store, erhverv, AllocationKind.CONTRIBUTION)
    payout = _rows(store, erhverv, AllocationKind.PAYOUT)
    assert len(bill_set.bills) == 11
    for bill in bill_set.bills:
        code = bill.kommunekode
        assert bill.net == health[code] + business[code] - payout[code]
        assert bill.body_net(sundhed.id) == health[code]
        assert bill.body_net(erhverv.id) == business[code] - payout[code]
    aalborg = next(b for b in bill_set.bills if b.kommunekode == 851)
    assert [(p.body, p.text, p.amount) for p in aalborg.parts] == [
        ("Det fælleskommunale Sundhedssekretariat", "Bidrag 2024", health[851]),
        ("Erhvervshus Nordjylland", "Bidrag 2024", business[851]),
        ("Erhvervshus Nordjylland", "Udbetaling af overskud 2023", -100_000_00)]
    assert health[851] == 651_908_00  # the demo's key: Aalborg's share of 1.771.663 kr.
    assert bill_set.total == 1_771_663_00 + ERHVERV_CONTRIBUTION - ERHVERV_PAYOUT


def test_csv_lines_sum_to_every_kommunes_net(two_bodies, tmp_path):
    store, _, _ = two_bodies
    bill_set = billing.kommune_bills(store, "Nordjylland", 2024)
    billing.write_bills(store, bill_set, "csv", tmp_path / "bill.csv")
    text = (tmp_path / "bill.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 3 * 11
    nets: dict[str, int] = {}
    for r in rows:
        nets[r["kommunekode"]] = nets.get(r["kommunekode"], 0) + int(
            r["beløb"].replace(",", ""))
    assert nets == {str(b.kommunekode): b.net for b in bill_set.bills}


def _schema(root_name):
    from lxml import etree

    path = resources_dir() / "ubl-2.1" / "maindoc" / f"UBL-{root_name}-2.1.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def test_every_oioubl_file_validates_and_its_kind_follows_the_sign(two_bodies, tmp_path):
    from lxml import etree

    store, _, _ = two_bodies
    bill_set = billing.kommune_bills(store, "Nordjylland", 2024, due=date(2024, 12, 31))
    # Læsø's share of the contribution is below its 100.000 kr. of the surplus: it receives.
    laeso = next(b for b in bill_set.bills if b.kommunekode == 825)
    assert laeso.net < 0
    result = billing.write_bills(store, bill_set, "oioubl", tmp_path / "oioubl")
    assert len(result.files) == 11
    schemas = {name: _schema(name) for name in ("Invoice", "CreditNote")}
    kinds = {}
    for path in result.files:
        root = etree.parse(str(path)).getroot()
        name = etree.QName(root).localname
        schemas[name].assertValid(root)
        ns = {"cbc": CBC, "cac": CAC}
        code = int(root.findtext("cac:OrderReference/cbc:ID", namespaces=ns).split("-")[1])
        kinds[code] = name
        bill = next(b for b in bill_set.bills if b.kommunekode == code)
        payable = root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=ns)
        assert payable == billing_money(abs(bill.net))
        endpoint = root.find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", ns)
        assert endpoint.get("schemeID") == "GLN"
        assert endpoint.text == bill_set.members[code].ean
        assert root.findtext("cbc:CustomizationID", namespaces=ns) == "OIOUBL-2.01"
        assert len(root.findall("cac:InvoiceLine" if name == "Invoice"
                                else "cac:CreditNoteLine", ns)) == len(bill.parts)
    assert kinds[825] == "CreditNote" and kinds[851] == "Invoice"


def billing_money(ore: int) -> str:
    return f"{ore // 100}.{ore % 100:02d}"


def test_a_kommune_without_ean_gets_no_einvoice_and_nothing_is_written(two_bodies,
                                                                       tmp_path):
    from kkr_desktop.core.erp import MemberErp

    store, sundhed, erhverv = two_bodies
    for sec in (sundhed, erhverv):
        members.set_member_fields(store, sec.id, [MemberErp(825, "Læsø", "", "", "")])
    bill_set = billing.kommune_bills(store, "Nordjylland", 2024)
    with pytest.raises(InputError, match="825 Læsø: EAN"):
        billing.write_bills(store, bill_set, "oioubl", tmp_path / "oioubl")
    assert not (tmp_path / "oioubl").exists()
    assert billing.previous_writes(store, bill_set, "oioubl") == []


def test_a_document_without_endpoint_or_against_the_schema_is_refused(two_bodies):
    from kkr_desktop.formats import oioubl

    store, _, _ = two_bodies
    bill_set = billing.kommune_bills(store, "Nordjylland", 2024)
    name, data, _net = oioubl.einvoices(2024, bill_set.due, bill_set.bills, bill_set.bodies,
                                        bill_set.members, billing.schema_dir())[0]
    oioubl.check(data, name, billing.schema_dir())  # the good one passes
    text = data.decode()
    start = text.index("<cbc:EndpointID schemeAgencyID=\"9\"")
    end = text.index("</cbc:EndpointID>", start) + len("</cbc:EndpointID>")
    with pytest.raises(InputError, match="kommunens EndpointID"):
        oioubl.check((text[:start] + text[end:]).encode(), name, billing.schema_dir())
    misplaced = text.replace("<cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>", "")
    misplaced = misplaced.replace("</cac:LegalMonetaryTotal>", "</cac:LegalMonetaryTotal>"
                                  "<cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>")
    with pytest.raises(InputError, match="overholder ikke UBL 2.1-skemaet"):
        oioubl.check(misplaced.encode(), name, billing.schema_dir())


def test_a_second_write_is_refused_unless_again_and_every_body_logs_it(two_bodies,
                                                                      tmp_path):
    store, sundhed, erhverv = two_bodies
    bill_set = billing.kommune_bills(store, "Nordjylland", 2024)
    first = billing.write_bills(store, bill_set, "pdf", tmp_path / "breve.pdf")
    assert len(first.export_ids) == 2
    before = (tmp_path / "breve.pdf").read_bytes()
    with pytest.raises(InputError, match="allerede skrevet som brevene"):
        billing.write_bills(store, bill_set, "pdf", tmp_path / "andet.pdf")
    assert not (tmp_path / "andet.pdf").exists()
    billing.write_bills(store, bill_set, "pdf", tmp_path / "breve.pdf", again=True)
    assert len(billing.previous_writes(store, bill_set, "pdf")) == 4
    assert before[:4] == b"%PDF"
    from kkr_desktop.services.export import describe_log_entry, export_log

    said = [describe_log_entry(r) for r in export_log(store, erhverv.id, 2024)]
    assert any("opkrævningsbreve 2024" in s for s in said)


def test_letters_one_page_per_kommune_with_net_and_due(two_bodies, tmp_path):
    from pypdf import PdfReader

    store, _, _ = two_bodies
    bill_set = billing.kommune_bills(store, "Nordjylland", 2024, due=date(2024, 12, 31))
    billing.write_bills(store, bill_set, "pdf", tmp_path / "breve.pdf")
    reader = PdfReader(str(tmp_path / "breve.pdf"))
    assert len(reader.pages) == 11
    aalborg = bill_set.bills[[b.kommunekode for b in bill_set.bills].index(851)]
    text = reader.pages[9].extract_text()
    assert "Aalborg Kommune" in text and "31. december 2024" in text
    from kkr_desktop.core.money import format_amount

    assert format_amount(aalborg.net, decimals=True) in text
    assert "KLADDE" in text  # the demo's statement is not approved


def test_cli_bill_writes_xlsx_and_refuses_a_bad_suffix(two_bodies, store_target, tmp_path,
                                                       capsys):
    from openpyxl import load_workbook

    from kkr_desktop.cli import main

    store, _, _ = two_bodies
    store.close()
    assert main(["--db", str(store_target), "bill", "--kkr", "Nordjylland", "--year", "2024",
                 "-o", str(tmp_path / "bill.xlsx")]) == 0
    ws = load_workbook(tmp_path / "bill.xlsx")["Kommuner"]
    assert ws.cell(13, 2).value == "I alt" and ws.max_row == 13
    assert main(["--db", str(store_target), "bill", "--kkr", "Nordjylland", "--year", "2024",
                 "-o", str(tmp_path / "bill.txt")]) == 2
    assert "skal ende på .pdf, .csv eller .xlsx" in capsys.readouterr().err
    assert not Path(tmp_path / "bill.txt").exists()
