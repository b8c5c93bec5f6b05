"""How it is offered: offers with their plans, the plan × feature matrix, listings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from catalog.history_records import HistoricalRecords
from catalog.models.items import Item, Product
from catalog.models.organizations import Marketplace
from catalog.querysets import (
    ListingQuerySet,
    scoped,
)


class Offer(models.Model):
    """How a vendor presents a product to a market ("For home", "For business")."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="offers")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    objects = scoped("product__vendor", "offer").as_manager()
    str_select_related = ("product",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["product__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "name"],
                name="offer_name_unique_per_product",
                violation_error_message="This product already has an offer with this name.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product.name}: {self.name}"


class Plan(models.Model):
    """A service level of an offer (Basic, Standard, Premium)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    items = models.ManyToManyField(Item, through="PlanItem", related_name="plans", blank=True)
    offering = models.ForeignKey(
        "pricing.Offering",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        help_text="The pricing offering whose rates price this plan.",
    )

    objects = scoped("offer__product__vendor", "offer", "offer").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["offer", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "name"],
                name="plan_name_unique_per_offer",
                violation_error_message="This offer already has a plan with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.offering_id
            and self.offer_id
            and self.offering.vendor_id != self.offer.product.vendor_id
        ):
            raise ValidationError({"offering": "The offering belongs to another vendor."})


class PlanItem(models.Model):
    """An item a plan provides, with its quantity."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="plan_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="plan_items")
    quantity = models.PositiveIntegerField(default=1)

    # The item may be another product's: its product's status counts too.
    objects = scoped(
        "plan__offer__product__vendor",
        "offer",
        "plan__offer",
        drafts=("item__status", "item__product__status"),
    ).as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "item"],
                name="plan_item_unique",
                violation_error_message="This plan already includes this item.",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="plan_item_quantity_positive",
                violation_error_message="A plan includes at least one unit of an item.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.quantity} × {self.item.mpn}"

    def clean(self) -> None:
        if (
            self.plan_id
            and self.item_id
            and self.item.product.vendor_id != self.plan.offer.product.vendor_id
        ):
            raise ValidationError({"item": "A plan can only include its own vendor's items."})


class FeatureGroup(models.Model):
    """A heading of the feature matrix ("Teamwork and communication")."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="feature_groups")
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    objects = scoped("offer__product__vendor", "offer", "offer").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["offer", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class Feature(models.Model):
    """A row of the feature matrix."""

    group = models.ForeignKey(FeatureGroup, on_delete=models.CASCADE, related_name="features")
    name = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)

    objects = scoped("group__offer__product__vendor", "offer", "group__offer").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class PlanFeature(models.Model):
    """One cell of the plan × feature matrix: included or not, plus a short text."""

    TEXT_MAX_LENGTH = 100

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="feature_values")
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="plan_values")
    included = models.BooleanField(default=False)
    text = models.CharField(
        max_length=TEXT_MAX_LENGTH, blank=True, help_text='e.g. "up to 300 users", "1 TB".'
    )

    objects = scoped("plan__offer__product__vendor", "offer", "plan__offer").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["feature", "plan"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "feature"],
                name="plan_feature_unique",
                violation_error_message="This plan already has a value for this feature.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} × {self.feature}"

    def clean(self) -> None:
        if self.plan_id and self.feature_id and self.plan.offer_id != self.feature.group.offer_id:
            raise ValidationError("The plan and the feature belong to different offers.")


class Listing(models.Model):
    """An offer published on a marketplace."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LISTED = "listed", "Listed"
        UNLISTED = "unlisted", "Unlisted"

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="listings")
    marketplace = models.ForeignKey(Marketplace, on_delete=models.PROTECT, related_name="listings")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)

    objects = ListingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["offer", "marketplace"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "marketplace"],
                name="listing_unique_per_marketplace",
                violation_error_message="This offer is already listed on this marketplace.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer} on {self.marketplace.code}"

    @staticmethod
    def duplicate_message(marketplace: Marketplace) -> str:
        return f"This offer is already on {marketplace.name} ({marketplace.currency})."

    def validate_constraints(self, exclude=None) -> None:
        # The one constraint: once per marketplace. Say which marketplace, next to it.
        try:
            super().validate_constraints(exclude)
        except ValidationError:
            if self.marketplace_id and self.offer_id:
                duplicate = Listing.objects.filter(
                    offer_id=self.offer_id, marketplace_id=self.marketplace_id
                ).exclude(pk=self.pk)
                if duplicate.exists():
                    raise ValidationError(
                        {"marketplace": self.duplicate_message(self.marketplace)}
                    ) from None
            raise
