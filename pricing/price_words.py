"""A stored price in words for the admin's pages, through ``pricebook.wording`` (the one
place a price is put in words; the portal words its prices the same way)."""

from __future__ import annotations

from django.utils import translation

from pricing.models import PriceBookItem
from pricing.pricebook.wording import Wording, price_sentence


def reader_locale() -> str:
    """The Babel locale of the request's language ("en", "de", "fr_CA")."""
    return translation.to_locale(translation.get_language() or "en")


def price_in_words(pbi: PriceBookItem, locale: str | None = None) -> str:
    """The price as the portal words it, e.g. "$12 per seat per month".

    Its item, rate, intervals and tiers must be loaded by the caller (``with_rows``), so a
    list words its rows with no query of its own. A price the engine refuses says why.
    """
    item, rate = pbi.item, pbi.rate
    wording = Wording(
        currency=rate.currency,
        locale=locale or reader_locale(),
        unit=item.unit,
        item_kind=item.kind,
        billing_frequency=rate.billing_frequency,
    )
    try:
        return price_sentence(pbi.to_engine(), wording)
    except ValueError as exc:
        return f"Not a valid price: {exc}"
