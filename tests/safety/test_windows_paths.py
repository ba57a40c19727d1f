"""Where the database lives on Windows: %LOCALAPPDATA%\\KKR Budget, as the installer tells
the user (it keeps that folder on uninstall). Checked on Linux through platformdirs' own
Windows class with the known-folder lookup replaced."""

from __future__ import annotations

import ntpath
from pathlib import PureWindowsPath

import platformdirs
import pytest
from platformdirs import windows

from kkr_desktop import APP_NAME, paths

LOCAL = r"C:\Users\anne\AppData\Local"
ROAMING = r"C:\Users\anne\AppData\Roaming"


@pytest.fixture
def on_windows(monkeypatch):
    asked: list[str] = []

    def folder(csidl: str) -> str:
        asked.append(csidl)
        return {"CSIDL_LOCAL_APPDATA": LOCAL, "CSIDL_APPDATA": ROAMING}[csidl]

    monkeypatch.setattr(platformdirs, "PlatformDirs", windows.Windows)
    monkeypatch.setattr(windows, "get_win_folder", folder)
    monkeypatch.setattr(windows.os, "path", ntpath)  # the separators Windows uses
    return asked


def test_the_database_is_in_local_appdata_under_the_program_name(on_windows):
    assert on_windows == [] and str(paths.data_dir()) == ntpath.join(LOCAL, APP_NAME)
    # not roaming: a SQLite file must not travel with a roaming profile to a server
    assert on_windows == ["CSIDL_LOCAL_APPDATA"]
    # (pathlib joins with / on Linux; Windows reads / as \)
    assert PureWindowsPath(str(paths.default_db_path())) == PureWindowsPath(
        LOCAL, APP_NAME, "kkr-budget.sqlite")
    assert PureWindowsPath(str(paths.demo_db_path())) == PureWindowsPath(
        LOCAL, APP_NAME, "demo.sqlite")


def test_the_program_name_is_a_valid_windows_folder_name():
    assert not set(APP_NAME) & set('<>:"/\\|?*') and APP_NAME == APP_NAME.rstrip(". ")
