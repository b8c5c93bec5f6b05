"""A clone leaves behind the items its offering's type no longer holds, and with them their
application lists: a subscription offering that still holds a commitment applying to a usage
item (from before a subscription offering sold its own kinds only) clones without it."""

from decimal import Decimal

import pytest

from catalog.models import Item
from catalog.tests.factories import ItemFactory, ProductFactory
from pricing.clone import offering_clone
from pricing.models import OfferingItemScope
from pricing.tests.factories import OfferingFactory, OfferingItemFactory

pytestmark = pytest.mark.django_db


def test_a_left_out_commitment_leaves_its_application_list_behind(vendor):
    offering = OfferingFactory(vendor=vendor, type="subscription")
    product = ProductFactory(vendor=vendor)
    seats = ItemFactory(product=product, mpn="SEATS")
    usage = ItemFactory(product=product, mpn="GB", kind=Item.Kind.USAGE)
    commit = ItemFactory(product=product, mpn="COMMIT", kind=Item.Kind.MINIMUM_COMMIT)
    for item in (seats, usage):
        OfferingItemFactory(offering=offering, item=item)
    commit_line = OfferingItemFactory(offering=offering, item=commit, default_quantity=Decimal(1))
    OfferingItemScope.objects.create(offering_item=commit_line, item=usage)

    copy = offering_clone(offering=offering, name="Next year")

    assert sorted(copy.offering_items.values_list("item__mpn", flat=True)) == ["GB", "SEATS"]
    assert not OfferingItemScope.objects.filter(offering_item__offering=copy).exists()
    assert "left out COMMIT" in copy.history.get().history_change_reason
    assert OfferingItemScope.objects.filter(offering_item=commit_line).count() == 1
