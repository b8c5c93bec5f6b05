"""The API's throttles count requests with two counters per client (``catalog.api.throttling``):
as many requests as the rate allows, then 429 with the seconds to wait; a window's requests
weigh on the next one as they slide out of it; refused requests are not counted."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory

from catalog.api.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ask(monkeypatch):
    """``ask(at)``: one anonymous request at ``at`` seconds, 10 a minute allowed: whether it
    was allowed, and the throttle that judged it."""
    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "rate", "10/min", raising=False)
    request = RequestFactory().get("/api/v1/offerings/", REMOTE_ADDR="192.0.2.1")
    request.user = AnonymousUser()

    def ask(at: float):
        throttle = AnonRateThrottle()
        throttle.timer = Clock(at)
        return throttle.allow_request(request, None), throttle

    yield ask
    cache.clear()


def test_the_rate_is_allowed_then_refused_until_the_window_has_slid(ask):
    allowed = [ask(6000 + n)[0] for n in range(11)]  # a window starts at 6000 (100 minutes)
    refused, throttle = ask(6011)

    assert allowed == [True] * 10 + [False]
    assert refused is False
    # The next window starts at 6060, weighing these ten fully: room comes just after it.
    assert throttle.wait() == pytest.approx(49, abs=0.01)
    assert ask(6060)[0] is False
    assert ask(6060.5)[0] is True


def test_a_window_s_requests_weigh_on_the_next_as_they_slide_out(ask):
    for n in range(10):
        assert ask(6030 + n)[0]  # the second half of the window 6000-6060
    # 15 s into the next window the ten weigh 10 × 45/60 = 7.5: three more fit, a fourth not.
    assert [ask(6075)[0] for _ in range(4)] == [True, True, True, False]
    refused, throttle = ask(6075)
    # 3 + 10 × (1 − t/60) < 10 once t > 18 s: three seconds on.
    assert refused is False and throttle.wait() == pytest.approx(3, abs=0.01)
    assert ask(6078.5)[0] is True


def test_refused_requests_are_not_counted(ask):
    for n in range(10):
        assert ask(6000 + n)[0]
    for n in range(50):
        assert ask(6010 + n / 10)[0] is False
    # Counting the refused ones would weigh 60 on the next window; the ten weigh 10 × 59/60.
    assert ask(6061)[0] is True


def test_a_client_s_requests_cost_two_cache_entries_however_many(ask):
    for n in range(10):
        ask(6000 + n)
    for n in range(10):
        ask(6060 + n)

    keys = [key for key in cache._cache if "throttle_anon" in key]  # LocMemCache's own store
    assert len(keys) == 2, keys


def test_the_api_answers_429_with_the_seconds_to_wait(api_client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/min", raising=False)
    cache.clear()
    codes = [api_client.get("/api/v1/offerings/").status_code for _ in range(3)]
    refused = api_client.get("/api/v1/offerings/")

    assert codes == [401, 401, 429]
    assert refused.json()["code"] == "THROTTLED"
    assert 0 < int(refused["Retry-After"]) <= 120
