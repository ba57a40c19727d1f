from __future__ import annotations

import pytest

from kkr_desktop.core.allocation import Unit
from kkr_desktop.core.errors import InputError
from kkr_desktop.services.secretariat_settings import MemberPeriod, update_settings
from kkr_desktop.store import secretariats


def test_settings_are_stored_together(demo_store, demo_secretariat):
    members = [MemberPeriod(851, 2022), MemberPeriod(773, 2022, 2023)]
    update_settings(demo_store, demo_secretariat.id, name="Sundhedssekretariatet",
                    kkr="Nordjylland", host_kommune=851, unit=Unit.ORE, members=members)
    sec = secretariats.get(demo_store, demo_secretariat.id)
    assert (sec.name, sec.unit, sec.host_kommune) == ("Sundhedssekretariatet", Unit.ORE, 851)
    assert [m.kommunekode for m in secretariats.members(demo_store, sec.id, 2024)] == [851]


def test_a_bad_setting_stores_nothing(demo_store, demo_secretariat):
    with pytest.raises(InputError, match="til år"):
        update_settings(demo_store, demo_secretariat.id, name="Nyt navn", kkr="Nordjylland",
                        host_kommune=851, unit=Unit.KR,
                        members=[MemberPeriod(851, 2024, 2022)])
    assert secretariats.get(demo_store, demo_secretariat.id).name == demo_secretariat.name
    assert len(secretariats.members(demo_store, demo_secretariat.id)) == 11
