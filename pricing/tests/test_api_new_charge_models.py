"""The charge models and options added with the registry, end to end through the API: write
a price, read it back, preview it, sell it, recompute it; bad prices are 400 and save
nothing."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.tests.factories import ItemFactory
from pricing import quote_lines, rates, selling, services
from pricing.models import PriceBookItem
from pricing.pricebook import snapshot

pytestmark = pytest.mark.django_db
API = "/api/v1"
D = Decimal


@pytest.fixture
def calls(sellable):
    """A usage item in the seats offering, its rate back to draft so prices can be added."""
    rates.rate_update(rate=sellable["rate"], status="draft")
    item = ItemFactory(product=sellable["seats"].product, kind="usage", mpn="CALLS")
    services.offering_add_item(offering=sellable["offering"], item=item)
    return {**sellable, "calls": item}


def package_body(s, **changes):
    body = {
        "rate": s["rate"].pk,
        "item": s["calls"].pk,
        "charge_model": "package",
        "minimum_amount": "5.00",
        "maximum_amount": "400.00",
        "intervals": [
            {
                "duration_unit": "infinity",
                "price": "4.00",
                "package_size": "1000",
                "included_units": "1000",
            }
        ],
    }
    return body | changes


def preview(api, s, quantity):
    response = api.post(
        f"{API}/offerings/{s['offering'].pk}/price-preview/",
        {
            "rate": s["rate"].pk,
            "start_date": "2026-01-01",
            "periods": 1,
            "lines": [{"item": s["calls"].pk, "quantity": str(quantity)}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    return [(p["kind"], p["amount"]) for p in response.json()["lines"][0]["periods"]]


def test_a_package_price_with_a_minimum_and_maximum_end_to_end(vendor_api, calls):
    response = vendor_api.post(f"{API}/price-book-items/", package_body(calls), format="json")
    assert response.status_code == 201, response.json()
    stored = vendor_api.get(f"{API}/price-book-items/{response.json()['id']}/").json()
    assert (stored["minimum_amount"], stored["maximum_amount"]) == ("5.000000", "400.000000")
    assert stored["intervals"][0]["package_size"] == "1000.0000"

    assert preview(vendor_api, calls, 0) == [("charge", "0.00"), ("minimum", "5.00")]
    # 1,500 calls: 500 beyond the free 1,000 start one package of 4.00, topped up to 5.00.
    assert preview(vendor_api, calls, 1500) == [("charge", "4.00"), ("minimum", "1.00")]
    assert preview(vendor_api, calls, 3001) == [("charge", "12.00")]
    assert preview(vendor_api, calls, 10**6) == [("charge", "3996.00"), ("maximum", "-3596.00")]

    rates.rate_activate(rate=calls["rate"])
    quote = selling.quote_create(
        vendor=calls["vendor"], customer="C", currency="USD", start_date=date(2026, 1, 1), periods=3
    )
    for item, quantity in ((calls["seats"], 1), (calls["fee"], 1), (calls["calls"], 1500)):
        quote_lines.quote_add_line(
            quote=quote,
            offering=calls["offering"],
            rate=calls["rate"],
            item=item,
            quantity=quantity,
        )
    selling.quote_process(quote=quote, on=date(2026, 1, 1))
    line = quote.lines.get(item=calls["calls"])
    assert line.amount == D("15.00")  # three months at the 5.00 minimum
    assert line.price_snapshot["version"] == snapshot.VERSION
    assert line.price_snapshot["minimum_amount"] == "5.000000"
    assert line.price_snapshot["intervals"][0]["package_size"] == "1000.0000"
    assert selling.quote_line_recompute(line) == D("15.00")


def test_flat_plus_unit_tiers_bill_the_first_flat_amount_at_zero_when_asked(vendor_api, calls):
    body = {
        "rate": calls["rate"].pk,
        "item": calls["calls"].pk,
        "charge_model": "tiered",
        "flat_at_zero": True,
        "intervals": [
            {
                "duration_unit": "infinity",
                "tiers": [
                    {"start_unit": "0", "end_unit": "100", "price": "0.10", "flat_amount": "5"},
                    {"start_unit": "100", "end_unit": None, "price": "0.05", "flat_amount": "20"},
                ],
            }
        ],
    }
    response = vendor_api.post(f"{API}/price-book-items/", body, format="json")
    assert response.status_code == 201, response.json()
    assert preview(vendor_api, calls, 0) == [("charge", "5.00")]
    # 5 + 100 × 0.10, then 20 + 50 × 0.05
    assert preview(vendor_api, calls, 150) == [("charge", "37.50")]


BAD = {
    "package without a size": {"intervals": [{"duration_unit": "infinity", "price": "4"}]},
    "package of 0 units": {
        "intervals": [{"duration_unit": "infinity", "price": "4", "package_size": "0"}]
    },
    "minimum above maximum": {"minimum_amount": "500", "maximum_amount": "400"},
    "negative minimum": {"minimum_amount": "-1"},
    "flat at zero on a package": {"flat_at_zero": True},
    "a minimum on a flat fee": {
        "charge_model": "flat_fee",
        "intervals": [{"duration_unit": "infinity", "price": "4"}],
    },
    "flat amount on a flat tier": {
        "charge_model": "tiered",
        "intervals": [
            {
                "duration_unit": "infinity",
                "tiers": [
                    {"start_unit": "0", "price": "4", "price_format": "flat", "flat_amount": "1"}
                ],
            }
        ],
    },
    "flat at zero without a first flat amount": {
        "charge_model": "volume",
        "flat_at_zero": True,
        "minimum_amount": None,
        "maximum_amount": None,
        "intervals": [{"duration_unit": "infinity", "tiers": [{"start_unit": "0", "price": "1"}]}],
    },
    "an unregistered charge model": {"charge_model": "rental"},
}


@pytest.mark.parametrize("changes", BAD.values(), ids=BAD.keys())
def test_a_bad_price_is_400_in_our_error_shape_and_saves_nothing(vendor_api, calls, changes):
    before = PriceBookItem.objects.count()
    response = vendor_api.post(
        f"{API}/price-book-items/", package_body(calls, **changes), format="json"
    )
    assert response.status_code == 400, response.json()
    body = response.json()
    # The engine's rules answer INVALID_PRICE_BOOK_ITEM; a field's own bounds (a package of
    # 0 units, a negative amount, an unknown choice) VALIDATION_ERROR; both name the problem.
    assert body["code"] in {"INVALID_PRICE_BOOK_ITEM", "VALIDATION_ERROR"}
    assert body["detail"] and body["errors"]
    assert PriceBookItem.objects.count() == before
