"""The ERP export dialog, the profiles dialog and the members' ERP fields, on the demo."""

from __future__ import annotations

import csv
import io

import pytest
from PySide6.QtCore import QDate, Qt

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.services import allocation as allocation_service
from kkr_desktop.services import members
from kkr_desktop.store import erp


@pytest.fixture
def saved(demo_store, demo_secretariat):
    for kind in (AllocationKind.CONTRIBUTION,):
        result = allocation_service.compute(demo_store, demo_secretariat, 2024, kind=kind)
        allocation_service.save(demo_store, demo_secretariat, 2024, result.allocation)
    return demo_store, demo_secretariat


def dialog_for(qtbot, store, sec):
    from kkr_desktop.ui.export_dialog import ExportDialog

    d = ExportDialog(store, sec.id, 2024)
    qtbot.addWidget(d)
    return d


@pytest.mark.usefixtures("no_erp_fields")
def test_missing_fields_are_listed_and_export_is_disabled(qtbot, saved, messages):
    store, sec = saved
    d = dialog_for(qtbot, store, sec)
    assert not d.export_button.isEnabled()
    assert "851 Aalborg: CVR-nummer mangler" in d.details.toPlainText()
    assert d.members_hint.text().startswith("11 af 11 kommuner mangler oplysninger.")


def test_preview_total_export_and_warning_on_re_export(qtbot, saved, messages, tmp_path,
                                                        monkeypatch):
    store, sec = saved
    members.load_demo_fields(store, sec.id)
    d = dialog_for(qtbot, store, sec)
    d.due.setDate(QDate(2024, 12, 31))
    assert d.export_button.isEnabled() and d.warning.text() == ""
    assert d.summary.text() == "11 kommuner, i alt 1.771.663,00 kr."
    assert d.preview.rowCount() == 5
    headers = [d.preview.horizontalHeaderItem(c).text() for c in range(d.preview.columnCount())]
    assert headers[:2] == ["kommunekode", "kommune"]
    assert d.preview.item(0, headers.index("forfaldsdato")).text() == "31-12-2024"
    target = tmp_path / "bidrag.csv"
    monkeypatch.setattr(d, "choose_target", lambda: target)
    d.export()
    assert messages[-1][0] == "Eksporteret" and target.exists()
    text = target.read_bytes().decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) == 12
    assert "første gang" in d.warning.text()

    asked: list[str] = []
    monkeypatch.setattr(d, "confirm_again", lambda w: asked.append(w) or False)
    d.export()
    assert asked and len(erp.exports(store, sec.id)) == 1
    monkeypatch.setattr(d, "confirm_again", lambda w: True)
    monkeypatch.setattr(d, "choose_target", lambda: tmp_path / "igen.csv")
    d.export()
    assert len(erp.exports(store, sec.id)) == 2


def test_per_kommune_from_the_dialog(qtbot, saved, messages, tmp_path):
    from kkr_desktop.ui.export_dialog import PER_KOMMUNE

    store, sec = saved
    members.load_demo_fields(store, sec.id)
    d = dialog_for(qtbot, store, sec)
    d.mode.button(PER_KOMMUNE).setChecked(True)
    result = d.export_to(tmp_path / "ud")
    assert result is not None and len(list((tmp_path / "ud").iterdir())) == 11


def test_no_stored_allocation_says_so(qtbot, demo_store, demo_secretariat, messages):
    d = dialog_for(qtbot, demo_store, demo_secretariat)
    assert "ingen gemt fordeling" in d.warning.text()


def test_profiles_dialog_copies_edits_and_refuses_bad_values(qtbot, demo_store, messages):
    from kkr_desktop.ui.profiles_dialog import ProfilesDialog

    d = ProfilesDialog(demo_store)
    qtbot.addWidget(d)
    assert not d.editor.isEnabled()  # the shipped profile
    assert d.copy("Opus")
    assert d.current.name == "Opus" and d.editor.isEnabled()
    d.decimal.setCurrentIndex(d.decimal.findData("."))
    d.columns.item(0, 0).setCheckState(Qt.CheckState.Unchecked)  # drop kommunekode
    d.columns.item(1, 1).setText("Navn")
    d.columns.setCurrentCell(1, 0)
    d.move(1)
    assert d.save()
    saved_profile = erp.profile(demo_store, "Opus")
    assert saved_profile.decimal_separator == "."
    assert [f for f, _ in saved_profile.columns][:2] == ["cvr", "kommune"]
    assert dict(saved_profile.columns)["kommune"] == "Navn"
    d.date_format.setCurrentText("mm/åå")
    assert not d.save() and "Datoformatet" in messages[-1][1]


@pytest.mark.usefixtures("no_erp_fields")
def test_members_widget_marks_bad_values_loads_a_file_and_saves(qtbot, demo_store,
                                                                demo_secretariat, messages):
    from kkr_desktop.paths import resources_dir
    from kkr_desktop.ui.members_erp import CVR, EAN, MembersErpWidget

    w = MembersErpWidget(demo_store, demo_secretariat.id)
    qtbot.addWidget(w)
    assert w.table.rowCount() == 11 and "Mangler før eksport" in w.status.text()
    assert w.load_file(str(resources_dir() / "erp_demo_nordjylland.csv"))
    assert "Alle medlemskommuner" in w.status.text()
    assert erp.member_fields(demo_store, demo_secretariat.id) == {}  # not before Gem
    w.table.item(0, EAN).setText("5798000000019")
    assert w.table.item(0, EAN).toolTip().startswith("EAN-nummeret")
    w.table.item(0, EAN).setText("5798000000018")
    w.table.item(1, CVR).setText("2918 9587")
    w.receivable.setText("9.22.05")
    w.save()
    stored = erp.member_fields(demo_store, demo_secretariat.id)
    assert stored[773].ean == "5798000000018" and stored[787].cvr == "29189587"
    assert erp.journal_accounts(demo_store, demo_secretariat.id)[0] == "9.22.05"


@pytest.mark.usefixtures("no_erp_fields")
def test_members_dialog_refuses_a_malformed_value(qtbot, demo_store, demo_secretariat,
                                                  messages):
    from kkr_desktop.ui.members_erp import CVR, MembersErpDialog

    d = MembersErpDialog(demo_store, demo_secretariat.id)
    qtbot.addWidget(d)
    d.widget.table.item(0, CVR).setText("123")
    d.accept()
    assert messages and "8 cifre" in messages[-1][1]
    assert erp.member_fields(demo_store, demo_secretariat.id) == {}


def test_main_window_menu_opens_the_export_dialog(window, monkeypatch):
    from kkr_desktop.ui import export_dialog

    opened = []
    monkeypatch.setattr(export_dialog.ExportDialog, "exec", lambda self: opened.append(self))
    export_dialog.open_export_dialog(window, window.store, window.secretariat_id, 2024)
    assert opened and opened[0].year == 2024


def test_the_due_date_and_booking_period_fit_the_year_billed(qtbot, export_ready, messages):
    """The suggested due date is not before the end of January of the year billed, and
    the period can be chosen; by default it is the due date's month within that year."""
    from datetime import date, timedelta

    from kkr_desktop.services.export import DUE_DAYS

    store, sec = export_ready
    d = dialog_for(qtbot, store, sec)
    expected = max(date.today() + timedelta(days=DUE_DAYS), date(2024, 1, 31))
    assert d.due.date() == QDate(expected.year, expected.month, expected.day)
    d.due.setDate(QDate(2024, 3, 15))
    assert {line.period for line in d.plan.lines} == {3}
    d.due.setDate(QDate(2023, 12, 20))  # before 2024: booked in its first month
    assert {line.period for line in d.plan.lines} == {1}
    d.period.setCurrentIndex(d.period.findData(6))
    assert {line.period for line in d.plan.lines} == {6} and d.plan.lines[0].year == 2024
