"""Offerings, their items and scopes, and their rates (price lists)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from catalog.history_records import HistoricalRecords
from catalog.models import Item, Marketplace, Vendor
from catalog.querysets import scoped
from catalog.validators import validate_currency


class OfferingQuerySet(scoped("vendor")):
    def available(self, on=None) -> OfferingQuerySet:
        """Active offerings whose [start, end] dates hold ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(status=Offering.Status.ACTIVE, start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class Offering(models.Model):
    """A group of items sold together, with its price lists (rates)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"

    class Type(models.TextChoices):
        SUBSCRIPTION = "subscription", "Subscription"
        ONE_TIME = "one_time", "One-time"
        MINIMUM_COMMIT = "minimum_commit", "Minimum commit"
        PERCENT_OF_TOTAL = "percent_of_total", "Percent of total"

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="offerings")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    type = models.CharField(max_length=20, choices=Type, default=Type.SUBSCRIPTION)
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)

    objects = OfferingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="offering_ends_after_it_starts",
                violation_error_message="The end date cannot be before the start date.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_available(self, on=None) -> bool:
        on = on or timezone.localdate()
        return (
            self.status == self.Status.ACTIVE
            and self.start_date <= on
            and (self.end_date is None or on <= self.end_date)
        )


class OfferingItem(models.Model):
    """An item of an offering: its default quantity, whether it is required, and its scope."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="offering_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="offering_items")
    default_quantity = models.PositiveIntegerField(default=0)
    required = models.BooleanField(default=False)
    applies_to = models.ManyToManyField(
        Item,
        through="OfferingItemScope",
        related_name="scoped_by",
        blank=True,
        help_text="Minimum-commit and percent-of-total items: the items they apply to.",
    )

    objects = scoped("offering__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["offering", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "item"],
                name="offering_item_unique",
                violation_error_message="This offering already contains this item.",
            ),
            models.CheckConstraint(
                condition=Q(required=False) | Q(default_quantity__gte=1),
                name="offering_required_item_quantity",
                violation_error_message="A required item starts at a quantity of at least 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering}: {self.item}"

    def clean(self) -> None:
        if self.required and self.default_quantity < 1:
            raise ValidationError(
                {"default_quantity": "A required item starts at a quantity of at least 1."}
            )
        if (
            self.offering_id
            and self.item_id
            and self.item.product.vendor_id != self.offering.vendor_id
        ):
            raise ValidationError({"item": "An offering can only contain its vendor's items."})


class OfferingItemScope(models.Model):
    """A usage or subscription item that a commit or percent-of-total item applies to."""

    offering_item = models.ForeignKey(OfferingItem, on_delete=models.CASCADE, related_name="scopes")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")

    objects = scoped("offering_item__offering__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["offering_item", "item"],
                name="offering_item_scope_unique",
                violation_error_message="The scope already names this item.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.offering_item.item.mpn} → {self.item.mpn}"


class Rate(models.Model):
    """One price list of an offering: currency, billing frequency, channel, customer group."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"

    class BillingFrequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        YEARLY = "yearly", "Yearly"

    PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="rates")
    name = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, validators=[validate_currency])
    billing_frequency = models.CharField(
        max_length=10, choices=BillingFrequency, default=BillingFrequency.MONTHLY
    )
    sales_channel = models.ForeignKey(
        Marketplace,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rates",
        help_text="Only for this marketplace; empty for every channel.",
    )
    customer_group = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)

    objects = scoped("offering__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["offering", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.offering}: {self.name} ({self.currency}, {self.billing_frequency})"

    @property
    def period_months(self) -> int:
        return self.PERIOD_MONTHS[self.billing_frequency]

    def clean(self) -> None:
        self.currency = (self.currency or "").upper()
        if self.sales_channel_id and self.sales_channel.currency != self.currency:
            raise ValidationError(
                {"currency": f"The sales channel sells in {self.sales_channel.currency}."}
            )


class OfferingRevision(models.Model):
    """The offering's revision: a new token each time a writer takes its row lock.

    What a sale reads of an offering (its rates, prices, intervals and tiers) changes only
    under that lock (``pricing.refusals.lock_offering``), and a sale reads it under the same
    lock in share mode, so a token names one state of those rows: a sale may reuse what it
    loaded at that token (``pricing.price_cache``). Tokens are random, never reused, not even
    after a writer's transaction rolls back; only ``lock_offering`` and the delete guards
    (``pricing.signals``) write them. An offering without a row has no token, and its sales
    load their prices each time.
    """

    offering = models.OneToOneField(
        Offering, on_delete=models.CASCADE, primary_key=True, related_name="revision"
    )
    token = models.UUIDField()

    def __str__(self) -> str:
        return f"{self.offering_id}: {self.token}"
