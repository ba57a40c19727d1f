"""The single-writer lock: who holds it, stale detection, take-over, read-only use."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from kkr_desktop.core.errors import StoreError
from kkr_desktop.services.setup import open_for_use
from kkr_desktop.store import lock
from kkr_desktop.store.lock import LockHeldError

HOLD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from kkr_desktop.store import lock
    held = lock.acquire(Path(sys.argv[1]), user="anne")
    print("held", flush=True)
    time.sleep(60)
""")


def test_acquire_names_the_holder_and_release_frees_it(db_path):
    held = lock.acquire(db_path, user="anne")
    with pytest.raises(LockHeldError) as err:
        lock.acquire(db_path, user="bo")
    assert not err.value.stale
    assert err.value.info.user == "anne"
    assert "Åben hos anne på " in err.value.message and " siden " in err.value.message
    assert lock.is_held(db_path)
    held.release()
    held.release()  # idempotent
    assert not lock.is_held(db_path)
    assert lock.lock_path(db_path).read_bytes() == b""
    lock.acquire(db_path, user="bo").release()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_crashed_holder_leaves_a_stale_lock_that_can_be_taken_over(db_path):
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(db_path)],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(LockHeldError) as live:
            lock.acquire(db_path, user="bo", take_over=True)  # never from a live holder
        assert not live.value.stale and live.value.info.pid == child.pid
        assert lock.is_held(db_path)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert not lock.is_held(db_path)
    with pytest.raises(LockHeldError) as stale:
        lock.acquire(db_path, user="bo")
    assert stale.value.stale and "overtage" in stale.value.message
    assert lock.holder(db_path).user == "anne"
    mine = lock.acquire(db_path, user="bo", take_over=True)
    assert lock.holder(db_path).user == "bo" and lock.holder(db_path).pid == os.getpid()
    mine.release()


def test_a_session_holds_the_lock_until_closed_and_others_may_read(db_path):
    first = open_for_use(db_path, session=True)
    with pytest.raises(LockHeldError):
        open_for_use(db_path, session=True)
    reader = open_for_use(db_path, read_only=True)
    assert reader.scalar("SELECT count(*) FROM kommune") == 98
    with pytest.raises(StoreError, match="skrivebeskyttet"), reader.transaction():
        pass
    reader.close()
    first.close()
    second = open_for_use(db_path, session=True)
    second.close()


def test_a_garbled_lock_record_still_names_someone(db_path):
    lock.lock_path(db_path).write_bytes(b"\x00garbage")
    with pytest.raises(LockHeldError) as err:
        lock.acquire(db_path, user="bo")
    assert err.value.stale and "ukendt" in err.value.message
