"""Prices spelled out in words, e.g. "$4.75 per delivery for 365 days, then $9.50".

Works on the engine's view of a price (``PriceBookItem.to_engine()``), so the intervals and
tiers are already checked and sorted; money is formatted with Babel in the price's currency
and the reader's locale, unrounded (a price of 0.875 stays 0.875).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency, format_decimal

from catalog.models import Item
from pricing import engine

PERIOD_NOUNS = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}
WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
WEEKDAY_SETS = {
    frozenset(range(5)): "on weekdays",
    frozenset({5, 6}): "at weekends",
    frozenset(range(7)): "every day",
}

ONE_TIME = Item.Kind.ONE_TIME
MINIMUM_COMMIT = Item.Kind.MINIMUM_COMMIT
PERCENT_OF_TOTAL = Item.Kind.PERCENT_OF_TOTAL

_INFINITY = engine.DurationUnit.INFINITY
_TIERED_MODELS = {
    engine.ChargeModel.VOLUME,
    engine.ChargeModel.TIERED,
    engine.ChargeModel.TIERED_WITH_OVERAGE,
}


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

    def money(self, amount: Decimal) -> str:
        return format_currency(
            amount.normalize(), self.currency, locale=self.locale, decimal_quantization=False
        )

    def number(self, value: Decimal) -> str:
        return format_decimal(value.normalize(), locale=self.locale, decimal_quantization=False)


def price_sentence(book: engine.PriceBook, wording: Wording) -> str:
    """The whole price in one sentence: each interval, its duration, what follows."""
    if not book.intervals:
        raise ValueError("A price needs at least one interval.")
    if wording.item_kind == ONE_TIME:
        # A one-time charge is billed once, by the first interval (as the engine prices it).
        return _capitalized(f"{_interval_phrase(book, book.intervals[0], wording, True)}, one-time")
    parts = []
    for index, interval in enumerate(book.intervals):
        phrase = _interval_phrase(book, interval, wording, index == 0)
        if interval.duration_unit is not _INFINITY:
            phrase += f" for {duration_words(interval)}"
        parts.append(phrase)
    sentence = ", then ".join(parts)
    if book.intervals[-1].duration_unit is not _INFINITY:
        sentence += ", then no further charges"
    if book.charge_model is engine.ChargeModel.DELIVERY and book.delivery_weekdays:
        sentence += f"; delivered {weekday_words(book.delivery_weekdays)}"
    return _capitalized(sentence)


def duration_words(interval: engine.Interval) -> str:
    noun = "day" if interval.duration_unit is engine.DurationUnit.DAY else "month"
    return f"{interval.duration} {noun}{'' if interval.duration == 1 else 's'}"


def weekday_words(weekdays: frozenset[int]) -> str:
    if weekdays in WEEKDAY_SETS:
        return WEEKDAY_SETS[weekdays]
    names = [WEEKDAYS[day] for day in sorted(weekdays)]
    return "on " + (names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}")


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _interval_phrase(
    book: engine.PriceBook, interval: engine.Interval, wording: Wording, first: bool
) -> str:
    """One interval's prices; after the first, simple prices repeat only the amount."""
    model = book.charge_model
    money, period = wording.money, wording.period
    if wording.item_kind == PERCENT_OF_TOTAL:
        percent = f"{wording.number(interval.price)} %"
        return f"{percent} of the total of the items it covers" if first else percent
    if model is engine.ChargeModel.FLAT_FEE:
        if not first:
            return money(interval.price)
        if wording.item_kind == MINIMUM_COMMIT:
            return f"{money(interval.price)} minimum commitment{period}"
        return money(interval.price) + period
    if model is engine.ChargeModel.PER_UNIT:
        return money(interval.price) + (wording.per_unit + period if first else "")
    if model is engine.ChargeModel.DELIVERY:
        return money(interval.price) + (" per delivery" if first else "")
    if model is engine.ChargeModel.OVERAGE:
        phrase = money(interval.overage_price) + wording.per_unit + period
        if interval.included_units:
            phrase += f" beyond {wording.number(interval.included_units)} included"
        return phrase
    if model in _TIERED_MODELS:
        return _tiers_phrase(model, interval, wording)
    raise ValueError(f"Unknown charge model {model!r}.")


def _tiers_phrase(model: engine.ChargeModel, interval: engine.Interval, wording: Wording) -> str:
    if not interval.tiers:
        raise ValueError("Volume and tiered prices need at least one tier.")
    number = wording.number
    bands = []
    for tier in interval.tiers:
        if tier.price_format is engine.PriceFormat.FLAT:
            price = f"{wording.money(tier.price)} flat"
        else:
            price = wording.money(tier.price) + wording.per_unit
        if tier.end_unit is None:
            reach = (
                "for any quantity" if not tier.start_unit else f"above {number(tier.start_unit)}"
            )
        elif not tier.start_unit:
            reach = f"up to {number(tier.end_unit)}"
        else:
            reach = f"from {number(tier.start_unit)} to {number(tier.end_unit)}"
        bands.append(f"{price} {reach}")
    period = wording.period.strip()
    if model is engine.ChargeModel.VOLUME:
        lead = "volume price"
        tail = " (the band the quantity falls in prices every unit)"
    else:
        lead = "tiered price"
        tail = " (each band prices the units inside it)"
    phrase = f"{lead}{', ' + period if period else ''}: {', '.join(bands)}{tail}"
    last_end = interval.tiers[-1].end_unit
    if model is engine.ChargeModel.TIERED_WITH_OVERAGE and last_end is not None:
        phrase += (
            f", then {wording.money(interval.overage_price)}{wording.per_unit} "
            f"above {number(last_end)}"
        )
    return phrase
