"""The export dialog on the demo: a stale saved allocation is shown and must be confirmed;
a draft statement is noted; amounts are right-aligned and dates Danish."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.services import allocation as allocation_service
from kkr_desktop.services import statements
from kkr_desktop.store import erp

STALE = ("Den gemte fordeling af bidraget (1.771.663 kr.) svarer ikke til bidraget i budget "
         "2024 (1.800.000 kr.).")


def dialog_for(qtbot, store, sec):
    from kkr_desktop.ui.export_dialog import ExportDialog

    d = ExportDialog(store, sec.id, 2024)
    qtbot.addWidget(d)
    d.due.setDate(QDate(2024, 12, 31))
    d.show()
    return d


def test_a_current_allocation_shows_only_the_draft_note(qtbot, export_ready, messages):
    d = dialog_for(qtbot, *export_ready)
    assert d.stale.isHidden() and d.force.isHidden()
    assert d.draft.isVisible()
    assert d.draft.text().startswith("Budget 2024 er ikke godkendt endnu:")
    assert d.export_button.isEnabled()


def test_a_stale_allocation_is_shown_and_exported_only_when_confirmed(qtbot, export_ready, messages,
                                                                       tmp_path, monkeypatch):
    store, sec = export_ready
    statements.set_line_field(store, sec.id, 2024, "Indkrævet hos kommunerne", "budget",
                              1_800_000_00)
    d = dialog_for(qtbot, store, sec)
    assert d.stale.isVisible() and d.stale.text().startswith(STALE)
    assert "Gem fordelingen igen under fanen Fordeling" in d.stale.text()
    assert d.force.isVisible() and not d.force.isChecked()
    assert not d.export_button.isEnabled()
    monkeypatch.setattr(d, "choose_target", lambda: tmp_path / "bidrag.csv")
    d.export()  # e.g. Enter pressed: still nothing written
    assert erp.exports(store, sec.id) == [] and not (tmp_path / "bidrag.csv").exists()

    d.force.setChecked(True)
    assert d.export_button.isEnabled()
    d.export()
    assert messages[-1][0] == "Eksporteret" and "1.771.663,00 kr." in messages[-1][1]
    assert len(erp.exports(store, sec.id)) == 1


def test_resaving_and_refreshing_clears_the_stale_box(qtbot, export_ready, messages):
    store, sec = export_ready
    statements.set_line_field(store, sec.id, 2024, "Indkrævet hos kommunerne", "budget",
                              1_800_000_00)
    d = dialog_for(qtbot, store, sec)
    d.force.setChecked(True)
    result = allocation_service.compute(store, sec, 2024)
    allocation_service.save(store, sec, 2024, result.allocation)
    d.refresh()
    assert d.stale.isHidden() and not d.force.isChecked()
    assert d.summary.text() == "11 kommuner, i alt 1.800.000,00 kr."


def test_amounts_are_right_aligned_and_the_due_date_danish(qtbot, export_ready, messages):
    d = dialog_for(qtbot, *export_ready)
    headers = [d.preview.horizontalHeaderItem(c).text() for c in range(d.preview.columnCount())]
    amount = headers.index("beløb")
    align = Qt.AlignmentFlag(d.preview.item(0, amount).textAlignment())
    assert align & Qt.AlignmentFlag.AlignRight
    name_align = Qt.AlignmentFlag(d.preview.item(0, headers.index("kommune")).textAlignment())
    assert not name_align & Qt.AlignmentFlag.AlignRight
    assert d.due.text() == "31. december 2024"


def test_the_adjustment_without_a_final_rate_points_to_the_window(qtbot, demo_store,
                                                                  demo_secretariat):
    from kkr_desktop.ui.allocation_tab import AllocationTab

    tab = AllocationTab(demo_store)
    qtbot.addWidget(tab)
    tab.show_selection(demo_secretariat.id, 2024)
    tab.set_inputs(kind=AllocationKind.ADJUSTMENT)
    assert "Rediger → PL-satser…" in tab.notice.text()
    assert "(pl set" not in tab.notice.text()
