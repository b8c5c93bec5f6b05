"""A price as the engine sees it: tiers inside intervals inside a price book.

Frozen dataclasses over plain values, checked once when built; the attribute names are the
field catalog's (``pricing.pricebook.fields``), so rows, specs and snapshots all convert
to and from them by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from typing import TYPE_CHECKING

from pricing.pricebook.money import ZERO, currency_code, decimal

if TYPE_CHECKING:
    from pricing.pricebook.registry import ChargeModel


class DurationUnit(StrEnum):
    DAY = "day"
    MONTH = "month"
    INFINITY = "infinity"


class PriceFormat(StrEnum):
    PER_UNIT = "per_unit"
    FLAT = "flat"


WEEKDAYS = frozenset(range(7))  # date.weekday(): 0=Monday … 6=Sunday
# Enum class attribute access goes through EnumType; module constants keep the hot path cheap.
FLAT = PriceFormat.FLAT
INFINITY = DurationUnit.INFINITY
MONTH = DurationUnit.MONTH


def _not_negative(owner: object, names: tuple[str, ...], what: str) -> None:
    for name in names:
        value = getattr(owner, name)
        if value is None:
            continue
        value = decimal(value, name)
        if value < 0:
            raise ValueError(f"{what}'s {name.replace('_', ' ')} cannot be negative ({value}).")
        object.__setattr__(owner, name, value)


@dataclass(frozen=True, slots=True)
class Tier:
    """A band of units (start_unit, end_unit]: a flat amount for reaching it, plus a price
    per unit inside it. ``price_format`` FLAT is the older spelling of a flat-only tier:
    its ``price`` is the flat amount."""

    start_unit: Decimal
    end_unit: Decimal | None
    price: Decimal
    price_format: PriceFormat = PriceFormat.PER_UNIT
    flat_amount: Decimal = ZERO

    def __post_init__(self) -> None:
        _not_negative(self, ("start_unit", "end_unit", "price", "flat_amount"), "A tier")
        if self.end_unit is not None and self.end_unit <= self.start_unit:
            raise ValueError(
                f"A tier ends above the unit it starts at ({self.start_unit}–{self.end_unit})."
            )
        object.__setattr__(self, "price_format", PriceFormat(self.price_format))

    @property
    def unit_price(self) -> Decimal:
        return ZERO if self.price_format is FLAT else self.price

    @property
    def flat(self) -> Decimal:
        """What reaching the tier costs, whatever the units inside it."""
        return self.price + self.flat_amount if self.price_format is FLAT else self.flat_amount


# A tier flattened for the hot path: (start, end or None, unit price, flat amount, and what
# the whole band costs, flat + (end - start) * unit price, or None for an open band).
Band = tuple[Decimal, Decimal | None, Decimal, Decimal, Decimal | None]


@dataclass(frozen=True, slots=True)
class Interval:
    """One step of interval pricing (Day(n), Month(n) or Infinity) with its price fields."""

    duration_unit: DurationUnit
    duration: int | None = None
    price: Decimal = ZERO
    included_units: Decimal = ZERO
    overage_price: Decimal = ZERO
    tiers: tuple[Tier, ...] = ()
    package_size: Decimal | None = None
    # Precomputed once so a period's amount neither sorts nor reads attributes per call.
    bands: tuple[Band, ...] = field(default=(), init=False, repr=False, compare=False)
    tiers_end: Decimal | None = field(default=ZERO, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unit = DurationUnit(self.duration_unit)
        object.__setattr__(self, "duration_unit", unit)
        if unit is INFINITY:
            if self.duration:
                raise ValueError("An Infinity interval has no duration.")
            object.__setattr__(self, "duration", None)
        elif (
            not isinstance(self.duration, int)
            or isinstance(self.duration, bool)
            or self.duration < 1
        ):
            raise ValueError(
                f"A {unit} interval needs a positive whole duration, not {self.duration!r}."
            )
        _not_negative(
            self, ("price", "included_units", "overage_price", "package_size"), "An interval"
        )
        if self.package_size is not None and self.package_size <= 0:
            raise ValueError(f"A package holds at least one unit ({self.package_size}).")
        tiers = tuple(sorted(self.tiers, key=lambda tier: tier.start_unit))
        for lower, upper in pairwise(tiers):
            # Overlapping tiers would price the same units twice.
            if lower.end_unit is None or lower.end_unit > upper.start_unit:
                raise ValueError(
                    f"Tiers overlap: the tier from {lower.start_unit} runs past "
                    f"{upper.start_unit}, where the next one starts."
                )
        object.__setattr__(self, "tiers", tiers)
        bands = tuple(
            (
                t.start_unit,
                t.end_unit,
                t.unit_price,
                t.flat,
                None if t.end_unit is None else t.flat + (t.end_unit - t.start_unit) * t.unit_price,
            )
            for t in tiers
        )
        object.__setattr__(self, "bands", bands)
        # Where "tiered with overage" stops using tiers: the last tier's end (None if open).
        object.__setattr__(self, "tiers_end", tiers[-1].end_unit if tiers else ZERO)


@dataclass(frozen=True, slots=True)
class PriceBook:
    """A price book item as the engine sees it: charge model, intervals in order, currency,
    and the options that apply to the whole price."""

    charge_model: str
    intervals: tuple[Interval, ...]
    currency: str
    delivery_weekdays: frozenset[int] = frozenset()  # date.weekday(): 0=Monday … 6=Sunday
    minimum_amount: Decimal | None = None  # per billing period
    maximum_amount: Decimal | None = None  # per billing period
    flat_at_zero: bool = False  # bill the first tier's flat amount when the quantity is 0
    model: ChargeModel = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        from pricing.pricebook.registry import charge_model

        object.__setattr__(self, "model", charge_model(self.charge_model))
        object.__setattr__(self, "charge_model", self.model.name)
        object.__setattr__(self, "intervals", tuple(self.intervals))
        object.__setattr__(self, "currency", currency_code(self.currency))
        weekdays = frozenset(self.delivery_weekdays or ())
        if not weekdays <= WEEKDAYS:
            raise ValueError("Delivery weekdays are numbers from 0 (Monday) to 6 (Sunday).")
        object.__setattr__(self, "delivery_weekdays", weekdays)
        _not_negative(self, ("minimum_amount", "maximum_amount"), "A price")
        low, high = self.minimum_amount, self.maximum_amount
        if low is not None and high is not None and low > high:
            raise ValueError(f"A price's minimum ({low}) is above its maximum ({high}).")
        object.__setattr__(self, "flat_at_zero", bool(self.flat_at_zero))
