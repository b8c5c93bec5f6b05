"""Charge models over tiers of units: volume, tiered (graduated), tiered with overage.

A tier is a band (start_unit, end_unit] with a flat amount owed once the band is reached
and a price per unit inside it (Stripe's ``flat_amount`` + ``unit_amount``, Lago's
graduated ranges, OpenMeter's ``flatPrice`` + ``unitPrice``); either may be 0.
"""

from __future__ import annotations

from decimal import Decimal

from pricing.pricebook.breakdown import OVERAGE, TIER, Part
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

    lead = ""
    tail = ""

    def phrase(self, interval, wording, first):
        if not interval.tiers:
            raise ValueError("Volume and tiered prices need at least one tier.")
        number = wording.number
        bands = []
        for tier in interval.tiers:
            unit, flat = tier.unit_price, tier.flat
            if flat and unit:
                price = f"{wording.money(flat)} + {wording.money(unit)}{wording.per_unit}"
            elif flat or (not unit and tier.price_format == "flat"):
                price = f"{wording.money(flat)} flat"
            else:
                price = wording.money(unit) + wording.per_unit
            if tier.end_unit is None:
                reach = (
                    "for any quantity"
                    if not tier.start_unit
                    else f"above {number(tier.start_unit)}"
                )
            elif not tier.start_unit:
                reach = f"up to {number(tier.end_unit)}"
            else:
                reach = f"from {number(tier.start_unit)} to {number(tier.end_unit)}"
            bands.append(f"{price} {reach}")
        period = wording.period.strip()
        return f"{self.lead}{', ' + period if period else ''}: {', '.join(bands)}{self.tail}"


@register
class Volume(_Tiered):
    name = "volume"
    label = "Volume"
    summary = "The tier the quantity falls in prices every unit (plus that tier's flat amount)."
    lead = "volume price"
    tail = " (the band the quantity falls in prices every unit)"
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
    lead = "tiered price"
    tail = " (each band prices the units inside it)"

    def amount(self, interval, quantity, deliveries):
        return graduated(interval.bands, quantity)


@register
class TieredWithOverage(_Tiered):
    name = "tiered_with_overage"
    label = "Tiered with overage"
    summary = "Tiered up to the last tier's end; each unit above it costs the overage price."
    fields = _TIERS | {"interval.overage_price"}
    lead = "tiered price"
    tail = " (each band prices the units inside it)"

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
            phrase += (
                f", then {wording.money(interval.overage_price)}{wording.per_unit} "
                f"above {wording.number(last_end)}"
            )
        return phrase
