"""The real window on a temporary demo database, with message boxes recorded, not shown."""

from __future__ import annotations

import pytest


@pytest.fixture
def messages(monkeypatch):
    """Every message the window would show in a dialog: (title, text)."""
    from kkr_desktop.ui import errors

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(errors, "_show", lambda parent, icon, title, text:
                        shown.append((title, text)))
    return shown


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def open_window(qtbot, store, settings):
    """The main window on `store`, shown at 1400×850."""
    from kkr_desktop.ui.main_window import MainWindow

    w = MainWindow(store, settings=settings)
    qtbot.addWidget(w)
    w.resize(1400, 850)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def window(qtbot, demo_store, settings, messages):
    return open_window(qtbot, demo_store, settings)


@pytest.fixture
def empty_window(qtbot, store, settings, messages):
    """The window on a new, empty database."""
    return open_window(qtbot, store, settings)
