"""Every kommune's bill as one table: a CSV (semicolons, UTF-8 with BOM, decimal comma,
CRLF, as the Standard ERP profile) and an xlsx workbook with a sheet of lines and a sheet
of the net per kommune. No cell can run as a formula."""

from __future__ import annotations

import csv
import io
from datetime import date

from kkr_desktop.core.billing import KommuneBill
from kkr_desktop.core.erp import MemberErp
from kkr_desktop.core.money import ore_to_decimal
from kkr_desktop.formats.erp import amount_text, neutralise

HEADER = ("kommunekode", "kommune", "CVR", "EAN", "organ", "tekst", "beløb",
          "kommunens nettobeløb", "forfaldsdato", "reference")


def _rows(bills: list[KommuneBill], members: dict[int, MemberErp], due: date):
    """One row per part: (cells, amount, net) with the amounts as øre."""
    for bill in bills:
        m = members.get(bill.kommunekode, MemberErp(bill.kommunekode, bill.kommune))
        for p in bill.parts:
            yield ([str(bill.kommunekode), bill.kommune, m.cvr, m.ean, p.body, p.text],
                   p.amount, bill.net, due, bill.reference())


def bill_csv(bills: list[KommuneBill], members: dict[int, MemberErp], due: date) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for cells, amount, net, when, ref in _rows(bills, members, due):
        writer.writerow([neutralise(c) for c in cells]
                        + [amount_text(amount), amount_text(net), f"{when:%d-%m-%Y}", ref])
    return buf.getvalue().encode("utf-8-sig")


def bill_xlsx(bills: list[KommuneBill], members: dict[int, MemberErp], due: date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from kkr_desktop.formats.xlsx import AMOUNT_FORMAT, _put, _save

    wb = Workbook()
    ws = wb.active
    ws.title = "Linjer"
    for col, h in enumerate(HEADER, start=1):
        _put(ws, 1, col, h).font = Font(bold=True)
    r = 1
    for cells, amount, net, when, ref in _rows(bills, members, due):
        r += 1
        for col, text in enumerate(cells, start=1):
            _put(ws, r, col, text)
        for col, ore in ((7, amount), (8, net)):
            ws.cell(r, col, ore_to_decimal(ore)).number_format = AMOUNT_FORMAT
        ws.cell(r, 9, when).number_format = "DD-MM-YYYY"
        _put(ws, r, 10, ref)
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJ", (12, 18, 11, 15, 36, 34, 15, 15, 13, 16),
                             strict=True):
        ws.column_dimensions[letter].width = width
    net_ws = wb.create_sheet("Kommuner")
    for col, h in enumerate(("kommunekode", "kommune", "nettobeløb (betaler; negativt: "
                             "modtager)", "reference"), start=1):
        _put(net_ws, 1, col, h).font = Font(bold=True)
    for i, bill in enumerate(bills, start=2):
        net_ws.cell(i, 1, bill.kommunekode)
        _put(net_ws, i, 2, bill.kommune)
        net_ws.cell(i, 3, ore_to_decimal(bill.net)).number_format = AMOUNT_FORMAT
        _put(net_ws, i, 4, bill.reference())
    last = len(bills) + 1
    total_row = last + 1
    _put(net_ws, total_row, 2, "I alt").font = Font(bold=True)
    net_ws.cell(total_row, 3, f"=SUM(C2:C{last})").number_format = AMOUNT_FORMAT
    for letter, width in zip("ABCD", (12, 18, 30, 16), strict=True):
        net_ws.column_dimensions[letter].width = width
    return _save(wb)
