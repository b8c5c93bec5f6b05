"""A catalog whose changes touch everything the impact reports: shared by the impact tests.

The linter's clean catalog (``lint_builders.clean_catalog``: BASIC, PRO, usage and a
commitment at 10.00 a month on the active "Standard USD" rate, listed on a USD marketplace)
and:

- a channel rate for that marketplace pricing BASIC at 8.00 (the portal shows it there,
  not the standard one);
- a processed quote of 2 BASIC (and its contract): the standard rate is locked;
- draft quotes: 3 BASIC (360.00 over 12 months), 1 PRO (120.00), 1 BASIC sold on the
  marketplace (the channel's price: 96.00), and 1 BASIC with custom attributes no price has;
- a clone of the offering (its rates drafts).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from catalog.tests.factories import MarketplaceFactory, vendor_staff
from insights.tests.lint_builders import Catalog, clean_catalog
from pricing.clone import offering_clone
from pricing.models import Rate
from pricing.quote_lines import QuoteLineSpec
from pricing.selling import contract_create, quote_create, quote_process
from pricing.tests.factories import PriceBookItemFactory, PriceIntervalFactory, RateFactory

D = Decimal


@dataclass
class Scene:
    catalog: Catalog
    user: object
    marketplace: object
    standard_basic: object  # the standard rate's BASIC price
    channel_rate: object
    processed: object
    contract: object
    draft_basic: object
    draft_pro: object
    draft_on_channel: object
    draft_unpriced: object
    clone: object


def quote(catalog, *lines, channel=None, attributes=None):
    """A draft quote of (item, quantity) lines on the catalog's offering, rates left to the
    price selector."""
    return quote_create(
        vendor=catalog.vendor,
        customer="Contoso",
        currency="USD",
        sales_channel=channel,
        lines=[
            QuoteLineSpec(
                catalog.offering,
                None,
                item,
                quantity=D(quantity),
                custom_attributes=attributes or {},
            )
            for item, quantity in lines
        ],
    )


def build_scene(vendor) -> Scene:
    marketplace = MarketplaceFactory(currency="USD", name="Northwind Market")
    catalog = clean_catalog(vendor, marketplace)
    user = vendor_staff(vendor)
    channel_rate = RateFactory(
        offering=catalog.offering,
        name="Market USD",
        sales_channel=marketplace,
        status=Rate.Status.ACTIVE,
    )
    channel_basic = PriceBookItemFactory(rate=channel_rate, item=catalog.basic)
    PriceIntervalFactory(price_book_item=channel_basic, sequence=1, price=D("8.00"))
    processed = quote_process(quote=quote(catalog, (catalog.basic, 2)))
    contract = contract_create(quote=processed)
    return Scene(
        catalog=catalog,
        user=user,
        marketplace=marketplace,
        standard_basic=catalog.rate.price_book_items.get(item=catalog.basic),
        channel_rate=channel_rate,
        processed=processed,
        contract=contract,
        draft_basic=quote(catalog, (catalog.basic, 3)),
        draft_pro=quote(catalog, (catalog.pro, 1)),
        draft_on_channel=quote(catalog, (catalog.basic, 1), channel=marketplace),
        draft_unpriced=quote(catalog, (catalog.basic, 1), attributes={"region": "mars"}),
        clone=offering_clone(offering=catalog.offering, name="Cloud plans next year"),
    )
