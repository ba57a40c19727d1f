"""The install phase of tools/windows_check.py: the installer that build_installer.py made,
as a user meets it, in a fresh Wine prefix (tools/check_installer_wine.py's helpers).

1. an older version (a stand-in made with the same script) is installed, and the user's
   database and a backup are written where Windows keeps them, by the program from source;
2. the new installer installs over it: same folder, stale files gone, one uninstall entry
   with the new version, the user's data untouched;
3. the installed program runs: --version, init --demo, report (a PDF with pages) on the
   user's own database, the window to its first paint, and a screenshot of the window;
4. the uninstaller removes the program, its shortcut and entry, and keeps the data.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import check_installer_wine as ciw
from check_installer_wine import CheckFailed, check, digests
from windows_phases import Context, Failure, phase_python, winpath

from kkr_desktop import APP_NAME, APP_TITLE

OLD_VERSION = "0.0.1"


def install_and_run(ctx: Context, setup: Path) -> None:
    try:
        _install_and_run(ctx, setup)
    except CheckFailed as failed:
        raise Failure(str(failed)) from None


def _install_and_run(ctx: Context, setup: Path) -> None:
    import build_installer as bi

    r = ctx.runner
    if not (ctx.python_prefix / "drive_c").is_dir():
        phase_python(ctx)  # the program from source writes the older version's data
    prefix = ctx.work / "instprefix"
    ctx.new_prefix(prefix)
    ctx.install_icu_stub(prefix)  # Wine lacks Windows 10's icuuc.dll: system32, never the app
    wine = ciw.Wine(prefix, ctx.wine_env(prefix))
    work = ctx.work / "install"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    local, roaming = wine.user_folder("LOCALAPPDATA"), wine.user_folder("APPDATA")
    app_dir = local / "Programs" / APP_NAME
    data_dir = local / APP_NAME
    shortcut = roaming / "Microsoft/Windows/Start Menu/Programs" / f"{APP_TITLE}.lnk"
    gui, cli = f"{bi.GUI_NAME}.exe", f"{bi.CLI_NAME}.exe"
    version = bi.version()

    def install(exe: Path, log: str) -> None:
        proc = wine.run(winpath(exe), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART",
                        f"/LOG={winpath(work / log)}", timeout=600)
        wine.wait()
        if proc.returncode != 0:
            tail = (work / log).read_text(encoding="utf-8-sig", errors="replace")[-1500:] \
                if (work / log).is_file() else ""
            raise CheckFailed(f"{exe.name} sluttede med {proc.returncode}\n{tail}")

    r.say(f"  1. version {OLD_VERSION} (en stand-in) og brugerens data")
    old = ciw.stand_in_bundle(work / "old", {
        gui: b"MZ stand-in", cli: b"MZ stand-in", "_internal/gammel.dll": b"old"})
    install(ciw.compile_installer(wine, ctx.iscc, work / "old-setup", old, OLD_VERSION),
            "install-old.log")
    check(wine.reg_value("HKCU", ciw.UNINSTALL_KEY, "DisplayVersion") == OLD_VERSION,
          f"version {OLD_VERSION} installeret")
    db = data_dir / "kkr-budget.sqlite"
    for args in (["init", "--demo"], ["backup"]):
        ctx.python("-B", "-m", "kkr_desktop", "--db", winpath(db), *args)
    data_before = digests(data_dir)
    check(any(p.startswith("backups/") for p in data_before),
          f"%LOCALAPPDATA%\\{APP_NAME}: database og sikkerhedskopi")

    r.say(f"  2. {setup.name} over version {OLD_VERSION}")
    install(setup, "install-new.log")
    check((app_dir / gui).stat().st_size > 100_000 and (app_dir / cli).is_file(),
          f"programmet i %LOCALAPPDATA%\\Programs\\{APP_NAME}")
    check(not (app_dir / "_internal" / "gammel.dll").exists(), "den gamle versions filer er væk")
    check(not [p for p in app_dir.rglob("*") if p.name.lower() == "icuuc.dll"],
          "ingen icuuc.dll i programmappen")
    check(wine.reg_value("HKCU", ciw.UNINSTALL_KEY, "DisplayVersion") == version,
          f"én afinstallationspost, nu version {version}")
    check(shortcut.is_file(), f"genvej i Start-menuen: {shortcut.name}")
    check(digests(data_dir) == data_before, "brugerens database og sikkerhedskopi urørte")

    r.say("  3. det installerede program")
    exe = f"{winpath(app_dir)}\\{cli}"
    out = _run(wine, exe, "--version")
    check(version in out, f"{cli} --version: {out.strip()}")
    demo = work / "demo.sqlite"
    _run(wine, exe, "--db", winpath(demo), "init", "--demo")
    check(demo.is_file(), "init --demo lavede en ny database")
    pdf = work / "rapport.pdf"
    _run(wine, exe, "report", "--secretariat", "sundhed", "--year", "2024", "-o", winpath(pdf))
    data = pdf.read_bytes() if pdf.is_file() else b""
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    check(data.startswith(b"%PDF") and pages >= 1,
          f"report på brugerens database: PDF med {pages} sider")
    server = os.environ.get("KKR_WINE_PG")  # .ci/run's throwaway PostgreSQL cluster
    if server:
        on_server(ctx, wine, exe, server, work)
    out = _run(wine, exe, "gui", KKR_BENCH_EXIT_AFTER_PAINT="1")
    check("first paint" in out, f"vinduet (Qt's Windows-plugin): {out.strip().splitlines()[-1]}")
    shot = screenshot(ctx, wine, f"{winpath(app_dir)}\\{gui}", work)
    ctx.summary.append(f"Skærmbillede af det installerede program under Wine: {shot}")
    ctx.runner.kill_wine(prefix)
    wine.wait()
    data_kept = digests(data_dir)

    r.say("  4. afinstallation")
    [uninstaller] = sorted(app_dir.glob("unins*.exe"))[:1] or [None]
    check(uninstaller is not None, "afinstallationsprogram findes")
    proc = wine.run(winpath(uninstaller), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART",
                    timeout=600)
    wine.wait()
    check(proc.returncode == 0, f"afinstallationen sluttede med {proc.returncode}")
    check(not app_dir.exists() and not shortcut.exists(), "program og genvej er fjernet")
    check(wine.reg_value("HKCU", ciw.UNINSTALL_KEY, "DisplayVersion") is None,
          "afinstallationsposten er fjernet")
    check(digests(data_dir) == data_kept, "brugerens data bevaret byte for byte")


def on_server(ctx: Context, wine: ciw.Wine, exe: str, admin_url: str, work: Path) -> None:
    """The installed Windows program on a PostgreSQL server (psycopg's bundled libpq):
    `server init` makes a database, the demo goes onto it, and a report is printed from it."""
    ctx.runner.say("  3b. det installerede program på en PostgreSQL-server")
    name = f"kkr_wine_{os.getpid()}"
    out = _run(wine, exe, "server", "init", admin_url, "--database", name)
    check(f"{name}_owner" in out, f"server init (databasen {name}): "
          + " ".join(out.strip().splitlines()[:1]))
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"  # the same login, the new database
    _run(wine, exe, "--db", url, "init", "--demo")
    out = _run(wine, exe, "--db", url, "secretariat", "list")
    check("Sundhed" in out, "init --demo på serveren: sekretariatet findes")
    pdf = work / "rapport-server.pdf"
    _run(wine, exe, "--db", url, "report", "--secretariat", "sundhed", "--year", "2024",
         "-o", winpath(pdf))
    data = pdf.read_bytes() if pdf.is_file() else b""
    check(data.startswith(b"%PDF"), "report fra serveren: en PDF")


def _run(wine: ciw.Wine, exe: str, *args: str, **env: str) -> str:
    saved = dict(wine.env)
    wine.env.update(env)
    try:
        proc = subprocess.run(["wine", exe, *args], env=wine.env, capture_output=True,
                              input=b"", timeout=300)
    finally:
        wine.env = saved
    out = (proc.stdout + proc.stderr).decode("cp1252", errors="replace")
    if proc.returncode != 0:
        raise CheckFailed(f"{exe.rsplit(chr(92), 1)[-1]} {' '.join(args)} sluttede med "
                          f"{proc.returncode}:\n{out[-2000:]}")
    return out


def screenshot(ctx: Context, wine: ciw.Wine, exe: str, work: Path) -> Path:
    """The installed window on the virtual screen, saved as PNG once it has drawn."""
    if not ctx.display or not shutil.which("import"):
        raise CheckFailed("intet skærmbillede: Xvfb eller ImageMagick mangler")
    proc = subprocess.Popen(["wine", exe], env=wine.env, stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shot = ctx.work / "kkr-budget-wine.png"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            tree = subprocess.run(["xwininfo", "-root", "-tree", "-display", ctx.display],
                                  capture_output=True, text=True, errors="replace").stdout
            if "KKR Budget" in tree:
                break
            time.sleep(2)
        else:
            raise CheckFailed("vinduet kom ikke frem på 120 s")
        time.sleep(8)  # its first paint and the statement's figures
        subprocess.run(["import", "-display", ctx.display, "-window", "root", str(shot)],
                       check=True, capture_output=True, timeout=60)
    finally:
        ctx.runner.kill_wine(wine.prefix)
        proc.wait(timeout=60)
    check(shot.is_file() and shot.stat().st_size > 10_000, f"skærmbillede: {shot}")
    return shot
