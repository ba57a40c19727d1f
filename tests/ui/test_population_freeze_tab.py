"""Folketal: the figures an approved allocation was keyed on are shown as not editable, with
the approval that keeps them as the tooltip."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.services import approval, catalog, population


def test_frozen_figures_are_not_editable_and_say_why(window, demo_store, demo_secretariat):
    approval.approve(demo_store, demo_secretariat, 2024,
                     ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand"),)))
    population.set_figure(demo_store, 773, "2024K1", 20_100)  # a quarter no approval uses
    document_id = approval.approval_for(demo_store, demo_secretariat.id, 2024).document_id
    tab = window.population_tab
    window.tabs.setCurrentWidget(tab)
    window.select(demo_secretariat.id, 2024)
    tab.show_selection(demo_secretariat.id, 2024)  # as the window does after a change
    model = tab.model

    def cell(quarter: str):
        tab.quarter.setCurrentIndex(tab.quarter.findData(quarter))
        row = next(i for i, (code, _) in enumerate(model.rows) if code == 773)
        return model.index(row, 1)

    frozen = cell("2020K1")
    assert not model.flags(frozen) & Qt.ItemFlag.ItemIsEditable
    tip = frozen.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Låst: folketallet pr. 1. kvt. 2020") and document_id in tip
    assert not model.setData(frozen, "20.300")
    assert catalog.population_figures(demo_store, "2020K1")[773].value == 20_247

    free = cell("2024K1")
    assert model.flags(free) & Qt.ItemFlag.ItemIsEditable
    assert free.data(Qt.ItemDataRole.ToolTipRole) is None
