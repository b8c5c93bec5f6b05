"""What a price costs for a period, and over a term, interval by interval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from pricing.pricebook.calendar import (
    add_months,
    count_deliveries,
    month_number,
    period_ends,
    span_bounds,
)
from pricing.pricebook.money import QUANTUM, ZERO, decimal, minor_unit
from pricing.pricebook.registry import LOOKUP, ChargeModel, charge_model
from pricing.pricebook.structure import Interval, PriceBook

CHARGE, MINIMUM, MAXIMUM, PERCENT = "charge", "minimum", "maximum", "percent"
TRUE_UP = "true_up"


class ScheduleLine(NamedTuple):
    """One billed segment: a billing period, or the part of it inside one interval; or a
    period's minimum top-up or maximum cap (``kind``), or a percent of other lines.

    A named tuple: immutable, and a third of a frozen dataclass's cost to build (a schedule
    is mostly the building of its lines)."""

    period_index: int
    start: date
    end: date  # exclusive
    interval_index: int
    quantity: Decimal
    amount: Decimal  # rounded to the currency's minor unit
    kind: str = CHARGE
    base: Decimal | None = None  # a percent line: the amount it is a percentage of
    percent: Decimal | None = None  # a percent line: the percentage applied to ``base``
    committed: Decimal | None = None  # a true-up line: the period's commitment (base: used)


@dataclass(frozen=True, slots=True)
class Schedule:
    """The amounts of one price over a term; total is the sum of the rounded line amounts."""

    lines: tuple[ScheduleLine, ...]
    total: Decimal
    currency: str


def period_amount(
    model: ChargeModel | str,
    interval: Interval,
    quantity: Decimal,
    *,
    deliveries: int = 0,
    flat_at_zero: bool = False,
) -> Decimal:
    """The unrounded amount of one billing period for a quantity under one interval's prices."""
    if type(quantity) is not Decimal:
        quantity = decimal(quantity, "quantity")
    elif not quantity.is_finite():
        raise ValueError(f"quantity must be a finite number, not {quantity}.")
    if quantity < 0:
        raise ValueError(f"quantity cannot be negative ({quantity}).")
    if deliveries < 0:
        raise ValueError(f"deliveries cannot be negative ({deliveries}).")
    try:
        model = LOOKUP[model]
    except (KeyError, TypeError):
        model = charge_model(model)  # an unregistered model object, or ValueError
    if not quantity:
        return model.zero_amount(interval, flat_at_zero)
    return model.amount(interval, quantity, deliveries)


def schedule(
    price_book: PriceBook,
    *,
    quantity: Decimal,
    start: date,
    periods: int,
    period_months: int = 1,
    one_time: bool = False,
) -> Schedule:
    """Amounts per billing period over a term, split and prorated where the interval changes,
    with a period's minimum top-up or maximum cap on a line of its own."""
    if not price_book.intervals:
        raise ValueError("A price needs at least one interval to be scheduled.")
    if periods < 1:
        raise ValueError(f"A schedule needs at least one billing period ({periods} given).")
    if period_months < 1:
        raise ValueError(f"A billing period lasts at least one month ({period_months} given).")
    quantity = decimal(quantity, "quantity")
    if quantity < 0:
        raise ValueError(f"quantity cannot be negative ({quantity}).")

    model = price_book.model
    intervals = price_book.intervals
    currency = price_book.currency
    quantum = _quantum(currency)
    weekdays = price_book.delivery_weekdays
    counted = model.counts_deliveries
    flat_at_zero = price_book.flat_at_zero
    low, high = price_book.minimum_amount, price_book.maximum_amount
    limited = low is not None or high is not None
    if low is not None:
        low = low.quantize(quantum, rounding=ROUND_HALF_UP)
    if high is not None:
        high = high.quantize(quantum, rounding=ROUND_HALF_UP)
    if month_number(start) + periods * period_months > month_number(date.max):
        raise ValueError(
            f"{periods} billing periods of {period_months} month(s) from {start} end after "
            f"{date.max}, the last date the calendar holds."
        )
    spans = span_bounds(intervals, start, add_months(start, periods * period_months))

    # A period's amount depends only on its interval (the quantity is fixed): price each
    # interval once, however many periods and segments it covers.
    full_amounts: list[Decimal | None] = [None] * len(intervals)
    rounded: list[Decimal | None] = [None] * len(intervals)  # the same, rounded once
    span_count = len(spans)
    lines: list[ScheduleLine] = []
    append, new_tuple = lines.append, tuple.__new__
    total = ZERO.quantize(quantum)
    span_index = 0
    period_start_next = start
    # Every period end counts from the original start, so month ends do not drift.
    for period_index, period_end in enumerate(period_ends(start, periods, period_months)):
        period_start = period_start_next
        period_start_next = period_end
        while span_index < span_count and spans[span_index][1] <= period_start:
            span_index += 1
        if span_index == span_count:
            break  # a finite last interval has ended: nothing more is billed
        billed = ZERO
        index = span_index
        while index < span_count:
            span_start, span_end, interval_index = spans[index]
            if span_start >= period_end:
                break
            seg_start = span_start if span_start > period_start else period_start
            seg_end = span_end if span_end < period_end else period_end
            if counted:
                # Deliveries are counted, not prorated: the segment owes what it delivers.
                interval = intervals[interval_index]
                amount = (
                    model.amount(interval, quantity, count_deliveries(seg_start, seg_end, weekdays))
                    if quantity
                    else model.zero_amount(interval, flat_at_zero)
                ).quantize(quantum, rounding=ROUND_HALF_UP)
            else:
                amount = full_amounts[interval_index]
                if amount is None:
                    # The quantity is checked above: the model computes without period_amount's
                    # checks and lookup.
                    interval = intervals[interval_index]
                    amount = (
                        model.amount(interval, quantity, 0)
                        if quantity
                        else model.zero_amount(interval, flat_at_zero)
                    )
                    full_amounts[interval_index] = amount
                    rounded[interval_index] = amount.quantize(quantum, rounding=ROUND_HALF_UP)
                if one_time or (seg_start == period_start and seg_end == period_end):
                    amount = rounded[interval_index]
                else:  # the part of the period inside this interval, by days
                    amount = (
                        amount * (seg_end - seg_start).days / (period_end - period_start).days
                    ).quantize(quantum, rounding=ROUND_HALF_UP)
            # A ScheduleLine built without the named tuple's __new__ wrapper: a schedule is
            # mostly the building of its lines.
            append(
                new_tuple(
                    ScheduleLine,
                    (
                        period_index,
                        seg_start,
                        seg_end,
                        interval_index,
                        quantity,
                        amount,
                        CHARGE,
                        None,
                        None,
                        None,
                    ),
                )
            )
            billed += amount
            index += 1
            if one_time:
                break  # a one-time charge is billed once, in full, by the first interval
        if limited:
            # The period's minimum top-up or maximum cap, on a line of its own.
            if low is not None and billed < low:
                kind, amount = MINIMUM, low - billed
            elif high is not None and billed > high:
                kind, amount = MAXIMUM, high - billed
            else:
                kind = None
            if kind is not None:
                append(
                    ScheduleLine(
                        period_index,
                        period_start,
                        period_end,
                        interval_index,
                        quantity,
                        amount,
                        kind,
                    )
                )
                billed += amount
        total += billed
        if one_time:
            break
    return Schedule(tuple(lines), total, currency)


def _quantum(currency: str) -> Decimal:
    return QUANTUM[minor_unit(currency)]
