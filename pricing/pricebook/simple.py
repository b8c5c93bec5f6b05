"""Charge models without tiers: flat fee, per unit, delivery, overage, package."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING

from pricing.pricebook.breakdown import DELIVERY, FLAT, INCLUDED, OVERAGE, PACKAGE, UNIT, Part
from pricing.pricebook.messages import pgettext_noop
from pricing.pricebook.money import ZERO
from pricing.pricebook.problems import Problem
from pricing.pricebook.registry import LIMITS, ChargeModel, register
from pricing.pricebook.structure import Interval

if TYPE_CHECKING:
    from pricing.pricebook.wording import Wording

_ONE = Decimal(1)


def units(size: str, unit: str, wording: Wording | None = None) -> str:
    """ "10 calls", "10 GB", "10 × 1,000 calls" (a unit that counts several already). The
    unit is the vendor's word: only English words get an English plural."""
    say = wording.say if wording else _english
    if not unit:
        return say(pgettext_noop("price", "{count} units"), count=size)
    if unit[0].isdigit():
        return say(pgettext_noop("price", "{count} × {unit}"), count=size, unit=unit)
    english = wording is None or wording.is_english
    if english and not (unit.endswith("s") or unit.isupper()):
        unit += "s"
    return say(pgettext_noop("price", "{count} {unit}"), count=size, unit=unit)


def _english(message: str, **values: object) -> str:
    return message.format(**values)


@register
class FlatFee(ChargeModel):
    name = "flat_fee"
    label = "Flat fee"
    summary = "The same price every period, whatever the quantity."
    fields = frozenset({"interval.price"})

    def amount(self, interval, quantity, deliveries):
        return interval.price

    def zero_amount(self, interval, flat_at_zero):
        return interval.price  # a flat fee is owed whatever the quantity

    def parts(self, interval, quantity, deliveries):
        return [Part(FLAT, _ONE, interval.price, interval.price)]

    def phrase(self, interval, wording, first):
        amount = wording.money(interval.price)
        if not first:
            return amount
        if wording.is_commitment:
            amount = wording.say(
                pgettext_noop("price", "{amount} minimum commitment"), amount=amount
            )
        return wording.periodic(amount)


@register
class PerUnit(ChargeModel):
    name = "per_unit"
    label = "Per unit"
    summary = "The quantity times the price."
    fields = frozenset({"interval.price"}) | LIMITS

    def amount(self, interval, quantity, deliveries):
        return quantity * interval.price

    def parts(self, interval, quantity, deliveries):
        return [Part(UNIT, quantity, interval.price, quantity * interval.price)]

    def phrase(self, interval, wording, first):
        # A later interval names the unit again ("then $22.00 per user"); the period once.
        price = wording.per_unit(wording.money(interval.price))
        return wording.periodic(price) if first else price


@register
class Delivery(ChargeModel):
    name = "delivery"
    label = "Delivery"
    summary = "The price for each delivery on the delivery weekdays, counted, not prorated."
    fields = frozenset({"interval.price", "price.delivery_weekdays"}) | LIMITS
    counts_deliveries = True

    def amount(self, interval, quantity, deliveries):
        return interval.price * deliveries

    def parts(self, interval, quantity, deliveries):
        return [Part(DELIVERY, Decimal(deliveries), interval.price, interval.price * deliveries)]

    def phrase(self, interval, wording, first):
        return wording.say(
            pgettext_noop("price", "{amount} per delivery"), amount=wording.money(interval.price)
        )


@register
class Overage(ChargeModel):
    name = "overage"
    label = "Overage"
    summary = "Included units are free; each unit beyond them costs the overage price."
    fields = frozenset({"interval.included_units", "interval.overage_price"}) | LIMITS

    def amount(self, interval, quantity, deliveries):
        above = quantity - interval.included_units
        return above * interval.overage_price if above > 0 else ZERO

    def parts(self, interval, quantity, deliveries):
        included = min(quantity, interval.included_units)
        above = quantity - included
        parts = [Part(INCLUDED, included, ZERO, ZERO)] if included else []
        if above > 0:
            parts.append(
                Part(OVERAGE, above, interval.overage_price, self.amount(interval, quantity, 0))
            )
        return parts

    def interval_problems(self, interval):
        if interval.overage_price > 0:
            return []
        return [Problem("an overage price is needed.", "interval.overage_price")]

    def phrase(self, interval, wording, first):
        phrase = wording.periodic(wording.per_unit(wording.money(interval.overage_price)))
        if interval.included_units:
            phrase = wording.say(
                pgettext_noop("price", "{price} beyond {count} included"),
                price=phrase,
                count=wording.number(interval.included_units),
            )
        return phrase


@register
class Package(ChargeModel):
    """Lago's package model, Kill Bill's blocks: every started package is billed whole."""

    name = "package"
    label = "Package"
    summary = (
        "The price per started package of units, after any free units "
        "(100 per package of 1,000: 1,001 units cost 200)."
    )
    fields = (
        frozenset({"interval.price", "interval.package_size", "interval.included_units"}) | LIMITS
    )

    def amount(self, interval: Interval, quantity, deliveries):
        billable = quantity - interval.included_units
        if billable <= 0:
            return ZERO
        packages = (billable / interval.package_size).to_integral_value(rounding=ROUND_CEILING)
        return packages * interval.price

    def parts(self, interval, quantity, deliveries):
        included = min(quantity, interval.included_units)
        parts = [Part(INCLUDED, included, ZERO, ZERO)] if included else []
        amount = self.amount(interval, quantity, deliveries)
        if quantity > included:
            packages = amount / interval.price if interval.price else Decimal(0)
            parts.append(Part(PACKAGE, packages, interval.price, amount))
        return parts

    def interval_problems(self, interval):
        size = interval.package_size
        if size is None or size <= 0:
            return [
                Problem(
                    "a package price needs a package size of more than 0 units.",
                    "interval.package_size",
                )
            ]
        return []

    def phrase(self, interval, wording, first):
        say = wording.say
        size = units(wording.number(interval.package_size or _ONE), wording.unit, wording)
        phrase = say(
            pgettext_noop("price", "{amount} per package of {size}"),
            amount=wording.money(interval.price),
            size=size,
        )
        phrase = wording.periodic(phrase)
        if interval.included_units:
            phrase = say(
                pgettext_noop("price", "{price}, the first {count} free"),
                price=phrase,
                count=wording.number(interval.included_units),
            )
        if first:
            phrase = say(
                pgettext_noop("price", "{price} (a started package is billed whole)"),
                price=phrase,
            )
        return phrase
