"""Writes to the catalog, each inside a transaction, each validated before it saves.

Admin model forms run the same model validation (``full_clean``) before they save; scripts,
commands and the API call these functions, so every way in meets the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from catalog.models import (
    AddOnRequirement,
    Feature,
    Item,
    ItemGroup,
    ItemPath,
    ItemTranslation,
    Listing,
    Marketplace,
    Offer,
    Plan,
    PlanFeature,
    PlanItem,
    Product,
)
from catalog.validators import NUL_MESSAGE, contains_nul

M = TypeVar("M", bound=models.Model)


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def refuse_nul_characters(instance: models.Model) -> None:
    """Refuse text and JSON (keys and values) holding NUL, before any query sends them.

    Model fields carry no such validator (forms and DRF fields do); PostgreSQL would fail on
    it and SQLite store it, so every write through here refuses it the same way on both.
    """
    errors = {
        field.name: [NUL_MESSAGE]
        for field in instance._meta.concrete_fields
        if isinstance(field, TEXT_FIELDS) and contains_nul(getattr(instance, field.attname))
    }
    if errors:
        raise ValidationError(errors)


def validated_save(instance: M, *, by: AbstractBaseUser | None = None, reason: str = "") -> M:
    """Validate a row (no NUL text, fields, constraints, ``clean``), then save it with history."""
    with transaction.atomic():
        refuse_nul_characters(instance)
        instance.full_clean()
        if by is not None:
            instance._history_user = by
        if reason:
            instance._change_reason = reason
        instance.save()
    return instance


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


def item_group_move(
    *, group: ItemGroup, parent: ItemGroup | None, by: AbstractBaseUser | None = None
) -> ItemGroup:
    """Move a group under another parent, refusing cycles and other products' groups."""
    with transaction.atomic():
        group = ItemGroup.objects.select_for_update().get(pk=group.pk)
        group.parent = parent
        return validated_save(group, by=by, reason="moved")


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
    by: AbstractBaseUser | None = None,
) -> Item:
    """Create an item (SKU); one-time items default to a one-time billing period."""
    if billing_period is None:
        billing_period = (
            Item.BillingPeriod.ONE_TIME
            if kind == Item.Kind.ONE_TIME
            else Item.BillingPeriod.MONTHLY
        )
    return validated_save(
        Item(
            product=product,
            mpn=mpn,
            name=name,
            kind=kind,
            billing_period=billing_period,
            unit=unit,
            description=description,
            commitment_term=commitment_term,
            status=status,
            group=group,
        ),
        by=by,
    )


def item_translate(
    *,
    item: Item,
    locale: str,
    name: str,
    description: str = "",
    by: AbstractBaseUser | None = None,
) -> ItemTranslation:
    """Set an item's name and description in one locale (added or replaced)."""
    with transaction.atomic():
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


def item_add_path(
    *,
    source: Item,
    target: Item,
    kind: str = ItemPath.Kind.UPGRADE,
    by: AbstractBaseUser | None = None,
) -> ItemPath:
    """Allow moving from one item to another of the same product."""
    return validated_save(ItemPath(source=source, target=target, kind=kind), by=by)


def item_require_base(
    *, addon: Item, base: Item, by: AbstractBaseUser | None = None
) -> AddOnRequirement:
    """Make ``addon`` an add-on that must be bought alongside ``base`` (or another base)."""
    return validated_save(AddOnRequirement(addon=addon, base=base), by=by)


def plan_add_item(
    *, plan: Plan, item: Item, quantity: int = 1, by: AbstractBaseUser | None = None
) -> PlanItem:
    """Let a plan provide an item of its own vendor."""
    return validated_save(PlanItem(plan=plan, item=item, quantity=quantity), by=by)


def listing_publish(
    *,
    offer: Offer,
    marketplace: Marketplace,
    status: str = Listing.Status.LISTED,
    by: AbstractBaseUser | None = None,
) -> Listing:
    """Put an offer on a marketplace (once per marketplace)."""
    return validated_save(Listing(offer=offer, marketplace=marketplace, status=status), by=by)


@dataclass(frozen=True)
class MatrixCell:
    included: bool = False
    text: str = ""


@transaction.atomic
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
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    plan_ids = set(offer.plans.values_list("pk", flat=True))
    feature_ids = set(Feature.objects.filter(group__offer=offer).values_list("pk", flat=True))
    errors = []
    for plan_id, feature_id in cells:
        if plan_id not in plan_ids or feature_id not in feature_ids:
            errors.append(
                ValidationError(
                    "Plan %(plan)s and feature %(feature)s are not both part of this offer.",
                    code="matrix_cell",
                    params={"plan": plan_id, "feature": feature_id},
                )
            )
    too_long = [
        cell.text for cell in cells.values() if len(cell.text.strip()) > PlanFeature.TEXT_MAX_LENGTH
    ]
    if any(contains_nul(cell.text) for cell in cells.values()):
        errors.append(ValidationError(NUL_MESSAGE, code="null_characters_not_allowed"))
    if too_long:
        errors.append(
            ValidationError(
                "A cell's text is at most %(limit)d characters.",
                code="matrix_text",
                params={"limit": PlanFeature.TEXT_MAX_LENGTH},
            )
        )
    if errors:
        raise ValidationError(errors)

    existing = {
        (value.plan_id, value.feature_id): value
        for value in PlanFeature.objects.filter(plan__offer=offer)
    }
    to_create, to_update = [], []
    for (plan_id, feature_id), cell in cells.items():
        included, text = bool(cell.included), cell.text.strip()
        current = existing.get((plan_id, feature_id))
        if current is None:
            if included or text:
                to_create.append(
                    PlanFeature(
                        plan_id=plan_id, feature_id=feature_id, included=included, text=text
                    )
                )
        elif (current.included, current.text) != (included, text):
            current.included, current.text = included, text
            to_update.append(current)
    reason = "feature matrix edited"
    if to_create:
        bulk_create_with_history(
            to_create, PlanFeature, default_user=by, default_change_reason=reason
        )
    if to_update:
        bulk_update_with_history(
            to_update,
            PlanFeature,
            ["included", "text"],
            default_user=by,
            default_change_reason=reason,
        )
    return len(to_create) + len(to_update)
