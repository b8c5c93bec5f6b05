"""POST /api/v1/auth/token/: a script's token for a username and password, tightly throttled."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.throttling import ScopedRateThrottle

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"
PASSWORD = "correct-horse-battery"  # the user factory's


def test_the_right_password_gets_the_user_s_token_which_then_works(api_client, vendor_user):
    body = {"username": vendor_user.username, "password": PASSWORD}
    response = api_client.post(URL, body)

    assert response.status_code == 200, response.content
    key = response.json()["token"]
    assert key == Token.objects.get(user=vendor_user).key
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/products/").status_code == 200
    again = api_client.post(URL, body)
    assert again.json()["token"] == key  # the same token, not a new one each time


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "northwind-staff"},
        {"username": "northwind-staff", "password": "nope"},
        {"username": "nobody", "password": PASSWORD},
    ],
    ids=["empty", "no-password", "wrong-password", "unknown-user"],
)
def test_bad_credentials_are_a_400_in_our_shape_and_make_no_token(api_client, vendor_user, body):
    response = api_client.post(URL, body)

    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert not Token.objects.exists()


def test_the_token_endpoint_has_its_own_tight_throttle(api_client, vendor_user, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "auth", "3/min")
    body = {"username": vendor_user.username, "password": PASSWORD}

    codes = [api_client.post(URL, body).status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
    refused = api_client.post(URL, body)
    assert refused.json()["code"] == "THROTTLED"
    assert int(refused["Retry-After"]) > 0


def test_a_locked_out_username_gets_429_with_retry_after(api_client, vendor_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    wrong = {"username": vendor_user.username, "password": "wrong"}
    codes = [api_client.post(URL, wrong).status_code for _ in range(3)]

    refused = api_client.post(URL, {"username": vendor_user.username, "password": PASSWORD})

    assert codes[:2] == [400, 400]
    assert refused.status_code == 429
    assert refused.json()["code"] == "THROTTLED"
    assert int(refused["Retry-After"]) == 3600
    assert not Token.objects.exists()
