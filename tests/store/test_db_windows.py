"""Network-share detection and the journal mode on Windows, run on Linux with a fake
GetDriveTypeW (and ntpath, which is os.path on Windows)."""

from __future__ import annotations

import sys

import pytest

from kkr_desktop.store import network
from kkr_desktop.store.network import is_network_path, journal_mode_for

DRIVE_FIXED, DRIVE_REMOTE = 3, 4


@pytest.fixture
def drives(monkeypatch):
    """Z: is a mapped network drive, every other drive a local disk; records each root."""
    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return DRIVE_REMOTE if root.upper().startswith("Z:") else DRIVE_FIXED

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(network, "_drive_type", drive_type)
    return asked


@pytest.mark.parametrize(("path", "root", "network"), [
    (r"Z:\KKR\kkr-budget.sqlite", "Z:\\", True),
    (r"z:\KKR\kkr-budget.sqlite", "z:\\", True),
    (r"C:\Users\anne\AppData\Local\KKR Budget\kkr-budget.sqlite", "C:\\", False),
    # a long path that Path.resolve() left in the \\?\ form is still on its drive letter
    (r"\\?\C:\data\kkr-budget.sqlite", "C:\\", False),
    (r"\\?\Z:\data\kkr-budget.sqlite", "Z:\\", True),
    (r"\\.\C:\data\kkr-budget.sqlite", "C:\\", False),
])
def test_a_drive_letter_is_asked_about_by_its_root(drives, path, root, network):
    assert is_network_path(path) is network
    assert drives == [root]
    assert journal_mode_for(path) == ("delete" if network else "wal")


@pytest.mark.parametrize("path", [
    r"\\server\share\kkr\kkr-budget.sqlite",
    "//server/share/kkr-budget.sqlite",
    r"\\?\UNC\server\share\kkr-budget.sqlite",
])
def test_unc_paths_are_shares_without_asking(drives, path):
    assert is_network_path(path) is True
    assert drives == []
    assert journal_mode_for(path) == "delete"


def test_the_users_setting_wins_over_the_drive_type(drives):
    assert journal_mode_for(r"Z:\KKR\kkr-budget.sqlite", network=False) == "wal"
    assert journal_mode_for(r"C:\KKR\kkr-budget.sqlite", network=True) == "delete"
    assert drives == []


def test_off_windows_the_drive_type_is_never_asked(monkeypatch):
    def no_ctypes(root):
        raise AssertionError("GetDriveTypeW outside Windows")

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(network, "_drive_type", no_ctypes)
    assert is_network_path("/home/anne/kkr-budget.sqlite") is False
    assert is_network_path(r"\\?\C:\data\kkr-budget.sqlite") is False
