"""Moving a KKR's database between a SQLite file and a PostgreSQL server (`migrate-to`), and
the SQLite copy of a server's database (`backup -o FILE` on a server).

The copy is made in one transaction on the target (store/transfer.py) and verified there
before it is committed: every approval's snapshot hashed again and compared with the audit
log, the frozen rows compared with their snapshots, the audit chain walked whole, the export
log matched, the guard triggers compared with the migrations. A copy that fails any of it
is rolled back: nothing is left on the target. After the commit the target is opened again
by the program and verified once more.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from kkr_desktop.core.approval import document_id
from kkr_desktop.core.errors import InputError, KkrError
from kkr_desktop.services import verify as verification
from kkr_desktop.store import db, pg
from kkr_desktop.store import transfer as store_transfer
from kkr_desktop.store.db import Store


class TransferRefused(KkrError):
    """The copy failed verification on the target; nothing of it was kept."""


@dataclass
class Moved:
    """What a transfer moved, for the command and the window to say."""

    target: str
    secretariats: int = 0
    approvals: list[str] = field(default_factory=list)  # Dokument-id, in order
    audit_rows: int = 0
    exports: int = 0
    rows: int = 0
    tables: dict[str, int] = field(default_factory=dict)

    def text(self, *, copy: bool = False) -> str:
        ids = f" ({', '.join(f'Dokument-id {i}' for i in self.approvals)})" \
            if self.approvals else ""
        verb, noun = ("Kopieret", "kopieringen") if copy else ("Flyttet", "flytningen")
        return (f"{verb} til {self.target}: {_n(self.secretariats)} sekretariat"
                f"{'er' if self.secretariats != 1 else ''}, {_n(len(self.approvals))} "
                f"godkendelse{'r' if len(self.approvals) != 1 else ''}{ids}, "
                f"{_n(self.audit_rows)} rækker i revisionssporet, {_n(self.exports)} "
                f"eksport{'er' if self.exports != 1 else ''}, i alt {_n(self.rows)} rækker i "
                f"{len(self.tables)} tabeller. Alle godkendelser er kontrolleret efter "
                f"{noun}.")


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def migrate_to(source: Path | str, target: Path | str, *, check: bool = True) -> Moved:
    """Copy the whole database `source` to `target`: a file to an empty server database, or
    a server database to a new file. `check=False` exists only for the test that shows the
    verification is what refuses a forged source."""
    if pg.is_url(source) == pg.is_url(target):
        raise InputError("Flytningen går fra en databasefil til en PostgreSQL-server eller "
                         "fra en server til en ny databasefil: angiv den ene som --db og den "
                         "anden som mål.")
    if not pg.is_url(target):
        _refuse_file_target(Path(target))
    src = store_transfer.open_source(source)
    try:
        return _move(src, target, check)
    finally:
        src.close()


def server_message(store: Store) -> str:
    """What a backup on a server is, said where the file's backup would be taken."""
    return (f"Databasen ligger på PostgreSQL-serveren {store.where}. Sikkerhedskopierne af "
            "den er serverens egne: serverens administrator tager dem (pg_dump). Programmet "
            "kan gemme en kopi af hele databasen som en ny SQLite-fil, fx til arkivet: alle "
            "sekretariater og hele revisionssporet (det kan ikke deles op uden at bryde "
            "kæden).")


def server_copy(store: Store, target: Path) -> Moved:
    """`backup -o FILE` on a server: the whole database as a new SQLite file, read from the
    store's own connection (as of one moment)."""
    if store.backend != "postgresql":
        raise InputError("Kun en database på en server kopieres til en SQLite-fil.")
    _refuse_file_target(Path(target))
    return _move(store, Path(target), True)


def _move(src: Store, target: Path | str, check: bool) -> Moved:
    if pg.is_url(target):
        return _to_server(src, str(target), check)
    return _to_file(src, Path(target), check)


def _refuse_file_target(target: Path) -> None:
    """The source is a server here (a file to a file is refused above), so the one file
    to protect is whatever is at the target: it is never replaced."""
    if target.exists() or target.is_symlink():
        raise InputError(f"Filen {target} findes allerede. Intet er skrevet: ingen kommando "
                         "overskriver en database, uanset hvilken sti den får. Vælg et nyt "
                         "filnavn.")


def _to_server(src: Store, url: str, check: bool) -> Moved:
    target = store_transfer.open_server_target(url)
    try:
        store_transfer.require_empty(target)
        moved = _copy(src, target, check)
    finally:
        target.close()
    if check:
        _verify_again(url, moved)
    return moved


def _to_file(src: Store, path: Path, check: bool) -> Moved:
    partial = path.with_name(path.name + ".kopieres")
    _remove(partial)
    target = store_transfer.new_file(partial)
    try:
        try:
            moved = _copy(src, target, check)
        finally:
            target.close()
        if path.exists():  # made meanwhile: never replaced
            raise InputError(f"Filen {path} findes allerede. Intet er skrevet.")
        os.replace(partial, path)
    except BaseException:
        _remove(partial)
        raise
    moved.target = str(path)
    if check:
        try:
            _verify_again(path, moved)
        except BaseException:
            _remove(path)
            raise
    return moved


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
              path.with_name(path.name + "-journal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _copy(src: Store, target: Store, check: bool) -> Moved:
    with store_transfer.copying(src, target) as copied:
        if check:
            _require_verified(target, "før den blev gemt")
        moved = _moved(target, copied.tables)
    return moved


def _moved(store: Store, tables: dict[str, int]) -> Moved:
    return Moved(
        target=store.where, secretariats=tables.get("secretariat", 0),
        approvals=[document_id(r[0]) for r in store.rows(
            "SELECT sha256 FROM approval ORDER BY secretariat_id, year, revision")],
        audit_rows=tables.get("audit_log", 0), exports=tables.get("export_log", 0),
        rows=sum(tables.values()), tables=dict(tables))


def _require_verified(store: Store, when: str, *, kept: bool = False) -> None:
    """kept: the copy is committed on the server already (the check after opening it
    again), so the message cannot say that nothing was moved."""
    result = verification.verify(store, full=True)
    problems = result.messages() + result.repaired
    if problems:
        outcome = ("den er gemt på serveren, men må ikke bruges: slet databasen, og flyt "
                   "igen" if kept else "så intet er flyttet")
        raise TransferRefused(
            f"Kopien i {store.where} bestod ikke kontrollen {when}; {outcome}:\n"
            + "\n".join(problems))


def _verify_again(target: Path | str, moved: Moved) -> None:
    """Open the committed copy as the program does and check it all once more."""
    store = db.open_store(target, read_only=True)
    try:
        # the bookmark of the chain's walk may be written by the verification itself
        tables = [t for t in moved.tables if t != "audit_checkpoint"]
        kept = store.backend == "postgresql"  # a new file is removed again instead
        if store_transfer.counts(store, tables) != {t: moved.tables[t] for t in tables}:
            raise TransferRefused(f"Kopien i {store.where} har ikke de rækker, der blev "
                                  "kopieret, da den blev åbnet igen"
                                  + ("; den må ikke bruges." if kept else "."))
        _require_verified(store, "da den blev åbnet igen", kept=kept)
    finally:
        store.close()
