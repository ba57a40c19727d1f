"""Qt's own words (standard buttons, context menus) are Danish once the application is set up."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from kkr_desktop.ui.app import _TRANSLATOR, application, install_danish

_NAMES = ("applicationName", "organizationName", "applicationDisplayName",
          "applicationVersion")


@pytest.fixture
def danish_app(qapp):
    before = QLocale()
    names = {n: getattr(qapp, n)() for n in _NAMES}
    app = application()
    assert app is qapp
    yield app
    # Leave the test process as pytest-qt made it, for the tests that follow.
    translator = app.findChild(QTranslator, _TRANSLATOR)
    if translator is not None:
        app.removeTranslator(translator)
        translator.setParent(None)
    QLocale.setDefault(before)
    for n, value in names.items():
        getattr(app, "set" + n[0].upper() + n[1:])(value)


def test_standard_buttons_are_danish(danish_app):
    # Qt looks its button texts up in the context QPlatformTheme.
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "&Ja"
    assert QCoreApplication.translate("QPlatformTheme", "&No") == "&Nej"
    box = QMessageBox(QMessageBox.Icon.Question, "Spørgsmål", "Fortsæt?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    texts = {box.button(b).text().replace("&", "")
             for b in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No)}
    assert texts == {"Ja", "Nej"}
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    assert buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "OK"
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annuller"


def test_context_menus_and_locale_are_danish(danish_app):
    assert QCoreApplication.translate("QLineEdit", "&Copy") == "&Kopiér"
    assert QLocale().language() == QLocale.Language.Danish


def test_the_translator_is_installed_once(danish_app):
    first = install_danish(danish_app)
    assert install_danish(danish_app) is first
    assert len(danish_app.findChildren(QTranslator)) == 1
