"""PATCH /api/v1/price-book-items/{id}/ merges the fields given into the stored price, which
is then checked and saved whole through ``price_book_item_save``: intervals, when given,
replace the old ones whole; a rate that priced a sale refuses (409 RATE_LOCKED); a refusal
changes no row."""

import pytest

from catalog.tests.factories import ItemFactory, ProductFactory
from pricing.models import LockRefusal, PriceBookItem, PriceInterval
from pricing.tests.factories import priced_offering
from pricing.tests.rows import pricing_rows

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def price(draft_rate_offering):
    """The seats' per-unit price of 12 on the draft rate."""
    return draft_rate_offering["rate"].price_book_items.get(item=draft_rate_offering["seats"])


def stored(pbi) -> dict:
    pbi = PriceBookItem.objects.get(pk=pbi.pk)
    return {
        "charge_model": pbi.charge_model,
        "pricing_type": pbi.pricing_type,
        "custom_attributes": pbi.custom_attributes,
        "minimum_amount": pbi.minimum_amount,
        "intervals": list(
            pbi.intervals.order_by("sequence").values_list("duration_unit", "duration", "price")
        ),
    }


def test_patch_changes_the_fields_given_and_keeps_the_intervals(vendor_api, vendor_user, price):
    before = stored(price)

    response = vendor_api.patch(
        f"{API}/price-book-items/{price.pk}/",
        {"custom_attributes": {"region": "north"}, "minimum_amount": "50"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    after = stored(price)
    assert after["custom_attributes"] == {"region": "north"}
    assert after["minimum_amount"] == 50
    assert after["intervals"] == before["intervals"]
    assert after["charge_model"] == before["charge_model"] == "per_unit"
    assert response.json()["intervals"][0]["price"] == "12.000000"
    assert PriceBookItem.history.filter(id=price.pk).latest().history_user == vendor_user


def test_patched_intervals_replace_the_old_ones_whole(vendor_api, price):
    old = set(price.intervals.values_list("pk", flat=True))

    response = vendor_api.patch(
        f"{API}/price-book-items/{price.pk}/",
        {
            "pricing_type": "interval",
            "intervals": [
                {"duration_unit": "month", "duration": 3, "price": "0"},
                {"duration_unit": "infinity", "price": "15"},
            ],
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert stored(price)["intervals"] == [("month", 3, 0), ("infinity", None, 15)]
    assert not PriceInterval.objects.filter(pk__in=old).exists()


def test_patch_takes_a_charge_model_with_the_intervals_it_needs(vendor_api, price):
    response = vendor_api.patch(
        f"{API}/price-book-items/{price.pk}/",
        {
            "charge_model": "volume",
            "intervals": [
                {
                    "duration_unit": "infinity",
                    "tiers": [{"start_unit": "0", "end_unit": None, "price": "9"}],
                }
            ],
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["charge_model"] == "volume"
    assert response.json()["intervals"][0]["tiers"][0]["price"] == "9.000000"


def test_a_rate_that_priced_a_sale_refuses_and_keeps_every_row(vendor_api, locked):
    pbi = locked["rate"].price_book_items.get(item=locked["seats"])
    before = pricing_rows()

    response = vendor_api.patch(
        f"{API}/price-book-items/{pbi.pk}/", {"minimum_amount": "1"}, format="json"
    )

    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "RATE_LOCKED"
    assert pricing_rows() == before
    assert LockRefusal.objects.filter(code="RATE_LOCKED").count() == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"charge_model": "volume"}, "INVALID_PRICE_BOOK_ITEM"),  # its intervals have no tiers
        ({"intervals": [{"duration_unit": "month", "duration": 3}]}, "INVALID_PRICE_BOOK_ITEM"),
        ({"intervals": []}, "INVALID_PRICE_BOOK_ITEM"),
        ({"intervals": [{"duration_unit": "fortnight"}]}, "VALIDATION_ERROR"),
        ({"intervals": [{"price": "x"}]}, "VALIDATION_ERROR"),
        ({"custom_attributes": {"a": [1]}}, "INVALID_PRICE_BOOK_ITEM"),
        ({"delivery_weekdays": [9]}, "VALIDATION_ERROR"),
        ({"charge_model": "no such model"}, "VALIDATION_ERROR"),
        ([{"minimum_amount": "1"}], "VALIDATION_ERROR"),
    ],
)
def test_a_price_that_does_not_hold_is_400_and_changes_nothing(vendor_api, price, body, code):
    before = pricing_rows()

    response = vendor_api.patch(f"{API}/price-book-items/{price.pk}/", body, format="json")

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == code, response.json()
    assert pricing_rows() == before


def test_another_vendors_rate_or_item_is_400_like_an_unknown_id(vendor_api, price, other_vendor):
    theirs = priced_offering(other_vendor)
    their_item = ItemFactory(product=ProductFactory(vendor=other_vendor))
    before = pricing_rows()

    for body in ({"rate": theirs.rates.get().pk}, {"item": their_item.pk}):
        response = vendor_api.patch(f"{API}/price-book-items/{price.pk}/", body, format="json")

        assert response.status_code == 400, response.json()
        assert "does not exist" in str(response.json()["errors"])
    assert pricing_rows() == before


def test_another_vendors_price_is_404(vendor_api, other_vendor):
    pbi = PriceBookItem.objects.get(rate__offering=priced_offering(other_vendor))
    before = pricing_rows()

    response = vendor_api.patch(
        f"{API}/price-book-items/{pbi.pk}/", {"minimum_amount": "1"}, format="json"
    )

    assert response.status_code == 404
    assert pricing_rows() == before
