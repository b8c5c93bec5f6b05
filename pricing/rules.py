"""Pure price rules: what items an offering type may hold, and the shape of a price.

No database here: each function takes plain values (``LineSpec``, ``IntervalSpec``,
``TierSpec``) and answers with the problems it finds, empty when there are none. The writers
(``pricing.services``, ``pricing.rates``) and the admin forms both ask these, so the page and
the API refuse the same things with the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from catalog.models import Item
from catalog.validators import contains_nul
from pricing.bounds import interval_duration_problem
from pricing.models import Offering, PriceBookItem, PriceInterval, PriceTier

Kind = Item.Kind
Type = Offering.Type
MAX_INTERVALS = 100

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
