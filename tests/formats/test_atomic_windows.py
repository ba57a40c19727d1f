"""Writing files where Windows refuses to replace an open one, and the file names the
program suggests. Windows is simulated on Linux: sys.platform, and the PermissionError that
Windows raises for a file another program (Excel) has open."""

from __future__ import annotations

import builtins
import os
import re
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.core.errors import InputError
from kkr_desktop.formats import atomic
from kkr_desktop.formats.atomic import safe_file_name

SHARING_VIOLATION = "Processen kan ikke få adgang til filen, fordi den bruges af en anden proces"


@pytest.fixture
def windows(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(atomic, "REPLACE_PAUSE", 0)


def _excel_has_open(monkeypatch, *opened: Path) -> None:
    """Excel holds `opened` without sharing write access: opening it for writing fails."""
    real_open = builtins.open

    def fake_open(file, mode="r", *args, **kwargs):
        if Path(file) in opened and any(c in mode for c in "wa+"):
            raise PermissionError(13, SHARING_VIOLATION, str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(atomic, "open", fake_open, raising=False)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_file_open_in_excel_is_named_and_nothing_is_touched(tmp_path, windows, monkeypatch):
    first, second = tmp_path / "bidrag_2024_0851_Aalborg.csv", tmp_path / "bidrag_2024.csv"
    first.write_bytes(b"old first")
    second.write_bytes(b"old second")
    _excel_has_open(monkeypatch, second)
    replaced = []
    monkeypatch.setattr(os, "replace", lambda a, b: replaced.append(b))

    with pytest.raises(InputError) as err:
        atomic.write_files({first: b"new first", second: b"new second"}, protected=atomic.NOTHING)
    assert str(second) in err.value.message
    assert "åben i et andet program (fx Excel)" in err.value.message
    assert "Luk filen" in err.value.message and "Intet er skrevet" in err.value.message
    assert ".tmp" not in err.value.message
    assert replaced == []  # refused before any file was renamed
    assert first.read_bytes() == b"old first" and second.read_bytes() == b"old second"
    assert _leftovers(tmp_path) == []


def test_a_refused_rename_names_the_chosen_file_not_the_temporary_one(
        tmp_path, windows, monkeypatch):
    """Opened between the check and the rename (or read-only): after a few tries, the
    user is told which of their files, and the files already placed are taken back."""
    placed_first, refused = tmp_path / "a.csv", tmp_path / "b.csv"
    real_replace = os.replace
    tries = []

    def replace(src, dst):
        if Path(dst) == refused:
            tries.append(src)
            raise PermissionError(13, "Adgang nægtet", str(src), None, str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(InputError) as err:
        atomic.write_files({placed_first: b"1", refused: b"2"}, protected=atomic.NOTHING)
    assert str(refused) in err.value.message and "åben i et andet program" in err.value.message
    assert len(tries) == atomic.REPLACE_TRIES
    assert not placed_first.exists() and not refused.exists()
    assert _leftovers(tmp_path) == []


def test_a_moment_of_virus_scanning_is_waited_out(tmp_path, windows, monkeypatch):
    target = tmp_path / "kassekladde.csv"
    real_replace = os.replace
    tries = []

    def replace(src, dst):
        tries.append(dst)
        if len(tries) < 3:
            raise PermissionError(13, SHARING_VIOLATION, str(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    atomic.write_file(target, b"ok", protected=atomic.NOTHING)
    assert target.read_bytes() == b"ok"
    assert len(tries) == 3
    assert _leftovers(tmp_path) == []


def test_off_windows_a_refused_rename_is_tried_once_and_blames_the_folder(
        tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    tries = []

    def replace(src, dst):
        tries.append(dst)
        raise PermissionError(13, "Permission denied", str(src))

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(InputError) as err:
        atomic.write_file(tmp_path / "x.pdf", b"%PDF", protected=atomic.NOTHING)
    assert len(tries) == 1
    assert f"må ikke skrive i mappen {tmp_path}" in err.value.message
    assert _leftovers(tmp_path) == []


def test_a_folder_whose_acl_refuses_writing_is_said_in_danish(tmp_path, windows, monkeypatch):
    """On Windows os.access(folder, W_OK) is true for any folder (it reads only the
    read-only attribute); the refusal comes from creating the temporary file."""
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Adgang nægtet", str(tmp_path))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(InputError) as err:
        atomic.write_file(tmp_path / "rapport.pdf", b"%PDF", protected=atomic.NOTHING)
    assert f"må ikke skrive i mappen {tmp_path}" in err.value.message
    assert "rapport.pdf" in err.value.message


# --- suggested file names ------------------------------------------------------------------

WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])( *\..*)?$", re.IGNORECASE)


def assert_windows_accepts(name: str) -> None:
    assert not WINDOWS_FORBIDDEN.search(name), name
    assert not name.endswith((".", " ")), name
    assert not RESERVED.match(name), name
    assert 0 < len(name) <= 200, name


@pytest.mark.parametrize(("stem", "suffix", "expected"), [
    ('Sekr. "Nord/Syd": A|B <test>?*', ".pdf", "Sekr. -Nord-Syd- A-B -test-.pdf"),
    ("Linje\tmed\nskift", ".pdf", "Linje-med-skift.pdf"),
    ("CON", ".pdf", "_CON.pdf"),
    ("nul", ".csv", "_nul.csv"),
    ("com1.backup", ".csv", "_com1.backup.csv"),
    ("CONSOLE", ".pdf", "CONSOLE.pdf"),
    ("Sekretariat . ", "", "Sekretariat"),
    ("...", ".pdf", "fil.pdf"),
    ("", ".csv", "fil.csv"),
])
def test_safe_file_name(stem, suffix, expected):
    assert safe_file_name(stem, suffix) == expected
    assert_windows_accepts(expected)


def test_a_very_long_name_is_cut_but_keeps_its_suffix():
    name = safe_file_name("Det fælleskommunale " * 20, ".pdf")
    assert name.endswith(".pdf") and len(name) <= atomic.MAX_STEM + 4
    assert_windows_accepts(name)


@pytest.mark.parametrize("name", [
    'Sekretariat for "Sundhed": Nord/Syd?', "CON", "Sekretariat for NUL", "Bølle\x01sekr.",
    "Det fælleskommunale Sekretariat for  *  ", "A" * 300,
])
def test_suggested_report_names_are_valid_on_windows(store, name):
    from kkr_desktop.services.report import suggested_filename
    from kkr_desktop.store import secretariats

    kkr_id = store.scalar("SELECT min(id) FROM kkr")
    sid = secretariats.create(store, name, kkr_id)
    suggested = suggested_filename(store, sid, 2024)
    assert suggested.endswith(" - regnskab 2023 og budget 2024 (kladde, revision 1).pdf") or \
        len(name) > atomic.MAX_STEM
    assert_windows_accepts(suggested)


def test_suggested_report_name_is_unchanged_for_an_ordinary_name(store):
    from kkr_desktop.services.report import suggested_filename
    from kkr_desktop.store import secretariats

    sid = secretariats.create(store, 'Sekretariat for Sundhed: "Nord"', 1)
    assert suggested_filename(store, sid, 2024) == \
        "Sundhed- -Nord- - regnskab 2023 og budget 2024 (kladde, revision 1).pdf"


@pytest.mark.parametrize(("kommune", "expected"), [
    ("Aalborg", "bidrag_2024_Sundhed_Nord_851_Aalborg.csv"),
    ("Lyngby-Taarbæk", "bidrag_2024_Sundhed_Nord_173_Lyngby-Taarbæk.csv"),
    ('Ny "kommune"/Syd.', "bidrag_2024_Sundhed_Nord_851_Ny_kommune_Syd.csv"),
    ("Bad\x07name", "bidrag_2024_Sundhed_Nord_851_Bad_name.csv"),
])
def test_suggested_erp_file_names_are_valid_on_windows(kommune, expected):
    from kkr_desktop.services.export import file_name

    plan = SimpleNamespace(kind=AllocationKind.CONTRIBUTION, year=2024,
                           secretariat=SimpleNamespace(name='Sundhed: "Nord"'))
    code = 173 if "Lyngby" in kommune else 851
    name = file_name(plan, SimpleNamespace(kommunekode=code, kommune=kommune))
    assert name == expected
    assert_windows_accepts(name)
    assert file_name(plan) == "bidrag_2024_Sundhed_Nord.csv"
    assert file_name(plan, fmt="xlsx") == "bidrag_2024_Sundhed_Nord.xlsx"
