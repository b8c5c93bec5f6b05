"""The price-curve tests' catalog: a listing on the distributor's marketplace whose offer has
two plans, priced by one offering's active rate in USD:

- VOLUME: volume pricing, 10.00 a unit up to 10 units, 5.00 from 10 (a cliff: 11 units cost
  55.00, less than 10 units at 100.00);
- STEPS: tiered, 20.00 a unit for 3 months, then 15.00 for 60 days, then 10.00 for ever
  (three curves against quantity, and one over time at the default quantity, 2).

Prices the listing does not show: VOLUME in a draft rate and in an inactive rate, and in a
rate for another marketplace's channel; and another vendor's listing on the same
marketplace, with a price of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from catalog.models import Item, Listing
from catalog.tests.factories import (
    DistributorFactory,
    ItemFactory,
    ListingFactory,
    MarketplaceFactory,
    OfferFactory,
    PlanFactory,
    PlanItemFactory,
    ProductFactory,
    UserFactory,
    VendorFactory,
    distributor_user,
    vendor_staff,
)
from pricing.models import OfferingItem, PriceBookItem, Rate
from pricing.tests.factories import (
    OfferingFactory,
    PriceBookItemFactory,
    PriceIntervalFactory,
    PriceTierFactory,
    RateFactory,
)

D = Decimal
ACTIVE, DRAFT, INACTIVE = Rate.Status.ACTIVE, Rate.Status.DRAFT, Rate.Status.INACTIVE
PUBLISHED = Item.Status.PUBLISHED
VOLUME_TIERS = [(0, 10, "10.00"), (10, None, "5.00")]
# (duration unit, duration, price of every unit) per interval
STEPS = [("month", 3, "20.00"), ("day", 60, "15.00"), ("infinity", None, "10.00")]


@dataclass
class Shop:
    listing: Listing
    other_listing: Listing  # another vendor's, on the same marketplace
    prices: dict[str, PriceBookItem]  # by name: "volume", "steps", "draft", ...
    vendor_user: object
    distributor_user: object
    other_vendor_user: object
    superuser: object

    def url(self, name: str, listing: Listing | None = None) -> str:
        listing = listing or self.listing
        return f"/portal/listings/{listing.pk}/prices/{self.prices[name].pk}/"


def add_price(rate, item, charge_model, intervals, *, pricing_type=None) -> PriceBookItem:
    """A price of ``item`` in ``rate``: ``intervals`` as (unit, duration, tiers), each tier
    (start, end or None, price)."""
    pbi = PriceBookItemFactory(
        rate=rate,
        item=item,
        charge_model=charge_model,
        pricing_type=pricing_type or ("interval" if len(intervals) > 1 else "regular"),
    )
    for sequence, (unit, duration, tiers) in enumerate(intervals, 1):
        interval = PriceIntervalFactory(
            price_book_item=pbi, sequence=sequence, duration_unit=unit, duration=duration
        )
        for start, end, price in tiers:
            PriceTierFactory(
                interval=interval,
                start_unit=D(start),
                end_unit=None if end is None else D(end),
                price=D(price),
            )
    return pbi


def volume(rate, item) -> PriceBookItem:
    return add_price(rate, item, "volume", [("infinity", None, VOLUME_TIERS)])


def steps(rate, item) -> PriceBookItem:
    intervals = [(unit, duration, [(0, None, price)]) for unit, duration, price in STEPS]
    return add_price(rate, item, "tiered", intervals)


def priced_listing(vendor, marketplace, *, items: tuple[str, ...]):
    """A listed offer of ``vendor`` with a plan per item, the plans priced by one offering
    (its items at default quantity 2). Returns the listing, the offering and the items."""
    product = ProductFactory(vendor=vendor)
    offer = OfferFactory(product=product, name=f"{vendor.name} plans")
    offering = OfferingFactory(vendor=vendor)
    found = {}
    for position, mpn in enumerate(items):
        item = ItemFactory(
            product=product,
            mpn=f"{vendor.slug}-{mpn}",
            name=f"{mpn.title()} seats",
            unit="seat",
            status=PUBLISHED,
        )
        plan = PlanFactory(offer=offer, position=position, offering=offering)
        PlanItemFactory(plan=plan, item=item)
        OfferingItem.objects.create(offering=offering, item=item, default_quantity=2)
        found[mpn] = item
    listing = ListingFactory(offer=offer, marketplace=marketplace)
    return listing, offering, found


def build_shop() -> Shop:
    vendor, other_vendor = VendorFactory(), VendorFactory()
    marketplace = MarketplaceFactory(name="North America", currency="USD")
    elsewhere = MarketplaceFactory(name="Elsewhere", currency="USD")
    distributor = DistributorFactory(marketplaces=[marketplace])

    listing, offering, items = priced_listing(vendor, marketplace, items=("VOLUME", "STEPS"))
    active = RateFactory(offering=offering, status=ACTIVE)
    prices = {"volume": volume(active, items["VOLUME"]), "steps": steps(active, items["STEPS"])}
    for name, status in (("draft", DRAFT), ("inactive", INACTIVE)):
        prices[name] = volume(RateFactory(offering=offering, status=status), items["VOLUME"])
    channel_rate = RateFactory(offering=offering, status=ACTIVE, sales_channel=elsewhere)
    prices["other_channel"] = volume(channel_rate, items["VOLUME"])

    other, other_offering, other_items = priced_listing(other_vendor, marketplace, items=("OTHER",))
    other_rate = RateFactory(offering=other_offering, status=ACTIVE)
    prices["other_vendor"] = volume(other_rate, other_items["OTHER"])
    return Shop(
        listing=listing,
        other_listing=other,
        prices=prices,
        vendor_user=vendor_staff(vendor),
        distributor_user=distributor_user(distributor),
        other_vendor_user=vendor_staff(other_vendor),
        superuser=UserFactory(is_staff=True, is_superuser=True),
    )


def add_plans(shop: Shop, count: int, *, tiers: int) -> None:
    """``count`` more plans on the shop's listing, each with its own item, priced in the
    active rate by volume in ``tiers`` tiers (and the VOLUME price gets ``tiers`` more)."""
    listing = shop.listing
    rate = shop.prices["volume"].rate
    offering = rate.offering
    product = listing.offer.product
    for n in range(count):
        item = ItemFactory(product=product, mpn=f"MORE-{n:03d}", status=PUBLISHED)
        plan = PlanFactory(offer=listing.offer, position=10 + n, offering=offering)
        PlanItemFactory(plan=plan, item=item)
        OfferingItem.objects.create(offering=offering, item=item, default_quantity=1)
        bands = [(10 * t, 10 * (t + 1), f"{9 - t % 9}.00") for t in range(tiers)]
        add_price(rate, item, "volume", [("infinity", None, [*bands, (10 * tiers, None, "1")])])
    interval = shop.prices["volume"].intervals.get()
    last = interval.tiers.get(end_unit=None)
    start = last.start_unit
    for _ in range(tiers):
        PriceTierFactory(interval=interval, start_unit=start, end_unit=start + 10, price=D(5))
        start += 10
    last.start_unit = start
    last.save()
