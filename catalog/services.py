"""The catalog's services: each write of products, items, offers and listings, from the admin,
the API, imports and commands, is one of these functions.

Each is the outermost transaction of its write (``catalog.concurrency.service``), takes the
lock of the row it changes first, and validates every row before it saves it with its
history. Rows with no rule of their own beyond ``clean`` go through ``catalog.rows``
(``row_create``, ``row_update``, ``row_delete``, ``rows_save`` for a page with its inlines).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from catalog.concurrency import service
from catalog.matrix import MatrixCell, write_matrix
from catalog.models import (
    AddOnRequirement,
    Feature,
    FeatureGroup,
    FeatureGroupTranslation,
    FeatureTranslation,
    Item,
    ItemGroup,
    ItemPath,
    ItemTranslation,
    Listing,
    Marketplace,
    Offer,
    OfferTranslation,
    Plan,
    PlanItem,
    PlanTranslation,
    Product,
)
from catalog.rows import RowWrite, locked, update_row, validated_save, write_rows
from catalog.variations import Variations, default_billing_period, generate_variations


@service
def product_create(
    *,
    vendor,
    name: str,
    description: str = "",
    category: str = "",
    status: str = Product.Status.DRAFT,
    by: AbstractBaseUser | None = None,
) -> Product:
    """Create a product for a vendor."""
    return validated_save(
        Product(
            vendor=vendor, name=name, description=description, category=category, status=status
        ),
        by=by,
    )


@service
def item_group_create(
    *,
    product: Product,
    name: str,
    parent: ItemGroup | None = None,
    position: int = 0,
    by: AbstractBaseUser | None = None,
) -> ItemGroup:
    """Add a node to a product's variation tree."""
    return validated_save(
        ItemGroup(product=product, parent=parent, name=name, position=position), by=by
    )


@service
def item_group_move(
    *, group: ItemGroup, parent: ItemGroup | None, by: AbstractBaseUser | None = None
) -> ItemGroup:
    """Move a group under another parent, refusing cycles and other products' groups."""
    return update_row(group, {"parent": parent}, by=by, reason="moved")


@service
def product_generate_variations(
    *, product: Product, variations: Variations, by: AbstractBaseUser | None = None
) -> list[Item]:
    """Build a product's variation tree from values per level (colours, then sizes): the
    groups it lacks, and one item per combination under its last group, MPNs from the
    pattern. All of it or, refused (``plan_variations``), nothing."""
    return generate_variations(locked(product), variations, by=by)


@service
def product_page_save(
    *,
    writes: Sequence[RowWrite],
    variations: Variations | None = None,
    by: AbstractBaseUser | None = None,
) -> list[Item]:
    """The product admin page as a whole: the product with its items and groups, then the
    variations it asked for, in one transaction."""
    head = writes[0].row
    if not head._state.adding:
        locked(head)
    write_rows(writes, by=by)
    return generate_variations(locked(head), variations, by=by) if variations else []


# Items, with their translations, add-on bases and upgrade/downgrade paths -------------------


@dataclass(frozen=True)
class Translation:
    locale: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class ItemSets:
    """What an item's related sets become, each replaced as a whole; None leaves it as is."""

    translations: Sequence[Translation] | None = None
    requires_one_of: Sequence[Item] | None = None
    upgrades_to: Sequence[Item] | None = None
    downgrades_to: Sequence[Item] | None = None


@service
def item_create(
    *,
    product: Product,
    mpn: str,
    name: str,
    kind: str = Item.Kind.SUBSCRIPTION,
    billing_period: str | None = None,
    unit: str = "unit",
    description: str = "",
    commitment_term: str = Item.CommitmentTerm.NONE,
    status: str = Item.Status.DRAFT,
    group: ItemGroup | None = None,
    sets: ItemSets = ItemSets(),
    by: AbstractBaseUser | None = None,
) -> Item:
    """Create an item (SKU) with its sets; one-time items default to a one-time billing period."""
    item = validated_save(
        Item(
            product=product,
            mpn=mpn,
            name=name,
            kind=kind,
            billing_period=billing_period or default_billing_period(kind),
            unit=unit,
            description=description,
            commitment_term=commitment_term,
            status=status,
            group=group,
        ),
        by=by,
    )
    write_item_sets(item, sets, by=by)
    return item


@service
def item_update(
    *,
    item: Item,
    sets: ItemSets = ItemSets(),
    by: AbstractBaseUser | None = None,
    **changes: Any,
) -> Item:
    """Change an item's fields and replace the sets given, under the item's row lock.

    An item stays in its product: paths, add-on bases and plans hang off the product.
    """
    item = update_row(item, changes, by=by)
    write_item_sets(item, sets, by=by)
    return item


@contextmanager
def keyed(field: str):
    """Re-key a ValidationError raised inside to ``field``: the set the caller gave."""
    try:
        yield
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def write_item_sets(item: Item, sets: ItemSets, *, by: AbstractBaseUser | None = None) -> None:
    if sets.translations is not None:
        with keyed("translations"):
            kept = [
                translate(item, row.locale, row.name, row.description, by=by).pk
                for row in sets.translations
            ]
            for translation in item.translations.exclude(pk__in=kept):
                translation._history_user = by
                translation.delete()
    if sets.requires_one_of is not None:
        with keyed("requires_one_of"):
            bases = sets.requires_one_of
            for rule in item.base_requirements.exclude(base__in=bases):
                rule._history_user = by
                rule.delete()
            existing = set(item.base_requirements.values_list("base_id", flat=True))
            for base in bases:
                if base.pk not in existing:
                    validated_save(AddOnRequirement(addon=item, base=base), by=by)
                    existing.add(base.pk)
    paths = (
        ("upgrades_to", ItemPath.Kind.UPGRADE, sets.upgrades_to),
        ("downgrades_to", ItemPath.Kind.DOWNGRADE, sets.downgrades_to),
    )
    # Drop unwanted paths of both kinds first, so a target may switch kind in one request.
    for _name, kind, targets in paths:
        if targets is not None:
            for path in item.paths.filter(kind=kind).exclude(target__in=targets):
                path._history_user = by
                path.delete()
    for name, kind, targets in paths:
        if targets is None:
            continue
        existing = dict(item.paths.values_list("target_id", "kind"))
        with keyed(name):
            for target in targets:
                if existing.get(target.pk) != kind:
                    validated_save(ItemPath(source=item, target=target, kind=kind), by=by)
                    existing[target.pk] = kind


def translate(
    item: Item, locale: str, name: str, description: str = "", *, by=None
) -> ItemTranslation:
    translation = ItemTranslation(item=item, locale=locale)
    translation.clean_fields(exclude=["name", "description"])
    translation.clean()  # normalizes the locale code
    translation = (
        ItemTranslation.objects.select_for_update()
        .filter(item=item, locale=translation.locale)
        .first()
    ) or translation
    if translation.pk and (translation.name, translation.description) == (name, description):
        return translation  # unchanged: no new history row
    translation.name, translation.description = name, description
    return validated_save(translation, by=by)


@service
def item_translate(
    *,
    item: Item,
    locale: str,
    name: str,
    description: str = "",
    by: AbstractBaseUser | None = None,
) -> ItemTranslation:
    """Set an item's name and description in one locale (added or replaced)."""
    return translate(item, locale, name, description, by=by)


@service
def item_add_path(
    *,
    source: Item,
    target: Item,
    kind: str = ItemPath.Kind.UPGRADE,
    by: AbstractBaseUser | None = None,
) -> ItemPath:
    """Allow moving from one item to another of the same product."""
    return validated_save(ItemPath(source=source, target=target, kind=kind), by=by)


@service
def item_require_base(
    *, addon: Item, base: Item, by: AbstractBaseUser | None = None
) -> AddOnRequirement:
    """Make ``addon`` an add-on that must be bought alongside ``base`` (or another base)."""
    return validated_save(AddOnRequirement(addon=addon, base=base), by=by)


# Offers: plans with their items, features, listings ------------------------------------------


@dataclass(frozen=True)
class PlanLine:
    item: Item
    quantity: int = 1


TRANSLATIONS = {
    Offer: OfferTranslation,
    Plan: PlanTranslation,
    FeatureGroup: FeatureGroupTranslation,
    Feature: FeatureTranslation,
}


def write_translations(row, translations: Sequence[Translation], *, by=None) -> None:
    """Replace the translations of an offer, plan, feature group or feature as a whole (a
    feature group's and a feature's have no description)."""
    model = TRANSLATIONS[type(row)]
    owner = {model.owner: row}
    kept = []
    with keyed("translations"):
        for wanted in translations:
            translation = model(**owner, locale=wanted.locale)
            translation.clean_fields(exclude=["name", "description", model.owner])
            translation.clean()  # normalizes the locale code
            translation = (
                model.objects.select_for_update().filter(**owner, locale=translation.locale).first()
            ) or translation
            values = {"name": wanted.name}
            if hasattr(translation, "description"):
                values["description"] = wanted.description
            if translation.pk is None or any(
                getattr(translation, name) != value for name, value in values.items()
            ):
                for name, value in values.items():
                    setattr(translation, name, value)
                validated_save(translation, by=by)
            kept.append(translation.pk)
        for stale in model.objects.filter(**owner).exclude(pk__in=kept):
            stale._history_user = by
            stale.delete()


@service
def translated_save(
    *,
    row: Offer | FeatureGroup | Feature,
    translations: Sequence[Translation] | None = None,
    by: AbstractBaseUser | None = None,
    **changes: Any,
):
    """Create an offer, feature group or feature (not yet stored) or change one under its row
    lock, and replace its translations when given (a plan's: ``plan_save``)."""
    row = validated_save(row, by=by) if row._state.adding else update_row(row, changes, by=by)
    if translations is not None:
        write_translations(row, translations, by=by)
    return row


@service
def plan_add_item(
    *, plan: Plan, item: Item, quantity: int = 1, by: AbstractBaseUser | None = None
) -> PlanItem:
    """Let a plan provide an item of its own vendor."""
    return validated_save(PlanItem(plan=plan, item=item, quantity=quantity), by=by)


@service
def plan_save(
    *,
    plan: Plan,
    items: Sequence[PlanLine] | None = None,
    translations: Sequence[Translation] | None = None,
    by: AbstractBaseUser | None = None,
    **changes: Any,
) -> Plan:
    """Create a plan (not yet stored) or change one under its row lock, and replace its items
    (the last line of an item wins) and its translations when given."""
    plan = validated_save(plan, by=by) if plan._state.adding else update_row(plan, changes, by=by)
    if translations is not None:
        write_translations(plan, translations, by=by)
    if items is None:
        return plan
    wanted = {line.item.pk: line for line in items}
    with keyed("items"):
        for line in plan.plan_items.exclude(item_id__in=wanted):
            line._history_user = by
            line.delete()
        existing = {line.item_id: line for line in plan.plan_items.all()}
        for item_id, want in wanted.items():
            line = existing.get(item_id)
            if line is None:
                validated_save(PlanItem(plan=plan, item=want.item, quantity=want.quantity), by=by)
            elif line.quantity != want.quantity:
                update_row(line, {"quantity": want.quantity}, by=by)
    return plan


@service
def listing_publish(
    *,
    offer: Offer,
    marketplace: Marketplace,
    status: str = Listing.Status.LISTED,
    by: AbstractBaseUser | None = None,
) -> Listing:
    """Put an offer on a marketplace (once per marketplace)."""
    return validated_save(Listing(offer=offer, marketplace=marketplace, status=status), by=by)


@service
def offer_matrix_save(
    *,
    offer: Offer,
    cells: Mapping[tuple[int, int], MatrixCell],
    by: AbstractBaseUser | None = None,
) -> int:
    """Write the plan × feature grid of an offer in one go; returns how many cells changed.

    ``cells`` maps (plan id, feature id) to its value. Cells left out are unchanged; an
    empty cell (not included, no text) that has no row yet stays without one.
    """
    return write_matrix(offer=offer, cells=cells, by=by)


def new_feature_problems(group: FeatureGroup, names: Sequence[str]) -> list[str]:
    """Why new features cannot join ``group``: a name twice, or one the group already has."""
    taken = set(group.features.values_list("name", flat=True)) if group.pk else set()
    problems, seen = [], set()
    for name in names:
        if name in taken or name in seen:
            problems.append(f"{group.name} already has the feature {name!r}.")
        seen.add(name)
    return problems


def add_features(group: FeatureGroup, names: Sequence[str], *, by=None) -> list[Feature]:
    """Append features to a group, in the caller's transaction; refused whole (see above)."""
    if problems := new_feature_problems(group, names):
        raise ValidationError({"new_features": problems})
    last = group.features.order_by("-position").values_list("position", flat=True).first()
    start = 0 if last is None else last + 1
    return [
        validated_save(Feature(group=group, name=name, position=start + index), by=by)
        for index, name in enumerate(names)
    ]


@service
def offer_page_save(
    *,
    writes: Sequence[RowWrite],
    cells: Mapping[tuple[int, int], MatrixCell],
    new_features: tuple[FeatureGroup, Sequence[str]] | None = None,
    by: AbstractBaseUser | None = None,
) -> int:
    """The offer admin page as a whole: the offer, its plans, feature groups and listings,
    the features added to one of its groups, then the matrix cells of the plans and features
    that are still there."""
    head = writes[0].row
    if not head._state.adding:
        locked(head)
    write_rows(writes, by=by)
    offer = head
    if new_features:
        group, names = new_features
        if group.offer_id != offer.pk:
            raise ValidationError({"add_features_to": "The group belongs to another offer."})
        add_features(group, names, by=by)
    plan_ids = set(offer.plans.values_list("pk", flat=True))
    feature_ids = set(Feature.objects.filter(group__offer=offer).values_list("pk", flat=True))
    cells = {
        (plan, feature): cell
        for (plan, feature), cell in cells.items()
        if plan in plan_ids and feature in feature_ids
    }
    return write_matrix(offer=offer, cells=cells, by=by) if cells else 0
