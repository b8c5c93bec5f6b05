"""``GET …/impact/`` of a price (a proposed price in the body, or POSTed), a rate (``?status=``)
and an offering: the selector's answer as JSON, money as the currency's decimals; a bad
proposal is a 400 that saves nothing; only who may change it asks (a distributor: 403);
another organization's is a 404; a fixed number of queries at two sizes."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from catalog.tests.factories import (
    DistributorFactory,
    VendorFactory,
    distributor_user,
    vendor_staff,
)
from insights.tests.impact_builders import build_scene, quote
from insights.tests.paths_data import module_rows
from pricing.models import PriceBookItem, PriceInterval
from pricing.selling import contract_create, quote_process

pytestmark = pytest.mark.django_db
PROPOSAL = {"intervals": [{"duration_unit": "infinity", "price": "12.00"}]}


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    with module_rows(django_db_blocker):
        yield build_scene(VendorFactory(name="Northwind", slug="northwind-impact-api"))


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def price_url(scene) -> str:
    return f"/api/v1/price-book-items/{scene.standard_basic.pk}/impact/"


def impact_urls(scene) -> tuple[str, ...]:
    return (
        price_url(scene),
        f"/api/v1/rates/{scene.catalog.rate.pk}/impact/",
        f"/api/v1/offerings/{scene.catalog.offering.pk}/impact/",
    )


def get_with_body(client, url, body):
    return client.generic("GET", url, json.dumps(body), content_type="application/json")


def draft_row(body, quote) -> dict:
    return next(row for row in body["drafts"] if row["quote"] == quote.pk)


def test_a_proposed_price_in_a_get_body_answers_old_and_new_totals(scene):
    response = get_with_body(client_for(scene.user), price_url(scene), PROPOSAL)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["subject"] == "price" and body["proposal"] == "the proposed price"
    row = draft_row(body, scene.draft_basic)
    assert (row["before"], row["after"], row["difference"], row["changed"]) == (
        "360.00",
        "432.00",
        "72.00",
        True,
    )
    assert body["held_by"] == [
        {
            "quote": scene.processed.pk,
            "reference": scene.processed.reference,
            "customer": "Contoso",
            "currency": "USD",
            "total": "240.00",
            "contract": scene.contract.pk,
        }
    ]
    amounts = {row["quantity"]: row for row in body["amounts"][0]["rows"]}
    assert amounts["3"] == {"quantity": "3", "before": "30.00", "after": "36.00", "changed": True}
    assert body["relatives"][0]["copy"] is not None


def test_post_takes_the_same_body_and_saves_nothing(scene):
    versions = PriceBookItem.history.count(), PriceInterval.objects.count()
    client = client_for(scene.user)
    posted = client.post(price_url(scene), PROPOSAL, format="json")
    asked = get_with_body(client, price_url(scene), PROPOSAL)
    assert posted.status_code == 200
    assert posted.json() == asked.json()
    assert (PriceBookItem.history.count(), PriceInterval.objects.count()) == versions


def test_without_a_body_the_answer_is_what_the_price_touches_now(scene):
    body = client_for(scene.user).get(price_url(scene)).json()
    assert body["proposal"] == "" and body["amounts"] == [] and body["changed_drafts"] == 0
    assert draft_row(body, scene.draft_basic)["before"] == "360.00"


@pytest.mark.parametrize(
    ("proposal", "field", "code"),
    [
        ({"rate": 1}, "rate", "VALIDATION_ERROR"),
        ({"charge_model": "nonsense"}, "charge_model", "VALIDATION_ERROR"),
        ({"intervals": "twelve"}, "intervals", "VALIDATION_ERROR"),
        # Refused by the price rules, with the code and words a save of it would get.
        ({"charge_model": "tiered"}, "intervals", "INVALID_PRICE_BOOK_ITEM"),
    ],
)
def test_a_bad_proposal_is_a_400_naming_the_field(scene, proposal, field, code):
    response = get_with_body(client_for(scene.user), price_url(scene), proposal)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code
    assert field in body["errors"], body


def test_a_rate_answers_its_drafts_once_it_would_be_inactive(scene):
    url = f"/api/v1/rates/{scene.catalog.rate.pk}/impact/"
    body = client_for(scene.user).get(url, {"status": "inactive"}).json()
    row = draft_row(body, scene.draft_basic)
    assert (row["before"], row["after"]) == ("360.00", None)
    assert "No price for BASIC" in row["problem_after"]
    bad = client_for(scene.user).get(url, {"status": "gone"})
    assert (bad.status_code, bad.json()["code"]) == (400, "VALIDATION_ERROR")


def test_an_offering_answers_what_holds_it(scene):
    url = f"/api/v1/offerings/{scene.catalog.offering.pk}/impact/"
    body = client_for(scene.user).get(url).json()
    assert body["lock_reasons"][0] == f"used by processed quote {scene.processed.reference}"
    assert len(body["drafts"]) == 4
    assert body["listings"][0]["shows"] is True


def test_a_distributor_may_not_ask_and_another_vendor_finds_nothing(scene):
    reader = distributor_user(DistributorFactory())
    stranger = vendor_staff(VendorFactory(slug="elsewhere-impact"))
    for url in impact_urls(scene):  # a distributor sees no price, rate or offering here
        response = client_for(reader).get(url)
        assert (response.status_code, response.json()["code"]) == (404, "NOT_FOUND"), url
    for url in impact_urls(scene):
        response = client_for(stranger).get(url)
        assert (response.status_code, response.json()["code"]) == (404, "NOT_FOUND"), url
    assert APIClient().get(price_url(scene)).status_code == 401


def test_a_member_who_may_not_change_it_may_not_ask_what_a_change_would_do(scene):
    from catalog.models import Membership
    from catalog.tests.factories import UserFactory

    reader = UserFactory(username="northwind-reader")  # a member, in no group: reads only
    Membership.objects.create(user=reader, vendor=scene.catalog.vendor)
    for url in impact_urls(scene):
        response = client_for(reader).get(url)
        assert (response.status_code, response.json()["code"]) == (403, "PERMISSION_DENIED"), url


def queries(client, url, body=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = get_with_body(client, url, body) if body else client.get(url)
        assert response.status_code == 200, response.content
    return len(captured)


def test_each_endpoint_costs_the_same_at_two_sizes(scene):
    client = client_for(scene.user)
    urls = (
        (price_url(scene), PROPOSAL),
        (f"/api/v1/rates/{scene.catalog.rate.pk}/impact/?status=inactive", None),
        (f"/api/v1/offerings/{scene.catalog.offering.pk}/impact/", None),
    )
    counts = []
    for _size in (1, 2):
        for _ in range(4):  # more drafts, processed quotes and contracts of BASIC
            quote(scene.catalog, (scene.catalog.basic, 2))
            contract_create(quote=quote_process(quote=quote(scene.catalog, (scene.catalog.pro, 1))))
        counts.append([queries(client, url, body) for url, body in urls])
    assert counts[0] == counts[1], counts
