"""Hand edits of population figures and their undo (the window's Ctrl+Z calls these)."""

from __future__ import annotations

import pytest

from kkr_desktop.core.errors import InputError
from kkr_desktop.services import catalog, population


def test_a_hand_edit_returns_what_it_replaced_and_restore_puts_it_back(demo_store):
    before = catalog.population_figures(demo_store, "2020K1")[773]  # Morsø, from DST
    assert before.value == 20_247 and "Danmarks Statistik" in before.source
    old = population.set_figure(demo_store, 773, "2020K1", 20_300)
    assert old == before
    edited = catalog.population_figures(demo_store, "2020K1")[773]
    assert edited.value == 20_300 and edited.source == "Rettet i hånden"
    population.restore_figure(demo_store, 773, "2020K1", old)
    assert catalog.population_figures(demo_store, "2020K1")[773] == before


def test_restoring_a_figure_that_was_missing_removes_it(demo_store):
    assert 773 not in catalog.population_figures(demo_store, "2024K1")
    old = population.set_figure(demo_store, 773, "2024k1", 20_100)
    assert old is None
    assert catalog.population_figures(demo_store, "2024K1")[773].value == 20_100
    population.restore_figure(demo_store, 773, "2024K1", old)
    assert 773 not in catalog.population_figures(demo_store, "2024K1")
    assert "2024K1" not in catalog.quarters(demo_store)


def test_a_refused_hand_edit_changes_nothing(demo_store):
    before = catalog.population_figures(demo_store, "2020K1")
    with pytest.raises(InputError, match="negativt"):
        population.set_figure(demo_store, 773, "2020K1", -1)
    with pytest.raises(InputError, match="Kommunekode 999 findes ikke"):
        population.set_figure(demo_store, 999, "2020K1", 1)
    assert catalog.population_figures(demo_store, "2020K1") == before
