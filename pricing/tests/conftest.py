from datetime import date
from decimal import Decimal

import pytest

from catalog.models import Item
from catalog.services import item_require_base
from catalog.tests.factories import ItemFactory, ProductFactory
from pricing import rates, services
from pricing.models import Rate
from pricing.pricebook import IntervalSpec


@pytest.fixture
def sellable(vendor):
    """Seed 002's seats with implementation fee, an active USD rate, and an add-on item."""
    product = ProductFactory(vendor=vendor, name="Platform")
    seats = ItemFactory(product=product, mpn="SEATS", kind=Item.Kind.SUBSCRIPTION)
    fee = ItemFactory(product=product, mpn="FEE", kind=Item.Kind.ONE_TIME)
    addon = ItemFactory(product=product, mpn="ADDON", kind=Item.Kind.SUBSCRIPTION)

    item_require_base(addon=addon, base=seats)
    offering = services.offering_create(
        vendor=vendor, name="Seats with fee", start_date=date(2026, 1, 1)
    )
    services.offering_set_items(
        offering=offering,
        lines=[
            services.OfferingLine(item=seats, default_quantity=10, required=True),
            services.OfferingLine(item=fee, default_quantity=1, required=True),
            services.OfferingLine(item=addon),
        ],
    )
    rate = rates.rate_create(offering=offering, name="USD monthly", currency="USD")
    for item, model, price in (
        (seats, "per_unit", "12"),
        (fee, "flat_fee", "1500"),
        (addon, "per_unit", "3"),
    ):
        rates.price_book_item_save(
            rate=rate, item=item, charge_model=model, intervals=[IntervalSpec(price=Decimal(price))]
        )
    rates.rate_activate(rate=rate)
    rate.refresh_from_db()
    return {
        "offering": offering,
        "rate": rate,
        "seats": seats,
        "fee": fee,
        "addon": addon,
        "vendor": vendor,
    }


@pytest.fixture
def draft_rate_offering(sellable):
    """The same offering with its rate back to draft: unlocked."""
    rates.rate_update(rate=sellable["rate"], status=Rate.Status.DRAFT)
    return sellable


def draft_quote(world):
    """A draft quote of 10 seats and the fee on the sellable offering."""
    from pricing import quote_lines, selling

    quote = selling.quote_create(
        vendor=world["vendor"], customer="Contoso", currency="USD", start_date=date(2026, 1, 1)
    )
    for item, quantity in (("seats", 10), ("fee", 1)):
        quote_lines.quote_add_line(
            quote=quote,
            offering=world["offering"],
            rate=world["rate"],
            item=world[item],
            quantity=quantity,
        )
    return quote


def processed_quote(world):
    """A processed quote of 10 seats and the fee on the sellable offering."""
    from pricing import selling

    return selling.quote_process(quote=draft_quote(world))


@pytest.fixture
def locked(sellable):
    """The sellable offering, locked by its active rate and a processed quote."""
    return {**sellable, "quote": processed_quote(sellable)}
