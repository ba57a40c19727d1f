"""Entry points that other parts of the program provide (approval, printing, ERP export,
audit log, backups), reached through one guarded import so a missing one says so politely."""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtWidgets import QWidget

from kkr_desktop.ui import errors


def call(parent: QWidget | None, module: str, function: str, *args: Any) -> Any:
    """Import kkr_desktop.<module> and call <function>(parent, *args); errors are shown."""
    try:
        target = getattr(importlib.import_module(f"kkr_desktop.{module}"), function)
    except (ImportError, AttributeError):
        errors.not_available(parent)
        return None
    try:
        return target(parent, *args)
    except Exception as exc:  # the user sees it instead of losing the window
        errors.show_error(parent, exc)
        return None
