"""Opening the database for the window, with the questions that may come first.

The main window's start-up calls

    store = open_database_interactive(db, demo, parent=None, settings=None)

(from the GUI thread: it may show dialogs) instead of services.setup.open_for_use. It

- takes the single-writer lock for the session (released by ``store.close()``);
- when another instance has the database open, says "Åben hos ⟨bruger⟩ på ⟨maskine⟩ siden
  ⟨tid⟩" and offers read-only use (``store.read_only`` is then True: every write raises a
  StoreError with a Danish message, so the window may disable editing);
- when the holder crashed (a stale lock), asks whether to take the database over;
- when the file is damaged, offers to restore the newest good backup, then opens that;
- on a server, asks for the password when neither the keyring nor a pgpass file has it or
  the server refused it (up to PASSWORD_TRIES times; kept in the keyring only if asked);
- reports any other error in a dialog; shows ``store.notices`` (a failed daily backup).

It returns the open Store, or None when the user cancelled or the database cannot be used
(the caller then ends without a window). The "database is on a network share" setting is
read from QSettings key ``database/network`` (true/false; absent means detect from the path).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox, QWidget

from kkr_desktop.core.errors import KkrError
from kkr_desktop.services import connection, safety, verify
from kkr_desktop.services.connection import ServerError, is_server_url, masked
from kkr_desktop.services.safety import DamagedError, LockHeldError
from kkr_desktop.services.setup import open_for_use, resolve_db
from kkr_desktop.ui import errors, password_dialog

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store

READ_ONLY = "Åbn skrivebeskyttet"
TAKE_OVER = "Overtag databasen"
RESTORE = "Gendan sikkerhedskopien"
CANCEL = "Annuller"
SETTING = "database/network"


def network_setting(settings: QSettings | None) -> bool | None:
    s = settings if settings is not None else QSettings()
    value = s.value(SETTING, None)
    if value is None or value == "":
        return None
    return str(value).lower() in ("true", "1", "ja")


PASSWORD_TRIES = 3


def open_database_interactive(db: Path | str | None, demo: bool,
                              parent: QWidget | None = None,
                              settings: QSettings | None = None) -> Store | None:
    """Open the database for the window, asking the user where needed (see module doc)."""
    network = network_setting(settings)
    take_over = False
    restored = False
    url, asked, answer = db, 0, None  # a server: the URL as saved, without a password
    while True:
        try:
            store = open_for_use(db, demo=demo, session=True, take_over=take_over,
                                 network=network)
        except LockHeldError as exc:
            if exc.stale and not take_over:
                choice = choose(parent, "Databasen blev ikke lukket korrekt", exc.message,
                                [TAKE_OVER, READ_ONLY, CANCEL])
                if choice == TAKE_OVER:
                    take_over = True
                    continue
            else:
                choice = choose(parent, "Databasen er i brug", exc.message,
                                [READ_ONLY, CANCEL])
            if choice != READ_ONLY:
                return None
            return _open_read_only(db, demo, network, parent)
        except DamagedError as exc:
            if restored or not _offer_restore(parent, resolve_db(db, demo), exc):
                return None
            restored = True
            continue
        except ServerError as exc:
            if not (exc.needs_password and is_server_url(db) and asked < PASSWORD_TRIES):
                errors.show_error(parent, exc)
                return None
            asked += 1
            answer = password_dialog.ask_password(parent, masked(url), exc.message)
            if answer is None:
                return None
            db = connection.with_password(url, answer.password)
            continue
        except (KkrError, OSError) as exc:
            errors.show_error(parent, exc)
            return None
        if answer is not None and answer.remember:
            try:
                connection.remember_password(url, answer.password)
            except KkrError as exc:  # no keyring: the session goes on, the user is told
                errors.show_warning(parent, "Adgangskoden er ikke gemt", exc.message)
        for notice in store.notices:
            if verify.is_warning(notice):
                errors.show_warning(parent, "Data ændret uden om programmet", notice)
            else:
                errors.show_info(parent, "Bemærk", notice)
        return store


def _open_read_only(db: Path | str | None, demo: bool, network: bool | None,
                    parent: QWidget | None) -> Store | None:
    try:
        return open_for_use(db, demo=demo, read_only=True, network=network)
    except (KkrError, OSError) as exc:
        errors.show_error(parent, exc)
        return None


def _offer_restore(parent: QWidget | None, path: Path, exc: DamagedError) -> bool:
    good = safety.newest_good_backup(path)
    if good is None:
        errors.show_error(parent, KkrError(
            f"{exc.message}\n\nDer findes ingen god sikkerhedskopi i "
            f"{path.parent / 'backups'}."))
        return False
    label = safety.KIND_LABELS.get(good.kind, good.kind).lower()
    question = (f"{exc.message}\n\nDen nyeste gode sikkerhedskopi er fra "
                f"{good.taken_at:%d.%m.%Y kl. %H.%M} ({label}). Ændringer efter det "
                "tidspunkt går tabt. Den beskadigede fil gemmes i mappen «backups».")
    if choose(parent, "Databasen er beskadiget", question, [RESTORE, CANCEL]) != RESTORE:
        return False
    try:
        result = safety.restore_file(path, good.path)
    except (KkrError, OSError) as err:
        errors.show_error(parent, err)
        return False
    errors.show_info(parent, "Gendannet", f"Databasen er gendannet fra "
                     f"{result.restored_from.name}.")
    return True


def choose(parent: QWidget | None, title: str, text: str, options: list[str]) -> str | None:
    """Ask with one button per option; the chosen option's text (None if closed).
    Tests replace this function. Offscreen no one can answer: the question goes to stderr
    and counts as cancelled."""
    if errors.headless():
        errors.to_stderr(title, f"{text}\nUden skærm kan ingen svare, så programmet stopper.")
        return None
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)
    buttons = {}
    for option in options:
        role = (QMessageBox.ButtonRole.RejectRole if option == CANCEL
                else QMessageBox.ButtonRole.AcceptRole)
        buttons[box.addButton(option, role)] = option
    box.exec()
    return buttons.get(box.clickedButton())
