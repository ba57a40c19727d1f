"""The audit log window, and the backup and restore actions of the Filer menu."""

from __future__ import annotations

from kkr_desktop.services import safety
from kkr_desktop.services.statements import set_line_field
from kkr_desktop.ui import backup_actions
from kkr_desktop.ui.audit_view import AuditDialog, open_audit_view


def _texts(dialog: AuditDialog) -> list[tuple[str, ...]]:
    m = dialog.model
    return [tuple(m.index(r, c).data() for c in range(m.columnCount()))
            for r in range(m.rowCount())]


def test_the_log_reads_as_words_and_filters(qtbot, demo_store, demo_secretariat):
    set_line_field(demo_store, demo_secretariat.id, 2024, "Husleje", "budget", 3_400_000)
    d = AuditDialog(demo_store, demo_secretariat.id, 2024)
    qtbot.addWidget(d)
    rows = _texts(d)
    assert rows and all(r[2] == demo_secretariat.name and r[3] == "2024" for r in rows)
    at, who, _sec, _year, what, action, change = rows[0]
    assert (what, action) == ("Post «Husleje»", "Ændret")
    assert change.startswith("budget: ") and change.endswith(" → 34.000")
    assert who == demo_store.user and len(at) == len("01.03.2024 14.05")

    d.year.setCurrentIndex(d.year.findData(2023))
    assert {r[3] for r in _texts(d)} == {"2023"}
    d.secretariat.setCurrentIndex(0)
    d.year.setCurrentIndex(0)
    everything = len(_texts(d))
    assert everything > len(rows)
    assert any(r[4].startswith("PL-sats") for r in _texts(d))

    d.user.setCurrentIndex(d.user.findData("en anden"))  # not in the list: stays at Alle
    assert len(_texts(d)) == everything
    d.use_period.setChecked(True)
    d.since.setDate(d.since.date().addYears(5))
    d.until.setDate(d.since.date())
    assert _texts(d) == [] and "Ingen ændringer" in d.count.text()


def test_the_window_menu_opens_the_log(window, monkeypatch):
    opened = []
    monkeypatch.setattr(AuditDialog, "exec", lambda self: opened.append(
        (self.secretariat.currentData(), self.year.currentData())) or 0)
    open_audit_view(window, window.store, window.secretariat_id, window.year)
    assert opened == [(window.secretariat_id, window.year)]


def test_backup_now_says_where(window, messages):
    backup_actions.backup_now(window, window.store)
    [(title, text)] = messages
    assert title == "Sikkerhedskopi" and "Sikkerhedskopien er gemt" in text
    assert [b.kind for b in safety.backups(window.store.path)] == ["manual"]


def test_restore_dialog_restores_the_chosen_backup(window, messages, monkeypatch,
                                                   demo_secretariat):
    store = window.store
    copy = safety.backup_now(store)
    set_line_field(store, demo_secretariat.id, 2024, "Husleje", "budget", 1)
    dialog = backup_actions.RestoreDialog(store.path)
    assert dialog.list.count() == 1 and "Manuel" in dialog.list.item(0).text()
    monkeypatch.setattr(backup_actions, "choose_backup", lambda parent, path: copy)
    monkeypatch.setattr(backup_actions, "confirm", lambda parent, title, text: False)
    assert backup_actions.restore_dialog(window, store) is False
    monkeypatch.setattr(backup_actions, "confirm", lambda parent, title, text: True)
    assert backup_actions.restore_dialog(window, store) is True
    assert store.scalar("SELECT budget FROM statement_line WHERE year = 2024 AND "
                        "name = 'Husleje'") != 1
    assert messages[-1][0] == "Gendannet"


def test_the_log_is_shown_a_page_at_a_time_newest_first(demo_store, monkeypatch, qapp):
    """The dialog reads one page, not the whole log; «Vis flere» adds the next page, and
    the two pages together are the log newest first, each row once."""
    from kkr_desktop.ui import audit_view

    monkeypatch.setattr(audit_view, "PAGE", 5)
    total = demo_store.scalar("SELECT count(*) FROM audit_log")
    assert total > 10
    d = AuditDialog(demo_store)
    assert len(d.model.rows) == 5 and d.more.isEnabled()
    d.show_more()
    assert len(d.model.rows) == 10
    from kkr_desktop.services.safety import audit_rows

    while d.more.isEnabled():
        d.show_more()
    assert d.model.rows == audit_rows(demo_store, limit=total + 1)  # all, once, in order
    assert "ændringer." in d.count.text()
