"""The upgrade-path tests' catalog: one product whose paths hold every mark.

BASIC → STD → PRO → ENT (end of sale) by upgrades, PRO → STD → BASIC by downgrades,
STD → NEXT (a draft), LOOP-A ⇄ LOOP-B (upgrades both ways: a loop), LONELY with no path.
The product is offered and listed on the distributor's marketplace.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

from catalog.models import Item, ItemPath
from catalog.tests.factories import (
    DistributorFactory,
    ItemFactory,
    ItemPathFactory,
    ListingFactory,
    MarketplaceFactory,
    OfferFactory,
    ProductFactory,
    UserFactory,
    VendorFactory,
    distributor_user,
    vendor_staff,
)

PUBLISHED, END_OF_SALE, DRAFT = (
    Item.Status.PUBLISHED,
    Item.Status.END_OF_SALE,
    Item.Status.DRAFT,
)
UP, DOWN = ItemPath.Kind.UPGRADE, ItemPath.Kind.DOWNGRADE
STATUSES = {
    "BASIC": PUBLISHED,
    "STD": PUBLISHED,
    "PRO": PUBLISHED,
    "ENT": END_OF_SALE,
    "NEXT": DRAFT,
    "LOOP-A": PUBLISHED,
    "LOOP-B": PUBLISHED,
    "LONELY": PUBLISHED,
}
PATHS = [
    ("BASIC", "STD", UP),
    ("STD", "PRO", UP),
    ("PRO", "ENT", UP),
    ("PRO", "STD", DOWN),
    ("STD", "BASIC", DOWN),
    ("STD", "NEXT", UP),
    ("LOOP-A", "LOOP-B", UP),
    ("LOOP-B", "LOOP-A", UP),
]


@dataclass
class Ladder:
    product: object
    listing: object
    items: dict
    vendor_user: object
    distributor_user: object
    other_vendor_user: object
    superuser: object

    def pk(self, mpn: str) -> int:
        return self.items[mpn].pk


def build_ladder(name: str = "Office <Suite> & more") -> Ladder:
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, name=name)
    items = {
        mpn: ItemFactory(product=product, mpn=mpn, name=f"{mpn.title()} plan", status=status)
        for mpn, status in STATUSES.items()
    }
    for source, target, kind in PATHS:
        ItemPathFactory(source=items[source], target=items[target], kind=kind)
    marketplace = MarketplaceFactory()
    listing = ListingFactory(offer=OfferFactory(product=product), marketplace=marketplace)
    distributor = DistributorFactory(marketplaces=[marketplace])
    return Ladder(
        product=product,
        listing=listing,
        items=items,
        vendor_user=vendor_staff(vendor),
        distributor_user=distributor_user(distributor),
        other_vendor_user=vendor_staff(VendorFactory()),
        superuser=UserFactory(is_staff=True, is_superuser=True),
    )


def add_rungs(product, count: int) -> None:
    """``count`` more published items, each upgrading to the next and downgrading back."""
    previous = None
    for index in range(count):
        item = ItemFactory(product=product, mpn=f"RUNG-{index:03d}", status=PUBLISHED)
        if previous is not None:
            ItemPathFactory(source=previous, target=item, kind=UP)
            ItemPathFactory(source=item, target=previous, kind=DOWN)
        previous = item


@contextmanager
def module_rows(django_db_blocker):
    """Rows made once for a module, rolled back after it (as ``shared_demo`` does)."""
    shared = transaction.atomic()
    shared._from_testcase = True
    with django_db_blocker.unblock(), shared:
        yield
        transaction.set_rollback(True)
