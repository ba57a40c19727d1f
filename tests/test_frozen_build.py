"""The frozen program works: build the PyInstaller bundle into a temporary folder and run it
as a user would (build_installer.py's smoke test: --version, init --demo, the document, an
allocation, and the window offscreen until its first paint). A missing hidden import or data
file fails here, not on a user's PC. Takes a few minutes; .ci/run runs it."""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _build_installer():
    spec = importlib.util.spec_from_file_location("build_installer", ROOT / "build_installer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_frozen_program_runs(tmp_path: Path) -> None:
    pytest.importorskip("PyInstaller", reason='needs python -m pip install ".[build]"')
    before = {p.name for p in ROOT.iterdir()}
    dist, work = tmp_path / "dist", tmp_path / "work"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build_installer.py"), "--dist", str(dist),
         "--work", str(work), "--no-installer"],
        capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=1800)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-6000:]
    assert "Røgtest af det frosne program:" in out and "  OK (" in out, out[-6000:]
    assert "first paint" in out and "Qt translation: da" in out  # «Ja», «Annuller»
    bundle = dist / "KKR-Budget"
    internal = bundle / "_internal"
    # the data folders the program finds through sys._MEIPASS (kkr_desktop/paths.py)
    assert (internal / "resources" / "kommuner.csv").is_file()
    assert (internal / "resources" / "icon.png").is_file()
    assert sorted((internal / "db" / "migrations").glob("*.sql"))
    assert (dist / "SHA256SUMS.txt").read_text().count("KKR-Budget/") >= 3
    # nothing the program does not use: no QML/Quick, no WebEngine
    names = {p.name for p in internal.rglob("*")}
    assert not [n for n in names if "WebEngine" in n or "Qt6Quick" in n or "Qt6Qml" in n]
    # and no build output in the repository
    assert {p.name for p in ROOT.iterdir()} - before == set()


def test_babel_locales_kept_by_the_spec_filter() -> None:
    """The filter that trims Babel's 800 locale files keeps Danish and its fallbacks."""
    keep = _build_installer().BABEL_LOCALES
    for name in ("root", "da", "da_DK", "en"):
        assert keep.search(f"babel/locale-data/{name}.dat")
    assert not keep.search("babel/locale-data/de_DE.dat")


def test_inno_script_is_per_user_and_keeps_user_data(tmp_path: Path) -> None:
    bi = _build_installer()
    text = bi.inno_script(tmp_path / "KKR-Budget", tmp_path, "1.2.3")
    assert "PrivilegesRequired=lowest" in text
    assert f"AppId={{{bi.APP_ID}" in text
    assert "OutputBaseFilename=KKR-Budget-Setup-1.2.3" in text
    assert "[UninstallDelete]\n" not in text  # the user's database and backups stay
    assert "{autoprograms}" in text
    assert bi.version_tuple("0.1.0") == (0, 1, 0, 0)


def test_inno_script_names_every_path_as_the_compiler_sees_it(tmp_path: Path) -> None:
    """Under Wine (tools/check_installer_wine.py) the compiler sees Z:\\…: no path in the
    script may be left in the Linux form."""
    bi = _build_installer()

    def seen(path: Path) -> str:  # W:\ stands for the root: / on Linux, C:\ or Z:\ on Windows
        return "W:\\" + "\\".join(path.parts[1:])

    text = bi.inno_script(tmp_path / "KKR-Budget", tmp_path, "1.2.3", winpath=seen)
    assert str(tmp_path) not in text and str(bi.ROOT) not in text
    assert f'Source: "{seen(tmp_path / "KKR-Budget")}\\*"' in text
    assert f"OutputDir={seen(tmp_path)}\n" in text
    # {autopf} of a per-user install, spelled out: Wine cannot expand {autopf}
    assert "DefaultDirName={localappdata}\\Programs\\KKR Budget" in text
    assert "={autopf}" not in text


def test_smoke_test_reads_the_child_in_the_encoding_it_writes(tmp_path: Path) -> None:
    """A Python program writes Danish letters to a pipe in the locale's encoding: cp1252 on
    a Danish Windows. Read as UTF-8 they became «\ufffd», and printing that crashed."""
    bi = _build_installer()
    code, out = bi.run_child([sys.executable, "-c", "print('Ærø og Æbelø')"],
                             env=dict(os.environ, PYTHONIOENCODING=""), cwd=tmp_path,
                             timeout=60)
    assert code == 0 and out == "Ærø og Æbelø"


def test_build_output_survives_a_cp1252_pipe(monkeypatch) -> None:
    """On Windows stdout to a pipe is cp1252; «→» (Qt's messages) and «\ufffd» are not in
    it. build_installer.py prints them as escapes instead of crashing."""
    bi = _build_installer()
    out = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    monkeypatch.setattr(sys, "stdout", out)
    bi.safe_output()
    print("Qt6Core.dll → icuuc.dll \ufffd")
    out.flush()
    assert out.buffer.getvalue().startswith(b"Qt6Core.dll \\u2192 icuuc.dll \\ufffd")
