"""Indstillinger → Database: a file on this PC (SQLite) or a KKR's server (PostgreSQL).

The choice is saved in QSettings (`database/backend`, `database/server`: the URL without a
password) and used at the next start (ui/app.py: saved_database). The password goes to the
OS keyring only, and only when «Husk adgangskoden …» is ticked.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.errors import KkrError
from kkr_desktop.services import connection

BACKEND = "database/backend"  # "sqlite" or "postgresql"
SERVER = "database/server"  # postgresql://user@host:port/database, never with a password
FILE_CHOICE = "En fil på denne pc (SQLite)"
SERVER_CHOICE = "En server (PostgreSQL)"
REMEMBER = "Husk adgangskoden i Windows' legitimationsadministrator"


def saved_database(settings: QSettings | None = None) -> str | None:
    """The server URL to open at start, or None for the file (the default)."""
    s = settings if settings is not None else QSettings()
    url = str(s.value(SERVER, "") or "")
    if s.value(BACKEND, "sqlite") == "postgresql" and connection.is_server_url(url):
        return url
    return None


class DatabasePage(QWidget):
    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else QSettings()
        self.file_choice = QRadioButton(FILE_CHOICE)
        self.server_choice = QRadioButton(SERVER_CHOICE)
        group = QButtonGroup(self)
        group.addButton(self.file_choice)
        group.addButton(self.server_choice)
        self.host = QLineEdit()
        self.host.setPlaceholderText("fx kkr-db.aalborg.dk")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("kkr")
        self.user = QLineEdit()
        self.user.setPlaceholderText("dit brugernavn på serveren")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("gemmes ikke i indstillingerne")
        self.remember = QCheckBox(REMEMBER)
        self.test_button = QPushButton("Test forbindelsen")
        self.test_button.clicked.connect(self.test)
        self.result = QLabel()
        self.result.setWordWrap(True)

        url = str(self.settings.value(SERVER, "") or "")
        if connection.is_server_url(url):
            address = connection.address_of(url)
            self.host.setText(address.host)
            self.port.setValue(address.port)
            self.database.setText(address.database)
            self.user.setText(address.user)
            self.remember.setChecked(connection.has_saved_password(url))
        on_server = saved_database(self.settings) is not None
        (self.server_choice if on_server else self.file_choice).setChecked(True)

        self.server_box = QWidget()
        form = QFormLayout(self.server_box)
        form.setContentsMargins(24, 0, 0, 0)
        form.addRow("Server", self.host)
        form.addRow("Port", self.port)
        form.addRow("Database", self.database)
        form.addRow("Brugernavn", self.user)
        form.addRow("Adgangskode", self.password)
        form.addRow("", self.remember)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        form.addRow("", test_row)
        form.addRow("", self.result)

        intro = QLabel("Hvor programmet gemmer KKR'ets data. Ændringen gælder fra næste "
                       "start af programmet.")
        footnote = QLabel("Adgangskoden gemmes aldrig i indstillingerne: kun i styresystemets "
                          "nøglering, når der er kryds ovenfor. Ellers læser serverens "
                          "klientbibliotek den fra en pgpass-fil (PGPASSFILE, ~/.pgpass eller "
                          "%APPDATA%\\postgresql\\pgpass.conf).")
        for label in (intro, footnote):
            label.setWordWrap(True)
        self.port.setMaximumWidth(100)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.file_choice)
        layout.addWidget(self.server_choice)
        layout.addWidget(self.server_box)
        layout.addWidget(footnote)
        layout.addStretch(1)
        self.server_choice.toggled.connect(self.server_box.setEnabled)
        self.server_box.setEnabled(on_server)

    def url(self) -> str:
        return connection.server_url(host=self.host.text() or "localhost",
                                     port=self.port.value(), database=self.database.text(),
                                     user=self.user.text())

    def test(self) -> bool:
        """Connect with the fields as they are; say as whom, or what failed."""
        try:
            text = connection.check_connection(self.url(), password=self.password.text()
                                               or None)
        except KkrError as exc:
            self.result.setText(f"Ingen forbindelse: {exc.message}")
            return False
        self.result.setText(text)
        return True

    def save(self) -> None:
        """Save the choice (and the password in the keyring when asked). Called with the
        rest of the settings dialog."""
        if self.file_choice.isChecked():
            if saved_database(self.settings) is not None:  # unchanged: nothing written
                self.settings.setValue(BACKEND, "sqlite")
            return
        url = self.url()
        if not self.remember.isChecked():
            connection.forget_password(url)
        elif self.password.text():
            connection.remember_password(url, self.password.text())
        self.settings.setValue(BACKEND, "postgresql")
        self.settings.setValue(SERVER, url)


def create_section(store, secretariat_id: int) -> DatabasePage:  # noqa: ARG001 (the protocol)
    return DatabasePage()
