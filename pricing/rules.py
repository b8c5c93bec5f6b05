"""Pure offering rules: what items an offering type may hold, and a price's attributes.

No database here: each function takes plain values (``LineSpec``, a mapping) and answers
with the problems it finds, empty when there are none. The writers (``pricing.services``,
``pricing.rates``) and the admin forms both ask these, so the page and the API refuse the
same things with the same words. The shape of a price itself is ``pricing.pricebook``'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from catalog.models import Item
from catalog.validators import contains_nul
from pricing.models import Offering, PriceBookItem

Kind = Item.Kind
Type = Offering.Type

# Which item kinds each offering type may hold (DESIGN.md, App `pricing`). A commitment or a
# percent of total holds its one item and nothing else: what it applies to is sold elsewhere
# and named by its application list (seed 002).
ALLOWED_KINDS = {
    Type.SUBSCRIPTION: {Kind.SUBSCRIPTION, Kind.USAGE, Kind.ONE_TIME},
    Type.ONE_TIME: {Kind.SUBSCRIPTION, Kind.ONE_TIME},
    Type.MINIMUM_COMMIT: {Kind.MINIMUM_COMMIT},
    Type.PERCENT_OF_TOTAL: {Kind.PERCENT_OF_TOTAL},
}
# The one item a commit or percent-of-total offering is built around, and what it may scope.
ANCHOR = {
    Type.MINIMUM_COMMIT: (Kind.MINIMUM_COMMIT, Kind.USAGE),
    Type.PERCENT_OF_TOTAL: (Kind.PERCENT_OF_TOTAL, Kind.SUBSCRIPTION),
}
# The item kinds that have an application list ("applies to").
SCOPED_KINDS = frozenset(anchor for anchor, _ in ANCHOR.values())


@dataclass(frozen=True)
class LineSpec:
    """One offering item as the composition check sees it."""

    item_id: int
    kind: str
    mpn: str
    applies_to: frozenset[int] = frozenset()


def composition_problems(
    offering_type: str, lines: Sequence[LineSpec], elsewhere: Mapping[int, LineSpec] | None = None
) -> list[str]:
    """Why these items do not fit the offering type; empty when they do (or there are none).

    A commitment's or percent's application list may name the vendor's items in any
    offering: ``elsewhere`` describes those outside this one (id → LineSpec)."""
    if not lines:
        return []
    problems = []
    kinds = [line.kind for line in lines]
    label = Type(offering_type).label
    allowed = ALLOWED_KINDS[Type(offering_type)]
    for line in lines:
        if line.kind not in allowed:
            problems.append(
                f"A {label} offering cannot contain {Kind(line.kind).label.lower()} item "
                f"{line.mpn}."
            )
    if offering_type == Type.SUBSCRIPTION and Kind.SUBSCRIPTION not in kinds:
        problems.append("A Subscription offering needs at least one subscription item.")
    anchor = ANCHOR.get(Type(offering_type))
    if anchor:
        anchor_kind = anchor[0]
        count = kinds.count(anchor_kind)
        if count != 1:
            problems.append(
                f"A {label} offering has exactly one {Kind(anchor_kind).label.lower()} item "
                f"(it has {count}{'; add it first' if count == 0 else ''})."
            )
    by_id = {line.item_id: line for line in lines}
    for line in lines:
        if not line.applies_to:
            continue
        if not anchor or line.kind != anchor[0]:
            problems.append(
                f"Only a minimum-commit or percent-of-total item has a scope ({line.mpn} cannot)."
            )
            continue
        for target_id in sorted(line.applies_to):
            target = by_id.get(target_id) or (elsewhere or {}).get(target_id)
            if target is None:
                problems.append(f"{line.mpn} applies to an item that is not this vendor's.")
            elif target.kind != anchor[1]:
                problems.append(
                    f"{line.mpn} applies only to {Kind(anchor[1]).label.lower()} items, not to "
                    f"{target.mpn}."
                )
    return problems


SCALARS = (str, int, float, bool)


def custom_attribute_problems(attributes) -> list[str]:
    """Why custom attributes are refused: not a mapping, too many, blank names, non-scalars."""
    if not isinstance(attributes, Mapping):
        return ["Custom attributes are a mapping of names to values."]
    problems = []
    if len(attributes) > PriceBookItem.MAX_CUSTOM_ATTRIBUTES:
        problems.append(
            f"At most {PriceBookItem.MAX_CUSTOM_ATTRIBUTES} custom attributes "
            f"({len(attributes)} given)."
        )
    for name, value in attributes.items():
        if not isinstance(name, str) or not name.strip():
            problems.append("A custom attribute needs a name.")
        elif not isinstance(value, SCALARS):
            problems.append(f"Custom attribute {name!r} must be text, a number or true/false.")
    if contains_nul(dict(attributes)):
        problems.append("Custom attribute names and values cannot contain NUL (\\x00) characters.")
    return problems
