"""Prices spelled out in words, e.g. "$4.75 per delivery for 365 days, then $9.50".

Each charge model words its own intervals (``ChargeModel.phrase``); this module joins
them, adds what applies to the whole price (deliveries, minimum and maximum), and formats
money with Babel in the price's currency and the reader's locale, unrounded (a price of
0.875 stays 0.875).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency, format_decimal

from pricing.pricebook.breakdown import DELIVERY, FLAT, INCLUDED, OVERAGE, PACKAGE, TIER, Part
from pricing.pricebook.structure import INFINITY, DurationUnit, Interval, PriceBook

PERIOD_NOUNS = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}
WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
WEEKDAY_SETS = {
    frozenset(range(5)): "on weekdays",
    frozenset({5, 6}): "at weekends",
    frozenset(range(7)): "every day",
}
ONE_TIME, MINIMUM_COMMIT, PERCENT_OF_TOTAL = "one_time", "minimum_commit", "percent_of_total"


@dataclass(frozen=True)
class Wording:
    """How one price is worded: its currency, the reader's locale, the item's unit and kind."""

    currency: str
    locale: str
    unit: str
    item_kind: str
    billing_frequency: str  # the rate's: monthly, quarterly, yearly

    @property
    def period(self) -> str:
        """ " per month", or nothing for a one-time item."""
        if self.item_kind == ONE_TIME:
            return ""
        return f" per {PERIOD_NOUNS.get(self.billing_frequency, self.billing_frequency)}"

    @property
    def per_unit(self) -> str:
        return f" per {self.unit}" if self.unit else ""

    @property
    def is_commitment(self) -> bool:
        return self.item_kind == MINIMUM_COMMIT

    def money(self, amount: Decimal) -> str:
        return format_currency(
            amount.normalize(), self.currency, locale=self.locale, decimal_quantization=False
        )

    def number(self, value: Decimal) -> str:
        return format_decimal(value.normalize(), locale=self.locale, decimal_quantization=False)


def price_sentence(book: PriceBook, wording: Wording) -> str:
    """The whole price in one sentence: each interval, its duration, what follows."""
    if not book.intervals:
        raise ValueError("A price needs at least one interval.")
    if wording.item_kind == ONE_TIME:
        # A one-time charge is billed once, by the first interval (as the engine prices it).
        return _capitalized(f"{_phrase(book, book.intervals[0], wording, True)}, one-time")
    parts = []
    for index, interval in enumerate(book.intervals):
        phrase = _phrase(book, interval, wording, index == 0)
        if interval.duration_unit is not INFINITY:
            phrase += f" for {duration_words(interval)}"
        parts.append(phrase)
    sentence = ", then ".join(parts)
    if book.intervals[-1].duration_unit is not INFINITY:
        sentence += ", then no further charges"
    if book.model.counts_deliveries and book.delivery_weekdays:
        sentence += f"; delivered {weekday_words(book.delivery_weekdays)}"
    return _capitalized(sentence + limit_words(book, wording))


def limit_words(book: PriceBook, wording: Wording) -> str:
    """ "; at least $50 and at most $500 per month", or nothing."""
    limits = []
    if book.minimum_amount is not None:
        limits.append(f"at least {wording.money(book.minimum_amount)}")
    if book.maximum_amount is not None:
        limits.append(f"at most {wording.money(book.maximum_amount)}")
    words = f"; {' and '.join(limits)}{wording.period}" if limits else ""
    if book.flat_at_zero:
        words += "; the first tier's flat amount is owed even at zero usage"
    return words


def duration_words(interval: Interval) -> str:
    noun = "day" if interval.duration_unit is DurationUnit.DAY else "month"
    return f"{interval.duration} {noun}{'' if interval.duration == 1 else 's'}"


def weekday_words(weekdays: frozenset[int]) -> str:
    if weekdays in WEEKDAY_SETS:
        return WEEKDAY_SETS[weekdays]
    names = [WEEKDAYS[day] for day in sorted(weekdays)]
    return "on " + (names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}")


def percent_words(percent: Decimal, wording: Wording) -> str:
    return f"{wording.number(percent)} %"


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _phrase(book: PriceBook, interval: Interval, wording: Wording, first: bool) -> str:
    if wording.item_kind == PERCENT_OF_TOTAL:
        percent = percent_words(interval.price, wording)
        return f"{percent} of the total of the items it covers" if first else percent
    return book.model.phrase(interval, wording, first)


def part_words(part: Part, wording: Wording) -> str:
    """One part of a billed amount: "3 GB × $0.10", "4 deliveries × $4.75",
    "tier 100–1,000: 50 calls × $0.40 + $5 flat"."""
    number, money = wording.number, wording.money
    count = number(part.count)
    things = units_word(part.count, wording.unit)
    if part.kind == DELIVERY:
        return f"{count} deliver{'y' if part.count == 1 else 'ies'} × {money(part.price)}"
    if part.kind == FLAT:
        return f"flat {money(part.price)}"
    if part.kind == INCLUDED:
        return f"{count} {things} included"
    if part.kind == OVERAGE:
        return f"{count} {things} over × {money(part.price)}"
    if part.kind == PACKAGE:
        return f"{count} package{'' if part.count == 1 else 's'} × {money(part.price)}"
    words = f"{count} {things} × {money(part.price)}"
    if part.flat:
        words += f" + {money(part.flat)} flat"
    if part.kind == TIER:
        end = "∞" if part.end is None else number(part.end)
        words = f"tier {number(part.start)}–{end}: {words}"
    return words


def units_word(count: Decimal, unit: str) -> str:
    if not unit:
        return "unit" if count == 1 else "units"
    if count == 1 or unit[0].isdigit() or unit.endswith("s") or unit.isupper():
        return unit
    return unit + "s"
