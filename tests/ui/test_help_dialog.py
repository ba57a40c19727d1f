"""Hjælp → Vejledning: the guide inside the program, and its table of shortcuts read from
the window's own actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence


def help_action(window) -> QAction:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Hjælp")
    return next(a for a in menu.actions() if a.text() == "Vejledning")


def test_the_help_menu_opens_the_guide_to_the_year(window, qtbot):
    help_action(window).trigger()
    dialog = window.help_dialog
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.browser.toPlainText()
    for topic in ("Budget", "Regnskab", "PL-satser", "Fordeling", "Godkendelse", "Udskrift",
                  "ERP", "Kommunernes samlede opkrævning"):
        assert topic in text, topic
    assert dialog.windowTitle() == "Vejledning"


def test_f1_opens_the_guide_and_its_shortcuts_are_the_window_s_own(window, qtbot):
    window.activateWindow()
    window.statement_tab.table.setFocus()
    qtbot.keyClick(window.statement_tab.table, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: getattr(window, "help_dialog", None) is not None
                    and window.help_dialog.isVisible())
    text = window.help_dialog.browser.toPlainText()
    for keys, action in (("Ctrl+C", "Kopiér"), ("Ctrl+V", "Indsæt"), ("Ctrl+Z", "Fortryd"),
                         ("Ctrl+N", "Ny post"), ("F1", "Vejledning"), ("Ctrl+E",
                                                                        "Eksportér til ERP")):
        assert f"{keys}\n{action}" in text or f"{keys}\t{action}" in text, (keys, text)
    assert text.count("Ctrl+Z\n") + text.count("Ctrl+Z\t") == 1  # each key once


def test_a_new_shortcut_in_a_menu_appears_in_the_guide(window, qtbot):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Vis")
    extra = QAction("Prøvevisning", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+P"))
    menu.addAction(extra)
    window.open_help()
    assert "Ctrl+Alt+P" in window.help_dialog.browser.toPlainText()
