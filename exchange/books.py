"""The two workbooks, their sheets in order, and the order an import writes them in."""

from __future__ import annotations

from exchange.catalog_sheets import (
    AddOnSheet,
    FeatureSheet,
    ItemGroupSheet,
    ItemPathSheet,
    ListingSheet,
    MatrixSheet,
    OfferSheet,
    PlanItemSheet,
    PlanSheet,
    ProductSheet,
)
from exchange.item_sheet import ItemSheet
from exchange.price_sheets import OfferingItemSheet, OfferingSheet, PriceSheet, RateSheet
from exchange.translation_sheets import ItemTranslationSheet, OfferTranslationSheet

CATALOG = (
    ProductSheet,
    ItemGroupSheet,
    ItemSheet,
    ItemTranslationSheet,
    AddOnSheet,
    ItemPathSheet,
    OfferSheet,
    PlanSheet,
    PlanItemSheet,
    FeatureSheet,
    MatrixSheet,
    OfferTranslationSheet,
    ListingSheet,
)
PRICES = (OfferingSheet, OfferingItemSheet, RateSheet, PriceSheet)
BOOKS = {"catalog": CATALOG, "prices": PRICES}
SHEETS = {sheet.title: sheet for sheet in (*CATALOG, *PRICES)}

# Items (the catalog up to its upgrade paths) before the offerings that sell them; the
# offerings before the plans that name them (the rest of the catalog).
ITEMS_END = CATALOG.index(ItemPathSheet) + 1
IMPORT_ORDER = (*CATALOG[:ITEMS_END], *PRICES, *CATALOG[ITEMS_END:])
