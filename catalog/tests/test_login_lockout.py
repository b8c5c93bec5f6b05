"""Failed logins lock the username they were made on; an address only after many more failures.

Every way in counts alike: the admin login, the portal login and the API token endpoint.
"""

import pytest
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from catalog.tests.factories import (
    DistributorFactory,
    UserFactory,
    VendorFactory,
    distributor_user,
    vendor_staff,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # UserFactory's
ADDRESS = "198.51.100.7"
ELSEWHERE = "198.51.100.8"

LOGIN_URL = {"admin": "/admin/login/", "portal": "/portal/login/", "api": "/api/v1/auth/token/"}
SIGNED_IN = {"admin": 302, "portal": 302, "api": 200}
REFUSED = {"admin": 200, "portal": 200, "api": 400}
FACES = sorted(LOGIN_URL)


@pytest.fixture(autouse=True)
def _no_api_throttle(monkeypatch):
    """The token endpoint's request throttle is not what these tests are about."""
    for scope in SimpleRateThrottle.THROTTLE_RATES:
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "1000000/min")


def two_people(face):
    """Two real users who may log in through ``face``; the admin's first one is the superuser."""
    if face == "portal":
        distributor = DistributorFactory()
        return distributor_user(distributor, username="dana"), distributor_user(
            distributor, username="erin"
        )
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    staff = vendor_staff(VendorFactory(), username="northwind-staff")
    return (root, staff) if face == "admin" else (staff, root)


def log_in(face, username, password=PASSWORD, address=ADDRESS):
    """One login from a fresh client at ``address``: "in", "refused" or "locked"."""
    response = Client(REMOTE_ADDR=address).post(
        LOGIN_URL[face], {"username": username, "password": password}
    )
    if response.status_code == 429:
        assert response["Retry-After"] == "3600"
        return "locked"
    if response.status_code == SIGNED_IN[face]:
        return "in"
    assert response.status_code == REFUSED[face], response.content
    return "refused"


@pytest.mark.parametrize("face", FACES)
def test_failures_on_made_up_usernames_do_not_lock_the_real_users_at_that_address(face, settings):
    first, second = two_people(face)
    answers = [log_in(face, f"made-up-{n}", "guess") for n in range(settings.AXES_FAILURE_LIMIT)]

    assert answers == ["refused"] * settings.AXES_FAILURE_LIMIT
    assert log_in(face, first.username) == "in"
    assert log_in(face, second.username) == "in"


def test_the_superuser_is_not_locked_out_by_failures_on_other_usernames(settings):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    on_admin = [log_in("admin", "admin", "guess") for _ in range(settings.AXES_FAILURE_LIMIT)]
    made_up = settings.AXES_IP_FAILURE_LIMIT - 1 - settings.AXES_FAILURE_LIMIT
    on_made_up_names = {log_in("admin", f"made-up-{n}", "guess") for n in range(made_up)}

    assert on_admin[-1] == "locked"  # the username guessed at is locked ...
    assert on_made_up_names == {"refused"}  # ... the address, just below its limit, is not
    assert log_in("admin", root.username) == "in"


@pytest.mark.parametrize("face", FACES)
def test_failures_on_one_username_lock_that_username_and_no_other(face, settings):
    victim, bystander = two_people(face)
    answers = [log_in(face, victim.username, "guess") for _ in range(settings.AXES_FAILURE_LIMIT)]

    assert answers == ["refused"] * (settings.AXES_FAILURE_LIMIT - 1) + ["locked"]
    assert log_in(face, victim.username) == "locked"  # even the right password
    assert log_in(face, victim.username, address=ELSEWHERE) == "locked"  # from anywhere
    assert log_in(face, bystander.username) == "in"


@pytest.mark.parametrize("face", FACES)
def test_an_address_is_locked_after_its_own_higher_limit_across_usernames(face, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_IP_FAILURE_LIMIT = 7
    person, _ = two_people(face)
    answers = [log_in(face, f"made-up-{n}", "guess") for n in range(7)]

    assert answers == ["refused"] * 6 + ["locked"]
    assert log_in(face, person.username) == "locked"
    assert log_in(face, person.username, address=ELSEWHERE) == "in"


def test_below_the_address_limit_the_address_is_not_locked(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_IP_FAILURE_LIMIT = 7
    person, _ = two_people("admin")
    for n in range(6):
        assert log_in("admin", f"made-up-{n}", "guess") == "refused"

    assert log_in("admin", person.username) == "in"


def test_the_locked_page_and_the_api_error_shape_stay_as_they_were(settings):
    settings.AXES_FAILURE_LIMIT = 1
    person, _ = two_people("api")
    log_in("admin", person.username, "guess")

    page = Client(REMOTE_ADDR=ADDRESS).post(
        LOGIN_URL["portal"], {"username": person.username, "password": PASSWORD}
    )
    api = Client(REMOTE_ADDR=ADDRESS).post(
        LOGIN_URL["api"], {"username": person.username, "password": PASSWORD}
    )

    assert (page.status_code, page["Retry-After"]) == (429, "3600")
    assert "Account locked" in page.content.decode()
    assert (api.status_code, api["Retry-After"]) == (429, "3600")
    assert set(api.json()) == {"code", "detail", "errors"}
    assert api.json()["code"] == "THROTTLED"
