"""Two PCs on one KKR's server at once: the window here (officer 1), the command line in a
second process with its own home folder, settings and login name (officer 2).

The window is opened on the server's URL the way the program opens it at start (ui/app.py:
open_database_interactive, then MainWindow). The other PC exports the statement, changes a
post and imports it, then approves the statement; the window's poll (driven here, not
waited for) shows each change in place and becomes read-only after the approval, and the
window's own save of a post the other PC changed since is refused, naming the other
officer and their server login."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ui_helpers import cell_text, col_of, row_of

from kkr_desktop.cli import main as cli
from kkr_desktop.core.statement import Column, Kind
from kkr_desktop.ui.frozen_cells import LOCKED
from kkr_desktop.ui.open_checks import open_database_interactive

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def other_pc(kkr_server, tmp_path):
    """Runs the command line as the second PC: its own HOME and settings, login name «bo»
    on the PC and the second officer's login on the server."""
    login, names = kkr_server
    home = tmp_path / "pc2"
    (home / ".config").mkdir(parents=True)
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_DATA_HOME": str(home / ".local" / "share"), "APPDATA": str(home),
           "LOCALAPPDATA": str(home), "USER": "bo", "LOGNAME": "bo", "USERNAME": "bo",
           "PYTHONPATH": str(ROOT)}

    def run(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "kkr_desktop", "--db", login(names[1]),
                               *args], cwd=home, env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        return done.stdout

    def change(post: str, old: str, new: str) -> None:
        csv = home / "opgørelse.csv"
        run("statement", "export", "--secretariat", "sundhed", "--year", "2024", "-o",
            str(csv))
        rows = csv.read_text(encoding="utf-8-sig").splitlines()
        prefix = f"Det fælleskommunale Sundhedssekretariat;2024;{post};udgift;;{old};"
        [i] = [i for i, row in enumerate(rows) if row.startswith(prefix)]
        rows[i] = rows[i].replace(f";{old};", f";{new};", 1)
        csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
        run("statement", "import", str(csv))

    run.change = change
    run.server_login = names[1]
    return run


def test_the_window_and_the_command_line_on_two_pcs(qtbot, kkr_server, other_pc, settings,
                                                     messages):
    from kkr_desktop.ui.main_window import MainWindow

    login, names = kkr_server
    assert cli(["--db", login(names[0]), "init", "--demo"]) == 0
    store = open_database_interactive(login(names[0]), False, settings=settings)
    assert store is not None and store.backend == "postgresql"
    window = MainWindow(store, settings=settings)  # as ui/app.py: run does
    qtbot.addWidget(window)
    window.resize(1400, 850)
    window.show()
    qtbot.waitExposed(window)
    try:
        _work_together(window, other_pc, messages)
    finally:
        window.live.stop()
        window.close()
        store.close()


def _work_together(window, other_pc, messages) -> None:
    tab = window.statement_tab
    assert window.year == 2024
    bo = f"bo ({other_pc.server_login})"
    loen = row_of(tab.model, "Løn")
    assert cell_text(tab.model, loen, Column.BUDGET, Kind.EXPENSE) == "1.509.563"

    # (a)+(b) the other PC changes a post: the next poll shows it in place
    other_pc.change("Løn", "1.509.563", "1.700.000")
    window.live.poll()
    assert cell_text(tab.model, loen, Column.BUDGET, Kind.EXPENSE) == "1.700.000"
    assert window.statusBar().currentMessage().startswith(
        f"Opdateret: {bo} ændrede «Løn», budget 2024 fra 1.509.563,00 til 1.700.000,00 kl. ")

    # (c) the other PC changes Husleje; this window, not yet polled, saves it: refused
    other_pc.change("Husleje", "37.618", "40.000")
    husleje = row_of(tab.model, "Husleje")
    index = tab.model.index(husleje, col_of(Column.BUDGET, Kind.EXPENSE))
    assert cell_text(tab.model, husleje, Column.BUDGET, Kind.EXPENSE) == "37.618"
    assert not tab.model.setData(index, "41.000", Qt.ItemDataRole.EditRole)
    [(title, text)] = messages
    assert title == "Ændret af en anden"
    assert text.startswith(f"Ændringen er ikke gemt: {bo} ændrede «Husleje», budget 2024 fra "
                           "37.618,00 til 40.000,00 kl. ")
    assert cell_text(tab.model, husleje, Column.BUDGET, Kind.EXPENSE) == "40.000"

    # (a)+(b) the other PC approves: the next poll makes the statement read-only in place
    assert tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    other_pc("approve", "--secretariat", "sundhed", "--year", "2024", "--body",
             "KKR Nordjylland", "--date", "12-03-2024", "--case", "2.4", "--signatory",
             "Thomas Kastrup-Larsen, Formand for KKR Nordjylland")
    window.live.poll()
    assert tab.model.locked and tab.banner.isVisible()
    assert tab.banner.text().startswith("Godkendt af KKR Nordjylland den 12. marts 2024")
    assert window.statusBar().currentMessage().startswith(
        f"Opdateret: {bo} godkendte opgørelsen for 2024 kl. ")
    assert not tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    tab.table.setCurrentIndex(index)
    tab.table.setFocus()
    QTest.keyClicks(tab.table, "1000")
    assert window.statusBar().currentMessage() == LOCKED
