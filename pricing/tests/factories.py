"""factory-boy factories for pricing."""

from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from catalog.models import Item
from catalog.tests.factories import ItemFactory, ProductFactory, VendorFactory
from pricing import models


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Offering

    vendor = factory.SubFactory(VendorFactory)
    name = factory.Sequence(lambda n: f"Offering {n}")
    type = models.Offering.Type.SUBSCRIPTION
    start_date = date(2026, 1, 1)


class OfferingItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OfferingItem

    offering = factory.SubFactory(OfferingFactory)
    item = factory.SubFactory(
        ItemFactory,
        product=factory.SubFactory(
            ProductFactory, vendor=factory.SelfAttribute("...offering.vendor")
        ),
    )
    default_quantity = 1
    required = False


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Rate

    offering = factory.SubFactory(OfferingFactory)
    name = factory.Sequence(lambda n: f"Rate {n}")
    currency = "USD"
    billing_frequency = models.Rate.BillingFrequency.MONTHLY
    status = models.Rate.Status.DRAFT


class PriceBookItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PriceBookItem

    rate = factory.SubFactory(RateFactory)
    item = factory.SubFactory(ItemFactory)
    charge_model = "per_unit"
    pricing_type = models.PriceBookItem.PricingType.REGULAR


class PriceIntervalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PriceInterval

    price_book_item = factory.SubFactory(PriceBookItemFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    duration_unit = models.PriceInterval.DurationUnit.INFINITY
    price = Decimal("10.00")


class PriceTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PriceTier

    interval = factory.SubFactory(PriceIntervalFactory)
    start_unit = Decimal(0)
    end_unit = None
    price = Decimal("1.00")


def subscription_offering(vendor, *, kinds=(Item.Kind.SUBSCRIPTION,), **kwargs):
    """An offering of ``vendor`` holding one item of each of ``kinds``."""
    offering = OfferingFactory(vendor=vendor, **kwargs)
    product = ProductFactory(vendor=vendor)
    for kind in kinds:
        OfferingItemFactory(offering=offering, item=ItemFactory(product=product, kind=kind))
    return offering


def priced_offering(
    vendor,
    *,
    items: int = 1,
    rates: int = 1,
    intervals: int = 1,
    tiers: int = 0,
    currency: str = "USD",
):
    """An offering with ``items`` subscription items priced in ``rates`` rates."""
    offering = OfferingFactory(vendor=vendor)
    product = ProductFactory(vendor=vendor)
    lines = [
        OfferingItemFactory(offering=offering, item=ItemFactory(product=product))
        for _ in range(items)
    ]
    for _ in range(rates):
        rate = RateFactory(offering=offering, currency=currency)
        for line in lines:
            pbi = PriceBookItemFactory(
                rate=rate,
                item=line.item,
                charge_model="tiered" if tiers else "per_unit",
                pricing_type="interval" if intervals > 1 else "regular",
            )
            price_intervals(pbi, intervals=intervals, tiers=tiers, months=12)
    return offering


def price_intervals(pbi, *, intervals: int, tiers: int, months: int) -> None:
    """``intervals`` intervals of ``months`` (the last one open-ended), each of ``tiers`` tiers
    ten units wide, priced from 1.00 down by 0.10 a tier."""
    for number in range(1, intervals + 1):
        last = number == intervals
        interval = PriceIntervalFactory(
            price_book_item=pbi,
            sequence=number,
            duration_unit="infinity" if last else "month",
            duration=None if last else months,
        )
        for t in range(tiers):
            PriceTierFactory(
                interval=interval,
                start_unit=Decimal(t * 10),
                end_unit=None if t == tiers - 1 else Decimal((t + 1) * 10),
                price=Decimal("1.00") - Decimal(t) / 10,
            )


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Quote

    vendor = factory.SubFactory(VendorFactory)
    customer = factory.Sequence(lambda n: f"Customer {n}")
    currency = "USD"
    start_date = date(2026, 1, 1)
    status = models.Quote.Status.DRAFT
    processed_at = factory.LazyAttribute(
        lambda quote: timezone.now() if quote.status == models.Quote.Status.PROCESSED else None
    )


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Contract

    quote = factory.SubFactory(QuoteFactory)
    vendor = factory.SelfAttribute("quote.vendor")
    customer = factory.SelfAttribute("quote.customer")
    start_date = date(2026, 1, 1)
    end_date = date(2026, 12, 31)


def selling_rows(offering, size: int):
    """``size`` quotes with a line, a contract each, and a refusal: rows for list pages."""
    rate = offering.rates.first()
    line = offering.offering_items.first()
    for _ in range(size):
        quote = QuoteFactory(vendor=offering.vendor)
        models.QuoteLine.objects.create(
            quote=quote, offering=offering, rate=rate, item=line.item, quantity=1
        )
        contract = ContractFactory(quote=quote)
        models.ContractOffering.objects.create(contract=contract, offering=offering)
        models.LockRefusal.objects.create(
            offering=offering, code="OFFERING_LOCKED", attempted="add item", reasons=["test"]
        )


def percent_of_total_offering(vendor, *, seat_price, seats, percents, pricing_type="regular"):
    """A support item at ``percents`` (IntervalSpecs whose price is the percentage) of the
    seats it covers, each in its own offering as seed 002 has it: a Percent of Total offering
    holding the support item alone, and a Subscription offering selling the seats per unit at
    ``seat_price``, ``seats`` by default; an active USD rate each. Built through the services,
    as a vendor would."""
    from pricing import rates, services
    from pricing.pricebook import IntervalSpec

    product = ProductFactory(vendor=vendor)
    seat = ItemFactory(product=product, kind=Item.Kind.SUBSCRIPTION, mpn="SEATS")
    support = ItemFactory(product=product, kind=Item.Kind.PERCENT_OF_TOTAL, mpn="SUPPORT")

    def offering(name, offering_type, line):
        made = services.offering_create(
            vendor=vendor, name=name, type=offering_type, start_date=date(2026, 1, 1)
        )
        services.offering_set_items(offering=made, lines=[line])
        return made, rates.rate_create(offering=made, name="USD", currency="USD")

    seats_offering, seats_rate = offering(
        "Seats", "subscription", services.OfferingLine(item=seat, default_quantity=seats)
    )
    rates.price_book_item_save(
        rate=seats_rate,
        item=seat,
        charge_model="per_unit",
        intervals=[IntervalSpec(price=Decimal(seat_price))],
    )
    support_offering, rate = offering(
        "Support",
        "percent_of_total",
        services.OfferingLine(item=support, default_quantity=1, applies_to=(seat,)),
    )
    price = rates.price_book_item_save(
        rate=rate,
        item=support,
        charge_model="flat_fee",
        pricing_type=pricing_type,
        intervals=percents,
    )
    rates.rate_activate(rate=seats_rate)
    rates.rate_activate(rate=rate)
    return {
        "offering": support_offering,
        "rate": rate,
        "seats": seat,
        "percent": support,
        "price": price,
        "seats_offering": seats_offering,
        "seats_rate": seats_rate,
    }


@contextmanager
def rules_before_0007():
    """The composition rules before migration 0007, when a minimum-commit or percent-of-total
    offering also held the items it applied to: for building what was sold back then."""
    from pricing.rules import ALLOWED_KINDS

    saved = dict(ALLOWED_KINDS)
    kind, kinds = Item.Kind, models.Offering.Type
    ALLOWED_KINDS[kinds.MINIMUM_COMMIT] = {kind.MINIMUM_COMMIT, kind.USAGE}
    ALLOWED_KINDS[kinds.PERCENT_OF_TOTAL] = {kind.PERCENT_OF_TOTAL, kind.SUBSCRIPTION}
    try:
        yield
    finally:
        ALLOWED_KINDS.update(saved)


def legacy_percent_of_total_offering(vendor, *, seat_price, seats, percents):
    """``percent_of_total_offering`` as it was built before migration 0007: one offering
    holding the support item and the seats, priced on one active USD rate."""
    from pricing import rates, services
    from pricing.pricebook import IntervalSpec

    product = ProductFactory(vendor=vendor)
    seat = ItemFactory(product=product, kind=Item.Kind.SUBSCRIPTION, mpn="SEATS")
    support = ItemFactory(product=product, kind=Item.Kind.PERCENT_OF_TOTAL, mpn="SUPPORT")
    with rules_before_0007():
        offering = services.offering_create(
            vendor=vendor, name="Support", type="percent_of_total", start_date=date(2026, 1, 1)
        )
        services.offering_set_items(
            offering=offering,
            lines=[
                services.OfferingLine(item=support, default_quantity=1, applies_to=(seat,)),
                services.OfferingLine(item=seat, default_quantity=seats),
            ],
        )
    rate = rates.rate_create(offering=offering, name="USD", currency="USD")
    for item, model, intervals in (
        (seat, "per_unit", [IntervalSpec(price=Decimal(seat_price))]),
        (support, "flat_fee", percents),
    ):
        rates.price_book_item_save(
            rate=rate,
            item=item,
            charge_model=model,
            pricing_type="interval" if len(intervals) > 1 else "regular",
            intervals=intervals,
        )
    rates.rate_activate(rate=rate)
    return {"offering": offering, "rate": rate, "seats": seat, "percent": support}
