"""A product's variation tree generated from values per level (colours, then sizes).

``plan_variations`` works out, without writing, the groups and items a generation makes and
refuses what cannot be made (a bad MPN pattern, two items with one MPN, an MPN the product
already has). The service ``catalog.services.product_generate_variations`` asks it again
under the product's row lock and writes the plan in one transaction; the admin form asks it
first, so the same refusals show next to the fields and nothing is written.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from catalog.models import Item, ItemGroup, Product
from catalog.rows import validated_save

MAX_LEVELS = 3
MAX_ITEMS = 500
LEVEL_NAME = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
MPN_MAX_LENGTH = Item._meta.get_field("mpn").max_length
GROUP_NAME_MAX_LENGTH = ItemGroup._meta.get_field("name").max_length
ITEM_NAME_MAX_LENGTH = Item._meta.get_field("name").max_length


@dataclass(frozen=True)
class VariationLevel:
    """One level of the tree: its name (the pattern's placeholder) and its values in order."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Variations:
    """What to generate: the levels from the top down, the MPN pattern (empty: every
    placeholder joined by hyphens) and the new items' kind and unit."""

    levels: tuple[VariationLevel, ...]
    mpn_pattern: str = ""
    kind: str = Item.Kind.SUBSCRIPTION
    unit: str = "unit"

    @property
    def pattern(self) -> str:
        return self.mpn_pattern.strip() or default_pattern(level.name for level in self.levels)


@dataclass(frozen=True)
class PlannedItem:
    path: tuple[str, ...]  # the group names from the top level down
    mpn: str
    name: str


def default_pattern(level_names: Iterable[str]) -> str:
    return "-".join(f"{{{name}}}" for name in ("product", *level_names))


def mpn_part(value: str) -> str:
    """A name as part of an MPN: upper case, blanks as hyphens ("Light blue" → LIGHT-BLUE)."""
    return "-".join(value.upper().split())


def placeholders(pattern: str, allowed: Sequence[str]) -> None:
    """Refuse a pattern whose braces do not pair, or whose placeholders are not plain names
    of ``allowed`` (no attributes, indexes, conversions or format specs)."""
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:
        raise ValidationError(
            {
                "mpn_pattern": "The MPN pattern has a { or } without its pair; write {{ or }} "
                "for a brace itself."
            },
            code="pattern",
        ) from None
    names = ", ".join(f"{{{name}}}" for name in allowed)
    for _text, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in allowed or spec or conversion:
            shown = (
                "{"
                + field
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
            raise ValidationError(
                {"mpn_pattern": f"The MPN pattern cannot use {shown}; use {names}."},
                code="pattern",
            )


def check_levels(levels: Sequence[VariationLevel]) -> None:
    errors = []
    if not levels:
        errors.append("Give at least one level with its values.")
    if len(levels) > MAX_LEVELS:
        errors.append(f"At most {MAX_LEVELS} levels.")
    names = [level.name for level in levels]
    for level in levels:
        if not LEVEL_NAME.match(level.name) or level.name == "product":
            errors.append(
                f"A level's name is a short lower-case word (colour, size), not {level.name!r}."
            )
        if not level.values:
            errors.append(f"Level {level.name} has no values.")
        if len(set(level.values)) != len(level.values):
            errors.append(f"Level {level.name} names a value twice.")
        if any(not value.strip() for value in level.values):
            errors.append(f"Level {level.name} has an empty value.")
        if any(len(value) > GROUP_NAME_MAX_LENGTH for value in level.values):
            errors.append(
                f"A value of level {level.name} is over {GROUP_NAME_MAX_LENGTH} characters."
            )
    if len(set(names)) != len(names):
        errors.append("Two levels have the same name.")
    if errors:
        raise ValidationError({"levels": errors}, code="levels")


def plan_variations(
    product_name: str, existing_mpns: Iterable[str], variations: Variations
) -> list[PlannedItem]:
    """The items a generation makes, one per combination of values, in tree order."""
    levels = variations.levels
    check_levels(levels)
    pattern = variations.pattern
    names = [level.name for level in levels]
    placeholders(pattern, ["product", *names])
    combinations = list(itertools.product(*(level.values for level in levels)))
    if len(combinations) > MAX_ITEMS:
        raise ValidationError(
            {"levels": f"That makes {len(combinations)} items; at most {MAX_ITEMS} at a time."},
            code="levels",
        )
    existing = set(existing_mpns)
    planned, seen = [], {}
    for values in combinations:
        parts = {"product": mpn_part(product_name)}
        parts.update({name: mpn_part(value) for name, value in zip(names, values, strict=True)})
        mpn = pattern.format(**parts).strip()
        path = tuple(values)
        if not mpn:
            raise ValidationError({"mpn_pattern": "The MPN pattern makes an empty MPN."})
        if len(mpn) > MPN_MAX_LENGTH:
            raise ValidationError(
                {"mpn_pattern": f"MPN {mpn} is over {MPN_MAX_LENGTH} characters."}, code="mpn"
            )
        if mpn in seen:
            raise ValidationError(
                {
                    "mpn_pattern": f"The pattern gives MPN {mpn} to both {' / '.join(seen[mpn])} "
                    f"and {' / '.join(path)}; put every level's placeholder in it."
                },
                code="duplicate_mpn",
            )
        if mpn in existing:
            raise ValidationError(
                {"mpn_pattern": f"This product already has an item with MPN {mpn}."},
                code="duplicate_mpn",
            )
        name = ", ".join((product_name, *values))
        if len(name) > ITEM_NAME_MAX_LENGTH:
            raise ValidationError(
                {"levels": f"Item name {name[:40]}… is over {ITEM_NAME_MAX_LENGTH} characters."},
                code="levels",
            )
        seen[mpn] = path
        planned.append(PlannedItem(path=path, mpn=mpn, name=name))
    return planned


def generate_variations(product: Product, variations: Variations, *, by=None) -> list[Item]:
    """``product_generate_variations`` in the caller's transaction, the product locked."""
    planned = plan_variations(product.name, product.items.values_list("mpn", flat=True), variations)
    groups = {(group.parent_id, group.name): group for group in product.item_groups.all()}
    positions = [
        {value: index for index, value in enumerate(level.values)} for level in variations.levels
    ]
    items = []
    for line in planned:
        parent = None
        for depth, name in enumerate(line.path):
            key = (parent.pk if parent else None, name)
            if key not in groups:
                groups[key] = validated_save(
                    ItemGroup(
                        product=product, parent=parent, name=name, position=positions[depth][name]
                    ),
                    by=by,
                )
            parent = groups[key]
        items.append(
            validated_save(
                Item(
                    product=product,
                    group=parent,
                    mpn=line.mpn,
                    name=line.name,
                    kind=variations.kind,
                    billing_period=default_billing_period(variations.kind),
                    unit=variations.unit,
                ),
                by=by,
            )
        )
    return items


def default_billing_period(kind: str) -> str:
    if kind == Item.Kind.ONE_TIME:
        return Item.BillingPeriod.ONE_TIME
    return Item.BillingPeriod.MONTHLY
