"""E-invoices for the kommuner: OIOUBL 2.1 (UBL 2.1 XML, sent through NemHandel to the
kommune's EAN). Per kommune and seller (the host kommune of the bodies), an Invoice when the
kommune pays in all, a CreditNote when it receives; one line per body and kind.

Every document is checked before it is returned: the parts OIOUBL requires are there and
filled in (the UBL schema leaves most of them optional, e.g. the EndpointID), and it is
valid against the official OASIS UBL 2.1 schema shipped in resources/ubl-2.1 (the
caller passes that folder: formats know no paths of the program). A document
that fails either is refused with a Danish message; nothing is written.
lxml is imported where it is used.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from kkr_desktop.core.billing import Body, KommuneBill
from kkr_desktop.core.erp import MemberErp
from kkr_desktop.core.errors import InputError
from kkr_desktop.core.ids import cvr_problem, ean_problem, normalise_id

NS = {"Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
      "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"}
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
UBL_VERSION = "2.0"  # OIOUBL 2.1 documents say 2.0 here
CUSTOMIZATION = "OIOUBL-2.01"
PROFILE = "urn:www.nesubl.eu:profiles:profile5:ver2.0"
PROFILE_SCHEME = {"schemeAgencyID": "320", "schemeID": "urn:oioubl:id:profileid-1.2"}
CURRENCY = "DKK"
PAYMENT_MEANS = "31"  # debit transfer (UN/ECE 4461)

# What OIOUBL requires beyond the UBL schema, as (path from the root, what it is in Danish).
REQUIRED = (
    ("cbc:UBLVersionID", "UBL-version"),
    ("cbc:CustomizationID", "CustomizationID (OIOUBL-version)"),
    ("cbc:ProfileID[@schemeID]", "ProfileID med schemeID"),
    ("cbc:ID", "dokumentnummer"),
    ("cbc:IssueDate", "udstedelsesdato"),
    ("cac:OrderReference/cbc:ID", "ordrereference"),
    ("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", "sælgers EndpointID"),
    ("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/"
     "cbc:CompanyID[@schemeID='DK:CVR']", "sælgers CVR-nummer"),
    ("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID[@schemeID='GLN']",
     "kommunens EndpointID (EAN/GLN)"),
    ("cac:PaymentMeans/cbc:PaymentDueDate", "forfaldsdato"),
    ("cac:TaxTotal/cbc:TaxAmount", "momstotal"),
    ("cac:LegalMonetaryTotal/cbc:PayableAmount", "beløb at betale"),
)


def money(ore: int) -> str:
    """Øre as the XML decimal with two decimals: ``-1234.56``."""
    sign = "-" if ore < 0 else ""
    kr, o = divmod(abs(ore), 100)
    return f"{sign}{kr}.{o:02d}"


def _member_problems(bills: list[KommuneBill], bodies: list[Body],
                     members: dict[int, MemberErp]) -> list[str]:
    out = [f"{b.name}: værtskommunens CVR-nummer mangler eller er forkert (sælger på "
           "e-fakturaen); angiv værtskommunen og dens CVR under sekretariatets indstillinger"
           for b in bodies if cvr_problem(b.seller_cvr)]
    for bill in bills:
        m = members.get(bill.kommunekode, MemberErp(bill.kommunekode, bill.kommune))
        found = [p for p in (ean_problem(m.ean), cvr_problem(m.cvr)) if p]
        if found:
            out.append(f"{bill.kommunekode} {bill.kommune}: " + "; ".join(found))
    return out


def einvoices(year: int, due: date, bills: list[KommuneBill], bodies: list[Body],
              members: dict[int, MemberErp], schemas: Path, issue: date | None = None
              ) -> list[tuple[str, bytes, int]]:
    """(file name, XML bytes, øre the kommune pays) per kommune and seller, each checked.
    A kommune whose parts with a seller go up in 0 gets no document."""
    problems = _member_problems(bills, bodies, members)
    if problems:
        raise InputError("E-fakturaerne kan ikke laves, så intet er skrevet:\n  "
                         + "\n  ".join(problems))
    sellers: dict[str, list[Body]] = {}
    for body in bodies:
        sellers.setdefault(normalise_id(body.seller_cvr), []).append(body)
    out = []
    for bill in bills:
        for n, (cvr, group) in enumerate(sellers.items(), start=1):
            ids = {b.id for b in group}
            parts = [p for p in bill.parts if p.body_id in ids]
            net = sum(p.amount for p in parts)
            if not parts or net == 0:
                continue
            number = bill.reference() + (f"-{n}" if len(sellers) > 1 else "")
            data = document(number=number, reference=bill.reference(), year=year, due=due,
                            issue=issue or date.today(), bill=bill, parts=parts,
                            seller=group[0], seller_cvr=cvr,
                            member=members[bill.kommunekode].normalised(), schemas=schemas)
            kind = "faktura" if net > 0 else "kreditnota"
            out.append((f"oioubl_{kind}_{number}_{bill.kommune}.xml", data, net))
    return out


def document(*, number: str, reference: str, year: int, due: date, issue: date,
             bill: KommuneBill, parts: list, seller: Body, seller_cvr: str,
             member: MemberErp, schemas: Path) -> bytes:
    """One Invoice (net > 0) or CreditNote (net < 0), checked; see `check`."""
    from lxml import etree

    net = sum(p.amount for p in parts)
    root_name = "Invoice" if net > 0 else "CreditNote"
    flip = 1 if net > 0 else -1  # a credit note states what is credited as positive
    root = etree.Element(f"{{{NS[root_name]}}}{root_name}",
                         nsmap={None: NS[root_name], "cac": CAC, "cbc": CBC})

    def cbc(parent, name: str, text: str, **attrs) -> object:
        el = etree.SubElement(parent, f"{{{CBC}}}{name}", **attrs)
        el.text = text
        return el

    def cac(parent, name: str) -> object:
        return etree.SubElement(parent, f"{{{CAC}}}{name}")

    def amount(parent, name: str, ore: int) -> None:
        cbc(parent, name, money(ore), currencyID=CURRENCY)

    cbc(root, "UBLVersionID", UBL_VERSION)
    cbc(root, "CustomizationID", CUSTOMIZATION)
    cbc(root, "ProfileID", PROFILE, **PROFILE_SCHEME)
    cbc(root, "ID", number)
    cbc(root, "IssueDate", issue.isoformat())
    if root_name == "Invoice":
        cbc(root, "DueDate", due.isoformat())
        cbc(root, "InvoiceTypeCode", "380", listAgencyID="320",
            listID="urn:oioubl:codelist:invoicetypecode-1.1")
    cbc(root, "Note", f"{'Opkrævning' if net > 0 else 'Udbetaling'} {year} – "
                      f"fælleskommunale sekretariater, {bill.kommune} Kommune")
    cbc(root, "DocumentCurrencyCode", CURRENCY)
    cbc(cac(root, "OrderReference"), "ID", reference)
    supplier = cac(cac(root, "AccountingSupplierParty"), "Party")
    cbc(supplier, "EndpointID", f"DK{seller_cvr}", schemeID="DK:CVR")
    cbc(cac(supplier, "PartyIdentification"), "ID", f"DK{seller_cvr}", schemeID="DK:CVR")
    cbc(cac(supplier, "PartyName"), "Name", seller.seller_name or seller.name)
    legal = cac(supplier, "PartyLegalEntity")
    cbc(legal, "RegistrationName", seller.seller_name or seller.name)
    cbc(legal, "CompanyID", f"DK{seller_cvr}", schemeID="DK:CVR")
    cbc(cac(supplier, "Contact"), "Name", seller.contact)
    customer = cac(cac(root, "AccountingCustomerParty"), "Party")
    cbc(customer, "EndpointID", member.ean, schemeAgencyID="9", schemeID="GLN")
    cbc(cac(customer, "PartyIdentification"), "ID", f"DK{member.cvr}", schemeID="DK:CVR")
    cbc(cac(customer, "PartyName"), "Name", f"{bill.kommune} Kommune")
    legal = cac(customer, "PartyLegalEntity")
    cbc(legal, "RegistrationName", f"{bill.kommune} Kommune")
    cbc(legal, "CompanyID", f"DK{member.cvr}", schemeID="DK:CVR")
    cbc(cac(customer, "Contact"), "ID", reference)
    means = cac(root, "PaymentMeans")
    cbc(means, "PaymentMeansCode", PAYMENT_MEANS)
    cbc(means, "PaymentDueDate", due.isoformat())
    cbc(means, "PaymentID", reference)
    _tax_total(root, flip * net, cbc, cac, amount)
    total = cac(root, "LegalMonetaryTotal")
    for name in ("LineExtensionAmount", "TaxInclusiveAmount", "PayableAmount"):
        amount(total, name, flip * net)
    line_name, quantity_name = (("InvoiceLine", "InvoicedQuantity") if root_name == "Invoice"
                                else ("CreditNoteLine", "CreditedQuantity"))
    for i, p in enumerate(parts, start=1):
        line = cac(root, line_name)
        value = flip * p.amount
        cbc(line, "ID", str(i))
        cbc(line, quantity_name, "1" if value >= 0 else "-1", unitCode="EA")
        amount(line, "LineExtensionAmount", value)
        _tax_total(line, value, cbc, cac, amount)
        item = cac(line, "Item")
        cbc(item, "Description", f"{p.text} – {p.body}")
        cbc(item, "Name", p.text[:40])
        amount(cac(line, "Price"), "PriceAmount", abs(value))
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    check(data, f"e-fakturaen til {bill.kommune} Kommune ({number})", schemas)
    return data


def _tax_total(parent, taxable: int, cbc, cac, amount) -> None:
    """No VAT: the contributions between kommuner are outside its scope (zero rated)."""
    tax = cac(parent, "TaxTotal")
    amount(tax, "TaxAmount", 0)
    sub = cac(tax, "TaxSubtotal")
    amount(sub, "TaxableAmount", taxable)
    amount(sub, "TaxAmount", 0)
    category = cac(sub, "TaxCategory")
    cbc(category, "ID", "ZeroRated", schemeAgencyID="320",
        schemeID="urn:oioubl:id:taxcategoryid-1.1")
    cbc(category, "Percent", "0")
    scheme = cac(category, "TaxScheme")
    cbc(scheme, "ID", "63", schemeAgencyID="320", schemeID="urn:oioubl:id:taxschemeid-1.1")
    cbc(scheme, "Name", "Moms")


@cache
def _schema(schemas: Path, root_name: str):
    from lxml import etree

    path = schemas / "maindoc" / f"UBL-{root_name}-2.1.xsd"
    if not path.is_file():
        raise InputError(f"UBL 2.1-skemaet {path} mangler; programmet er ikke installeret "
                         "helt, så e-fakturaerne kan ikke kontrolleres og skrives ikke.")
    return etree.XMLSchema(etree.parse(str(path)))


def check(data: bytes, what: str, schemas: Path) -> None:
    """Refuse a document that lacks an OIOUBL part or fails the UBL 2.1 schema, saying
    which part or which schema error, and where."""
    from lxml import etree

    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{what} er ikke gyldig XML ({exc}); intet er skrevet.") from exc
    name = etree.QName(root).localname
    if name not in NS or etree.QName(root).namespace != NS[name]:
        raise InputError(f"{what} er hverken en UBL-faktura eller -kreditnota; intet er "
                         "skrevet.")
    ns = {"cac": CAC, "cbc": CBC}
    missing = [words for path, words in REQUIRED
               if not any((el.text or "").strip() for el in root.xpath(path, namespaces=ns))]
    line = "cac:InvoiceLine" if name == "Invoice" else "cac:CreditNoteLine"
    if not root.xpath(line, namespaces=ns):
        missing.append("mindst én linje")
    if missing:
        raise InputError(f"{what} mangler det, OIOUBL kræver: " + ", ".join(missing)
                         + ". Intet er skrevet.")
    schema = _schema(Path(schemas), name)
    if not schema.validate(root):
        errors = [f"linje {e.line}: {e.message}" for e in list(schema.error_log)[:5]]
        raise InputError(f"{what} overholder ikke UBL 2.1-skemaet: " + "; ".join(errors)
                         + ". Intet er skrevet.")
