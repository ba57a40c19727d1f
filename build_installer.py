"""Build the program for the machine this runs on: a PyInstaller one-folder bundle, then

- on Windows an Inno Setup installer, dist/KKR-Budget-Setup-<version>.exe (when ISCC is found);
- elsewhere (Linux, CI) a smoke test of the frozen program: --version, init --demo, the
  document (report) on a temporary database, and the window started offscreen and closed.

    python -m pip install ".[build]"
    python build_installer.py [--dist DIR] [--work DIR] [--no-smoke] [--no-installer]

One folder, not one file: a one-file program unpacks Qt into a temporary folder on every start
(slow, and antivirus scanners dislike it). The bundle holds two programs sharing one folder:
"KKR-Budget" (the window; no console on Windows) and "kkr-desktop" (the command line).
It prints the SHA-256 of what it built and writes it to <dist>/SHA256SUMS.txt.
"""

from __future__ import annotations

import argparse
import hashlib
import locale
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
GUI_NAME = "KKR-Budget"  # the window; the Start-menu shortcut points here
CLI_NAME = "kkr-desktop"  # the command line, as the pip-installed script is called
BUNDLE_NAME = "KKR-Budget"  # the folder in dist/
PUBLISHER = "KKR's fælleskommunale sekretariater"
# Inno Setup's AppId: fixed for ever, so a newer installer upgrades an older installation.
APP_ID = "{8C1F4E2A-5B7D-4E39-9A6C-2D0F3B8E7A41}"

# Qt modules the program does not use. PyInstaller only takes what is imported, but naming
# them keeps a developer's machine with the full PySide6 from putting them in the bundle.
QT_EXCLUDES = [
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel", "PySide6.QtWebSockets", "PySide6.QtWebView",
    "PySide6.Qt3DCore", "PySide6.Qt3DRender", "PySide6.Qt3DInput", "PySide6.Qt3DLogic",
    "PySide6.Qt3DAnimation", "PySide6.Qt3DExtras",
    "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.QtSpatialAudio",
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuickControls2",
    "PySide6.QtQuick3D", "PySide6.QtGraphs", "PySide6.QtGraphsWidgets",
    "PySide6.QtDataVisualization", "PySide6.QtLocation", "PySide6.QtPositioning",
    "PySide6.QtBluetooth", "PySide6.QtNfc", "PySide6.QtSensors", "PySide6.QtSerialPort",
    "PySide6.QtSerialBus", "PySide6.QtRemoteObjects", "PySide6.QtScxml",
    "PySide6.QtStateMachine", "PySide6.QtTextToSpeech", "PySide6.QtHttpServer",
    "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools", "PySide6.QtTest",
    "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtSql", "PySide6.QtConcurrent",
    "PySide6.QtNetworkAuth", "PySide6.QtCanvasPainter",
]
PY_EXCLUDES = ["tkinter", "_tkinter", "unittest", "pydoc_data", "IPython", "matplotlib",
               "numpy", "pandas", "scipy", "pytest", "hypothesis", "pypdf", "ruff",
               "setuptools", "pip"]
# Qt plugins for embedded devices, the on-screen keyboard (which pulls in QML and Quick) and
# PDF images (QtPdf: the program renders PDF with pdfium), and the libraries only they need.
# build_installer.py checks afterwards that no Qt library left needs one that was dropped.
QT_DROP = (r"plugins[\\/]+(platforminputcontexts[\\/]+\w*virtualkeyboard\w*"
           r"|imageformats[\\/]+\w*qpdf\w*|egldeviceintegrations[\\/]"
           r"|platforms[\\/]+\w*(eglfs|linuxfb|minimalegl|vnc|vkkhrdisplay)\w*)"
           r"|Qt6(Quick|Qml|VirtualKeyboard|Pdf|EglFS|EglFs)\w*\.(so|dll|dylib)")
# Babel's locale data is 800 files; the program formats in Danish (and falls back to root).
BABEL_LOCALES = re.compile(r"babel[\\/]+locale-data[\\/]+(root|da|da_[A-Z]+|en|en_DK)\.dat$")


def version() -> str:
    text = (ROOT / "kkr_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not match:
        raise SystemExit("Fandt ikke __version__ i kkr_desktop/__init__.py")
    return match.group(1)


def version_tuple(v: str) -> tuple[int, int, int, int]:
    parts = [int(p) for p in re.findall(r"\d+", v)[:4]]
    return tuple(parts + [0] * (4 - len(parts)))  # type: ignore[return-value]


# --- PyInstaller ---------------------------------------------------------------------------

def write_version_file(work: Path, v: str) -> Path:
    """Windows version information (shown under the .exe's Properties → Details)."""
    from kkr_desktop import APP_TITLE

    vt = version_tuple(v)
    strings = {
        "CompanyName": PUBLISHER, "FileDescription": APP_TITLE, "FileVersion": v,
        "InternalName": GUI_NAME, "LegalCopyright": PUBLISHER, "OriginalFilename":
        f"{GUI_NAME}.exe", "ProductName": APP_TITLE, "ProductVersion": v,
    }
    items = ",\n            ".join(f"StringStruct({k!r}, {s!r})" for k, s in strings.items())
    path = work / "version_info.txt"
    path.write_text(f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(filevers={vt}, prodvers={vt}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040604B0', [
            {items}])]),
    VarFileInfo([VarStruct('Translation', [0x0406, 1200])])
  ]
)
""", encoding="utf-8")
    return path


def write_spec(work: Path, v: str) -> Path:
    entry = work / "kkr_entry.py"
    entry.write_text("from kkr_desktop.cli import main\n\nraise SystemExit(main())\n",
                     encoding="utf-8")
    windows = sys.platform == "win32"
    version_file = write_version_file(work, v) if windows else None
    spec = work / "kkr_budget.spec"
    spec.write_text(f"""# Written by build_installer.py; it is rewritten on every build.
import re
from PyInstaller.utils.hooks import collect_submodules, copy_metadata

ROOT = {str(ROOT)!r}
hidden = (
    # the whole program: the window reaches some parts by importlib (ui/features.py)
    collect_submodules("kkr_desktop")
    # imported lazily inside functions or by name at run time
    + collect_submodules("reportlab", filter=lambda n: ".test" not in n)
    + collect_submodules("openpyxl")
    + collect_submodules("sqlite_utils")
    # the shared store on a server: psycopg loads its compiled libpq wrapper by name, and
    # keyring finds its backends (Windows' Credential Manager) through entry points
    + collect_submodules("psycopg") + ["psycopg_binary", "psycopg_binary.pq",
                                       "psycopg_binary._psycopg"]
    + collect_submodules("keyring.backends")
    + ["babel.numbers", "babel.dates", "babel.localedata", "babel.plural",
       "pypdfium2", "pypdfium2_raw", "platformdirs", "sqlite3",
       "PySide6.QtCharts", "PySide6.QtPrintSupport", "PySide6.QtSvg"]
)
a = Analysis(
    [{str(entry)!r}],
    pathex=[ROOT],
    datas=[(ROOT + "/resources", "resources"), (ROOT + "/db/migrations", "db/migrations"),
           (ROOT + "/db/migrations_pg", "db/migrations_pg")] + copy_metadata("keyring"),
    hiddenimports=hidden,
    excludes={QT_EXCLUDES + PY_EXCLUDES!r},
    noarchive=False,
)
babel_keep = re.compile({BABEL_LOCALES.pattern!r})
a.datas = [d for d in a.datas
           if not re.search(r"babel[\\\\/]+locale-data[\\\\/]", d[0]) or babel_keep.search(d[0])]
# Qt translations for other languages than Danish and English: megabytes nobody reads.
a.datas = [d for d in a.datas
           if not re.search(r"[\\\\/]translations[\\\\/]qt\\w*_(?!da|en)\\w+\\.qm$", d[0])]
qt_drop = re.compile({QT_DROP!r}, re.I)
a.binaries = [b for b in a.binaries if not qt_drop.search(b[0])]
a.datas = [d for d in a.datas if not qt_drop.search(d[0])]
pyz = PYZ(a.pure)
common = dict(exclude_binaries=True, debug=False, strip=False, upx=False,
              icon={str(ROOT / "resources" / "icon.ico")!r},
              version={str(version_file) if version_file else None!r})
gui = EXE(pyz, a.scripts, [], name={GUI_NAME!r}, console={not windows!r}, **common)
cli = EXE(pyz, a.scripts, [], name={CLI_NAME!r}, console=True, **common)
COLLECT(gui, cli, a.binaries, a.datas, strip=False, upx=False, name={BUNDLE_NAME!r})
""", encoding="utf-8")
    return spec


def ensure_icon() -> None:
    if not (ROOT / "resources" / "icon.ico").is_file():
        subprocess.run([sys.executable, str(ROOT / "tools" / "make_icon.py")], check=True)


def known_bad_qt() -> str | None:
    """A warning when this Python and PySide6 make a program that crashes in use."""
    try:
        from PySide6 import __version__ as pyside
    except ImportError:
        return None
    if pyside == "6.12.0" and sys.version_info < (3, 12):
        return (f"ADVARSEL: PySide6 {pyside} med Python {platform.python_version()} mister en "
                "reference til None ved hvert kald af en Qt-metode uden returværdi; vinduet "
                "går ned med «none_dealloc» efter et stykke tids brug. Byg med Python 3.12+ "
                "eller en anden PySide6 (fx 6.11.3).")
    return None


def pyinstaller(dist: Path, work: Path, v: str) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit('PyInstaller mangler: python -m pip install ".[build]"') from None
    if warning := known_bad_qt():
        print(warning, file=sys.stderr)
    ensure_icon()
    work.mkdir(parents=True, exist_ok=True)
    spec = write_spec(work, v)
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level=WARN",
           "--distpath", str(dist), "--workpath", str(work / "pyinstaller"), str(spec)]
    subprocess.run(cmd, check=True, cwd=work)
    bundle = dist / BUNDLE_NAME
    for link in [p for p in bundle.rglob("*") if p.is_symlink() and not p.exists()]:
        link.unlink()  # PyInstaller's top-level link to a library QT_DROP left out
    return bundle


def executable(bundle: Path, name: str) -> Path:
    return bundle / (name + (".exe" if sys.platform == "win32" else ""))


# --- smoke test of the frozen program -------------------------------------------------------

def smoke_test(bundle: Path, *, timeout: float = 120) -> list[str]:
    """Run the frozen program as a user would, on a temporary database and temporary
    settings; returns what it printed, raises RuntimeError on the first failure."""
    cli = executable(bundle, CLI_NAME)
    gui = executable(bundle, GUI_NAME)
    log: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kkr-smoke-") as tmp:
        home = Path(tmp)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
               "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
               "APPDATA": str(home / "appdata"), "LOCALAPPDATA": str(home / "localappdata"),
               "KKR_BENCH_EXIT_AFTER_PAINT": "1", "PYTHONPATH": "", "PYTHONHOME": ""}
        db = home / "smoke.sqlite"
        pdf = home / "rapport.pdf"

        def run(exe: Path, *args: str) -> str:
            t0 = time.perf_counter()
            code, out = run_child([str(exe), *args], env=env, cwd=home, timeout=timeout)
            took = time.perf_counter() - t0
            shown = " ".join([exe.name, *args]).replace(str(home), "$TMP")
            log.append(f"$ {shown}   [{took:.2f} s, exit {code}]")
            log.extend("  " + line for line in out.splitlines()[:12])
            if code != 0:
                raise RuntimeError(f"{shown} sluttede med {code}:\n{out}")
            return out

        out = run(cli, "--version")
        if version() not in out:
            raise RuntimeError(f"--version viste ikke {version()}: {out}")
        run(cli, "--db", str(db), "init", "--demo")
        if _has_command("report"):
            run(cli, "--db", str(db), "report", "--secretariat", "sundhed", "--year", "2024",
                "-o", str(pdf))
            if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
                raise RuntimeError("report skrev ingen PDF")
            log.append(f"  PDF: {pdf.stat().st_size} bytes")
        else:  # the document command is not in the program yet
            run(cli, "--db", str(db), "statement", "show", "--secretariat", "sundhed",
                "--year", "2024")
        run(cli, "--db", str(db), "allocate", "--secretariat", "sundhed", "--year", "2024")
        if _has_command("xlsx"):  # openpyxl, imported only here
            xlsx = home / "opgørelse.xlsx"
            run(cli, "--db", str(db), "xlsx", "statement", "--secretariat", "sundhed",
                "--year", "2024", "-o", str(xlsx))
            if not xlsx.is_file() or not xlsx.read_bytes().startswith(b"PK"):
                raise RuntimeError("xlsx statement skrev ingen Excel-fil")
        # The window, offscreen, closing after its first paint: through the command-line
        # program (it prints the time), then the window's own program (on Windows it has
        # no console, so only its exit code says it went well).
        out = run(cli, "--db", str(db), "gui")
        if "first paint" not in out:
            raise RuntimeError(f"vinduet blev ikke tegnet: {out}")
        if "Qt translation: da" not in out:  # qtbase_da.qm: «Ja»/«Nej»/«Annuller»
            raise RuntimeError(f"Qt's danske oversættelse blev ikke indlæst: {out}")
        out = run(gui, "--db", str(db))
        if sys.platform != "win32" and "first paint" not in out:
            raise RuntimeError(f"vinduet blev ikke tegnet: {out}")
    return log


def run_child(cmd: list[str], *, env: dict[str, str], cwd: Path,
              timeout: float) -> tuple[int, str]:
    """Run a (frozen) Python program; its exit code and what it wrote, stdout then stderr.
    It writes to a pipe in the locale's encoding (cp1252 on a Danish Windows, UTF-8 on
    Linux), as this Python does in the same environment: decoded as that, not as UTF-8."""
    proc = subprocess.run(cmd, env=env, cwd=cwd, timeout=timeout, capture_output=True,
                          text=True, encoding=locale.getpreferredencoding(False),
                          errors="replace")
    return proc.returncode, (proc.stdout + proc.stderr).strip()


def _has_command(name: str) -> bool:
    """Whether the source's command line has `name` (then the frozen one must run it)."""
    from kkr_desktop.cli import build_parser

    parser = build_parser()
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        if name in getattr(action, "choices", {}):
            return True
    return False


# --- digests --------------------------------------------------------------------------------

def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def tree_digest(folder: Path) -> tuple[str, int, int]:
    """SHA-256 over every file's relative path and SHA-256 (a symbolic link: its target),
    sorted: one number for the whole folder. Also its file count and size in bytes."""
    h = hashlib.sha256()
    count = size = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_symlink() or p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            h.update(f"-> {os.readlink(path)}  {rel}\n".encode())
            continue
        h.update(f"{sha256(path)}  {rel}\n".encode())
        count += 1
        size += path.stat().st_size
    return h.hexdigest(), count, size


def check_qt_libraries(bundle: Path) -> None:
    """Every Qt library a bundled binary needs is in the bundle (QT_DROP went not too far)."""
    from PyInstaller.depend.bindepend import get_imports

    binaries = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()
                and re.search(r"\.(so(\.[\d.]+)?|dll|pyd|dylib)$", p.name)]
    present = {p.name.lower() for p in bundle.rglob("*")}
    missing = set()
    for binary in binaries:
        try:
            needed = get_imports(str(binary))
        except Exception:  # not a binary PyInstaller can read; nothing to check
            continue
        for item in needed:  # (name, resolved path or None)
            name = Path(item[0] if isinstance(item, tuple) else item).name
            if re.match(r"(lib)?Qt6", name, re.I) and name.lower() not in present:
                missing.add(f"{binary.relative_to(bundle)} → {name}")
    if missing:
        raise RuntimeError("Qt-biblioteker mangler i bundtet:\n  " + "\n  ".join(sorted(missing)))


# --- Inno Setup (Windows) -------------------------------------------------------------------

def inno_script(bundle: Path, dist: Path, v: str,
                winpath: Callable[[Path], str] = str) -> str:
    """The Inno Setup script. `winpath` writes a path as the compiler sees it: as it is on
    Windows; as Z:\\… when the compiler runs under Wine (tools/check_installer_wine.py)."""
    from kkr_desktop import APP_NAME, APP_TITLE

    desktop_task = ('Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; '
                    'GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked')
    files = (f'Source: "{winpath(bundle)}\\*"; DestDir: "{{app}}"; '
             'Flags: ignoreversion recursesubdirs createallsubdirs')
    launch = (f'Filename: "{{app}}\\{GUI_NAME}.exe"; '
              f'Description: "{{cm:LaunchProgram,{APP_TITLE}}}"; '
              'Flags: nowait postinstall skipifsilent')
    return f"""; Written by build_installer.py; it is rewritten on every build.
[Setup]
AppId={{{APP_ID}
AppName={APP_TITLE}
AppVersion={v}
AppVerName={APP_TITLE} {v}
AppPublisher={PUBLISHER}
VersionInfoVersion={".".join(map(str, version_tuple(v)))}
; Per user, without administrator rights: installs under %LOCALAPPDATA%\\Programs, which is
; what {{autopf}} means in a per-user install, spelled out: Wine (the installer's check on
; Linux, tools/windows_check.py) cannot expand {{autopf}}, so the installer that ships is the
; one that is tested.
PrivilegesRequired=lowest
DefaultDirName={{localappdata}}\\Programs\\{APP_NAME}
DefaultGroupName={APP_TITLE}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
CloseApplications=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={winpath(dist)}
OutputBaseFilename=KKR-Budget-Setup-{v}
SetupIconFile={winpath(ROOT / "resources" / "icon.ico")}
UninstallDisplayIcon={{app}}\\{GUI_NAME}.exe
UninstallDisplayName={APP_TITLE}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "danish"; MessagesFile: "compiler:Languages\\Danish.isl"

[Tasks]
{desktop_task}

[Files]
; The program folder is replaced as a whole on an upgrade.
{files}

[InstallDelete]
Type: filesandordirs; Name: "{{app}}\\_internal"

[Icons]
Name: "{{autoprograms}}\\{APP_TITLE}"; Filename: "{{app}}\\{GUI_NAME}.exe"
Name: "{{autodesktop}}\\{APP_TITLE}"; Filename: "{{app}}\\{GUI_NAME}.exe"; Tasks: desktopicon

[Run]
{launch}

; No [UninstallDelete]: the uninstaller removes only what it installed. The user's database,
; backups and settings live in %LOCALAPPDATA%\\{APP_NAME} and the registry and are kept.
"""


def find_iscc() -> Path | None:
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return Path(found)
    for base in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        root = os.environ.get(base)
        if not root:
            continue
        for sub in ("Inno Setup 6", r"Programs\Inno Setup 6"):
            candidate = Path(root) / sub / "ISCC.exe"
            if candidate.is_file():
                return candidate
    return None


def installer(bundle: Path, dist: Path, work: Path, v: str) -> Path | None:
    script = work / "kkr_budget.iss"
    script.write_text(inno_script(bundle, dist, v), encoding="utf-8-sig")
    iscc = find_iscc()
    if iscc is None:
        print(f"Inno Setup (ISCC.exe) blev ikke fundet, så der er ikke lavet en installer.\n"
              f"Installér Inno Setup 6 (winget install JRSoftware.InnoSetup, eller fra\n"
              f"jrsoftware.org) og kør igen; scriptet ligger i {script}.")
        return None
    subprocess.run([str(iscc), "/Q", str(script)], check=True)
    return dist / f"KKR-Budget-Setup-{v}.exe"


# --- main -----------------------------------------------------------------------------------

def safe_output() -> None:
    """Print what cannot be encoded as an escape, not a crash: on Windows a pipe or a file
    is cp1252, and the frozen program's output, Qt's messages and «→» are not all in it."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    p.add_argument("--work", type=Path, default=ROOT / "build" / "installer",
                   help="PyInstaller's work folder")
    p.add_argument("--no-smoke", action="store_true", help="skip the smoke test")
    p.add_argument("--no-installer", action="store_true", help="Windows: skip Inno Setup")
    args = p.parse_args(argv)
    safe_output()
    sys.path.insert(0, str(ROOT))
    dist, work = args.dist.resolve(), args.work.resolve()
    v = version()

    t0 = time.perf_counter()
    bundle = pyinstaller(dist, work, v)
    build_time = time.perf_counter() - t0
    check_qt_libraries(bundle)
    digest, files, size = tree_digest(bundle)
    sums = [f"{sha256(executable(bundle, n))}  {BUNDLE_NAME}/{executable(bundle, n).name}"
            for n in (GUI_NAME, CLI_NAME)]
    sums.append(f"{digest}  {BUNDLE_NAME}/ (tree: sha256 of 'sha256  path' lines)")
    print(f"\nBygget: {bundle}\n  {files} filer, {size / 1e6:.1f} MB, {build_time:.0f} s "
          f"(Python {platform.python_version()}, {platform.system()} {platform.machine()})")

    if not args.no_smoke:
        t1 = time.perf_counter()
        log = smoke_test(bundle)
        print("\nRøgtest af det frosne program:")
        print("\n".join("  " + line for line in log))
        print(f"  OK ({time.perf_counter() - t1:.1f} s)")

    if sys.platform == "win32" and not args.no_installer:
        setup = installer(bundle, dist, work, v)
        if setup is not None:
            sums.insert(0, f"{sha256(setup)}  {setup.name}")
            print(f"\nInstaller: {setup} ({setup.stat().st_size / 1e6:.1f} MB)")

    (dist / "SHA256SUMS.txt").write_text("\n".join(sums) + "\n", encoding="utf-8")
    print("\nSHA-256:")
    print("\n".join("  " + s for s in sums))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
