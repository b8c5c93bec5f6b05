"""The prices a listing's page shows, and their words: the pieces ``portal.selectors`` builds
the listing page and each price's page from, so both show the same prices.

Which price applies is the price selector's (``select_prices``), for the marketplace's
channel and currency, no customer group and no custom attributes, of the items the reader
may see (``visible_to``). A plan shows the prices of its items (all the offering's priced
items if it lists none); an item's card shows each price of it in the page's offerings. A
price the engine refuses is not shown at all ("price on request"). No queries here beyond
``channel_prices``' four.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation

from catalog.models import Item, Marketplace, Plan
from pricing.models import PriceBookItem
from pricing.price_selector import Sale, select_prices
from pricing.pricebook.messages import CONTEXT as PRICE_CONTEXT
from pricing.pricebook.wording import Wording, price_sentence

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from portal.locales import ContentLocale
    from portal.texts import Text, Texts

# {offering id: {billing frequency: [price book items]}}, as ``select_prices`` answers.
PricesOf = dict[int, dict[str, list[PriceBookItem]]]


@dataclass
class PriceLine:
    text: str
    item: Item
    pbi: PriceBookItem  # the price the words are of (its page: portal:price_curve)
    quantity: int = 1
    label: Text | None = None  # the item's name, when a plan has several lines or units


def channel_prices(
    *, plans: list[Plan], marketplace: Marketplace, user: AbstractBaseUser
) -> PricesOf:
    """The prices a distributor on this marketplace would be sold, per offering and billing
    frequency, of the items the user may see (four queries)."""
    offerings = {plan.offering_id: plan.offering for plan in plans if plan.offering_id}
    return select_prices(
        offerings=offerings.values(),
        sale=Sale(currency=marketplace.currency, channel_id=marketplace.pk),
        items=Item.objects.visible_to(user),
    )


def plan_prices(
    plan: Plan, prices: list[PriceBookItem]
) -> list[tuple[Item, int, PriceBookItem | None]]:
    """(item, quantity, its price or None) for each item of the plan (all priced items if
    the plan has none), from the prices of one billing frequency."""
    by_item: dict[int, PriceBookItem] = {}
    for pbi in prices:
        by_item.setdefault(pbi.item_id, pbi)
    plan_items = list(plan.plan_items.all())
    if not plan_items:
        return [(pbi.item, 1, pbi) for pbi in by_item.values()]
    return [(pi.item, pi.quantity, by_item.get(pi.item_id)) for pi in plan_items]


def plan_price_lines(
    plan: Plan, prices: list[PriceBookItem], locale: ContentLocale, texts: Texts
) -> list[PriceLine]:
    """One line per item of the plan that has a price, in words."""
    lines = []
    for item, quantity, pbi in plan_prices(plan, prices):
        text = sentence(pbi, locale) if pbi else None
        if text is not None:
            lines.append(PriceLine(text=text, item=item, pbi=pbi, quantity=quantity))
    if len(lines) > 1 or any(line.quantity != 1 for line in lines):
        for line in lines:  # several lines or units: say which item each line prices
            texts.name(line.item, line, "label")
    return lines


def item_prices(prices_of: PricesOf, item_ids) -> Iterator[PriceBookItem]:
    """Each price of the page's offerings whose item is one of ``item_ids`` (an item card's)."""
    for per_frequency in prices_of.values():
        for prices in per_frequency.values():
            for pbi in prices:
                if pbi.item_id in item_ids:
                    yield pbi


def shown_prices(plans: list[Plan], prices_of: PricesOf, item_ids) -> dict[int, PriceBookItem]:
    """Every price the listing page shows, by id, whether the engine words it or not: the
    plans' lines and the item cards' prices (``item_ids``: the items with a card)."""
    shown = {pbi.pk: pbi for pbi in item_prices(prices_of, item_ids)}
    for plan in plans:
        for prices in prices_of.get(plan.offering_id, {}).values():
            shown.update((pbi.pk, pbi) for _item, _q, pbi in plan_prices(plan, prices) if pbi)
    return shown


def sentence(pbi: PriceBookItem, locale: ContentLocale) -> str | None:
    """One price in words in the page's language, or None when the engine refuses it."""
    rate, item = pbi.rate, pbi.item
    wording = Wording(
        currency=rate.currency,
        locale=locale.babel,
        unit=item.unit,
        item_kind=item.kind,
        billing_frequency=rate.billing_frequency,
        # The sentence's words in the page's language, from the "price" messages.
        gettext=partial(translation.pgettext, PRICE_CONTEXT),
        ngettext=partial(translation.npgettext, PRICE_CONTEXT),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    try:
        return price_sentence(pbi.to_engine(), wording)
    except ValueError:
        return None  # a price the engine refuses is not shown: "price on request"
