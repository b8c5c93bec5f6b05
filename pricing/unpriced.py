"""Why a listed offer shows "Price on request": for the admin of vendor staff.

The portal prices each plan of a listing with the price selector, for the marketplace's
channel and currency (``portal.selectors``). A plan none of whose items has a price there
shows "Price on request"; here each such plan is named with the selector's reason, e.g.
"Plan Basic: no active rate of offering 'Office 365 business' sells in EUR on Europe".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from catalog.models import Listing, Plan
from pricing.price_selector import (
    MESSAGES,
    NO_PRICE,
    NO_RATE,
    PriceUnavailable,
    Sale,
    select_price,
    select_prices,
)


def unpriced_plans(listing: Listing) -> list[str]:
    """A sentence per plan of the listing's offer that has no price on its marketplace."""
    marketplace = listing.marketplace
    sale = Sale(currency=marketplace.currency, channel_id=marketplace.pk)
    plans = list(
        Plan.objects.filter(offer_id=listing.offer_id)
        .select_related("offering")
        .prefetch_related("plan_items__item")
        .order_by("position", "pk")
    )
    offerings = {plan.offering_id: plan.offering for plan in plans if plan.offering_id}
    priced = select_prices(offerings=offerings.values(), sale=sale)
    hints = []
    for plan in plans:
        if is_priced(plan, priced):
            continue
        if plan.offering is None:
            hints.append(f"Plan {plan.name}: it has no offering, so no rate prices it.")
            continue
        items = [plan_item.item for plan_item in plan.plan_items.all()]
        if not items:
            hints.append(f"Plan {plan.name}: it has no items, and its offering prices none.")
            continue
        hints.append(f"Plan {plan.name}: {_reason(plan, items[0], sale, marketplace.name)}")
    return hints


def is_priced(plan: Plan, priced: dict) -> bool:
    """Whether the portal shows a price for the plan, given ``select_prices``' answer for its
    marketplace: one of its items is priced, or, a plan without items, any of its
    offering's."""
    if plan.offering_id is None:
        return False
    prices = [pbi for pbis in priced.get(plan.offering_id, {}).values() for pbi in pbis]
    items = {plan_item.item_id for plan_item in plan.plan_items.all()}
    return any(pbi.item_id in items for pbi in prices) if items else bool(prices)


def listings_with_unpriced_plans(listings: Iterable[Listing]) -> list[tuple[Listing, list[str]]]:
    """Of ``listings``, those that show a plan as "Price on request", with those plans'
    names; the selector is asked once per marketplace, not per listing."""
    listings = list(listings)
    plans = defaultdict(list)
    for plan in (
        Plan.objects.filter(offer_id__in={listing.offer_id for listing in listings})
        .select_related("offering")
        .prefetch_related("plan_items")
        .order_by("position", "pk")
    ):
        plans[plan.offer_id].append(plan)
    by_marketplace = defaultdict(list)
    for listing in listings:
        by_marketplace[listing.marketplace].append(listing)
    found = []
    for marketplace, its_listings in by_marketplace.items():
        offerings = {
            plan.offering_id: plan.offering
            for listing in its_listings
            for plan in plans[listing.offer_id]
            if plan.offering_id
        }
        sale = Sale(currency=marketplace.currency, channel_id=marketplace.pk)
        priced = select_prices(offerings=offerings.values(), sale=sale)
        for listing in its_listings:
            if names := [p.name for p in plans[listing.offer_id] if not is_priced(p, priced)]:
                found.append((listing, names))
    return found


def _reason(plan: Plan, item, sale: Sale, where: str) -> str:
    """The selector's reason for the plan's first item, said of the marketplace."""
    try:
        select_price(offering=plan.offering, item=item, sale=sale)
    except PriceUnavailable as refusal:
        if refusal.reason in MESSAGES:
            words = MESSAGES[refusal.reason].format(
                offering=repr(plan.offering.name),
                currency=sale.currency,
                frequency="",
                attributes={},
            )
            if refusal.reason in (NO_RATE, NO_PRICE):
                return f"{words} on {where} (item {item.mpn})."
            return f"on {where}, {words} (item {item.mpn})."
        return str(refusal)  # the offering is not available today
    # The selector has a price, but the engine cannot word it: the portal hides it.
    return f"the price of {item.mpn} on {where} cannot be shown; check its intervals."
