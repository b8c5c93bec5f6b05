"""``GET /api/v1/offerings/{a}/diff/{b}/``: the diff in JSON for offerings the caller sees;
an offering it cannot see is a 404, two vendors' offerings a 400, an anonymous caller a 401,
all in the API's error shape; a fixed number of queries at any size."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from catalog.tests.factories import ItemFactory, ProductFactory
from insights.diff import ADDED, SAME
from pricing.clone import offering_clone
from pricing.models import Rate
from pricing.tests.factories import OfferingFactory, OfferingItemFactory, priced_offering

pytestmark = pytest.mark.django_db
# Session and token, the two offerings, the diff's seven queries.
API_QUERIES = 12


def diff_url(a, b) -> str:
    return f"/api/v1/offerings/{a.pk}/diff/{b.pk}/"


@pytest.fixture
def pair(vendor):
    original = priced_offering(vendor, items=2, rates=1)
    copy = offering_clone(offering=original, name="Next year")
    Rate.objects.filter(offering=original).update(status=Rate.Status.DRAFT)
    return original, copy


def test_the_diff_answers_each_section_with_its_counts_and_rows(vendor_api, pair, vendor):
    original, copy = pair
    item = ItemFactory(product=ProductFactory(vendor=vendor))
    OfferingItemFactory(offering=copy, item=item, default_quantity=3)
    response = vendor_api.get(diff_url(original, copy))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["a"], body["b"], body["changes"]) == (original.pk, copy.pk, 2)
    assert body["offering"]["state"] == "changed"
    name = next(value for value in body["offering"]["values"] if value["field"] == "name")
    assert (name["old"], name["new"], name["state"]) == (original.name, "Next year", "changed")
    assert body["items"]["counts"] == {"added": 1, "removed": 0, "changed": 0, "same": 2}
    added = next(row for row in body["items"]["rows"] if row["state"] == ADDED)
    assert added["key"] == f"{item.mpn} {item.name}"
    assert {value["field"]: (value["old"], value["new"]) for value in added["values"]} == {
        "default quantity": (None, "3"),
        "required": (None, "no"),
        "applies to": (None, "—"),
    }
    assert body["rates"]["counts"]["same"] == 1
    assert {row["state"] for row in body["prices"]["rows"]} == {SAME}
    assert all(row["values"][0]["new"].startswith("$") for row in body["prices"]["rows"])


def test_another_vendors_offering_is_not_found(vendor_api, pair, other_vendor):
    original, _ = pair
    theirs = OfferingFactory(vendor=other_vendor)
    for url in (diff_url(original, theirs), diff_url(theirs, original)):
        response = vendor_api.get(url)
        assert (response.status_code, response.json()["code"]) == (404, "NOT_FOUND")


def test_two_vendors_offerings_are_a_400_even_for_a_superuser(superuser, pair, other_vendor):
    client = APIClient()
    client.force_authenticate(superuser)
    response = client.get(diff_url(pair[0], OfferingFactory(vendor=other_vendor)))
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert response.json()["errors"] == {"b": ["Only two offerings of the same vendor compare."]}


def test_a_distributor_sees_no_offering_and_an_anonymous_caller_is_asked_to_sign_in(
    distributor_api, pair
):
    assert distributor_api.get(diff_url(*pair)).status_code == 404
    response = APIClient().get(diff_url(*pair))
    assert (response.status_code, response.json()["code"]) == (401, "NOT_AUTHENTICATED")


@pytest.mark.parametrize("size", [1, 5])
def test_the_endpoint_takes_a_fixed_number_of_queries(
    vendor_api, vendor, size, django_assert_max_num_queries
):
    original = priced_offering(vendor, items=size, rates=size, intervals=2, tiers=2)
    copy = offering_clone(offering=original)
    with django_assert_max_num_queries(API_QUERIES):
        response = vendor_api.get(diff_url(original, copy))
    assert response.status_code == 200
    assert len(response.json()["prices"]["rows"]) == size * size
