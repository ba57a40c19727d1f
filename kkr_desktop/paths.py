"""Where the program's files are: bundled resources, migrations and the user's database."""

from __future__ import annotations

import sys
from pathlib import Path

from kkr_desktop import APP_NAME

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def _bundled(source_dir: str, installed_name: str) -> Path:
    """A folder shipped with the program: the source tree's, else the installed copy
    (pyproject.toml maps it into the package as `installed_name`)."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / source_dir
    local = _SOURCE_ROOT / source_dir
    if (_SOURCE_ROOT / "pyproject.toml").is_file() and local.is_dir():
        return local
    return Path(__file__).resolve().parent / installed_name


def resources_dir() -> Path:
    return _bundled("resources", "_resources")


def migrations_dir() -> Path:
    return _bundled("db/migrations", "_migrations")


def pg_migrations_dir() -> Path:
    """The same migrations for PostgreSQL (db/migrations_pg), number for number."""
    return _bundled("db/migrations_pg", "_migrations_pg")


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "kkr-budget.sqlite"


def demo_db_path() -> Path:
    return data_dir() / "demo.sqlite"
