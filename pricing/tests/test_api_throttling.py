"""Throttling is on by default: too many requests answer 429 THROTTLED in our error shape."""

import pytest
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/min", raising=False)
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "writes", "2/min")


def test_anonymous_callers_are_throttled_before_being_told_401(api_client, tight):
    codes = [api_client.get("/api/v1/offerings/").status_code for _ in range(3)]
    assert codes == [401, 401, 429]
    assert api_client.get("/api/v1/offerings/").json()["code"] == "THROTTLED"


def test_writes_have_a_tighter_scope_than_reads(vendor_api, tight):
    for _ in range(3):
        assert vendor_api.get("/api/v1/offerings/").status_code == 200
    codes = [
        vendor_api.post("/api/v1/offerings/", {"name": f"O{n}"}, format="json").status_code
        for n in range(3)
    ]
    assert codes == [201, 201, 429]
