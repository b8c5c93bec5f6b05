"""What a price may be: plain specs in, the problems found out (empty when there are none).

The writers (``pricing.rates``), the admin forms and the API all check a price here, so
they refuse the same things with the same words. The specs hold what was asked, unchecked
(that is their point); ``PriceBook`` is the checked form the engine computes with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from pricing.pricebook.fields import INTERVAL, PRICE, TIER
from pricing.pricebook.problems import TIERS, Problem
from pricing.pricebook.registry import REGISTRY, charge_model

REGULAR, INTERVAL_PRICING = "regular", "interval"
MAX_INTERVALS = 100
MAX_INTERVAL_DAYS = 36_500  # about 100 years
MAX_INTERVAL_MONTHS = 1_200  # 100 years


@dataclass(frozen=True)
class TierSpec:
    start_unit: Decimal
    end_unit: Decimal | None
    price: Decimal
    price_format: str = "per_unit"
    flat_amount: Decimal = Decimal(0)


@dataclass(frozen=True)
class IntervalSpec:
    duration_unit: str = "infinity"
    duration: int | None = None
    price: Decimal = Decimal(0)
    included_units: Decimal = Decimal(0)
    overage_price: Decimal = Decimal(0)
    tiers: tuple[TierSpec, ...] = field(default_factory=tuple)
    package_size: Decimal | None = None


@dataclass(frozen=True)
class PriceSpec:
    """A whole price as asked for: the charge model, its intervals and its options."""

    charge_model: str
    intervals: Sequence[IntervalSpec]
    pricing_type: str = REGULAR
    delivery_weekdays: Sequence[int] = ()
    minimum_amount: Decimal | None = None
    maximum_amount: Decimal | None = None
    flat_at_zero: bool = False

    @classmethod
    def from_data(cls, data, intervals: Sequence[IntervalSpec]) -> PriceSpec:
        """From a form's or serializer's cleaned data: missing options take their defaults."""
        options = {f.name: data.get(f.name) for f in PRICE if data.get(f.name) is not None}
        return cls(
            charge_model=data.get("charge_model") or "per_unit",
            pricing_type=data.get("pricing_type") or REGULAR,
            intervals=tuple(intervals),
            **options,
        )


def _given(data, fields) -> dict:
    """The fields of cleaned data (a dict), a missing or empty one at its default."""
    return {f.name: f.default if data.get(f.name) is None else data[f.name] for f in fields}


def interval_spec(data, tiers=()) -> IntervalSpec:
    """An interval spec (with its tiers) from cleaned data."""
    return IntervalSpec(
        duration_unit=data.get("duration_unit") or "infinity",
        duration=data.get("duration"),
        tiers=tuple(TierSpec(**_given(tier, TIER)) for tier in tiers),
        **_given(data, INTERVAL),
    )


def interval_duration_problem(unit: str, duration: int) -> str | None:
    """Why a Day(n) or Month(n) duration is too long, if it is."""
    limit = {"day": MAX_INTERVAL_DAYS, "month": MAX_INTERVAL_MONTHS}.get(unit)
    if limit is not None and duration > limit:
        return f"an interval lasts at most {limit:,} {unit}s ({duration:,} given)."
    return None


def price_problems(price: PriceSpec) -> list[str]:
    """Why intervals, tiers and options do not fit the charge model and pricing type."""
    return [str(problem) for problem in located_problems(price)]


def located_problems(price: PriceSpec) -> list[Problem]:
    """``price_problems``, each with the field (and interval) it concerns, so a form can show
    it next to that field."""
    if price.charge_model not in REGISTRY:
        known = ", ".join(REGISTRY)
        return [
            Problem(
                f"Unknown charge model {price.charge_model!r} (known: {known}).", "charge_model"
            )
        ]
    model = charge_model(price.charge_model)
    intervals = price.intervals
    problems = []
    if not 1 <= len(intervals) <= MAX_INTERVALS:
        problems.append(Problem(f"Give 1 to {MAX_INTERVALS} intervals ({len(intervals)} given)."))
    if price.pricing_type == REGULAR and (
        len(intervals) != 1 or intervals[0].duration_unit != "infinity"
    ):
        problems.append(
            Problem("Regular pricing is exactly one Infinity interval.", "price.pricing_type")
        )
    for index, interval in enumerate(intervals):
        found = _interval_problems(interval, index + 1, intervals)
        if model.uses_tiers:
            found += [Problem(p, TIERS) for p in tier_problems(interval.tiers)]
        elif interval.tiers:
            found.append(Problem(f"a {model.label.lower()} price has no tiers.", TIERS))
        found += model.interval_problems(interval)
        problems += [problem.of_interval(index) for problem in found]
    return problems + _option_problems(model, price)


def _interval_problems(interval: IntervalSpec, number: int, intervals) -> list[Problem]:
    problems = []
    if interval.duration_unit == "infinity":
        if number != len(intervals):
            problems.append(
                Problem("only the last interval may be Infinity.", "interval.duration_unit")
            )
        if interval.duration:
            problems.append(Problem("an Infinity interval has no duration.", "interval.duration"))
    elif not interval.duration or interval.duration < 1:
        problems.append(
            Problem("the duration is a positive number of days or months.", "interval.duration")
        )
    elif too_long := interval_duration_problem(interval.duration_unit, interval.duration):
        problems.append(Problem(too_long, "interval.duration"))
    for f in INTERVAL:
        value = getattr(interval, f.name)
        if value is not None and value < 0:
            problems.append(Problem(f"{f.name.replace('_', ' ')} cannot be negative.", f.key))
    return problems


def _option_problems(model, price: PriceSpec) -> list[Problem]:
    problems = []
    weekdays = list(price.delivery_weekdays or ())
    days = "price.delivery_weekdays"
    if model.uses(days):
        if not weekdays:
            problems.append(Problem("A delivery price needs its delivery weekdays.", days))
        elif any(
            not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in weekdays
        ):
            problems.append(
                Problem("Delivery weekdays are numbers from 0 (Monday) to 6 (Sunday).", days)
            )
        elif len(set(weekdays)) != len(weekdays):
            problems.append(Problem("A delivery weekday is named twice.", days))
    elif weekdays:
        problems.append(Problem("Only a delivery price has delivery weekdays.", days))
    low, high = price.minimum_amount, price.maximum_amount
    where = "price.minimum_amount" if low is not None else "price.maximum_amount"
    if low is not None or high is not None:
        if not model.uses("price.minimum_amount"):
            problems.append(
                Problem(
                    f"A {model.label.lower()} price has no minimum or maximum per period.", where
                )
            )
        elif (low is not None and low < 0) or (high is not None and high < 0):
            problems.append(Problem("A minimum or maximum per period cannot be negative.", where))
        elif low is not None and high is not None and low > high:
            problems.append(
                Problem(
                    f"The minimum per period ({low}) is above the maximum ({high}).",
                    "price.minimum_amount",
                )
            )
    if price.flat_at_zero:
        flat = "price.flat_at_zero"
        if not model.uses(flat):
            problems.append(
                Problem(
                    "Only a tiered or volume price bills a flat first tier at zero usage.", flat
                )
            )
        elif any(_first_flat(interval) == 0 for interval in price.intervals):
            problems.append(
                Problem(
                    "Billing the first tier at zero usage needs a flat amount on the first tier.",
                    flat,
                )
            )
    return problems


def _first_flat(interval: IntervalSpec) -> Decimal:
    if not interval.tiers:
        return Decimal(1)  # reported as missing tiers already
    first = min(interval.tiers, key=lambda tier: tier.start_unit)
    return first.price if first.price_format == "flat" else first.flat_amount


def tier_problems(tiers: Sequence[TierSpec]) -> list[str]:
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
        if tier.flat_amount < 0:
            problems.append("a tier's flat amount cannot be negative.")
        elif tier.flat_amount and tier.price_format == "flat":
            problems.append(
                "a flat tier's price is its flat amount: give a unit price with a flat amount."
            )
        if tier.end_unit is None:
            if not last:
                problems.append("only the last tier may be open-ended.")
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
