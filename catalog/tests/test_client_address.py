"""Which address a login comes from: REMOTE_ADDR, and X-Forwarded-For only behind trusted proxies.

``TRUSTED_PROXY_COUNT`` (default 0) says how many proxies in front of the app append to
X-Forwarded-For; with 0 the header is ignored, since any client can send it.
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from rest_framework.throttling import ScopedRateThrottle

from catalog.lockout import client_ip_address
from catalog.tests.factories import UserFactory

PASSWORD = "correct-horse-battery"  # UserFactory's
PROXY = "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, PROXY),
        (0, "203.0.113.5", PROXY),
        (1, None, PROXY),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # the client's own entries are ignored
        (1, " 1.2.3.4 ,203.0.113.5 ", "203.0.113.5"),
        (1, "2001:db8::5", "2001:db8::5"),
        (2, "1.2.3.4, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (2, "203.0.113.5", PROXY),  # fewer hops than proxies: not through them all
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
    ],
)
def test_the_client_address_is_remote_addr_unless_proxies_are_trusted(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR=PROXY, **headers)

    assert client_ip_address(request) == expected


def fail_login(forwarded, username):
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).post(
        "/admin/login/", {"username": username, "password": "guess"}
    )


@pytest.mark.django_db
def test_by_default_a_forged_forwarded_header_does_not_escape_the_address_limit(settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_IP_FAILURE_LIMIT = 3
    codes = [fail_login(f"203.0.113.{n}", f"made-up-{n}").status_code for n in range(3)]

    assert codes == [200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_IP_FAILURE_LIMIT = 3
    UserFactory(username="staff", is_staff=True)
    codes = [fail_login("203.0.113.5", f"made-up-{n}").status_code for n in range(3)]
    neighbour = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.6").post(
        "/admin/login/", {"username": "staff", "password": PASSWORD}
    )

    assert codes == [200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert neighbour.status_code == 302


@pytest.mark.django_db
def test_the_token_endpoint_throttle_ignores_a_forged_forwarded_header(monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "auth", "3/min")
    codes = [
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        .post("/api/v1/auth/token/", {"username": f"made-up-{n}", "password": "guess"})
        .status_code
        for n in range(4)
    ]

    assert codes == [400, 400, 400, 429]
