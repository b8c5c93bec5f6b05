"""API list filters: ``updated_since`` on every list, foreign keys by id that leak nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.rows import validated_save
from catalog.tests.factories import ProductFactory
from catalog_site.api import router
from pricing.tests.factories import OfferingFactory, RateFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
LIST_PREFIXES = sorted(prefix for prefix, _viewset, _basename in router.registry)


def backdate(row, days: int) -> None:
    """Move every history version of ``row`` ``days`` into the past."""
    when = timezone.now() - timedelta(days=days)
    row.history.all().update(history_date=when)


@pytest.mark.parametrize("prefix", LIST_PREFIXES)
def test_every_list_filters_on_updated_since(superuser, api_client, prefix):
    api_client.force_authenticate(superuser)
    ProductFactory()  # at least one tracked row exists somewhere
    future = (timezone.now() + timedelta(days=1)).isoformat()

    response = api_client.get(f"{API}/{prefix}/", {"updated_since": future})

    assert response.status_code == 200, response.content
    assert response.json()["count"] == 0


def test_updated_since_lists_rows_created_or_changed_since(vendor_api, vendor, vendor_user):
    old, untouched, new = ProductFactory.create_batch(3, vendor=vendor)
    backdate(old, days=10)
    backdate(untouched, days=10)
    since = (timezone.now() - timedelta(days=1)).isoformat()

    listed = vendor_api.get(f"{API}/products/", {"updated_since": since}).json()
    assert [row["id"] for row in listed["results"]] == [new.pk]

    old.description = "Changed today."
    validated_save(old, by=vendor_user)
    listed = vendor_api.get(f"{API}/products/", {"updated_since": since, "ordering": "id"}).json()
    assert [row["id"] for row in listed["results"]] == [old.pk, new.pk]


def test_updated_since_reads_any_offset_as_the_same_instant_in_utc(vendor_api, vendor):
    ProductFactory(vendor=vendor)  # created now, after the instants below, whatever the offset
    for value in ["1763-10-18T19:03:21+22:40", "2000-01-01T00:00:00-23:59", "2000-01-01T00:00"]:
        response = vendor_api.get(f"{API}/products/", {"updated_since": value})

        assert response.status_code == 200, (value, response.content)
        assert response.json()["count"] == 1


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2026-13-01T00:00:00Z",
        "1",
        "0001-01-01T00:00:00+23:00",  # before year 1 in UTC
        "9999-12-31T23:00:00-23:00",  # after year 9999 in UTC
    ],
)
def test_a_bad_updated_since_is_a_400_naming_the_filter(vendor_api, value):
    response = vendor_api.get(f"{API}/products/", {"updated_since": value})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "VALIDATION_ERROR"
    assert list(body["errors"]) == ["updated_since"]


def test_updated_since_keeps_the_list_query_count(vendor_api, vendor, django_assert_num_queries):
    ProductFactory.create_batch(2, vendor=vendor)
    since = (timezone.now() - timedelta(days=1)).isoformat()
    query = {"updated_since": since, "page_size": 2}  # full first pages: they are counted
    vendor_api.get(f"{API}/products/", query)  # warm up (token, session)
    with django_assert_num_queries(4):  # token, membership, page, count
        assert vendor_api.get(f"{API}/products/", query).json()["count"] == 2
    ProductFactory.create_batch(5, vendor=vendor)
    with django_assert_num_queries(4):
        assert vendor_api.get(f"{API}/products/", query).json()["count"] == 7


@pytest.mark.parametrize(
    "prefix, name",
    [
        ("rates", "offering"),
        ("rates", "vendor"),
        ("offerings", "vendor"),
        ("price-book-items", "offering"),
        ("quotes", "vendor"),
        ("contracts", "vendor"),
    ],
)
def test_a_foreign_key_filter_answers_alike_for_unknown_and_other_vendors_ids(
    vendor_api, vendor, other_vendor, prefix, name
):
    theirs = RateFactory(offering=OfferingFactory(vendor=other_vendor))
    other_id = theirs.offering_id if name == "offering" else other_vendor.pk
    unknown_id = 10**9

    foreign = vendor_api.get(f"{API}/{prefix}/", {name: other_id})
    unknown = vendor_api.get(f"{API}/{prefix}/", {name: unknown_id})

    assert foreign.status_code == unknown.status_code == 200
    assert foreign.json()["count"] == unknown.json()["count"] == 0


def test_rates_filter_by_marketplace_and_currency(vendor_api, vendor, marketplace):
    offering = OfferingFactory(vendor=vendor)
    usd = RateFactory(offering=offering, currency="USD", sales_channel=marketplace)
    RateFactory(offering=offering, currency="EUR")

    by_channel = vendor_api.get(f"{API}/rates/", {"marketplace": marketplace.pk}).json()
    by_currency = vendor_api.get(f"{API}/rates/", {"currency": "usd"}).json()

    assert [row["id"] for row in by_channel["results"]] == [usd.pk]
    assert [row["id"] for row in by_currency["results"]] == [usd.pk]
