"""Composed reads of pricing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch

from catalog.models import Item
from pricing.bounds import check_preview_size, check_term
from pricing.models import PriceBookItem, PriceInterval

if TYPE_CHECKING:
    from pricing import engine


def price_book_item_for_engine(pk: int) -> PriceBookItem:
    """A price book item with its rate, item, intervals and tiers in three queries."""
    return (
        PriceBookItem.objects.select_related("rate", "item")
        .prefetch_related(Prefetch("intervals", PriceInterval.objects.prefetch_related("tiers")))
        .get(pk=pk)
    )


def price_preview(
    pbi: PriceBookItem, *, quantity: Decimal, start_date: date, periods: int
) -> engine.Schedule:
    """The schedule of amounts of one price book item over ``periods`` billing periods."""
    from pricing import engine

    check_preview_size(lines=1, periods=periods)
    check_term(start_date=start_date, periods=periods, period_months=pbi.rate.period_months)

    return engine.schedule(
        pbi.to_engine(),
        quantity=quantity,
        start=start_date,
        periods=periods,
        period_months=pbi.rate.period_months,
        one_time=pbi.item.kind == Item.Kind.ONE_TIME,
    )


def offering_price_preview(*, offering, rate, start_date: date, periods: int, lines) -> dict:
    """Per line and in total, what ``lines`` [(item, quantity)] cost period by period."""
    from pricing import engine
    from pricing.errors import PriceMissing, RateUnavailable

    if rate.offering_id != offering.pk:
        raise RateUnavailable(
            f"Rate {rate.name!r} belongs to another offering.",
            errors={"rate": ["The rate belongs to another offering."]},
        )
    lines = list(lines)
    check_preview_size(lines=len(lines), periods=periods)
    check_term(start_date=start_date, periods=periods, period_months=rate.period_months)
    prices = {
        pbi.item_id: pbi
        for pbi in PriceBookItem.objects.filter(rate=rate, custom_attributes={})
        .select_related("rate", "item")
        .prefetch_related(Prefetch("intervals", PriceInterval.objects.prefetch_related("tiers")))
    }
    result_lines, total = [], Decimal(0)
    for item, quantity in lines:
        pbi = prices.get(item.pk)
        if pbi is None:
            raise PriceMissing(
                f"Rate {rate.name!r} has no price for {item.mpn}.",
                errors={"lines": [f"No price for item {item.pk}."]},
            )
        schedule = price_preview(pbi, quantity=quantity, start_date=start_date, periods=periods)
        result_lines.append(
            {
                "item": item.pk,
                "quantity": str(quantity),
                "periods": [
                    {
                        "period": line.period_index + 1,
                        "start": line.start.isoformat(),
                        "end": line.end.isoformat(),
                        "interval": line.interval_index + 1,
                        "amount": str(line.amount),
                    }
                    for line in schedule.lines
                ],
                "total": str(schedule.total),
            }
        )
        total += schedule.total
    return {
        "currency": rate.currency,
        "lines": result_lines,
        "total": str(engine.round_money(total, rate.currency)),
    }
