"""Why a listed offer shows "Price on request": for the admin of vendor staff.

The portal prices each plan of a listing with the price selector, for the marketplace's
channel and currency (``portal.selectors``). A plan none of whose items has a price there
shows "Price on request"; here each such plan is named with the selector's reason, e.g.
"Plan Basic: no active rate of offering 'Office 365 business' sells in EUR on Europe".
"""

from __future__ import annotations

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
        if plan.offering is None:
            hints.append(f"Plan {plan.name}: it has no offering, so no rate prices it.")
            continue
        items = [plan_item.item for plan_item in plan.plan_items.all()]
        prices = [pbi for pbis in priced.get(plan.offering_id, {}).values() for pbi in pbis]
        if any(pbi.item_id in {item.pk for item in items} for pbi in prices):
            continue
        if not items:
            if prices:
                continue  # a plan without items shows every priced item of its offering
            hints.append(f"Plan {plan.name}: it has no items, and its offering prices none.")
            continue
        hints.append(f"Plan {plan.name}: {_reason(plan, items[0], sale, marketplace.name)}")
    return hints


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
