"""A new secretariat in KKR Hovedstaden without any ERP fields: the export dialog shows what
is missing in a short scrollable box, not a list taller than the screen, and points to
«ERP-oplysninger…»."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kkr_desktop.cli import main

RESOURCES = Path(__file__).parents[2] / "resources"


@pytest.fixture
def hovedstaden(tmp_path, capsys):
    """The user's steps on the command line: a new secretariat of 29 kommuner, a budgeted
    contribution, FOLK1A for 2026K1 (invented figures) and the saved allocation."""
    db = str(tmp_path / "h.sqlite")
    with open(RESOURCES / "kommuner.csv", encoding="utf-8-sig") as f:
        names = [r["kommune"] for r in csv.DictReader(f, delimiter=";")
                 if r["kkr"] == "Hovedstaden"]
    folk = tmp_path / "folk1a.csv"
    folk.write_text("OMRÅDE;KØN;ALDER;TID;INDHOLD\n" + "".join(
        f"{name};I alt;Alder i alt;2026K1;{10_000 + 997 * i}\n" for i, name in enumerate(names)),
        encoding="utf-8")
    statement = tmp_path / "budget.csv"
    statement.write_text(
        "sekretariat;år;post;art;rolle;budget;regnskab;budget_note;regnskab_note\n"
        "Test;2027;Indkrævet hos kommunerne;indtægt;bidrag;2.500.000;;;\n"
        "Test;2027;Løn;udgift;;2.500.000;;;\n", encoding="utf-8")
    for args in (["init"],
                 ["secretariat", "create", "--name", "Test", "--kkr", "Hovedstaden",
                  "--year", "2027"],
                 ["statement", "import", str(statement)],
                 ["population", "import", str(folk)],
                 ["allocate", "--secretariat", "Test", "--year", "2027", "--save"]):
        assert main(["--db", db, *args]) == 0, capsys.readouterr()
    from kkr_desktop.store import secretariats
    from kkr_desktop.store.db import open_store

    store = open_store(db)
    yield store, secretariats.find(store, "Test")
    store.close()


def test_29_missing_kommuner_fit_in_a_scrollable_box(qtbot, hovedstaden, messages,
                                                      tmp_path):
    from kkr_desktop.ui.export_dialog import DETAIL_LINES, ExportDialog

    store, sec = hovedstaden
    d = ExportDialog(store, sec.id, 2027)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    assert not d.export_button.isEnabled()
    assert d.warning.text().startswith("ERP-oplysningerne er ikke i orden")
    listed = d.details.toPlainText().splitlines()
    assert len(listed) == 29 and listed[0] == (
        "101 København: CVR-nummer mangler; EAN-nummer mangler; kontostreng mangler.")
    line = d.details.fontMetrics().lineSpacing()
    assert d.details.height() < (DETAIL_LINES + 2) * line  # the rest scrolls
    assert d.details.verticalScrollBar().maximum() > 0
    assert d.minimumSizeHint().height() < 600  # fits a laptop screen
    assert d.members_hint.isVisibleTo(d)
    assert d.members_hint.text().startswith("29 af 29 kommuner mangler oplysninger. Udfyld "
                                            "dem med knappen «ERP-oplysninger…»")
    assert d.grab().save(str(tmp_path / "export_missing.png"))


def test_the_hint_opens_the_members_dialog_and_goes_when_they_are_filled(
        qtbot, hovedstaden, messages, monkeypatch):
    from kkr_desktop.core.erp import MemberErp
    from kkr_desktop.services import members
    from kkr_desktop.ui import members_erp
    from kkr_desktop.ui.export_dialog import ExportDialog

    store, sec = hovedstaden

    def fill(parent, store, secretariat_id):
        fields = [MemberErp(m.kommunekode, m.kommune, cvr="29189846", ean="5798000000001",
                            konto="1.2.3") for m in members.member_fields(store, secretariat_id)]
        members.set_member_fields(store, secretariat_id, fields)
        return True

    monkeypatch.setattr(members_erp, "open_members_erp_dialog", fill)
    d = ExportDialog(store, sec.id, 2027)
    qtbot.addWidget(d)
    d.members_hint.linkActivated.emit("members")
    assert d.export_button.isEnabled(), d.warning.text()
    assert d.members_hint.isHidden() and d.details.isHidden()
    assert d.summary.text().startswith("29 kommuner, i alt 2.500.000,00 kr.")
