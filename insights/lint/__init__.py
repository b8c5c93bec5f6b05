"""The price-book linter: the mistakes hiding in a vendor's catalog, each a ``Finding``
with a severity and a one-line fix.

``lint_vendor`` and ``lint_offering`` are selectors: pure reads, in a fixed number of
queries however big the catalog (``loading.load``); the checks are in ``prices`` (one price
book item) and ``catalog`` (offerings, listings, item paths).
"""

from __future__ import annotations

from django.db.models import Q

from catalog.models import ItemPath, Listing
from pricing.models import Offering

from .catalog import check_listings, check_offering, check_paths
from .findings import ERROR, SEVERITIES, WARNING, Finding, error_count, ordered
from .loading import load
from .prices import check_price

__all__ = [
    "ERROR",
    "SEVERITIES",
    "WARNING",
    "Finding",
    "error_count",
    "lint",
    "lint_offering",
    "lint_vendor",
    "lint_visible",
]


def lint(offerings, paths, listings) -> list[Finding]:
    """The findings of these offerings, item paths and listings, ``ordered``."""
    loaded = load(offerings, paths, listings)
    found = []
    for offering in loaded.offerings.values():
        found += check_offering(loaded, offering)
        for price in loaded.prices.get(offering.pk, ()):
            found += check_price(price, offering)
    found += check_listings(loaded)
    found += check_paths(loaded.paths)
    return ordered(found)


def lint_vendor(vendor) -> list[Finding]:
    """Every finding of a vendor's catalog: its offerings, listings and item paths."""
    return lint(
        Offering.objects.filter(vendor=vendor),
        ItemPath.objects.filter(source__product__vendor=vendor),
        Listing.objects.filter(offer__product__vendor=vendor),
    )


def lint_offering(offering) -> list[Finding]:
    """The findings of one offering: its prices and items, the listings of offers it prices,
    and the paths from or to its items."""
    items = offering.offering_items.values("item_id")
    return lint(
        Offering.objects.filter(pk=offering.pk),
        ItemPath.objects.filter(Q(source__in=items) | Q(target__in=items)),
        Listing.objects.filter(offer__plans__offering=offering).distinct(),
    )


def lint_visible(user) -> list[Finding]:
    """The findings of everything ``user`` sees (the admin dashboard's count)."""
    return lint(
        Offering.objects.visible_to(user),
        ItemPath.objects.visible_to(user),
        Listing.objects.visible_to(user),
    )
