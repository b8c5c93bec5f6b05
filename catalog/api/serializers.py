"""Catalog API serializers: parse input, call the catalog services, render.

Every write is one call of a service (``catalog.services``, or ``catalog.rows`` for rows
with no rule of their own), so the API meets the same rules as the admin. A Django
``ValidationError`` from a service becomes a DRF one here, keyed by the API field it
concerns; nested sets (translations, paths, add-on bases, plan items) report under their own
field name.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from catalog.api.fields import (
    PrefetchedListSerializer,
    PrefetchedManyRelatedField,
    ScopedPrimaryKeyRelatedField,
    grouped,
    prefetched,
)
from catalog.api.strict import StrictModelSerializer, StrictSerializer
from catalog.api.translations import (
    NameDescriptionTranslationSerializer,
    NameTranslationSerializer,
    TranslatedRowMixin,
    pop_translations,
)
from catalog.models import (
    AddOnRequirement,
    Feature,
    FeatureGroup,
    Item,
    ItemGroup,
    ItemPath,
    ItemTranslation,
    Listing,
    Marketplace,
    Offer,
    Plan,
    PlanFeature,
    Product,
)
from catalog.rows import row_create, row_update
from catalog.services import (
    ItemSets,
    MatrixCell,
    PlanLine,
    Translation,
    item_create,
    item_group_create,
    item_group_move,
    item_update,
    listing_publish,
    offer_matrix_save,
    plan_save,
    product_create,
)
from pricing.models import Offering


def _unique_constraint_fields(model: type[models.Model]) -> dict[str, str]:
    """Each unique constraint's message → the field a client fixes (its last field)."""
    return {
        str(constraint.violation_error_message): constraint.fields[-1]
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields
    }


def _api_errors(exc: DjangoValidationError, model: type[models.Model]) -> dict[str, list]:
    """A model's ValidationError as API field errors; unique-constraint messages get a field."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if not hasattr(exc, "error_dict"):
        return {non_field: exc.messages}
    by_message = _unique_constraint_fields(model)
    errors: dict[str, list] = {}
    for field, messages in exc.message_dict.items():
        for message in messages:
            key = by_message.get(message, non_field) if field == NON_FIELD_ERRORS else field
            errors.setdefault(key, []).append(message)
    return errors


@contextmanager
def service_errors(model: type[models.Model], field: str | None = None):
    """Turn a service's Django ValidationError into a 400, under ``field`` when given."""
    try:
        yield
    except DjangoValidationError as exc:
        detail = {field: exc.messages} if field else _api_errors(exc, model)
        raise serializers.ValidationError(detail) from exc


class ServiceModelSerializer(StrictModelSerializer):
    """Creates and updates rows through the row services, as the acting user."""

    @property
    def acting_user(self):
        return self.context["request"].user

    def create(self, validated_data):
        with service_errors(self.Meta.model):
            return row_create(self.Meta.model(**validated_data), by=self.acting_user)

    def update(self, instance, validated_data):
        with service_errors(self.Meta.model):
            return row_update(instance, by=self.acting_user, **validated_data)


# Products -----------------------------------------------------------------------------------


class ProductSerializer(ServiceModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "vendor", "name", "description", "category", "status"]
        read_only_fields = ["vendor"]
        validators = []  # the model's constraints run in the service, with field-keyed errors

    def create(self, validated_data):
        vendor = self.context["view"].acting_vendor()
        with service_errors(Product):
            return product_create(vendor=vendor, by=self.acting_user, **validated_data)


# Item groups (the variation tree) ----------------------------------------------------------


class ItemGroupSerializer(ServiceModelSerializer):
    """A node of a product's variation tree; ``parent`` null for a top-level group.

    A group stays with its product; moving it under itself or one of its own subgroups, or
    under another product's group, is refused (400 on ``parent``).
    """

    product = ScopedPrimaryKeyRelatedField(model=Product)
    parent = ScopedPrimaryKeyRelatedField(
        model=ItemGroup,
        allow_null=True,
        required=False,
        help_text="The group it sits under (same product); null for a top-level group.",
    )

    class Meta:
        model = ItemGroup
        fields = ["id", "product", "parent", "name", "position"]
        validators = []

    def create(self, validated_data):
        with service_errors(ItemGroup):
            return item_group_create(by=self.acting_user, **validated_data)

    def update(self, instance, validated_data):
        moves = "parent" in validated_data and validated_data["parent"] != instance.parent
        with service_errors(ItemGroup):
            if moves and set(validated_data) == {"parent"}:
                return item_group_move(
                    group=instance, parent=validated_data["parent"], by=self.acting_user
                )
            return row_update(
                instance, by=self.acting_user, reason="moved" if moves else "", **validated_data
            )


# Items --------------------------------------------------------------------------------------


class ItemTranslationSerializer(StrictSerializer):
    locale = serializers.CharField(max_length=16)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, default="")

    class Meta:
        list_serializer_class = PrefetchedListSerializer


def attach_item_sets(items: list[Item], user) -> None:
    """Translations, add-on bases and paths of items: one ``values()`` query each.

    ``ItemViewSet`` attaches them to a whole page; ``ItemSerializer`` to a single row that came
    another way.
    """
    ids = [item.pk for item in items]
    translations = grouped(
        ItemTranslation.objects.filter(item_id__in=ids)
        .order_by("locale")
        .values("item_id", "locale", "name", "description"),
        key="item_id",
    )
    # Paths and add-on bases are the ones the caller may see: none to a draft item for a
    # distributor, and no base in a product that is not listed to them.
    upgrades, downgrades = defaultdict(list), defaultdict(list)
    targets = {ItemPath.Kind.UPGRADE.value: upgrades, ItemPath.Kind.DOWNGRADE.value: downgrades}
    for source, kind, target in (
        ItemPath.objects.visible_to(user)
        .filter(source_id__in=ids)
        .order_by("target_id")
        .values_list("source_id", "kind", "target_id")
    ):
        targets[kind][source].append(target)
    bases = grouped(
        AddOnRequirement.objects.visible_to(user)
        .filter(addon_id__in=ids, base__in=Item.objects.visible_to(user))
        .order_by("base_id")
        .values_list("addon_id", "base_id")
    )
    for item in items:
        item.prefetched_translations = translations[item.pk]
        item.prefetched_upgrades_to = upgrades[item.pk]
        item.prefetched_downgrades_to = downgrades[item.pk]
        item.prefetched_requires_one_of = bases[item.pk]


class ItemSerializer(ServiceModelSerializer):
    """An item with its translations, add-on bases and upgrade/downgrade targets.

    The four sets are replaced as a whole when given, row by row through the services.
    """

    SETS = ("translations", "requires_one_of", "upgrades_to", "downgrades_to")
    product = ScopedPrimaryKeyRelatedField(model=Product)
    group = ScopedPrimaryKeyRelatedField(model=ItemGroup, allow_null=True, required=False)
    translations = ItemTranslationSerializer(many=True, required=False)
    requires_one_of = PrefetchedManyRelatedField(
        child_relation=ScopedPrimaryKeyRelatedField(model=Item), required=False
    )
    upgrades_to = PrefetchedManyRelatedField(
        child_relation=ScopedPrimaryKeyRelatedField(model=Item), required=False
    )
    downgrades_to = PrefetchedManyRelatedField(
        child_relation=ScopedPrimaryKeyRelatedField(model=Item), required=False
    )

    class Meta:
        model = Item
        fields = [
            "id",
            "product",
            "mpn",
            "name",
            "description",
            "kind",
            "billing_period",
            "unit",
            "commitment_term",
            "status",
            "group",
            "translations",
            "requires_one_of",
            "upgrades_to",
            "downgrades_to",
        ]
        validators = []

    def to_representation(self, item):
        if prefetched(item, "translations") is None:
            attach_item_sets([item], self.context["request"].user)
        return super().to_representation(item)

    def create(self, validated_data):
        sets = self.item_sets(validated_data)
        with service_errors(Item):
            return item_create(sets=sets, by=self.acting_user, **validated_data)

    def update(self, instance, validated_data):
        sets = self.item_sets(validated_data)
        with service_errors(Item):
            return item_update(item=instance, sets=sets, by=self.acting_user, **validated_data)

    def item_sets(self, validated_data) -> ItemSets:
        """Take the sets given out of ``validated_data``; those not given stay as they are."""
        given = {name: validated_data.pop(name) for name in self.SETS if name in validated_data}
        if "translations" in given:
            given["translations"] = [Translation(**row) for row in given["translations"]]
        return ItemSets(**given)


# Marketplaces -------------------------------------------------------------------------------


class MarketplaceSerializer(serializers.ModelSerializer):
    countries = serializers.ListField(
        source="country_list", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = Marketplace
        fields = ["id", "name", "code", "currency", "countries"]
        read_only_fields = fields


# Offers, plans, features --------------------------------------------------------------------


class PlanItemSerializer(StrictSerializer):
    item = ScopedPrimaryKeyRelatedField(model=Item)
    quantity = serializers.IntegerField(min_value=1, default=1)


class OfferPlanSerializer(serializers.ModelSerializer):
    items = PlanItemSerializer(source="plan_items", many=True, read_only=True)
    translations = NameDescriptionTranslationSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "name", "description", "position", "offering", "items", "translations"]
        read_only_fields = fields


class OfferFeatureSerializer(serializers.ModelSerializer):
    translations = NameTranslationSerializer(many=True, read_only=True)

    class Meta:
        model = Feature
        fields = ["id", "name", "position", "translations"]
        read_only_fields = fields


class OfferFeatureGroupSerializer(serializers.ModelSerializer):
    features = OfferFeatureSerializer(many=True, read_only=True)
    translations = NameTranslationSerializer(many=True, read_only=True)

    class Meta:
        model = FeatureGroup
        fields = ["id", "name", "position", "translations", "features"]
        read_only_fields = fields


class MatrixCellSerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="plan_id")
    feature = serializers.IntegerField(source="feature_id")
    included = serializers.BooleanField()
    text = serializers.CharField()


class MatrixCellWriteSerializer(StrictSerializer):
    plan = serializers.IntegerField()
    feature = serializers.IntegerField()
    included = serializers.BooleanField(default=False)
    text = serializers.CharField(
        allow_blank=True, default="", max_length=PlanFeature.TEXT_MAX_LENGTH
    )


class MatrixWriteSerializer(StrictSerializer):
    """Cells of the plan × feature matrix to write; cells left out stay as they are."""

    cells = MatrixCellWriteSerializer(many=True, allow_empty=False)

    def validate_cells(self, cells):
        keys = [(cell["plan"], cell["feature"]) for cell in cells]
        if len(set(keys)) != len(keys):
            raise serializers.ValidationError("Each plan and feature pair may appear only once.")
        return cells

    def save(self, *, offer: Offer, by) -> int:
        cells = {
            (cell["plan"], cell["feature"]): MatrixCell(cell["included"], cell["text"])
            for cell in self.validated_data["cells"]
        }
        with service_errors(PlanFeature, "cells"):
            return offer_matrix_save(offer=offer, cells=cells, by=by)


class OfferSerializer(TranslatedRowMixin, ServiceModelSerializer):
    product = ScopedPrimaryKeyRelatedField(model=Product)
    translations = NameDescriptionTranslationSerializer(many=True, required=False)
    plans = OfferPlanSerializer(many=True, read_only=True)
    feature_groups = OfferFeatureGroupSerializer(many=True, read_only=True)
    matrix = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = [
            "id",
            "product",
            "name",
            "description",
            "translations",
            "plans",
            "feature_groups",
            "matrix",
        ]
        validators = []

    @extend_schema_field(MatrixCellSerializer(many=True))
    def get_matrix(self, offer: Offer) -> list[dict]:
        # The cells hang off the prefetched plans: no query of their own.
        cells = [cell for plan in offer.plans.all() for cell in plan.feature_values.all()]
        cells.sort(key=lambda cell: (cell.feature_id, cell.plan_id))
        return MatrixCellSerializer(cells, many=True).data


class PlanSerializer(ServiceModelSerializer):
    offer = ScopedPrimaryKeyRelatedField(model=Offer)
    offering = ScopedPrimaryKeyRelatedField(model=Offering, allow_null=True, required=False)
    items = PlanItemSerializer(source="plan_items", many=True, required=False)
    translations = NameDescriptionTranslationSerializer(many=True, required=False)

    class Meta:
        model = Plan
        fields = [
            "id",
            "offer",
            "name",
            "description",
            "position",
            "offering",
            "items",
            "translations",
        ]
        validators = []

    def create(self, validated_data):
        items, translations = self.plan_lines(validated_data), pop_translations(validated_data)
        with service_errors(Plan):
            return plan_save(
                plan=Plan(**validated_data),
                items=items,
                translations=translations,
                by=self.acting_user,
            )

    def update(self, instance, validated_data):
        items, translations = self.plan_lines(validated_data), pop_translations(validated_data)
        with service_errors(Plan):
            return plan_save(
                plan=instance,
                items=items,
                translations=translations,
                by=self.acting_user,
                **validated_data,
            )

    @staticmethod
    def plan_lines(validated_data) -> list[PlanLine] | None:
        rows = validated_data.pop("plan_items", None)
        if rows is None:
            return None
        return [PlanLine(item=row["item"], quantity=row["quantity"]) for row in rows]


class FeatureGroupSerializer(TranslatedRowMixin, ServiceModelSerializer):
    offer = ScopedPrimaryKeyRelatedField(model=Offer)
    translations = NameTranslationSerializer(many=True, required=False)

    class Meta:
        model = FeatureGroup
        fields = ["id", "offer", "name", "position", "translations"]
        validators = []


class FeatureSerializer(TranslatedRowMixin, ServiceModelSerializer):
    group = ScopedPrimaryKeyRelatedField(model=FeatureGroup)
    translations = NameTranslationSerializer(many=True, required=False)

    class Meta:
        model = Feature
        fields = ["id", "group", "name", "position", "translations"]
        validators = []


# Listings -----------------------------------------------------------------------------------


class ListingSerializer(ServiceModelSerializer):
    offer = ScopedPrimaryKeyRelatedField(model=Offer)
    marketplace = ScopedPrimaryKeyRelatedField(model=Marketplace)

    class Meta:
        model = Listing
        fields = ["id", "offer", "marketplace", "status"]
        validators = []

    def create(self, validated_data):
        with service_errors(Listing):
            return listing_publish(
                offer=validated_data["offer"],
                marketplace=validated_data["marketplace"],
                status=validated_data.get("status", Listing.Status.DRAFT),
                by=self.acting_user,
            )
