"""Fixtures for the API tests that run against a real HTTP server with the demo data."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle


@pytest.fixture
def demo_tokens(shared_demo, db, monkeypatch) -> dict[str, str]:
    """Demo data (loaded once for the module), and real tokens by username: ``northwind``
    (vendor staff with rows to act on) and ``distributor``. Throttling is lifted; a 429 stays
    documented (catalog/api/schema.py)."""
    for scope in SimpleRateThrottle.THROTTLE_RATES:
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "1000000/min")
    users = get_user_model().objects.filter(username__in=["northwind", "distributor"])
    return {user.username: Token.objects.create(user=user).key for user in users}


@pytest.fixture
def quiet_request_log():
    """Deliberate 4xx answers need no warning each; crashes are still logged."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)
