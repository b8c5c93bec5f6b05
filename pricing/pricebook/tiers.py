"""Charge models over tiers of units: volume, tiered (graduated), tiered with overage.

A tier is a band (start_unit, end_unit] with a flat amount owed once the band is reached
and a price per unit inside it (Stripe's ``flat_amount`` + ``unit_amount``, Lago's
graduated ranges, OpenMeter's ``flatPrice`` + ``unitPrice``); either may be 0.
"""

from __future__ import annotations

from decimal import Decimal

from pricing.pricebook.breakdown import OVERAGE, TIER, Part
from pricing.pricebook.messages import pgettext_noop
from pricing.pricebook.money import ZERO
from pricing.pricebook.problems import TIERS, Problem
from pricing.pricebook.registry import LIMITS, TIER_FIELDS, ChargeModel, register
from pricing.pricebook.structure import Band, Interval

_TIERS = TIER_FIELDS | LIMITS | {"price.flat_at_zero"}


def graduated(bands: tuple[Band, ...], quantity: Decimal) -> Decimal:
    """Each band prices the units inside it, plus its flat amount once it is reached."""
    total = ZERO
    for start, end, unit, flat, whole in bands:
        if quantity <= start:
            break  # bands are sorted: none further is touched
        if end is None or quantity <= end:
            return total + flat + (quantity - start) * unit
        total += whole  # flat + (end - start) * unit, computed once with the interval
    return total


def graduated_parts(bands: tuple[Band, ...], quantity: Decimal) -> list[Part]:
    """``graduated``'s sum, band by band: the units inside each band reached, at its price."""
    parts = []
    for start, end, unit, flat, _whole in bands:
        if quantity <= start:
            break
        inside = (quantity if end is None or quantity <= end else end) - start
        parts.append(Part(TIER, inside, unit, flat + inside * unit, flat, start, end))
    return parts


class _Tiered(ChargeModel):
    fields = _TIERS

    def parts(self, interval, quantity, deliveries):
        return graduated_parts(interval.bands, quantity)

    def zero_amount(self, interval: Interval, flat_at_zero: bool) -> Decimal:
        # OpenMeter and Lago (since 2026) bill the first tier's flat amount at zero usage;
        # by default a quantity of 0 costs nothing here, as it always has.
        return interval.bands[0][3] if flat_at_zero and interval.bands else ZERO

    lead = ""  # "volume price", marked for translation
    tail = "{phrase}"  # the phrase with the model's note, marked for translation

    def phrase(self, interval, wording, first):
        if not interval.tiers:
            raise ValueError("Volume and tiered prices need at least one tier.")
        say, number, money = wording.say, wording.number, wording.money
        bands = ""
        for tier in interval.tiers:
            unit, flat = tier.unit_price, tier.flat
            if flat and unit:
                price = say(
                    pgettext_noop("price", "{flat} + {price}"),
                    flat=money(flat),
                    price=wording.per_unit(money(unit)),
                )
            elif flat or (not unit and tier.price_format == "flat"):
                price = say(pgettext_noop("price", "{amount} flat"), amount=money(flat))
            else:
                price = wording.per_unit(money(unit))
            band = say(
                _reach(tier),
                price=price,
                start=number(tier.start_unit),
                end=(None if tier.end_unit is None else number(tier.end_unit)),
            )
            bands = (
                band
                if not bands
                else say(pgettext_noop("price", "{first}, {next}"), first=bands, next=band)
            )
        lead = wording.gettext(self.lead)
        if wording.period:
            lead = say(pgettext_noop("price", "{lead}, {period}"), lead=lead, period=wording.period)
        phrase = say(pgettext_noop("price", "{lead}: {bands}"), lead=lead, bands=bands)
        return say(self.tail, phrase=phrase)


def _reach(tier) -> str:
    """Where a tier's band lies, with its price: "$0.08 per GB from 100 to 1,000"."""
    if tier.end_unit is None:
        if not tier.start_unit:
            return pgettext_noop("price", "{price} for any quantity")
        return pgettext_noop("price", "{price} above {start}")
    if not tier.start_unit:
        return pgettext_noop("price", "{price} up to {end}")
    return pgettext_noop("price", "{price} from {start} to {end}")


@register
class Volume(_Tiered):
    name = "volume"
    label = "Volume"
    summary = "The tier the quantity falls in prices every unit (plus that tier's flat amount)."
    lead = pgettext_noop("price", "volume price")
    tail = pgettext_noop("price", "{phrase} (the band the quantity falls in prices every unit)")
    # 10 units at 10.00 each cost 100.00; 11 at 5.00 each, 55.00: more units can cost less.
    monotone = False

    def amount(self, interval, quantity, deliveries):
        bands = interval.bands
        if not bands:
            raise ValueError("Volume pricing needs at least one tier.")
        # The first band whose end reaches q; a quantity beyond a finite last tier stays in
        # the last one (the loop ends on it).
        for _start, end, unit, flat, _whole in bands:  # noqa: B007 (read after the loop)
            if end is None or quantity <= end:
                break
        return quantity * unit + flat if flat else quantity * unit

    def parts(self, interval, quantity, deliveries):
        for start, end, unit, flat, _whole in interval.bands:  # noqa: B007
            if end is None or quantity <= end:
                break
        return [Part(TIER, quantity, unit, self.amount(interval, quantity, 0), flat, start, end)]


@register
class Tiered(_Tiered):
    name = "tiered"
    label = "Tiered"
    summary = "Each tier prices the units inside it (graduated), plus its flat amount."
    lead = pgettext_noop("price", "tiered price")
    tail = pgettext_noop("price", "{phrase} (each band prices the units inside it)")

    def amount(self, interval, quantity, deliveries):
        return graduated(interval.bands, quantity)


@register
class TieredWithOverage(_Tiered):
    name = "tiered_with_overage"
    label = "Tiered with overage"
    summary = "Tiered up to the last tier's end; each unit above it costs the overage price."
    fields = _TIERS | {"interval.overage_price"}
    lead = pgettext_noop("price", "tiered price")
    tail = pgettext_noop("price", "{phrase} (each band prices the units inside it)")

    def amount(self, interval, quantity, deliveries):
        amount = graduated(interval.bands, quantity)
        tiers_end = interval.tiers_end
        # An open last tier leaves nothing beyond it for the overage price.
        if tiers_end is not None and quantity > tiers_end:
            amount += (quantity - tiers_end) * interval.overage_price
        return amount

    def parts(self, interval, quantity, deliveries):
        parts = graduated_parts(interval.bands, quantity)
        tiers_end = interval.tiers_end
        if tiers_end is not None and quantity > tiers_end:
            above = quantity - tiers_end
            parts.append(
                Part(OVERAGE, above, interval.overage_price, above * interval.overage_price)
            )
        return parts

    def interval_problems(self, interval):
        problems = []
        if interval.tiers and max(interval.tiers, key=lambda t: t.start_unit).end_unit is None:
            problems.append(
                Problem("with overage, the last tier ends where overage begins.", TIERS)
            )
        if interval.overage_price <= 0:
            problems.append(Problem("an overage price is needed.", "interval.overage_price"))
        return problems

    def phrase(self, interval, wording, first):
        phrase = super().phrase(interval, wording, first)
        last_end = interval.tiers[-1].end_unit
        if last_end is not None:
            phrase = wording.say(
                pgettext_noop("price", "{phrase}, then {price} above {end}"),
                phrase=phrase,
                price=wording.per_unit(wording.money(interval.overage_price)),
                end=wording.number(last_end),
            )
        return phrase
