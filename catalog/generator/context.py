"""What the parts of a generator run share: the options, the random source, the writer, the
marketplaces, and the shape of each product the catalog part wrote for the pricing part."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from catalog.generator.options import Options
from catalog.generator.writer import BulkWriter

LOCALES = ("de", "fr", "fr-CA")


@dataclass(frozen=True)
class MarketplaceRow:
    id: int
    code: str
    currency: str


@dataclass
class ItemRow:
    id: int
    kind: str
    mpn: str
    status: str


@dataclass
class ProductRows:
    """A product as written: its items in order, and the offering that prices its plans."""

    id: int
    vendor_id: int
    number: int
    name: str
    items: list[ItemRow] = field(default_factory=list)
    main_offering_id: int | None = None
    on_sale: bool = False  # the main offering is active (it has an active rate)
    sells_in: set = field(default_factory=set)  # (currency, channel id) its active rates sell

    def sells_on(self, marketplace: MarketplaceRow) -> bool:
        """A rate of the main offering sells on ``marketplace`` (the price selector's rule)."""
        return any(
            currency == marketplace.currency and channel in (None, marketplace.id)
            for currency, channel in self.sells_in
        )

    def of_kind(self, kind: str) -> list[ItemRow]:
        return [item for item in self.items if item.kind == kind]


@dataclass
class Context:
    options: Options
    writer: BulkWriter
    rng: random.Random
    today: date
    marketplaces: list[MarketplaceRow] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return self.options.prefix

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability
