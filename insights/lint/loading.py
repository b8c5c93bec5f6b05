"""What the linter reads, in a fixed number of queries however big the catalog is.

Three querysets say what is linted (offerings, item paths, listings); everything the checks
need is loaded from them here, once, and the checks are plain Python over the result.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from catalog.models import Listing, Plan
from pricing.models import Offering, OfferingItem, OfferingItemScope, PriceBookItem, Rate
from pricing.models.prices import PriceInterval, PriceTier


@dataclass
class Loaded:
    offerings: dict[int, Offering] = field(default_factory=dict)
    offering_items: dict[int, list[OfferingItem]] = field(default_factory=dict)
    scopes: dict[int, set[int]] = field(default_factory=dict)  # offering item → item ids
    rates: dict[int, list[Rate]] = field(default_factory=dict)  # offering → rates
    prices: dict[int, list[PriceBookItem]] = field(default_factory=dict)  # offering → prices
    paths: list = field(default_factory=list)
    listings: list[tuple[Listing, list[int]]] = field(default_factory=list)  # → offering ids
    # vendor → the items an active rate of an active offering prices: what a quote can sell,
    # and so what a commitment or a percent can apply to (on the whole quote)
    sold: dict[int, set[int]] = field(default_factory=dict)


def load(offerings, paths, listings) -> Loaded:
    """Eleven queries: offerings, their items, scopes, rates, prices, intervals, tiers, what
    their vendors sell, item paths, listings and the offerings that price their plans."""
    loaded = Loaded()
    loaded.offerings = {o.pk: o for o in offerings.order_by("name", "pk")}
    ids = list(loaded.offerings)
    items = defaultdict(list)
    for row in (
        OfferingItem.objects.filter(offering_id__in=ids)
        .select_related("item__product")
        .order_by("offering_id", "pk")
    ):
        items[row.offering_id].append(row)
    loaded.offering_items = items
    scopes = defaultdict(set)
    for line_id, item_id in OfferingItemScope.objects.filter(
        offering_item__offering_id__in=ids
    ).values_list("offering_item_id", "item_id"):
        scopes[line_id].add(item_id)
    loaded.scopes = scopes
    rates = defaultdict(list)
    by_id = {}
    for rate in (
        Rate.objects.filter(offering_id__in=ids)
        .select_related("sales_channel")
        .order_by("name", "pk")
    ):
        rates[rate.offering_id].append(rate)
        by_id[rate.pk] = rate
    loaded.rates = rates
    prices = defaultdict(list)
    intervals = PriceInterval.objects.order_by("sequence", "pk").prefetch_related(
        Prefetch("tiers", PriceTier.objects.order_by("start_unit", "pk"))
    )
    for price in (
        PriceBookItem.objects.filter(rate_id__in=list(by_id))
        .select_related("item")
        .prefetch_related(Prefetch("intervals", intervals))
        .order_by("rate__name", "rate_id", "item__mpn", "pk")
    ):
        price.rate = by_id[price.rate_id]  # already loaded: no query per price
        prices[price.rate.offering_id].append(price)
    loaded.prices = prices
    sold = defaultdict(set)
    for vendor_id, item_id in (
        PriceBookItem.objects.filter(
            rate__status=Rate.Status.ACTIVE,
            rate__offering__status=Offering.Status.ACTIVE,
            rate__offering__vendor__in=offerings.values("vendor_id"),
        )
        .order_by()
        .values_list("rate__offering__vendor_id", "item_id")
        .distinct()
    ):
        sold[vendor_id].add(item_id)
    loaded.sold = sold
    loaded.paths = list(
        paths.select_related("source__product", "target__product").order_by(
            "source__product__name", "source__mpn", "target__mpn", "pk"
        )
    )
    listed = list(
        listings.filter(status=Listing.Status.LISTED)
        .select_related("offer", "marketplace")
        .order_by("offer__name", "marketplace__name", "pk")
    )
    priced_by = defaultdict(set)
    for offer_id, offering_id in Plan.objects.filter(
        offer_id__in={listing.offer_id for listing in listed}, offering__isnull=False
    ).values_list("offer_id", "offering_id"):
        priced_by[offer_id].add(offering_id)
    loaded.listings = [(listing, sorted(priced_by[listing.offer_id])) for listing in listed]
    return loaded
