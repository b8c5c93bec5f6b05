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
from pricing.models import OfferingItem, OfferingItemScope, PriceBookItem, Rate
from pricing.price_selector import price_in_rate
from pricing.sales import role_of, scope_keys


def price_book_item_for_engine(pk: int) -> PriceBookItem:
    """A price book item with its rate, item, intervals and tiers in three queries."""
    return PriceBookItem.objects.select_related("rate", "item").with_rows().get(pk=pk)


@dataclass(frozen=True)
class _Line:
    """A preview line as ``scope_keys`` reads it."""

    key: int
    offering_id: int
    item_id: int


def price_preview(
    pbi: PriceBookItem, *, quantity: Decimal, start_date: date, periods: int
) -> pricebook.Schedule:
    """The schedule of one price book item over ``periods`` billing periods.

    A percent-of-total or minimum-commit price applies to other items: it is previewed
    with the items its scope names at their default quantities (at least 1)."""
    lines = [(pbi.item, quantity)]
    if role_of(pbi.item) != pricebook.sale.CHARGE:
        offering_item = OfferingItem.objects.prefetch_related("scopes__item").get(
            offering_id=pbi.rate.offering_id, item_id=pbi.item_id
        )
        defaults = dict(
            OfferingItem.objects.filter(offering_id=pbi.rate.offering_id).values_list(
                "item_id", "default_quantity"
            )
        )
        lines += [
            (scope.item, Decimal(max(defaults.get(scope.item_id, 1), 1)))
            for scope in offering_item.scopes.all()
        ]
    priced = _price_lines(
        rate=pbi.rate,
        start_date=start_date,
        periods=periods,
        lines=lines,
        prices={pbi.item_id: pbi},
    )
    return priced[0].schedule


def _price_lines(*, rate, start_date: date, periods: int, lines, prices=None) -> list:
    """Price (item, quantity) lines on a rate together; [PricedLine] in the lines' order."""
    check_preview_size(lines=len(lines), periods=periods)
    check_term(start_date=start_date, periods=periods, period_months=rate.period_months)
    prices = prices or {}
    if {item.pk for item, _ in lines} - set(prices):  # the rate's prices, for the selector
        rate = Rate.objects.prefetch_related(
            Prefetch(
                "price_book_items",
                PriceBookItem.objects.select_related("rate", "item").with_rows(),
            )
        ).get(pk=rate.pk)
    scopes = {}
    for item_id, scoped_id in OfferingItemScope.objects.filter(
        offering_item__offering_id=rate.offering_id
    ).values_list("offering_item__item_id", "item_id"):
        scopes.setdefault(item_id, set()).add(scoped_id)
    keyed = [_Line(index, rate.offering_id, item.pk) for index, (item, _) in enumerate(lines)]
    sale = []
    for line, (item, quantity) in zip(keyed, lines, strict=True):
        pbi = prices.get(item.pk) or price_in_rate(rate=rate, item=item)
        sale.append(
            pricebook.SaleLine(
                key=line.key,
                book=pbi.to_engine(),
                quantity=quantity,
                period_months=rate.period_months,
                one_time=item.kind == Item.Kind.ONE_TIME,
                role=role_of(item),
                scope=scope_keys(line, keyed, scopes.get(item.pk, set()), key=lambda x: x.key),
            )
        )
    priced = pricebook.price_sale(sale, start=start_date, periods=periods)
    return [priced[line.key] for line in keyed]


def offering_price_preview(*, offering, rate, start_date: date, periods: int, lines) -> dict:
    """Per line and in total, what ``lines`` [(item, quantity)] cost period by period."""
    if rate.offering_id != offering.pk:
        raise RateUnavailable(
            f"Rate {rate.name!r} belongs to another offering.",
            errors={"rate": ["The rate belongs to another offering."]},
        )
    lines = list(lines)
    priced = _price_lines(rate=rate, start_date=start_date, periods=periods, lines=lines)
    result_lines, total = [], Decimal(0)
    for (item, quantity), line in zip(lines, priced, strict=True):
        result = {
            "item": item.pk,
            "quantity": str(quantity),
            "periods": [period_row(row) for row in line.schedule.lines],
            "total": str(line.amount),
        }
        if line.commitment is not None:
            result["commitment"] = {
                "committed": str(line.commitment.commitment),
                "usage": str(line.commitment.usage),
                "true_up": str(line.commitment.true_up),
            }
        result_lines.append(result)
        total += line.amount
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
