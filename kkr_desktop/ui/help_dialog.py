"""Hjælp → Vejledning: a short Danish guide to the year's cycle, shipped as HTML in
resources/help, with a table of the keyboard shortcuts read from the window's own actions
(its menus and the statement table's right-click menu), so the table cannot drift from
what the keys do."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QMenuBar,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.paths import resources_dir

GUIDE = "vejledning.html"
PLACEHOLDER = "<!-- SHORTCUTS -->"


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _keys(action: QAction) -> str:
    return " eller ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                          for k in action.shortcuts() if not k.isEmpty())


def menu_shortcuts(menu: QMenu, where: str) -> list[tuple[str, str, str]]:
    """(where, action, keys) of every action in `menu` and its submenus with a shortcut."""
    rows = []
    for action in menu.actions():
        if action.menu() is not None:
            rows += menu_shortcuts(action.menu(), f"{where} → {_plain(action.text())}")
        elif _keys(action):
            rows.append((where, _plain(action.text()), _keys(action)))
    return rows


def shortcut_rows(bar: QMenuBar, table_menu: QMenu | None = None) -> list[tuple[str, str, str]]:
    """The shortcuts of the menu bar's menus, then those of the table's right-click menu."""
    rows = []
    for action in bar.actions():
        if action.menu() is not None:
            rows += menu_shortcuts(action.menu(), _plain(action.text()))
    if table_menu is not None:
        # Fortryd is in both; a key is listed once, where the menu bar has it.
        known = {keys for _where, _text, keys in rows}
        rows += [r for r in menu_shortcuts(table_menu, "Tabellen (højreklik)")
                 if r[2] not in known]
    return rows


def shortcut_table(rows: list[tuple[str, str, str]]) -> str:
    cells = "".join(
        f"<tr><td><b>{escape(keys)}</b></td><td>{escape(text)}</td>"
        f"<td style='color:#555'>{escape(where)}</td></tr>" for where, text, keys in rows)
    return ("<table cellspacing='0' cellpadding='3' border='1' style='border-collapse:"
            "collapse'><tr><th align='left'>Tast</th><th align='left'>Handling</th>"
            f"<th align='left'>Menu</th></tr>{cells}</table>")


def guide_html(rows: list[tuple[str, str, str]]) -> str:
    text = (resources_dir() / "help" / GUIDE).read_text(encoding="utf-8")
    return text.replace(PLACEHOLDER, shortcut_table(rows))


class HelpDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Vejledning")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(guide_html(rows))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Luk")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(760, 640)
