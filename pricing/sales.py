"""A quote's or a preview's lines as the engine prices them together (``pricebook.sale``).

A percent-of-total or minimum-commit item applies to the other lines of the quote whose items
its application list names, in any offering; everything else is an ordinary charge.
"""

from __future__ import annotations

from collections.abc import Iterable

from catalog.models import Item
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
