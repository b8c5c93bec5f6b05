"""An offering's price sheet: one row per item, one column per rate, each cell the price in
words. A fixed number of queries, whatever the offering's size."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from catalog.models import Item
from pricing.models import Offering, PriceBookItem, Rate
from pricing.price_words import price_in_words


@dataclass(frozen=True)
class SheetPrice:
    """One price of a cell: its words, and the custom attributes that tell it apart."""

    pbi: PriceBookItem
    words: str
    attributes: str  # "" when the price has none


@dataclass(frozen=True)
class SheetColumn:
    """A rate, headed by what selects it: currency, billing frequency, channel, group."""

    rate: Rate

    @property
    def channel(self) -> str:
        return str(self.rate.sales_channel) if self.rate.sales_channel_id else "every channel"

    @property
    def group(self) -> str:
        return self.rate.customer_group or "any customer group"


@dataclass
class SheetRow:
    item: Item
    in_offering: bool  # False: a price left from an item the offering no longer holds
    cells: list[list[SheetPrice]] = field(default_factory=list)  # one list per column


@dataclass(frozen=True)
class PriceSheet:
    offering: Offering
    columns: list[SheetColumn]
    rows: list[SheetRow]

    @property
    def missing(self) -> int:
        """How many item × rate cells have no price."""
        return sum(1 for row in self.rows if row.in_offering for cell in row.cells if not cell)


def price_sheet(offering: Offering, *, locale: str) -> PriceSheet:
    """Items in the offering's order, rates by currency, frequency and name (5 queries)."""
    lines = list(offering.offering_items.select_related("item"))
    rates = list(
        offering.rates.select_related("sales_channel").order_by(
            "currency", "billing_frequency", "name", "pk"
        )
    )
    prices = (
        PriceBookItem.objects.filter(rate__offering=offering)
        .select_related("item", "rate")
        .with_rows()
        .order_by("pk")
    )
    rows = {line.item_id: SheetRow(line.item, True) for line in lines}
    column_of = {rate.pk: index for index, rate in enumerate(rates)}
    for row in rows.values():
        row.cells = [[] for _ in rates]
    for pbi in prices:
        row = rows.get(pbi.item_id)
        if row is None:
            row = rows[pbi.item_id] = SheetRow(pbi.item, False, [[] for _ in rates])
        attributes = pbi.custom_attributes
        attributes = json.dumps(attributes, sort_keys=True) if attributes else ""
        row.cells[column_of[pbi.rate_id]].append(
            SheetPrice(pbi=pbi, words=price_in_words(pbi, locale), attributes=attributes)
        )
    return PriceSheet(
        offering=offering, columns=[SheetColumn(rate) for rate in rates], rows=list(rows.values())
    )
