"""The navigator: every year shown while the tree is small; on a large file only the chosen
secretariat's years, the others open when clicked."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kkr_desktop.core.allocation import Unit
from kkr_desktop.services.catalog import TreeNode
from kkr_desktop.store.secretariats import Secretariat
from kkr_desktop.ui.navigator import EXPAND_ALL_UP_TO, Navigator

KEY = Qt.ItemDataRole.UserRole


def nodes(secretariats: int, years: int) -> list[TreeNode]:
    return [TreeNode(f"KKR {i % 5}", Secretariat(i, f"Sekretariat {i:02d}", i % 5, f"{i % 5}",
                                                  None, Unit.KR),
                     list(range(2024 - years + 1, 2025)))
            for i in range(1, secretariats + 1)]


def secretariat_items(nav: Navigator):
    for k in range(nav.topLevelItemCount()):
        kkr = nav.topLevelItem(k)
        assert kkr.isExpanded()
        for s in range(kkr.childCount()):
            yield kkr.child(s)


def test_a_small_tree_shows_every_year(qtbot):
    nav = Navigator()
    qtbot.addWidget(nav)
    nav.rebuild(nodes(3, 4), (2, 2023))
    assert all(item.isExpanded() for item in secretariat_items(nav))
    assert nav.current_key() == (2, 2023)


def test_a_large_tree_shows_the_chosen_secretariats_years_and_opens_others_on_a_click(qtbot):
    big = nodes(50, 20)
    assert sum(len(n.years) + 1 for n in big) > EXPAND_ALL_UP_TO
    nav = Navigator()
    qtbot.addWidget(nav)
    chosen = []
    nav.selected.connect(lambda sid, year: chosen.append((sid, year)))
    nav.rebuild(big, (7, 2020))
    assert nav.current_key() == (7, 2020) and chosen == [(7, 2020)]
    expanded = [item.data(0, KEY)[0] for item in secretariat_items(nav) if item.isExpanded()]
    assert expanded == [7]
    other = next(item for item in secretariat_items(nav) if item.data(0, KEY)[0] == 12)
    nav.setCurrentItem(other)
    assert other.isExpanded() and chosen[-1] == (12, 2024)  # its newest year


def test_a_large_tree_makes_a_closed_secretariats_years_when_it_is_opened(qtbot):
    nav = Navigator()
    qtbot.addWidget(nav)
    nav.rebuild(nodes(50, 20), (7, 2020))
    other = next(item for item in secretariat_items(nav) if item.data(0, KEY)[0] == 30)
    assert other.childCount() == 0  # not made yet, but it shows that it can be opened
    assert other.childIndicatorPolicy() == other.ChildIndicatorPolicy.ShowIndicator
    nav.expandItem(other)  # the arrow
    years = [other.child(i).data(0, KEY) for i in range(other.childCount())]
    assert years == [(30, y) for y in range(2024, 2004, -1)]
    nav.collapseItem(other)
    nav.expandItem(other)
    assert other.childCount() == 20  # made once
