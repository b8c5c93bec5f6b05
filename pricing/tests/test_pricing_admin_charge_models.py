"""The price book item page: the registry's fields per charge model for the page's script,
and the preview's lines named by what they bill (charge, minimum top-up, percent)."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from pricing import rates
from pricing.pricebook import REGISTRY, IntervalSpec
from pricing.tests.factories import RateFactory, percent_of_total_offering, subscription_offering

pytestmark = pytest.mark.django_db

SCRIPT = "pricing/charge_model_fields.js"
MAPPING = re.compile(
    r'<script id="charge-model-fields" type="application/json">(.*?)</script>', re.DOTALL
)


@pytest.fixture
def rate(vendor):
    return RateFactory(offering=subscription_offering(vendor))


def page_mapping(html: str) -> dict:
    (found,) = MAPPING.findall(html)
    return json.loads(found)


def test_the_add_and_change_pages_carry_every_models_fields_and_the_script(vendor_client, rate):
    expected = {name: sorted(model.fields) for name, model in REGISTRY.items()}
    item = rate.offering.offering_items.get().item
    pbi = rates.price_book_item_save(
        rate=rate, item=item, charge_model="per_unit", intervals=[IntervalSpec(price=Decimal(1))]
    )
    for url in (
        reverse("admin:pricing_pricebookitem_add") + f"?rate={rate.pk}",
        reverse("admin:pricing_pricebookitem_change", args=[pbi.pk]),
    ):
        response = vendor_client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        mapping = page_mapping(html)
        assert mapping == expected
        assert set(mapping) == set(REGISTRY)
        assert "tier.flat_amount" in mapping["tiered"]
        assert "interval.package_size" in mapping["package"]
        assert "price.delivery_weekdays" in mapping["delivery"]
        assert f'src="/static/{SCRIPT}"' in html


def test_the_page_re_shown_with_errors_still_carries_the_fields(vendor_client, rate):
    data = {"rate": rate.pk, "item": "", "charge_model": "package", "custom_attributes": "{}"}
    response = vendor_client.post(reverse("admin:pricing_pricebookitem_add"), data)
    assert response.status_code == 200
    assert set(page_mapping(response.content.decode())) == set(REGISTRY)


def preview_rows(vendor_client, pbi, quantity="1", periods="2"):
    url = reverse("admin:pricing_pricebookitem_change", args=[pbi.pk])
    params = {"quantity": quantity, "start_date": "2026-01-01", "periods": periods}
    response = vendor_client.get(url, params)
    assert response.status_code == 200
    assert "preview_error" not in response.context, response.context["preview_error"]
    rows = [(row.line, row.what) for row in response.context["schedule_rows"]]
    return rows, response.content.decode()


def test_the_preview_names_a_minimum_top_up(vendor_client, rate):
    item = rate.offering.offering_items.get().item
    pbi = rates.price_book_item_save(
        rate=rate,
        item=item,
        charge_model="per_unit",
        intervals=[IntervalSpec(price=Decimal(5))],
        minimum_amount=Decimal(20),
    )
    rows, html = preview_rows(vendor_client, pbi, quantity="2")
    assert [(what, line.amount) for line, what in rows] == [
        ("charge", Decimal("10.00")),
        ("minimum top-up", Decimal("10.00")),
    ] * 2
    assert '<th scope="col">What</th>' in html
    assert "<td>minimum top-up</td>" in html
    assert "total 40.00 USD" in html


def test_the_preview_names_a_maximum_cap(vendor_client, rate):
    item = rate.offering.offering_items.get().item
    pbi = rates.price_book_item_save(
        rate=rate,
        item=item,
        charge_model="per_unit",
        intervals=[IntervalSpec(price=Decimal(5))],
        maximum_amount=Decimal(12),
    )
    rows, html = preview_rows(vendor_client, pbi, quantity="3", periods="1")
    assert [(what, line.amount) for line, what in rows] == [
        ("charge", Decimal("15.00")),
        ("maximum cap", Decimal("-3.00")),
    ]
    assert "<td>maximum cap</td>" in html


def test_the_preview_of_a_percent_of_total_item_shows_the_percentage(vendor_client, vendor):
    support = percent_of_total_offering(
        vendor, seat_price=10, seats=12, percents=[IntervalSpec(price=Decimal(10))]
    )
    pbi = support["price"]
    rows, html = preview_rows(vendor_client, pbi)
    # The seats at their default quantity: 12 × 10.00 = 120.00 a month, 10 % of it is 12.00.
    assert [(what, line.amount) for line, what in rows] == [
        ("10 % of 120.00", Decimal("12.00"))
    ] * 2
    assert "<td>10 % of 120.00</td>" in html
    assert "10.000000 %" not in html  # the percentage is a number, never money
