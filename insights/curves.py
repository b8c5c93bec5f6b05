"""Price curves: for a price book item, per interval, the amount of one billing period against
the quantity, and, for a price of several intervals, the amount at one quantity against time.

This module owns "the amount at a quantity" (``amount_at``), "which quantities to try"
(``sample_points``) and "where the cliff is" (``find_cliff``): the price-book linter
(``insights.lint.prices``) asks these, so the chart marks exactly the cliff the linter
reports. Every amount is the engine's (``pricing.pricebook``), bounded by the price's
minimum and maximum and rounded to the currency, as a quote line would be. Pure Python over
a loaded price: no queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pricing import pricebook
from pricing.pricebook.money import round_money

ONE = Decimal(1)
EVEN_STEPS = 12  # evenly spaced quantities besides the edges
DEFAULT_TOP = Decimal(10)  # the highest quantity drawn when the price has no edge above 0
SPAN = Decimal("1.5")  # draw up to this many times the last edge
DAYS_PER_MONTH = Decimal(30)  # a day interval on the time axis, in months
OPEN_MONTHS = 12  # how long the open-ended (Infinity) last interval is drawn


@dataclass(frozen=True)
class Cliff:
    """A larger quantity that costs less in total than a smaller one."""

    quantity: Decimal
    amount: Decimal
    dearer_quantity: Decimal  # the smaller quantity …
    dearer_amount: Decimal  # … that costs more


@dataclass(frozen=True)
class QuantityCurve:
    number: int  # the interval, 1-based
    points: tuple[tuple[Decimal, Decimal], ...]  # (quantity, amount), by quantity
    cliff: Cliff | None


@dataclass(frozen=True)
class TimeStep:
    number: int  # the interval, 1-based
    start_month: Decimal
    end_month: Decimal  # for the open-ended interval: OPEN_MONTHS after its start
    open_ended: bool
    amount: Decimal


@dataclass(frozen=True)
class PriceCurves:
    currency: str
    quantity_curves: tuple[QuantityCurve, ...]  # empty for prices by delivery
    time_quantity: Decimal
    time_steps: tuple[TimeStep, ...]  # empty for a price of one interval


def edges(interval) -> set[Decimal]:
    """Where an interval's price changes: its included units and each tier's start and end."""
    found = {interval.included_units}
    for tier in interval.tiers:
        found.add(tier.start_unit)
        if tier.end_unit is not None:
            found.add(tier.end_unit)
    return found


def points(book, interval) -> list[Decimal]:
    """Each tier boundary (and included units) and the whole units either side of it."""
    near = {edge + step for edge in edges(interval) for step in (-ONE, 0, ONE)}
    return sorted(point for point in near if point > 0)


def sample_points(book, interval) -> list[Decimal]:
    """``points`` and evenly spaced whole quantities from 0 up to about 1.5 × the last edge
    (``DEFAULT_TOP`` when there is none)."""
    highest = max(edges(interval), default=0)
    top = max(DEFAULT_TOP, (highest * SPAN).to_integral_value())
    step = max(ONE, (top / EVEN_STEPS).to_integral_value())
    even = {step * n for n in range(int(top / step) + 1)}
    return sorted({Decimal(0), *points(book, interval), *even})


def amount_at(book, interval, quantity) -> Decimal:
    """The amount of one billing period at ``quantity``: the engine's, bounded by the price's
    minimum and maximum, rounded to the currency."""
    amount = pricebook.period_amount(book.model, interval, quantity, flat_at_zero=book.flat_at_zero)
    if book.minimum_amount is not None:
        amount = max(amount, book.minimum_amount)
    if book.maximum_amount is not None:
        amount = min(amount, book.maximum_amount)
    return round_money(amount, book.currency)


def can_have_cliff(book, interval) -> bool:
    """Prices by delivery are not priced by quantity; a model the registry calls monotone
    cannot fall unless tiers make it."""
    return not book.model.counts_deliveries and bool(interval.tiers or not book.model.monotone)


def find_cliff(book, interval) -> Cliff | None:
    """The first quantity of ``points`` that costs less than a smaller one (volume pricing,
    mostly), or None."""
    if not can_have_cliff(book, interval):
        return None
    highest = None  # (quantity, amount) of the dearest smaller quantity so far
    for quantity in points(book, interval):
        amount = amount_at(book, interval, quantity)
        if highest is not None and amount < highest[1]:
            return Cliff(quantity, amount, *highest)
        if highest is None or amount > highest[1]:
            highest = (quantity, amount)
    return None


def quantity_curve(book, interval, number: int) -> QuantityCurve:
    pairs = tuple((q, amount_at(book, interval, q)) for q in sample_points(book, interval))
    return QuantityCurve(number, pairs, find_cliff(book, interval))


def interval_months(interval) -> Decimal | None:
    """An interval's length in months on the time axis (days at ``DAYS_PER_MONTH``), or None
    for the open-ended one."""
    if interval.duration_unit == "month":
        return Decimal(interval.duration)
    if interval.duration_unit == "day":
        return Decimal(interval.duration) / DAYS_PER_MONTH
    return None


def time_steps(book, quantity: Decimal) -> list[TimeStep]:
    """The amount per period at ``quantity`` in each interval, from the start: one step per
    interval (none for a price of a single interval)."""
    if len(book.intervals) < 2:
        return []
    steps, start = [], Decimal(0)
    for number, interval in enumerate(book.intervals, 1):
        length = interval_months(interval)
        end = start + (OPEN_MONTHS if length is None else length)
        amount = amount_at(book, interval, quantity)
        steps.append(TimeStep(number, start, end, length is None, amount))
        start = end
    return steps


def price_curves(pbi, quantity: Decimal | int | None = None) -> PriceCurves:
    """The curves of a price book item (rate, intervals and tiers loaded). ``quantity`` is
    the one the time curve prices (the offering item's default quantity; 1 when None or 0).
    Raises ValueError for a price the engine cannot read."""
    book = pbi.to_engine()
    if not book.intervals:
        raise ValueError("A price needs at least one interval.")
    quantity = Decimal(quantity or 1)
    if book.model.counts_deliveries:  # priced by the deliveries in a period: no curve
        return PriceCurves(book.currency, (), quantity, ())
    curves = tuple(
        quantity_curve(book, interval, number) for number, interval in enumerate(book.intervals, 1)
    )
    return PriceCurves(book.currency, curves, quantity, tuple(time_steps(book, quantity)))


def default_quantity(pbi) -> int:
    """The default quantity of the price's item in its rate's offering (one query), or 0."""
    from pricing.models import OfferingItem

    found = OfferingItem.objects.filter(offering_id=pbi.rate.offering_id, item_id=pbi.item_id)
    return found.values_list("default_quantity", flat=True).first() or 0
