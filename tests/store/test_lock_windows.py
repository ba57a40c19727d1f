"""The writer lock's Windows branch, run on Linux against a fake msvcrt and kernel32.

The fake msvcrt behaves like the C runtime's _locking: it locks `nbytes` from the
descriptor's current position, refuses a byte another descriptor holds (EACCES) and refuses
to unlock a range that is not locked by this descriptor, so a lock taken at one offset and
released at another stays held, as it would on Windows.
"""

from __future__ import annotations

import errno
import io
import json
import os
import sys
import types

import pytest

from kkr_desktop.store import lock
from kkr_desktop.store.lock import LockHeldError, LockInfo

LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = range(5)


class FakeMsvcrt(types.ModuleType):
    LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = range(5)

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.calls: list[tuple[int, int, int]] = []  # (mode, nbytes, position)
        self.held: dict[tuple[int, int, int], int] = {}  # (dev, ino, offset) -> fd
        self.fail_with: int | None = None

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        position = os.lseek(fd, 0, os.SEEK_CUR)
        self.calls.append((mode, nbytes, position))
        if self.fail_with is not None:
            raise OSError(self.fail_with, os.strerror(self.fail_with))
        st = os.fstat(fd)
        key = (st.st_dev, st.st_ino, position)
        if mode == self.LK_UNLCK:
            if self.held.get(key) != fd:
                raise PermissionError(errno.EACCES, "Permission denied")
            del self.held[key]
            return
        if key in self.held:
            raise PermissionError(errno.EACCES, "Permission denied")
        self.held[key] = fd


@pytest.fixture
def msvcrt(monkeypatch):
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(sys, "platform", "win32")
    return fake


def _foreign_holder(db_path, msvcrt, info: LockInfo):
    """Another process's lock: its record in the file and its byte locked by another fd."""
    path = lock.lock_path(db_path)
    path.write_text(json.dumps(info.__dict__), encoding="utf-8")
    fd = os.open(path, os.O_RDWR)
    os.lseek(fd, lock._LOCK_OFFSET, os.SEEK_SET)
    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    msvcrt.calls.clear()
    return fd


def test_lock_and_unlock_name_the_same_byte_and_release_frees_it(db_path, msvcrt):
    held = lock.acquire(db_path, user="anne")
    assert msvcrt.calls == [(LK_NBLCK, 1, lock._LOCK_OFFSET)]
    assert len(msvcrt.held) == 1
    assert lock.holder(db_path).user == "anne"  # the record stays readable to others
    assert lock.is_held(db_path)

    held.release()
    assert msvcrt.calls[-1] == (LK_UNLCK, 1, lock._LOCK_OFFSET)
    assert msvcrt.held == {}
    assert lock.holder(db_path) is None
    again = lock.acquire(db_path, user="bent")
    assert again.info.user == "bent"
    again.release()
    assert msvcrt.held == {}


def test_a_lock_held_by_another_process_is_live_and_left_alone(db_path, msvcrt, monkeypatch):
    monkeypatch.setattr(os, "kill", _no_kill)
    other = LockInfo("anne", "ANDEN-PC", 4242, "2024-03-01T08:15:00+01:00")
    fd = _foreign_holder(db_path, msvcrt, other)
    try:
        with pytest.raises(LockHeldError) as err:
            lock.acquire(db_path, user="bent", take_over=True)
        assert err.value.stale is False
        assert err.value.info == other
        assert "anne på ANDEN-PC" in err.value.message
        assert lock.is_held(db_path)
        # only the foreign lock is there: a failed attempt neither took nor freed anything
        assert list(msvcrt.held.values()) == [fd]
        assert [c[0] for c in msvcrt.calls] == [LK_NBLCK, LK_NBLCK]
    finally:
        os.close(fd)


def test_a_crashed_holders_record_is_stale_and_taken_over_only_when_asked(
        db_path, msvcrt, monkeypatch):
    monkeypatch.setattr(os, "kill", _no_kill)
    crashed = LockInfo("anne", lock.machine_name(), 4242, "2024-03-01T08:15:00+01:00")
    fd = _foreign_holder(db_path, msvcrt, crashed)
    msvcrt.held.clear()  # Windows drops a dead process's byte locks
    os.close(fd)

    with pytest.raises(LockHeldError) as err:
        lock.acquire(db_path, user="bent")
    assert err.value.stale is True
    assert msvcrt.held == {}  # the probe's lock was given back
    assert msvcrt.calls == [(LK_NBLCK, 1, lock._LOCK_OFFSET), (LK_UNLCK, 1, lock._LOCK_OFFSET)]

    held = lock.acquire(db_path, user="bent", take_over=True)
    assert lock.holder(db_path).user == "bent"
    held.release()
    assert msvcrt.held == {}


@pytest.mark.parametrize(("code", "expected"), [
    (errno.EACCES, False),   # locked by another
    (36, False),             # EDEADLOCK on Windows
    (errno.EINVAL, None),    # the share does not lock: fall back to the record
])
def test_locking_errors_are_told_apart(db_path, msvcrt, code, expected):
    msvcrt.fail_with = code
    with lock._open(lock.lock_path(db_path)) as fh:
        assert lock._try_lock(fh) is expected


def test_the_lock_file_is_binary_and_unbuffered(db_path):
    with lock._open(lock.lock_path(db_path)) as fh:
        assert "b" in fh.mode
        assert isinstance(fh, io.FileIO)  # seek() moves the fd itself


# --- is the holder's process alive? (only for shares without byte locks) ----------------

def _no_kill(pid, sig):
    raise AssertionError(f"os.kill({pid}, {sig}) on Windows terminates the process")


class FakeKernel32:
    def __init__(self, *, handle=0x7FFF_0000_1234, exit_code=259, query_ok=True):
        self.handle = handle
        self.exit_code = exit_code
        self.query_ok = query_ok
        self.opened: list[tuple] = []
        self.closed: list[int] = []

    def OpenProcess(self, access, inherit, pid):  # noqa: N802 - the Windows name
        self.opened.append((access, inherit, pid))
        return self.handle

    def GetExitCodeProcess(self, handle, code_ref):  # noqa: N802
        assert handle == self.handle  # the whole 64-bit handle came back
        if not self.query_ok:
            return 0
        code_ref._obj.value = self.exit_code
        return 1

    def CloseHandle(self, handle):  # noqa: N802
        self.closed.append(handle)
        return 1


@pytest.mark.parametrize(("kernel", "last_error", "alive"), [
    (FakeKernel32(exit_code=259), 0, True),         # STILL_ACTIVE
    (FakeKernel32(exit_code=0), 0, False),          # exited
    (FakeKernel32(handle=None), 87, False),         # ERROR_INVALID_PARAMETER: no such pid
    (FakeKernel32(handle=None), 5, True),           # ERROR_ACCESS_DENIED: someone else's
    (FakeKernel32(query_ok=False), 0, True),        # cannot tell: never offer a take-over
])
def test_pid_check_on_windows_asks_windows_and_never_calls_os_kill(
        monkeypatch, kernel, last_error, alive):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "kill", _no_kill)
    monkeypatch.setattr(lock, "_kernel32", lambda: kernel)
    monkeypatch.setattr(lock, "_last_error", lambda: last_error)
    assert lock._pid_alive(4242) is alive
    assert kernel.opened == [(0x1000, False, 4242)]
    assert kernel.closed == ([kernel.handle] if kernel.handle else [])


def test_a_dead_holder_on_a_share_without_locks_is_stale(db_path, msvcrt, monkeypatch):
    """No byte locks (the share refuses them): the record and the pid decide."""
    monkeypatch.setattr(os, "kill", _no_kill)
    monkeypatch.setattr(lock, "_kernel32", lambda: FakeKernel32(exit_code=1))
    monkeypatch.setattr(lock, "_last_error", lambda: 0)
    dead = LockInfo("anne", lock.machine_name(), 4242, "")
    lock.lock_path(db_path).write_text(json.dumps(dead.__dict__), encoding="utf-8")
    msvcrt.fail_with = errno.EINVAL
    with pytest.raises(LockHeldError) as err:
        lock.acquire(db_path, user="bent")
    assert err.value.stale is True
