"""About: the version and where the database lives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from kkr_desktop import APP_TITLE, __version__

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store


class AboutDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Om {APP_TITLE}")
        where = store.where if store.path or store.url else "i hukommelsen (ikke gemt)"
        text = QLabel(
            f"<h3>{APP_TITLE}</h3>"
            f"<p>Version {__version__}</p>"
            "<p>Budget, regnskab og fordelingsnøgler for KKR's fælleskommunale "
            "sekretariater.</p>"
            f"<p><b>Database:</b> {where}<br>"
            f"<b>Skemaversion:</b> {store.schema_version}</p>"
            f"<p style='color:#666'>PySide6 {pyside_version}</p>")
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.text = text
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Luk")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(520, 260)
