"""ERP data typed once for every secretariat, and an export Excel cannot break, driven as a
user drives the dialogs: keys in the table, clicks on the buttons."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLineEdit

from kkr_desktop.services import members
from kkr_desktop.services.secretariat_settings import create_secretariat


def _type_into(qtbot, table, row: int, column: int, text: str) -> None:
    table.setFocus()
    table.setCurrentCell(row, column)
    qtbot.keyClick(table, Qt.Key.Key_F2)  # edit the cell, as a user does
    # The editor the key opened (a closed one may linger until Qt deletes it).
    editor = next(e for e in table.viewport().findChildren(QLineEdit) if e.isVisible())
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.item(row, column).text() == text)  # committed (queued)


def _row_of(table, code: int) -> int:
    return next(r for r in range(table.rowCount())
                if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == code)


def _save(qtbot, dialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_values_typed_for_one_secretariat_are_offered_to_the_next(qtbot, export_ready,
                                                                  messages):
    from kkr_desktop.ui.members_erp import ACCOUNT, CVR, EAN, OWN, MembersErpDialog

    store, sundhed = export_ready
    erhverv = create_secretariat(store, name="Erhvervshus Nordjylland", kkr="Nordjylland",
                                 first_year=2024)
    d = MembersErpDialog(store, erhverv)
    qtbot.addWidget(d)
    d.show()
    table = d.widget.table
    aalborg = _row_of(table, 851)
    # Nothing typed for Erhvervshus, yet the demo's values are there: typed once.
    assert table.item(aalborg, CVR).text() == "29189420"
    assert table.item(aalborg, EAN).text() == "5799999008511"
    assert d.widget.status.text() == "Alle medlemskommuner har CVR, EAN og kontostreng."

    # One wrong digit of Aalborg's CVR is caught while typing, and Gem stores nothing.
    _type_into(qtbot, table, aalborg, CVR, "29189421")
    assert table.item(aalborg, CVR).text() == "29189421", table.item(aalborg, CVR).text()
    assert "modulus 11" in table.item(aalborg, CVR).toolTip()
    _save(qtbot, d)
    assert d.isVisible() and "modulus 11" in messages[-1][1]
    assert {m.kommunekode: m.cvr for m in members.member_fields(store, erhverv)}[851] \
        == "29189420"

    # The right CVR, and an account string of Erhvervshus's own for Aalborg.
    _type_into(qtbot, table, aalborg, CVR, "2918 9420")
    _type_into(qtbot, table, aalborg, ACCOUNT, "6.45.51-ERHVERV")
    table.setCurrentCell(aalborg, OWN)
    qtbot.keyClick(table, Qt.Key.Key_Space)  # tick «Kun dette sekretariat»
    assert table.item(aalborg, OWN).checkState() == Qt.CheckState.Checked
    _save(qtbot, d)
    assert not d.isVisible()

    by_code = {m.kommunekode: m for m in members.member_fields(store, erhverv)}
    assert by_code[851].konto == "6.45.51-ERHVERV" and by_code[851].own
    sundhed_fields = {m.kommunekode: m for m in members.member_fields(store, sundhed.id)}
    assert sundhed_fields[851].konto == "DEMO 4.62.90-1-5.9"  # the shared value, untouched


def _export_dialog(qtbot, store, sec):
    from kkr_desktop.ui.export_dialog import ExportDialog

    d = ExportDialog(store, sec.id, 2024)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def test_the_dialog_warns_about_csv_in_excel_and_writes_an_xlsx(qtbot, export_ready, messages,
                                                                tmp_path, monkeypatch):
    from openpyxl import load_workbook

    store, sec = export_ready
    d = _export_dialog(qtbot, store, sec)
    assert d.excel_note.isVisible() and "5,8E+12" in d.excel_note.text()
    assert "Excel-projektmappe (.xlsx)" in d.excel_note.text()

    d.file_type.setFocus()
    qtbot.keyClick(d.file_type, Qt.Key.Key_Up)  # the workbook stands first in the list
    assert d.file_format() == "xlsx" and not d.excel_note.isVisible()
    asked = {}

    def save_as(parent, title, name, filters):
        asked.update(name=name, filters=filters)
        return str(tmp_path / name), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    qtbot.mouseClick(d.export_button, Qt.MouseButton.LeftButton)
    assert asked["name"] == "bidrag_2024_Det_fælleskommunale_Sundhedssekretariat.xlsx"
    assert asked["filters"].startswith("Excel-projektmappe (*.xlsx)")
    assert messages[-1][0] == "Eksporteret", messages[-1]
    ws = load_workbook(tmp_path / asked["name"]).active
    header = [c.value for c in ws[1]]
    ean = [row[header.index("EAN")] for row in ws.iter_rows(min_row=2)]
    assert len(ean) == 11
    assert all(c.data_type == "s" and c.number_format == "@" and len(c.value) == 13
               and c.value.isdigit() for c in ean)


def test_the_default_period_says_the_month_it_gives(qtbot, export_ready, messages):
    store, sec = export_ready
    d = _export_dialog(qtbot, store, sec)
    d.due.setDate(QDate(2024, 3, 15))
    assert d.period.itemText(0) == "Forfaldsdatoens måned (marts)"
    assert d.plan.lines[0].period == 3
    d.due.setDate(QDate(2025, 2, 1))  # billed after the year: booked in its last month
    assert d.period.itemText(0) == "December (forfaldsdatoen ligger efter 2024)"
    assert d.plan.lines[0].period == 12 and d.plan.lines[0].due == date(2025, 2, 1)


def test_window_messages_name_window_actions_not_commands(qtbot, no_erp_fields,
                                                          demo_secretariat, messages):
    from kkr_desktop.services import allocation

    store = no_erp_fields
    result = allocation.compute(store, demo_secretariat, 2024)
    allocation.save(store, demo_secretariat, 2024, result.allocation)
    d = _export_dialog(qtbot, store, demo_secretariat)
    said = d.warning.text() + d.details.toPlainText()
    assert "ERP-oplysninger…" in said
    assert "kkr-desktop" not in said and "--" not in said
