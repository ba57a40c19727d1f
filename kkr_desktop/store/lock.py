"""One writing program instance at a time: a lock file beside the database.

``kkr-budget.sqlite.lock`` holds who has the database open for writing (user, machine, pid,
since) as JSON, and the holder keeps an operating-system lock on it (``flock`` on POSIX, a
byte-range lock via ``msvcrt.locking`` on Windows, which the file server enforces on a
share). The OS lock is what makes the lock trustworthy: it disappears with the process, so
when a record is there but the OS lock can be taken, the holder crashed and the lock is
stale. A clean release empties the file (it is never deleted: deleting would let two
processes lock two different files of the same name).

Who takes it: an interactive session (the window) for as long as it is open. Short
non-interactive writers (CLI commands, scripts) do not; SQLite serialises their single
transactions with a busy timeout (see store/db.py), and `restore`, which replaces the whole
file, refuses while a session holds the lock.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from kkr_desktop.core.errors import FaultError, StoreError
from kkr_desktop.core.faults import fault_text

# Windows: lock a byte far past the record, so the record stays readable to others.
_LOCK_OFFSET = 1 << 20
_MAX_RECORD = 64 * 1024
# Windows process access right and exit code (winnt.h, minwinbase.h, winerror.h).
_PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
_STILL_ACTIVE = 259
_ERROR_ACCESS_DENIED = 5
_held: dict[Path, WriterLock] = {}


@dataclass(frozen=True)
class LockInfo:
    user: str
    machine: str
    pid: int
    since: str  # ISO time with offset

    def since_text(self) -> str:
        try:
            return datetime.fromisoformat(self.since).strftime("%d.%m.%Y kl. %H.%M")
        except ValueError:
            return self.since

    def describe(self) -> str:
        return f"Åben hos {self.user} på {self.machine} siden {self.since_text()}"


class LockHeldError(StoreError):
    """Another instance has the database open for writing (or had, and crashed: stale)."""

    def __init__(self, path: Path, info: LockInfo | None, *, stale: bool) -> None:
        self.path = path
        self.info = info
        self.stale = stale
        who = info.describe() if info else "Åben i et andet vindue"
        if stale:
            text = (f"{who}, men programmet dér ser ud til at være lukket uden at slippe "
                    "databasen (fx ved et nedbrud). Du kan overtage den.")
        else:
            text = (f"{who}. Kun én kan rette i databasen ad gangen; du kan åbne den "
                    "skrivebeskyttet.")
        super().__init__(f"Databasen {path.name}: {text}")


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def machine_name() -> str:
    import socket  # only when a lock is taken or named: not on every command's start

    return os.environ.get("COMPUTERNAME") or socket.gethostname() or "ukendt maskine"


class WriterLock:
    """A held lock; `release()` (idempotent) gives it back."""

    def __init__(self, path: Path, fh: IO[bytes], info: LockInfo) -> None:
        self.path = path
        self.info = info
        self._fh: IO[bytes] | None = fh

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is None:
            return
        _held.pop(self.path, None)
        try:
            fh.seek(0)
            fh.truncate()
            fh.flush()
        except OSError:
            pass
        _unlock(fh)
        fh.close()


def acquire(db_path: Path, *, user: str, take_over: bool = False) -> WriterLock:
    """Take the writer lock of `db_path`, or raise LockHeldError saying who has it.

    A stale lock (its holder is gone) is taken only with take_over=True, after the user
    was asked; a live one never.
    """
    path = lock_path(db_path).resolve()
    if path in _held:
        raise LockHeldError(db_path, _held[path].info, stale=False)
    try:
        fh = _open(path)
    except OSError as exc:
        raise FaultError(fault_text(exc, f"låsefilen {path}") + " Databasen er ikke åbnet."
                         ) from exc
    locked = _try_lock(fh)
    info = _parse(_read_all(fh))
    if locked is False:
        fh.close()
        raise LockHeldError(db_path, info, stale=False)
    if info is not None and (not take_over or (locked is None and _alive_here(info))):
        stale = True if locked else not _alive_here(info)
        _unlock(fh)
        fh.close()
        raise LockHeldError(db_path, info, stale=stale)
    from kkr_desktop.store.db import now

    mine = LockInfo(user, machine_name(), os.getpid(), now())
    try:
        fh.seek(0)
        fh.truncate()
        _write_all(fh, json.dumps(mine.__dict__, ensure_ascii=False).encode("utf-8"))
        os.fsync(fh.fileno())
    except OSError as exc:
        _unlock(fh)
        fh.close()
        raise FaultError(fault_text(exc, f"låsefilen {path}") + " Databasen er ikke åbnet."
                         ) from exc
    lock = WriterLock(path, fh, mine)
    _held[path] = lock
    return lock


def holder(db_path: Path) -> LockInfo | None:
    """Who the lock file names (a live or a stale holder), without taking anything."""
    path = lock_path(db_path).resolve()
    if path in _held:
        return _held[path].info
    try:
        with open(path, "rb", buffering=0) as fh:
            return _parse(_read_all(fh))
    except OSError:
        return None


def is_held(db_path: Path) -> bool:
    """True when a live holder (another session, or this process) has the lock."""
    path = lock_path(db_path).resolve()
    if path in _held:
        return True
    if not path.exists():
        return False
    try:
        fh = _open(path)
    except OSError:
        return False
    try:
        locked = _try_lock(fh)
        if locked:
            _unlock(fh)
            return False
        if locked is None:
            info = _parse(_read_all(fh))
            return info is not None and _alive_here(info)
        return True
    finally:
        fh.close()


def _open(path: Path) -> IO[bytes]:
    """The lock file, unbuffered: msvcrt.locking locks from the descriptor's own position,
    and a buffered file's seek() only moves its buffer when the target lies inside it."""
    return open(path, "a+b", buffering=0)  # noqa: SIM115 - kept open while the lock is held


def _read_all(fh: IO[bytes]) -> bytes:
    """The record (never up to _LOCK_OFFSET: on Windows another holder's byte lock would
    make that read fail)."""
    fh.seek(0)
    data = b""
    while len(data) < _MAX_RECORD:
        chunk = fh.read(_MAX_RECORD - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _write_all(fh: IO[bytes], data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[fh.write(view) or 0:]


def _parse(data: bytes) -> LockInfo | None:
    if not data.strip():
        return None
    try:
        raw = json.loads(data.decode("utf-8", errors="replace"))
        return LockInfo(str(raw["user"]), str(raw["machine"]), int(raw["pid"]),
                        str(raw["since"]))
    except (ValueError, KeyError, TypeError):
        return LockInfo("ukendt bruger", "ukendt maskine", 0, "")


def _alive_here(info: LockInfo) -> bool:
    """Whether the holder may still be running: surely not when it was on this machine and
    its process is gone; we cannot tell for another machine, so assume it is."""
    if info.machine != machine_name():
        return True
    return info.pid > 0 and _pid_alive(info.pid)


def _pid_alive(pid: int) -> bool:
    if sys.platform == "win32":
        return _pid_alive_windows(pid)
    # POSIX only: on Windows os.kill(pid, 0) is TerminateProcess with exit code 0.
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pid_alive_windows(pid: int) -> bool:
    """Whether process `pid` runs; when Windows will not say (another user's process on a
    terminal server, a failed query), assume it does: a live holder is never taken over."""
    import ctypes

    kernel32 = _kernel32()
    handle = kernel32.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return _last_error() == _ERROR_ACCESS_DENIED
    try:
        code = ctypes.c_ulong(0)
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == _STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _kernel32():  # pragma: no cover - Windows only; tests replace it
    """kernel32 with its own prototypes: without them ctypes passes and returns C ints and
    cuts a 64-bit HANDLE to 32 bits. A private WinDLL, so the prototypes set here do not
    change ctypes.windll.kernel32 for other code in the process."""
    import ctypes
    from ctypes import wintypes

    k = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    k.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    k.OpenProcess.restype = wintypes.HANDLE
    k.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    k.GetExitCodeProcess.restype = wintypes.BOOL
    k.CloseHandle.argtypes = (wintypes.HANDLE,)
    k.CloseHandle.restype = wintypes.BOOL
    return k


def _last_error() -> int:  # pragma: no cover - Windows only; tests replace it
    import ctypes

    return ctypes.get_last_error()  # type: ignore[attr-defined]


def _try_lock(fh: IO[bytes]) -> bool | None:
    """True: locked; False: another holder has it; None: the file system has no locks."""
    if sys.platform == "win32":
        import msvcrt

        # LK_NBLCK fails at once (LK_LOCK retries for 10 s); Windows byte locks are always
        # exclusive, LK_NBRLCK is the same call. Unlocking must name the same byte.
        fh.seek(_LOCK_OFFSET)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except PermissionError:
            return False
        except OSError as exc:
            return False if exc.errno in (13, 36) else None  # EACCES, EDEADLOCK
        return True
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return None
    return True


def _unlock(fh: IO[bytes]) -> None:
    try:
        if sys.platform == "win32":
            import msvcrt

            fh.seek(_LOCK_OFFSET)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    except OSError:
        pass
