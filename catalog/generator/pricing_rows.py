"""The pricing side of a generated product: its offerings, their items and scopes, rates
(active and draft, some for one sales channel or customer group), and a price book item for
every (rate, offering item) with its intervals and tiers.

Rows obey ``pricing.rules``: a Subscription offering holds the product's subscription, usage
and one-time items (the first subscription required); a minimum commitment or a percent of
total is an offering of its one item, whose scope names the product's usage or subscription
items. An offering's items are its vendor's; a channel rate sells in its channel's currency;
no two prices of an offering share item, currency, frequency, channel and customer group.
"""

from __future__ import annotations

from datetime import timedelta

from catalog.generator.context import Context, ProductRows
from catalog.generator.prices import PriceLibrary
from catalog.models import Item
from pricing.models import (
    Offering,
    OfferingItem,
    OfferingItemScope,
    PriceBookItem,
    PriceInterval,
    PriceTier,
    Rate,
)

K = Item.Kind
T = Offering.Type
COLUMNS = {
    Offering: (
        "id",
        "vendor_id",
        "name",
        "description",
        "status",
        "type",
        "start_date",
        "end_date",
    ),
    OfferingItem: ("id", "offering_id", "item_id", "default_quantity", "required"),
    OfferingItemScope: ("id", "offering_item_id", "item_id"),
    Rate: (
        "id",
        "offering_id",
        "name",
        "currency",
        "billing_frequency",
        "sales_channel_id",
        "customer_group",
        "status",
    ),
    PriceBookItem: (
        "id",
        "rate_id",
        "item_id",
        "charge_model",
        "pricing_type",
        "custom_attributes",
        "delivery_weekdays",
        "minimum_amount",
        "maximum_amount",
        "flat_at_zero",
    ),
    PriceInterval: (
        "id",
        "price_book_item_id",
        "sequence",
        "duration_unit",
        "duration",
        "price",
        "included_units",
        "overage_price",
        "package_size",
    ),
    PriceTier: (
        "id",
        "interval_id",
        "start_unit",
        "end_unit",
        "price",
        "price_format",
        "flat_amount",
    ),
}
MAIN_KINDS = (K.SUBSCRIPTION, K.USAGE, K.ONE_TIME)
SCOPE = {
    T.MINIMUM_COMMIT: (K.MINIMUM_COMMIT, K.USAGE),
    T.PERCENT_OF_TOTAL: (K.PERCENT_OF_TOTAL, K.SUBSCRIPTION),
}
MAX_SCOPE = 5
NO_ATTRIBUTES = "{}"
ACTIVE, DRAFT = Rate.Status.ACTIVE, Rate.Status.DRAFT


def declare(ctx: Context) -> None:
    for model, columns in COLUMNS.items():
        ctx.writer.declare(model, columns)


def rate_specs(ctx: Context) -> list[tuple]:
    """The rates of one offering: (name, currency, frequency, channel id, group, status)."""
    channels = {m.currency: m.id for m in ctx.marketplaces}
    rates = [
        (
            "List price USD monthly",
            "USD",
            "monthly",
            None,
            "",
            ACTIVE if ctx.chance(0.9) else DRAFT,
        )
    ]
    if ctx.chance(0.35):
        rates.append(("Europe EUR monthly", "EUR", "monthly", channels["EUR"], "", ACTIVE))
    if ctx.chance(0.15):
        rates.append(("United Kingdom GBP monthly", "GBP", "monthly", channels["GBP"], "", ACTIVE))
    if ctx.chance(0.15):
        rates.append(("List price USD yearly", "USD", "yearly", None, "", DRAFT))
    if ctx.chance(0.1):
        rates.append(("Partner USD monthly", "USD", "monthly", None, "partner", ACTIVE))
    return rates


def where_it_sells(rates: list[tuple]) -> set[tuple[str, int | None]]:
    """(currency, channel id) of the active rates that sell to anyone: a customer group's
    rate sells to its group only, so no listing counts on it."""
    return {
        (currency, channel)
        for _name, currency, _frequency, channel, group, status in rates
        if status == ACTIVE and not group
    }


def write_product_pricing(ctx: Context, product: ProductRows, prices: PriceLibrary) -> None:
    """The product's Subscription offering, for some a One-Time one (its first subscription
    and its one-time items), and one offering per commitment or percentage."""
    main = [item for item in product.items if item.kind in MAIN_KINDS]
    product.main_offering_id, product.on_sale, product.sells_in = write_offering(
        ctx, product, T.SUBSCRIPTION, main, {}, prices, name=f"{product.name} subscriptions"
    )
    one_time = product.of_kind(K.ONE_TIME)
    if one_time and ctx.chance(0.3):  # licences bought outright, with their setup
        items = [product.items[0], *one_time]
        write_offering(
            ctx, product, T.ONE_TIME, items, {}, prices, name=f"{product.name} perpetual"
        )
    for offering_type, (anchor_kind, scoped_kind) in SCOPE.items():
        targets = [item.id for item in product.of_kind(scoped_kind)[:MAX_SCOPE]]
        for anchor in product.of_kind(anchor_kind):
            label = "commitment" if offering_type == T.MINIMUM_COMMIT else "premium support"
            write_offering(
                ctx,
                product,
                offering_type,
                [anchor],
                {anchor.id: targets},
                prices,
                name=f"{product.name} {label}",
                # What it applies to is sold by the main offering: sold only while that sells.
                selling=product.on_sale,
            )


def write_offering(
    ctx, product, offering_type, items, scopes, prices, *, name, selling=True
) -> tuple[int, bool, set]:
    """The offering, its items and its rates with their prices: its id, whether it is on
    sale (active), and where it sells (``where_it_sells``; empty when it is inactive)."""
    rng, writer, today = ctx.rng, ctx.writer, ctx.today
    offering_id = writer.ids(Offering)
    start = today - timedelta(days=rng.randint(0, 700))
    end = today + timedelta(days=rng.randint(30, 700)) if ctx.chance(0.1) else None
    rates = rate_specs(ctx)
    # An offering on sale has an active rate; one without is being prepared (inactive).
    on_sale = selling and any(r[5] == ACTIVE for r in rates) and ctx.chance(0.95)
    sells_in = where_it_sells(rates) if on_sale else set()
    status = Offering.Status.ACTIVE if on_sale else Offering.Status.INACTIVE
    writer.add(
        Offering,
        (
            offering_id,
            product.vendor_id,
            name,
            f"{name} (generated).",
            status,
            offering_type,
            start,
            end,
        ),
    )
    first_line = writer.ids(OfferingItem, len(items))
    lines = []
    for n, item in enumerate(items):
        required = n == 0
        quantity = 1 if required or ctx.chance(0.3) else 0
        lines.append((first_line + n, offering_id, item.id, quantity, required))
        for target in scopes.get(item.id, ()):
            writer.add(OfferingItemScope, (writer.ids(OfferingItemScope), first_line + n, target))
    writer.extend(OfferingItem, lines)
    for name_, currency, frequency, channel, group, status_ in rates:
        rate_id = writer.ids(Rate)
        writer.add(
            Rate, (rate_id, offering_id, name_, currency, frequency, channel, group, status_)
        )
        for item in items:
            write_price(ctx, rate_id, item, prices.pick(rng, item.kind))
    return offering_id, on_sale, sells_in


def write_price(ctx: Context, rate_id: int, item, price) -> None:
    writer = ctx.writer
    pbi_id = writer.ids(PriceBookItem)
    writer.add(
        PriceBookItem,
        (
            pbi_id,
            rate_id,
            item.id,
            price.charge_model,
            price.pricing_type,
            NO_ATTRIBUTES,
            *price.options,
        ),
    )
    first_interval = writer.ids(PriceInterval, len(price.intervals))
    for sequence, (unit, duration, amount, included, overage, package, tiers) in enumerate(
        price.intervals, start=1
    ):
        interval_id = first_interval + sequence - 1
        writer.add(
            PriceInterval,
            (interval_id, pbi_id, sequence, unit, duration, amount, included, overage, package),
        )
        if tiers:
            first_tier = writer.ids(PriceTier, len(tiers))
            writer.extend(
                PriceTier,
                [(first_tier + n, interval_id, *tier) for n, tier in enumerate(tiers)],
            )
