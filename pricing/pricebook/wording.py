"""Prices spelled out in words, e.g. "$4.75 per delivery for 365 days, then $9.50".

Each charge model words its own intervals (``ChargeModel.phrase``); this module joins
them, adds what applies to the whole price (deliveries, minimum and maximum), and formats
money with Babel in the price's currency and the reader's locale, unrounded (a price of
0.875 stays 0.875).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from babel.numbers import format_currency, format_decimal

from pricing.pricebook.breakdown import DELIVERY, FLAT, INCLUDED, OVERAGE, PACKAGE, TIER, Part
from pricing.pricebook.messages import npgettext_noop, pgettext_noop
from pricing.pricebook.structure import INFINITY, DurationUnit, Interval, PriceBook

PERIODS = {
    "monthly": pgettext_noop("price", "per month"),
    "quarterly": pgettext_noop("price", "per quarter"),
    "yearly": pgettext_noop("price", "per year"),
}
WEEKDAYS = (
    pgettext_noop("price", "Mondays"),
    pgettext_noop("price", "Tuesdays"),
    pgettext_noop("price", "Wednesdays"),
    pgettext_noop("price", "Thursdays"),
    pgettext_noop("price", "Fridays"),
    pgettext_noop("price", "Saturdays"),
    pgettext_noop("price", "Sundays"),
)
WEEKDAY_SETS = {
    frozenset(range(5)): pgettext_noop("price", "on weekdays"),
    frozenset({5, 6}): pgettext_noop("price", "at weekends"),
    frozenset(range(7)): pgettext_noop("price", "every day"),
}
DURATIONS = {
    DurationUnit.DAY: npgettext_noop("price", "{count} day", "{count} days"),
    DurationUnit.MONTH: npgettext_noop("price", "{count} month", "{count} months"),
}
ONE_TIME, MINIMUM_COMMIT, PERCENT_OF_TOTAL = "one_time", "minimum_commit", "percent_of_total"


def _same(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


@dataclass(frozen=True)
class Wording:
    """How one price is worded: its currency, the reader's locale, the item's unit and kind,
    and the language of its words with their translation (``gettext(message)`` and
    ``ngettext(singular, plural, n)``; English by default)."""

    currency: str
    locale: str
    unit: str
    item_kind: str
    billing_frequency: str  # the rate's: monthly, quarterly, yearly
    gettext: Callable[[str], str] = field(default=_same, compare=False, repr=False)
    ngettext: Callable[[str, str, int], str] = field(
        default=_english_plural, compare=False, repr=False
    )
    language: str = "en"  # of the words; the unit is vendor data and English plurals only here

    def say(self, message: str, **values: object) -> str:
        """A marked message, translated, with its placeholders filled in."""
        return self.gettext(message).format(**values)

    def say_count(self, forms: tuple[str, str], count: int, **values: object) -> str:
        """A marked message with a plural form, the one for ``count``, filled in."""
        return self.ngettext(*forms, count).format(count=count, **values)

    @property
    def is_english(self) -> bool:
        return self.language.split("-")[0].split("_")[0].lower() == "en"

    @property
    def period(self) -> str:
        """ "per month", or nothing for a one-time item."""
        if self.item_kind == ONE_TIME:
            return ""
        noun = PERIODS.get(self.billing_frequency)
        if noun is None:
            return self.say(pgettext_noop("price", "per {period}"), period=self.billing_frequency)
        return self.gettext(noun)

    def periodic(self, price: str) -> str:
        """ "$12.00 per user per month": a price and the period it is billed for, if any."""
        period = self.period
        if not period:
            return price
        return self.say(pgettext_noop("price", "{price} {period}"), price=price, period=period)

    def per_unit(self, amount: str) -> str:
        """ "$12.00 per user", or the amount alone for an item without a unit."""
        if not self.unit:
            return amount
        return self.say(
            pgettext_noop("price", "{amount} per {unit}"), amount=amount, unit=self.unit
        )

    @property
    def is_commitment(self) -> bool:
        return self.item_kind == MINIMUM_COMMIT

    def money(self, amount: Decimal) -> str:
        return format_currency(
            amount.normalize(), self.currency, locale=self.locale, decimal_quantization=False
        )

    def number(self, value: Decimal) -> str:
        return format_decimal(value.normalize(), locale=self.locale, decimal_quantization=False)


ENGLISH = Wording("USD", "en", "", "", "")  # words alone, untranslated (weekday_words)


def price_sentence(book: PriceBook, wording: Wording) -> str:
    """The whole price in one sentence: each interval, its duration, what follows."""
    if not book.intervals:
        raise ValueError("A price needs at least one interval.")
    say = wording.say
    if wording.item_kind == ONE_TIME:
        # A one-time charge is billed once, by the first interval (as the engine prices it).
        phrase = _phrase(book, book.intervals[0], wording, True)
        return _capitalized(say(pgettext_noop("price", "{price}, one-time"), price=phrase))
    sentence = ""
    for index, interval in enumerate(book.intervals):
        phrase = _phrase(book, interval, wording, index == 0)
        if interval.duration_unit is not INFINITY:
            phrase = say(
                pgettext_noop("price", "{price} for {duration}"),
                price=phrase,
                duration=duration_words(interval, wording),
            )
        if index == 0:
            sentence = phrase
        else:
            sentence = say(
                pgettext_noop("price", "{before}, then {after}"), before=sentence, after=phrase
            )
    if book.intervals[-1].duration_unit is not INFINITY:
        sentence = say(pgettext_noop("price", "{before}, then no further charges"), before=sentence)
    if book.model.counts_deliveries and book.delivery_weekdays:
        sentence = say(
            pgettext_noop("price", "{before}; delivered {days}"),
            before=sentence,
            days=weekday_words(book.delivery_weekdays, wording),
        )
    return _capitalized(limit_words(sentence, book, wording))


def limit_words(sentence: str, book: PriceBook, wording: Wording) -> str:
    """The sentence, then "; at least $50 and at most $500 per month", if there are limits."""
    say = wording.say
    low, high = book.minimum_amount, book.maximum_amount
    limits = None
    if low is not None:
        limits = say(pgettext_noop("price", "at least {amount}"), amount=wording.money(low))
    if high is not None:
        most = say(pgettext_noop("price", "at most {amount}"), amount=wording.money(high))
        limits = most if limits is None else _both(limits, most, wording)
    if limits is not None:
        sentence = say(
            pgettext_noop("price", "{before}; {limits}"),
            before=sentence,
            limits=wording.periodic(limits),
        )
    if book.flat_at_zero:
        sentence = say(
            pgettext_noop(
                "price", "{before}; the first tier's flat amount is owed even at zero usage"
            ),
            before=sentence,
        )
    return sentence


def duration_words(interval: Interval, wording: Wording = ENGLISH) -> str:
    unit = DurationUnit.DAY if interval.duration_unit is DurationUnit.DAY else DurationUnit.MONTH
    return wording.say_count(DURATIONS[unit], interval.duration)


def weekday_words(weekdays: frozenset[int], wording: Wording = ENGLISH) -> str:
    if weekdays in WEEKDAY_SETS:
        return wording.gettext(WEEKDAY_SETS[weekdays])
    names = [wording.gettext(WEEKDAYS[day]) for day in sorted(weekdays)]
    days = names[0]
    for index, name in enumerate(names[1:], start=2):
        if index < len(names):
            days = wording.say(pgettext_noop("price", "{first}, {next}"), first=days, next=name)
        else:
            days = _both(days, name, wording)
    return wording.say(pgettext_noop("price", "on {days}"), days=days)


def _both(first: str, last: str, wording: Wording) -> str:
    return wording.say(pgettext_noop("price", "{first} and {last}"), first=first, last=last)


def percent_words(percent: Decimal, wording: Wording) -> str:
    return f"{wording.number(percent)} %"


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _phrase(book: PriceBook, interval: Interval, wording: Wording, first: bool) -> str:
    if wording.item_kind == PERCENT_OF_TOTAL:
        percent = percent_words(interval.price, wording)
        if not first:
            return percent
        return wording.say(
            pgettext_noop("price", "{percent} of the total of the items it covers"),
            percent=percent,
        )
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
