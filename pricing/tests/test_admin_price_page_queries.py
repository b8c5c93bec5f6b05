"""The price book item page reads a price's intervals and their tiers in a fixed number of
queries, however many intervals the price has: each interval's tier formset takes its rows
from the intervals' one prefetch, not a query of its own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pricing.models import PriceBookItem
from pricing.tests.factories import priced_offering

pytestmark = pytest.mark.django_db


def price_with(vendor, intervals: int) -> PriceBookItem:
    offering = priced_offering(vendor, items=1, intervals=intervals, tiers=3)
    return PriceBookItem.objects.get(rate__offering=offering)


def page_queries(client, pbi) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:pricing_pricebookitem_change", args=[pbi.pk]))
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_price_page_reads_every_intervals_tiers_in_one_query(vendor_client, vendor):
    two, seven = price_with(vendor, intervals=2), price_with(vendor, intervals=7)
    page_queries(vendor_client, two)  # the process's caches (content types) filled first

    few, few_html = page_queries(vendor_client, two)
    many, many_html = page_queries(vendor_client, seven)

    assert many == few, (few, many)
    # every interval's tiers are on the page: 3 rows each (plus each formset's empty form)
    assert few_html.count('name="intervals-0-tiers-2-id"') == 1
    assert many_html.count('name="intervals-6-tiers-2-id"') == 1
