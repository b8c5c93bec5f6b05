"""``GET /api/v1/offerings/{id}/lint/`` and ``GET /api/v1/vendors/{slug}/lint/``: the findings
for the vendor's staff, a 404 in our error shape for anyone else, a fixed number of queries."""

from __future__ import annotations

import pytest

from catalog.tests.factories import build_catalog
from insights.tests.lint_builders import MISTAKES, clean_catalog
from pricing.tests.factories import priced_offering

pytestmark = pytest.mark.django_db

CHANGES = {name: change for name, change, _codes in MISTAKES}


@pytest.fixture
def catalog(vendor):
    catalog = clean_catalog(vendor)
    CHANGES["volume cliff"](catalog)
    CHANGES["an item no active rate prices"](catalog)
    return catalog


def test_the_offering_endpoint_lists_its_findings_errors_first(catalog, vendor_api):
    response = vendor_api.get(f"/api/v1/offerings/{catalog.offering.pk}/lint/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["error_count"], body["warning_count"]) == (1, 1)
    assert [f["code"] for f in body["findings"]] == ["item_without_price", "volume_cliff"]
    first = body["findings"][0]
    assert first == {
        "severity": "error",
        "code": "item_without_price",
        "subject": first["subject"],
        "message": "No active rate of this offering has a price for it.",
        "fix": "Add a price for ADDON to an active rate, or remove the item.",
        "offering_id": catalog.offering.pk,
        "offering": catalog.offering.name,
    }
    assert first["subject"].startswith("ADDON (")


def test_the_vendor_endpoint_lists_the_whole_catalog(catalog, vendor, vendor_api):
    CHANGES["contradicting upgrade paths"](catalog)
    body = vendor_api.get(f"/api/v1/vendors/{vendor.slug}/lint/").json()
    assert [f["code"] for f in body["findings"]] == [
        "item_without_price",
        "volume_cliff",
        "contradicting_paths",
    ]
    assert body["findings"][-1]["offering_id"] is None


def test_another_vendor_a_distributor_and_a_stranger_are_told_nothing_exists(
    catalog, vendor, other_vendor_user, distributor_api, api_client
):
    from rest_framework.authtoken.models import Token

    urls = [
        f"/api/v1/offerings/{catalog.offering.pk}/lint/",
        f"/api/v1/vendors/{vendor.slug}/lint/",
    ]
    api_client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=other_vendor_user).key}"
    )
    for client in (api_client, distributor_api):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404
            assert response.json()["code"] == "NOT_FOUND"
    api_client.credentials()
    assert api_client.get(urls[0]).status_code == 401


def test_a_superuser_lints_any_vendor(catalog, vendor, superuser, api_client):
    api_client.force_authenticate(superuser)
    assert api_client.get(f"/api/v1/vendors/{vendor.slug}/lint/").json()["error_count"] == 1


@pytest.mark.parametrize("size", [1, 5])
def test_both_endpoints_take_a_fixed_number_of_queries(
    vendor, vendor_api, size, django_assert_max_num_queries
):
    build_catalog(vendor, size)
    offerings = [priced_offering(vendor, items=size, tiers=2) for _ in range(size)]
    with django_assert_max_num_queries(16):
        assert vendor_api.get(f"/api/v1/vendors/{vendor.slug}/lint/").status_code == 200
    with django_assert_max_num_queries(16):
        assert vendor_api.get(f"/api/v1/offerings/{offerings[0].pk}/lint/").status_code == 200
