"""Can the window open on this Linux machine? Asked before the QApplication exists.

On Linux Qt draws through its xcb plugin, which needs a dozen X11 libraries that a bare
Debian or Ubuntu does not have (libxcb-icccm4, libxcb-keysyms1, …). When one is missing, or
when there is no display at all, Qt aborts the whole process (SIGABRT) with a message that
names the wrong package. So before Qt tries, the program loads the plugin itself and, when
that fails, says in Danish which libraries are missing and the apt-get line that installs
them.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from kkr_desktop.core.errors import KkrError

# What libqxcb.so and libQt6XcbQpa.so need beyond Qt itself (readelf -d, PySide6 6.x),
# with the Debian/Ubuntu package of each. Probed one by one only when the plugin fails to
# load, so that the message lists every missing library, not only the first.
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
_MISSING = re.compile(r"([\w.+-]+\.so(?:\.\d+)*): cannot open shared object file")


class WindowPlatformError(KkrError):
    """The window cannot open here (missing system libraries, no display)."""


def load(path: str) -> None:
    """dlopen a library as the dynamic loader would for Qt (OSError names what is missing).
    Tests replace this function to simulate a missing library."""
    ctypes.CDLL(path, mode=os.RTLD_LAZY)


def uses_xcb(env: Mapping[str, str]) -> bool:
    """Will Qt pick its xcb plugin? Yes when QT_QPA_PLATFORM says xcb, or is unset outside a
    Wayland session (there Qt prefers its wayland plugin)."""
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0].strip() == "xcb"
    return not (env.get("XDG_SESSION_TYPE") == "wayland" and env.get("WAYLAND_DISPLAY"))


def xcb_plugin() -> Path | None:
    from PySide6.QtCore import QLibraryInfo  # QtCore only: no platform plugin loads here

    plugin = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms" \
        / "libqxcb.so"
    return plugin if plugin.is_file() else None


def missing_libraries(plugin: Path) -> list[str]:
    """The system libraries that keep the xcb plugin from loading; empty when it loads."""
    try:
        load(str(plugin))
        return []
    except OSError as exc:
        first = _MISSING.search(str(exc))
        if first is None:
            return [str(exc)]  # not a missing library: say what the loader said
    missing = [first.group(1)]
    for name in XCB_LIBRARIES:
        if name != missing[0]:
            try:
                load(name)
            except OSError:
                missing.append(name)
    return missing


def package_for(library: str) -> str:
    """Debian's package for a library: the table, else Debian's naming rule
    (libfoo-bar.so.1 → libfoo-bar1, libfoo-x11.so.0 → libfoo-x11-0)."""
    if library in XCB_LIBRARIES:
        return XCB_LIBRARIES[library]
    stem, _, version = library.partition(".so")
    version = version.lstrip(".").split(".")[0]
    stem = stem.lower()
    return f"{stem}-{version}" if stem[-1:].isdigit() else f"{stem}{version}"


def import_failed(exc: ImportError) -> KkrError | ImportError:
    """What to raise when importing Qt failed: a Danish WindowPlatformError naming the
    package when a system library is missing (libEGL, libGL, libfontconfig, …), else the
    ImportError itself (that is a fault of the installation, not of the machine)."""
    found = _MISSING.search(str(exc))
    if found is None or not sys.platform.startswith("linux"):
        return exc
    return _missing_error([found.group(1)], "Qt")


def _missing_error(libraries: list[str], what: str) -> WindowPlatformError:
    packages = " ".join(dict.fromkeys(package_for(name) for name in libraries))
    return WindowPlatformError(
        f"Vinduet kan ikke åbnes: {what} mangler "
        f"{'systembiblioteket' if len(libraries) == 1 else 'systembibliotekerne'} "
        f"{', '.join(libraries)}. Installer med:\n"
        f"    sudo apt-get install {packages}\n"
        "Kommandolinjens kommandoer virker uden.")


def check(env: Mapping[str, str] | None = None, platform: str | None = None) -> None:
    """Raise WindowPlatformError (Danish, naming what to install) when Qt would abort on
    this Linux machine for want of a display or of the xcb plugin's libraries."""
    env = os.environ if env is None else env
    if not (platform or sys.platform).startswith("linux") or not uses_xcb(env):
        return
    if not env.get("DISPLAY"):
        raise WindowPlatformError(
            "Vinduet kan ikke åbnes: der er ingen skærm (miljøvariablen DISPLAY er ikke "
            "sat). Kommandolinjens kommandoer virker uden skærm: se "
            "«python -m kkr_desktop --help».")
    plugin = xcb_plugin()
    if plugin is None:
        return  # Qt says itself that the plugin is not there
    missing = missing_libraries(plugin)
    if not missing:
        return
    libraries = [m for m in missing if ".so" in m and " " not in m]
    if not libraries:
        raise WindowPlatformError(
            f"Vinduet kan ikke åbnes: Qt's skærmmodul {plugin} kan ikke indlæses: "
            f"{missing[0]}")
    raise _missing_error(libraries, "Qt's skærmmodul (xcb)")
