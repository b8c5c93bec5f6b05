from datetime import date
from decimal import Decimal

import pytest

from catalog.models import Item
from catalog.services import item_require_base
from catalog.tests.factories import ItemFactory, ProductFactory
from pricing import services
from pricing.models import Rate
from pricing.services import IntervalSpec


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
    rate = services.rate_create(offering=offering, name="USD monthly", currency="USD")
    for item, model, price in (
        (seats, "per_unit", "12"),
        (fee, "flat_fee", "1500"),
        (addon, "per_unit", "3"),
    ):
        services.price_book_item_save(
            rate=rate, item=item, charge_model=model, intervals=[IntervalSpec(price=Decimal(price))]
        )
    services.rate_activate(rate=rate)
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
    services.rate_update(rate=sellable["rate"], status=Rate.Status.DRAFT)
    return sellable
