"""The offering page's rate rows cost no query each: their names (the offering's) and their
sales-channel choices are read once for the page, however many rates it holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.tests.factories import MarketplaceFactory
from pricing.tests.factories import priced_offering

pytestmark = pytest.mark.django_db


def page_queries(client, offering) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:pricing_offering_change", args=[offering.pk]))
        assert response.status_code == 200
    return len(captured)


def test_the_offering_page_costs_the_same_with_one_rate_and_with_five(vendor_client, vendor):
    MarketplaceFactory.create_batch(3)  # choices for each row's sales channel
    one = priced_offering(vendor, items=1, rates=1, intervals=2)
    five = priced_offering(vendor, items=1, rates=5, intervals=2)
    page_queries(vendor_client, one)  # the session and the user, read once
    assert page_queries(vendor_client, one) == page_queries(vendor_client, five)
