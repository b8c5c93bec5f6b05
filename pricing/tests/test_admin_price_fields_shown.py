"""The price page shows what a price holds, not what a column holds: a new row's amounts
blank (no made-up 0), a stored row's fields the charge model does not read blank, stored
amounts in the currency's minor unit (4.75, not 4.750000), charge models by their labels,
and which fields each model needs, for the page's script to mark them required."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from pricing import rates
from pricing.pricebook import IntervalSpec, TierSpec
from pricing.pricebook.fields import REQUIRED
from pricing.tests.factories import RateFactory, subscription_offering
from pricing.tests.price_page import ADD, change_url

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def rate(vendor):
    return RateFactory(offering=subscription_offering(vendor), currency="USD")


def value_of(html: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html).group(0)
    found = re.search(r'value="([^"]*)"', tag)
    return found.group(1) if found else None


def test_a_new_rows_amounts_are_blank(vendor_client, rate):
    html = vendor_client.get(reverse(ADD) + f"?rate={rate.pk}").content.decode()
    for name in ("price", "included_units", "overage_price", "package_size", "sequence"):
        assert value_of(html, f"intervals-0-{name}") is None, name
    for name in ("start_unit", "price", "flat_amount"):
        assert value_of(html, f"intervals-0-tiers-__prefix__-{name}") is None, name


def test_stored_amounts_show_in_the_minor_unit_and_unread_fields_blank(vendor_client, rate):
    item = rate.offering.offering_items.get().item
    pbi = rates.price_book_item_save(
        rate=rate,
        item=item,
        charge_model="delivery",
        pricing_type="interval",
        intervals=[IntervalSpec("day", 365, D("4.75")), IntervalSpec(price=D("0.875"))],
        delivery_weekdays=[6],
        minimum_amount=D(20),
    )
    html = vendor_client.get(change_url(pbi)).content.decode()
    assert value_of(html, "intervals-0-price") == "4.75"
    assert value_of(html, "intervals-1-price") == "0.875"
    assert value_of(html, "minimum_amount") == "20.00"
    assert value_of(html, "intervals-0-overage_price") is None  # delivery does not read it
    assert value_of(html, "intervals-0-included_units") is None
    assert "4.750000" not in html


def test_a_tiered_prices_tiers_show_plain_numbers_and_labels(vendor_client, rate):
    item = rate.offering.offering_items.get().item
    pbi = rates.price_book_item_save(
        rate=rate,
        item=item,
        charge_model="tiered",
        intervals=[
            IntervalSpec(
                tiers=(TierSpec(D(0), D(100), D("0.10")), TierSpec(D(100), None, D("0.08")))
            )
        ],
    )
    html = vendor_client.get(change_url(pbi)).content.decode()
    assert value_of(html, "intervals-0-tiers-0-end_unit") == "100"
    assert value_of(html, "intervals-0-tiers-1-price") == "0.08"
    assert value_of(html, "intervals-0-price") is None  # the tiers hold the prices
    assert "(per_unit)" not in html
    changelist = vendor_client.get(reverse("admin:pricing_pricebookitem_changelist"))
    assert '<td class="field-charge_model">Tiered</td>' in changelist.content.decode()


def test_the_page_carries_the_fields_a_model_needs(vendor_client, rate):
    html = vendor_client.get(reverse(ADD) + f"?rate={rate.pk}").content.decode()
    found = re.search(
        r'<script id="charge-model-required" type="application/json">(.*?)</script>', html
    )
    assert json.loads(found.group(1)) == sorted(REQUIRED)
    assert "interval.price" in REQUIRED and "interval.included_units" not in REQUIRED
    assert 'src="/static/pricing/interval_order.js"' in html
