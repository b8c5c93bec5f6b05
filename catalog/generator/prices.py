"""A library of prices the generator picks from: every charge model of the registry, regular
and interval pricing, tiers, and each one checked once by ``pricing.pricebook.price_problems``
(the check every writer runs) before a row is written.

A template is a function of a base price; its rows (price options, intervals, tiers) are
made once per base price and reused for every price book item that picks it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from catalog.models import Item
from pricing.pricebook import IntervalSpec, PriceSpec, TierSpec, price_problems

D = Decimal
K = Item.Kind
BASES = tuple(D(p) for p in ("4.75", "9.50", "12.00", "19.99", "29.00", "49.00", "99.00"))
NO_DAYS = json.dumps([])


@dataclass(frozen=True)
class Price:
    """One price's rows: the price book item's own columns and its intervals with tiers."""

    charge_model: str
    pricing_type: str
    options: tuple  # delivery_weekdays (JSON), minimum_amount, maximum_amount, flat_at_zero
    intervals: tuple  # (unit, duration, price, included, overage, package, tiers)


def regular(**fields) -> tuple[IntervalSpec, ...]:
    return (IntervalSpec(**fields),)


def tiers(p: Decimal, *, open_end: bool = True) -> tuple[TierSpec, ...]:
    return (
        TierSpec(D(0), D(10), p),
        TierSpec(D(10), D(100), p * D("0.9")),
        TierSpec(D(100), None if open_end else D(1000), p * D("0.8")),
    )


def charge_specs(p: Decimal) -> list[PriceSpec]:
    """Prices of a charge (subscription, one-time and usage items)."""
    return [
        PriceSpec("per_unit", regular(price=p)),
        PriceSpec(
            "per_unit",
            (
                IntervalSpec("month", 12, price=p * D("0.8")),
                IntervalSpec("infinity", price=p),
            ),
            pricing_type="interval",
        ),
        PriceSpec("per_unit", regular(price=p), minimum_amount=p * 5, maximum_amount=p * 500),
        PriceSpec("flat_fee", regular(price=p * 10)),
        PriceSpec("volume", regular(tiers=tiers(p))),
        PriceSpec(
            "tiered",
            (
                IntervalSpec("month", 3, tiers=tiers(p / 2)),
                IntervalSpec("infinity", tiers=tiers(p)),
            ),
            pricing_type="interval",
        ),
        PriceSpec("overage", regular(included_units=D(100), overage_price=p / 10)),
        PriceSpec(
            "tiered_with_overage", regular(tiers=tiers(p, open_end=False), overage_price=p / 2)
        ),
        PriceSpec("package", regular(price=p * 8, package_size=D(10))),
        PriceSpec(
            "delivery",
            (IntervalSpec("day", 365, price=p / 2), IntervalSpec("infinity", price=p)),
            pricing_type="interval",
            delivery_weekdays=(6,),
        ),
    ]


# How often each charge price is picked, by item kind (the index into ``charge_specs``).
WEIGHTS = {
    K.SUBSCRIPTION: (30, 12, 6, 10, 10, 8, 0, 0, 6, 0),
    K.ONE_TIME: (40, 0, 0, 60, 0, 0, 0, 0, 0, 0),
    K.USAGE: (20, 0, 5, 0, 15, 15, 20, 15, 5, 5),
}


def _rows(spec: PriceSpec) -> Price:
    intervals = tuple(
        (
            i.duration_unit,
            i.duration,
            i.price,
            i.included_units,
            i.overage_price,
            i.package_size,
            tuple(
                (t.start_unit, t.end_unit, t.price, t.price_format, t.flat_amount) for t in i.tiers
            ),
        )
        for i in spec.intervals
    )
    options = (
        json.dumps(list(spec.delivery_weekdays)),
        spec.minimum_amount,
        spec.maximum_amount,
        spec.flat_at_zero,
    )
    return Price(spec.charge_model, spec.pricing_type, options, intervals)


class PriceLibrary:
    """The checked prices, by item kind: ``pick(rng, kind)`` is one of them."""

    def __init__(self) -> None:
        self.by_kind: dict[str, list[Price]] = {}
        self.weights: dict[str, list[int]] = {}
        specs: dict[str, list[tuple[PriceSpec, int]]] = {kind: [] for kind in K.values}
        for base in BASES:
            for spec, *weights in zip(charge_specs(base), *WEIGHTS.values(), strict=True):
                for kind, weight in zip(WEIGHTS, weights, strict=True):
                    if weight:
                        specs[kind].append((spec, weight))
            # A commitment's price is its amount; a percent of total's is the percentage.
            specs[K.MINIMUM_COMMIT].append((PriceSpec("flat_fee", regular(price=base * 100)), 1))
            specs[K.PERCENT_OF_TOTAL].append(
                (PriceSpec("flat_fee", regular(price=D(int(base) % 20 + 5))), 1)
            )
        for kind, pairs in specs.items():
            for spec, _weight in pairs:
                if problems := price_problems(spec):
                    raise AssertionError(f"Generated price {spec} is refused: {problems}")
            self.by_kind[kind] = [_rows(spec) for spec, _ in pairs]
            self.weights[kind] = [weight for _, weight in pairs]
        self.cumulative = {kind: list(accumulate(w)) for kind, w in self.weights.items()}
        self.charge_models = {spec.charge_model for pairs in specs.values() for spec, _ in pairs}

    def pick(self, rng, kind: str) -> Price:
        return rng.choices(self.by_kind[kind], cum_weights=self.cumulative[kind])[0]
