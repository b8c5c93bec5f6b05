"""The pricing engine: what a price costs for a period, and over a term, interval by interval.

Plain Python over plain values (dataclasses and ``Decimal``); no Django import, so the ORM,
admin, API and tests all call the same fast, self-contained arithmetic. Money stays
unrounded inside the engine (in the current decimal context: 28 significant digits by
default, ample for money) and is rounded half-up to the currency's minor unit once, per
output line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import pairwise

__all__ = [
    "ChargeModel",
    "DurationUnit",
    "Interval",
    "MinimumCommitResult",
    "PriceBook",
    "PriceFormat",
    "Schedule",
    "ScheduleLine",
    "Span",
    "Tier",
    "add_months",
    "count_deliveries",
    "interval_spans",
    "minimum_commit",
    "minor_unit",
    "percent_of_total",
    "period_amount",
    "round_money",
    "schedule",
]


class ChargeModel(StrEnum):
    FLAT_FEE = "flat_fee"
    PER_UNIT = "per_unit"
    VOLUME = "volume"
    TIERED = "tiered"
    OVERAGE = "overage"
    TIERED_WITH_OVERAGE = "tiered_with_overage"
    DELIVERY = "delivery"


class DurationUnit(StrEnum):
    DAY = "day"
    MONTH = "month"
    INFINITY = "infinity"


class PriceFormat(StrEnum):
    PER_UNIT = "per_unit"
    FLAT = "flat"


_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_ALL_WEEKDAYS = frozenset(range(7))
# Enum class attribute access goes through EnumType; module constants keep the hot path cheap.
_FLAT = PriceFormat.FLAT
_DELIVERY = ChargeModel.DELIVERY
_INFINITY = DurationUnit.INFINITY
_MONTH = DurationUnit.MONTH

# ISO 4217 minor-unit exponents that differ from the usual 2 (fund and metal codes left out).
_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(
        (
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}
_DEFAULT_EXPONENT = 2
# One quantizer per exponent, built once: quantize() is the only rounding the engine does.
_QUANTUM = {exponent: Decimal(1).scaleb(-exponent) for exponent in range(5)}


def _decimal(value: object, name: str) -> Decimal:
    """A finite Decimal from a Decimal, int or numeric string; floats are refused as inexact."""
    if type(value) is Decimal:
        result = value
    elif isinstance(value, (Decimal, int, str)) and not isinstance(value, bool):
        result = Decimal(value)
    else:
        raise TypeError(f"{name} must be a Decimal, int or str, not {type(value).__name__}.")
    if not result.is_finite():
        raise ValueError(f"{name} must be a finite number, not {result}.")
    return result


def _currency(code: str) -> str:
    """Normalize an ISO 4217 code: three ASCII letters, upper case."""
    if not isinstance(code, str) or len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ValueError(f"A currency is a three-letter ISO 4217 code, not {code!r}.")
    return code.upper()


# --- Price structure -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tier:
    """A band of units (start_unit, end_unit] priced per unit or as one flat amount."""

    start_unit: Decimal
    end_unit: Decimal | None
    price: Decimal
    price_format: PriceFormat = PriceFormat.PER_UNIT

    def __post_init__(self) -> None:
        start = _decimal(self.start_unit, "start_unit")
        end = None if self.end_unit is None else _decimal(self.end_unit, "end_unit")
        if start < 0:
            raise ValueError(f"A tier cannot start below 0 ({start}).")
        if end is not None and end <= start:
            raise ValueError(f"A tier ends above the unit it starts at ({start}–{end}).")
        price = _decimal(self.price, "price")
        if price < 0:
            raise ValueError(f"A tier's price cannot be negative ({price}).")
        object.__setattr__(self, "start_unit", start)
        object.__setattr__(self, "end_unit", end)
        object.__setattr__(self, "price", price)
        object.__setattr__(self, "price_format", PriceFormat(self.price_format))


# A tier flattened for the hot path: (start, end or None, price, is_flat).
_Band = tuple[Decimal, Decimal | None, Decimal, bool]


@dataclass(frozen=True, slots=True)
class Interval:
    """One step of interval pricing (Day(n), Month(n) or Infinity) with its price fields."""

    duration_unit: DurationUnit
    duration: int | None = None
    price: Decimal = _ZERO
    included_units: Decimal = _ZERO
    overage_price: Decimal = _ZERO
    tiers: tuple[Tier, ...] = ()
    # Precomputed once so period_amount() neither sorts nor reads enum attributes per call.
    _bands: tuple[_Band, ...] = field(default=(), init=False, repr=False, compare=False)
    _tiers_end: Decimal | None = field(default=_ZERO, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unit = DurationUnit(self.duration_unit)
        object.__setattr__(self, "duration_unit", unit)
        if unit is _INFINITY:
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
        for name in ("price", "included_units", "overage_price"):
            value = _decimal(getattr(self, name), name)
            if value < 0:
                raise ValueError(f"An interval's {name.replace('_', ' ')} cannot be negative.")
            object.__setattr__(self, name, value)
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
            (tier.start_unit, tier.end_unit, tier.price, tier.price_format is _FLAT)
            for tier in tiers
        )
        object.__setattr__(self, "_bands", bands)
        # Where "tiered with overage" stops using tiers: the last tier's end (None if open).
        object.__setattr__(self, "_tiers_end", tiers[-1].end_unit if tiers else _ZERO)


@dataclass(frozen=True, slots=True)
class PriceBook:
    """A price book item as the engine sees it: charge model, intervals in order, currency."""

    charge_model: ChargeModel
    intervals: tuple[Interval, ...]
    currency: str
    delivery_weekdays: frozenset[int] = frozenset()  # date.weekday(): 0=Monday … 6=Sunday

    def __post_init__(self) -> None:
        object.__setattr__(self, "charge_model", ChargeModel(self.charge_model))
        object.__setattr__(self, "intervals", tuple(self.intervals))
        object.__setattr__(self, "currency", _currency(self.currency))
        weekdays = frozenset(self.delivery_weekdays)
        if not weekdays <= _ALL_WEEKDAYS:
            raise ValueError("Delivery weekdays are numbers from 0 (Monday) to 6 (Sunday).")
        object.__setattr__(self, "delivery_weekdays", weekdays)


# --- Results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """The dates [start, end) during which the interval at interval_index applies."""

    start: date
    end: date
    interval_index: int


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    """One billed segment: a billing period, or the part of it inside one interval."""

    period_index: int
    start: date
    end: date  # exclusive
    interval_index: int
    quantity: Decimal
    amount: Decimal  # rounded to the currency's minor unit


@dataclass(frozen=True, slots=True)
class Schedule:
    """The amounts of one price over a term; total is the sum of the rounded line amounts."""

    lines: tuple[ScheduleLine, ...]
    total: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class MinimumCommitResult:
    """A minimum commitment against usage: what was used, what is owed on top, what is billed."""

    usage: Decimal
    commitment: Decimal
    true_up: Decimal
    billed: Decimal


# --- Money ---------------------------------------------------------------------------------


# Codes already checked, as given, so rounding a line costs one dict lookup. Only valid
# three-letter spellings are kept (8 × 26³ at the very most), so the cache stays bounded.
_SEEN_EXPONENTS: dict[str, int] = {}


def minor_unit(currency: str) -> int:
    """The ISO 4217 exponent of a currency (2 unless the table says otherwise)."""
    exponent = _SEEN_EXPONENTS.get(currency)
    if exponent is None:
        exponent = _EXPONENTS.get(_currency(currency), _DEFAULT_EXPONENT)
        _SEEN_EXPONENTS[currency] = exponent
    return exponent


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half-up (away from zero on a tie) to the currency's minor unit, once, at the end."""
    return amount.quantize(_QUANTUM[minor_unit(currency)], rounding=ROUND_HALF_UP)


# --- Charge models -------------------------------------------------------------------------


def _flat_fee(interval: Interval, quantity: Decimal, deliveries: int) -> Decimal:
    return interval.price


def _per_unit(interval: Interval, quantity: Decimal, deliveries: int) -> Decimal:
    return quantity * interval.price


def _volume(interval: Interval, quantity: Decimal, deliveries: int) -> Decimal:
    bands = interval._bands
    if not bands:
        raise ValueError("Volume pricing needs at least one tier.")
    # The first band whose end reaches q; a quantity beyond a finite last tier stays in it.
    band = bands[-1]
    for candidate in bands:
        end = candidate[1]
        if end is None or quantity <= end:
            band = candidate
            break
    price = band[2]
    return price if band[3] else quantity * price


def _tiered_sum(bands: tuple[_Band, ...], quantity: Decimal) -> Decimal:
    total = _ZERO
    for start, end, price, flat in bands:
        if quantity <= start:
            break  # bands are sorted: none further is touched
        if flat:
            total += price
        elif end is None or quantity <= end:
            total += (quantity - start) * price
        else:
            total += (end - start) * price
    return total


def _tiered(interval: Interval, quantity: Decimal, deliveries: int) -> Decimal:
    return _tiered_sum(interval._bands, quantity)


def _overage(interval: Interval, quantity: Decimal, deliveries: int) -> Decimal:
    above = quantity - interval.included_units
    return above * interval.overage_price if above > 0 else _ZERO


def _tiered_with_overage(interval: Interval, quantity: Decimal, deliveries: int) -> Decimal:
    amount = _tiered_sum(interval._bands, quantity)
    tiers_end = interval._tiers_end
    # An open last tier leaves nothing beyond it for the overage price.
    if tiers_end is not None and quantity > tiers_end:
        amount += (quantity - tiers_end) * interval.overage_price
    return amount


def _delivery(interval: Interval, quantity: Decimal, deliveries: int) -> Decimal:
    return interval.price * deliveries


_Handler = Callable[[Interval, Decimal, int], Decimal]
# Keyed by the enum members; StrEnum hashes as its string, so plain strings find them too.
_HANDLERS: dict[str, _Handler] = {
    ChargeModel.FLAT_FEE: _flat_fee,
    ChargeModel.PER_UNIT: _per_unit,
    ChargeModel.VOLUME: _volume,
    ChargeModel.TIERED: _tiered,
    ChargeModel.OVERAGE: _overage,
    ChargeModel.TIERED_WITH_OVERAGE: _tiered_with_overage,
    ChargeModel.DELIVERY: _delivery,
}


def period_amount(
    charge_model: ChargeModel, interval: Interval, quantity: Decimal, *, deliveries: int = 0
) -> Decimal:
    """The unrounded amount of one billing period for a quantity under one interval's prices."""
    if type(quantity) is not Decimal:
        quantity = _decimal(quantity, "quantity")
    elif not quantity.is_finite():
        raise ValueError(f"quantity must be a finite number, not {quantity}.")
    if quantity < 0:
        raise ValueError(f"quantity cannot be negative ({quantity}).")
    if deliveries < 0:
        raise ValueError(f"deliveries cannot be negative ({deliveries}).")
    handler = _HANDLERS.get(charge_model)
    if handler is None:
        raise ValueError(f"Unknown charge model {charge_model!r}.")
    if not quantity and handler is not _flat_fee:
        return _ZERO  # nothing bought, nothing owed; a flat fee is owed whatever the quantity
    return handler(interval, quantity, deliveries)


# --- Calendar ------------------------------------------------------------------------------

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def _month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, clamped to the month's end (31 Jan → 28 Feb)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year = day.year + years
    month = month0 + 1
    return date(year, month, min(day.day, _days_in_month(year, month)))


def count_deliveries(start: date, end: date, weekdays: frozenset[int]) -> int:
    """How many of [start, end) fall on the delivery weekdays, in O(1) rather than day by day."""
    if not weekdays <= _ALL_WEEKDAYS:
        raise ValueError("Delivery weekdays are numbers from 0 (Monday) to 6 (Sunday).")
    days = (end - start).days
    if days <= 0 or not weekdays:
        return 0
    weeks, rest = divmod(days, 7)
    # Whole weeks hold each weekday once; the 0–6 leftover days start on start's weekday.
    first = start.weekday()
    return weeks * len(weekdays) + sum(
        1 for offset in range(rest) if (first + offset) % 7 in weekdays
    )


def interval_spans(intervals: Sequence[Interval], start: date, until: date) -> list[Span]:
    """Which interval applies when in [start, until): contiguous, none after a finite end."""
    return [Span(*bounds) for bounds in _span_bounds(intervals, start, until)]


def _span_bounds(
    intervals: Sequence[Interval], start: date, until: date
) -> list[tuple[date, date, int]]:
    """interval_spans() as plain tuples, so schedule() builds no Span objects it throws away."""
    if not intervals:
        raise ValueError("A price needs at least one interval.")
    for number, interval in enumerate(intervals[:-1], start=1):
        if interval.duration_unit is _INFINITY:
            raise ValueError(f"Only the last interval may be Infinity (interval {number}).")
    bounds: list[tuple[date, date, int]] = []
    span_start = start
    # Consecutive Month intervals count months from the first one's start, like billing
    # periods do, so a 31st-of-month start does not drift to the 28th.
    anchor, months = start, 0
    for index, interval in enumerate(intervals):
        if span_start >= until:
            break
        unit = interval.duration_unit
        # An interval that outlasts the term ends with it: its end may lie past the calendar
        # (Day(2147483647) from today), and it is never computed.
        if unit is _INFINITY:
            span_end = until
        elif unit is _MONTH:
            months += interval.duration
            span_end = (
                add_months(anchor, months)
                if _month_number(anchor) + months <= _month_number(until)
                else until
            )
        elif interval.duration < (until - span_start).days:
            span_end = span_start + timedelta(days=interval.duration)
            anchor, months = span_end, 0
        else:
            span_end = until
        bounds.append((span_start, span_end if span_end < until else until, index))
        span_start = span_end
    return bounds


# --- Schedules -----------------------------------------------------------------------------


def schedule(
    price_book: PriceBook,
    *,
    quantity: Decimal,
    start: date,
    periods: int,
    period_months: int = 1,
    one_time: bool = False,
) -> Schedule:
    """Amounts per billing period over a term, split and prorated where the interval changes."""
    if not price_book.intervals:
        raise ValueError("A price needs at least one interval to be scheduled.")
    if periods < 1:
        raise ValueError(f"A schedule needs at least one billing period ({periods} given).")
    if period_months < 1:
        raise ValueError(f"A billing period lasts at least one month ({period_months} given).")
    quantity = _decimal(quantity, "quantity")
    if quantity < 0:
        raise ValueError(f"quantity cannot be negative ({quantity}).")

    charge_model = price_book.charge_model
    intervals = price_book.intervals
    currency = price_book.currency
    quantum = _QUANTUM[minor_unit(currency)]
    weekdays = price_book.delivery_weekdays
    delivery = charge_model is _DELIVERY
    if _month_number(start) + periods * period_months > _month_number(date.max):
        raise ValueError(
            f"{periods} billing periods of {period_months} month(s) from {start} end after "
            f"{date.max}, the last date the calendar holds."
        )
    spans = _span_bounds(intervals, start, add_months(start, periods * period_months))

    # A period's amount depends only on its interval (the quantity is fixed): price each
    # interval once, however many periods and segments it covers.
    full_amounts: list[Decimal | None] = [None] * len(intervals)
    span_count = len(spans)
    lines: list[ScheduleLine] = []
    total = _ZERO.quantize(quantum)
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
        index = span_index
        while index < span_count:
            span_start, span_end, interval_index = spans[index]
            if span_start >= period_end:
                break
            seg_start = span_start if span_start > period_start else period_start
            seg_end = span_end if span_end < period_end else period_end
            if delivery:
                # Deliveries are counted, not prorated: the segment owes what it delivers.
                deliveries = count_deliveries(seg_start, seg_end, weekdays)
                amount = period_amount(
                    charge_model, intervals[interval_index], quantity, deliveries=deliveries
                )
            else:
                amount = full_amounts[interval_index]
                if amount is None:
                    amount = period_amount(charge_model, intervals[interval_index], quantity)
                    full_amounts[interval_index] = amount
                seg_days = (seg_end - seg_start).days
                if seg_days != period_days and not one_time:
                    amount = amount * seg_days / period_days
            amount = amount.quantize(quantum, rounding=ROUND_HALF_UP)
            lines.append(
                ScheduleLine(period_index, seg_start, seg_end, interval_index, quantity, amount)
            )
            total += amount
            if one_time:
                # A one-time charge is billed once, in full, by the first segment's interval.
                return Schedule(tuple(lines), total, currency)
            index += 1
    return Schedule(tuple(lines), total, currency)


# --- Offering-level amounts ----------------------------------------------------------------


def percent_of_total(percent: Decimal, amounts: Iterable[Decimal], currency: str) -> Decimal:
    """A percent-of-total item's amount: ``percent`` % of the scoped items' total, rounded."""
    percent = _decimal(percent, "percent")
    if percent < 0:
        raise ValueError(f"A percentage cannot be negative ({percent}).")
    base = sum((_decimal(amount, "amount") for amount in amounts), _ZERO)
    return round_money(base * percent / _HUNDRED, currency)


def minimum_commit(
    commitment: Decimal, usage_amounts: Iterable[Decimal], currency: str
) -> MinimumCommitResult:
    """Usage against a minimum commitment: the customer pays the larger, the gap is a true-up."""
    commitment = round_money(_decimal(commitment, "commitment"), currency)
    if commitment < 0:
        raise ValueError(f"A commitment cannot be negative ({commitment}).")
    usage = round_money(
        sum((_decimal(amount, "usage amount") for amount in usage_amounts), _ZERO), currency
    )
    true_up = commitment - usage if commitment > usage else round_money(_ZERO, currency)
    return MinimumCommitResult(
        usage=usage, commitment=commitment, true_up=true_up, billed=max(commitment, usage)
    )
