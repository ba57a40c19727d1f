"""Starting the program's window: the QApplication, the database, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kkr_desktop import APP_NAME, APP_TITLE, __version__
from kkr_desktop.core.errors import KkrError
from kkr_desktop.ui import errors


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    return app


def run(db: Path | None, *, demo: bool) -> int:
    """Open the database and show the window; a database that cannot be opened is said in a
    dialog (and the program ends without touching it)."""
    from kkr_desktop.services.setup import open_for_use

    app = application()
    try:
        store = open_for_use(db, demo=demo)
    except (KkrError, OSError) as exc:
        errors.show_error(None, exc)
        return getattr(exc, "exit_code", 1)
    from kkr_desktop.ui.main_window import MainWindow

    window = MainWindow(store)
    window.show()
    code = app.exec()
    store.close()
    return code
