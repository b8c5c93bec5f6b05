"""Portal fixtures: signed-in clients per role and builders of listed offers with prices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.models import Item, Listing, Plan
from catalog.tests.factories import (
    FeatureFactory,
    FeatureGroupFactory,
    ItemFactory,
    ListingFactory,
    OfferFactory,
    PlanFactory,
    PlanFeatureFactory,
    PlanItemFactory,
    ProductFactory,
    UserFactory,
)
from pricing.models import OfferingItem, Rate
from pricing.tests.factories import (
    OfferingFactory,
    PriceBookItemFactory,
    PriceIntervalFactory,
    PriceTierFactory,
    RateFactory,
)

LISTED = Listing.Status.LISTED
PUBLISHED = Item.Status.PUBLISHED


@pytest.fixture
def distributor_client(client, distributor_member):
    client.force_login(distributor_member)
    return client


@pytest.fixture
def nobody_client(client, db):
    """Signed in, but neither a distributor, nor vendor staff, nor a superuser."""
    client.force_login(UserFactory(username="no-organization"))
    return client


def listed_offer(
    vendor,
    marketplace,
    *,
    name: str | None = None,
    product=None,
    plans: int = 2,
    groups: int = 1,
    features: int = 2,
    status: str = LISTED,
) -> Listing:
    """An offer of ``vendor`` with plans, a feature matrix and a plan item each, listed."""
    product = product or ProductFactory(vendor=vendor)
    offer = OfferFactory(product=product, **({"name": name} if name else {}))
    plan_rows = [PlanFactory(offer=offer, position=position) for position in range(plans)]
    for plan in plan_rows:
        item = ItemFactory(product=product, unit="user", status=PUBLISHED)
        PlanItemFactory(plan=plan, item=item)
    for _ in range(groups):
        group = FeatureGroupFactory(offer=offer)
        for _ in range(features):
            feature = FeatureFactory(group=group)
            for plan in plan_rows:
                PlanFeatureFactory(plan=plan, feature=feature, included=True)
    return ListingFactory(offer=offer, marketplace=marketplace, status=status)


def price_plan(
    plan: Plan,
    *,
    intervals: list[tuple[str, int | None, str]] = (("infinity", None, "10.00"),),
    currency: str = "USD",
    channel=None,
    status: str = Rate.Status.ACTIVE,
    charge_model: str = "per_unit",
    billing_frequency: str = "monthly",
    tiers: list[tuple[str, str | None, str]] = (),
    included_units: str = "0",
    overage_price: str = "0",
):
    """A rate of the plan's offering (made if missing) pricing the plan's first item."""
    if plan.offering_id is None:
        plan.offering = OfferingFactory(vendor=plan.offer.product.vendor)
        plan.save()
    item = plan.plan_items.first().item
    OfferingItem.objects.get_or_create(
        offering=plan.offering, item=item, defaults={"default_quantity": 1}
    )
    rate = RateFactory(
        offering=plan.offering,
        currency=currency,
        sales_channel=channel,
        status=status,
        billing_frequency=billing_frequency,
    )
    pbi = PriceBookItemFactory(
        rate=rate,
        item=item,
        charge_model=charge_model,
        pricing_type="interval" if len(intervals) > 1 else "regular",
    )
    for sequence, (unit, duration, price) in enumerate(intervals, start=1):
        interval = PriceIntervalFactory(
            price_book_item=pbi,
            sequence=sequence,
            duration_unit=unit,
            duration=duration,
            price=Decimal(price),
            included_units=Decimal(included_units),
            overage_price=Decimal(overage_price),
        )
        for start, end, tier_price in tiers:
            PriceTierFactory(
                interval=interval,
                start_unit=Decimal(start),
                end_unit=None if end is None else Decimal(end),
                price=Decimal(tier_price),
            )
    return pbi
