"""What a price costs for a period, and over a term, interval by interval."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pricing.pricebook.calendar import add_months, count_deliveries, month_number, span_bounds
from pricing.pricebook.money import QUANTUM, ZERO, decimal, minor_unit
from pricing.pricebook.registry import LOOKUP, ChargeModel, charge_model
from pricing.pricebook.structure import Interval, PriceBook

CHARGE, MINIMUM, MAXIMUM, PERCENT = "charge", "minimum", "maximum", "percent"


@dataclass(frozen=True, slots=True, init=False)
class ScheduleLine:
    """One billed segment: a billing period, or the part of it inside one interval; or a
    period's minimum top-up or maximum cap (``kind``), or a percent of other lines."""

    period_index: int
    start: date
    end: date  # exclusive
    interval_index: int
    quantity: Decimal
    amount: Decimal  # rounded to the currency's minor unit
    kind: str = CHARGE
    base: Decimal | None = None  # a percent line: the amount it is a percentage of
    percent: Decimal | None = None  # a percent line: the percentage applied to ``base``

    def __init__(
        self,
        period_index: int,
        start: date,
        end: date,
        interval_index: int,
        quantity: Decimal,
        amount: Decimal,
        kind: str = CHARGE,
        base: Decimal | None = None,
        percent: Decimal | None = None,
    ) -> None:
        # The generated frozen __init__ calls object.__setattr__ per field (about 150 ns
        # each); the slots' own setters do the same in a third of the time, and a schedule
        # is mostly the building of its lines.
        _set_line(
            self, period_index, start, end, interval_index, quantity, amount, kind, base, percent
        )


_SETTERS = tuple(
    ScheduleLine.__dict__[line_field.name].__set__ for line_field in fields(ScheduleLine)
)


_S0, _S1, _S2, _S3, _S4, _S5, _S6, _S7, _S8 = _SETTERS


def _set_line(line, period_index, start, end, interval_index, quantity, amount, kind, base, pct):
    _S0(line, period_index)
    _S1(line, start)
    _S2(line, end)
    _S3(line, interval_index)
    _S4(line, quantity)
    _S5(line, amount)
    _S6(line, kind)
    _S7(line, base)
    _S8(line, pct)


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
    span_count = len(spans)
    lines: list[ScheduleLine] = []
    total = ZERO.quantize(quantum)
    span_index = 0
    period_end = start
    for period_index in range(periods):
        # Every period end counts from the original start, so month ends do not drift.
        period_start = period_end
        period_end = add_months(start, (period_index + 1) * period_months)
        period_days = (period_end - period_start).days
        while span_index < span_count and spans[span_index][1] <= period_start:
            span_index += 1
        if span_index == span_count:
            break  # a finite last interval has ended: nothing more is billed
        first_line = len(lines)
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
                )
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
                seg_days = (seg_end - seg_start).days
                if seg_days != period_days and not one_time:
                    amount = amount * seg_days / period_days
            amount = amount.quantize(quantum, rounding=ROUND_HALF_UP)
            lines.append(
                ScheduleLine(period_index, seg_start, seg_end, interval_index, quantity, amount)
            )
            total += amount
            index += 1
            if one_time:
                break  # a one-time charge is billed once, in full, by the first interval
        if limited:
            total += _limit(lines, first_line, period_start, period_end, low, high)
        if one_time:
            break
    return Schedule(tuple(lines), total, currency)


def _limit(lines, first: int, start: date, end: date, low, high) -> Decimal:
    """Append the period's minimum top-up or maximum cap (both already rounded to the
    currency), if it needs one; return its amount."""
    billed = sum((line.amount for line in lines[first:]), ZERO)
    last = lines[-1]
    if low is not None and billed < low:
        kind, amount = MINIMUM, low - billed
    elif high is not None and billed > high:
        kind, amount = MAXIMUM, high - billed
    else:
        return ZERO
    lines.append(
        ScheduleLine(
            last.period_index, start, end, last.interval_index, last.quantity, amount, kind
        )
    )
    return amount


def _quantum(currency: str) -> Decimal:
    return QUANTUM[minor_unit(currency)]
