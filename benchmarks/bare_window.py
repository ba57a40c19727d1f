"""The floor for the window's first paint: a bare PySide6 window of the same shape as the
program's (menu bar, a tree on the left, four tabs, a table of 30 rows × 5 columns, a status
bar, 1400×860), with no database and no program code. It quits after its first paint, as
the program does under KKR_BENCH_EXIT_AFTER_PAINT=1, so timing both whole processes compares
the program's start with what Qt itself costs.

    python benchmarks/bare_window.py
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("KKR Budget og Regnskab")
    for title in ("Filer", "Rediger", "Regnskab", "Fordeling", "Hjælp"):
        menu = window.menuBar().addMenu(title)
        for i in range(6):
            menu.addAction(f"{title} {i}")
    tree = QTreeWidget()
    tree.setHeaderHidden(True)
    for k in range(5):
        kkr = QTreeWidgetItem([f"KKR {k}"])
        for s in range(10):
            kkr.addChild(QTreeWidgetItem([f"Sekretariat {s:02d}"]))
        tree.addTopLevelItem(kkr)
    tree.expandAll()
    table = QTableWidget(30, 5)
    table.setHorizontalHeaderLabels(["Post", "Budget 2023", "Regnskab 2023", "Budget 2024",
                                     "Note"])
    for r in range(30):
        table.setItem(r, 0, QTableWidgetItem(f"Post nummer {r}"))
        for c in range(1, 4):
            table.setItem(r, c, QTableWidgetItem(f"{(r + 1) * 12_345 * c:,}".replace(",", ".")))
    tabs = QTabWidget()
    tabs.addTab(table, "Regnskab og budget")
    for name in ("Fordeling", "Folketal", "Udvikling"):
        tabs.addTab(QWidget(), name)
    splitter = QSplitter()
    splitter.addWidget(tree)
    splitter.addWidget(tabs)
    splitter.setStretchFactor(1, 1)
    window.setCentralWidget(splitter)
    window.statusBar().showMessage("Klar")
    window.resize(1400, 860)

    class FirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and obj.isWidgetType() \
                    and obj.window() is window:
                app.removeEventFilter(self)
                QTimer.singleShot(0, lambda: (window.close(), app.quit()))
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
