"""What activating rates would do, for the page that asks before it is done: which offering
locks and why (``pricing.lock``), and which of its items the rate leaves without a price."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from catalog.models import Item
from pricing.lock import LOCKED_FIELDS, lock_reasons_by_offering, reason_if_activated
from pricing.models import OfferingItem, PriceBookItem, Rate


@dataclass(frozen=True)
class ActivationPreview:
    rate: Rate
    reasons_now: list[str]  # what holds the offering already
    reason_added: str  # what the active rate adds to them
    unpriced: list[Item]  # the offering's items this rate has no price for
    locked_fields: str = LOCKED_FIELDS

    @property
    def already_active(self) -> bool:
        return self.rate.status == Rate.Status.ACTIVE

    @property
    def locks_now(self) -> bool:
        """Whether the activation is what locks the offering (nothing holds it yet)."""
        return not self.reasons_now


def activation_preview(rates: Iterable[Rate]) -> list[ActivationPreview]:
    """One preview per rate (their offerings loaded), in a fixed number of queries."""
    rates = list(rates)
    offering_ids = {rate.offering_id for rate in rates}
    reasons = lock_reasons_by_offering(offering_ids)
    items = defaultdict(list)
    for line in OfferingItem.objects.filter(offering_id__in=offering_ids).select_related("item"):
        items[line.offering_id].append(line.item)
    saved = [rate.pk for rate in rates if rate.pk]  # a rate being added has no prices yet
    priced = set(
        PriceBookItem.objects.filter(rate__in=saved).values_list("rate_id", "item_id").distinct()
    )
    return [
        ActivationPreview(
            rate=rate,
            reasons_now=reasons[rate.offering_id],
            reason_added=reason_if_activated(rate),
            unpriced=[item for item in items[rate.offering_id] if (rate.pk, item.pk) not in priced],
        )
        for rate in rates
    ]
