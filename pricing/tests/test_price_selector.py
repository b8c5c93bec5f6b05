"""The price selector, as a table: which price applies for a channel, a customer group,
custom attributes, a currency, a billing frequency and a date, and why none does."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.tests.factories import ItemFactory, MarketplaceFactory, ProductFactory
from catalog.tests.generated import report
from pricing import rates, services
from pricing.price_selector import (
    NO_PRICE,
    NO_RATE,
    OFFERING_UNAVAILABLE,
    OTHER_ATTRIBUTES,
    OTHER_CHANNEL,
    OTHER_CUSTOMER_GROUP,
    PriceUnavailable,
    Sale,
    select_price,
    select_prices,
)
from pricing.pricebook import IntervalSpec

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(vendor):
    """Seats priced in seven rates; a fee priced on the US channel only; an offering that
    ends in 2026."""
    us = MarketplaceFactory(code="us", currency="USD")
    eu = MarketplaceFactory(code="eu", currency="EUR", countries="DE")
    product = ProductFactory(vendor=vendor)
    seats = ItemFactory(product=product, mpn="SEATS")
    fee = ItemFactory(product=product, mpn="FEE", kind="one_time")
    support = ItemFactory(product=product, mpn="SUPPORT")
    offering = services.offering_create(vendor=vendor, name="Seats", start_date=date(2026, 1, 1))
    services.offering_set_items(
        offering=offering,
        lines=[services.OfferingLine(item=item) for item in (seats, fee, support)],
    )

    def rate(name, currency="USD", price=None, *, status="active", **fields):
        made = rates.rate_create(offering=offering, name=name, currency=currency, **fields)
        for item, amount, attributes in price:
            rates.price_book_item_save(
                rate=made,
                item=item,
                charge_model="per_unit",
                intervals=[IntervalSpec(price=Decimal(amount))],
                custom_attributes=attributes,
            )
        if status == "active":
            rates.rate_activate(rate=made)
        return made

    rate("list", price=[(seats, "10", {}), (seats, "12", {"region": "north"})])
    rate("us", price=[(seats, "9", {}), (fee, "100", {})], sales_channel=us)
    rate("promo", price=[(seats, "8", {}), (support, "2", {})], customer_group="promo")
    rate("us promo", price=[(seats, "7", {})], sales_channel=us, customer_group="promo")
    rate("eu", "EUR", price=[(seats, "11", {})], sales_channel=eu)
    rate("yearly", price=[(seats, "100", {})], billing_frequency="yearly")
    rate("vip draft", price=[(seats, "5", {})], customer_group="vip", status="draft")
    return {
        "offering": offering,
        "seats": seats,
        "fee": fee,
        "support": support,
        "us": us,
        "eu": eu,
    }


# (item, currency, frequency, channel, group, attributes, date) → price or reason
CASES = [
    ("seats", "USD", "monthly", None, "", {}, None, "10"),
    ("seats", "USD", "monthly", "us", "", {}, None, "9"),  # the channel's rate beats
    ("seats", "USD", "monthly", None, "promo", {}, None, "8"),  # the group's rate beats
    ("seats", "USD", "monthly", "us", "promo", {}, None, "7"),  # both
    ("seats", "USD", "monthly", "eu", "promo", {}, None, "8"),  # the EU rate is in EUR
    ("seats", "USD", "monthly", None, "other", {}, None, "10"),  # an unknown group: list price
    ("seats", "USD", "monthly", None, "vip", {}, None, "10"),  # the vip rate is a draft
    ("seats", "USD", "monthly", None, "", {"region": "north"}, None, "12"),
    ("seats", "USD", "yearly", None, "", {}, None, "100"),
    ("seats", "USD", "monthly", "us", "other", {}, None, "9"),
    ("seats", "EUR", "monthly", "eu", "", {}, None, "11"),
    ("seats", "EUR", "monthly", None, "", {}, None, OTHER_CHANNEL),
    ("seats", "GBP", "monthly", None, "", {}, None, NO_RATE),
    ("seats", "USD", "quarterly", None, "", {}, None, NO_RATE),
    ("seats", "USD", "monthly", None, "", {"region": "south"}, None, OTHER_ATTRIBUTES),
    ("fee", "USD", "monthly", "us", "", {}, None, "100"),
    ("fee", "USD", "monthly", None, "", {}, None, OTHER_CHANNEL),
    ("fee", "USD", "monthly", "eu", "", {}, None, OTHER_CHANNEL),
    ("support", "USD", "monthly", None, "promo", {}, None, "2"),
    ("support", "USD", "monthly", None, "", {}, None, OTHER_CUSTOMER_GROUP),
    ("support", "USD", "monthly", None, "vip", {}, None, OTHER_CUSTOMER_GROUP),
    ("support", "USD", "yearly", None, "", {}, None, NO_PRICE),
    ("seats", "USD", "monthly", None, "", {}, date(2025, 12, 31), OFFERING_UNAVAILABLE),
]


def test_the_selector_table(shop):
    tried = 0
    for item, currency, frequency, channel, group, attributes, on, expected in CASES:
        sale = Sale(
            currency=currency,
            billing_frequency=frequency,
            channel_id=shop[channel].pk if channel else None,
            customer_group=group,
            attributes=attributes,
            on=on or date(2026, 6, 1),
        )
        case = (item, currency, frequency, channel, group, attributes, on)
        if expected[0].isdigit():
            pbi = select_price(offering=shop["offering"], item=shop[item], sale=sale)
            price = pbi.intervals.get().price
            assert price == Decimal(expected), case
        else:
            with pytest.raises(PriceUnavailable) as refused:
                select_price(offering=shop["offering"], item=shop[item], sale=sale)
            assert refused.value.reason == expected, case
            assert refused.value.code == "PRICE_MISSING"
            assert str(refused.value)
        tried += 1
    report("price selector cases", tried)
    assert tried == len(CASES)


def test_a_customer_groups_rate_is_sold_only_to_that_group(shop):
    sale = Sale(currency="USD", billing_frequency="monthly", customer_group="")
    prices = {
        pbi.rate.name
        for pbi in select_prices(offerings=[shop["offering"]], sale=sale)[shop["offering"].pk][
            "monthly"
        ]
    }
    assert prices == {"list"}


def test_the_portal_view_of_a_channel_lists_each_items_price_once(shop):
    sale = Sale(currency="USD", channel_id=shop["us"].pk)
    prices = select_prices(offerings=[shop["offering"]], sale=sale)[shop["offering"].pk]
    assert {
        frequency: sorted((pbi.item.mpn, pbi.rate.name) for pbi in found)
        for frequency, found in prices.items()
    } == {"monthly": [("FEE", "us"), ("SEATS", "us")], "yearly": [("SEATS", "yearly")]}
