"""The tab "Udvikling": budget and regnskab totals and the contribution, year by year.

QtCharts is imported when the tab is first shown, so the window opens without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kkr_desktop.core.money import format_amount, format_count
from kkr_desktop.services import catalog

SERIES = (
    ("Budget, udgifter i alt", "budget_expenses", "#4e79a7"),
    ("Regnskab, udgifter i alt", "actual_expenses", "#f28e2b"),
    ("Bidrag (indkrævet), budget", "budget_contribution", "#59a14f"),
    ("Bidrag (indkrævet), regnskab", "actual_contribution", "#9c755f"),
)

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store


class ChartTab(QWidget):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.secretariat_id: int | None = None
        self.chart_view = None
        self.empty = QLabel("Vælg et sekretariat for at se udviklingen over årene.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table_label = QLabel()
        self.table_label.setTextFormat(Qt.TextFormat.RichText)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.empty)
        self.layout_.addWidget(self.table_label)

    def show_selection(self, secretariat_id: int | None, year: int | None) -> None:
        self.secretariat_id = secretariat_id
        if self.isVisible():
            self.redraw()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.redraw()

    def redraw(self) -> None:
        from PySide6.QtCharts import (
            QBarCategoryAxis,
            QBarSeries,
            QBarSet,
            QCategoryAxis,
            QChart,
            QChartView,
            QValueAxis,
        )

        figures = (catalog.year_figures(self.store, self.secretariat_id)
                   if self.secretariat_id is not None else [])
        self.empty.setVisible(not figures)
        if self.chart_view is None:
            self.chart_view = QChartView()
            self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.chart_view.setMinimumHeight(300)
            self.layout_.insertWidget(0, self.chart_view, 1)
        self.chart_view.setVisible(bool(figures))
        if not figures:
            self.table_label.clear()
            return
        chart = QChart()
        sec = catalog.secretariat(self.store, self.secretariat_id)  # type: ignore[arg-type]
        chart.setTitle(f"{sec.name}: udvikling pr. år")
        series = QBarSeries()
        top = 0
        for label, attr, colour in SERIES:
            bar = QBarSet(label)
            bar.setColor(colour)
            for f in figures:
                # In 1.000 kr., for drawing only: the exact figures are in the table below.
                thousands = (getattr(f, attr) or 0) // 100_000
                top = max(top, thousands)
                bar.append(thousands)
            series.append(bar)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([str(f.year) for f in figures])
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        # QValueAxis formats its labels printf-style, without a thousands separator; the
        # nice range it finds is drawn by a category axis whose labels are Danish numbers.
        nice = QValueAxis()
        nice.setRange(0, max(top, 1))
        nice.applyNiceNumbers()
        axis_y = QCategoryAxis()
        axis_y.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        axis_y.setStartValue(0)
        for value in axis_ticks(int(nice.min()), int(nice.max()), nice.tickCount()):
            axis_y.append(format_count(value), value)
        axis_y.setRange(nice.min(), nice.max())
        axis_y.setTitleText("1.000 kr.")
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view.setChart(chart)
        self.table_label.setText(_table(figures))


def axis_ticks(low: int, high: int, count: int) -> list[int]:
    """The values of `count` evenly spaced ticks from `low` to `high`, whole numbers."""
    if count < 2 or high <= low:
        return [low]
    return [low + (high - low) * i // (count - 1) for i in range(count)]


def _table(figures) -> str:
    """The exact figures under the chart. Every cell, År included, has the same padding so the
    rows line up; figures and their headers are right-aligned, the year left-aligned."""
    def cell(tag: str, text: str, align: str) -> str:
        return f"<{tag} align='{align}' valign='middle' style='{_PADDING}'>{text}</{tag}>"

    head = cell("th", "År", "left") + "".join(cell("th", label, "right")
                                              for label, _, _ in SERIES)
    rows = [cell("td", str(f.year), "left")
            + "".join(cell("td", format_amount(getattr(f, attr), blank="–"), "right")
                      for _, attr, _ in SERIES)
            for f in figures]
    return "<table cellspacing='0'>" + "".join(f"<tr>{r}</tr>" for r in [head, *rows]) \
        + "</table>"


_PADDING = "padding:2px 10px"
