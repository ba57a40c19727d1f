"""Before Qt aborts on a Linux machine without the xcb plugin's libraries (or without a
display), the program says in Danish what is missing and how to install it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kkr_desktop.ui import qt_platform
from kkr_desktop.ui.qt_platform import WindowPlatformError

X11 = {"DISPLAY": ":0"}
PLUGIN = Path("/qt/plugins/platforms/libqxcb.so")


def simulate(monkeypatch, missing: set[str]) -> list[str]:
    """The loader as on a machine without `missing`; returns what was asked for."""
    asked: list[str] = []

    def load(path: str) -> None:
        asked.append(path)
        if path == str(PLUGIN):
            if missing:
                first = sorted(missing)[0]
                raise OSError(f"{first}: cannot open shared object file: No such file or "
                              "directory")
        elif path in missing:
            raise OSError(f"{path}: cannot open shared object file: No such file or directory")

    monkeypatch.setattr(qt_platform, "load", load)
    monkeypatch.setattr(qt_platform, "xcb_plugin", lambda: PLUGIN)
    return asked


def test_missing_libraries_are_named_with_the_apt_get_line(monkeypatch):
    simulate(monkeypatch, {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"})
    with pytest.raises(WindowPlatformError) as caught:
        qt_platform.check(X11, "linux")
    message = caught.value.message
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in message
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1\n" in message
    assert caught.value.exit_code == 1


def test_a_library_outside_the_table_gets_debians_package_name(monkeypatch):
    simulate(monkeypatch, {"libxcb-xinput.so.0"})
    with pytest.raises(WindowPlatformError, match="apt-get install libxcb-xinput0\n"):
        qt_platform.check(X11, "linux")
    assert qt_platform.package_for("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert qt_platform.package_for("libFoo-bar.so.2.1") == "libfoo-bar2"


def test_a_plugin_that_loads_is_not_questioned(monkeypatch):
    asked = simulate(monkeypatch, set())
    qt_platform.check(X11, "linux")
    assert asked == [str(PLUGIN)]


@pytest.mark.parametrize("env, system", [
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux"),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland"}, "linux"),
    ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux"),
    ({}, "win32"),
    ({}, "darwin"),
])
def test_no_check_where_qt_does_not_use_xcb(monkeypatch, env, system):
    asked = simulate(monkeypatch, {"libxcb-icccm.so.4"})
    qt_platform.check(env, system)
    assert asked == []


def test_no_display_is_said_in_danish(monkeypatch):
    simulate(monkeypatch, set())
    with pytest.raises(WindowPlatformError, match="ingen skærm .*DISPLAY"):
        qt_platform.check({"QT_QPA_PLATFORM": "xcb"}, "linux")


def ldd_not_found(library: Path) -> set[str]:
    out = subprocess.run(["ldd", str(library)], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines() if "not found" in line}


@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("ldd"),
                    reason="ldd on Linux is the reference")
def test_the_real_plugin_agrees_with_ldd():
    """On this machine, for real: what the probe finds missing is what ldd finds missing."""
    plugin = qt_platform.xcb_plugin()
    if plugin is None:
        pytest.skip("this PySide6 has no xcb plugin")
    assert set(qt_platform.missing_libraries(plugin)) == ldd_not_found(plugin)


@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("ldd"),
                    reason="needs a Linux machine and ldd")
def test_the_window_on_a_machine_without_the_libraries_says_so(tmp_path):
    """Where the libraries really are missing (a bare Debian), the window start says which
    ones and exits 1; Qt itself would abort (SIGABRT) naming the wrong package."""
    plugin = qt_platform.xcb_plugin()
    missing = ldd_not_found(plugin) if plugin else set()
    if not missing:
        pytest.skip("the xcb plugin's libraries are all installed here")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("QT_", "WAYLAND_", "XDG_SESSION"))}
    env.update(DISPLAY=":99", HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-m", "kkr_desktop", "--demo"], env=env,
                          cwd=Path(__file__).resolve().parents[2], capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "apt-get install" in done.stderr
    for name in missing:
        assert name in done.stderr
    assert not (tmp_path / "data").exists()  # nothing was opened or created


class _NoEgl:
    """An import finder that fails kkr_desktop.ui.app the way a machine without libEGL
    fails `import PySide6.QtGui`."""

    def find_spec(self, name, path=None, target=None):
        if name == "kkr_desktop.ui.app":
            raise ImportError("libEGL.so.1: cannot open shared object file: No such file or "
                              "directory")
        return None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux libraries")
def test_qt_that_cannot_import_says_which_library_is_missing(monkeypatch, capsys):
    from kkr_desktop.cli import main

    monkeypatch.delitem(sys.modules, "kkr_desktop.ui.app", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoEgl(), *sys.meta_path])
    assert main(["--demo"]) == 1
    err = capsys.readouterr().err
    assert "mangler systembiblioteket libEGL.so.1" in err
    assert "sudo apt-get install libegl1\n" in err


def test_an_import_error_that_is_not_a_library_stays_what_it_is():
    exc = ImportError("cannot import name 'run'")
    assert qt_platform.import_failed(exc) is exc
