"""A kommune's ERP fields are kept once per database and offered to every secretariat; a
secretariat may keep its own. Databases made before that are migrated without changing what
any secretariat exports."""

from __future__ import annotations

import sqlite3

from kkr_desktop.core.erp import MemberErp
from kkr_desktop.store import erp
from kkr_desktop.store.db import migrations, open_store

AALBORG = ("29189420", "5799999008511", "DEMO 4.62.90-1-5.9")
HJORRING = ("29189382", "5799999008603", "DEMO 4.62.90-1-5.9")


def _before_kommune_erp(db_path) -> sqlite3.Connection:
    """A database at the schema just before the migration that adds kommune_erp."""
    known = migrations()
    target = next(n for n, p in known if p.name.endswith("_kommune_erp.sql"))
    conn = sqlite3.connect(db_path)
    for number, path in known:
        if number < target:
            conn.executescript(path.read_text(encoding="utf-8")
                               + f"\nPRAGMA user_version = {number};")
    conn.execute("INSERT INTO kkr (id, name) VALUES (3, 'Nordjylland')")
    conn.executemany("INSERT INTO kommune (code, name, kkr_id) VALUES (?, ?, 3)",
                     [(851, "Aalborg"), (860, "Hjørring"), (787, "Thisted"), (773, "Morsø")])
    conn.executemany("INSERT INTO secretariat (id, name, kkr_id, created_at) VALUES (?, ?, 3, "
                     "'2023-01-01T00:00:00+01:00')", [(1, "Sundhed"), (2, "Erhverv"),
                                                     (3, "Beskæftigelse")])
    return conn


def test_old_per_secretariat_values_become_shared_and_disagreements_stay_own(db_path):
    conn = _before_kommune_erp(db_path)
    rows = [  # secretariat, kommune, cvr, ean, account, updated_at
        (1, 851, *AALBORG, "2023-05-01T10:00:00+02:00"),
        (2, 851, *AALBORG, "2024-02-01T10:00:00+01:00"),  # same values, newer
        (1, 860, HJORRING[0], HJORRING[1], "gammel konto", "2023-05-01T10:00:00+02:00"),
        (2, 860, *HJORRING, "2024-02-01T10:00:00+01:00"),  # newer: wins
        (1, 787, "29189587", "", "", "2024-03-01T10:00:00+01:00"),  # newest, less complete
        (2, 787, "29189587", "5799999007873", "konto T", "2023-01-01T10:00:00+01:00"),
        (3, 787, "", "", "", "2024-06-01T10:00:00+02:00"),  # nothing typed: no override
    ]
    conn.executemany("INSERT INTO member_erp (secretariat_id, kommune_code, cvr, ean, account,"
                     " updated_at) VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()

    store = open_store(db_path)
    shared = {r["kommune_code"]: (r["cvr"], r["ean"], r["account"])
              for r in store.rows("SELECT * FROM kommune_erp")}
    assert shared == {851: AALBORG, 860: HJORRING,
                      787: ("29189587", "5799999007873", "konto T")}
    # Every secretariat exports exactly what it did before the migration ...
    for sid, code, cvr, ean, account, _ in rows:
        got = erp.member_fields(store, sid).get(code)
        if (cvr, ean, account) == ("", "", ""):
            assert got is not None and not got.own  # ... or, having typed nothing, the shared
            continue
        assert (got.cvr, got.ean, got.konto) == (cvr, ean, account), (sid, code)
    # ... and only where it disagreed with the shared values does it keep its own.
    own = {(sid, code) for sid in (1, 2, 3) for code, m in erp.member_fields(store, sid).items()
           if m.own}
    assert own == {(1, 860), (1, 787)}
    # A secretariat that never typed anything for a kommune is offered the shared values.
    assert erp.member_fields(store, 3)[851].ean == AALBORG[1]
    store.close()


def test_values_typed_once_reach_every_secretariat_and_own_values_stay_apart(store):
    with store.transaction():
        store.insert("kkr", {"id": 99, "name": "Test-KKR"}, key="name")
        for sid in (1, 2):
            store.insert("secretariat", {"id": sid, "name": f"S{sid}", "kkr_id": 99,
                                         "created_at": "2024-01-01T00:00:00+01:00"})
    erp.set_member_fields(store, 1, [MemberErp(851, "Aalborg", *AALBORG)])
    assert erp.member_fields(store, 2)[851] == MemberErp(851, "Aalborg", *AALBORG)

    erp.set_member_fields(store, 2, [MemberErp(851, "Aalborg", *AALBORG[:2], "S2-konto",
                                               own=True)])
    assert erp.member_fields(store, 2)[851].konto == "S2-konto"
    assert erp.member_fields(store, 1)[851].konto == AALBORG[2]  # untouched

    # Saving shared values again from S2 drops its own ones.
    assert erp.set_member_fields(store, 2, [MemberErp(851, "Aalborg", *AALBORG)]) == 1
    assert not erp.member_fields(store, 2)[851].own
    assert store.scalar("SELECT count(*) FROM member_erp") == 0
