"""Deep-copy an offering: the way to change what a locked offering sells."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from simple_history.utils import bulk_create_with_history

from catalog.concurrency import service
from catalog.services import validated_save
from pricing.bulk_copy import copy_intervals_and_tiers
from pricing.models import (
    Offering,
    OfferingItem,
    OfferingItemScope,
    PriceBookItem,
    PriceInterval,
    PriceTier,
    Rate,
)
from pricing.pricebook.fields import PRICE, values
from pricing.refusals import lock_offering
from pricing.rules import ALLOWED_KINDS
from pricing.services import REASON_MAX_LENGTH


@service
def offering_clone(
    *,
    offering: Offering,
    name: str = "",
    start_date: date | None = None,
    by: AbstractBaseUser | None = None,
    reason: str = "",
) -> Offering:
    """Deep-copy an offering: items, scopes, rates (as drafts), prices, intervals and tiers.

    The copy starts on ``start_date`` (the original's start date by default); a date after
    the original's end date is refused as the offering's own validation refuses it.

    Each level is one bulk insert that still writes history (``bulk_create_with_history``;
    intervals and tiers as ``INSERT … SELECT`` in ``bulk_copy``), so the number of queries
    does not grow with the offering's size.

    Items the offering's type no longer holds (the usage or subscription items a minimum-commit
    or percent-of-total offering held before it held its one item only) stay behind with
    their prices, and the copy's history says which.
    """
    source = lock_offering(offering)
    lines, left_out = _copied_lines(source)
    note = reason or f"cloned from #{source.pk} {source.name}"
    if left_out:
        mpns = ", ".join(item.mpn for item in left_out)
        note += f"; left out {mpns} (a {source.get_type_display()} offering holds its one item)"
    note = note[:REASON_MAX_LENGTH]
    copy = validated_save(
        Offering(
            vendor_id=source.vendor_id,
            name=name or f"Copy of {source.name}",
            description=source.description,
            type=source.type,
            status=Offering.Status.ACTIVE,
            start_date=source.start_date if start_date is None else start_date,
            end_date=source.end_date,
        ),
        by=by,
        reason=note,
    )
    # The original's own history names its copy, so the original's audit page shows the clone.
    Offering.history.bulk_history_create(
        [source],
        update=True,
        default_user=by,
        default_change_reason=f"cloned as #{copy.pk} {copy.name}"[:REASON_MAX_LENGTH],
    )

    def bulk(model, rows):
        return bulk_create_with_history(rows, model, default_user=by, default_change_reason=note)

    new_lines = bulk(
        OfferingItem,
        [
            OfferingItem(
                offering=copy,
                item_id=line.item_id,
                default_quantity=line.default_quantity,
                required=line.required,
            )
            for line in lines
        ],
    )
    line_map = {old.pk: new for old, new in zip(lines, new_lines, strict=True)}
    # A line left out takes its application list with it.
    scopes = OfferingItemScope.objects.filter(offering_item__in=line_map)
    bulk(
        OfferingItemScope,
        [
            OfferingItemScope(offering_item=line_map[scope.offering_item_id], item_id=scope.item_id)
            for scope in scopes
        ],
    )

    rates = list(source.rates.all())
    new_rates = bulk(
        Rate,
        [
            Rate(
                offering=copy,
                name=rate.name,
                currency=rate.currency,
                billing_frequency=rate.billing_frequency,
                sales_channel_id=rate.sales_channel_id,
                customer_group=rate.customer_group,
                status=Rate.Status.DRAFT,
            )
            for rate in rates
        ],
    )
    rate_map = {old.pk: new for old, new in zip(rates, new_rates, strict=True)}

    pbis = list(
        PriceBookItem.objects.filter(rate__offering=source)
        .exclude(item__in=left_out)
        .order_by("pk")
    )
    new_pbis = bulk(
        PriceBookItem,
        [
            PriceBookItem(
                rate=rate_map[pbi.rate_id],
                item_id=pbi.item_id,
                charge_model=pbi.charge_model,
                pricing_type=pbi.pricing_type,
                custom_attributes=pbi.custom_attributes,
                **values(pbi, PRICE),  # every field of the catalog's, as the price has it
            )
            for pbi in pbis
        ],
    )
    # Intervals and tiers are the bulk of a big offering: the database copies them.
    copy_intervals_and_tiers(
        {old.pk: new.pk for old, new in zip(pbis, new_pbis, strict=True)}, by=by, reason=note
    )
    return copy


def _copied_lines(source: Offering) -> tuple[list[OfferingItem], list]:
    """The lines a copy takes, and the items it leaves out (its type no longer holds them)."""
    allowed = ALLOWED_KINDS[Offering.Type(source.type)]
    lines = list(source.offering_items.select_related("item").order_by("pk"))
    left_out = [line.item for line in lines if line.item.kind not in allowed]
    return [line for line in lines if line.item.kind in allowed], left_out


@dataclass(frozen=True)
class CloneSummary:
    """What ``offering_clone`` would copy, counted by kind of row."""

    items: int
    scopes: int
    rates: int
    prices: int
    intervals: int
    tiers: int
    left_out: tuple[str, ...]  # MPNs the copy leaves behind


def clone_summary(offering: Offering) -> CloneSummary:
    """Counts of what a clone copies, by the rules it copies with (six queries)."""
    lines, left_out = _copied_lines(offering)
    left_ids = [item.pk for item in left_out]
    prices = PriceBookItem.objects.filter(rate__offering=offering).exclude(item__in=left_ids)
    return CloneSummary(
        items=len(lines),
        scopes=OfferingItemScope.objects.filter(offering_item__in=lines).count(),
        rates=offering.rates.count(),
        prices=prices.count(),
        intervals=PriceInterval.objects.filter(price_book_item__in=prices).count(),
        tiers=PriceTier.objects.filter(interval__price_book_item__in=prices).count(),
        left_out=tuple(item.mpn for item in left_out),
    )
