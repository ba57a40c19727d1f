"""Filer → Kommunernes samlede opkrævning…: the preview per kommune and the write buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


def test_menu_opens_the_preview_and_writes_csv_then_asks_before_again(
        qtbot, export_ready, messages, monkeypatch, tmp_path):
    from kkr_desktop.core.money import format_amount
    from kkr_desktop.ui.bill_dialog import BillDialog

    store, sundhed = export_ready
    dialog = BillDialog(store, "Nordjylland", 2024)
    qtbot.addWidget(dialog)
    assert dialog.kommuner.rowCount() == 11
    aalborg = [dialog.kommuner.item(r, 0).text() for r in range(11)].index("851 Aalborg")
    dialog.kommuner.selectRow(aalborg)
    assert dialog.parts.rowCount() == 1
    assert dialog.parts.item(0, 1).text() == "Bidrag 2024"
    assert dialog.parts.item(0, 2).text() == format_amount(651_908_00, decimals=True)
    assert "ikke godkendt" in dialog.notice.text()

    assert dialog.write_to("csv", tmp_path / "bill.csv") is not None
    assert (tmp_path / "bill.csv").read_bytes().startswith(b"\xef\xbb\xbfkommunekode;")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or
                        QMessageBox.StandardButton.No)
    assert dialog.write_to("csv", tmp_path / "again.csv") is None
    assert len(asked) == 1 and not (tmp_path / "again.csv").exists()


def test_the_file_menu_has_the_entry(qtbot, window):
    titles = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Kommunernes samlede opkrævning…" in titles
