"""Idempotency-Key: a retried create or process replays the first answer and does it once."""

import pytest

from catalog.models import IdempotencyRecord
from pricing.models import Offering, Quote

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_clone_with_the_same_key_clones_once(vendor_api, sellable):
    url = f"{API}/offerings/{sellable['offering'].pk}/clone/"
    headers = {"HTTP_IDEMPOTENCY_KEY": "clone-1"}
    first = vendor_api.post(url, {"name": "Copy A"}, format="json", **headers)
    second = vendor_api.post(url, {"name": "Copy A"}, format="json", **headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Offering.objects.filter(name="Copy A").count() == 1


def test_the_same_key_with_another_body_is_a_409(vendor_api, sellable):
    url = f"{API}/offerings/{sellable['offering'].pk}/clone/"
    vendor_api.post(url, {"name": "Copy A"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    response = vendor_api.post(url, {"name": "Copy B"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert (response.status_code, response.json()["code"]) == (409, "IDEMPOTENCY_KEY_REUSED")
    assert not Offering.objects.filter(name="Copy B").exists()


def test_without_a_key_each_post_clones(vendor_api, sellable):
    url = f"{API}/offerings/{sellable['offering'].pk}/clone/"
    for _ in range(2):
        assert vendor_api.post(url, {"name": "Copy"}, format="json").status_code == 201
    assert Offering.objects.filter(name="Copy").count() == 2


def test_process_replays_and_failures_are_not_remembered(vendor_api, sellable):
    body = {
        "customer": "C",
        "currency": "USD",
        "lines": [
            {
                "offering": sellable["offering"].pk,
                "rate": sellable["rate"].pk,
                "item": sellable["seats"].pk,
                "quantity": 10,
            }
        ],
    }
    created = vendor_api.post(f"{API}/quotes/", body, format="json", HTTP_IDEMPOTENCY_KEY="q1")
    again = vendor_api.post(f"{API}/quotes/", body, format="json", HTTP_IDEMPOTENCY_KEY="q1")
    assert created.json()["id"] == again.json()["id"]
    assert Quote.objects.count() == 1
    url = f"{API}/quotes/{created.json()['id']}/process/"
    failed = vendor_api.post(url, HTTP_IDEMPOTENCY_KEY="p1")  # the fee is missing
    assert failed.json()["code"] == "REQUIRED_ITEM_MISSING"
    assert not IdempotencyRecord.objects.filter(key="p1").exists()


def test_keys_belong_to_their_user(vendor_api, other_vendor_user, api_client, sellable):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    url = f"{API}/offerings/"
    vendor_api.post(url, {"name": "Mine"}, format="json", HTTP_IDEMPOTENCY_KEY="same")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=other_vendor_user)}")
    response = other.post(url, {"name": "Theirs"}, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert response.status_code == 201
    assert response.json()["name"] == "Theirs"
