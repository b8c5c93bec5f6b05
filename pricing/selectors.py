"""Composed reads of pricing: a price with its rows, and what lines cost on a rate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch

from catalog.models import Item
from pricing import pricebook
from pricing.bounds import check_preview_size, check_term
from pricing.errors import RateUnavailable
from pricing.models import Offering, OfferingItem, OfferingItemScope, PriceBookItem, Rate
from pricing.price_selector import Sale, price_in_rate, select_price, select_prices
from pricing.sales import role_of, scope_keys


def price_book_item_for_engine(pk: int) -> PriceBookItem:
    """A price book item with its rate, item, intervals and tiers in three queries."""
    return PriceBookItem.objects.select_related("rate", "item").with_rows().get(pk=pk)


@dataclass(frozen=True)
class PreviewLine:
    """A line to preview: an item and its quantity, sold in the previewed offering or, named
    by ``offering``, in another of the vendor's (what a percent or commitment applies to)."""

    item: Item
    quantity: Decimal
    offering: Offering | None = None


@dataclass(frozen=True)
class _Line:
    """A preview line as ``scope_keys`` reads it."""

    key: int
    offering_id: int
    item_id: int


def _sale_of(rate: Rate, on: date) -> Sale:
    """The sale a rate's preview stands for: its currency, frequency, channel and group."""
    return Sale(
        currency=rate.currency,
        billing_frequency=rate.billing_frequency,
        channel_id=rate.sales_channel_id,
        customer_group=rate.customer_group,
        on=on,
    )


def price_preview(
    pbi: PriceBookItem, *, quantity: Decimal, start_date: date, periods: int
) -> pricebook.Schedule:
    """The schedule of one price book item over ``periods`` billing periods.

    A percent-of-total or minimum-commitment price applies to items sold elsewhere: it is
    previewed with the items its application list names, each at its default quantity (at
    least 1) in the first offering (by name) whose price the selector picks for this rate's
    sale. An item no offering sells that way adds nothing."""
    lines = [(pbi.item, quantity, pbi)]
    if role_of(pbi.item) != pricebook.sale.CHARGE:
        lines += _where_sold(pbi, start_date)
    priced = _price_lines(start_date=start_date, periods=periods, lines=lines)
    return priced[0].schedule


def _where_sold(pbi: PriceBookItem, on: date) -> list[tuple[Item, Decimal, PriceBookItem]]:
    """The items a percent's or commitment's application list names, as the selector would
    sell them alongside it: (item, default quantity, price)."""
    offering_id = pbi.rate.offering_id
    targets = list(
        OfferingItemScope.objects.filter(
            offering_item__offering_id=offering_id, offering_item__item_id=pbi.item_id
        ).values_list("item_id", flat=True)
    )
    held = (
        OfferingItem.objects.filter(
            item_id__in=targets, offering__vendor_id=pbi.rate.offering.vendor_id
        )
        .select_related("offering")
        .order_by("offering__name", "offering_id")
    )
    defaults = {(oi.offering_id, oi.item_id): oi.default_quantity for oi in held}
    offerings = list(dict.fromkeys(oi.offering for oi in held))
    selected = select_prices(offerings=offerings, sale=_sale_of(pbi.rate, on), items=targets)
    found = {}
    for offering in offerings:  # in name order: the first offering that sells an item wins
        for price in selected.get(offering.pk, {}).get(pbi.rate.billing_frequency, []):
            found.setdefault(price.item_id, price)
    return [
        (price.item, Decimal(max(defaults[price.rate.offering_id, item_id], 1)), price)
        for item_id in targets
        if (price := found.get(item_id))
    ]


def _price_lines(*, start_date: date, periods: int, lines) -> list:
    """Price (item, quantity, price book item) lines together; [PricedLine] in their order."""
    check_preview_size(lines=len(lines), periods=periods)
    longest = max(pbi.rate.period_months for _, _, pbi in lines)
    check_term(start_date=start_date, periods=periods, period_months=longest)
    scopes = {}
    for offering_id, item_id, scoped_id in OfferingItemScope.objects.filter(
        offering_item__offering_id__in={pbi.rate.offering_id for _, _, pbi in lines}
    ).values_list("offering_item__offering_id", "offering_item__item_id", "item_id"):
        scopes.setdefault((offering_id, item_id), set()).add(scoped_id)
    keyed = [
        _Line(index, pbi.rate.offering_id, item.pk) for index, (item, _, pbi) in enumerate(lines)
    ]
    sale = []
    for line, (item, quantity, pbi) in zip(keyed, lines, strict=True):
        scope = scopes.get((line.offering_id, item.pk), set())
        sale.append(
            pricebook.SaleLine(
                key=line.key,
                book=pbi.to_engine(),
                quantity=quantity,
                period_months=pbi.rate.period_months,
                one_time=item.kind == Item.Kind.ONE_TIME,
                role=role_of(item),
                scope=scope_keys(line, keyed, scope, key=lambda x: x.key),
            )
        )
    priced = pricebook.price_sale(sale, start=start_date, periods=periods)
    return [priced[line.key] for line in keyed]


def offering_price_preview(
    *, offering, rate, start_date: date, periods: int, lines: list[PreviewLine]
) -> dict:
    """Per line and in total, what ``lines`` cost period by period: this offering's on
    ``rate``, another offering's at the price the selector picks for the rate's sale."""
    if rate.offering_id != offering.pk:
        raise RateUnavailable(
            f"Rate {rate.name!r} belongs to another offering.",
            errors={"rate": ["The rate belongs to another offering."]},
        )
    lines = list(lines)
    check_preview_size(lines=len(lines), periods=periods)
    rate = Rate.objects.prefetch_related(
        Prefetch(
            "price_book_items", PriceBookItem.objects.select_related("rate", "item").with_rows()
        )
    ).get(pk=rate.pk)
    sale = _sale_of(rate, start_date)
    priced = _price_lines(
        start_date=start_date,
        periods=periods,
        lines=[
            (
                line.item,
                line.quantity,
                price_in_rate(rate=rate, item=line.item)
                if line.offering is None or line.offering.pk == offering.pk
                else select_price(offering=line.offering, item=line.item, sale=sale),
            )
            for line in lines
        ],
    )
    result_lines, total = [], Decimal(0)
    for line, result_line in zip(lines, priced, strict=True):
        result = {
            "item": line.item.pk,
            "offering": (line.offering or offering).pk,
            "quantity": str(line.quantity),
            "periods": [period_row(row) for row in result_line.schedule.lines],
            "total": str(result_line.amount),
        }
        if result_line.commitment is not None:
            result["commitment"] = {
                "committed": str(result_line.commitment.commitment),
                "usage": str(result_line.commitment.usage),
                "true_up": str(result_line.commitment.true_up),
            }
        result_lines.append(result)
        total += result_line.amount
    return {
        "currency": rate.currency,
        "lines": result_lines,
        "total": str(pricebook.round_money(total, rate.currency)),
    }


def period_row(line: pricebook.ScheduleLine) -> dict:
    """One schedule line as the API shows it."""
    row = {
        "period": line.period_index + 1,
        "start": line.start.isoformat(),
        "end": (line.end - timedelta(days=1)).isoformat(),  # the period's last day
        "interval": line.interval_index + 1,
        "kind": line.kind,
        "amount": str(line.amount),
    }
    if line.percent is not None:
        row["percent"] = f"{line.percent.normalize():f}"
        row["base"] = str(line.base)
    if line.committed is not None:
        row["committed"] = str(line.committed)
        row["consumed"] = str(line.base)
    return row
