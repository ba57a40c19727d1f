"""Every test here that uses `store` or `demo_store` runs on both back ends."""

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param
