"""Filer → "Tag sikkerhedskopi nu" and "Gendan fra sikkerhedskopi…"."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.errors import StoreError
from kkr_desktop.services import safety
from kkr_desktop.ui import errors

if TYPE_CHECKING:
    from kkr_desktop.services.safety import BackupFile
    from kkr_desktop.store.db import Store


def describe(b: BackupFile) -> str:
    size = b.size
    amount = f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} kB"
    return (f"{b.taken_at:%d.%m.%Y kl. %H.%M}  –  {safety.KIND_LABELS.get(b.kind, b.kind)}"
            f"  ({amount.replace('.', ',')})")


def backup_now(parent: QWidget | None, store: Store) -> None:
    """Take a backup into the backups folder and say where it is; on a server, say whose
    the backups are and offer a SQLite copy."""
    if store.backend == "postgresql":
        server_copy(parent, store)
        return
    path = safety.backup_now(store)
    errors.show_info(parent, "Sikkerhedskopi", f"Sikkerhedskopien er gemt:\n{path}")


def server_copy(parent: QWidget | None, store: Store) -> None:
    """On a server the administrator takes the backups; the officer may save a SQLite copy
    of the whole database (a new file, never over an existing one)."""
    from kkr_desktop.services import transfer

    answer = QMessageBox.question(
        parent, "Sikkerhedskopi", transfer.server_message(store)
        + "\n\nVil du gemme en SQLite-kopi af databasen nu?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    if answer != QMessageBox.StandardButton.Yes:
        return
    name, _ = QFileDialog.getSaveFileName(parent, "Gem SQLite-kopi af databasen",
                                          "kkr-kopi.sqlite", "SQLite-database (*.sqlite)")
    if not name:
        return
    moved = transfer.server_copy(store, Path(name))
    errors.show_info(parent, "Sikkerhedskopi", moved.text(copy=True))


class RestoreDialog(QDialog):
    """Pick one of the database's backups (newest first) or another file."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.chosen: Path | None = None
        self.setWindowTitle("Gendan fra sikkerhedskopi")
        self.resize(560, 420)
        self.list = QListWidget()
        for b in safety.backups(db_path):
            if b.kind == "damaged":
                continue
            item = QListWidgetItem(describe(b))
            item.setData(Qt.ItemDataRole.UserRole, str(b.path))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        other = QPushButton("Vælg en anden fil…")
        other.clicked.connect(self.pick_file)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Gendan")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
        self.buttons.accepted.connect(self.accept_current)
        self.buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept_current())
        text = QLabel("Databasen erstattes af den valgte sikkerhedskopi. Den nuværende fil "
                      "gemmes først, så gendannelsen kan fortrydes.")
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.list, 1)
        layout.addWidget(other)
        layout.addWidget(self.buttons)

    def accept_current(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.chosen = Path(item.data(Qt.ItemDataRole.UserRole))
        self.accept()

    def pick_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Vælg sikkerhedskopi",
                                              str(self.db_path.parent),
                                              "Databasefiler (*.sqlite *.db);;Alle filer (*)")
        if name:
            self.chosen = Path(name)
            self.accept()


def choose_backup(parent: QWidget | None, db_path: Path) -> Path | None:
    dialog = RestoreDialog(db_path, parent)
    return dialog.chosen if dialog.exec() else None


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes
                                  | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def restore_dialog(parent: QWidget | None, store: Store) -> bool:
    """Let the user pick a backup and restore it into the open database. True when the
    database changed (the window then reloads everything and clears undo)."""
    if store.path is None:
        raise StoreError("En database i hukommelsen har ingen sikkerhedskopier.")
    source = choose_backup(parent, store.path)
    if source is None:
        return False
    lost = safety.approvals_lost(store, source)
    if lost:
        question = (f"Sikkerhedskopien {source.name} mangler godkendelser, som databasen har "
                    "nu (eller har dem i en anden udgave). Gendannes den, forsvinder de:\n\n"
                    + "\n".join(f"• {line}" for line in lost)
                    + "\n\nDe godkendte dokumenter kan så ikke længere udskrives som "
                    "godkendt. Den nuværende fil gemmes først som sikkerhedskopi. Vil du "
                    "gendanne alligevel?")
    else:
        question = (f"Alt i databasen erstattes af indholdet i {source.name}.\n\n"
                    "Den nuværende fil gemmes først som sikkerhedskopi. Vil du gendanne?")
    if not confirm(parent, "Gendan fra sikkerhedskopi", question):
        return False
    result = safety.restore(store, source, drop_approvals=True)
    errors.show_info(parent, "Gendannet",
                     f"Databasen er gendannet fra {result.restored_from.name}.\n"
                     f"Den hidtidige fil er gemt som {result.previous}.")
    return True
