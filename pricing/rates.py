"""Writes to rates and their prices (price book items with intervals and tiers).

Each write is one service (``catalog.concurrency.service``) that takes the offering's row
lock first and refuses RATE_LOCKED under it: a rate that priced a processed quote or a
contract keeps its currency, frequency, channel, group and prices. The shape of a price is
checked by ``pricing.pricebook``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from simple_history.utils import bulk_create_with_history

from catalog.concurrency import service
from catalog.models import Item
from catalog.services import validated_save
from pricing.errors import DuplicatePriceBookItem, InvalidPriceBookItem
from pricing.models import (
    Offering,
    OfferingItem,
    PriceBookItem,
    PriceInterval,
    PriceTier,
    Rate,
)
from pricing.pricebook.fields import INTERVAL, PRICE, TIER, values
from pricing.pricebook.validation import IntervalSpec, PriceSpec, price_problems
from pricing.refusals import changed_fields, lock_offering, records_refusals, require_rate_unlocked
from pricing.rules import custom_attribute_problems

RATE_ALWAYS_EDITABLE = {"name", "status"}


@service
def rate_create(*, offering: Offering, by: AbstractBaseUser | None = None, **fields) -> Rate:
    """Add a price list to an offering, under the offering's row lock (the fields are
    ``rate_create_locked``'s: name, currency, billing frequency, channel, group, status)."""
    return rate_create_locked(lock_offering(offering), by=by, **fields)


def rate_create_locked(
    offering: Offering,
    *,
    name: str,
    currency: str,
    billing_frequency: str = Rate.BillingFrequency.MONTHLY,
    sales_channel=None,
    customer_group: str = "",
    status: str = Rate.Status.DRAFT,
    by: AbstractBaseUser | None = None,
) -> Rate:
    """``rate_create``'s work, inside a service that holds the offering's row lock."""
    return validated_save(
        Rate(
            offering=offering,
            name=name,
            currency=(currency or "").upper(),
            billing_frequency=billing_frequency,
            sales_channel=sales_channel,
            customer_group=customer_group,
            status=status,
        ),
        by=by,
    )


def item_outside_offering(*, rate: Rate, item: Item) -> bool:
    """A price book item prices one of its rate's offering's items, and nothing else."""
    return not OfferingItem.objects.filter(offering_id=rate.offering_id, item=item).exists()


def is_duplicate_price_book_item(
    *, rate: Rate, item: Item, custom_attributes: Mapping, exclude_pk: int | None = None
) -> bool:
    """Same offering, item, currency, billing frequency, channel, customer group and attributes."""
    others = PriceBookItem.objects.filter(
        rate__offering_id=rate.offering_id,
        item=item,
        rate__currency=rate.currency,
        rate__billing_frequency=rate.billing_frequency,
        rate__sales_channel=rate.sales_channel_id,
        rate__customer_group=rate.customer_group,
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    wanted = {str(name).strip(): value for name, value in custom_attributes.items()}
    return any(attrs == wanted for attrs in others.values_list("custom_attributes", flat=True))


@records_refusals
@service
def price_book_item_save(
    *,
    rate: Rate,
    item: Item,
    charge_model: str,
    pricing_type: str = PriceBookItem.PricingType.REGULAR,
    intervals: Sequence[IntervalSpec],
    custom_attributes: Mapping | None = None,
    instance: PriceBookItem | None = None,
    by: AbstractBaseUser | None = None,
    reason: str = "",
    **options,
) -> PriceBookItem:
    """Create a price book item, or replace one whole (its intervals and tiers with it).

    ``options`` are the price's own fields of ``pricing.pricebook.fields.PRICE``
    (delivery weekdays, minimum and maximum per period, flat at zero); ``reason`` is kept in
    the price's history (the audit's "why")."""
    offering = lock_offering(rate.offering)
    require_rate_unlocked(rate, attempted=f"change the price of {item.mpn}", by=by)
    if instance is not None and instance.rate_id != rate.pk:
        require_rate_unlocked(instance.rate, attempted=f"move the price of {item.mpn}", by=by)
    if unknown := set(options) - {f.name for f in PRICE}:
        raise TypeError(f"price_book_item_save has no option {', '.join(sorted(unknown))}")
    price = PriceSpec(
        charge_model=charge_model,
        pricing_type=pricing_type,
        intervals=tuple(intervals),
        **{name: value for name, value in options.items() if value is not None},
    )
    custom_attributes = {} if custom_attributes is None else custom_attributes
    problems = custom_attribute_problems(custom_attributes) + price_problems(price)
    if problems:
        raise InvalidPriceBookItem(" ".join(problems), errors={"intervals": problems})
    if item_outside_offering(rate=rate, item=item):
        raise InvalidPriceBookItem(
            f"Item {item.mpn} is not part of offering {offering.name}.",
            errors={"item": ["The item is not part of this rate's offering."]},
        )
    attributes = {name.strip(): value for name, value in custom_attributes.items()}
    if is_duplicate_price_book_item(
        rate=rate,
        item=item,
        custom_attributes=attributes,
        exclude_pk=instance.pk if instance else None,
    ):
        raise DuplicatePriceBookItem(
            f"Item {item.mpn} already has a price with these attributes for "
            f"{rate.currency}, {rate.billing_frequency}, this channel and customer group.",
            errors={"item": ["Duplicate price book item."]},
        )
    pbi = instance or PriceBookItem()
    pbi.rate, pbi.item = rate, item
    pbi.charge_model, pbi.pricing_type = charge_model, pricing_type
    pbi.custom_attributes = attributes
    for name, value in values(price, PRICE).items():
        setattr(pbi, name, sorted(value) if name == "delivery_weekdays" else value)
    validated_save(pbi, by=by, reason=reason)
    if instance is not None:
        for old in pbi.intervals.all():
            old._history_user = by
            old.delete()
    replace_intervals(pbi, intervals, by=by)
    return pbi


def replace_intervals(pbi: PriceBookItem, intervals: Sequence[IntervalSpec], *, by=None) -> None:
    """Insert a price book item's intervals and tiers in two bulk inserts that keep history."""
    rows = bulk_create_with_history(
        [
            PriceInterval(
                price_book_item=pbi,
                sequence=number,
                duration_unit=spec.duration_unit,
                duration=spec.duration,
                **values(spec, INTERVAL),
            )
            for number, spec in enumerate(intervals, start=1)
        ],
        PriceInterval,
        default_user=by,
    )
    tiers = [
        PriceTier(interval=row, **values(tier, TIER))
        for row, spec in zip(rows, intervals, strict=True)
        for tier in sorted(spec.tiers, key=lambda t: t.start_unit)
    ]
    if tiers:
        bulk_create_with_history(tiers, PriceTier, default_user=by)


@records_refusals
@service
def rate_update(*, rate: Rate, by: AbstractBaseUser | None = None, reason: str = "", **changes):
    """Change a rate; once it priced a quote or contract only its name and status may change."""
    lock_offering(rate.offering)
    return rate_update_locked(rate, by=by, reason=reason, **changes)


def rate_update_locked(
    rate: Rate, *, by: AbstractBaseUser | None = None, reason: str = "", **changes
) -> Rate:
    """``rate_update``'s work, inside a service that holds the offering's row lock."""
    rate = Rate.objects.select_for_update().get(pk=rate.pk)
    unknown = (
        set(changes)
        - RATE_ALWAYS_EDITABLE
        - {"currency", "billing_frequency", "sales_channel", "customer_group"}
    )
    if unknown:
        raise ValueError(f"rate_update cannot change {', '.join(sorted(unknown))}")
    if frozen := changed_fields(rate, changes, RATE_ALWAYS_EDITABLE):
        require_rate_unlocked(rate, attempted=f"change {', '.join(frozen)} of the rate", by=by)
    for name, value in changes.items():
        setattr(rate, name, value)
    return validated_save(rate, by=by, reason=reason)


def rate_activate(*, rate: Rate, by: AbstractBaseUser | None = None) -> Rate:
    """Make a rate usable for quotes; this locks its offering."""
    return rate_update(rate=rate, status=Rate.Status.ACTIVE, by=by, reason="rate activated")


def rate_inactivate(*, rate: Rate, by: AbstractBaseUser | None = None) -> Rate:
    """Retire a rate: always allowed, and the way out of RATE_LOCKED."""
    return rate_update(rate=rate, status=Rate.Status.INACTIVE, by=by, reason="rate inactivated")


@records_refusals
@service
def price_book_item_delete(*, pbi: PriceBookItem, by: AbstractBaseUser | None = None) -> None:
    """Remove a price unless its rate priced a processed quote or contract."""
    lock_offering(pbi.rate.offering)
    require_rate_unlocked(pbi.rate, attempted=f"delete the price of {pbi.item.mpn}", by=by)
    pbi._history_user = by
    pbi.delete()


@records_refusals
@service
def rate_delete(*, rate: Rate, by: AbstractBaseUser | None = None) -> None:
    """Remove a rate with its prices, unless it priced a processed quote or contract."""
    lock_offering(rate.offering)
    rate_delete_locked(rate, by=by)


def rate_delete_locked(rate: Rate, *, by: AbstractBaseUser | None = None) -> None:
    """``rate_delete``'s work, inside a service that holds the offering's row lock."""
    rate = Rate.objects.select_for_update().get(pk=rate.pk)
    require_rate_unlocked(rate, attempted=f"delete rate {rate.name}", by=by)
    rate._history_user = by
    rate.delete()


@dataclass(frozen=True)
class RateChange:
    """One rate row of an offering page: a new rate (``rate`` None), a change or a delete."""

    rate: Rate | None = None
    changes: Mapping = field(default_factory=dict)
    delete: bool = False


def rate_changes_locked(
    offering: Offering, changes: Sequence[RateChange], *, by: AbstractBaseUser | None = None
) -> None:
    """Apply an offering page's rate rows in order, inside a service holding its row lock."""
    own = set(offering.rates.values_list("pk", flat=True))
    if strangers := {c.rate.pk for c in changes if c.rate is not None} - own:
        raise ValidationError(
            {"rates": f"Offering {offering.name!r} has no rate {min(strangers)}."}
        )
    for change in changes:
        if change.rate is None:
            rate_create_locked(offering, by=by, **change.changes)
        elif change.delete:
            rate_delete_locked(change.rate, by=by)
        elif change.changes:
            rate_update_locked(change.rate, by=by, **change.changes)
