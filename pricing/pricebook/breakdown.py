"""What a billed line is made of: which tiers priced how many units at what price, how many
deliveries at what price, and so on (the preview's breakdown).

Each charge model splits one period's amount into parts (``ChargeModel.parts``), which add
up to its ``amount``; this module finds the parts of one schedule line: the deliveries it
counted, or the share of the period it was prorated by. ``wording.part_words`` words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pricing.pricebook.calendar import add_months, count_deliveries
from pricing.pricebook.money import ZERO, round_money
from pricing.pricebook.schedule import CHARGE, ScheduleLine
from pricing.pricebook.structure import PriceBook

UNIT, DELIVERY, FLAT, TIER, INCLUDED, OVERAGE, PACKAGE = (
    "unit",
    "delivery",
    "flat",
    "tier",
    "included",
    "overage",
    "package",
)


@dataclass(frozen=True)
class Part:
    """Part of a period's amount: ``count`` units, deliveries or packages at ``price`` each,
    plus a tier's ``flat`` amount; ``start``/``end`` bound a tier (end None: open)."""

    kind: str
    count: Decimal
    price: Decimal
    amount: Decimal  # unrounded
    flat: Decimal = ZERO
    start: Decimal | None = None
    end: Decimal | None = None


@dataclass(frozen=True)
class LineBreakdown:
    """A charge line's parts; ``days`` / ``period_days`` when the line is a prorated share
    of its period (the parts are then the whole period's)."""

    line: ScheduleLine
    parts: tuple[Part, ...]
    days: int | None = None
    period_days: int | None = None


def period_bounds(start: date, period_index: int, period_months: int) -> tuple[date, date]:
    """A billing period's [start, end), counted from the schedule's start."""
    return (
        add_months(start, period_index * period_months),
        add_months(start, (period_index + 1) * period_months),
    )


def line_breakdown(
    book: PriceBook, line: ScheduleLine, *, start: date, period_months: int
) -> LineBreakdown | None:
    """The parts of one charge line of ``schedule(book, start=start, ...)``; None for a
    minimum, maximum, percent or true-up line, or a line of a quantity of 0."""
    if line.kind != CHARGE or not line.quantity:
        return None
    model = book.model
    interval = book.intervals[line.interval_index]
    deliveries = 0
    if model.counts_deliveries:
        deliveries = count_deliveries(line.start, line.end, book.delivery_weekdays)
    parts = tuple(model.parts(interval, line.quantity, deliveries))
    whole = round_money(sum((part.amount for part in parts), ZERO), book.currency)
    period_start, period_end = period_bounds(start, line.period_index, period_months)
    partial = (line.start, line.end) != (period_start, period_end)
    if model.counts_deliveries or not partial or whole == line.amount:
        return LineBreakdown(line, parts)
    return LineBreakdown(
        line, parts, (line.end - line.start).days, (period_end - period_start).days
    )
