"""A price: price book items with their intervals and tiers.

The charge models, and the fields each reads, are ``pricing.pricebook``'s; these rows
store them.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from catalog.history_records import HistoricalRecords
from catalog.models import Item
from catalog.querysets import scoped
from pricing import pricebook
from pricing.models.offerings import Rate
from pricing.models.units import MONEY, UNITS
from pricing.pricebook.fields import BY_KEY as FIELDS
from pricing.pricebook.money import exact
from pricing.pricebook.snapshot import book_from


class PriceBookItemQuerySet(scoped("rate__offering__vendor")):
    def with_rows(self) -> PriceBookItemQuerySet:
        """With their intervals and each interval's tiers: two queries, however many."""
        return self.prefetch_related(
            models.Prefetch("intervals", PriceInterval.objects.prefetch_related("tiers"))
        )


class PriceBookItem(models.Model):
    """The price of one offering item inside one rate.

    Its charge model is one of ``pricing.pricebook.REGISTRY``: the choices and the database
    constraint below are made from it, and the fields each model reads are declared there.
    """

    class PricingType(models.TextChoices):
        REGULAR = "regular", "Regular (one price)"
        INTERVAL = "interval", "Interval pricing"

    MAX_CUSTOM_ATTRIBUTES = 50

    rate = models.ForeignKey(Rate, on_delete=models.CASCADE, related_name="price_book_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="price_book_items")
    charge_model = models.CharField(max_length=20, choices=pricebook.choices(), default="per_unit")
    pricing_type = models.CharField(max_length=10, choices=PricingType, default=PricingType.REGULAR)
    custom_attributes = models.JSONField(default=dict, blank=True)
    delivery_weekdays = models.JSONField(
        default=list, blank=True, help_text=FIELDS["price.delivery_weekdays"].help
    )
    minimum_amount = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=FIELDS["price.minimum_amount"].help,
    )
    maximum_amount = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=FIELDS["price.maximum_amount"].help,
    )
    flat_at_zero = models.BooleanField(
        FIELDS["price.flat_at_zero"].label,
        default=False,
        help_text=FIELDS["price.flat_at_zero"].help,
    )

    objects = PriceBookItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["rate", "item", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(charge_model__in=list(pricebook.REGISTRY)),
                name="price_book_item_known_charge_model",
                violation_error_message="Unknown charge model.",
            ),
            models.CheckConstraint(
                condition=Q(minimum_amount__isnull=True)
                | Q(maximum_amount__isnull=True)
                | Q(minimum_amount__lte=models.F("maximum_amount")),
                name="price_book_item_minimum_below_maximum",
                violation_error_message="The minimum per period is above the maximum.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.mpn} in {self.rate.name}"

    def to_engine(self, intervals=None) -> pricebook.PriceBook:
        """The engine's view of this price (intervals and tiers prefetched by the caller)."""
        intervals = self.intervals.all() if intervals is None else intervals
        return book_from(self, intervals, self.rate.currency)


class PriceInterval(models.Model):
    """One step of interval pricing: Day(n), Month(n) or Infinity, with its prices."""

    class DurationUnit(models.TextChoices):
        DAY = "day", "Day(s)"
        MONTH = "month", "Month(s)"
        INFINITY = "infinity", "Infinity"

    price_book_item = models.ForeignKey(
        PriceBookItem, on_delete=models.CASCADE, related_name="intervals"
    )
    sequence = models.PositiveIntegerField(default=1)
    duration_unit = models.CharField(
        max_length=10, choices=DurationUnit, default=DurationUnit.INFINITY
    )
    duration = models.PositiveIntegerField(null=True, blank=True)
    price = models.DecimalField(**MONEY, default=Decimal(0), validators=[MinValueValidator(0)])
    included_units = models.DecimalField(
        **UNITS, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    overage_price = models.DecimalField(
        **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    package_size = models.DecimalField(
        **UNITS,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0001"))],
        help_text=FIELDS["interval.package_size"].help,
    )

    objects = scoped("price_book_item__rate__offering__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["price_book_item", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_book_item", "sequence"],
                name="price_interval_sequence_unique",
                violation_error_message="Two intervals cannot share a sequence number.",
            ),
            models.CheckConstraint(
                condition=Q(package_size__isnull=True) | Q(package_size__gt=0),
                name="price_interval_package_holds_units",
                violation_error_message="A package holds more than 0 units.",
            ),
        ]

    def __str__(self) -> str:
        if self.duration_unit == self.DurationUnit.INFINITY:
            return f"#{self.sequence} forever"
        return f"#{self.sequence} {self.duration} {self.get_duration_unit_display()}"

    def clean(self) -> None:
        if self.duration_unit == self.DurationUnit.INFINITY:
            if self.duration:
                raise ValidationError({"duration": "An infinity interval has no duration."})
        elif not self.duration:
            raise ValidationError({"duration": "Give a positive number of days or months."})


class PriceTier(models.Model):
    """A band of units inside an interval of a volume or tiered price."""

    class PriceFormat(models.TextChoices):
        PER_UNIT = "per_unit", "Per unit"
        FLAT = "flat", "Flat"

    interval = models.ForeignKey(PriceInterval, on_delete=models.CASCADE, related_name="tiers")
    start_unit = models.DecimalField(**UNITS, default=Decimal(0), validators=[MinValueValidator(0)])
    end_unit = models.DecimalField(**UNITS, null=True, blank=True, help_text="Empty: open-ended.")
    price = models.DecimalField(**MONEY, default=Decimal(0), validators=[MinValueValidator(0)])
    price_format = models.CharField(
        max_length=10, choices=PriceFormat, default=PriceFormat.PER_UNIT
    )
    flat_amount = models.DecimalField(
        **MONEY,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        help_text=FIELDS["tier.flat_amount"].help,
    )

    objects = scoped("interval__price_book_item__rate__offering__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["interval", "start_unit", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_unit__isnull=True) | Q(end_unit__gt=models.F("start_unit")),
                name="price_tier_ends_after_it_starts",
                violation_error_message="A tier ends above the unit it starts at.",
            )
        ]

    def __str__(self) -> str:
        end = exact(self.end_unit) if self.end_unit is not None else "∞"
        price = exact(self.price) if self.price is not None else "?"
        start = exact(self.start_unit) if self.start_unit is not None else "?"
        return f"{start}–{end}: {price} {self.get_price_format_display().lower()}"

    def clean(self) -> None:
        ends = self.end_unit is not None and self.start_unit is not None
        if ends and self.end_unit <= self.start_unit:
            raise ValidationError({"end_unit": "A tier ends above the unit it starts at."})
