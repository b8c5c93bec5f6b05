"""A list's count is bounded and its deep pages are cheap: page numbers count at most
``LIST_COUNT_LIMIT`` rows (``count_capped`` says there are more, and the page past them points
to the cursor); ``?cursor=`` walks the whole list page by page, without a count, each page
starting where the last ended, in the list's ordering, with its filters and search."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Item, Product

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def items(vendor):
    product = Product.objects.create(vendor=vendor, name="Bulk")
    return Item.objects.bulk_create(
        Item(product=product, mpn=f"BULK-{n:03d}", name=f"Bulk item {n % 7}") for n in range(30)
    )


def test_the_count_stops_at_the_limit_and_says_so(vendor_api, items, settings):
    settings.LIST_COUNT_LIMIT = 25
    body = vendor_api.get(f"{API}/items/?page_size=10").json()
    assert (body["count"], body["count_capped"]) == (25, True)
    assert vendor_api.get(f"{API}/items/?page_size=10&page=3").status_code == 200
    past = vendor_api.get(f"{API}/items/?page_size=10&page=4")
    assert past.status_code == 404
    assert "?cursor=" in past.json()["detail"]
    settings.LIST_COUNT_LIMIT = 30
    body = vendor_api.get(f"{API}/items/?page_size=10").json()
    assert (body["count"], body["count_capped"]) == (30, False)


def test_the_count_reads_a_bounded_subquery(vendor_api, items, settings):
    settings.LIST_COUNT_LIMIT = 25
    with CaptureQueriesContext(connection) as captured:
        vendor_api.get(f"{API}/items/?page_size=10")
    counts = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT 26" in counts[0]


def walk(client, url) -> list[dict]:
    """Every page of a cursor walk: (results, body) until next is null."""
    pages, body = [], client.get(url).json()
    while True:
        assert "count" not in body
        pages.append(body["results"])
        if body["next"] is None:
            return pages
        body = client.get(body["next"]).json()


def test_a_cursor_walks_every_row_once_by_id(vendor_api, items):
    pages = walk(vendor_api, f"{API}/items/?cursor=&page_size=8")
    assert [len(page) for page in pages] == [8, 8, 8, 6]
    ids = [row["id"] for page in pages for row in page]
    assert ids == sorted(item.pk for item in items)


def test_a_cursor_keeps_the_ordering_filters_and_search(vendor_api, items):
    pages = walk(vendor_api, f"{API}/items/?cursor=&page_size=3&ordering=-mpn&search=BULK-01")
    mpns = [row["mpn"] for page in pages for row in page]
    assert mpns == [f"BULK-{n:03d}" for n in range(19, 9, -1)]
    assert [len(page) for page in pages] == [3, 3, 3, 1]


def test_a_cursor_page_costs_the_same_deep_in_the_list(vendor_api, items):
    first = vendor_api.get(f"{API}/items/?cursor=&page_size=5")
    deep_url = first.json()["next"]
    for _ in range(3):
        deep_url = vendor_api.get(deep_url).json()["next"]
    counts = []
    for url in (f"{API}/items/?cursor=&page_size=5", deep_url):
        with CaptureQueriesContext(connection) as captured:
            assert vendor_api.get(url).status_code == 200
        counts.append(len(captured))
        assert not any("OFFSET" in q["sql"].upper() for q in captured)
    assert counts[0] == counts[1]


def test_a_bad_cursor_is_a_404_in_the_error_shape(vendor_api, items):
    response = vendor_api.get(f"{API}/items/?cursor=not-a-cursor")
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"
