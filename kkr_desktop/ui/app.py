"""Starting the program's window: the QApplication, the database, the main window."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from kkr_desktop import APP_NAME, APP_TITLE, __version__
from kkr_desktop.paths import resources_dir

_TRANSLATOR = "kkr_qt_danish"  # object name: installed once however often application() runs


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    icon = resources_dir() / "icon.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_danish(app)
    return app


def install_danish(app: QApplication) -> QTranslator | None:
    """Danish for what Qt itself writes: «Ja»/«Nej»/«Annuller» on standard buttons, the
    editing context menus, and Danish dates and numbers in Qt's own widgets.

    Qt's translation qtbase_da.qm ships with PySide6 (and is kept in the installer). Without
    it Qt falls back to English, which is readable, so a missing file is not an error."""
    danish = QLocale(QLocale.Language.Danish, QLocale.Country.Denmark)
    QLocale.setDefault(danish)
    existing = app.findChild(QTranslator, _TRANSLATOR)
    if existing is not None:
        return existing
    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(danish, "qtbase", "_", folder):
        return None
    translator.setParent(app)  # owned by the app, so it lives as long as the app
    translator.setObjectName(_TRANSLATOR)
    app.installTranslator(translator)
    return translator


def run(db: Path | str | None, *, demo: bool) -> int:
    """Open the database and show the window; a database that cannot be opened is said in a
    dialog (and the program ends without touching it)."""
    from kkr_desktop.ui.open_checks import open_database_interactive

    if QApplication.instance() is None:
        from kkr_desktop.ui import qt_platform

        qt_platform.check()  # before Qt aborts for want of a display or X11 libraries
    app = application()
    if db is None and not demo:  # Indstillinger → Database may have chosen a server
        from kkr_desktop.ui.database_settings import saved_database

        db = saved_database()
    # Takes the single-writer lock; asks when another PC has the file open, when the last
    # session crashed, or when the file is damaged. None: the user cancelled or it failed
    # (and was told why: offscreen, on stderr).
    store = open_database_interactive(db, demo)
    if store is None:
        return 1
    from kkr_desktop.ui.after_open import AfterOpenChecks
    from kkr_desktop.ui.main_window import MainWindow

    window = MainWindow(store)
    # the integrity check, the day's backup and the day's chain walk, after the first paint
    window.after_open = AfterOpenChecks(window, store)
    if os.environ.get("KKR_BENCH_EXIT_AFTER_PAINT"):
        _exit_after_first_paint(app, window)
    window.show()
    code = app.exec()
    window.after_open.stop()  # a check still running is interrupted, its thread ended
    store.close()
    return code


def _exit_after_first_paint(app: QApplication, window) -> None:
    """For benchmarks/ and the frozen smoke test only (KKR_BENCH_EXIT_AFTER_PAINT=1): print
    the time of the window's first paint and quit. KKR_BENCH_T0 (time.time() at launch) makes
    the time count from the process start."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    t0 = float(os.environ.get("KKR_BENCH_T0") or 0) or None
    start = time.perf_counter()

    class FirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and obj.isWidgetType() \
                    and obj.window() is window:
                app.removeEventFilter(self)
                QTimer.singleShot(0, done)  # after the whole first frame
            return False

    def done() -> None:
        since = f"{time.time() - t0:.3f} s from launch, " if t0 else ""
        danish = app.findChild(QTranslator, _TRANSLATOR) is not None
        shown = type(window.pages.currentWidget()).__name__  # WelcomePage on an empty db
        print(f"first paint: {since}{time.perf_counter() - start:.3f} s after show(); "
              f"Qt translation: {'da' if danish else 'none'}; page: {shown}", flush=True)
        window.close()
        app.quit()

    window._first_paint_filter = FirstPaint(window)  # kept alive with the window
    app.installEventFilter(window._first_paint_filter)
