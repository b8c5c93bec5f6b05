"""Lines priced together: a percent of other lines' totals, and a minimum commitment.

A percent-of-total item's price holds percentages where other prices hold money; each
billing period takes the percentage of the interval that applies then. A minimum
commitment's price is the amount committed over the term; the line owes what usage did not
reach (the true-up).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pricing.pricebook.calendar import add_months, period_ends, span_bounds
from pricing.pricebook.money import HUNDRED, QUANTUM, ZERO, decimal, minor_unit, round_money
from pricing.pricebook.schedule import PERCENT, TRUE_UP, Schedule, ScheduleLine, schedule
from pricing.pricebook.snapshot import VERSION
from pricing.pricebook.structure import PriceBook

CHARGE, PERCENT_OF_TOTAL, MINIMUM_COMMIT = "charge", "percent_of_total", "minimum_commit"
# How a snapshot's version priced percent-of-total lines: 1 took the first interval's
# percentage for the whole term (the amounts sold then keep it); 2 takes each period's own.
FIRST_PERCENT_FOR_THE_TERM = 1
# Up to version 2 a commitment was trued up once, over the term; from 3 on, period by period.
TRUE_UP_OVER_THE_TERM = 2


@dataclass(frozen=True, slots=True)
class MinimumCommitResult:
    """A minimum commitment against usage: what was used, what is owed on top, what is billed."""

    usage: Decimal
    commitment: Decimal
    true_up: Decimal
    billed: Decimal


@dataclass(frozen=True)
class SaleLine:
    """One line of a sale as the engine prices it. ``role`` is the item's: an ordinary
    charge, a percent of total, or a minimum commitment; ``scope`` names the keys of the
    lines a percent or commitment applies to."""

    key: Hashable
    book: PriceBook
    quantity: Decimal
    period_months: int = 1
    one_time: bool = False
    role: str = CHARGE
    scope: frozenset = frozenset()
    version: int = VERSION


@dataclass(frozen=True)
class PricedLine:
    key: Hashable
    amount: Decimal
    schedule: Schedule | None  # None for a commitment (it has its result instead)
    commitment: MinimumCommitResult | None = None


def price_sale(lines: Sequence[SaleLine], *, start: date, periods: int) -> dict:
    """Every line's amount over the term: charges first, then what applies to them."""

    def own_schedule(line: SaleLine) -> Schedule:
        return schedule(
            line.book,
            quantity=line.quantity,
            start=start,
            periods=periods,
            period_months=line.period_months,
            one_time=line.one_time,
        )

    priced: dict[Hashable, PricedLine] = {}
    for line in lines:
        if line.role == CHARGE:
            result = own_schedule(line)
            priced[line.key] = PricedLine(line.key, result.total, result)
    charges = dict(priced)
    for line in lines:
        scoped = [charges[key] for key in sorted(line.scope, key=str) if key in charges]
        if line.role == PERCENT_OF_TOTAL:
            if line.version <= FIRST_PERCENT_FOR_THE_TERM:
                percent = line.book.intervals[0].price
                amount = percent_of_total(percent, [p.amount for p in scoped], line.book.currency)
                priced[line.key] = PricedLine(line.key, amount, None)
                continue
            result = percent_schedule(
                line.book,
                [p.schedule for p in scoped],
                start=start,
                periods=periods,
                period_months=line.period_months,
            )
            priced[line.key] = PricedLine(line.key, result.total, result)
        elif line.role == MINIMUM_COMMIT:
            committed = own_schedule(line)
            if line.version <= TRUE_UP_OVER_THE_TERM:
                result = minimum_commit(
                    committed.total, [p.amount for p in scoped], line.book.currency
                )
                priced[line.key] = PricedLine(line.key, result.true_up, committed, result)
                continue
            trued_up = true_up_schedule(
                committed,
                [p.schedule for p in scoped],
                start=start,
                periods=periods,
                period_months=line.period_months,
            )
            consumed = sum((row.base for row in trued_up.lines), ZERO)
            result = MinimumCommitResult(
                usage=consumed,
                commitment=committed.total,
                true_up=trued_up.total,
                billed=consumed + trued_up.total,
            )
            priced[line.key] = PricedLine(line.key, trued_up.total, trued_up, result)
    return priced


def _period_bounds(start: date, periods: int, period_months: int) -> list[tuple[date, date]]:
    ends = period_ends(start, periods, period_months)
    return list(zip([start, *ends[:-1]], ends, strict=True))


def _spread(lines: Iterable[ScheduleLine], bounds: list[tuple[date, date]]):
    """Each line's amount by the bounds it falls in: (index, part), split by days where a
    line straddles two (lines of another billing frequency)."""
    for line in lines:
        days = (line.end - line.start).days
        for index, (low, high) in enumerate(bounds):
            overlap = (min(line.end, high) - max(line.start, low)).days
            if overlap <= 0 and not (days == 0 and low <= line.start < high):
                continue
            yield index, line.amount if overlap >= days else line.amount * overlap / days


def true_up_schedule(
    committed: Schedule,
    usage: Iterable[Schedule],
    *,
    start: date,
    periods: int,
    period_months: int = 1,
) -> Schedule:
    """A minimum commitment period by period (seed 002): the period's commitment, what the
    usage lines it applies to consumed in that period, and the true-up,
    max(0, commitment − consumed), on one line per period (kind "true_up": ``committed``,
    ``base`` consumed, ``amount`` the true-up)."""
    currency = committed.currency
    quantum = QUANTUM[minor_unit(currency)]
    bounds = _period_bounds(start, periods, period_months)
    owed, used = [ZERO] * periods, [ZERO] * periods
    for index, part in _spread(committed.lines, bounds):
        owed[index] += part
    for schedule_ in usage:
        for index, part in _spread(schedule_.lines, bounds):
            used[index] += part
    lines, total = [], ZERO.quantize(quantum)
    for index, (low, high) in enumerate(bounds):
        if not owed[index] and not any(line.period_index == index for line in committed.lines):
            continue  # the commitment has ended
        commitment = owed[index].quantize(quantum, rounding=ROUND_HALF_UP)
        consumed = used[index].quantize(quantum, rounding=ROUND_HALF_UP)
        true_up = max(commitment - consumed, ZERO.quantize(quantum))
        lines.append(
            ScheduleLine(
                index, low, high, 0, Decimal(1), true_up, TRUE_UP, consumed, None, commitment
            )
        )
        total += true_up
    return Schedule(tuple(lines), total, currency)


def percent_schedule(
    book: PriceBook,
    bases: Iterable[Schedule],
    *,
    start: date,
    periods: int,
    period_months: int = 1,
) -> Schedule:
    """Period by period, the percentage that applies then (the price of the interval, as a
    number of percent) of the base lines' amounts; a base line that straddles an interval
    change is split by days."""
    currency = book.currency
    quantum = QUANTUM[minor_unit(currency)]
    spans = span_bounds(book.intervals, start, add_months(start, periods * period_months))
    span_dates = [(low, high) for low, high, _ in spans]
    owed: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for base in bases:
        for line in base.lines:
            for index, part in _spread((line,), span_dates):
                slot = owed[line.period_index, index]
                slot[0] += part
                slot[1] += part * book.intervals[index].price / HUNDRED
    lines, total = [], ZERO.quantize(quantum)
    for (period_index, index), (base, amount) in sorted(owed.items()):
        period_start = add_months(start, period_index * period_months)
        period_end = add_months(start, (period_index + 1) * period_months)
        span_start, span_end, _ = spans[index]
        amount = amount.quantize(quantum, rounding=ROUND_HALF_UP)
        lines.append(
            ScheduleLine(
                period_index,
                max(period_start, span_start),
                min(period_end, span_end),
                index,
                Decimal(1),
                amount,
                PERCENT,
                base.quantize(quantum, rounding=ROUND_HALF_UP),
                book.intervals[index].price,
            )
        )
        total += amount
    return Schedule(tuple(lines), total, currency)


def percent_of_total(percent: Decimal, amounts: Iterable[Decimal], currency: str) -> Decimal:
    """``percent`` % of the amounts' total, rounded once (how version 1 priced the term)."""
    percent = decimal(percent, "percent")
    if percent < 0:
        raise ValueError(f"A percentage cannot be negative ({percent}).")
    base = sum((decimal(amount, "amount") for amount in amounts), ZERO)
    return round_money(base * percent / HUNDRED, currency)


def minimum_commit(
    commitment: Decimal, usage_amounts: Iterable[Decimal], currency: str
) -> MinimumCommitResult:
    """Usage against a minimum commitment: the customer pays the larger, the gap is a true-up."""
    commitment = round_money(decimal(commitment, "commitment"), currency)
    if commitment < 0:
        raise ValueError(f"A commitment cannot be negative ({commitment}).")
    usage = round_money(
        sum((decimal(amount, "usage amount") for amount in usage_amounts), ZERO), currency
    )
    true_up = commitment - usage if commitment > usage else round_money(ZERO, currency)
    return MinimumCommitResult(
        usage=usage, commitment=commitment, true_up=true_up, billed=max(commitment, usage)
    )


def amounts(priced: Mapping[Hashable, PricedLine]) -> dict:
    return {key: line.amount for key, line in priced.items()}
