"""A small catalog the linter finds nothing in, and the one-line changes that each plant
one mistake in it (``MISTAKES``): shared by the linter's test modules."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from catalog.models import Item, ItemPath
from catalog.tests.factories import (
    ItemFactory,
    ItemPathFactory,
    ListingFactory,
    MarketplaceFactory,
    OfferFactory,
    PlanFactory,
    ProductFactory,
)
from pricing.models import OfferingItemScope, Rate
from pricing.tests.factories import (
    OfferingFactory,
    OfferingItemFactory,
    PriceBookItemFactory,
    PriceIntervalFactory,
    PriceTierFactory,
    RateFactory,
)

PUBLISHED = Item.Status.PUBLISHED
D = Decimal


@dataclass
class Catalog:
    vendor: object
    offering: object
    rate: object
    product: object
    basic: object
    pro: object
    usage: object
    usage_price: object
    commit_line: object


def tiers(price, *bands, overage=None, **interval):
    """Replace a price's intervals by one Infinity interval with tiers (start, end, price)."""
    price.intervals.all().delete()
    row = PriceIntervalFactory(
        price_book_item=price, sequence=1, overage_price=D(overage or 0), **interval
    )
    for start, end, unit in bands:
        PriceTierFactory(
            interval=row,
            start_unit=D(start),
            end_unit=None if end is None else D(end),
            price=D(unit),
        )
    return price


def clean_catalog(vendor, marketplace=None) -> Catalog:
    """One product of a basic, a pro, a usage and a commitment item, an offering selling them
    in an active USD rate, listed on a USD marketplace; basic upgrades to pro and pro
    downgrades to basic."""
    marketplace = marketplace or MarketplaceFactory(currency="USD")
    product = ProductFactory(vendor=vendor, name=f"Cloud {vendor.slug}")
    make = dict(product=product, status=PUBLISHED)
    basic = ItemFactory(mpn="BASIC", **make)
    pro = ItemFactory(mpn="PRO", **make)
    usage = ItemFactory(mpn="GB", kind=Item.Kind.USAGE, **make)
    commit = ItemFactory(mpn="COMMIT", kind=Item.Kind.MINIMUM_COMMIT, **make)
    offering = OfferingFactory(vendor=vendor, name=f"Cloud plans {vendor.slug}")
    rate = RateFactory(offering=offering, name="Standard USD", status=Rate.Status.ACTIVE)
    lines = {
        item: OfferingItemFactory(offering=offering, item=item)
        for item in (basic, pro, usage, commit)
    }
    for item, model in ((basic, "per_unit"), (pro, "per_unit"), (commit, "flat_fee")):
        price = PriceBookItemFactory(rate=rate, item=item, charge_model=model)
        PriceIntervalFactory(price_book_item=price, sequence=1, price=D("10.00"))
    usage_price = tiers(
        PriceBookItemFactory(rate=rate, item=usage, charge_model="tiered"),
        (0, 100, "0.10"),
        (100, None, "0.08"),
    )
    OfferingItemScope.objects.create(offering_item=lines[commit], item=usage)
    offer = OfferFactory(product=product, name="Cloud")
    PlanFactory(offer=offer, offering=offering)
    ListingFactory(offer=offer, marketplace=marketplace)
    ItemPathFactory(source=basic, target=pro, kind=ItemPath.Kind.UPGRADE)
    ItemPathFactory(source=pro, target=basic, kind=ItemPath.Kind.DOWNGRADE)
    return Catalog(vendor, offering, rate, product, basic, pro, usage, usage_price, lines[commit])


def _charge(c, model, *bands, overage=None):
    c.usage_price.charge_model = model
    c.usage_price.save()
    tiers(c.usage_price, *bands, overage=overage)


def _interval_pricing(c, first_months):
    price = c.usage_price
    price.charge_model, price.pricing_type = "per_unit", "interval"
    price.save()
    price.intervals.all().delete()
    PriceIntervalFactory(
        price_book_item=price, sequence=1, duration_unit="month", duration=first_months
    )
    PriceIntervalFactory(price_book_item=price, sequence=2, price=D("8.00"))


def _no_price(c):
    OfferingItemFactory(
        offering=c.offering, item=ItemFactory(product=c.product, mpn="ADDON", status=PUBLISHED)
    )


def _draft_rate(c):
    Rate.objects.filter(pk=c.rate.pk).update(status=Rate.Status.DRAFT)


def _euro_listing(c):
    ListingFactory(
        offer=c.offering.plans.get().offer,
        marketplace=MarketplaceFactory(name="Europe", currency="EUR"),
    )


def _scope_elsewhere(c):
    c.commit_line.scopes.all().delete()
    other = ItemFactory(product=c.product, mpn="OTHER", kind=Item.Kind.USAGE, status=PUBLISHED)
    OfferingItemScope.objects.create(offering_item=c.commit_line, item=other)


def _scope_empty(c):
    c.commit_line.scopes.all().delete()


def _end_of_sale(c):
    Item.objects.filter(pk=c.pro.pk).update(status=Item.Status.END_OF_SALE)


def _path_to_draft(c):
    ItemPathFactory(source=c.pro, target=ItemFactory(product=c.product, mpn="NEXT"))


def _contradiction(c):
    lite = ItemFactory(product=c.product, mpn="LITE", status=PUBLISHED)
    ItemPathFactory(source=c.basic, target=lite, kind=ItemPath.Kind.UPGRADE)
    ItemPathFactory(source=lite, target=c.basic, kind=ItemPath.Kind.UPGRADE)  # as stored before


# (name, the change, the codes found, the severity of the first)
MISTAKES = [
    ("volume cliff", lambda c: _charge(c, "volume", (0, 10, "10"), (10, None, "5")),
     {"volume_cliff"}),
    ("overage below the last tier",
     lambda c: _charge(c, "tiered_with_overage", (0, 10, "2"), (10, 20, "1.5"), overage="1"),
     {"overage_below_last_tier"}),
    ("tiers with a gap", lambda c: _charge(c, "tiered", (0, 10, "2"), (12, None, "1")),
     {"tier_gap"}),
    ("tiers that overlap", lambda c: _charge(c, "tiered", (0, 10, "2"), (8, None, "1")),
     {"tier_overlap"}),
    ("units above a closed last tier are free", lambda c: _charge(c, "tiered", (0, 10, "2")),
     {"tier_gap_above_last"}),
    ("an interval after the longest term", lambda c: _interval_pricing(c, 600),
     {"interval_unreachable"}),
    ("an item no active rate prices", _no_price, {"item_without_price"}),
    ("no active rate at all", _draft_rate,
     {"no_active_rate", "listing_without_rate", "scope_names_nothing_sold"}),
    ("a listing in a currency no rate sells", _euro_listing, {"listing_without_rate"}),
    ("a commitment applying to an item not sold", _scope_elsewhere, {"scope_names_nothing_sold"}),
    ("a commitment applying to nothing", _scope_empty, {"scope_names_nothing_sold"}),
    ("an upgrade path to an end-of-sale item", _end_of_sale, {"path_to_end_of_sale"}),
    ("an upgrade path to a draft item", _path_to_draft, {"path_to_draft"}),
    ("contradicting upgrade paths", _contradiction, {"contradicting_paths"}),
]  # fmt: skip
