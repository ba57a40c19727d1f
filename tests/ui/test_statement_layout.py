"""The statement table fits the window: every amount column is fully visible and wide enough
for its figures at the usual laptop and default window sizes, scrollbar or not."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication
from ui_helpers import col_of, row_of

from kkr_desktop.core.statement import Column, Kind
from kkr_desktop.ui.statement_model import FIRST_AMOUNT, NAME


def _settle(qtbot) -> None:
    qtbot.wait(50)  # layout and header updates are posted events


def _add_lines(window, qtbot, count: int) -> None:
    tab = window.statement_tab
    for _ in range(count):
        tab.add_line()
        tab.table.closePersistentEditor(tab.table.currentIndex())
    _settle(qtbot)


def _add_lines_until_it_scrolls(window, qtbot) -> None:
    """New posts until the vertical scrollbar appears: how many depends on the font."""
    table = window.statement_tab.table
    for _ in range(40):
        if table.verticalScrollBar().isVisible():
            return
        _add_lines(window, qtbot, 1)


def _widest(table, col: int) -> int:
    model = table.model()
    widest = 0
    for row in range(model.rowCount()):
        index = model.index(row, col)
        font = index.data(Qt.ItemDataRole.FontRole)  # the I alt rows are bold
        fm = QFontMetrics(font) if isinstance(font, QFont) else table.fontMetrics()
        widest = max(widest, fm.horizontalAdvance(index.data() or ""))
    return widest


def assert_amounts_visible(table) -> None:
    header = table.horizontalHeader()
    viewport = table.viewport().width()
    for col in range(FIRST_AMOUNT, table.model().columnCount()):
        left = header.sectionViewportPosition(col)
        right = left + header.sectionSize(col)
        assert 0 <= left and right <= viewport, (col, left, right, viewport)
        assert header.sectionSize(col) >= _widest(table, col), col
    assert not table.horizontalScrollBar().isVisible()


@pytest.mark.parametrize("size", [(1366, 768), (1400, 860)])
def test_amount_columns_fit_with_a_scrollbar(window, qtbot, size):
    window.resize(*size)
    _settle(qtbot)
    _add_lines_until_it_scrolls(window, qtbot)  # without the window changing size
    table = window.statement_tab.table
    assert table.verticalScrollBar().isVisible()
    assert_amounts_visible(table)
    # The name column has what is left and shows the full name in a tooltip.
    assert table.columnWidth(NAME) >= table.fontMetrics().horizontalAdvance("M" * 10)
    model = table.model()
    name = model.index(0, NAME)
    assert name.data(Qt.ItemDataRole.ToolTipRole) == name.data()


def test_columns_follow_the_window_when_it_is_resized(window, qtbot):
    _add_lines(window, qtbot, 4)
    table = window.statement_tab.table
    for size in [(1400, 860), (1280, 720), (1366, 768)]:
        window.resize(*size)
        _settle(qtbot)
        assert_amounts_visible(table)
        header = table.horizontalHeader()
        last = table.model().columnCount() - 1
        # No gap either: the name column takes up the rest of the viewport.
        assert header.sectionViewportPosition(last) + header.sectionSize(last) \
            == table.viewport().width()


def test_a_wide_amount_widens_its_column(window, qtbot):
    window.resize(1366, 768)
    _settle(qtbot)
    model = window.statement_tab.model
    col = col_of(Column.BUDGET, Kind.EXPENSE)
    assert model.setData(model.index(row_of(model, "Husleje"), col), "12.345.678,90")
    _settle(qtbot)
    assert_amounts_visible(window.statement_tab.table)


def test_with_larger_text_every_column_can_be_scrolled_into_view(window, qtbot):
    """Windows' «Gør tekst større» (or a large font) on a 1280×720 screen: the columns do
    not all fit. Post keeps room for ten letters, and the horizontal scrollbar reaches the
    last amount column; before, Post shrank to nothing and the last column was cut off."""
    app = QApplication.instance()
    normal = app.font()
    larger = QFont(normal)
    larger.setPointSizeF(normal.pointSizeF() * 1.5)
    app.setFont(larger)
    try:
        _settle(qtbot)  # the font reaches the widgets through posted events
        window.statement_tab.reload()
        window.resize(1280, 720)
        _settle(qtbot)
        table = window.statement_tab.table
        header = table.horizontalHeader()
        assert table.columnWidth(NAME) >= table.fontMetrics().horizontalAdvance("M" * 10)
        bar = table.horizontalScrollBar()
        assert bar.isVisible()
        bar.setValue(bar.maximum())
        _settle(qtbot)
        last = table.model().columnCount() - 1
        assert header.sectionViewportPosition(last) + header.sectionSize(last) \
            <= table.viewport().width()
        # and back at a size where everything fits, Post stretches again and nothing scrolls
        app.setFont(normal)
        _settle(qtbot)
        window.statement_tab.reload()
        window.resize(1400, 860)
        _settle(qtbot)
        assert_amounts_visible(table)
    finally:
        app.setFont(normal)
