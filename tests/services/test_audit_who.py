"""Who changed what: on a server the audit view also names the login the server recorded."""

from __future__ import annotations

from kkr_desktop.services import safety, statements


def test_the_audit_view_names_the_user_and_on_a_server_the_login(demo_store,
                                                                 demo_secretariat):
    demo_store.user = "lene"
    statements.set_line_field(demo_store, demo_secretariat.id, 2024, "Husleje", "budget",
                              40_000_00)
    newest = safety.audit_rows(demo_store, secretariat_id=demo_secretariat.id, limit=1)[0]
    if demo_store.backend == "postgresql":
        login = demo_store.scalar("SELECT session_user")
        assert newest.who == f"lene ({login})"
        # the server writes the login itself; a client cannot put another there
        assert demo_store.scalar("SELECT db_user FROM audit_log ORDER BY id DESC LIMIT 1") \
            == login
    else:
        assert newest.who == "lene"
    assert newest.what == "Post «Husleje»" and "40.000" in newest.change
