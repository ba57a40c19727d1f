"""Fordeling: «Gem fordeling» is off, with the reason, for an approved year (except the
efterregulering), and the form keeps its width when «Art» is switched."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.errors import LockedError
from kkr_desktop.services import allocation, approval, catalog
from kkr_desktop.services.rates import set_pl_rate

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))


def approved_tab(window):
    sec = catalog.secretariat(window.store, window.secretariat_id)
    set_pl_rate(window.store, 2024, final=Decimal("5.0"))  # so the adjustment can be computed
    approval.approve(window.store, sec, 2024, FACTS)
    window.refresh_navigator((sec.id, 2024))
    tab = window.allocation_tab
    window.tabs.setCurrentWidget(tab)
    tab.show_selection(sec.id, 2024)
    return tab, sec


def test_save_is_off_for_an_approved_year_and_says_why(window, messages):
    tab, _ = approved_tab(window)
    assert tab.allocation is not None and tab.allocation.kind is AllocationKind.CONTRIBUTION
    assert not tab.save_button.isEnabled()
    tip = tab.save_button.toolTip()
    assert tip.startswith("Fordelingen i den godkendte opgørelse er låst.")
    assert "godkendt af KKR Nordjylland den 12. marts 2024" in tip and "Ny revision" in tip
    assert tab.locked_note.isVisibleTo(tab) and tab.locked_note.text() == tip


@pytest.mark.parametrize("kind", list(AllocationKind))
def test_the_button_agrees_with_the_service_for_every_kind(window, messages, kind):
    tab, sec = approved_tab(window)
    tab.set_inputs(kind=kind)
    assert tab.allocation is not None
    try:
        allocation.save(window.store, sec, 2024, tab.allocation)
        saved = True
    except LockedError:
        saved = False
    assert tab.save_button.isEnabled() is saved
    assert saved is (kind is AllocationKind.ADJUSTMENT)


def test_save_is_on_for_a_year_that_is_not_approved(window):
    tab = window.allocation_tab
    window.tabs.setCurrentWidget(tab)
    assert tab.save_button.isEnabled()
    assert tab.save_button.toolTip() == "Den gemte fordeling bruges af eksport og dokumenter."
    assert tab.locked_note.isHidden()


def test_the_form_keeps_its_width_when_the_kind_is_switched(window, qtbot):
    tab = window.allocation_tab
    window.tabs.setCurrentWidget(tab)
    widths = set()
    for kind in AllocationKind:  # the adjustment fails (no final rate): a long notice
        tab.set_inputs(kind=kind)
        tab.layout().activate()
        widths.add((tab.save_button.parentWidget().width(), tab.table.x()))
    assert len(widths) == 1
