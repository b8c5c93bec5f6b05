"""A quote's or a preview's lines as the engine prices them together (``pricebook.sale``).

A percent-of-total or minimum-commit item applies to the other lines of the quote whose items
its application list names, in any offering; everything else is an ordinary charge.
"""

from __future__ import annotations

from collections.abc import Iterable

from catalog.models import Item
from pricing.models import OfferingItemScope
from pricing.pricebook import sale

ROLES = {
    Item.Kind.PERCENT_OF_TOTAL: sale.PERCENT_OF_TOTAL,
    Item.Kind.MINIMUM_COMMIT: sale.MINIMUM_COMMIT,
}


def role_of(item: Item) -> str:
    """How a line of this item is priced: a charge, a percent of total, a commitment."""
    return ROLES.get(item.kind, sale.CHARGE)


def scope_keys(
    line, lines: Iterable, scope: set[int], key=lambda line: line.pk, *, anywhere: bool = True
) -> frozenset:
    """The keys of the other lines whose items ``line`` applies to: on the whole quote (seed
    002's application list), or, as snapshots before version 3 were priced, in its own
    offering only."""
    return frozenset(
        key(other)
        for other in lines
        if other.item_id in scope
        and other is not line
        and (anywhere or other.offering_id == line.offering_id)
    )


def quote_sale(lines, prices, scopes, *, books=None) -> list[sale.SaleLine]:
    """A quote's lines as the engine prices them together: each line at its price
    (``prices``: line id → price book item, its rate loaded), with its role and the other
    lines its application list names (``scopes``: (offering id, item id) → item ids).

    ``books`` (price book item id → engine price) gives a price's engine form: one made
    before (a kept price's, ``price_cache.Kept.book``), or another price than the stored one
    (a proposed change, for the impact it would have)."""
    books = books or {}
    found = []
    for line in lines:
        pbi = prices[line.pk]
        role = role_of(line.item)
        scope = scopes.get((line.offering_id, line.item_id), set())
        if role == sale.CHARGE:
            scope = set()
        found.append(
            sale.SaleLine(
                key=line.pk,
                book=books[pbi.pk] if pbi.pk in books else pbi.to_engine(),
                quantity=line.quantity,
                period_months=pbi.rate.period_months,
                one_time=line.item.kind == Item.Kind.ONE_TIME,
                role=role,
                scope=scope_keys(line, lines, scope),
            )
        )
    return found


def scopes_of(offering_ids) -> dict[tuple[int, int], set[int]]:
    """What each commitment or percent of these offerings applies to: (offering id, item id)
    → item ids, in one query."""
    scopes: dict[tuple[int, int], set[int]] = {}
    for offering_id, item_id, scoped_id in OfferingItemScope.objects.filter(
        offering_item__offering_id__in=set(offering_ids)
    ).values_list("offering_item__offering_id", "offering_item__item_id", "item_id"):
        scopes.setdefault((offering_id, item_id), set()).add(scoped_id)
    return scopes
