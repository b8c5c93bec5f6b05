"""Composed reads of pricing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch

from catalog.models import Item
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

    return engine.schedule(
        pbi.to_engine(),
        quantity=quantity,
        start=start_date,
        periods=periods,
        period_months=pbi.rate.period_months,
        one_time=pbi.item.kind == Item.Kind.ONE_TIME,
    )
