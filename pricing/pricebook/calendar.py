"""Dates: months that do not drift, deliveries counted in O(1), which interval applies when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pricing.pricebook.structure import INFINITY, MONTH, WEEKDAYS, Interval

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True, slots=True)
class Span:
    """The dates [start, end) during which the interval at interval_index applies."""

    start: date
    end: date
    interval_index: int


def days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, clamped to the month's end (31 Jan → 28 Feb)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year = day.year + years
    month = month0 + 1
    return date(year, month, min(day.day, days_in_month(year, month)))


def period_ends(start: date, periods: int, months: int) -> list[date]:
    """``add_months(start, k * months)`` for k = 1 … periods, in one pass (a schedule's
    period ends, each counted from the start so a 31st does not drift)."""
    year, month0, day = start.year, start.month - 1, start.day
    ends = []
    for k in range(1, periods + 1):
        years, end0 = divmod(month0 + k * months, 12)
        end_year = year + years
        if day <= 28:
            ends.append(date(end_year, end0 + 1, day))
        else:
            ends.append(date(end_year, end0 + 1, min(day, days_in_month(end_year, end0 + 1))))
    return ends


def count_deliveries(start: date, end: date, weekdays: frozenset[int]) -> int:
    """How many of [start, end) fall on the delivery weekdays, in O(1) rather than day by day."""
    if not weekdays <= WEEKDAYS:
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
    return [Span(*bounds) for bounds in span_bounds(intervals, start, until)]


def span_bounds(
    intervals: Sequence[Interval], start: date, until: date
) -> list[tuple[date, date, int]]:
    """interval_spans() as plain tuples, so a schedule builds no Span objects it throws away."""
    if not intervals:
        raise ValueError("A price needs at least one interval.")
    for number, interval in enumerate(intervals[:-1], start=1):
        if interval.duration_unit is INFINITY:
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
        if unit is INFINITY:
            span_end = until
        elif unit is MONTH:
            months += interval.duration
            span_end = (
                add_months(anchor, months)
                if month_number(anchor) + months <= month_number(until)
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
