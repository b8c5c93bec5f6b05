"""A few processed quotes on the generated catalog, through the services the app uses
(``quote_create`` then ``quote_process``): the price selector picks each line's price, the
engine prices it, and the line freezes with the price's snapshot and history version.

Each quote sells an available Subscription offering with an active every-channel USD monthly
rate: its required item (5 units) and, when it has one, a usage item (100 units).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef

from catalog.generator.context import Context
from catalog.history_records import insert_history
from pricing.models import (
    Offering,
    OfferingItem,
    PriceBookItem,
    PriceInterval,
    PriceTier,
    Quote,
    Rate,
)
from pricing.quote_lines import QuoteLineSpec
from pricing.selling import quote_create, quote_process

CANDIDATES_PER_QUOTE = 5


def sellable_offerings(ctx: Context, count: int) -> list[Offering]:
    """``count`` offerings of the run that a USD quote on no channel can buy, picked at
    random from the run's first ones."""
    usd_monthly = Rate.objects.filter(
        offering=OuterRef("pk"),
        status=Rate.Status.ACTIVE,
        currency="USD",
        billing_frequency=Rate.BillingFrequency.MONTHLY,
        sales_channel__isnull=True,
        customer_group="",
    )
    candidates = list(
        Offering.objects.available(on=ctx.today)
        .filter(
            vendor__slug__startswith=f"{ctx.prefix}-",
            type=Offering.Type.SUBSCRIPTION,
        )
        .filter(Exists(usd_monthly))
        .select_related("vendor")
        .order_by("pk")[: count * CANDIDATES_PER_QUOTE]
    )
    return ctx.rng.sample(candidates, min(count, len(candidates)))


def write_price_history(offerings: list[Offering], reason: str) -> int:
    """History rows for the prices of ``offerings``: a sold line records its price's version,
    so a run without history still gives the prices it sells theirs."""
    ids = [offering.pk for offering in offerings]
    marks = ", ".join(["%s"] * len(ids))
    rates = f"SELECT id FROM {Rate._meta.db_table} WHERE offering_id IN ({marks})"
    prices = f"SELECT id FROM {PriceBookItem._meta.db_table} WHERE rate_id IN ({rates})"
    intervals = (
        f"SELECT id FROM {PriceInterval._meta.db_table} WHERE price_book_item_id IN ({prices})"
    )
    with transaction.atomic():
        insert_history(PriceBookItem, f"r.rate_id IN ({rates})", ids, by=None, reason=reason)
        insert_history(
            PriceInterval, f"r.price_book_item_id IN ({prices})", ids, by=None, reason=reason
        )
        insert_history(PriceTier, f"r.interval_id IN ({intervals})", ids, by=None, reason=reason)
    return PriceBookItem.history.filter(rate__offering_id__in=ids).count()


def write_quotes(ctx: Context, count: int, *, reason: str) -> list[Quote]:
    """``count`` quotes, each created and processed by the selling services."""
    if count == 0:
        return []
    offerings = sellable_offerings(ctx, count)
    if not ctx.options.history:
        write_price_history(offerings, reason)
    lines_of = {}
    for line in (
        OfferingItem.objects.filter(offering__in=offerings)
        .select_related("item")
        .order_by("offering_id", "pk")
    ):
        lines_of.setdefault(line.offering_id, []).append(line)
    quotes = []
    for number, offering in enumerate(offerings, start=1):
        held = lines_of[offering.pk]
        lines = [
            QuoteLineSpec(offering=offering, rate=None, item=line.item, quantity=Decimal(5))
            for line in held
            if line.required
        ]
        usage = next((line for line in held if line.item.kind == "usage"), None)
        if usage is not None:
            lines.append(
                QuoteLineSpec(offering=offering, rate=None, item=usage.item, quantity=Decimal(100))
            )
        quote = quote_create(
            vendor=offering.vendor,
            customer=f"{ctx.prefix.title()} customer {number}",
            currency="USD",
            lines=lines,
        )
        quotes.append(quote_process(quote=quote))
    return quotes
