"""One save of the price page shows every error of the page at once, each at its field: the
price's own fields on the main form, an interval's at its field, its tiers' at its tier
table; none waits for another to be fixed, and nothing is saved."""

import pytest
from django.urls import reverse

from pricing.models import PriceBookItem
from pricing.tests.factories import RateFactory, subscription_offering
from pricing.tests.price_page import ADD, interval_forms, price_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def rate(vendor):
    return RateFactory(offering=subscription_offering(vendor))


def post(client, rate, charge_model, intervals, **price):
    item = rate.offering.offering_items.get().item
    return client.post(reverse(ADD), price_page(rate, item, charge_model, intervals, **price))


def test_a_missing_weekday_and_interval_errors_show_together_at_their_fields(vendor_client, rate):
    response = post(
        vendor_client,
        rate,
        "delivery",
        [
            # A Day interval without its duration (the model's own check) ...
            {"sequence": "1", "duration_unit": "day", "duration": "", "price": "4.75"},
            # ... a blank price the delivery model needs, and a shared sequence number.
            {"sequence": "1", "duration_unit": "infinity", "price": ""},
        ],
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["delivery_weekdays"] == ["A delivery price needs its delivery weekdays."]
    first, second = interval_forms(response)
    assert "duration" in first.errors
    assert second.errors["price"] == ["Required for a delivery price."]
    intervals = response.context["inline_admin_formsets"][0].formset
    assert intervals.non_form_errors() == []  # nothing lumped under the intervals
    assert "duplicate" not in response.content.decode().lower()
    assert not PriceBookItem.objects.exists()


def test_the_weekday_error_alone_is_at_the_weekday_field(vendor_client, rate):
    response = post(
        vendor_client,
        rate,
        "delivery",
        [
            {"sequence": "1", "duration_unit": "day", "duration": "365", "price": "4.75"},
            {"sequence": "2", "duration_unit": "infinity", "price": "9.50"},
        ],
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "delivery_weekdays": ["A delivery price needs its delivery weekdays."]
    }
    assert all(not form.errors for form in interval_forms(response))
    assert not PriceBookItem.objects.exists()


def test_tier_interval_and_price_problems_show_together(vendor_client, rate):
    response = post(
        vendor_client,
        rate,
        "tiered",
        [
            {
                "sequence": "1",
                "duration_unit": "infinity",
                "tiers": [
                    {"start_unit": "0", "end_unit": "10", "price": "1"},
                    {"start_unit": "20", "price": ""},  # a gap, and no price
                ],
            },
            {"sequence": "2", "duration_unit": "month", "duration": "3"},
        ],
        delivery_weekdays=["6"],
        minimum_amount="abc",
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["delivery_weekdays"] == ["Only a delivery price has delivery weekdays."]
    assert "minimum_amount" in form.errors  # not a number: its own error, not a second one
    first, second = interval_forms(response)
    assert first.errors["duration_unit"] == ["Only the last interval may be Infinity."]
    (tiers,) = first.nested_formsets
    assert tiers.non_form_errors() == ["Tiers must be contiguous: gap between 10 and 20."]
    assert tiers.forms[1].errors["price"] == ["Required for a tiered price."]
    assert (
        "Volume and tiered prices need at least one tier."
        in second.nested_formsets[0].non_form_errors()
    )
    assert not PriceBookItem.objects.exists()


def test_an_error_shows_at_its_interval_in_saved_order_not_page_order(vendor_client, rate):
    response = post(
        vendor_client,
        rate,
        "overage",
        [
            {"sequence": "2", "duration_unit": "infinity", "overage_price": "2"},
            {"sequence": "1", "duration_unit": "month", "duration": "3", "overage_price": "0"},
        ],
    )
    assert response.status_code == 200
    infinity, month = interval_forms(response)
    assert not infinity.errors
    assert month.errors["overage_price"] == ["An overage price is needed."]
