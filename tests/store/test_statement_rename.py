from __future__ import annotations

from kkr_desktop.services.statements import set_line_field
from kkr_desktop.store import statements as lines_store


def test_a_line_can_be_renamed_through_set_line_field(demo_store, demo_secretariat):
    set_line_field(demo_store, demo_secretariat.id, 2024, "Husleje", "name", "Husleje og el")
    names = [ln.name for ln in lines_store.year_lines(demo_store, demo_secretariat.id, 2024)]
    assert "Husleje og el" in names and "Husleje" not in names
