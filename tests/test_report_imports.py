"""`report` loads only what the printed document needs: not the window (PySide6), the
spreadsheet writer (openpyxl), sqlite-utils, babel's locale data or urllib's network
stack. Each would be imported for nothing on every printed document."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNNEEDED = ("PySide6", "openpyxl", "sqlite_utils", "babel", "urllib.request", "ssl")
PROBE = """
import sys
from kkr_desktop.cli import main
code = main(sys.argv[1:])
print("loaded:", " ".join(m for m in {unneeded!r} if m in sys.modules))
raise SystemExit(code)
"""


def report_loads(db: str, out: Path) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(unneeded=UNNEEDED), "--db", db, "report",
         "--secretariat", "sundhed", "--year", "2024", "-o", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert out.is_file()
    return proc.stdout.split("loaded:", 1)[1].split()


def test_a_draft_report_imports_nothing_it_does_not_use(demo_db_path, tmp_path):
    assert report_loads(demo_db_path, tmp_path / "kladde.pdf") == []


def test_an_approved_report_imports_nothing_it_does_not_use(demo_db_path, tmp_path):
    from kkr_desktop.cli import main

    assert main(["--db", demo_db_path, "approve", "--secretariat", "sundhed", "--year",
                 "2024", "--body", "KKR Nordjylland", "--date", "12.03.2024", "--case", "2.4",
                 "--signatory", "Thomas Kastrup-Larsen, Formand"]) == 0
    assert report_loads(demo_db_path, tmp_path / "godkendt.pdf") == []
