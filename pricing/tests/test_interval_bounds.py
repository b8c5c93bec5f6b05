"""Interval durations are bounded (at most 36,500 days or 1,200 months) where prices are
saved; an interval stored longer, or one that outlasts the calendar, still previews."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from pricing import pricebook as engine
from pricing import rates
from pricing.errors import InvalidPriceBookItem
from pricing.models import PriceBookItem
from pricing.pricebook import IntervalSpec
from pricing.tests.factories import (
    PriceBookItemFactory,
    PriceIntervalFactory,
    RateFactory,
    subscription_offering,
)

pytestmark = pytest.mark.django_db

TOO_LONG = [("day", 36_501), ("month", 1_201), ("day", 2_147_483_647)]


@pytest.fixture
def rate(vendor):
    return RateFactory(offering=subscription_offering(vendor))


def save(rate, unit, duration):
    return rates.price_book_item_save(
        rate=rate,
        item=rate.offering.offering_items.get().item,
        charge_model="per_unit",
        pricing_type="interval",
        intervals=[
            IntervalSpec(duration_unit=unit, duration=duration, price=Decimal(1)),
            IntervalSpec(price=Decimal(2)),
        ],
    )


@pytest.mark.parametrize(("unit", "duration"), TOO_LONG)
def test_price_book_item_save_refuses_an_interval_too_long(rate, unit, duration):
    with pytest.raises(InvalidPriceBookItem, match="at most"):
        save(rate, unit, duration)
    assert not PriceBookItem.objects.exists()


@pytest.mark.parametrize(("unit", "duration"), [("day", 36_500), ("month", 1_200)])
def test_the_longest_intervals_are_saved(rate, unit, duration):
    assert save(rate, unit, duration).intervals.count() == 2


@pytest.mark.parametrize(("unit", "duration"), TOO_LONG)
def test_api_interval_too_long_is_a_400(vendor_api, rate, unit, duration):
    response = vendor_api.post(
        "/api/v1/price-book-items/",
        {
            "rate": rate.pk,
            "item": rate.offering.offering_items.get().item_id,
            "charge_model": "per_unit",
            "pricing_type": "interval",
            "intervals": [
                {"duration_unit": unit, "duration": duration, "price": "1"},
                {"duration_unit": "infinity", "price": "2"},
            ],
        },
        format="json",
    )
    assert response.status_code == 400, response.content[:300]
    assert not PriceBookItem.objects.exists()


def test_admin_interval_too_long_is_a_form_error(vendor_client, rate):
    data = {
        "rate": rate.pk,
        "item": rate.offering.offering_items.get().item_id,
        "charge_model": "per_unit",
        "pricing_type": "interval",
        "custom_attributes": "{}",
        "intervals-TOTAL_FORMS": 2,
        "intervals-INITIAL_FORMS": 0,
        "intervals-MIN_NUM_FORMS": 0,
        "intervals-MAX_NUM_FORMS": 1000,
    }
    for i, (unit, duration) in enumerate([("day", "2147483647"), ("infinity", "")]):
        data.update(
            {
                f"intervals-{i}-sequence": i + 1,
                f"intervals-{i}-duration_unit": unit,
                f"intervals-{i}-duration": duration,
                f"intervals-{i}-price": "1",
                f"intervals-{i}-included_units": "0",
                f"intervals-{i}-overage_price": "0",
                f"intervals-{i}-tiers-TOTAL_FORMS": 0,
                f"intervals-{i}-tiers-INITIAL_FORMS": 0,
                f"intervals-{i}-tiers-MIN_NUM_FORMS": 0,
                f"intervals-{i}-tiers-MAX_NUM_FORMS": 1000,
            }
        )
    response = vendor_client.post(reverse("admin:pricing_pricebookitem_add"), data)
    assert response.status_code == 200
    assert "at most 36,500 days" in response.content.decode()
    assert not PriceBookItem.objects.exists()


def test_admin_preview_of_a_stored_interval_longer_than_the_calendar_works(vendor_client, rate):
    """A row stored before the bound existed: it outlasts any term, so its price applies."""
    pbi = PriceBookItemFactory(
        rate=rate, item=rate.offering.offering_items.get().item, pricing_type="interval"
    )
    PriceIntervalFactory(
        price_book_item=pbi,
        sequence=1,
        duration_unit="day",
        duration=2_147_483_647,
        price=Decimal(5),
    )
    PriceIntervalFactory(price_book_item=pbi, sequence=2, price=Decimal(7))
    response = vendor_client.get(
        reverse("admin:pricing_pricebookitem_change", args=[pbi.pk]),
        {"quantity": "1", "start_date": "2026-01-01", "periods": "3"},
    )
    assert response.status_code == 200
    assert [line.amount for line in response.context["schedule"].lines] == [Decimal("5.00")] * 3


@pytest.mark.parametrize(
    ("unit", "duration"), [("day", 2_147_483_647), ("month", 2_147_483_647), ("day", 10**12)]
)
def test_engine_schedules_an_interval_that_outlasts_the_calendar(unit, duration):
    book = engine.PriceBook(
        charge_model="per_unit",
        currency="USD",
        intervals=(
            engine.Interval(duration_unit=unit, duration=duration, price=Decimal(5)),
            engine.Interval(duration_unit="infinity", price=Decimal(7)),
        ),
    )
    result = engine.schedule(book, quantity=Decimal(1), start=date(9999, 1, 1), periods=11)
    assert result.total == Decimal("55.00")


def test_engine_refuses_a_term_past_the_last_date_clearly():
    book = engine.PriceBook(
        charge_model="per_unit",
        currency="USD",
        intervals=(engine.Interval(duration_unit="infinity", price=Decimal(5)),),
    )
    with pytest.raises(ValueError, match="9999-12-31"):
        engine.schedule(book, quantity=Decimal(1), start=date(9999, 12, 1), periods=120)
