"""Checks of one price book item: volume cliffs, an overage cheaper than its last tier, tiers
with gaps or overlaps, and intervals no term can reach. Plain Python over a loaded price.

The engine (``pricing.pricebook``) prices each quantity the checks try, so a finding is
what a quote would really charge.
"""

from __future__ import annotations

from decimal import Decimal

from insights.curves import find_cliff
from pricing import pricebook
from pricing.bounds import MAX_PERIODS
from pricing.pricebook.money import exact, trimmed
from pricing.pricebook.validation import TierSpec, tier_problems

from .findings import ERROR, WARNING, Finding

DAYS_PER_MONTH_AT_MOST = 31


def price_subject(price, number: int | None = None) -> str:
    """ "PRO-M in rate 'Standard USD'", with ", interval 2" when it has several."""
    subject = f"{price.item.mpn} in rate {price.rate.name!r}"
    return f"{subject}, interval {number}" if number is not None else subject


def check_price(price, offering) -> list[Finding]:
    """Every finding of one price book item (intervals and tiers prefetched)."""
    intervals = list(price.intervals.all())
    several = len(intervals) > 1

    def finding(severity, code, message, fix, number=None):
        return Finding(
            severity,
            code,
            price_subject(price, number if several else None),
            message,
            fix,
            offering.pk,
            offering.name,
        )

    model = pricebook.REGISTRY.get(price.charge_model)
    if model is None:
        return [
            finding(
                ERROR,
                "unknown_charge_model",
                f"Unknown charge model {price.charge_model!r}.",
                "Choose one of the known charge models.",
            )
        ]
    found = []
    if model.uses_tiers:
        for number, interval in enumerate(intervals, 1):
            found += _tier_findings(finding, price, interval, number)
    if found:
        return found  # the engine cannot price tiers that overlap: nothing more to try
    try:
        book = price.to_engine(intervals)
    except ValueError as exc:
        return [finding(ERROR, "unreadable_price", f"The engine cannot read this price: {exc}",
                        "Open the price and save it again with valid values.")]  # fmt: skip
    for number, interval in enumerate(book.intervals, 1):
        found += _cliffs(finding, book, interval, number)
        if price.charge_model == "tiered_with_overage" and interval.tiers:
            last = interval.tiers[-1]
            if interval.overage_price < last.unit_price:
                money = book.currency
                overage, unit = (
                    trimmed(v, money) for v in (interval.overage_price, last.unit_price)
                )
                found.append(
                    finding(
                        WARNING,
                        "overage_below_last_tier",
                        f"Each unit above {exact(last.end_unit)} costs {overage} {money}, less "
                        f"than the {unit} {money} of the last tier's units.",
                        f"Raise the overage price to at least {unit} {money}.",
                        number,
                    )
                )
    found += _unreachable(finding, price, book)
    return found


def _tier_code(problem: str) -> str:
    for word in ("overlap", "gap"):
        if word in problem:
            return f"tier_{word}"
    return "tier_rules"


def _tier_findings(finding, price, interval, number) -> list[Finding]:
    tiers = list(interval.tiers.all())
    specs = [
        TierSpec(t.start_unit, t.end_unit, t.price, t.price_format, t.flat_amount) for t in tiers
    ]
    found = []
    for problem in tier_problems(specs):
        found.append(
            finding(ERROR, _tier_code(problem), f"Tiers: {problem}",
                    "Edit the tiers so each starts where the previous one ends, from 0.", number)
        )  # fmt: skip
    if not found and tiers and price.charge_model == "tiered" and tiers[-1].end_unit is not None:
        end = exact(tiers[-1].end_unit)
        found.append(
            finding(
                ERROR,
                "tier_gap_above_last",
                f"The last tier ends at {end}: every unit above {end} is free.",
                f"Leave the last tier open-ended, or use tiered with overage above {end}.",
                number,
            )
        )
    return found


def _cliffs(finding, book, interval, number) -> list[Finding]:
    """A larger quantity that costs less in total than a smaller one (``curves.find_cliff``:
    the price curve marks the same one)."""
    cliff = find_cliff(book, interval)
    if cliff is None:
        return []
    money = book.currency
    return [
        finding(
            WARNING,
            "volume_cliff",
            f"{exact(cliff.quantity)} units cost {cliff.amount} {money} a period, less than "
            f"{exact(cliff.dearer_quantity)} units at {cliff.dearer_amount} {money}: buying "
            "more costs less.",
            _cliff_fix(interval, cliff.quantity, cliff.dearer_amount - cliff.amount, money),
            number,
        )
    ]


def _cliff_fix(interval, quantity, missing, money) -> str:
    starts = [tier.start_unit for tier in interval.tiers if tier.start_unit < quantity]
    if not starts:
        return f"Make {exact(quantity)} units cost at least {missing} {money} more."
    return (
        f"Give the tier above {exact(max(starts))} a flat amount of at least {missing} {money}, "
        "or use tiered (graduated) pricing."
    )


def _unreachable(finding, price, book) -> list[Finding]:
    """Intervals that start after the longest term the price's rate can be quoted for
    (``pricing.bounds.MAX_PERIODS`` of its billing periods)."""
    term_months = MAX_PERIODS * price.rate.period_months
    months = Decimal(0)  # the earliest an interval can start, in months
    for number, interval in enumerate(book.intervals, 1):
        if months >= term_months:
            later = len(book.intervals) - number
            more = f" (and the {later} after it)" if later else ""
            return [
                finding(
                    WARNING,
                    "interval_unreachable",
                    f"Interval {number}{more} starts after at least {int(months)} months; no "
                    f"term of rate {price.rate.name!r} lasts longer than {term_months} months "
                    f"({MAX_PERIODS} {price.rate.billing_frequency} periods).",
                    "Shorten the intervals before it, or remove the intervals no term reaches.",
                    number,
                )
            ]
        if interval.duration_unit == "month":
            months += interval.duration
        elif interval.duration_unit == "day":
            months += Decimal(interval.duration) / DAYS_PER_MONTH_AT_MOST
    return []
