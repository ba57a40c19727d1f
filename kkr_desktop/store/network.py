"""Is the database file on a network share? SQLite's WAL is not safe there (its shared
memory index), so such a file uses the rollback journal."""

from __future__ import annotations

import sys
from pathlib import Path

_DRIVE_REMOTE = 4  # GetDriveTypeW (fileapi.h)


def is_network_path(path: Path | str) -> bool:
    """A UNC path (\\\\server\\share\\…) or, on Windows, a file on a mapped network drive."""
    text = str(path)
    if text.startswith(("\\\\", "//")) and not text.startswith(("\\\\?\\", "\\\\.\\")):
        return True
    if text.upper().startswith("\\\\?\\UNC\\"):
        return True
    if sys.platform != "win32":
        return False
    import ntpath  # os.path on Windows; named so the branch can be tested elsewhere

    drive = ntpath.splitdrive(ntpath.abspath(text))[0]
    if drive[:4] in ("\\\\?\\", "\\\\.\\") and drive[5:6] == ":":
        drive = drive[4:]  # \\?\C:\… (a long path) is on drive C:, not a share
    if len(drive) == 2 and drive[1] == ":":
        return _drive_type(f"{drive}\\") == _DRIVE_REMOTE
    if drive.startswith(("\\\\?\\", "\\\\.\\")):  # \\?\Volume{…}: ask about the volume
        return _drive_type(f"{drive}\\") == _DRIVE_REMOTE
    return drive.startswith("\\\\")


def _drive_type(root: str) -> int:  # pragma: no cover - Windows only; tests replace it
    """GetDriveTypeW of a drive root such as Z:\\ (the trailing backslash is required), with
    a prototype so ctypes passes a wide string and reads a UINT."""
    import ctypes
    from ctypes import wintypes

    get = ctypes.WinDLL("kernel32").GetDriveTypeW  # type: ignore[attr-defined]
    get.argtypes = (wintypes.LPCWSTR,)
    get.restype = wintypes.UINT
    return int(get(root))


def journal_mode_for(path: Path | str, network: bool | None = None) -> str:
    """WAL on a local disk; the rollback journal on a network share, where WAL's shared
    memory index is not safe. `network` is the user's setting: True/False overrides."""
    on_share = is_network_path(path) if network is None else network
    return "delete" if on_share else "wal"
