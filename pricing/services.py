"""Writes to pricing, each in one transaction that locks the offering row first.

Every rule of DESIGN.md's App `pricing` is checked here: offering composition by type,
price book items belonging to the offering, duplicates, custom attributes, and the shape of
intervals and tiers for each charge model.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from simple_history.utils import bulk_create_with_history

from catalog.concurrency import service
from catalog.models import Item
from catalog.services import validated_save
from catalog.validators import contains_nul
from pricing.bounds import interval_duration_problem
from pricing.bulk_copy import copy_intervals_and_tiers
from pricing.errors import (
    DuplicatePriceBookItem,
    InvalidOfferingComposition,
    InvalidPriceBookItem,
    OfferingLocked,
    RateLocked,
)
from pricing.lock import lock_reasons, rate_lock_reasons
from pricing.models import (
    LockRefusal,
    Offering,
    OfferingItem,
    OfferingItemScope,
    PriceBookItem,
    PriceInterval,
    PriceTier,
    Rate,
)

Kind = Item.Kind
Type = Offering.Type
MAX_INTERVALS = 100
REASON_MAX_LENGTH = 100  # simple-history's history_change_reason column

# Which item kinds each offering type may hold (DESIGN.md, App `pricing`).
ALLOWED_KINDS = {
    Type.SUBSCRIPTION: {Kind.SUBSCRIPTION, Kind.USAGE, Kind.ONE_TIME},
    Type.ONE_TIME: {Kind.SUBSCRIPTION, Kind.ONE_TIME},
    Type.MINIMUM_COMMIT: {Kind.MINIMUM_COMMIT, Kind.USAGE},
    Type.PERCENT_OF_TOTAL: {Kind.PERCENT_OF_TOTAL, Kind.SUBSCRIPTION},
}
# The one item a commit or percent-of-total offering is built around, and what it may scope.
ANCHOR = {
    Type.MINIMUM_COMMIT: (Kind.MINIMUM_COMMIT, Kind.USAGE),
    Type.PERCENT_OF_TOTAL: (Kind.PERCENT_OF_TOTAL, Kind.SUBSCRIPTION),
}


@dataclass(frozen=True)
class LineSpec:
    """One offering item as the composition check sees it."""

    item_id: int
    kind: str
    mpn: str
    applies_to: frozenset[int] = frozenset()


def composition_problems(offering_type: str, lines: Sequence[LineSpec]) -> list[str]:
    """Why these items do not fit the offering type; empty when they do (or there are none)."""
    if not lines:
        return []
    problems = []
    kinds = [line.kind for line in lines]
    label = Type(offering_type).label
    allowed = ALLOWED_KINDS[Type(offering_type)]
    for line in lines:
        if line.kind not in allowed:
            problems.append(
                f"A {label} offering cannot contain {Kind(line.kind).label.lower()} item "
                f"{line.mpn}."
            )
    if offering_type == Type.SUBSCRIPTION and Kind.SUBSCRIPTION not in kinds:
        problems.append("A Subscription offering needs at least one subscription item.")
    anchor = ANCHOR.get(Type(offering_type))
    if anchor:
        anchor_kind = anchor[0]
        count = kinds.count(anchor_kind)
        if count != 1:
            problems.append(
                f"A {label} offering has exactly one {Kind(anchor_kind).label.lower()} item "
                f"(it has {count}{'; add it first' if count == 0 else ''})."
            )
    by_id = {line.item_id: line for line in lines}
    for line in lines:
        if not line.applies_to:
            continue
        if not anchor or line.kind != anchor[0]:
            problems.append(
                f"Only a minimum-commit or percent-of-total item has a scope ({line.mpn} cannot)."
            )
            continue
        for target_id in sorted(line.applies_to):
            target = by_id.get(target_id)
            if target is None:
                problems.append(f"{line.mpn} applies to an item that is not in this offering.")
            elif target.kind != anchor[1]:
                problems.append(
                    f"{line.mpn} applies only to {Kind(anchor[1]).label.lower()} items, not to "
                    f"{target.mpn}."
                )
    return problems


def _lines_of(offering: Offering) -> list[LineSpec]:
    scopes: dict[int, set[int]] = {}
    for offering_item_id, item_id in OfferingItemScope.objects.filter(
        offering_item__offering=offering
    ).values_list("offering_item_id", "item_id"):
        scopes.setdefault(offering_item_id, set()).add(item_id)
    return [
        LineSpec(line.item_id, line.item.kind, line.item.mpn, frozenset(scopes.get(line.pk, ())))
        for line in offering.offering_items.select_related("item")
    ]


def _check_composition(offering_type: str, lines: Sequence[LineSpec]) -> None:
    if problems := composition_problems(offering_type, lines):
        raise InvalidOfferingComposition(" ".join(problems), errors={"items": problems})


def _locked(offering: Offering) -> Offering:
    """Take the offering's row lock: every writer of an offering goes through here first."""
    return Offering.objects.select_for_update().get(pk=offering.pk)


def changed_fields(obj, changes: Mapping, always_editable) -> list[str]:
    """The fields ``changes`` really changes that the lock guards (outside always_editable)."""
    return sorted(
        name for name in set(changes) - set(always_editable) if getattr(obj, name) != changes[name]
    )


def require_unlocked(offering: Offering, *, attempted: str, by=None) -> None:
    """Refuse with OFFERING_LOCKED while a processed quote, contract or active rate holds it."""
    if reasons := lock_reasons(offering):
        raise OfferingLocked(
            f"Offering {offering.name!r} is locked ({'; '.join(reasons)}); clone it and change "
            "the copy.",
            reasons=reasons,
            offering_id=offering.pk,
            attempted=attempted,
            user=by,
        )


def require_rate_unlocked(rate: Rate, *, attempted: str, by=None) -> None:
    """Refuse with RATE_LOCKED when the rate priced a processed quote or a contract."""
    if reasons := rate_lock_reasons(rate):
        raise RateLocked(
            f"Rate {rate.name!r} is locked ({'; '.join(reasons)}); inactivate it instead.",
            reasons=reasons,
            offering_id=rate.offering_id,
            attempted=attempted,
            user=by,
        )


@service
def _record_refusal(exc: OfferingLocked | RateLocked) -> None:
    """Keep the refusal on record, in its own transaction (the refused one rolled back)."""
    user = exc.details.get("user")
    LockRefusal.objects.create(
        offering_id=exc.details["offering_id"],
        user=user if getattr(user, "pk", None) else None,
        code=exc.code,
        attempted=exc.details["attempted"][:300],
        reasons=exc.details["reasons"],
    )


def refusal_for(
    *, offering: Offering | None = None, rate: Rate | None = None, attempted: str, by=None
) -> OfferingLocked | RateLocked | None:
    """For forms: the recorded refusal if the offering (or rate) is locked, else None."""
    try:
        if offering is not None:
            require_unlocked(offering, attempted=attempted, by=by)
        if rate is not None:
            require_rate_unlocked(rate, attempted=attempted, by=by)
    except (OfferingLocked, RateLocked) as exc:
        _record_refusal(exc)
        return exc
    return None


def records_refusals(func):
    """Write a LockRefusal for every OFFERING_LOCKED / RATE_LOCKED the service raises.

    The service's own transaction has rolled back by then, so the record survives it.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (OfferingLocked, RateLocked) as exc:
            _record_refusal(exc)
            raise

    return wrapper


@service
def offering_create(
    *,
    vendor,
    name: str,
    type: str = Type.SUBSCRIPTION,
    description: str = "",
    start_date=None,
    end_date=None,
    status: str = Offering.Status.ACTIVE,
    by: AbstractBaseUser | None = None,
) -> Offering:
    """Create an empty offering; items are added with ``offering_add_item``."""
    offering = Offering(
        vendor=vendor,
        name=name,
        type=type,
        description=description,
        end_date=end_date,
        status=status,
    )
    if start_date is not None:
        offering.start_date = start_date
    return validated_save(offering, by=by)


ALWAYS_EDITABLE = {"name", "description", "status", "end_date"}


@records_refusals
@service
def offering_update(
    *, offering: Offering, by: AbstractBaseUser | None = None, reason: str = "", **changes
) -> Offering:
    """Change an offering's fields; a new type must fit its items; a locked one keeps its type."""
    offering = _locked(offering)
    unknown = set(changes) - ALWAYS_EDITABLE - {"type", "start_date"}
    if unknown:
        raise ValueError(f"offering_update cannot change {', '.join(sorted(unknown))}")
    if locked_fields := changed_fields(offering, changes, ALWAYS_EDITABLE):
        require_unlocked(offering, attempted=f"change {', '.join(locked_fields)}", by=by)
    for name, value in changes.items():
        setattr(offering, name, value)
    if "type" in changes:
        _check_composition(offering.type, _lines_of(offering))
    return validated_save(offering, by=by, reason=reason)


@records_refusals
@service
def offering_add_item(
    *,
    offering: Offering,
    item: Item,
    default_quantity: int = 0,
    required: bool = False,
    applies_to: Iterable[Item] = (),
    by: AbstractBaseUser | None = None,
) -> OfferingItem:
    """Add an item (with its scope) if the offering's type allows it and it is not locked."""
    offering = _locked(offering)
    require_unlocked(offering, attempted=f"add item {item.mpn}", by=by)
    applies_to = list(applies_to)
    line = OfferingItem(
        offering=offering, item=item, default_quantity=default_quantity, required=required
    )
    line.full_clean()
    lines = [
        *_lines_of(offering),
        LineSpec(item.pk, item.kind, item.mpn, frozenset(target.pk for target in applies_to)),
    ]
    _check_composition(offering.type, lines)
    line = validated_save(line, by=by, reason=f"item {item.mpn} added")
    if applies_to:
        bulk_create_with_history(
            [OfferingItemScope(offering_item=line, item=target) for target in applies_to],
            OfferingItemScope,
            default_user=by,
            default_change_reason=f"scope of {item.mpn}",
        )
    return line


@records_refusals
@service
def offering_set_scope(
    *, line: OfferingItem, applies_to: Iterable[Item], by: AbstractBaseUser | None = None
) -> OfferingItem:
    """Replace what a commit or percent-of-total item applies to."""
    offering = _locked(line.offering)
    require_unlocked(offering, attempted=f"change the scope of {line.item.mpn}", by=by)
    targets = {target.pk: target for target in applies_to}
    lines = [
        LineSpec(spec.item_id, spec.kind, spec.mpn, frozenset(targets))
        if spec.item_id == line.item_id
        else spec
        for spec in _lines_of(offering)
    ]
    _check_composition(offering.type, lines)
    current = set(line.scopes.values_list("item_id", flat=True))
    for scope in line.scopes.exclude(item_id__in=targets):
        scope._history_user = by
        scope.delete()
    bulk_create_with_history(
        [
            OfferingItemScope(offering_item=line, item=t)
            for pk, t in targets.items()
            if pk not in current
        ],
        OfferingItemScope,
        default_user=by,
        default_change_reason=f"scope of {line.item.mpn}",
    )
    return line


@records_refusals
@service
def offering_remove_item(
    *, offering: Offering, item: Item, by: AbstractBaseUser | None = None
) -> None:
    """Take an item out of an offering, if what stays still fits the type."""
    offering = _locked(offering)
    require_unlocked(offering, attempted=f"remove item {item.mpn}", by=by)
    line = offering.offering_items.filter(item=item).first()
    if line is None:
        raise InvalidOfferingComposition(
            f"Item {item.mpn} is not part of this offering.", errors={"item": ["Not in offering."]}
        )
    remaining = [spec for spec in _lines_of(offering) if spec.item_id != item.pk]
    if any(item.pk in spec.applies_to for spec in remaining):
        raise InvalidOfferingComposition(
            f"Item {item.mpn} is in the scope of another item; change that scope first."
        )
    _check_composition(offering.type, remaining)
    if PriceBookItem.objects.filter(rate__offering=offering, item=item).exists():
        raise InvalidOfferingComposition(
            f"Item {item.mpn} still has prices in this offering's rates; remove them first."
        )
    line._history_user = by
    line._change_reason = f"item {item.mpn} removed"
    line.delete()


@dataclass(frozen=True)
class OfferingLine:
    """The wanted state of one offering item, for ``offering_set_items``."""

    item: Item
    default_quantity: int = 0
    required: bool = False
    applies_to: tuple[Item, ...] = ()


def set_items_problems(
    offering: Offering, offering_type: str, lines: Sequence[OfferingLine]
) -> list[str]:
    """Why an offering cannot take this set of items: composition, duplicates, priced items."""
    problems = composition_problems(
        offering_type,
        [
            LineSpec(
                line.item.pk,
                line.item.kind,
                line.item.mpn,
                frozenset(target.pk for target in line.applies_to),
            )
            for line in lines
        ],
    )
    wanted = [line.item.pk for line in lines]
    if len(set(wanted)) != len(wanted):
        problems.append("An item appears twice in the offering.")
    if offering.pk:
        priced = (
            PriceBookItem.objects.filter(rate__offering=offering)
            .exclude(item__in=wanted)
            .values_list("item__mpn", flat=True)
            .distinct()
        )
        problems += [f"Item {mpn} still has prices in this offering's rates." for mpn in priced]
    return problems


def items_differ(offering: Offering, lines: Sequence[OfferingLine]) -> bool:
    """Whether ``lines`` change the offering's items, quantities, flags or scopes."""
    current = {
        (
            line.item_id,
            line.default_quantity,
            line.required,
            frozenset(scope.item_id for scope in line.scopes.all()),
        )
        for line in offering.offering_items.prefetch_related("scopes")
    }
    wanted = {
        (
            line.item.pk,
            line.default_quantity,
            line.required,
            frozenset(target.pk for target in line.applies_to),
        )
        for line in lines
    }
    return current != wanted


@records_refusals
@service
def offering_set_items(
    *, offering: Offering, lines: Sequence[OfferingLine], by: AbstractBaseUser | None = None
) -> list[OfferingItem]:
    """Make the offering hold exactly these items, checked as a whole, under the row lock."""
    offering = _locked(offering)
    if items_differ(offering, lines):
        require_unlocked(offering, attempted="change its items", by=by)
    if problems := set_items_problems(offering, offering.type, lines):
        raise InvalidOfferingComposition(" ".join(problems), errors={"items": problems})
    existing = {line.item_id: line for line in offering.offering_items.all()}
    wanted = {line.item.pk: line for line in lines}
    for item_id, line in existing.items():
        if item_id not in wanted:
            line._history_user = by
            line._change_reason = f"item {line.item.mpn} removed"
            line.delete()
    result = []
    for item_id, spec in wanted.items():
        line = existing.get(item_id) or OfferingItem(offering=offering, item=spec.item)
        if line.pk is None or (line.default_quantity, line.required) != (
            spec.default_quantity,
            spec.required,
        ):
            line.default_quantity, line.required = spec.default_quantity, spec.required
            validated_save(line, by=by)
        result.append(line)
        targets = {target.pk for target in spec.applies_to}
        current = (
            set(line.scopes.values_list("item_id", flat=True)) if existing.get(item_id) else set()
        )
        for scope in line.scopes.exclude(item_id__in=targets) if current - targets else ():
            scope._history_user = by
            scope.delete()
        if targets - current:
            bulk_create_with_history(
                [OfferingItemScope(offering_item=line, item_id=pk) for pk in targets - current],
                OfferingItemScope,
                default_user=by,
            )
    return result


@service
def rate_create(
    *,
    offering: Offering,
    name: str,
    currency: str,
    billing_frequency: str = Rate.BillingFrequency.MONTHLY,
    sales_channel=None,
    customer_group: str = "",
    status: str = Rate.Status.DRAFT,
    by: AbstractBaseUser | None = None,
) -> Rate:
    """Add a price list to an offering."""
    offering = _locked(offering)
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


# --- Price book items ------------------------------------------------------------------


@dataclass(frozen=True)
class TierSpec:
    start_unit: Decimal
    end_unit: Decimal | None
    price: Decimal
    price_format: str = PriceTier.PriceFormat.PER_UNIT


@dataclass(frozen=True)
class IntervalSpec:
    duration_unit: str = PriceInterval.DurationUnit.INFINITY
    duration: int | None = None
    price: Decimal = Decimal(0)
    included_units: Decimal = Decimal(0)
    overage_price: Decimal = Decimal(0)
    tiers: tuple[TierSpec, ...] = field(default_factory=tuple)


SCALARS = (str, int, float, bool)


def custom_attribute_problems(attributes) -> list[str]:
    """Why custom attributes are refused: not a mapping, too many, blank names, non-scalars."""
    if not isinstance(attributes, Mapping):
        return ["Custom attributes are a mapping of names to values."]
    problems = []
    if len(attributes) > PriceBookItem.MAX_CUSTOM_ATTRIBUTES:
        problems.append(
            f"At most {PriceBookItem.MAX_CUSTOM_ATTRIBUTES} custom attributes "
            f"({len(attributes)} given)."
        )
    for name, value in attributes.items():
        if not isinstance(name, str) or not name.strip():
            problems.append("A custom attribute needs a name.")
        elif not isinstance(value, SCALARS):
            problems.append(f"Custom attribute {name!r} must be text, a number or true/false.")
    if contains_nul(dict(attributes)):
        problems.append("Custom attribute names and values cannot contain NUL (\\x00) characters.")
    return problems


def price_structure_problems(
    *,
    charge_model: str,
    pricing_type: str,
    intervals: Sequence[IntervalSpec],
    delivery_weekdays: Iterable = (),
) -> list[str]:
    """Why intervals and tiers do not fit the charge model and pricing type; empty if they do."""
    CM = PriceBookItem.ChargeModel
    unit = PriceInterval.DurationUnit
    problems = []
    if not 1 <= len(intervals) <= MAX_INTERVALS:
        problems.append(f"Give 1 to {MAX_INTERVALS} intervals ({len(intervals)} given).")
    if pricing_type == PriceBookItem.PricingType.REGULAR and (
        len(intervals) != 1 or intervals[0].duration_unit != unit.INFINITY
    ):
        problems.append("Regular pricing is exactly one Infinity interval.")
    for number, interval in enumerate(intervals, start=1):
        last = number == len(intervals)
        where = f"Interval {number}"
        if interval.duration_unit == unit.INFINITY:
            if not last:
                problems.append(f"{where}: only the last interval may be Infinity.")
            if interval.duration:
                problems.append(f"{where}: an Infinity interval has no duration.")
        elif not interval.duration or interval.duration < 1:
            problems.append(f"{where}: the duration is a positive number of days or months.")
        elif too_long := interval_duration_problem(interval.duration_unit, interval.duration):
            problems.append(f"{where}: {too_long}")
        for name in ("price", "included_units", "overage_price"):
            if getattr(interval, name) < 0:
                problems.append(f"{where}: {name.replace('_', ' ')} cannot be negative.")
        tiered = charge_model in PriceBookItem.TIERED_MODELS
        if tiered:
            problems += [f"{where}: {p}" for p in tier_problems(interval.tiers, charge_model)]
        elif interval.tiers:
            problems.append(f"{where}: a {CM(charge_model).label.lower()} price has no tiers.")
        if charge_model in (CM.OVERAGE, CM.TIERED_WITH_OVERAGE) and interval.overage_price <= 0:
            problems.append(f"{where}: an overage price is needed.")
    weekdays = list(delivery_weekdays or ())
    if charge_model == CM.DELIVERY:
        if not weekdays:
            problems.append("A delivery price needs its delivery weekdays.")
        elif any(
            not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in weekdays
        ):
            problems.append("Delivery weekdays are numbers from 0 (Monday) to 6 (Sunday).")
        elif len(set(weekdays)) != len(weekdays):
            problems.append("A delivery weekday is named twice.")
    elif weekdays:
        problems.append("Only a delivery price has delivery weekdays.")
    return problems


def tier_problems(tiers: Sequence[TierSpec], charge_model: str) -> list[str]:
    """Tiers start at 0, follow one another without gaps or overlaps; only the last is open."""
    if not tiers:
        return ["volume and tiered prices need at least one tier."]
    problems = []
    ordered = sorted(tiers, key=lambda tier: tier.start_unit)
    if ordered[0].start_unit != 0:
        problems.append("the first tier starts at unit 0.")
    for index, tier in enumerate(ordered):
        last = index == len(ordered) - 1
        if tier.price < 0:
            problems.append("a tier's price cannot be negative.")
        if tier.end_unit is None:
            if not last:
                problems.append("only the last tier may be open-ended.")
            elif charge_model == PriceBookItem.ChargeModel.TIERED_WITH_OVERAGE:
                problems.append("with overage, the last tier ends where overage begins.")
        elif tier.end_unit <= tier.start_unit:
            problems.append(f"the tier starting at {tier.start_unit} ends at or below its start.")
        if (
            not last
            and tier.end_unit is not None
            and ordered[index + 1].start_unit != tier.end_unit
        ):
            kind = "overlap" if ordered[index + 1].start_unit < tier.end_unit else "gap"
            problems.append(
                f"tiers must be contiguous: {kind} between {tier.end_unit} and "
                f"{ordered[index + 1].start_unit}."
            )
    return problems


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
    delivery_weekdays: Sequence[int] = (),
    instance: PriceBookItem | None = None,
    by: AbstractBaseUser | None = None,
) -> PriceBookItem:
    """Create a price book item, or replace one whole (its intervals and tiers with it)."""
    offering = _locked(rate.offering)
    require_rate_unlocked(rate, attempted=f"change the price of {item.mpn}", by=by)
    if instance is not None and instance.rate_id != rate.pk:
        require_rate_unlocked(instance.rate, attempted=f"move the price of {item.mpn}", by=by)
    custom_attributes = {} if custom_attributes is None else custom_attributes
    problems = custom_attribute_problems(custom_attributes)
    problems += price_structure_problems(
        charge_model=charge_model,
        pricing_type=pricing_type,
        intervals=intervals,
        delivery_weekdays=delivery_weekdays,
    )
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
    pbi.delivery_weekdays = sorted(delivery_weekdays or ())
    validated_save(pbi, by=by)
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
                price=spec.price,
                included_units=spec.included_units,
                overage_price=spec.overage_price,
            )
            for number, spec in enumerate(intervals, start=1)
        ],
        PriceInterval,
        default_user=by,
    )
    tiers = [
        PriceTier(
            interval=row,
            start_unit=tier.start_unit,
            end_unit=tier.end_unit,
            price=tier.price,
            price_format=tier.price_format,
        )
        for row, spec in zip(rows, intervals, strict=True)
        for tier in sorted(spec.tiers, key=lambda t: t.start_unit)
    ]
    if tiers:
        bulk_create_with_history(tiers, PriceTier, default_user=by)


def as_validation_error(exc) -> ValidationError:
    """A domain error as a form error, for the admin."""
    return ValidationError(str(exc))


# --- Rates, prices and the lock ------------------------------------------------------------

RATE_ALWAYS_EDITABLE = {"name", "status"}


@records_refusals
@service
def rate_update(*, rate: Rate, by: AbstractBaseUser | None = None, reason: str = "", **changes):
    """Change a rate; once it priced a quote or contract only its name and status may change."""
    _locked(rate.offering)
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
    _locked(pbi.rate.offering)
    require_rate_unlocked(pbi.rate, attempted=f"delete the price of {pbi.item.mpn}", by=by)
    pbi._history_user = by
    pbi.delete()


@records_refusals
@service
def rate_delete(*, rate: Rate, by: AbstractBaseUser | None = None) -> None:
    """Remove a rate with its prices, unless it priced a processed quote or contract."""
    _locked(rate.offering)
    rate = Rate.objects.select_for_update().get(pk=rate.pk)
    require_rate_unlocked(rate, attempted=f"delete rate {rate.name}", by=by)
    rate._history_user = by
    rate.delete()


@records_refusals
@service
def offering_delete(*, offering: Offering, by: AbstractBaseUser | None = None) -> None:
    """Remove an offering that nothing uses (no active rate, processed quote or contract)."""
    offering = _locked(offering)
    require_unlocked(offering, attempted="delete the offering", by=by)
    offering._history_user = by
    offering.delete()


def offering_inactivate(
    *, offering: Offering, by: AbstractBaseUser | None = None, reason: str = ""
) -> Offering:
    """Retire an offering: no new quotes; everything that used it stays as it was."""
    return offering_update(
        offering=offering,
        status=Offering.Status.INACTIVE,
        by=by,
        reason=reason or "inactivated",
    )


@service
def offering_clone(
    *, offering: Offering, name: str = "", by: AbstractBaseUser | None = None, reason: str = ""
) -> Offering:
    """Deep-copy an offering: items, scopes, rates (as drafts), prices, intervals and tiers.

    Each level is one bulk insert that still writes history (``bulk_create_with_history``;
    intervals and tiers as ``INSERT … SELECT`` in ``bulk_copy``), so the number of queries
    does not grow with the offering's size.
    """
    source = _locked(offering)
    note = (reason or f"cloned from #{source.pk} {source.name}")[:REASON_MAX_LENGTH]
    copy = validated_save(
        Offering(
            vendor_id=source.vendor_id,
            name=name or f"Copy of {source.name}",
            description=source.description,
            type=source.type,
            status=Offering.Status.ACTIVE,
            start_date=source.start_date,
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

    lines = list(source.offering_items.all())
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
    scopes = OfferingItemScope.objects.filter(offering_item__offering=source)
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

    pbis = list(PriceBookItem.objects.filter(rate__offering=source).order_by("pk"))
    new_pbis = bulk(
        PriceBookItem,
        [
            PriceBookItem(
                rate=rate_map[pbi.rate_id],
                item_id=pbi.item_id,
                charge_model=pbi.charge_model,
                pricing_type=pbi.pricing_type,
                custom_attributes=pbi.custom_attributes,
                delivery_weekdays=pbi.delivery_weekdays,
            )
            for pbi in pbis
        ],
    )
    # Intervals and tiers are the bulk of a big offering: the database copies them.
    copy_intervals_and_tiers(
        {old.pk: new.pk for old, new in zip(pbis, new_pbis, strict=True)}, by=by, reason=note
    )
    return copy
